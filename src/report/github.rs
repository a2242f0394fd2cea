//! `--report github`: GitHub Actions workflow commands (`::error file=…,line=…::message`), which GitHub
//! turns into annotations on the pull request without code scanning. Every value is escaped as GitHub's
//! runner unescapes it (`%`, CR and LF in the message; also `:` and `,` in properties), so no file name or
//! message can end a command early or start another one.

use std::io::Write;

use crate::model::Report;
use crate::model::{Finding, Level};

/// The workflow command of a level.
pub(crate) fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

/// Escapes a command's message (its data).
pub(crate) fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes a property value (`file=`, `title=`…).
pub(crate) fn escape_property(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            _ => out.push(c),
        }
    }
    out
}

/// One finding as one workflow command line (with its newline).
pub(crate) fn finding_command(f: &Finding) -> String {
    let mut props = vec![
        format!("file={}", escape_property(&f.path)),
        format!("line={}", f.line),
        format!("col={}", f.column),
    ];
    if let Some(end_line) = f.end_line.filter(|&e| e >= f.line) {
        props.push(format!("endLine={end_line}"));
        // GitHub reads a column range only on one line.
        if let Some(end_column) = f.end_column.filter(|&c| end_line == f.line && c > f.column) {
            props.push(format!("endColumn={end_column}"));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("{} {}", f.linter, f.rule))
    ));
    format!(
        "::{} {}::{}\n",
        command(f.level),
        props.join(","),
        escape_data(&f.message)
    )
}

/// The command for a tool error (no file: GitHub shows it on the run).
pub(crate) fn tool_error_command(e: &crate::model::ToolError) -> String {
    let mut text = e.message.clone();
    if !e.output_tail.is_empty() {
        text.push('\n');
        text.push_str(&e.output_tail);
    }
    format!(
        "::error title={}::{}\n",
        escape_property(&format!("lintmux: {} failed", e.linter)),
        escape_data(&text)
    )
}

/// Every finding and tool error, one command each.
pub(crate) fn write_github(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for e in &report.tool_errors {
        out.write_all(tool_error_command(e).as_bytes())?;
    }
    for f in &report.findings {
        out.write_all(finding_command(f).as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_of_the_sample() {
        let report = crate::report::sample::report();
        let mut out = Vec::new();
        write_github(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        // One command a line: no message can end one early or start another.
        assert_eq!(
            text.lines().count(),
            report.tool_errors.len() + report.findings.len(),
            "{text}"
        );
        assert!(
            text.lines()
                .all(|l| l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice "))
        );
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("github", text);
        });
    }

    fn finding(path: &str, message: &str) -> Finding {
        Finding {
            linter: "ruff".into(),
            rule: "E1".into(),
            level: Level::Warning,
            message: message.into(),
            path: path.into(),
            line: 3,
            column: 2,
            end_line: Some(3),
            end_column: Some(9),
            help_uri: None,
            fix: None,
            diff: None,
            doubt: None,
            value_path: None,
        }
    }

    #[test]
    fn a_plain_finding() {
        assert_eq!(
            finding_command(&finding("app/x.py", "unused import")),
            "::warning file=app/x.py,line=3,col=2,endLine=3,endColumn=9,title=ruff E1::unused import\n"
        );
    }

    #[test]
    fn hostile_names_and_messages_stay_in_one_command() {
        let line = finding_command(&finding("a,b:c%\n::error::x.py", "50% done\r\n::error file=y::z"));
        assert_eq!(line.matches('\n').count(), 1, "{line}");
        assert!(line.ends_with('\n'));
        assert_eq!(
            line,
            "::warning file=a%2Cb%3Ac%25%0A%3A%3Aerror%3A%3Ax.py,line=3,col=2,endLine=3,endColumn=9,\
             title=ruff E1::50%25 done%0D%0A::error file=y::z\n"
        );
    }
}
