//! The report formats by name, and the one function that writes any of them, so `check`, `merge` and
//! `--report FORMAT=PATH` share one list.

use std::io::Write;

use super::{ConsoleOptions, JunitMeta};
use crate::model::Report;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReportFormat {
    Console,
    Sarif,
    Json,
    Github,
    Gitlab,
    Junit,
    Checkstyle,
    Markdown,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 8] = [
        ReportFormat::Console,
        ReportFormat::Sarif,
        ReportFormat::Json,
        ReportFormat::Github,
        ReportFormat::Gitlab,
        ReportFormat::Junit,
        ReportFormat::Checkstyle,
        ReportFormat::Markdown,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Console => "console",
            ReportFormat::Sarif => "sarif",
            ReportFormat::Json => "json",
            ReportFormat::Github => "github",
            ReportFormat::Gitlab => "gitlab",
            ReportFormat::Junit => "junit",
            ReportFormat::Checkstyle => "checkstyle",
            ReportFormat::Markdown => "markdown",
        }
    }
}

impl std::str::FromStr for ReportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<ReportFormat, String> {
        ReportFormat::ALL.into_iter().find(|f| f.name() == s).ok_or_else(|| {
            let names: Vec<&str> = ReportFormat::ALL.iter().map(|f| f.name()).collect();
            format!("unknown report format `{s}`: use one of {}", names.join(", "))
        })
    }
}

/// One report to write: a format, and a file (`None`: stdout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportTarget {
    pub format: ReportFormat,
    pub path: Option<std::path::PathBuf>,
}

/// What some formats need besides the report.
pub struct ReportOptions {
    pub console: ConsoleOptions,
    pub junit: JunitMeta,
}

pub fn write_report(
    format: ReportFormat,
    report: &Report,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        ReportFormat::Console => super::write_console(report, &opts.console, out),
        ReportFormat::Sarif => super::write_sarif(report, out),
        ReportFormat::Json => super::write_json(report, out),
        ReportFormat::Github => super::write_github(report, out),
        ReportFormat::Gitlab => super::write_gitlab(report, out),
        ReportFormat::Junit => super::write_junit(report, &opts.junit, out),
        ReportFormat::Checkstyle => super::write_checkstyle(report, out),
        ReportFormat::Markdown => super::write_markdown(report, out),
    }
}
