//! `lintmux check`: the engine's check (after fixing, with `--fix`) of the repository or the PATHs, the
//! report in every format asked for, and the verdict as the exit code.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::ci::Ci;
use super::context::Cx;
use super::exit::{ExitCode, verdict};
use super::fmt::tell_applied;
use super::output::{self, Color};
use super::progress::sink;
use super::remote::{self, RemoteArgs};
use crate::config::{Runner, ToolsMode};
use crate::engine::{self, Base, Caching, Changed, Fixes, Installs, Mode, Request};
use crate::model::{Level, Shard};
use crate::report::{Paint, ReportFormat, ReportTarget};

/// The lowest finding level that fails the check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FailOn {
    Level(Level),
    /// Findings never fail (`--fail-on never`).
    Never,
}

/// `lintmux check`, as the command line asked.
pub(crate) struct CheckCommand {
    pub(crate) paths: Vec<PathBuf>,
    /// `--format`: the report on stdout (or in `--output`).
    pub(crate) format: Option<ReportFormat>,
    pub(crate) output: Option<PathBuf>,
    /// `--sarif FILE`: a SARIF report besides the console one.
    pub(crate) sarif: Option<PathBuf>,
    /// `--report FORMAT[=PATH]`, each.
    pub(crate) reports: Vec<ReportTarget>,
    pub(crate) linters: Option<Vec<String>>,
    pub(crate) jobs: Option<usize>,
    pub(crate) fail_on: Option<FailOn>,
    pub(crate) tools: Option<ToolsMode>,
    pub(crate) installs: Installs,
    pub(crate) color: Color,
    pub(crate) caching: Caching,
    pub(crate) changed: Option<Base>,
    pub(crate) new_only: Option<Base>,
    pub(crate) baseline: Option<PathBuf>,
    pub(crate) runner: Option<Runner>,
    pub(crate) shard: Option<Shard>,
    /// `--fix` (and `--unsafe-fixes`): fix and format first.
    pub(crate) fix: Option<Fixes>,
    pub(crate) remote: RemoteArgs,
}

pub(crate) fn run(cx: &Cx, args: &CheckCommand) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&args.paths)?;
    let mut req = Request::new(&ws, cx.cwd);
    req.paths = args.paths.clone();
    req.linters = args.linters.clone();
    req.changed = args.changed.clone().map_or(Changed::All, Changed::Since);
    req.shard = args.shard;
    req.new_only = args.new_only.clone();
    req.baseline = args.baseline.clone();
    req.jobs = args.jobs.unwrap_or(req.jobs);
    req.tools = args.tools.unwrap_or(req.tools);
    req.installs = args.installs;
    req.caching = args.caching;
    req.runner = args.runner;
    req.remote = remote::spec(&ws, &args.remote)?;
    let primary = (args.format.is_some() || args.output.is_some()).then(|| ReportTarget {
        format: args.format.unwrap_or(ReportFormat::Console),
        path: args.output.clone(),
    });
    let targets = output::targets(primary, args.sarif.as_deref(), &args.reports)?;
    let ci = Ci::from_env();
    let sink = sink();
    // --fix: fixers and formatters rewrite files first; the check then reports what remains, and what
    // went wrong while fixing.
    let fixing = match args.fix {
        Some(fixes) => {
            let fixing = Request {
                mode: Mode::Fix(fixes),
                remote: None,
                new_only: None,
                baseline: None,
                ..req.clone()
            };
            let fixed = engine::run(&ws, &fixing, sink.as_ref(), cx.cancel)?;
            tell_applied(&fixed.applied);
            fixed.report.tool_errors
        }
        None => Vec::new(),
    };
    let mut report = engine::run(&ws, &req, sink.as_ref(), cx.cancel)?.report;
    if !fixing.is_empty() {
        report.tool_errors.extend(fixing);
        report.normalise();
    }
    if report.cache.remote_cache.is_none() {
        report.cache.remote_cache = remote::ignored(&ws, &args.remote);
    }
    (report.automation, report.automation_id) = (ci.automation.clone(), ci.automation_id.clone());
    let fail_on = match args.fail_on {
        Some(FailOn::Level(level)) => Some(level),
        Some(FailOn::Never) => None,
        None => Some(ws.config.fail_on.value),
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            args.output.is_none() && !ci.active() && std::io::stdout().is_terminal() && output::no_color_unset()
        }
    };
    let options = output::report_options(&ci, Paint { on: color }, &ws.root);
    output::write_all(&report, &targets, &options, &ci)?;
    Ok(verdict(&report, fail_on, cx.cancel))
}
