//! One function per subcommand: open the workspace, run the stages, hand the result to a reporter, and
//! decide the exit code. The event sinks live here too (progress bars with indicatif only when stderr is a
//! terminal, plain lines otherwise), so the engine itself never draws anything; and each command makes its
//! own cancellation token, which Ctrl-C and SIGTERM set while it runs.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::cli::{CheckArgs, Cmd, ColorArg, DetectArgs, FmtArgs, InitArgs, InstallArgs, LintersArgs, Opts};
use crate::config::ToolsMode;
use crate::engine::check::{self, CheckOptions, Workspace};
use crate::engine::events::{Event, Sink};
use crate::engine::install;
use crate::engine::resolve::resolve_local;
use crate::engine::{CancelToken, InterruptGuard};
use crate::model::Level;
use crate::model::Report;
use crate::report::{self, ConsoleOptions};

/// lintmux's exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum ExitCode {
    /// No finding at or above the fail level.
    Clean = 0,
    /// Findings at or above the fail level.
    Findings = 1,
    /// A tool error or a usage error (findings of the other linters are still reported).
    Error = 2,
    /// Interrupted by Ctrl-C.
    Interrupted = 130,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    // This command's cancellation: Ctrl-C and SIGTERM set it for as long as the command runs.
    let cancel = CancelToken::new();
    let _guard = InterruptGuard::new(&cancel);
    let cx = Cx {
        opts: &opts,
        cwd: &cwd,
        cancel: &cancel,
    };
    let result = command(&cx);
    if cancel.is_cancelled() {
        // Whatever the command was doing when it was interrupted (a partial report is already written).
        if let Err(err) = &result {
            eprintln!("lintmux: {err:#}");
        }
        return Ok(ExitCode::Interrupted);
    }
    result
}

fn command(cx: &Cx) -> anyhow::Result<ExitCode> {
    let (opts, cancel) = (cx.opts, cx.cancel);
    match &opts.command {
        Cmd::Check(args) => cmd_check(cx, args),
        Cmd::Fmt(args) => cmd_fmt(cx, args),
        Cmd::Detect(args) => cmd_detect(cx, args),
        Cmd::Linters(args) => cmd_linters(cx, args),
        Cmd::Install(args) => cmd_install(cx, args),
        Cmd::Config => {
            let ws = cx.open(&[])?;
            let mut out = std::io::stdout().lock();
            crate::config::write_effective(&ws.config, &mut out)?;
            Ok(ExitCode::Clean)
        }
        Cmd::Init(args) => cmd_init(cx, args),
        Cmd::Cache(cmd) => cmd_cache(cmd),
        Cmd::Merge(args) => {
            let merged = crate::report::merge::merge_files(&args.files, args.allow_partial)?;
            crate::commands::output::write_merged(&merged, cx.cwd, args.output.as_deref(), &args.reports)?;
            Ok(ExitCode::Clean)
        }
        Cmd::Hook(crate::cli::HookCmd::Run { remote, .. }) => cmd_hook_run(cx, remote.as_deref()),
        Cmd::Hook(crate::cli::HookCmd::Install { force }) => {
            let message = crate::commands::hook::install(&cx.open(&[])?.root, *force, cancel)?;
            eprintln!("lintmux: {}", report::escape::lines(&message));
            Ok(ExitCode::Clean)
        }
        Cmd::Hook(crate::cli::HookCmd::Uninstall) => {
            let message = crate::commands::hook::uninstall(&cx.open(&[])?.root, cancel)?;
            eprintln!("lintmux: {}", report::escape::lines(&message));
            Ok(ExitCode::Clean)
        }
    }
}

/// What every command has: the options, the current directory, and its cancellation token.
struct Cx<'a> {
    opts: &'a Opts,
    cwd: &'a Path,
    cancel: &'a CancelToken,
}

impl Cx<'_> {
    fn open(&self, paths: &[PathBuf]) -> anyhow::Result<Workspace> {
        Ok(Workspace::open(
            self.cwd,
            self.opts.root.as_deref(),
            paths,
            self.opts.config.as_deref(),
            self.opts.trust.map(crate::cli::TrustArg::trust),
            self.cancel,
        )?)
    }
}

/// `--tools`, else `tools` in lintmux.toml, else the pinned installs.
fn tools_mode(arg: Option<crate::cli::ToolsArg>, ws: &Workspace) -> ToolsMode {
    arg.map_or(ws.config.tools.value, ToolsMode::from)
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// Progress on a terminal: a spinner per install, then one bar over all actions.
struct Bars {
    multi: MultiProgress,
    installs: Mutex<Vec<(String, ProgressBar)>>,
    actions: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            multi: MultiProgress::new(),
            installs: Mutex::new(Vec::new()),
            actions: Mutex::new(None),
        }
    }
}

impl Sink for Bars {
    fn event(&self, event: &Event<'_>) {
        match *event {
            Event::InstallStarted { linter } => {
                let bar = self.multi.add(ProgressBar::new_spinner());
                bar.set_message(format!("installing {}", report::escape::text(linter)));
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                self.installs
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((linter.to_owned(), bar));
            }
            Event::InstallFinished { linter } => {
                let bars = self.installs.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((_, bar)) = bars.iter().find(|(l, _)| l == linter) {
                    bar.finish_and_clear();
                }
            }
            Event::Planned { actions } => {
                let bar = self.multi.add(ProgressBar::new(actions as u64));
                if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} jobs {msg}") {
                    bar.set_style(style);
                }
                *self.actions.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
            }
            Event::ActionFinished { linter, .. } => {
                if let Some(bar) = &*self.actions.lock().unwrap_or_else(|e| e.into_inner()) {
                    bar.set_message(report::escape::text(linter).into_owned());
                    bar.inc(1);
                }
            }
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        if let Some(bar) = &*self.actions.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.finish_and_clear();
        }
    }
}

/// Bars on a terminal, plain lines elsewhere (nothing decorative in CI logs).
fn sink() -> Box<dyn Sink> {
    if std::io::stderr().is_terminal() && !crate::commands::ci::Ci::from_env().active() {
        Box::new(Bars::new())
    } else {
        Box::new(Plain)
    }
}

/// Without a terminal: one plain line per install, since an install can take a while.
struct Plain;
impl Sink for Plain {
    fn event(&self, event: &Event<'_>) {
        if let Event::InstallStarted { linter } = event {
            eprintln!(
                "lintmux: installing {} (once; it is cached)",
                report::escape::text(linter)
            );
        }
    }
}

pub(crate) fn exit_code(report: &Report, fail_on: Option<Level>, cancel: &CancelToken) -> ExitCode {
    if cancel.is_cancelled() {
        return ExitCode::Interrupted;
    }
    if !report.tool_errors.is_empty() {
        return ExitCode::Error;
    }
    match fail_on {
        Some(level) if report.findings.iter().any(|f| f.level >= level) => ExitCode::Findings,
        _ => ExitCode::Clean,
    }
}

fn cmd_check(cx: &Cx, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&args.paths)?;
    let jobs = args
        .jobs
        .or(ws.config.jobs.as_ref().map(|j| j.value))
        .unwrap_or_else(default_jobs);
    let check_opts = CheckOptions {
        install: !args.no_install,
        cache: !args.no_cache,
        changed: crate::cli::optional_ref(&args.changed),
        new_only: crate::cli::optional_ref(&args.new_only),
        baseline: args.baseline.clone(),
        shard: args.shard.map(|(index, count)| crate::model::Shard { index, count }),
        runner: args.runner.map(|r| match r {
            crate::cli::RunnerArg::Local => crate::config::Runner::Local,
            crate::cli::RunnerArg::Container => crate::config::Runner::Container,
        }),
        ..CheckOptions::new(&args.paths, args.linters.as_ref(), jobs, tools_mode(args.tools, &ws))
    };
    let primary = (args.format.is_some() || args.output.is_some()).then(|| report::ReportTarget {
        format: args.format.map_or(report::ReportFormat::Console, Into::into),
        path: args.output.clone(),
    });
    let targets = crate::commands::output::targets(primary, args.sarif.as_deref(), &args.reports)?;
    let ci = crate::commands::ci::Ci::from_env();
    let sink = sink();
    // --fix: fixers and formatters rewrite files first; the check then reports what remains, and what
    // went wrong while fixing.
    let fixing = if args.fix {
        let applied = crate::engine::formatting::apply(
            &ws,
            cx.cwd,
            &check_opts,
            Some(args.unsafe_fixes),
            sink.as_ref(),
            cx.cancel,
        )?;
        tell_applied(&applied);
        Some(applied)
    } else {
        None
    };
    let (mut report, _) = check::check(&ws, cx.cwd, &check_opts, sink.as_ref(), cx.cancel)?;
    if let Some(applied) = fixing {
        report.tool_errors.extend(applied.tool_errors);
    }
    let scope = crate::engine::check::scope_of(&ws.root, cx.cwd, &check_opts, cx.cancel);
    let outside_paths = crate::filter::compare::keep_within(&mut report, &scope.paths);
    report.scope = crate::model::Scope { outside_paths, ..scope };
    (report.automation, report.automation_id) = (ci.automation.clone(), ci.automation_id.clone());
    report.normalise();
    let fail_on = match args.fail_on {
        Some(arg) => arg.level(),
        None => Some(ws.config.fail_on.value),
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            args.output.is_none()
                && !ci.active()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let options = crate::commands::output::report_options(&ci, color, &ws.root);
    crate::commands::output::write_all(&report, &targets, &options, &ci)?;
    Ok(exit_code(&report, fail_on, cx.cancel))
}

/// What `--fix` and `fmt` did, on stderr: files fixed and formatted, and files left alone.
fn tell_applied(applied: &crate::engine::formatting::Applied) {
    use report::escape::text;
    for (linter, n) in applied.fixed.iter().filter(|(_, n)| *n > 0) {
        eprintln!(
            "lintmux: {} fixed {n} file{}",
            text(linter),
            if *n == 1 { "" } else { "s" }
        );
    }
    for (path, linter) in &applied.formatted {
        eprintln!("lintmux: {} formatted {}", text(linter), text(path));
    }
    for why in &applied.not_written {
        eprintln!("lintmux: not written: {}", text(why));
    }
}

/// The files `fmt` formats when no PATH and no --changed/--all says: in a git repository with a base to
/// compare with, those changed since the merge base (as trunk and qlty do); else all.
fn fmt_scope(cx: &Cx, ws: &Workspace, args: &FmtArgs) -> Option<Option<String>> {
    if args.all || !args.paths.is_empty() {
        return None;
    }
    if args.changed.is_some() {
        return crate::cli::optional_ref(&args.changed);
    }
    let base = crate::engine::git::toplevel(&ws.root, cx.cancel)
        .and_then(|top| crate::engine::git::default_base(&top, cx.cancel).map(|b| (top, b)))
        .and_then(|(top, b)| crate::engine::git::merge_base(&top, &b, cx.cancel).map(|_| b));
    match base {
        Ok(b) => {
            eprintln!(
                "lintmux: formatting the files changed since the merge base with {} (uncommitted and untracked \
                 included); --all formats every file",
                report::escape::text(
                    b.strip_prefix("refs/heads/")
                        .or_else(|| b.strip_prefix("refs/remotes/"))
                        .unwrap_or(&b)
                )
            );
            Some(None)
        }
        Err(_) => {
            if crate::engine::git::toplevel(&ws.root, cx.cancel).is_ok() {
                eprintln!(
                    "lintmux: no base to compare with (no upstream, origin/HEAD, main or master): formatting every file"
                );
            }
            None
        }
    }
}

fn cmd_fmt(cx: &Cx, args: &FmtArgs) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&args.paths)?;
    let jobs = args
        .jobs
        .or(ws.config.jobs.as_ref().map(|j| j.value))
        .unwrap_or_else(default_jobs);
    let opts = CheckOptions {
        install: !args.no_install,
        cache: !args.no_cache,
        changed: fmt_scope(cx, &ws, args),
        ..CheckOptions::new(&args.paths, args.linters.as_ref(), jobs, tools_mode(args.tools, &ws))
    };
    if let Some(names) = &args.linters
        && let Some(d) = names
            .iter()
            .filter_map(|n| ws.catalog.get(n))
            .find(|d| d.kind != crate::catalog::Kind::Formatter)
    {
        anyhow::bail!(
            "{} is a linter, not a formatter: `lintmux check --fix -l {}` applies its fixes",
            d.name,
            d.name
        );
    }
    let sink = sink();
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let (findings, tool_errors, changed) = if args.check {
        // One check of every formatter: each judges the files as they are.
        let opts = CheckOptions {
            formatters_only: true,
            ..opts
        };
        let (mut report, _) = check::check(&ws, cx.cwd, &opts, sink.as_ref(), cx.cancel)?;
        if report.linters.is_empty() {
            eprintln!("lintmux: no formatter is enabled for these files (see `lintmux linters`)");
            return Ok(ExitCode::Clean);
        }
        report.normalise();
        let mut out = std::io::stdout().lock();
        let paint = report::Paint { on: color };
        let mut changed = 0;
        for f in report.findings.iter().filter(|f| f.diff.is_some()) {
            changed += 1;
            report::write_diff(&mut out, &paint, f.diff.as_deref().unwrap_or(""), None, "")?;
        }
        out.flush()?;
        eprintln!(
            "lintmux: {changed} of {} files would be reformatted{}",
            report.files.linted,
            if changed > 0 {
                "; `lintmux fmt` rewrites them"
            } else {
                ""
            }
        );
        let rest: Vec<crate::model::Finding> = report.findings.into_iter().filter(|f| f.diff.is_none()).collect();
        (rest, report.tool_errors, changed)
    } else {
        let applied = crate::engine::formatting::apply(&ws, cx.cwd, &opts, None, sink.as_ref(), cx.cancel)?;
        tell_applied(&applied);
        eprintln!(
            "lintmux: {} of {} files formatted",
            applied.formatted.len(),
            applied.files
        );
        let left = applied.not_written.len();
        (applied.findings, applied.tool_errors, left)
    };
    for f in &findings {
        eprintln!(
            "{}:{}:{}: {} {}: {}",
            report::escape::text(&f.path),
            f.line,
            f.column,
            report::escape::text(&f.linter),
            report::escape::text(&f.rule),
            report::escape::text(&f.message)
        );
    }
    for e in &tool_errors {
        eprintln!(
            "lintmux: {} failed ({:?}): {}",
            report::escape::text(&e.linter),
            e.kind,
            report::escape::text(&e.message)
        );
        for line in e.output_tail.lines() {
            eprintln!("    | {}", report::escape::text(line));
        }
    }
    Ok(if cx.cancel.is_cancelled() {
        ExitCode::Interrupted
    } else if !tool_errors.is_empty() {
        ExitCode::Error
    } else if changed > 0 || !findings.is_empty() {
        ExitCode::Findings
    } else {
        ExitCode::Clean
    })
}

/// `lintmux hook run`: the pre-push check of what is pushed (see [`crate::commands::push`]).
fn cmd_hook_run(cx: &Cx, remote: Option<&str>) -> anyhow::Result<ExitCode> {
    let refs = crate::commands::push::read_refs(std::io::stdin().lock())?;
    let console = ConsoleOptions {
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        times: std::env::var_os("LINTMUX_NO_TIMES").is_none(),
        sections: None,
    };
    let sink = sink();
    let hook = crate::commands::push::HookRun {
        cwd: cx.cwd,
        remote: remote.unwrap_or("origin"),
        jobs: default_jobs(),
        console: &console,
        sink: sink.as_ref(),
        cancel: cx.cancel,
        trust: cx.opts.trust.map(crate::cli::TrustArg::trust),
    };
    let mut out = std::io::stdout().lock();
    let code = crate::commands::push::run(&hook, &refs, &mut out)?;
    out.flush()?;
    Ok(code)
}

fn cmd_detect(cx: &Cx, args: &DetectArgs) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&args.paths)?;
    let walked = ws.walk(cx.cwd, &args.paths, default_jobs(), true)?;
    let types = &ws.catalog.types;
    let mut out = std::io::stdout().lock();
    // The linters of a type that will run, and those that are off (by default or by lintmux.toml).
    let on: std::collections::BTreeSet<&str> = ws.select(None, &walked)?.iter().map(|d| d.name.as_str()).collect();
    let linters_of =
        |ty: &str| -> (Vec<&str>, Vec<&str>) { ws.catalog.linters_for(ty).into_iter().partition(|n| on.contains(n)) };
    // Which files each linter that runs only where configured (a formatter) takes, as `check` gives them.
    let governed: std::collections::BTreeMap<&str, std::collections::HashSet<&str>> = ws
        .catalog
        .linters
        .values()
        .filter(|d| on.contains(d.name.as_str()) && !d.configured_by.is_empty())
        .map(|d| {
            let files = ws.files_for(d, &ws.config.linter(&d.name), &walked.targets, false);
            (d.name.as_str(), files.into_iter().collect())
        })
        .collect();
    let takes = |linter: &str, path: &str| governed.get(linter).is_none_or(|files| files.contains(path));
    if args.files {
        for t in &walked.targets {
            // Only files with no extension were read to classify them; read them again to explain.
            let head = types
                .worth_sniffing(&t.path, types.by_name(&t.path))
                .then(|| crate::walk::read_head(&ws.root.join(&t.path)));
            let path = report::escape::line_start(&t.path);
            for (ty, why) in types.explain(&t.path, head.as_deref()) {
                let (mut running, _) = linters_of(&ty);
                running.retain(|n| takes(n, &t.path));
                writeln!(
                    out,
                    "{path}\t{ty}\t{}\t{}",
                    report::escape::text(&why),
                    running.join(",")
                )?;
            }
        }
        for (path, why) in &walked.skipped {
            let why = match why {
                crate::walk::SkipReason::Binary => "skipped: binary",
                crate::walk::SkipReason::TooLarge => "skipped: larger than the size cap",
                crate::walk::SkipReason::NameNotUtf8 => "skipped: the name is not UTF-8",
            };
            writeln!(out, "{}\t-\t{why}\t", report::escape::line_start(path))?;
        }
        return Ok(ExitCode::Clean);
    }
    writeln!(out, "root: {}", ws.root.display())?;
    for (ty, n) in walked.type_counts(types) {
        let (mut running, mut off) = linters_of(ty);
        // A formatter with no configured file of this type is off here, and says why.
        let id = types.id(ty);
        let unconfigured: Vec<&str> = running
            .iter()
            .copied()
            .filter(|l| {
                governed.get(l).is_some_and(|files| {
                    !walked
                        .targets
                        .iter()
                        .any(|t| id.is_some_and(|id| t.types.contains(id)) && files.contains(t.path.as_str()))
                })
            })
            .collect();
        running.retain(|l| !unconfigured.contains(l));
        let unconfigured: Vec<String> = unconfigured.iter().map(|l| format!("{l} (not configured)")).collect();
        off.extend(unconfigured.iter().map(String::as_str));
        let off = if off.is_empty() {
            String::new()
        } else {
            format!("; off: {}", off.join(", "))
        };
        let origin = types.id(ty).map_or("builtin", |id| types.origin(id));
        let declared = if origin == "builtin" {
            String::new()
        } else {
            format!("  (type declared by {origin})")
        };
        writeln!(
            out,
            "{ty:<16} {n:>5} files  linted by {}{off}{declared}",
            running.join(", ")
        )?;
    }
    let binary = walked.skipped_count(crate::walk::SkipReason::Binary);
    let large = walked.skipped_count(crate::walk::SkipReason::TooLarge);
    let names = walked.skipped_count(crate::walk::SkipReason::NameNotUtf8);
    let names = if names > 0 {
        format!(", {names} with a name that is not UTF-8")
    } else {
        String::new()
    };
    writeln!(out, "skipped: {binary} binary, {large} too large{names}")?;
    Ok(ExitCode::Clean)
}

fn cmd_linters(cx: &Cx, args: &LintersArgs) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&[])?;
    let mode = tools_mode(args.tools, &ws);
    let engine = crate::engine::detect_engine(cx.cancel);
    let mut out = std::io::stdout().lock();
    match &engine {
        Ok(e) => writeln!(out, "container engine: {} ({})\n", e.name(), e.program.display())?,
        Err(why) => writeln!(out, "container engine: none ({why})\n")?,
    }
    for def in ws.catalog.linters.values() {
        let settings = ws.config.linter(&def.name);
        let (name, types) = (report::escape::line_start(&def.name), def.file_types.join(", "));
        let off = if !def.default_enabled {
            "  off by default".to_owned()
        } else if !def.configured_by.is_empty() {
            format!("  where configured ({})", def.configured_by.join(", "))
        } else {
            String::new()
        };
        let off = match def.kind {
            crate::catalog::Kind::Formatter => format!("  formatter{off}"),
            crate::catalog::Kind::Linter if def.fix.is_some() => format!("{off}  fixes with --fix"),
            crate::catalog::Kind::Linter => off,
        };
        let off = report::escape::text(&off);
        writeln!(out, "{name}  ({}){off}", report::escape::text(&types))?;
        let (pin, source) = (
            report::escape::text(&def.version.pin),
            report::escape::text(&def.source),
        );
        writeln!(out, "    pinned:  {pin}  [{source}]")?;
        if def.refused {
            writeln!(
                out,
                "    refused: a repository definition, not run with trust {}",
                ws.config.trust.value.as_str()
            )?;
            continue;
        }
        let project = ws.config.trust.value == crate::model::Trust::All;
        match resolve_local(def, def.binary(), &ws.root, &ws.cache, mode, project) {
            Ok(resolved) => {
                let version = crate::engine::prepare::read_version(def, &resolved, &ws.root, &ws.cache, cx.cancel)
                    .unwrap_or_else(|| "unknown".into());
                let version = report::escape::text(&version);
                let warn = if version == def.version.pin {
                    String::new()
                } else {
                    format!("  (differs from the pin {pin})")
                };
                writeln!(
                    out,
                    "    binary:  {} ({}), version {version}{warn}",
                    report::escape::text(&resolved.program.to_string_lossy()),
                    resolved.source.as_str()
                )?;
            }
            Err(why) => writeln!(out, "    binary:  none: {}", report::escape::text(&why))?,
        }
        if let Some(image) = ws.image_for(def) {
            let state = match &engine {
                Ok(e) if crate::engine::present(e, &image, cx.cancel) => "present locally",
                Ok(_) => "not present locally; pulled on first use",
                Err(_) => "no engine to run it",
            };
            let runner = match (&engine, settings.runner.value.as_str()) {
                (Ok(e), "container") => format!("container, in {}", e.name()),
                (_, runner) => runner.to_owned(),
            };
            writeln!(
                out,
                "    image:   {} ({state}); runner {runner}",
                report::escape::text(&image)
            )?;
        }
        writeln!(out, "    about:   {}", report::escape::text(&def.description))?;
        if let Some(why) = def.install.as_ref().map(|i| i.why.as_str()).filter(|w| !w.is_empty()) {
            writeln!(out, "    pin:     {}", report::escape::text(why))?;
        }
    }
    Ok(ExitCode::Clean)
}

fn cmd_install(cx: &Cx, args: &InstallArgs) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&[])?;
    let defs: Vec<&crate::catalog::LinterDef> = if args.all {
        ws.catalog.linters.values().collect()
    } else if args.linters.is_empty() {
        let walked = ws.walk(cx.cwd, &[], default_jobs(), true)?;
        ws.select(None, &walked)?
    } else {
        ws.select(Some(&args.linters), &crate::walk::Walked::default())?
    };
    let sink = sink();
    let results = crate::engine::run_pool(
        &defs,
        defs.len().max(1),
        |def| {
            let installed = install::ToolInstall::for_def(&ws.cache, def).is_some_and(|i| i.is_installed());
            if !installed {
                sink.event(&Event::InstallStarted { linter: &def.name });
            }
            let result = install::ensure_installed(&ws.cache, def, cx.cancel);
            sink.event(&Event::InstallFinished { linter: &def.name });
            result
        },
        |_, _| {},
    );
    let mut failed = false;
    for (def, result) in defs.iter().zip(results) {
        match result {
            Ok(install::Installed::Now) => eprintln!("lintmux: installed {} {}", def.name, def.version.pin),
            Ok(install::Installed::AlreadyThere) => {
                eprintln!("lintmux: {} {} already installed", def.name, def.version.pin)
            }
            Err(e) => {
                failed = true;
                eprintln!("lintmux: {}", report::escape::lines(&e.to_string()));
            }
        }
    }
    Ok(if cx.cancel.is_cancelled() {
        ExitCode::Interrupted
    } else if failed {
        ExitCode::Error
    } else {
        ExitCode::Clean
    })
}

fn cmd_init(cx: &Cx, args: &InitArgs) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&[])?;
    let path = ws.root.join("lintmux.toml");
    if let Some(existing) = crate::config::find(&ws.root).filter(|_| !args.force) {
        anyhow::bail!(
            "{} already exists; edit it, or run `lintmux init --force` to replace it",
            existing.display()
        );
    }
    let walked = ws.walk(cx.cwd, &[], default_jobs(), true)?;
    let text = crate::commands::init::template(&ws, &walked);
    std::fs::write(&path, text).with_context(|| format!("failed to write {}", path.display()))?;
    eprintln!("lintmux: wrote {}", path.display());
    Ok(ExitCode::Clean)
}

fn cmd_cache(cmd: &crate::cli::CacheCmd) -> anyhow::Result<ExitCode> {
    let dir = install::cache_dir();
    let parts = [
        "results", "hashes", "scratch", "versions", "costs", "extends", "pushes", "tools",
    ];
    let part_dir = |part: &str| {
        if part == "tools" {
            install::tools_dir(&dir)
        } else {
            dir.join(part)
        }
    };
    match cmd {
        crate::cli::CacheCmd::Status => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "cache: {}", dir.display())?;
            for part in parts {
                let u = crate::engine::cache::usage(&part_dir(part));
                writeln!(
                    out,
                    "{part:<9} {:>7} files {:>10.1} MiB",
                    u.entries,
                    u.bytes as f64 / 1048576.0
                )?;
            }
        }
        crate::cli::CacheCmd::Clean { all } => {
            for part in parts.iter().filter(|p| *all || **p != "tools") {
                let path = part_dir(part);
                if path.exists() {
                    std::fs::remove_dir_all(&path).with_context(|| format!("failed to remove {}", path.display()))?;
                }
            }
            eprintln!(
                "lintmux: cleaned {}{}",
                dir.display(),
                if *all {
                    ""
                } else {
                    " (installed tools kept; --all removes them too)"
                }
            );
        }
    }
    Ok(ExitCode::Clean)
}
