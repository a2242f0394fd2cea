//! actionlint `-format '{{json .}}'`: one JSON array of `{message, filepath, line, column, end_column,
//! kind, snippet}`. `kind` (`expression`, `action`, `syntax-check`, …) is the rule. The `snippet` quotes
//! the workflow's source line and is never copied into a finding (a workflow may hold a secret).
//! actionlint prints nothing on stdout when it fails (a missing file, a bad config): exit 3, the reason
//! on stderr.

use serde::Deserialize;

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

#[derive(Deserialize)]
struct Error {
    message: String,
    filepath: String,
    line: u32,
    column: u32,
    end_column: Option<u32>,
    kind: String,
}

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let errors: Vec<Error> =
        serde_json::from_str(text.trim()).map_err(|e| ParseError(format!("expected actionlint's JSON array: {e}")))?;
    Ok(errors
        .into_iter()
        .map(|e| {
            let mut f = ctx.finding(&e.kind, Level::Error, &e.message, at(&e.filepath, e.line, e.column));
            if let Some(end) = e.end_column.filter(|&end| end >= f.column) {
                f.end_line = Some(f.line);
                f.end_column = Some(end);
            }
            f.help_uri = ctx.help_uri(&e.kind);
            f
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    const V: &str = "1.17.0";

    #[test]
    fn findings() {
        let out = recorded("actionlint", V, "findings");
        assert_eq!(out.status, 1);
        let findings = parse(&out.stdout, &ctx("actionlint")).unwrap();
        let keys: Vec<(&str, u32, u32)> = findings.iter().map(|f| (f.rule.as_str(), f.line, f.column)).collect();
        assert_eq!(
            keys,
            [
                ("action", 8, 15),
                ("action", 9, 15),
                ("action", 11, 11),
                ("expression", 12, 24),
                ("expression", 13, 28)
            ]
        );
        assert!(findings.iter().all(|f| f.path == ".github/workflows/ci.yml"));
        // The snippet (source text) is not part of any finding.
        let json = serde_json::to_string(&findings).unwrap();
        assert!(!json.contains("^~~~"), "{json}");
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn clean_and_syntax_error() {
        let clean = recorded("actionlint", V, "clean");
        assert_eq!(parse(&clean.stdout, &ctx("actionlint")).unwrap(), vec![]);
        let bad = recorded("actionlint", V, "syntax_error");
        let findings = parse(&bad.stdout, &ctx("actionlint")).unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].rule.as_str(), findings[0].line, findings[0].column),
            ("syntax-check", 3, 5)
        );
    }

    #[test]
    fn failures_print_nothing_on_stdout() {
        for case in ["bad_config", "missing_file"] {
            let out = recorded("actionlint", V, case);
            assert_eq!(out.status, 3, "{case}");
            assert!(parse(&out.stdout, &ctx("actionlint")).is_err(), "{case}");
        }
    }
}
