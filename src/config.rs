//! `lintmux.toml` (or `.lintmux.toml`) at the lint root. Strict by design: an unknown key, a wrong type or
//! an unknown linter is an error with `file:line:col`, never silently ignored. Every key is optional; with no
//! file at all lintmux runs on defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::finding::Level;

pub const FILE_NAMES: &[&str] = &["lintmux.toml", ".lintmux.toml"];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Lowest level that makes the exit code 1.
    pub fail_on: Option<Level>,
    /// Size of the job pool.
    pub jobs: Option<usize>,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: Option<u64>,
    /// Where tools come from when the project has none: "pinned" (default) or "system" (PATH).
    pub tools: Option<ToolsSetting>,
    /// gitignore-style globs left out of the walk, on top of .gitignore.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub linters: BTreeMap<String, LinterConfig>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolsSetting {
    Pinned,
    System,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinterConfig {
    /// `false` turns the linter off; `true` turns it on even when none of its file types are present.
    pub enabled: Option<bool>,
    /// Seconds before the linter is stopped and reported as a tool error.
    pub timeout: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("failed to read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid configuration {0}")]
    Parse(String),
    #[error("{path}: unknown linter `{name}` in [linters.{name}]; known linters: {known}")]
    UnknownLinter { path: PathBuf, name: String, known: String },
}

/// The config file at `root`, if there is one.
pub fn find(root: &Path) -> Option<PathBuf> {
    FILE_NAMES.iter().map(|n| root.join(n)).find(|p| p.is_file())
}

/// Loads and validates `path`; `known` are the linter names of the catalog.
pub fn load(path: &Path, known: &[&str]) -> Result<FileConfig, ConfigError> {
    let src = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let config: FileConfig =
        toml::from_str(&src).map_err(|e| ConfigError::Parse(crate::tomlerr::describe(path, &src, &e)))?;
    for name in config.linters.keys() {
        if !known.contains(&name.as_str()) {
            return Err(ConfigError::UnknownLinter {
                path: path.to_path_buf(),
                name: name.clone(),
                known: known.join(", "),
            });
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(src: &str) -> Result<FileConfig, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lintmux.toml");
        std::fs::write(&path, src).unwrap();
        load(&path, &["ruff", "mypy"]).map_err(|e| match e {
            ConfigError::Parse(s) => ConfigError::Parse(s.replace(&dir.path().display().to_string(), "ROOT")),
            other => other,
        })
    }

    #[test]
    fn empty_is_defaults() {
        let c = load_str("# nothing\n").unwrap();
        assert!(c.fail_on.is_none() && c.linters.is_empty());
    }

    #[test]
    fn reads_keys() {
        let c = load_str("fail_on = \"error\"\n[linters.mypy]\nenabled = false\ntimeout = 30\n").unwrap();
        assert_eq!(c.fail_on, Some(Level::Error));
        assert_eq!(c.linters["mypy"].enabled, Some(false));
    }

    #[test]
    fn errors_are_located() {
        let e = load_str("fail_on = \"loud\"\n").unwrap_err().to_string();
        assert!(
            e.starts_with("invalid configuration ROOT/lintmux.toml:1:11: unknown variant `loud`"),
            "{e}"
        );
        let e = load_str("[linters.ruff]\nenable = true\n").unwrap_err().to_string();
        assert!(e.contains("lintmux.toml:2:1: unknown field `enable`"), "{e}");
        let e = load_str("[linters.pylint]\n").unwrap_err().to_string();
        assert!(
            e.contains("unknown linter `pylint`") && e.contains("known linters: ruff, mypy"),
            "{e}"
        );
    }
}
