//! The output formats lintmux reads, and [`interpret`]: the one place that decides whether a finished
//! process produced findings, a tool error, or both. Exit codes alone cannot tell (hadolint returns 1 both
//! for findings and for a missing file; markdownlint-cli2 returns 0 for a missing file), so the output is
//! parsed too, and a parser may itself say the output shows a failure.

use serde::Deserialize;

use super::Ctx;
use crate::catalog::{LinterDef, Stream};
use crate::finding::{Finding, ToolError, ToolErrorKind, tail};
use crate::run::{Exit, JobOutput};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    RuffJson,
    MypyJson,
    EslintJson,
    HadolintJson,
    ShellcheckJson1,
    YamllintParsable,
    MarkdownlintCli2,
    Sarif,
    Regex,
    // Formats of the service-repository linters (issue 13).
    ActionlintJson,
    CheckJsonschemaJson,
    TyposJson,
    TaploText,
    DetectSecretsJson,
}

/// What a parser found wrong with the output: it did not parse, or it shows the tool failed.
#[derive(Debug, PartialEq, Eq)]
pub struct ParseError(pub String);

impl Format {
    pub fn parse(self, text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
        match self {
            Format::RuffJson => super::ruff_json::parse(text, ctx),
            Format::MypyJson => super::mypy_json::parse(text, ctx),
            Format::EslintJson => super::eslint_json::parse(text, ctx),
            Format::HadolintJson => super::hadolint_json::parse(text, ctx),
            Format::ShellcheckJson1 => super::shellcheck_json1::parse(text, ctx),
            Format::YamllintParsable => super::yamllint_parsable::parse(text, ctx),
            Format::MarkdownlintCli2 => super::markdownlint_cli2::parse(text, ctx),
            Format::Sarif => super::sarif::parse(text, ctx),
            Format::Regex => super::regex_lines::parse(text, ctx),
            Format::ActionlintJson => super::actionlint_json::parse(text, ctx),
            Format::CheckJsonschemaJson => super::check_jsonschema_json::parse(text, ctx),
            Format::TyposJson => super::typos_json::parse(text, ctx),
            Format::TaploText => super::taplo_text::parse(text, ctx),
            Format::DetectSecretsJson => super::detect_secrets_json::parse(text, ctx),
        }
    }
}

/// How many lines of a tool's output a tool error quotes.
const TAIL_LINES: usize = 15;

/// Turns a finished job into its findings and, when it failed, a tool error. Findings that did parse
/// from a failed run are kept: a partial result is still information.
pub fn interpret(def: &LinterDef, out: &JobOutput, ctx: &Ctx) -> (Vec<Finding>, Option<ToolError>) {
    let error = |kind, message: String, text: &str| ToolError {
        output_tail: tail(text, TAIL_LINES),
        ..ToolError::new(&def.name, kind, message)
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let noise = if stderr.trim().is_empty() { &stdout } else { &stderr };
    let code = match out.exit {
        Exit::Code(code) => code,
        Exit::Signal(sig) => {
            return (
                Vec::new(),
                Some(error(
                    ToolErrorKind::Crashed,
                    format!("{} was killed by signal {sig}", def.name),
                    noise,
                )),
            );
        }
        Exit::Timeout(limit) => {
            return (
                Vec::new(),
                Some(error(
                    ToolErrorKind::Timeout,
                    format!(
                        "{} ran longer than its timeout of {}s and was stopped",
                        def.name,
                        limit.as_secs()
                    ),
                    noise,
                )),
            );
        }
        Exit::Cancelled => {
            return (
                Vec::new(),
                Some(error(
                    ToolErrorKind::Cancelled,
                    format!("{} was interrupted", def.name),
                    noise,
                )),
            );
        }
    };
    let text = match def.output.stream {
        Stream::Stdout => stdout.to_string(),
        Stream::Stderr => stderr.to_string(),
        Stream::Both => format!("{stdout}{stderr}"),
    };
    let parsed = def.output.format.parse(&text, ctx);
    let ok_code = def.ok_exit_codes.contains(&code)
        || (def.findings_exit_codes.contains(&code) && parsed.as_ref().is_ok_and(|f| !f.is_empty()));
    match parsed {
        Ok(findings) if ok_code => (findings, None),
        Ok(findings) => (
            findings,
            Some(error(
                ToolErrorKind::Failed,
                format!(
                    "{} exited with status {code}, which its definition calls a failure",
                    def.name
                ),
                noise,
            )),
        ),
        Err(ParseError(why)) if ok_code => (
            Vec::new(),
            Some(error(
                ToolErrorKind::BadOutput,
                format!("{} output could not be read: {why}", def.name),
                &text,
            )),
        ),
        Err(ParseError(why)) => (
            Vec::new(),
            Some(error(
                ToolErrorKind::Failed,
                format!("{} exited with status {code} ({why})", def.name),
                noise,
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::finding::ToolErrorKind;
    use crate::parse::fixtures::{ctx, recorded};
    use std::time::Duration;

    fn run(linter: &str, version: &str, case: &str) -> (Vec<Finding>, Option<ToolError>) {
        let catalog = Catalog::load(&[]).unwrap();
        let def = catalog.get(linter).unwrap();
        let rec = recorded(linter, version, case);
        let out = JobOutput {
            stdout: rec.stdout.into_bytes(),
            stderr: rec.stderr.into_bytes(),
            exit: Exit::Code(rec.status),
            duration: Duration::ZERO,
        };
        interpret(def, &out, &ctx(linter))
    }

    #[test]
    fn findings_with_their_usual_exit_codes_are_not_errors() {
        for (linter, version) in [
            ("ruff", "0.17.5"),
            ("mypy", "2.4.1"),
            ("eslint", "10.15.0"),
            ("hadolint", "2.15.1"),
            ("shellcheck", "0.11.0"),
            ("yamllint", "1.38.0"),
            ("markdownlint-cli2", "0.22.1"),
        ] {
            let (findings, error) = run(linter, version, "findings");
            assert!(error.is_none(), "{linter}: {error:?}");
            assert!(!findings.is_empty(), "{linter}");
            let (findings, error) = run(linter, version, "clean");
            assert!(error.is_none() && findings.is_empty(), "{linter}: {error:?}");
        }
    }

    #[test]
    fn exit_codes_alone_do_not_decide() {
        // hadolint: exit 1 and no JSON for a missing file (with --no-fail, findings exit 0).
        let (_, error) = run("hadolint", "2.15.1", "missing_file");
        assert_eq!(error.unwrap().kind, ToolErrorKind::Failed);
        // markdownlint-cli2: a missing literal path exits 2 with a Node error dump.
        let (_, error) = run("markdownlint-cli2", "0.22.1", "missing_file");
        let error = error.unwrap();
        assert_eq!(error.kind, ToolErrorKind::Failed);
        assert!(error.output_tail.contains("ENOENT"), "{}", error.output_tail);
        // yamllint: 255 on a missing file or bad config.
        let (_, error) = run("yamllint", "1.38.0", "bad_config");
        assert_eq!(error.unwrap().kind, ToolErrorKind::Failed);
        // eslint without a config: exit 2, the reason on stderr.
        let (_, error) = run("eslint", "10.15.0", "no_config");
        assert!(
            error
                .unwrap()
                .output_tail
                .contains("ESLint couldn't find an eslint.config")
        );
    }

    #[test]
    fn mypy_blocking_syntax_error_is_a_finding_but_a_crash_is_not() {
        let (findings, error) = run("mypy", "2.4.1", "syntax_error");
        assert!(error.is_none(), "{error:?}");
        assert_eq!(findings[0].rule, "syntax");
        let (findings, error) = run("mypy", "2.4.1", "crash");
        assert!(findings.is_empty());
        let error = error.unwrap();
        assert_eq!(error.kind, ToolErrorKind::Failed);
        assert!(error.output_tail.contains("INTERNAL ERROR"), "{}", error.output_tail);
    }

    #[test]
    fn partial_results_of_a_failed_run_are_kept() {
        let (findings, error) = run("shellcheck", "0.11.0", "missing_file_mixed");
        assert_eq!(findings.len(), 1);
        assert!(error.unwrap().output_tail.contains("openBinaryFile: does not exist"));
    }
}
