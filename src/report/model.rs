//! The finished run: findings (sorted, deduplicated), tool errors, and per-linter and per-file statistics.
//! Everything a reporter needs, nothing it has to compute from processes.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::finding::{Finding, Level, ToolError};

#[derive(Clone, Debug, Default, Serialize)]
pub struct FileStats {
    /// Files linted by at least one linter.
    pub linted: usize,
    /// Files of each type found.
    pub by_type: BTreeMap<String, usize>,
    pub skipped_binary: usize,
    pub skipped_too_large: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct LinterRun {
    pub name: String,
    /// The version that ran, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub homepage: String,
    pub files: usize,
    pub jobs: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Something the user should know about how it ran (a bundled default config, for instance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Tool errors of this linter.
    pub failed: usize,
    /// The container engine that ran it (docker or podman); none for a local run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// From its first job's start to its last job's end.
    #[serde(skip)]
    pub wall: Duration,
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The absolute lint root (for reading files when computing fingerprints).
    pub root: PathBuf,
    pub findings: Vec<Finding>,
    pub tool_errors: Vec<ToolError>,
    /// Sorted by name.
    pub linters: Vec<LinterRun>,
    pub files: FileStats,
    pub wall: Duration,
    /// Findings left out by `--new-only` or `--baseline` (SARIF keeps them as `unchanged`).
    pub hidden: Vec<Finding>,
    /// Whether `--new-only` or `--baseline` was used, so SARIF results carry `baselineState`.
    pub compared: bool,
}

impl Report {
    /// Sorts findings into report order and drops exact duplicates (some tools repeat a line).
    pub fn normalise(&mut self) {
        self.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.findings.dedup();
        self.hidden.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.hidden.dedup();
        self.tool_errors
            .sort_by(|a, b| (&a.linter, &a.message).cmp(&(&b.linter, &b.message)));
        self.linters.sort_by(|a, b| a.name.cmp(&b.name));
        for run in &mut self.linters {
            let count = |level| {
                self.findings
                    .iter()
                    .filter(|f| f.linter == run.name && f.level == level)
                    .count()
            };
            run.errors = count(Level::Error);
            run.warnings = count(Level::Warning);
            run.notes = count(Level::Note);
            run.failed = self.tool_errors.iter().filter(|e| e.linter == run.name).count();
        }
    }

    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }
}
