//! The report for people: findings grouped by file and sorted by line, each with its level, message,
//! linter, rule id and help link; then one line per linter (files, findings by level, wall time, or the
//! error that stopped it, with the tail of its output); then a summary. Colour only when asked (the caller
//! decides from the TTY and `NO_COLOR`).

use std::io::Write;

use super::Report;
use crate::finding::Level;

pub struct ConsoleOptions {
    pub color: bool,
    /// Print wall times (off in tests that compare output exactly).
    pub times: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
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

pub fn write_console(report: &Report, opts: &ConsoleOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let paint = Paint { on: opts.color };
    let mut current: Option<&str> = None;
    for f in &report.findings {
        if current != Some(f.path.as_str()) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", paint.wrap("1;4", &f.path))?;
            current = Some(&f.path);
        }
        let pos = format!("{}:{}", f.line, f.column);
        let message = f.message.lines().next().unwrap_or("");
        let rule = paint.wrap("2", &format!("{} {}", f.linter, f.rule));
        write!(out, "  {pos:>7}  {}  {message}  {rule}", paint.level(f.level))?;
        if let Some(url) = &f.help_uri {
            write!(out, " {}", paint.wrap("2", url))?;
        }
        writeln!(out)?;
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
    }

    let label = |run: &super::LinterRun| {
        let name = match &run.version {
            Some(v) => format!("{} {v}", run.name),
            None => run.name.clone(),
        };
        match &run.engine {
            Some(engine) => format!("{name} (in {engine})"),
            None => name,
        }
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
        writeln!(
            out,
            "{name:<w$}  {status}  {}, {}{time}",
            plural(run.files, "file"),
            counts(run.errors, run.warnings, run.notes),
            w = width
        )?;
        if let Some(note) = &run.note {
            writeln!(out, "    note: {note}")?;
        }
        for err in report.tool_errors.iter().filter(|e| e.linter == run.name) {
            writeln!(out, "    {}: {}", paint.wrap("31;1", "error"), err.message)?;
            for line in err.output_tail.lines() {
                writeln!(out, "    | {line}")?;
            }
        }
    }
    for err in report
        .tool_errors
        .iter()
        .filter(|e| !report.linters.iter().any(|l| l.name == e.linter))
    {
        writeln!(out, "{}: {}: {}", paint.wrap("31;1", "error"), err.linter, err.message)?;
    }

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
    if report.files.skipped_too_large > 0 {
        summary.push_str(&format!(
            ", {} skipped",
            plural(report.files.skipped_too_large, "too-large file")
        ));
    }
    if report.compared {
        summary.push_str(&format!(
            ", {} hidden (not new)",
            plural(report.hidden.len(), "older finding")
        ));
    }
    if opts.times {
        summary.push_str(&format!(" ({:.2}s)", report.wall.as_secs_f64()));
    }
    writeln!(out, "{summary}")
}
