//! ESLint `--format json`: an array of files with absolute `filePath` and `messages` (severity 1 = warning,
//! 2 = error). A message with `fatal: true` is a parse error of the file, reported as rule `syntax-error`;
//! "File ignored …" warnings (no rule, not fatal) are dropped: lintmux chose the files, ESLint's ignore
//! settings simply said no.

use serde::Deserialize;

use super::Ctx;
use super::ParseError;
use crate::model::{Edit, Finding, Fix, Level, Range, at};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileResult {
    file_path: String,
    messages: Vec<Message>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    rule_id: Option<String>,
    #[serde(default)]
    fatal: bool,
    severity: u8,
    message: String,
    line: Option<u32>,
    column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    fix: Option<EslintFix>,
}

#[derive(Deserialize)]
struct EslintFix {
    range: (u64, u64),
    text: String,
}

/// Where ESLint's own rules and typescript-eslint's are documented.
fn rule_docs(rule: &str) -> Option<String> {
    if let Some(name) = rule.strip_prefix("@typescript-eslint/") {
        Some(format!("https://typescript-eslint.io/rules/{name}"))
    } else if !rule.contains('/') {
        Some(format!("https://eslint.org/docs/latest/rules/{rule}"))
    } else {
        None
    }
}

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let files: Vec<FileResult> =
        serde_json::from_str(text.trim()).map_err(|e| ParseError(format!("expected ESLint's JSON array: {e}")))?;
    let mut findings = Vec::new();
    for file in files {
        for m in file.messages {
            let rule = match (&m.rule_id, m.fatal) {
                (Some(rule), _) => rule.clone(),
                (None, true) => "syntax-error".to_owned(),
                (None, false) if m.message.starts_with("File ignored") => continue,
                (None, false) => "eslint".to_owned(),
            };
            let level = if m.severity >= 2 || m.fatal {
                Level::Error
            } else {
                Level::Warning
            };
            let mut f = ctx.finding(
                &rule,
                level,
                &m.message,
                at(&file.file_path, m.line.unwrap_or(1), m.column.unwrap_or(1)),
            );
            f.end_line = m.end_line;
            f.end_column = m.end_column;
            f.help_uri = m.rule_id.as_deref().and_then(rule_docs);
            // `eslint --fix` applies every `fix` (never a suggestion).
            f.fix = m.fix.map(|fix| Fix {
                applicability: Some("safe".to_owned()),
                description: format!("apply the {rule} fix"),
                edits: vec![Edit {
                    range: Range::Offsets {
                        offset: fix.range.0,
                        length: fix.range.1.saturating_sub(fix.range.0),
                    },
                    replacement: fix.text,
                }],
            });
            findings.push(f);
        }
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    #[test]
    fn findings() {
        let out = recorded("eslint", "10.15.0", "findings");
        let findings = parse(&out.stdout, &ctx("eslint")).unwrap();
        let any = &findings[0];
        assert_eq!(
            (
                any.rule.as_str(),
                any.path.as_str(),
                any.line,
                any.column,
                any.end_column
            ),
            ("@typescript-eslint/no-explicit-any", "src/app.ts", 3, 28, Some(31))
        );
        assert_eq!(
            any.help_uri.as_deref(),
            Some("https://typescript-eslint.io/rules/no-explicit-any")
        );
        let pc = findings.iter().find(|f| f.rule == "prefer-const").unwrap();
        assert!(pc.fix.is_some());
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn fatal_parse_error_is_an_error_finding() {
        let out = recorded("eslint", "10.15.0", "syntax_error");
        let findings = parse(&out.stdout, &ctx("eslint")).unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].rule.as_str(), findings[0].level),
            ("syntax-error", Level::Error)
        );
    }

    #[test]
    fn ignored_file_warning_is_dropped() {
        let out = recorded("eslint", "10.15.0", "ignored_file_warn");
        let findings = parse(&out.stdout, &ctx("eslint")).unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].path, "src/main.js");
    }

    #[test]
    fn failures_print_no_json() {
        for case in ["bad_config", "no_config", "missing_file"] {
            let out = recorded("eslint", "10.15.0", case);
            assert_eq!(out.status, 2, "{case}");
            assert!(parse(&out.stdout, &ctx("eslint")).is_err(), "{case}");
        }
        assert!(
            parse(&recorded("eslint", "10.15.0", "clean").stdout, &ctx("eslint"))
                .unwrap()
                .is_empty()
        );
    }
}
