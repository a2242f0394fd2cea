//! ruff `--output-format=json`: an array of diagnostics with 1-based `location`/`end_location`, an absolute
//! `filename`, the rule's documentation `url`, and a `fix` with edits. A syntax error has no `code`.

use serde::Deserialize;

use super::Ctx;
use super::ParseError;
use crate::model::{Edit, Finding, Fix, Level, Range, at};

#[derive(Deserialize)]
struct Diagnostic {
    code: Option<String>,
    message: String,
    filename: String,
    location: Option<Loc>,
    end_location: Option<Loc>,
    fix: Option<RuffFix>,
    url: Option<String>,
    severity: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
struct Loc {
    row: u32,
    column: u32,
}

#[derive(Deserialize)]
struct RuffFix {
    message: Option<String>,
    applicability: Option<String>,
    edits: Vec<RuffEdit>,
}

#[derive(Deserialize)]
struct RuffEdit {
    content: String,
    location: Loc,
    end_location: Loc,
}

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let diags: Vec<Diagnostic> =
        serde_json::from_str(text.trim()).map_err(|e| ParseError(format!("expected ruff's JSON array: {e}")))?;
    Ok(diags
        .into_iter()
        .map(|d| {
            let rule = d.code.clone().unwrap_or_else(|| "syntax-error".to_owned());
            let level = match (&d.code, d.severity.as_deref()) {
                (None, _) => Level::Error,
                (_, Some(s)) => Level::parse(s).unwrap_or(Level::Warning),
                (_, None) => Level::Warning,
            };
            let loc = d.location.unwrap_or(Loc { row: 1, column: 1 });
            let mut f = ctx.finding(&rule, level, &d.message, at(&d.filename, loc.row, loc.column));
            if let Some(end) = d.end_location {
                f.end_line = Some(end.row);
                f.end_column = Some(end.column);
            }
            f.help_uri = d.url.or_else(|| d.code.as_deref().and_then(|c| ctx.help_uri(c)));
            f.fix = d.fix.map(|fix| Fix {
                description: fix.message.unwrap_or_default(),
                applicability: fix.applicability,
                edits: fix
                    .edits
                    .into_iter()
                    .map(|e| Edit {
                        range: Range::Lines {
                            start_line: e.location.row,
                            start_column: e.location.column,
                            end_line: e.end_location.row,
                            end_column: e.end_location.column,
                        },
                        replacement: e.content,
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

    #[test]
    fn findings() {
        let out = recorded("ruff", "0.17.5", "findings");
        let findings = parse(&out.stdout, &ctx("ruff")).unwrap();
        let first = &findings[0];
        assert_eq!(
            (first.rule.as_str(), first.path.as_str(), first.line, first.column),
            ("F401", "src/app.py", 1, 8)
        );
        assert_eq!(
            first.help_uri.as_deref(),
            Some("https://docs.astral.sh/ruff/rules/unused-import")
        );
        assert_eq!(first.fix.as_ref().unwrap().description, "Remove unused import: `os`");
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn clean_and_syntax_error() {
        let clean = recorded("ruff", "0.17.5", "clean");
        assert_eq!(parse(&clean.stdout, &ctx("ruff")).unwrap(), vec![]);
        let bad = recorded("ruff", "0.17.5", "syntax_error");
        let findings = parse(&bad.stdout, &ctx("ruff")).unwrap();
        assert!(!findings.is_empty());
        assert!(findings.iter().all(|f| f.level == Level::Error), "{findings:?}");
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn failure_output_is_not_json() {
        let out = recorded("ruff", "0.17.5", "bad_config");
        assert_ne!(out.status, 0);
        assert!(parse(&out.stdout, &ctx("ruff")).is_err());
    }
}
