//! A generic line reader for tools that print one finding per line: the definition's `output.pattern`
//! is a regex with named groups `path` and `line` (required) and `column`, `end_line`, `end_column`,
//! `level`, `rule`, `message` (optional); missing level and rule come from the definition. Lines that do
//! not match are ignored (banners, summaries), so a definition's pattern must be specific.

use super::Ctx;
use super::ParseError;
use crate::finding::{Finding, Level};

pub fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let re = ctx
        .pattern
        .as_ref()
        .ok_or_else(|| ParseError("the definition gives no `output.pattern`".into()))?;
    let mut findings = Vec::new();
    for line in text.lines() {
        let Some(c) = re.captures(line) else { continue };
        let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let level = c
            .name("level")
            .and_then(|m| Level::parse(m.as_str()))
            .or(ctx.default_level)
            .unwrap_or(Level::Warning);
        let rule = c
            .name("rule")
            .map(|m| m.as_str().to_owned())
            .or_else(|| ctx.default_rule.clone())
            .unwrap_or_else(|| ctx.linter.clone());
        let message = c.name("message").map_or(line, |m| m.as_str());
        let mut f = ctx.finding(
            &rule,
            level,
            message,
            &c["path"],
            num("line").unwrap_or(1),
            num("column").unwrap_or(1),
        );
        f.end_line = num("end_line");
        f.end_column = num("end_column");
        f.help_uri = ctx.help_uri(&rule);
        findings.push(f);
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    #[test]
    fn codespell_lines() {
        let mut c = ctx("codespell");
        c.pattern = Some(regex::Regex::new(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<message>.+ ==> .+)$").unwrap());
        c.default_rule = Some("misspelling".into());
        let out = recorded("codespell", "2.4.3", "findings");
        let findings = parse(&out.stdout, &c).unwrap();
        assert_eq!(findings.len(), out.stdout.lines().count());
        let f = &findings[0];
        assert_eq!(
            (f.rule.as_str(), f.path.as_str(), f.line, f.level, f.message.as_str()),
            ("misspelling", "docs/notes.md", 3, Level::Warning, "teh ==> the")
        );
    }
}
