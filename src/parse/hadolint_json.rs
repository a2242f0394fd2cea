//! hadolint `--format json`: an array of `{code, level, file, line, column, message}`; levels are
//! error/warning/info/style. A Dockerfile that does not parse gives `DL1000`. `SC` codes come from the
//! shellcheck hadolint runs on `RUN` lines and link to the shellcheck wiki.

use serde::Deserialize;

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

#[derive(Deserialize)]
struct Entry {
    code: String,
    column: u32,
    file: String,
    level: String,
    line: u32,
    message: String,
}

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let entries: Vec<Entry> =
        serde_json::from_str(text.trim()).map_err(|e| ParseError(format!("expected hadolint's JSON array: {e}")))?;
    Ok(entries
        .into_iter()
        .map(|e| {
            let level = Level::parse(&e.level).unwrap_or(Level::Warning);
            let mut f = ctx.finding(&e.code, level, &e.message, at(&e.file, e.line, e.column));
            f.help_uri = if e.code.starts_with("SC") {
                Some(format!("https://www.shellcheck.net/wiki/{}", e.code))
            } else {
                ctx.help_uri(&e.code)
            };
            f
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    fn hctx() -> Ctx {
        let mut c = ctx("hadolint");
        c.rule_url = Some("https://github.com/hadolint/hadolint/wiki/".into());
        c
    }

    #[test]
    fn findings() {
        let findings = parse(&recorded("hadolint", "2.15.1", "findings").stdout, &hctx()).unwrap();
        let f = &findings[0];
        assert_eq!(
            (f.rule.as_str(), f.level, f.path.as_str(), f.line),
            ("DL3006", Level::Warning, "docker/Dockerfile", 1)
        );
        assert_eq!(
            f.help_uri.as_deref(),
            Some("https://github.com/hadolint/hadolint/wiki/DL3006")
        );
        assert!(findings.iter().any(|f| f.level == Level::Note), "info maps to note");
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn syntax_error_and_missing_file() {
        let syntax = parse(&recorded("hadolint", "2.15.1", "syntax_error").stdout, &hctx()).unwrap();
        assert_eq!((syntax[0].rule.as_str(), syntax[0].level), ("DL1000", Level::Error));
        let missing = recorded("hadolint", "2.15.1", "missing_file");
        assert_eq!(missing.status, 1);
        assert!(parse(&missing.stdout, &hctx()).is_err(), "no JSON for a missing file");
        assert!(
            parse(&recorded("hadolint", "2.15.1", "clean").stdout, &hctx())
                .unwrap()
                .is_empty()
        );
    }
}
