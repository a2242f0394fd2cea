//! Reports: each a function of the finished [`Report`] writing to `&mut dyn Write`. Reporters never run
//! processes and never decide exit codes.

mod checkstyle;
mod console;
pub mod escape;
mod format;
pub mod github;
mod gitlab;
mod json;
mod junit;
mod markdown;
pub(crate) mod merge;
#[cfg(test)]
mod sample;
mod sarif;
mod xml;

pub use checkstyle::write_checkstyle;
pub use console::{ConsoleOptions, Sections, write_console};
pub(crate) use console::{Paint, write_diff};
pub use format::{ReportFormat, ReportOptions, ReportTarget, write_report};
pub use github::write_github;
pub use gitlab::write_gitlab;
pub use json::write_json;
pub use junit::{JunitMeta, timestamp as junit_timestamp, write_junit};
pub use markdown::write_markdown;
pub use sarif::{PROPERTIES as SARIF_PROPERTIES, SCHEMA as SARIF_SCHEMA, write_sarif};
