//! What a client may set in `initializationOptions` (and again with `workspace/didChangeConfiguration`,
//! under a `lintmux` key or as the settings themselves): the trust level (`--trust`, which a repository's
//! configuration can only lower), the linters to run (`-l`), the lowest level shown, and whether to lint
//! as the user types or only on open and save. Anything else is an error the editor is told about; it
//! never silently changes nothing.

use serde::Deserialize;
use serde_json::Value;

use crate::model::{Level, Trust};

/// The server's options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Options {
    pub(crate) trust: Option<Trust>,
    /// Only these linters (as `-l`); `None`: the enabled ones.
    pub(crate) linters: Option<Vec<String>>,
    /// Findings below this level are not shown.
    pub(crate) min_level: Level,
    pub(crate) lint: LintWhen,
}

/// When open files are linted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum LintWhen {
    /// On open, on save, and about 300 ms after the last change (unsaved content).
    Change,
    /// On open and on save only.
    Save,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            trust: None,
            linters: None,
            min_level: Level::Note,
            lint: LintWhen::Change,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Raw {
    trust: Option<Trust>,
    linters: Option<Vec<String>>,
    min_level: Option<Level>,
    lint: Option<LintWhen>,
}

impl Options {
    /// The options in `value` (`null` or absent: the defaults); a `lintmux` key holds them when present.
    pub(crate) fn from_value(value: Option<&Value>) -> Result<Options, String> {
        let value = match value {
            None | Some(Value::Null) => return Ok(Options::default()),
            Some(v) => v.get("lintmux").unwrap_or(v),
        };
        let raw: Raw = serde_json::from_value(value.clone()).map_err(|e| {
            format!(
                "lintmux's options are not understood: {e}; it takes {{\"trust\": \"none\"|\"config\"|\"all\", \"linters\": [names], \"minLevel\": \"error\"|\"warning\"|\"note\", \"lint\": \"change\"|\"save\"}}"
            )
        })?;
        let defaults = Options::default();
        Ok(Options {
            trust: raw.trust,
            linters: raw.linters,
            min_level: raw.min_level.unwrap_or(defaults.min_level),
            lint: raw.lint.unwrap_or(defaults.lint),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_and_mistakes_are_errors() {
        let read = |v: Value| Options::from_value(Some(&v));
        assert_eq!(read(Value::Null).unwrap(), Options::default());
        let o = read(serde_json::json!({"lintmux": {"trust": "none", "minLevel": "warning", "lint": "save"}})).unwrap();
        assert_eq!(
            (o.trust, o.min_level, o.lint),
            (Some(Trust::None), Level::Warning, LintWhen::Save)
        );
        let o = read(serde_json::json!({"linters": ["ruff"]})).unwrap();
        assert_eq!(o.linters, Some(vec!["ruff".to_owned()]));
        let err = read(serde_json::json!({"trsut": "none"})).unwrap_err();
        assert!(err.contains("unknown field `trsut`"), "{err}");
    }
}
