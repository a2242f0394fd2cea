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
pub(crate) struct FileStats {
    /// Files linted by at least one linter.
    pub(crate) linted: usize,
    /// Files of each type found.
    pub(crate) by_type: BTreeMap<String, usize>,
    pub(crate) skipped_binary: usize,
    pub(crate) skipped_too_large: usize,
    /// Files whose name is not valid UTF-8 (not linted: lintmux cannot pass or report them faithfully).
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) skipped_bad_name: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct LinterRun {
    pub(crate) name: String,
    /// The version that ran, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<String>,
    pub(crate) homepage: String,
    pub(crate) files: usize,
    pub(crate) jobs: usize,
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) notes: usize,
    /// Something the user should know about how it ran (a bundled default config, for instance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    /// Where its definition and its binary came from.
    pub(crate) origin: Origin,
    /// Tool errors of this linter.
    pub(crate) failed: usize,
    /// The container engine that ran it (docker or podman); none for a local run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) engine: Option<String>,
    /// From its first job's start to its last job's end.
    #[serde(skip)]
    pub(crate) wall: Duration,
    /// The root-relative paths it was given, sorted (a JUnit test case each).
    #[serde(skip)]
    pub(crate) paths: Vec<String>,
}

/// Where a linter's definition and binary came from: a repository can make lintmux run commands.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Origin {
    /// `built-in`, `central config (<file>)` or `repository`.
    pub(crate) definition: String,
    /// The definition file (`builtin` for lintmux's own).
    pub(crate) definition_file: String,
    /// A repository or central definition that replaces lintmux's built-in one of the same name.
    pub(crate) overrides_builtin: bool,
    /// The program that ran and where it came from (none when it could not be made ready).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) binary: Option<String>,
}

impl Origin {
    /// The usual case, which the console does not repeat: lintmux's own definition and pinned tool.
    pub(crate) fn is_default(&self) -> bool {
        self.definition == "built-in"
            && !self.overrides_builtin
            && self
                .binary
                .as_deref()
                .is_none_or(|b| b.ends_with("(lintmux's pinned install)"))
    }

    pub(crate) fn describe(&self) -> String {
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
pub(crate) struct Report {
    /// The absolute lint root (for reading files when computing fingerprints).
    pub(crate) root: PathBuf,
    pub(crate) findings: Vec<Finding>,
    pub(crate) tool_errors: Vec<ToolError>,
    /// Sorted by name.
    pub(crate) linters: Vec<LinterRun>,
    pub(crate) files: FileStats,
    pub(crate) wall: Duration,
    /// Findings left out by `--new-only` or `--baseline` (SARIF keeps them as `unchanged`).
    pub(crate) hidden: Vec<Finding>,
    /// Whether `--new-only` or `--baseline` was used, so SARIF results carry `baselineState`.
    pub(crate) compared: bool,
    /// The trust level the run had (`none`, `config`, `all`) and where it was set.
    pub(crate) trust: (String, String),
    /// What the run covered.
    pub(crate) scope: crate::model::Scope,
    /// Properties of each SARIF run's `automationDetails` (the CI pipeline that ran, where one says).
    pub(crate) automation: BTreeMap<String, String>,
    /// An `automationDetails.id` the CI system requires instead of lintmux's own (Azure DevOps).
    pub(crate) automation_id: Option<String>,
    /// Where the results came from: the local cache, the remote one, or a run.
    pub(crate) cache: crate::model::CacheUse,
}

impl Report {
    /// Sorts findings into report order and drops exact duplicates (some tools repeat a line).
    pub(crate) fn normalise(&mut self) {
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

    pub(crate) fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }
}
