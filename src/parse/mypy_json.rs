//! mypy `-O json`: one JSON object per line with 0-based `column` (and `-1` for "no position"). Lines that
//! are not JSON (notes about the config file, older mypy) fall back to mypy's text format
//! `file:line[:col]: severity: message  [code]`.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

#[derive(Deserialize)]
struct Entry {
    file: String,
    line: i64,
    column: i64,
    end_line: Option<i64>,
    end_column: Option<i64>,
    message: String,
    hint: Option<String>,
    code: Option<String>,
    severity: String,
}

static TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<file>[^:\n]+?):(?:(?P<line>\d+):)?(?:(?P<col>\d+):)? (?P<sev>error|warning|note): (?P<msg>.*?)(?:  \[(?P<code>[\w-]+)\])?$")
        .expect("valid regex")
});

fn pos(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let mut findings = Vec::new();
    for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        if line.starts_with('{') {
            let e: Entry =
                serde_json::from_str(line).map_err(|err| ParseError(format!("bad JSON line `{line}`: {err}")))?;
            let level = Level::parse(&e.severity).unwrap_or(Level::Error);
            let rule = e.code.clone().unwrap_or_else(|| "misc".to_owned());
            let message = match &e.hint {
                Some(hint) if !hint.is_empty() => format!("{}\n{hint}", e.message),
                _ => e.message.clone(),
            };
            // mypy writes line -1 for an error about a whole file (a duplicate module): its first line.
            let line = if e.line == -1 { 1 } else { pos(e.line) };
            let mut f = ctx.finding(&rule, level, &message, at(&e.file, line, pos(e.column + 1)));
            if let (Some(el), Some(ec)) = (e.end_line, e.end_column)
                && el >= e.line
                && el > 0
            {
                f.end_line = Some(pos(el));
                f.end_column = Some(pos(ec + 1).max(1));
            }
            f.help_uri = e.code.as_deref().and_then(|c| ctx.help_uri(&format!("#code-{c}")));
            findings.push(f);
        } else if let Some(c) = TEXT.captures(line) {
            let level = Level::parse(&c["sev"]).unwrap_or(Level::Error);
            let rule = c.name("code").map_or("misc", |m| m.as_str());
            let line_no = c.name("line").map_or(1, |m| m.as_str().parse().unwrap_or(1));
            let col = c.name("col").map_or(1, |m| m.as_str().parse().unwrap_or(1));
            findings.push(ctx.finding(rule, level, &c["msg"], at(&c["file"], line_no, col)));
        } else {
            return Err(ParseError(format!("unexpected line `{line}`")));
        }
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    fn mypy_ctx() -> Ctx {
        let mut c = ctx("mypy");
        c.rule_url = Some("https://mypy.readthedocs.io/en/stable/error_code_list.html".into());
        c
    }

    #[test]
    fn findings_have_one_based_columns() {
        let out = recorded("mypy", "2.4.1", "findings");
        let findings = parse(&out.stdout, &mypy_ctx()).unwrap();
        let op = findings.iter().find(|f| f.rule == "operator").unwrap();
        assert_eq!(
            (op.path.as_str(), op.line, op.column, op.end_column),
            ("src/app.py", 7, 36, Some(44))
        );
        assert_eq!(
            op.help_uri.as_deref(),
            Some("https://mypy.readthedocs.io/en/stable/error_code_list.html#code-operator")
        );
        assert!(findings.iter().any(|f| f.level == Level::Note));
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn non_json_lines_fall_back_to_text() {
        let out = recorded("mypy", "2.4.1", "non_json_line");
        let findings = parse(&out.stdout, &mypy_ctx()).unwrap();
        assert_eq!(findings.len(), 2);
        assert_eq!(
            (findings[1].path.as_str(), findings[1].level),
            ("mypy.ini", Level::Note)
        );
        let text = "app.py:3:5: error: Name \"x\" is not defined  [name-defined]";
        let f = &parse(text, &mypy_ctx()).unwrap()[0];
        assert_eq!((f.rule.as_str(), f.line, f.column), ("name-defined", 3, 5));
    }

    #[test]
    fn clean_syntax_error_and_positionless() {
        assert!(
            parse(&recorded("mypy", "2.4.1", "clean").stdout, &mypy_ctx())
                .unwrap()
                .is_empty()
        );
        let syntax = parse(&recorded("mypy", "2.4.1", "syntax_error").stdout, &mypy_ctx()).unwrap();
        assert_eq!(syntax[0].rule, "syntax");
        let dup = parse(&recorded("mypy", "2.4.1", "dup_module").stdout, &mypy_ctx()).unwrap();
        assert_eq!((dup[0].line, dup[0].column, dup[0].end_line), (1, 1, None));
    }

    #[test]
    fn crash_prints_nothing_on_stdout() {
        let out = recorded("mypy", "2.4.1", "crash");
        assert_eq!(out.status, 2);
        assert!(parse(&out.stdout, &mypy_ctx()).unwrap().is_empty());
        assert!(parse("Traceback (most recent call last):", &mypy_ctx()).is_err());
    }
}
