//! Reports: each a function of the finished [`Report`](crate::model::Report) writing to `&mut dyn Write`,
//! one file per format, listed once in [`format`]. Reporters never run processes and never decide exit
//! codes. [`merge`] combines SARIF logs (shards) into one, and rebuilds a report from a log so any format
//! can be written from shards; [`escape`] makes text from outside safe where people and CI read it.

mod checkstyle;
mod console;
pub(crate) mod escape;
mod format;
pub(crate) mod github;
mod gitlab;
mod json;
mod junit;
mod markdown;
pub(crate) mod merge;
#[cfg(test)]
mod sample;
mod sarif;
mod xml;

pub(crate) use checkstyle::write_checkstyle;
pub(crate) use console::{ConsoleOptions, Sections, write_console};
pub(crate) use console::{Paint, write_diff};
pub(crate) use format::{ReportFormat, ReportOptions, ReportTarget, write_report};
pub(crate) use github::write_github;
pub(crate) use gitlab::write_gitlab;
pub(crate) use json::write_json;
pub(crate) use junit::{JunitMeta, timestamp as junit_timestamp, write_junit};
pub(crate) use markdown::write_markdown;
pub(crate) use sarif::{PROPERTIES as SARIF_PROPERTIES, SCHEMA as SARIF_SCHEMA, write_sarif};
