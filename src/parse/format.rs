//! The output formats lintmux reads, and [`interpret`]: the one place that decides whether a finished
//! process produced findings, a tool error, or both. Exit codes alone cannot tell (hadolint returns 1 both
//! for findings and for a missing file; markdownlint-cli2 returns 0 for a missing file), so the output is
//! parsed too, and a parser may itself say the output shows a failure.

use serde::Deserialize;

use super::{Ctx, ParseError};
use crate::model::{Exit, JobOutput};
use crate::model::{Finding, ToolError, ToolErrorKind, tail};

/// The output formats, listed once: the name a definition writes (`output.format = "ruff_json"`), the
/// variant, and the module of `parse/` that reads it. The enum and its dispatch are made from the list.
macro_rules! output_formats {
    ($($name:literal => $variant:ident in $module:ident,)*) => {
        /// The name of an output format, as a definition writes it (`output.format`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
        pub(crate) enum OutputFormat {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl OutputFormat {
            /// Every format with its name.
            #[cfg(test)]
            pub(crate) const ALL: &[(OutputFormat, &str)] = &[$((OutputFormat::$variant, $name),)*];

            pub(crate) fn parse(self, text: &str, ctx: &Ctx) -> Result<Vec<Finding>, ParseError> {
                match self {
                    $(OutputFormat::$variant => super::$module::parse(text, ctx),)*
                }
            }
        }
    };
}

output_formats! {
    "ruff_json" => RuffJson in ruff_json,
    "mypy_json" => MypyJson in mypy_json,
    "eslint_json" => EslintJson in eslint_json,
    "hadolint_json" => HadolintJson in hadolint_json,
    "shellcheck_json1" => ShellcheckJson1 in shellcheck_json1,
    "yamllint_parsable" => YamllintParsable in yamllint_parsable,
    "markdownlint_cli2" => MarkdownlintCli2 in markdownlint_cli2,
    "sarif" => Sarif in sarif,
    "regex" => Regex in regex_lines,
    "actionlint_json" => ActionlintJson in actionlint_json,
    "check_jsonschema_json" => CheckJsonschemaJson in check_jsonschema_json,
    "typos_json" => TyposJson in typos_json,
    "taplo_text" => TaploText in taplo_text,
    "detect_secrets_json" => DetectSecretsJson in detect_secrets_json,
}

/// Which stream holds the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Stream {
    #[default]
    Stdout,
    Stderr,
    /// stdout followed by stderr.
    Both,
}

/// How to read one linter's finished processes: where its output is, its format, and what its exit codes
/// mean. Built from the definition when actions are planned.
#[derive(Clone, Debug)]
pub(crate) struct Reading {
    pub(crate) linter: String,
    pub(crate) stream: Stream,
    pub(crate) format: OutputFormat,
    /// Exit codes that mean "the tool ran" (with or without findings).
    pub(crate) ok_exit_codes: Vec<i32>,
    /// Exit codes accepted only when the output holds findings.
    pub(crate) findings_exit_codes: Vec<i32>,
}

/// How many lines of a tool's output a tool error quotes.
const TAIL_LINES: usize = 15;

/// Turns a finished job into its findings and, when it failed, a tool error. Findings that did parse
/// from a failed run are kept: a partial result is still information.
pub(crate) fn interpret(def: &Reading, out: &JobOutput, ctx: &Ctx) -> (Vec<Finding>, Option<ToolError>) {
    let error = |kind, message: String, text: &str| ToolError {
        output_tail: tail(text, TAIL_LINES),
        ..ToolError::new(&def.linter, kind, message)
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let noise = if stderr.trim().is_empty() { &stdout } else { &stderr };
    let code = match out.exit {
        Exit::Code(code) => code,
        other => {
            let (kind, words) = other.failure().unwrap_or((ToolErrorKind::Failed, String::new()));
            return (Vec::new(), Some(error(kind, format!("{} {words}", def.linter), noise)));
        }
    };
    let text = match def.stream {
        Stream::Stdout => stdout.to_string(),
        Stream::Stderr => stderr.to_string(),
        Stream::Both => format!("{stdout}{stderr}"),
    };
    let parsed = if ctx.awkward.is_empty() {
        def.format.parse(&text, ctx)
    } else {
        // Names with line breaks stand for placeholders while the output is parsed.
        def.format.parse(&ctx.hide_awkward(&text), ctx).map(|mut findings| {
            for f in &mut findings {
                ctx.restore_awkward(&mut f.path);
            }
            findings
        })
    };
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
                    def.linter
                ),
                noise,
            )),
        ),
        Err(ParseError(why)) if ok_code => (
            Vec::new(),
            Some(error(
                ToolErrorKind::BadOutput,
                format!("{} output could not be read: {why}", def.linter),
                &text,
            )),
        ),
        Err(ParseError(why)) => (
            Vec::new(),
            Some(error(
                ToolErrorKind::Failed,
                format!("{} exited with status {code} ({why})", def.linter),
                noise,
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::parse::fixtures::{ctx, recorded};
    use std::time::Duration;

    fn run(linter: &str, version: &str, case: &str) -> (Vec<Finding>, Option<ToolError>) {
        let catalog = Catalog::load(&[], crate::model::Trust::All).unwrap();
        let def = catalog.get(linter).unwrap();
        let rec = recorded(linter, version, case);
        let out = JobOutput {
            stdout: rec.stdout.into_bytes(),
            stderr: rec.stderr.into_bytes(),
            exit: Exit::Code(rec.status),
            duration: Duration::ZERO,
        };
        interpret(&crate::engine::reading(def), &out, &ctx(linter))
    }

    /// The README's list of output formats is the list the code reads, no more and no less.
    #[test]
    fn the_readme_lists_every_output_format() {
        let readme = include_str!("../../README.md");
        let from = readme
            .find("Output formats:")
            .expect("the README lists the output formats");
        let para = &readme[from..from + readme[from..].find("\n\n").unwrap_or(readme.len() - from)];
        let para = regex::Regex::new(r"\([^)]*\)").unwrap().replace_all(para, "");
        let listed: std::collections::BTreeSet<&str> = para.split('`').skip(1).step_by(2).collect();
        let known: std::collections::BTreeSet<&str> = OutputFormat::ALL.iter().map(|(_, n)| *n).collect();
        assert_eq!(listed, known);
        for (format, name) in OutputFormat::ALL {
            let read: OutputFormat = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(read, *format, "{name}");
        }
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
