//! `--report markdown`: a summary for people, for a pull-request comment or GitHub's step summary: the
//! totals, a table of findings per linter and level, the tool errors, the rules found most often, and the
//! first findings as a table. No times, so the same inputs give the same bytes.

use std::collections::BTreeMap;
use std::io::Write;

use crate::model::Level;
use crate::model::Report;

/// How many findings the table lists, and how many rules the top-rules table.
pub(crate) const FIRST_FINDINGS: usize = 50;
pub(crate) const TOP_RULES: usize = 10;

/// Text safe in a table cell: no line breaks, no column separators, no HTML.
fn cell(text: &str) -> String {
    // Control characters (a bare CR ends a Markdown line) become visible escapes, so a name keeps
    // every part of it; a message keeps its first line (`message_cell`).
    let escaped = super::escape::text(text);
    let one_line: &str = &escaped;
    let mut out = String::with_capacity(one_line.len());
    for c in one_line.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' => out.push_str("\\`"),
            '*' | '_' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A message in a table cell: its first line.
fn message_cell(text: &str) -> String {
    cell(text.lines().next().unwrap_or(""))
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

pub(crate) fn write_markdown(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let (e, w, n) = (
        report.count(Level::Error),
        report.count(Level::Warning),
        report.count(Level::Note),
    );
    writeln!(out, "## lintmux\n")?;
    let mut totals = format!(
        "**{}**: {}, {}, {} in {} linted",
        plural(report.findings.len(), "finding"),
        plural(e, "error"),
        plural(w, "warning"),
        plural(n, "note"),
        plural(report.files.linted, "file"),
    );
    if !report.tool_errors.is_empty() {
        totals.push_str(&format!(
            " · **{}** (their files were not fully checked)",
            plural(report.tool_errors.len(), "tool error")
        ));
    }
    if report.compared {
        totals.push_str(&format!(
            " · {} hidden (not new)",
            plural(report.hidden.len(), "older finding")
        ));
    }
    writeln!(out, "{totals}\n")?;

    writeln!(
        out,
        "| linter | version | files | errors | warnings | notes | tool errors |"
    )?;
    writeln!(out, "| --- | --- | ---: | ---: | ---: | ---: | ---: |")?;
    for run in &report.linters {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(&run.name),
            cell(run.version.as_deref().unwrap_or("")),
            run.files,
            run.errors,
            run.warnings,
            run.notes,
            run.failed
        )?;
    }
    writeln!(out)?;

    if !report.tool_errors.is_empty() {
        writeln!(out, "### Tool errors\n")?;
        for err in &report.tool_errors {
            writeln!(out, "- **{}**: {}", cell(&err.linter), message_cell(&err.message))?;
        }
        writeln!(out)?;
    }

    if !report.findings.is_empty() {
        let mut rules: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for f in &report.findings {
            *rules.entry((&f.linter, &f.rule)).or_insert(0) += 1;
        }
        let mut rules: Vec<((&str, &str), usize)> = rules.into_iter().collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        writeln!(out, "### Top rules\n")?;
        writeln!(out, "| rule | linter | findings |")?;
        writeln!(out, "| --- | --- | ---: |")?;
        for ((linter, rule), count) in rules.iter().take(TOP_RULES) {
            writeln!(out, "| {} | {} | {count} |", cell(rule), cell(linter))?;
        }
        writeln!(out)?;

        let shown = report.findings.len().min(FIRST_FINDINGS);
        if shown < report.findings.len() {
            writeln!(out, "### Findings (the first {shown} of {})\n", report.findings.len())?;
        } else {
            writeln!(out, "### Findings\n")?;
        }
        writeln!(out, "| level | file | line | linter | rule | message |")?;
        writeln!(out, "| --- | --- | ---: | --- | --- | --- |")?;
        for f in report.findings.iter().take(shown) {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                f.level,
                cell(&f.path),
                f.line,
                cell(&f.linter),
                cell(&f.rule),
                message_cell(&f.message)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_of_the_sample() {
        let mut out = Vec::new();
        write_markdown(&crate::report::sample::report(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("markdown", text);
        });
    }

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(message_cell("a|b\nc"), "a\\|b");
        // A name keeps every part: its line break is shown, not cut.
        assert_eq!(cell("x\n::error::y.py"), "x\\\\n::error::y.py");
        assert_eq!(cell("<script>*x*"), "&lt;script&gt;\\*x\\*");
    }
}
