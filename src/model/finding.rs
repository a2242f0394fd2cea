//! The one data model every stage after `parse` speaks: a [`Finding`] is something a linter said about a
//! line of a file, a [`ToolError`] is a linter that could not say anything trustworthy. Keeping the two apart
//! is the point: a crashed tool must never look like a clean file, nor like a lint finding.

use serde::{Deserialize, Serialize};

/// How serious a finding is, in SARIF's vocabulary. Ordered so that `Note < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// Parses the names users write on the command line and in definitions.
    pub(crate) fn parse(s: &str) -> Option<Level> {
        match s.to_ascii_lowercase().as_str() {
            "note" | "info" | "information" | "style" | "convention" | "refactor" => Some(Level::Note),
            "warning" | "warn" => Some(Level::Warning),
            "error" | "fatal" => Some(Level::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file the fix replaces: lines and columns (1-based, end exclusive) or character offsets into the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Range {
    Lines {
        start_line: u32,
        start_column: u32,
        end_line: u32,
        end_column: u32,
    },
    Offsets {
        offset: u64,
        length: u64,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Edit {
    pub(crate) range: Range,
    pub(crate) replacement: String,
}

/// A change the tool proposes; lintmux reports it, it never applies it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Fix {
    pub(crate) description: String,
    pub(crate) edits: Vec<Edit>,
    /// How safe the tool says the fix is, where it says (`safe`, `unsafe`, `display-only`): what
    /// `check --fix` applies is what the tool's fix mode applies, the safe ones unless `--unsafe-fixes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) applicability: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Finding {
    pub(crate) linter: String,
    /// The rule id as the tool documents it: `E501`, `SC2086`, `DL3008`, `MD013`, `document-start`.
    pub(crate) rule: String,
    pub(crate) level: Level,
    pub(crate) message: String,
    /// Relative to the lint root, forward slashes.
    pub(crate) path: String,
    /// 1-based.
    pub(crate) line: u32,
    /// 1-based.
    pub(crate) column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) help_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) fix: Option<Fix>,
    /// For a formatter's finding: the unified diff from the file to the formatted file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) diff: Option<String>,
    /// Why this finding cannot be true as given (a file outside the root or not in it, line 0), when
    /// that is so. Set by [`crate::filter::plausible`]; the finding is kept as the linter gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) doubt: Option<String>,
    /// Where in a structured file the tool says the finding is, when it names the value by its path
    /// (`$.services.web.ports`) instead of by line: the parser keeps the path here and the line at 1, and
    /// the step after parsing finds the line in the file ([`crate::filter`]'s `locate`) and clears it.
    #[serde(skip)]
    pub(crate) value_path: Option<String>,
}

/// Where a finding is: a root-relative path, a 1-based line and a 1-based column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct At<'a> {
    pub(crate) path: &'a str,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

/// `path` at `line`, `column`.
pub(crate) fn at(path: &str, line: u32, column: u32) -> At<'_> {
    At { path, line, column }
}

impl Finding {
    /// A finding with its essentials; the optional fields empty.
    pub(crate) fn new(linter: &str, rule: &str, level: Level, message: String, at: At<'_>) -> Finding {
        Finding {
            linter: linter.to_owned(),
            rule: rule.to_owned(),
            level,
            message,
            path: at.path.to_owned(),
            line: at.line,
            column: at.column,
            end_line: None,
            end_column: None,
            help_uri: None,
            fix: None,
            diff: None,
            doubt: None,
            value_path: None,
        }
    }

    /// The order every report uses: path, line, column, linter, rule (then message, for total order).
    pub(crate) fn sort_key(&self) -> (&str, u32, u32, &str, &str, &str) {
        (
            &self.path,
            self.line,
            self.column,
            &self.linter,
            &self.rule,
            &self.message,
        )
    }
}

/// Why a linter's run produced no trustworthy result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ToolErrorKind {
    /// The binary was not found (or could not be installed).
    Missing,
    /// The process could not be started.
    Spawn,
    /// The process exited with a code its definition calls a failure.
    Failed,
    /// The process was killed by a signal.
    Crashed,
    /// The process ran past its timeout and was killed.
    Timeout,
    /// The process exited normally but its output could not be read.
    BadOutput,
    /// The run was interrupted (Ctrl-C).
    Cancelled,
    /// The trust level does not let it run (a repository definition or binary under `--trust none`).
    Refused,
    /// The output parsed, but names files or lines that cannot be (see [`crate::filter::plausible`]).
    ImplausibleOutput,
}

impl ToolErrorKind {
    /// The kind's name, as the reports spell it (`bad_output`, `timeout`, …).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ToolErrorKind::Missing => "missing",
            ToolErrorKind::Spawn => "spawn",
            ToolErrorKind::Failed => "failed",
            ToolErrorKind::Crashed => "crashed",
            ToolErrorKind::Timeout => "timeout",
            ToolErrorKind::BadOutput => "bad_output",
            ToolErrorKind::Cancelled => "cancelled",
            ToolErrorKind::Refused => "refused",
            ToolErrorKind::ImplausibleOutput => "implausible_output",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ToolError {
    pub(crate) linter: String,
    pub(crate) kind: ToolErrorKind,
    pub(crate) message: String,
    /// The last lines of the tool's stderr (or stdout when stderr is empty).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) output_tail: String,
}

impl ToolError {
    /// A tool error with no output to quote.
    pub(crate) fn new(linter: &str, kind: ToolErrorKind, message: String) -> ToolError {
        ToolError {
            linter: linter.to_owned(),
            kind,
            message,
            output_tail: String::new(),
        }
    }
}

/// The last `max_lines` lines of `text`, trimmed, for error reports.
pub(crate) fn tail(text: &str, max_lines: usize) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let start = lines.len().saturating_sub(max_lines);
    lines[start..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_is_named_as_the_json_report_names_it() {
        use ToolErrorKind::*;
        for kind in [
            Missing,
            Spawn,
            Failed,
            Crashed,
            Timeout,
            BadOutput,
            Cancelled,
            Refused,
            ImplausibleOutput,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str(), "{kind:?}");
        }
    }

    #[test]
    fn levels_order_and_parse() {
        assert!(Level::Note < Level::Warning && Level::Warning < Level::Error);
        assert_eq!(Level::parse("WARN"), Some(Level::Warning));
        assert_eq!(Level::parse("style"), Some(Level::Note));
        assert_eq!(Level::parse("loud"), None);
    }

    #[test]
    fn tail_keeps_last_lines() {
        assert_eq!(tail("a\nb\nc\n\n", 2), "b\nc");
        assert_eq!(tail("", 3), "");
    }
}
