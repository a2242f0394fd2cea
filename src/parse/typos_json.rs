//! typos `--format json`: one JSON object per line. `{"type": "typo", path, line_num, byte_offset, typo,
//! corrections}` is a finding (`byte_offset` is 0-based within the line; lintmux's column is that byte
//! plus one). Other message types (`binary_file`, `error`) are not findings: an `error` line makes the
//! output a failure, the rest are ignored.

use serde::Deserialize;
use serde_json::Value;

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

#[derive(Deserialize)]
struct Typo {
    path: String,
    line_num: u32,
    byte_offset: u32,
    typo: String,
    #[serde(default)]
    corrections: Vec<String>,
}

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let mut findings = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let value: Value =
            serde_json::from_str(line).map_err(|e| ParseError(format!("expected one JSON object per line: {e}")))?;
        match value.get("type").and_then(Value::as_str) {
            Some("typo") => {}
            Some("error") => {
                let msg = value.get("msg").and_then(Value::as_str).unwrap_or("(no message)");
                return Err(ParseError(format!("typos reported an error: {msg}")));
            }
            _ => continue,
        }
        let t: Typo = serde_json::from_value(value).map_err(|e| ParseError(format!("unexpected typo entry: {e}")))?;
        let message = match t.corrections.as_slice() {
            [] => format!("`{}` is a known misspelling", t.typo),
            [one] => format!("`{}` should be `{one}`", t.typo),
            many => format!(
                "`{}` should be one of {}",
                t.typo,
                many.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        let mut f = ctx.finding(
            "typo",
            Level::Warning,
            &message,
            at(&t.path, t.line_num, t.byte_offset + 1),
        );
        f.end_line = Some(f.line);
        f.end_column = Some(f.column + u32::try_from(t.typo.len()).unwrap_or(0));
        findings.push(f);
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    const V: &str = "1.52.0";

    #[test]
    fn findings() {
        let out = recorded("typos", V, "findings");
        assert_eq!(out.status, 2);
        let findings = parse(&out.stdout, &ctx("typos")).unwrap();
        assert_eq!(findings.len(), 4);
        let first = &findings[0];
        assert_eq!(
            (first.path.as_str(), first.line, first.column, first.message.as_str()),
            ("docs/notes.md", 3, 25, "`seperately` should be `separately`")
        );
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn clean() {
        let out = recorded("typos", V, "clean");
        assert_eq!(parse(&out.stdout, &ctx("typos")).unwrap(), vec![]);
    }

    #[test]
    fn failures_say_so_on_stderr_with_their_own_exit_codes() {
        // Only the exit code (78: bad config, 64: missing file) tells; stdout is empty.
        for (case, code) in [("bad_config", 78), ("missing_file", 64)] {
            let out = recorded("typos", V, case);
            assert_eq!(out.status, code, "{case}");
            assert!(out.stdout.trim().is_empty() && !out.stderr.trim().is_empty(), "{case}");
        }
    }

    #[test]
    fn error_lines_fail() {
        let text = "{\"type\":\"error\",\"msg\":\"cannot read file\",\"context\":null}\n";
        assert!(parse(text, &ctx("typos")).unwrap_err().0.contains("cannot read file"));
    }
}
