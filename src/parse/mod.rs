//! Output parsers: one per output *format*, not per linter. Each turns a tool's text into [`Finding`]s
//! and is tested against output recorded from the real tool at its pinned version
//! (`tests/fixtures/<tool>/<version>/`).
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
