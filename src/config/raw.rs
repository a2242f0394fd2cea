//! One configuration file as written, every value with its byte span so that any mistake, or any value in
//! the effective configuration, can be traced to `file:line:col`. Unknown keys are errors
//! (`deny_unknown_fields` everywhere): a misspelt key must never be silently ignored.
//!
//! Lists replace the list of an extended file; the same key written `extend-<key>` appends instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::model::{Level, Trust};

pub(crate) const FILE_NAMES: &[&str] = &["lintmux.toml", ".lintmux.toml"];

/// The config file at `root`, if there is one.
pub(crate) fn find(root: &Path) -> Option<PathBuf> {
    FILE_NAMES.iter().map(|n| root.join(n)).find(|p| p.is_file())
}

pub(crate) type S<T> = Spanned<T>;
pub(crate) type List = Option<S<Vec<S<String>>>>;

/// Where a linter runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Runner {
    Local,
    Container,
}

impl Runner {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Runner::Local => "local",
            Runner::Container => "container",
        }
    }
}

/// Where tools come from when the project has none of its own (`tools` in lintmux.toml, `--tools`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ToolsMode {
    /// lintmux's pinned installs.
    #[default]
    Pinned,
    /// Whatever is on PATH.
    System,
}

impl ToolsMode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ToolsMode::Pinned => "pinned",
            ToolsMode::System => "system",
        }
    }
}

/// A severity override: a level, or `off` to drop the finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
    Note,
    Off,
}

impl Severity {
    pub(crate) fn level(self) -> Option<Level> {
        match self {
            Severity::Error => Some(Level::Error),
            Severity::Warning => Some(Level::Warning),
            Severity::Note => Some(Level::Note),
            Severity::Off => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
            Severity::Off => "off",
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    /// Files this one builds on: paths (relative to this file) or pinned git URLs.
    pub(crate) extends: List,
    pub(crate) fail_on: Option<S<Level>>,
    pub(crate) jobs: Option<S<usize>>,
    pub(crate) max_file_size: Option<S<u64>>,
    pub(crate) tools: Option<S<ToolsMode>>,
    /// How far the repository is trusted; the lowest value in the chain wins.
    pub(crate) trust: Option<S<Trust>>,
    /// When given, exactly these linters run (instead of every linter whose file types are present).
    pub(crate) enable: List,
    #[serde(rename = "extend-enable")]
    pub(crate) extend_enable: List,
    pub(crate) disable: List,
    #[serde(rename = "extend-disable")]
    pub(crate) extend_disable: List,
    pub(crate) exclude: List,
    #[serde(rename = "extend-exclude")]
    pub(crate) extend_exclude: List,
    /// The result cache (`[cache]`).
    pub(crate) cache: Option<RawCache>,
    #[serde(default)]
    pub(crate) linters: BTreeMap<S<String>, RawLinter>,
}

/// `[cache]`: a remote result cache shared between machines.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCache {
    /// `s3://bucket/prefix`, `http(s)://host/path`, `redis://host:port/db`, `gha`, or `off`.
    pub(crate) remote: Option<S<String>>,
    /// Write fresh results to it (default: only read).
    pub(crate) remote_write: Option<S<bool>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLinter {
    pub(crate) enabled: Option<S<bool>>,
    pub(crate) args: List,
    #[serde(rename = "extend-args")]
    pub(crate) extend_args: List,
    pub(crate) include: List,
    #[serde(rename = "extend-include")]
    pub(crate) extend_include: List,
    pub(crate) exclude: List,
    #[serde(rename = "extend-exclude")]
    pub(crate) extend_exclude: List,
    pub(crate) timeout: Option<S<u64>>,
    #[serde(default)]
    pub(crate) env: BTreeMap<S<String>, S<String>>,
    pub(crate) pass_env: List,
    #[serde(rename = "extend-pass_env")]
    pub(crate) extend_pass_env: List,
    #[serde(default)]
    pub(crate) severity: BTreeMap<S<String>, S<Severity>>,
    /// The linter's own config file, relative to this file (a central repository can ship it).
    pub(crate) config: Option<S<String>>,
    /// `local` (default) or `container`.
    pub(crate) runner: Option<S<Runner>>,
    /// The container image, pinned by digest (`name@sha256:…`).
    pub(crate) image: Option<S<String>>,
    /// Accept an image given by tag alone.
    pub(crate) allow_unpinned: Option<S<bool>>,
    /// Replaces the definition's argv template (for an image whose tool is called differently).
    pub(crate) command: List,
    /// MiB of output kept per action; past it the action is stopped and is a tool error.
    pub(crate) max_output: Option<S<u64>>,
    /// Files matching a glob (relative to the root) are checked against a schema file of the repository
    /// (relative to this file), for linters whose definition has `schema_arg` (check-jsonschema).
    #[serde(default)]
    pub(crate) schemas: BTreeMap<S<String>, S<String>>,
}
