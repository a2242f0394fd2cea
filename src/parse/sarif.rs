//! A generic SARIF 2.1.0 reader, so that any tool that writes SARIF can be added by a definition file
//! alone. Read leniently (as a JSON value) because tools fill SARIF in very different ways: the rule id may
//! be on the result or only through `ruleIndex`, the level on the result or on the rule's
//! `defaultConfiguration`, and paths absolute `file://` URIs or relative to a `uriBaseId`.

use serde_json::Value;

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

fn u32_at(v: &Value, key: &str) -> Option<u32> {
    v.get(key)?.as_u64().and_then(|n| u32::try_from(n).ok())
}

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let log: Value = serde_json::from_str(text.trim()).map_err(|e| ParseError(format!("expected a SARIF log: {e}")))?;
    let runs = log
        .get("runs")
        .and_then(Value::as_array)
        .ok_or_else(|| ParseError("SARIF log has no `runs` array".into()))?;
    let mut findings = Vec::new();
    for run in runs {
        let rules: &[Value] = run
            .pointer("/tool/driver/rules")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        let empty = Vec::new();
        for result in run.get("results").and_then(Value::as_array).unwrap_or(&empty) {
            let rule_def = result
                .get("ruleIndex")
                .and_then(Value::as_u64)
                .and_then(|i| rules.get(usize::try_from(i).ok()?));
            let rule_id = str_at(result, &["ruleId"])
                .or_else(|| rule_def.and_then(|r| str_at(r, &["id"])))
                .or(ctx.default_rule.as_deref())
                .unwrap_or("sarif")
                .to_owned();
            let rule_def = rule_def.or_else(|| rules.iter().find(|r| str_at(r, &["id"]) == Some(&rule_id)));
            let level = str_at(result, &["level"])
                .or_else(|| rule_def.and_then(|r| str_at(r, &["defaultConfiguration", "level"])))
                .and_then(|l| {
                    if l == "none" {
                        Some(Level::Note)
                    } else {
                        Level::parse(l)
                    }
                })
                .or(ctx.default_level)
                .unwrap_or(Level::Warning);
            let message = str_at(result, &["message", "text"])
                .or_else(|| str_at(result, &["message", "markdown"]))
                .unwrap_or("");
            let Some(physical) = result.pointer("/locations/0/physicalLocation") else {
                continue;
            };
            let Some(uri) = str_at(physical, &["artifactLocation", "uri"]) else {
                continue;
            };
            let region = physical.get("region").cloned().unwrap_or(Value::Null);
            // No region: the whole file, reported on its first line. A startLine that is not a positive
            // number stays 0, for `plausible` to mark.
            let line = match region.get("startLine") {
                None => 1,
                Some(v) => v.as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
            };
            let column = u32_at(&region, "startColumn").unwrap_or(1);
            let mut f = ctx.finding(&rule_id, level, message, at(uri, line, column));
            f.end_line = u32_at(&region, "endLine");
            f.end_column = u32_at(&region, "endColumn");
            f.help_uri = rule_def
                .and_then(|r| str_at(r, &["helpUri"]))
                .map(str::to_owned)
                .or_else(|| ctx.help_uri(&rule_id));
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
    fn reads_ruffs_sarif_like_its_json() {
        let sarif = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/ruff/0.17.5/findings.sarif"
        ))
        .unwrap()
        .replace("@ROOT@", crate::parse::fixtures::ROOT);
        let from_sarif = parse(&sarif, &ctx("ruff")).unwrap();
        let from_json =
            super::super::ruff_json::parse(&recorded("ruff", "0.17.5", "findings").stdout, &ctx("ruff")).unwrap();
        let key = |f: &Finding| {
            (
                f.path.clone(),
                f.line,
                f.column,
                f.rule.clone(),
                f.end_line,
                f.end_column,
            )
        };
        let mut a: Vec<_> = from_sarif.iter().map(key).collect();
        let mut b: Vec<_> = from_json.iter().map(key).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert!(from_sarif.iter().all(|f| f.help_uri.is_some()));
    }

    #[test]
    fn rejects_non_sarif() {
        assert!(parse("[]", &ctx("x")).is_err());
        assert!(parse("oops", &ctx("x")).is_err());
    }

    #[test]
    fn reads_zizmor() {
        // zizmor 1.32.0 writes relative URIs, the level on each result and help links on its rules.
        let out = recorded("zizmor", "1.32.0", "findings");
        let findings = parse(&out.stdout, &ctx("zizmor")).unwrap();
        let keys: Vec<(&str, &str, u32)> = findings
            .iter()
            .map(|f| (f.rule.as_str(), f.level.as_str(), f.line))
            .collect();
        assert_eq!(
            keys,
            [
                ("zizmor/artipacked", "warning", 8),
                ("zizmor/excessive-permissions", "warning", 5),
                ("zizmor/dangerous-triggers", "error", 3),
                ("zizmor/template-injection", "error", 11),
                ("zizmor/unpinned-uses", "error", 8),
            ]
        );
        assert!(findings.iter().all(|f| f.path == ".github/workflows/release.yml"));
        assert_eq!(
            findings[2].help_uri.as_deref(),
            Some("https://docs.zizmor.sh/audits/#dangerous-triggers")
        );
        let action = recorded("zizmor", "1.32.0", "findings_action");
        let findings = parse(&action.stdout, &ctx("zizmor")).unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].path.as_str(), findings[0].line),
            ("ci/setup/action.yml", 9)
        );
        let clean = recorded("zizmor", "1.32.0", "clean");
        assert_eq!(parse(&clean.stdout, &ctx("zizmor")).unwrap(), vec![]);
        // A file zizmor cannot read, a missing file or a bad config: no SARIF at all, exit 3 or 1.
        for case in ["syntax_error", "missing_file", "bad_config"] {
            let out = recorded("zizmor", "1.32.0", case);
            assert_ne!(out.status, 0, "{case}");
            assert!(parse(&out.stdout, &ctx("zizmor")).is_err(), "{case}");
        }
    }
}
