//! yamllint `--format parsable`: `path:line:col: [level] message (rule)`. A YAML syntax error is rule
//! `syntax`. Any other non-empty line means yamllint did not produce what lintmux asked for.

use std::sync::LazyLock;

use regex::Regex;

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): \[(?P<level>\w+)\] (?P<msg>.*?)(?: \((?P<rule>[\w-]+)\))?$")
        .expect("valid regex")
});

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let mut findings = Vec::new();
    for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        let c = LINE
            .captures(line)
            .ok_or_else(|| ParseError(format!("unexpected line `{line}`")))?;
        let rule = c.name("rule").map_or("yamllint", |m| m.as_str());
        let level = Level::parse(&c["level"]).unwrap_or(Level::Warning);
        let mut f = ctx.finding(
            rule,
            level,
            &c["msg"],
            at(
                &c["path"],
                c["line"].parse().unwrap_or(1),
                c["col"].parse().unwrap_or(1),
            ),
        );
        f.help_uri = (rule != "syntax")
            .then(|| ctx.help_uri(&format!("#module-yamllint.rules.{}", rule.replace('-', "_"))))
            .flatten();
        findings.push(f);
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    fn yctx() -> Ctx {
        let mut c = ctx("yamllint");
        c.rule_url = Some("https://yamllint.readthedocs.io/en/stable/rules.html".into());
        c
    }

    #[test]
    fn findings() {
        let findings = parse(&recorded("yamllint", "1.38.0", "findings").stdout, &yctx()).unwrap();
        let f = &findings[0];
        assert_eq!(
            (f.rule.as_str(), f.level, f.path.as_str(), f.line, f.column),
            ("document-start", Level::Warning, "config/app.yaml", 1, 1)
        );
        assert_eq!(
            f.help_uri.as_deref(),
            Some("https://yamllint.readthedocs.io/en/stable/rules.html#module-yamllint.rules.document_start")
        );
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn syntax_error_and_failures() {
        let syntax = parse(&recorded("yamllint", "1.38.0", "syntax_error").stdout, &yctx()).unwrap();
        assert!(syntax.iter().any(|f| f.rule == "syntax" && f.help_uri.is_none()));
        assert!(
            parse(&recorded("yamllint", "1.38.0", "clean").stdout, &yctx())
                .unwrap()
                .is_empty()
        );
        let missing = recorded("yamllint", "1.38.0", "missing_file");
        assert_eq!(missing.status, 255);
        assert!(parse("Traceback (most recent call last):", &yctx()).is_err());
    }
}
