//! A generic line reader for tools that print one finding per line: the definition's `output.pattern`
//! is a regex with named groups `path` and `line` (required) and `column`, `end_line`, `end_column`,
//! `level`, `rule`, `message` (optional); missing level and rule come from the definition. Every other
//! non-empty line must match one of the definition's `output.ignore` regexes (banners, summaries): a line
//! that matches neither is output lintmux cannot vouch for, so the run is a tool error showing the first
//! such lines, never "no findings".

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let re = ctx
        .pattern
        .as_ref()
        .ok_or_else(|| ParseError("the definition gives no `output.pattern`".into()))?;
    let mut findings = Vec::new();
    let mut unread: Vec<&str> = Vec::new();
    let mut unread_count = 0usize;
    for line in text.lines() {
        let specific = ctx
            .specific
            .iter()
            .find_map(|(re, rule, level)| Some((re.captures(line)?, rule.as_ref(), *level)));
        let (captures, rule_of, level_of) = match specific {
            Some((c, rule, level)) => (Some(c), rule.or(ctx.default_rule.as_ref()), level.or(ctx.default_level)),
            None => (re.captures(line), ctx.default_rule.as_ref(), ctx.default_level),
        };
        let Some(c) = captures else {
            if !line.trim().is_empty() && !ctx.ignore.iter().any(|i| i.is_match(line)) {
                unread_count += 1;
                if unread.len() < SHOWN {
                    unread.push(line);
                }
            }
            continue;
        };
        let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let level = c
            .name("level")
            .and_then(|m| Level::parse(m.as_str()))
            .or(level_of)
            .unwrap_or(Level::Warning);
        let rule = c
            .name("rule")
            .map(|m| m.as_str().to_owned())
            .or_else(|| rule_of.cloned())
            .unwrap_or_else(|| ctx.linter.clone());
        let message = c.name("message").map_or(line, |m| m.as_str());
        let mut f = ctx.finding(
            &rule,
            level,
            message,
            at(&c["path"], num("line").unwrap_or(1), num("column").unwrap_or(1)),
        );
        f.end_line = num("end_line");
        f.end_column = num("end_column");
        f.help_uri = ctx.help_uri(&rule);
        findings.push(f);
    }
    if unread_count > 0 {
        let shown: Vec<String> = unread.iter().map(|l| format!("`{}`", shorten(l))).collect();
        return Err(ParseError(format!(
            "{unread_count} line{} of its output match{} neither `output.pattern` nor `output.ignore` (add a pattern \
             for such lines to `output.ignore` if they are harmless); the first: {}",
            if unread_count == 1 { "" } else { "s" },
            if unread_count == 1 { "es" } else { "" },
            shown.join(", ")
        )));
    }
    Ok(findings)
}

/// How many unread lines a tool error quotes.
const SHOWN: usize = 3;

/// At most 120 characters of `line`.
fn shorten(line: &str) -> String {
    const MAX: usize = 120;
    match line.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line.to_owned(),
    }
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
        for case in ["clean", "missing_file"] {
            assert_eq!(
                parse(&recorded("codespell", "2.4.3", case).stdout, &c),
                Ok(Vec::new()),
                "{case}"
            );
        }
        let mixed = parse(&recorded("codespell", "2.4.3", "missing_file_mixed").stdout, &c).unwrap();
        assert_eq!(mixed.len(), 1);
    }

    fn codespell_ctx() -> Ctx {
        let mut c = ctx("codespell");
        c.pattern = Some(regex::Regex::new(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<message>.+ ==> .+)$").unwrap());
        c
    }

    #[test]
    fn lines_that_are_neither_findings_nor_ignored_are_an_error() {
        let mut garbage = recorded("codespell", "2.4.3", "findings").stdout;
        garbage.push_str("\n  \n\u{fffd}\u{fffd}binary\nsecond\nthird\nfourth\n");
        let err = parse(&garbage, &codespell_ctx()).unwrap_err();
        assert_eq!(
            err.0,
            "4 lines of its output match neither `output.pattern` nor `output.ignore` (add a pattern for such \
             lines to `output.ignore` if they are harmless); the first: `\u{fffd}\u{fffd}binary`, `second`, `third`"
        );
        let err = parse(&"x".repeat(500), &codespell_ctx()).unwrap_err();
        assert!(err.0.starts_with("1 line of its output matches neither"), "{}", err.0);
        assert!(err.0.ends_with(&format!("`{}…`", "x".repeat(120))), "{}", err.0);
    }

    #[test]
    fn declared_ignore_patterns_are_accepted() {
        let mut c = codespell_ctx();
        c.ignore = vec![regex::Regex::new(r"^Checked \d+ files$").unwrap()];
        let text = "docs/a.md:1: teh ==> the\nChecked 3 files\n\n";
        assert_eq!(parse(text, &c).unwrap().len(), 1);
        assert!(parse("Checked many files\n", &c).is_err());
    }
}
