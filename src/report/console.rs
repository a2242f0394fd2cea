//! The report for people: findings grouped by file and sorted by line, each with its level, message,
//! linter, rule id and help link; then one line per linter (files, findings by level, wall time, or the
//! error that stopped it, with the tail of its output); then a summary. Colour only when asked (the caller
//! decides from the TTY and `NO_COLOR`). Everything that came from outside lintmux is printed through
//! [`escape`], so no control character reaches the terminal or a CI log.

use std::io::Write;

use super::escape;
use crate::model::Level;
use crate::model::{LinterRun, Report};

#[derive(Clone)]
pub(crate) struct ConsoleOptions {
    pub(crate) color: bool,
    /// Print wall times (off in tests that compare output exactly).
    pub(crate) times: bool,
    /// Collapsible sections around each linter's details, in a CI log that has them.
    pub(crate) sections: Option<Sections>,
}

/// A CI log's collapsible sections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Sections {
    /// GitHub Actions `::group::`/`::endgroup::`. Everything else the report prints is between
    /// `::stop-commands::<token>` and `::<token>::`, so a file name or message cannot be read as a
    /// workflow command; `token` must be unguessable by the linted repository.
    GitHub { token: String },
    /// GitLab `section_start`/`section_end` lines, stamped with `time` (seconds since the epoch).
    GitLab { time: u64 },
}

impl Sections {
    fn begin_report(&self, out: &mut dyn Write) -> std::io::Result<()> {
        match self {
            Sections::GitHub { token } => writeln!(out, "::stop-commands::{token}"),
            Sections::GitLab { .. } => Ok(()),
        }
    }
    fn end_report(&self, out: &mut dyn Write) -> std::io::Result<()> {
        match self {
            Sections::GitHub { token } => writeln!(out, "::{token}::"),
            Sections::GitLab { .. } => Ok(()),
        }
    }
    fn open(&self, out: &mut dyn Write, linter: &str, header: &str, collapsed: bool) -> std::io::Result<()> {
        match self {
            Sections::GitHub { token } => {
                let title = super::github::escape_data(header);
                writeln!(out, "::{token}::\n::group::{title}\n::stop-commands::{token}")
            }
            Sections::GitLab { time } => writeln!(
                out,
                "\x1b[0Ksection_start:{time}:{}[collapsed={collapsed}]\r\x1b[0K{header}",
                section_name(linter)
            ),
        }
    }
    fn close(&self, out: &mut dyn Write, linter: &str) -> std::io::Result<()> {
        match self {
            Sections::GitHub { token } => writeln!(out, "::{token}::\n::endgroup::\n::stop-commands::{token}"),
            Sections::GitLab { time } => {
                writeln!(out, "\x1b[0Ksection_end:{time}:{}\r\x1b[0K", section_name(linter))
            }
        }
    }
}

/// A GitLab section name: letters, digits, `_`, `.` and `-` only.
fn section_name(linter: &str) -> String {
    let safe: String = linter
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("lintmux_{safe}")
}

pub(crate) struct Paint {
    pub(crate) on: bool,
}

impl Paint {
    pub(crate) fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn level(&self, level: Level) -> String {
        let code = match level {
            Level::Error => "31;1",
            Level::Warning => "33;1",
            Level::Note => "36",
        };
        self.wrap(code, &format!("{:<7}", level.as_str()))
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn counts(errors: usize, warnings: usize, notes: usize) -> String {
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if notes > 0 {
        parts.push(plural(notes, "note"));
    }
    if parts.is_empty() {
        "no findings".to_owned()
    } else {
        parts.join(", ")
    }
}

/// At most this many lines of a formatter's diff under its finding (`lintmux fmt --check` prints all).
const DIFF_LINES: usize = 40;

/// A unified diff (indented under its finding in the console report), coloured by line kind, every line escaped.
pub(crate) fn write_diff(
    out: &mut dyn Write,
    paint: &Paint,
    diff: &str,
    limit: Option<usize>,
    indent: &str,
) -> std::io::Result<()> {
    let total = diff.lines().count();
    for line in diff.lines().take(limit.unwrap_or(usize::MAX)) {
        let style = if line.starts_with("+++") || line.starts_with("---") {
            "1"
        } else if line.starts_with('+') {
            "32"
        } else if line.starts_with('-') {
            "31"
        } else if line.starts_with("@@") {
            "36"
        } else {
            ""
        };
        let text = escape::diff_line(line);
        let shown = if style.is_empty() {
            text.into_owned()
        } else {
            paint.wrap(style, &text)
        };
        writeln!(out, "{indent}{shown}")?;
    }
    if let Some(limit) = limit.filter(|&l| total > l) {
        writeln!(
            out,
            "{indent}… {} more lines (`lintmux fmt --check` prints the whole diff)",
            total - limit
        )?;
    }
    Ok(())
}

pub(crate) fn write_console(report: &Report, opts: &ConsoleOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let paint = Paint { on: opts.color };
    if let Some(sections) = &opts.sections {
        sections.begin_report(out)?;
    }
    write_findings(report, &paint, out)?;
    write_linters(report, opts, &paint, out)?;
    if let Some(remote) = &report.cache.remote_cache {
        writeln!(out, "{}", escape::text(&remote.line()))?;
    }
    writeln!(out, "{}", summary(report, opts))?;
    if let Some(sections) = &opts.sections {
        sections.end_report(out)?;
    }
    Ok(())
}

/// The findings, by file: each with its place, level, message and rule, why it cannot be true when it
/// cannot, and a formatter's diff.
fn write_findings(report: &Report, paint: &Paint, out: &mut dyn Write) -> std::io::Result<()> {
    let mut current: Option<&str> = None;
    for f in &report.findings {
        if current != Some(f.path.as_str()) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", paint.wrap("1;4", &escape::line_start(&f.path)))?;
            current = Some(&f.path);
        }
        let pos = format!("{}:{}", f.line, f.column);
        let message = escape::text(f.message.lines().next().unwrap_or(""));
        let rule = paint.wrap("2", &escape::text(&format!("{} {}", f.linter, f.rule)));
        write!(out, "  {pos:>7}  {}  {message}  {rule}", paint.level(f.level))?;
        if let Some(url) = &f.help_uri {
            write!(out, " {}", paint.wrap("2", &escape::text(url)))?;
        }
        writeln!(out)?;
        if let Some(doubt) = &f.doubt {
            writeln!(
                out,
                "  {:>7}  {} {}",
                "",
                paint.wrap("31;1", "cannot be true:"),
                escape::text(doubt)
            )?;
        }
        if let Some(diff) = &f.diff {
            write_diff(out, paint, diff, Some(DIFF_LINES), &" ".repeat(11))?;
        }
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
    }

    Ok(())
}

/// Each linter's line (version, engine, status, files, counts, time), with its note, its errors and
/// their output, and where its definition and binary came from when that is not lintmux's own; then the
/// errors of linters that never ran.
fn write_linters(report: &Report, opts: &ConsoleOptions, paint: &Paint, out: &mut dyn Write) -> std::io::Result<()> {
    let label = |run: &LinterRun| {
        let name = match &run.version {
            Some(v) => format!("{} {v}", run.name),
            None => run.name.clone(),
        };
        let name = match &run.engine {
            Some(engine) => format!("{name} (in {engine})"),
            None => name,
        };
        escape::text(&name).into_owned()
    };
    let width = report.linters.iter().map(|l| label(l).len()).max().unwrap_or(0);
    for run in &report.linters {
        let name = label(run);
        let time = if opts.times {
            format!("  {:.2}s", run.wall.as_secs_f64())
        } else {
            String::new()
        };
        let status = if run.failed > 0 {
            paint.wrap("31;1", "failed")
        } else {
            paint.wrap("32", "ok")
        };
        let line = format!(
            "{name:<w$}  {status}  {}, {}{time}",
            plural(run.files, "file"),
            counts(run.errors, run.warnings, run.notes),
            w = width
        );
        let errors: Vec<_> = report.tool_errors.iter().filter(|e| e.linter == run.name).collect();
        let section = opts
            .sections
            .as_ref()
            .filter(|_| run.note.is_some() || !errors.is_empty());
        match section {
            Some(s) => s.open(out, &run.name, &line, errors.is_empty())?,
            None => writeln!(out, "{line}")?,
        }
        if let Some(note) = &run.note {
            writeln!(out, "    note: {}", escape::text(note))?;
        }
        for err in errors {
            writeln!(
                out,
                "    {}: {}",
                paint.wrap("31;1", "error"),
                escape::text(&err.message)
            )?;
            for line in err.output_tail.lines() {
                writeln!(out, "    | {}", escape::text(line))?;
            }
        }
        // Anything but lintmux's own definition and pinned tool is named: the repository chose it.
        if !run.origin.is_default() {
            writeln!(out, "    from: {}", escape::text(&run.origin.describe()))?;
        }
        if let Some(s) = section {
            s.close(out, &run.name)?;
        }
    }
    for err in report
        .tool_errors
        .iter()
        .filter(|e| !report.linters.iter().any(|l| l.name == e.linter))
    {
        writeln!(
            out,
            "{}: {}: {}",
            paint.wrap("31;1", "error"),
            escape::text(&err.linter),
            escape::text(&err.message)
        )?;
    }

    Ok(())
}

/// The last line: how many findings of each level in how many files, tool errors, files skipped,
/// findings left out or hidden, a trust below `all`, and the time.
fn summary(report: &Report, opts: &ConsoleOptions) -> String {
    let mut summary = format!(
        "{} ({}) in {}",
        plural(report.findings.len(), "finding"),
        counts(
            report.count(Level::Error),
            report.count(Level::Warning),
            report.count(Level::Note)
        ),
        plural(report.files.linted, "file")
    );
    if !report.tool_errors.is_empty() {
        summary.push_str(&format!(", {}", plural(report.tool_errors.len(), "tool error")));
    }
    if report.files.skipped_binary > 0 {
        summary.push_str(&format!(
            ", {} skipped",
            plural(report.files.skipped_binary, "binary file")
        ));
    }
    if report.files.skipped_bad_name > 0 {
        summary.push_str(&format!(
            ", {} skipped (lintmux handles names as text)",
            plural(report.files.skipped_bad_name, "file whose name is not UTF-8")
        ));
    }
    if report.files.skipped_too_large > 0 {
        summary.push_str(&format!(
            ", {} skipped",
            plural(report.files.skipped_too_large, "too-large file")
        ));
    }
    if report.scope.outside_paths > 0 {
        summary.push_str(&format!(
            ", {} outside the given paths left out",
            plural(report.scope.outside_paths, "finding")
        ));
    }
    if report.compared {
        summary.push_str(&format!(
            ", {} hidden (not new)",
            plural(report.hidden.len(), "older finding")
        ));
    }
    if report.trust.0 != "all" && !report.trust.0.is_empty() {
        summary.push_str(&format!(
            ", trust {} (from {})",
            escape::text(&report.trust.0),
            escape::text(&report.trust.1)
        ));
    }
    // How the run went, with its time: what the caches answered changes from run to run.
    if opts.times {
        summary.push_str(&format!(
            " ({:.2}s; {})",
            report.wall.as_secs_f64(),
            report.cache.counts()
        ));
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(color: bool) -> String {
        let opts = ConsoleOptions {
            color,
            times: false,
            sections: None,
        };
        let mut out = Vec::new();
        write_console(&crate::report::sample::report(), &opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Whether `text` holds a control character other than a line break (one a terminal would act on).
    fn has_control(text: &str) -> bool {
        text.chars().any(|c| c.is_control() && c != '\n')
    }

    #[test]
    fn snapshot_of_the_sample() {
        let text = render(false);
        assert!(!has_control(&text), "{text}");
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("console", text);
        });
    }

    #[test]
    fn snapshot_of_the_sample_in_colour() {
        let text = render(true);
        // The ESC that starts each colour code is shown as `␛` in the snapshot; the report writes no other
        // control character (a message's own ESC is written as `\x1b`).
        assert!(!text.contains('\u{241b}'));
        let shown = text.replace('\x1b', "\u{241b}");
        assert!(!has_control(&shown), "{shown}");
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("console_color", shown);
        });
    }
}
