//! `lintmux fmt`: the engine formats the files with every formatter that fits them, in place
//! ([`Mode::Format`]), or, with `--check`, only says what would change ([`Mode::FormatCheck`]): a unified
//! diff per file on stdout (`lintmux fmt --check | git apply` applies them) and exit 1 if one would.
//! Without PATHs, in a git repository with a base to compare with, only the files changed since the merge
//! base (uncommitted and untracked included), as trunk and qlty do.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::context::Cx;
use super::exit::ExitCode;
use super::output::{Color, no_color_unset};
use super::progress::sink;
use crate::catalog::Kind;
use crate::config::{ToolsMode, Workspace};
use crate::engine::{
    self, Applied, Base, Caching, Changed, Installs, Mode, Request, default_base, merge_base, toplevel,
};
use crate::model::{Finding, ToolError};
use crate::report::{Paint, escape, write_diff};

/// Which files `fmt` formats when no PATH is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FmtFiles {
    /// In a git repository with a base to compare with, those changed since the merge base; else all.
    Changed,
    /// Those changed since the merge base with this reference (`--changed REF`).
    ChangedSince(Base),
    /// Every file (`--all`).
    All,
}

/// Whether `fmt` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FmtAction {
    Write,
    /// `--check`: rewrite nothing, print the diffs.
    Check,
}

/// `lintmux fmt`, as the command line asked.
pub(crate) struct FmtCommand {
    /// Files or directories to format (all their files, changed or not).
    pub(crate) paths: Vec<PathBuf>,
    pub(crate) action: FmtAction,
    pub(crate) files: FmtFiles,
    pub(crate) linters: Option<Vec<String>>,
    pub(crate) jobs: Option<usize>,
    pub(crate) tools: Option<ToolsMode>,
    pub(crate) installs: Installs,
    pub(crate) caching: Caching,
    pub(crate) color: Color,
}

pub(crate) fn run(cx: &Cx, args: &FmtCommand) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&args.paths)?;
    let changed = changed(cx, &ws, args);
    if let Some(names) = &args.linters
        && let Some(d) = names
            .iter()
            .filter_map(|n| ws.catalog.get(n))
            .find(|d| d.kind != Kind::Formatter)
    {
        anyhow::bail!(
            "{} is a linter, not a formatter: `lintmux check --fix -l {}` applies its fixes",
            d.name,
            d.name
        );
    }
    let mut req = Request::new(&ws, cx.cwd);
    req.paths = args.paths.clone();
    req.linters = args.linters.clone();
    req.changed = changed;
    req.jobs = args.jobs.unwrap_or(req.jobs);
    req.tools = args.tools.unwrap_or(req.tools);
    req.installs = args.installs;
    req.caching = args.caching;
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && no_color_unset(),
    };
    let left = match args.action {
        FmtAction::Check => match check(cx, &ws, req, color)? {
            Some(left) => left,
            None => return Ok(ExitCode::Clean),
        },
        FmtAction::Write => write(cx, &ws, req)?,
    };
    tell_rest(&left);
    Ok(if cx.cancel.is_cancelled() {
        ExitCode::Interrupted
    } else if !left.tool_errors.is_empty() {
        ExitCode::Error
    } else if left.changed > 0 || !left.findings.is_empty() {
        ExitCode::Findings
    } else {
        ExitCode::Clean
    })
}

/// What is left after formatting or checking: files that would change (or were not written), what the
/// formatters reported and could not fix, and tool errors.
struct Left {
    findings: Vec<Finding>,
    tool_errors: Vec<ToolError>,
    changed: usize,
}

/// `fmt --check`: one check of every formatter, each judging the files as they are; the diffs on stdout.
/// `None` when no formatter is enabled for these files.
fn check(cx: &Cx, ws: &Workspace, req: Request, color: bool) -> anyhow::Result<Option<Left>> {
    let req = Request {
        mode: Mode::FormatCheck,
        ..req
    };
    let sink = sink();
    let outcome = engine::run(ws, &req, sink.as_ref(), cx.cancel)?;
    let report = outcome.report;
    if report.linters.is_empty() {
        eprintln!("lintmux: no formatter is enabled for these files (see `lintmux linters`)");
        return Ok(None);
    }
    let mut out = std::io::stdout().lock();
    let paint = Paint { on: color };
    for f in report.findings.iter().filter(|f| f.diff.is_some()) {
        write_diff(&mut out, &paint, f.diff.as_deref().unwrap_or(""), None, "")?;
    }
    out.flush()?;
    // The files the formatters printed differently: one diff each.
    let changed = outcome.formatted.len();
    eprintln!(
        "lintmux: {changed} of {} files would be reformatted{}",
        report.files.linted,
        if changed > 0 {
            "; `lintmux fmt` rewrites them"
        } else {
            ""
        }
    );
    Ok(Some(Left {
        findings: report.findings.into_iter().filter(|f| f.diff.is_none()).collect(),
        tool_errors: report.tool_errors,
        changed,
    }))
}

/// `fmt`: the formatters rewrite the files; what was written is said on stderr.
fn write(cx: &Cx, ws: &Workspace, req: Request) -> anyhow::Result<Left> {
    let req = Request {
        mode: Mode::Format,
        ..req
    };
    let sink = sink();
    let outcome = engine::run(ws, &req, sink.as_ref(), cx.cancel)?;
    let applied = outcome.applied;
    tell_applied(&applied);
    eprintln!(
        "lintmux: {} of {} files formatted",
        applied.formatted.len(),
        applied.files
    );
    Ok(Left {
        findings: outcome.report.findings,
        tool_errors: outcome.report.tool_errors,
        changed: applied.not_written.len(),
    })
}

/// The findings and tool errors left, on stderr.
fn tell_rest(left: &Left) {
    for f in &left.findings {
        eprintln!(
            "{}:{}:{}: {} {}: {}",
            escape::text(&f.path),
            f.line,
            f.column,
            escape::text(&f.linter),
            escape::text(&f.rule),
            escape::text(&f.message)
        );
    }
    for e in &left.tool_errors {
        eprintln!(
            "lintmux: {} failed ({:?}): {}",
            escape::text(&e.linter),
            e.kind,
            escape::text(&e.message)
        );
        for line in e.output_tail.lines() {
            eprintln!("    | {}", escape::text(line));
        }
    }
}

/// What `--fix` and `fmt` did, on stderr: files fixed and formatted, and files left alone.
pub(crate) fn tell_applied(applied: &Applied) {
    for (linter, n) in applied.fixed.iter().filter(|(_, n)| *n > 0) {
        eprintln!(
            "lintmux: {} fixed {n} file{}",
            escape::text(linter),
            if *n == 1 { "" } else { "s" }
        );
    }
    for (path, linter) in &applied.formatted {
        eprintln!("lintmux: {} formatted {}", escape::text(linter), escape::text(path));
    }
    for why in &applied.not_written {
        eprintln!("lintmux: not written: {}", escape::text(why));
    }
}

/// The files `fmt` formats: PATHs or `--all` format all their files; `--changed REF` those changed since
/// its merge base; else, in a git repository with a base to compare with, those changed since the merge
/// base (said on stderr), and every file otherwise.
fn changed(cx: &Cx, ws: &Workspace, args: &FmtCommand) -> Changed {
    if !args.paths.is_empty() {
        return Changed::All;
    }
    let default = match &args.files {
        FmtFiles::All => return Changed::All,
        FmtFiles::ChangedSince(base) => return Changed::Since(base.clone()),
        FmtFiles::Changed => toplevel(&ws.root, cx.cancel)
            .and_then(|top| default_base(&top, cx.cancel).map(|b| (top, b)))
            .and_then(|(top, b)| merge_base(&top, &b, cx.cancel).map(|_| b)),
    };
    match default {
        Ok(b) => {
            eprintln!(
                "lintmux: formatting the files changed since the merge base with {} (uncommitted and untracked \
                 included); --all formats every file",
                escape::text(
                    b.strip_prefix("refs/heads/")
                        .or_else(|| b.strip_prefix("refs/remotes/"))
                        .unwrap_or(&b)
                )
            );
            Changed::Since(Base::Default)
        }
        Err(_) => {
            if toplevel(&ws.root, cx.cancel).is_ok() {
                eprintln!(
                    "lintmux: no base to compare with (no upstream, origin/HEAD, main or master): formatting every file"
                );
            }
            Changed::All
        }
    }
}
