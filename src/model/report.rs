//! The finished run: findings (sorted, deduplicated), tool errors, and per-linter and per-file statistics.
//! Everything a reporter needs, nothing it has to compute from processes.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::model::{Finding, Level, ToolError};

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct FileStats {
    /// Files linted by at least one linter.
    pub linted: usize,
    /// Files of each type found.
    pub by_type: BTreeMap<String, usize>,
    pub skipped_binary: usize,
    pub skipped_too_large: usize,
    /// Files whose name is not valid UTF-8 (not linted: lintmux cannot pass or report them faithfully).
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped_bad_name: usize,
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
    /// Where its definition and its binary came from.
    pub origin: Origin,
    /// Tool errors of this linter.
    pub failed: usize,
    /// The container engine that ran it (docker or podman); none for a local run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// From its first job's start to its last job's end.
    #[serde(skip)]
    pub wall: Duration,
    /// The root-relative paths it was given, sorted (a JUnit test case each).
    #[serde(skip)]
    pub paths: Vec<String>,
}

/// Where a linter's definition and binary came from: a repository can make lintmux run commands.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Origin {
    /// `built-in`, `central config (<file>)` or `repository`.
    pub definition: String,
    /// The definition file (`builtin` for lintmux's own).
    pub definition_file: String,
    /// A repository or central definition that replaces lintmux's built-in one of the same name.
    pub overrides_builtin: bool,
    /// The program that ran and where it came from (none when it could not be made ready).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binary: Option<String>,
}

impl Origin {
    /// The usual case, which the console does not repeat: lintmux's own definition and pinned tool.
    pub fn is_default(&self) -> bool {
        self.definition == "built-in"
            && !self.overrides_builtin
            && self
                .binary
                .as_deref()
                .is_none_or(|b| b.ends_with("(lintmux's pinned install)"))
    }

    pub fn describe(&self) -> String {
        let mut s = format!("definition: {}", self.definition);
        if self.definition_file != "builtin" {
            s.push_str(&format!(" ({})", self.definition_file));
        }
        if self.overrides_builtin {
            s.push_str(", replacing the built-in one");
        }
        if let Some(b) = &self.binary {
            s.push_str(&format!("; binary: {b}"));
        }
        s
    }
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
    /// The trust level the run had (`none`, `config`, `all`) and where it was set.
    pub trust: (String, String),
    /// What the run covered.
    pub scope: crate::model::Scope,
    /// Properties of each SARIF run's `automationDetails` (the CI pipeline that ran, where one says).
    pub automation: BTreeMap<String, String>,
    /// An `automationDetails.id` the CI system requires instead of lintmux's own (Azure DevOps).
    pub automation_id: Option<String>,
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
            run.paths.sort();
            run.paths.dedup();
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
