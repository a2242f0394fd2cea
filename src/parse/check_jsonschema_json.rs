//! check-jsonschema `-o json`: `{"status", "errors": [{filename, path, message}], "parse_errors": [...]}`.
//! It names the failing value by a JSON path (`$.services.web.ports`), not by line: the path starts the
//! message, and for a YAML file it is kept in the finding's `value_path` for the step after parsing, which
//! finds the line by following the path through the file's indentation; where that fails (JSON files,
//! flow style), the finding is on line 1. The parser itself reads nothing but the output. A file that does not parse is
//! a finding (rule `parse-error`). When check-jsonschema fails before checking (a schema that does not
//! load, a missing file) it prints nothing on stdout, which is reported as unreadable output.

use serde::Deserialize;

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

#[derive(Deserialize)]
struct Output {
    status: String,
    #[serde(default)]
    errors: Vec<SchemaError>,
    #[serde(default)]
    parse_errors: Vec<FileError>,
}

#[derive(Deserialize)]
struct SchemaError {
    filename: String,
    path: String,
    message: String,
}

#[derive(Deserialize)]
struct FileError {
    filename: String,
    message: String,
}

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let out: Output = serde_json::from_str(text.trim())
        .map_err(|e| ParseError(format!("expected check-jsonschema's JSON result: {e}")))?;
    let mut findings = Vec::new();
    for e in out.parse_errors {
        findings.push(ctx.finding("parse-error", Level::Error, &e.message, at(&e.filename, 1, 1)));
    }
    for e in out.errors {
        let message = format!("{}: {}", e.path, e.message);
        let mut f = ctx.finding("schema", Level::Error, &message, at(&e.filename, 1, 1));
        // The path, not a line: the step after parsing finds its line in a YAML file.
        if f.path.ends_with(".yaml") || f.path.ends_with(".yml") {
            f.value_path = Some(e.path);
        }
        findings.push(f);
    }
    if out.status != "ok" && findings.is_empty() {
        return Err(ParseError(format!(
            "check-jsonschema says `{}` but names no error",
            out.status
        )));
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    const V: &str = "0.39.0";

    #[test]
    fn findings() {
        let out = recorded("check-jsonschema", V, "findings");
        let findings = parse(&out.stdout, &ctx("check-jsonschema")).unwrap();
        assert_eq!(findings.len(), 3);
        assert!(findings.iter().all(|f| f.path == "compose.yaml" && f.rule == "schema"));
        assert_eq!(findings[1].message, "$.services.web.ports: 8080 is not of type 'array'");
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn yaml_findings_keep_the_path_for_the_step_that_finds_the_line() {
        let out = recorded("check-jsonschema", V, "findings");
        let findings = parse(&out.stdout, &ctx("check-jsonschema")).unwrap();
        let paths: Vec<(u32, Option<&str>)> = findings.iter().map(|f| (f.line, f.value_path.as_deref())).collect();
        assert_eq!(
            paths,
            [
                (1, Some("$.services.web.healthcheck.interval")),
                (1, Some("$.services.web.ports")),
                (1, Some("$.services.web")),
            ]
        );
    }

    #[test]
    fn clean_and_syntax_error() {
        let clean = recorded("check-jsonschema", V, "clean");
        assert_eq!(parse(&clean.stdout, &ctx("check-jsonschema")).unwrap(), vec![]);
        let bad = recorded("check-jsonschema", V, "syntax_error");
        let findings = parse(&bad.stdout, &ctx("check-jsonschema")).unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].rule.as_str(), findings[0].path.as_str()),
            ("parse-error", "compose.yaml")
        );
    }

    #[test]
    fn failures_print_no_json() {
        for case in ["bad_config", "missing_file"] {
            let out = recorded("check-jsonschema", V, case);
            assert_eq!(out.status, 1, "{case}");
            assert!(parse(&out.stdout, &ctx("check-jsonschema")).is_err(), "{case}");
        }
    }

    #[test]
    fn failed_status_without_errors_is_not_clean() {
        let text = r#"{"status": "fail", "errors": [], "parse_errors": []}"#;
        assert!(parse(text, &ctx("check-jsonschema")).is_err());
    }
}
