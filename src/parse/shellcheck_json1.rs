//! shellcheck `--format json1`: `{"comments": [...]}` with an integer `code` (reported as `SC<code>`),
//! 1-based positions with exclusive `endColumn`, levels error/warning/info/style, and fixes as line/column
//! replacements. Syntax errors are ordinary `SC1xxx` comments.

use serde::Deserialize;

use super::Ctx;
use super::ParseError;
use crate::model::{Edit, Finding, Fix, Level, Range, at};

#[derive(Deserialize)]
struct Output {
    comments: Vec<Comment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    file: String,
    line: u32,
    end_line: Option<u32>,
    column: u32,
    end_column: Option<u32>,
    level: String,
    code: u32,
    message: String,
    fix: Option<ShellcheckFix>,
}

#[derive(Deserialize)]
struct ShellcheckFix {
    replacements: Vec<Replacement>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    replacement: String,
}

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let out: Output = serde_json::from_str(text.trim())
        .map_err(|e| ParseError(format!("expected shellcheck's json1 object: {e}")))?;
    Ok(out
        .comments
        .into_iter()
        .map(|c| {
            let rule = format!("SC{}", c.code);
            let level = Level::parse(&c.level).unwrap_or(Level::Warning);
            let mut f = ctx.finding(&rule, level, &c.message, at(&c.file, c.line, c.column));
            f.end_line = c.end_line;
            f.end_column = c.end_column;
            f.help_uri = ctx.help_uri(&rule);
            f.fix = c.fix.filter(|fix| !fix.replacements.is_empty()).map(|fix| Fix {
                applicability: None,
                description: format!("apply the {rule} fix"),
                edits: fix
                    .replacements
                    .into_iter()
                    .map(|r| Edit {
                        range: Range::Lines {
                            start_line: r.line,
                            start_column: r.column,
                            end_line: r.end_line,
                            end_column: r.end_column,
                        },
                        replacement: r.replacement,
                    })
                    .collect(),
            });
            f
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    fn sctx() -> Ctx {
        let mut c = ctx("shellcheck");
        c.rule_url = Some("https://www.shellcheck.net/wiki/".into());
        c
    }

    #[test]
    fn findings() {
        let findings = parse(&recorded("shellcheck", "0.11.0", "findings").stdout, &sctx()).unwrap();
        let f = findings.iter().find(|f| f.rule == "SC2086").unwrap();
        assert_eq!(f.level, Level::Note);
        assert_eq!(f.help_uri.as_deref(), Some("https://www.shellcheck.net/wiki/SC2086"));
        assert_eq!(f.fix.as_ref().unwrap().edits.len(), 2);
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn syntax_error_clean_and_missing() {
        let syntax = parse(&recorded("shellcheck", "0.11.0", "syntax_error").stdout, &sctx()).unwrap();
        assert!(
            syntax
                .iter()
                .any(|f| f.rule.starts_with("SC10") && f.level == Level::Error),
            "{syntax:?}"
        );
        assert!(
            parse(&recorded("shellcheck", "0.11.0", "clean").stdout, &sctx())
                .unwrap()
                .is_empty()
        );
        let mixed = recorded("shellcheck", "0.11.0", "missing_file_mixed");
        assert_eq!(mixed.status, 2);
        assert_eq!(
            parse(&mixed.stdout, &sctx()).unwrap().len(),
            1,
            "the other file's findings survive"
        );
    }
}
