//! markdownlint-cli2's default output on stderr: `path:line[:col] [severity] MDxxx/alias[/alias] description
//! [detail] [Context: "…"]`. The rule id is the first name (`MD013`). Its stdout banner and summary lines are
//! not part of this stream. A failure (a missing file, a config that does not parse) prints a Node error dump
//! instead, which is not a finding line and so is reported as unreadable output.

use std::sync::LazyLock;

use regex::Regex;

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<path>.+?):(?P<line>\d+)(?::(?P<col>\d+))? (?:(?P<level>error|warning) )?(?P<rule>MD\d+|[\w-]+)(?:/(?P<aliases>\S+))? (?P<msg>.*)$",
    )
    .expect("valid regex")
});

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let mut findings = Vec::new();
    for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        let c = LINE
            .captures(line)
            .ok_or_else(|| ParseError(format!("unexpected line `{line}`")))?;
        let rule = &c["rule"];
        let level = c
            .name("level")
            .and_then(|m| Level::parse(m.as_str()))
            .unwrap_or(Level::Warning);
        let col = c.name("col").map_or(1, |m| m.as_str().parse().unwrap_or(1));
        let mut f = ctx.finding(
            rule,
            level,
            &c["msg"],
            at(&c["path"], c["line"].parse().unwrap_or(1), col),
        );
        f.help_uri = rule
            .starts_with("MD")
            .then(|| ctx.help_uri(&format!("{}.md", rule.to_lowercase())))
            .flatten();
        findings.push(f);
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    fn mctx() -> Ctx {
        let mut c = ctx("markdownlint-cli2");
        c.rule_url = Some("https://github.com/DavidAnson/markdownlint/blob/main/doc/".into());
        c
    }

    #[test]
    fn findings() {
        let out = recorded("markdownlint-cli2", "0.22.1", "findings");
        assert_eq!(out.status, 1);
        let findings = parse(&out.stderr, &mctx()).unwrap();
        let f = &findings[0];
        assert_eq!(
            (f.rule.as_str(), f.path.as_str(), f.line, f.column),
            ("MD041", "docs/guide.md", 1, 1)
        );
        assert_eq!(
            f.message,
            "First line in a file should be a top-level heading [Context: \"Intro text without heading.\"]"
        );
        assert_eq!(
            f.help_uri.as_deref(),
            Some("https://github.com/DavidAnson/markdownlint/blob/main/doc/md041.md")
        );
        let md009 = findings.iter().find(|f| f.rule == "MD009").unwrap();
        assert_eq!((md009.line, md009.column), (7, 32));
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn failures_are_not_findings() {
        assert!(
            parse(&recorded("markdownlint-cli2", "0.22.1", "clean").stderr, &mctx())
                .unwrap()
                .is_empty()
        );
        for case in ["missing_file", "bad_config"] {
            let out = recorded("markdownlint-cli2", "0.22.1", case);
            assert_eq!(out.status, 2, "{case}");
            assert!(parse(&out.stderr, &mctx()).is_err(), "{case}");
        }
    }
}
