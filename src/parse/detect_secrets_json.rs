//! detect-secrets `scan` output (a baseline): `{"results": {"<file>": [{"type", "filename",
//! "line_number", "hashed_secret", "is_verified"}]}}`. detect-secrets never prints the secret itself,
//! and this parser keeps it that way: a finding says which kind of secret sits on which line, and reads
//! neither the hash (a hash of a short password can be reversed) nor any field a later version might add.
//! The rule is the kind in kebab case (`AWS Access Key` → `aws-access-key`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

#[derive(Deserialize)]
struct Baseline {
    results: BTreeMap<String, Vec<Secret>>,
}

/// Only these fields are read; anything else in the entry is never looked at.
#[derive(Deserialize)]
struct Secret {
    #[serde(rename = "type")]
    kind: String,
    filename: String,
    line_number: u32,
}

fn rule_of(kind: &str) -> String {
    let mut rule = String::new();
    for word in kind
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !rule.is_empty() {
            rule.push('-');
        }
        rule.push_str(&word.to_ascii_lowercase());
    }
    if rule.is_empty() { "secret".to_owned() } else { rule }
}

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let baseline: Baseline = serde_json::from_str(text.trim())
        .map_err(|e| ParseError(format!("expected detect-secrets' JSON baseline: {e}")))?;
    let mut findings = Vec::new();
    for secret in baseline.results.into_values().flatten() {
        let message = format!(
            "possible secret ({}) committed here; the value is not shown. Remove it and rotate it, or mark a \
             false positive with a `pragma: allowlist secret` comment",
            secret.kind
        );
        findings.push(ctx.finding(
            &rule_of(&secret.kind),
            Level::Error,
            &message,
            at(&secret.filename, secret.line_number, 1),
        ));
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    const V: &str = "1.5.0";
    /// The fake key in the recorded input.
    const KEY: &str = "AKIAIOSFODNN7EXAMPLE"; // pragma: allowlist secret

    #[test]
    fn findings_never_hold_the_secret() {
        let out = recorded("detect-secrets", V, "findings");
        let input = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/detect-secrets/1.5.0/input/findings/deploy/staging.env"
        ))
        .unwrap();
        assert!(input.contains(KEY), "the recorded input holds the fake key");
        let findings = parse(&out.stdout, &ctx("detect-secrets")).unwrap();
        let keys: Vec<(&str, &str, u32)> = findings
            .iter()
            .map(|f| (f.path.as_str(), f.rule.as_str(), f.line))
            .collect();
        assert_eq!(
            keys,
            [
                ("app/settings.py", "secret-keyword", 2),
                ("deploy/staging.env", "aws-access-key", 2)
            ]
        );
        let json = serde_json::to_string(&findings).unwrap();
        assert!(!json.contains(KEY) && !json.contains("correct-horse"), "{json}");
        assert!(!json.contains("hashed") && !out.stdout.contains(KEY));
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn clean_and_missing_file() {
        let clean = recorded("detect-secrets", V, "clean");
        assert_eq!(parse(&clean.stdout, &ctx("detect-secrets")).unwrap(), vec![]);
        // detect-secrets 1.5.0 says nothing about a file that does not exist: the output equals a clean
        // one. lintmux only passes files it found, so this is recorded, not relied on.
        let missing = recorded("detect-secrets", V, "missing_file");
        assert_eq!(parse(&missing.stdout, &ctx("detect-secrets")).unwrap(), vec![]);
    }

    #[test]
    fn rules_are_kebab_case() {
        assert_eq!(rule_of("AWS Access Key"), "aws-access-key");
        assert_eq!(rule_of("Secret Keyword"), "secret-keyword");
        assert_eq!(rule_of("  "), "secret");
    }

    #[test]
    fn not_a_baseline() {
        assert!(parse("Traceback (most recent call last):", &ctx("detect-secrets")).is_err());
    }
}
