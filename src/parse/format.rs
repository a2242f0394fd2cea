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
        }
    }
}

/// How many lines of a tool's output a tool error quotes.
const TAIL_LINES: usize = 15;

/// Turns a finished job into its findings and, when it failed, a tool error. Findings that did parse
/// from a failed run are kept: a partial result is still information.
pub fn interpret(def: &LinterDef, out: &JobOutput, ctx: &Ctx) -> (Vec<Finding>, Option<ToolError>) {
    let error = |kind, message: String, text: &str| ToolError {
        linter: def.name.clone(),
        kind,
        message,
        output_tail: tail(text, TAIL_LINES),
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
    let ok_code = def.ok_exit_codes.contains(&code);
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
