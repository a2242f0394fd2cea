//! Output parsers: one per output *format*, not per linter. Each is a pure function from a tool's text to
//! [`Finding`]s (it reads nothing else), tested against output recorded from the real tool at its pinned
//! version (`tests/fixtures/<tool>/<version>/`). [`interpret`] decides what a finished process gave
//! (findings, a tool error, or both) and [`printed`] what a formatter's print gave.
//!
//! [`Finding`]: crate::model::Finding

mod actionlint_json;
mod check_jsonschema_json;
mod context;
mod detect_secrets_json;
mod error;
mod eslint_json;
mod format;
mod hadolint_json;
mod markdownlint_cli2;
mod mypy_json;
pub(crate) mod printed;
mod regex_lines;
mod ruff_json;
mod sarif;
mod shellcheck_json1;
mod taplo_text;
mod typos_json;
mod yamllint_parsable;

#[cfg(test)]
pub(crate) mod fixtures;

pub(crate) use context::Ctx;
pub(crate) use error::ParseError;
pub(crate) use format::{OutputFormat, Reading, Stream, interpret};
