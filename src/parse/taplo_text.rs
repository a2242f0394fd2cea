//! `taplo lint --colors never`, read from stderr: each problem is `error: <message>` followed by a
//! code frame whose first line is `┌─ <path>:<line>:<col>` and whose `^^^` line carries the primary label.
//! Log lines (` INFO …`, `ERROR …`) are taplo's own. taplo exits 0 without a word for a file that does not
//! exist and only warns about a configuration it cannot read, so the parser insists on the `found files
//! total=N` line (N > 0) and turns the configuration warning into a failure.

use std::sync::LazyLock;

use regex::Regex;

use super::Ctx;
use super::ParseError;
use crate::model::{Finding, Level, at};

static LOCATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*┌─ (?P<path>.+):(?P<line>\d+):(?P<col>\d+)$").expect("valid regex"));
static LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*│\s*\^+\s*(?P<label>.*)$").expect("valid regex"));
static FRAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*\d*\s*[│·]").expect("valid regex"));
static FOUND: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"found files total=(?P<n>\d+)").expect("valid regex"));

pub(crate) fn parse(text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
    let mut findings: Vec<Finding> = Vec::new();
    let mut pending: Option<String> = None;
    let mut labelled = true;
    let mut files_found = None;
    let mut failed_op = None;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            continue;
        }
        if let Some(msg) = line.strip_prefix("error: ") {
            pending = Some(msg.to_owned());
            continue;
        }
        if let Some(c) = LOCATION.captures(line) {
            let msg = pending
                .take()
                .ok_or_else(|| ParseError(format!("a location without an `error:` line: `{line}`")))?;
            findings.push(ctx.finding(
                "toml",
                Level::Error,
                &msg,
                at(
                    &c["path"],
                    c["line"].parse().unwrap_or(1),
                    c["col"].parse().unwrap_or(1),
                ),
            ));
            labelled = false;
            continue;
        }
        if let Some(c) = LABEL.captures(line) {
            if let Some(f) = findings.last_mut().filter(|_| !labelled)
                && !c["label"].is_empty()
            {
                f.message = format!("{}: {}", f.message, &c["label"]);
            }
            labelled = true;
            continue;
        }
        if FRAME.is_match(line) {
            continue;
        }
        let log = line.trim_start();
        if log.starts_with("WARN") && log.contains("invalid configuration file") {
            return Err(ParseError(format!("taplo could not read its configuration: {log}")));
        }
        if let Some(c) = FOUND.captures(log) {
            files_found = c["n"].parse::<u64>().ok();
            continue;
        }
        if let Some(rest) = log.strip_prefix("ERROR operation failed") {
            failed_op = Some(rest.trim().to_owned());
            continue;
        }
        if log.starts_with("INFO") || log.starts_with("ERROR taplo:lint_files: invalid file") {
            continue;
        }
        return Err(ParseError(format!("unexpected line `{line}`")));
    }
    match files_found {
        None | Some(0) => {
            return Err(ParseError(
                "taplo did not say it found the files it was given (a missing file, or a file its config excludes)"
                    .into(),
            ));
        }
        Some(_) => {}
    }
    if let Some(why) = failed_op
        && findings.is_empty()
    {
        return Err(ParseError(format!("taplo failed without a finding: {why}")));
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::{ctx, recorded};

    const V: &str = "0.9.3";

    #[test]
    fn findings() {
        let out = recorded("taplo", V, "findings");
        assert_eq!(out.status, 1);
        let findings = parse(&out.stderr, &ctx("taplo")).unwrap();
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(
            (f.path.as_str(), f.line, f.column, f.message.as_str()),
            ("config/app.toml", 4, 1, "conflicting keys: duplicate key")
        );
        insta::assert_json_snapshot!(findings);
    }

    #[test]
    fn clean_and_syntax_error() {
        let clean = recorded("taplo", V, "clean");
        assert_eq!(parse(&clean.stderr, &ctx("taplo")).unwrap(), vec![]);
        let bad = recorded("taplo", V, "syntax_error");
        let findings = parse(&bad.stderr, &ctx("taplo")).unwrap();
        assert_eq!(findings.len(), 3);
        assert!(findings.iter().all(|f| f.path == "config/broken.toml" && f.line == 3));
        assert_eq!(findings[0].message, "invalid TOML: unexpected token");
    }

    #[test]
    fn silent_exit_zero_failures_are_caught() {
        for case in ["bad_config", "missing_file"] {
            let out = recorded("taplo", V, case);
            assert_eq!(out.status, 0, "{case}");
            assert!(parse(&out.stderr, &ctx("taplo")).is_err(), "{case}");
        }
    }
}
