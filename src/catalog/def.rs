//! A linter definition, as `linters.d/<name>.toml` writes it: which file types it lints, how to call it,
//! how it takes files, what its exit codes mean, how to read its output, which config files it reads, and
//! which exact version lintmux pins and how to install it. A formatter is a definition too
//! (`kind = "formatter"`), with how it prints a file formatted. Plain data: serde reads it (unknown keys are
//! errors), [`super::validate`] checks what serde cannot.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::catalog::types::TypeRules;
use crate::model::Level;
use crate::parse::{OutputFormat, Stream};

/// How a linter takes its files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Mode {
    /// Many files per run, split into batches under the argument-length cap.
    #[default]
    Batch,
    /// One file per run.
    File,
    /// One run over all its files at once (type checkers that need the whole program).
    Project,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutputDef {
    #[serde(default)]
    pub(crate) stream: Stream,
    pub(crate) format: OutputFormat,
    /// For `format = "regex"`: a regex with named groups `path`, `line`, and optionally `column`,
    /// `end_line`, `end_column`, `level`, `rule`, `message`, matched against each line.
    pub(crate) pattern: Option<String>,
    /// For `format = "regex"`: regexes of the other lines the tool prints (banners, summaries). A
    /// non-empty line that matches neither `pattern` nor one of these makes the run a tool error.
    #[serde(default)]
    pub(crate) ignore: Vec<String>,
    /// For formats that carry no level: the level of every finding.
    pub(crate) level: Option<Level>,
    /// For formats that carry no rule id: the rule of every finding.
    pub(crate) rule: Option<String>,
    /// What the tool's columns and offsets count (its findings' columns, its fixes' positions), for an
    /// editor, whose positions count UTF-16 code units or bytes: characters (the default), UTF-8 bytes,
    /// or UTF-16 code units.
    #[serde(default)]
    pub(crate) columns: Columns,
    /// For `format = "regex"`: more specific line patterns, tried before `pattern`, each with the rule
    /// and level of the findings it reads (a formatter's "cannot parse this file" lines among the files
    /// it lists).
    #[serde(default)]
    pub(crate) specific: Vec<SpecificPattern>,
}

/// What a tool's columns count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Columns {
    /// Unicode scalar values (characters).
    #[default]
    Chars,
    /// UTF-8 bytes.
    Bytes,
    /// UTF-16 code units (tools written in JavaScript).
    Utf16,
}

/// A line pattern with the rule and level of what it matches.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpecificPattern {
    pub(crate) pattern: String,
    pub(crate) rule: Option<String>,
    pub(crate) level: Option<Level>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VersionDef {
    /// The exact version lintmux pins and tests against.
    pub(crate) pin: String,
    /// argv that prints the installed version; `command[0]` is resolved like the linter's binary.
    pub(crate) command: Vec<String>,
    /// Regex whose first group is the version in that output.
    pub(crate) pattern: String,
}

/// Where the pinned tool comes from. Exactly one of `pypi` and `npm`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InstallDef {
    /// Requirement specifiers installed together into one virtualenv (`ruff==0.17.5`).
    #[serde(default)]
    pub(crate) pypi: Vec<String>,
    /// Package specs installed together into one npm prefix (`eslint@10.15.0`).
    #[serde(default)]
    pub(crate) npm: Vec<String>,
    /// Why the pin is what it is (shown by `lintmux linters --verbose`, kept for readers).
    #[serde(default)]
    pub(crate) why: String,
    /// The install's name (default: the definition's). Definitions that install the same packages under
    /// one name share one install: ruff-format uses ruff's.
    pub(crate) name: Option<String>,
}

/// Where a definition came from: a repository can make lintmux run commands, so users must see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum DefOrigin {
    #[default]
    Builtin,
    /// A `linters.d` beside a central or team config the repository extends (its label).
    Config(String),
    /// The repository's own `linters.d`.
    Repository,
}

impl DefOrigin {
    pub(crate) fn describe(&self) -> String {
        match self {
            DefOrigin::Builtin => "built-in".to_owned(),
            DefOrigin::Config(label) => format!("central config ({label})"),
            DefOrigin::Repository => "repository".to_owned(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinterDef {
    /// The definition's file stem; not written in the file.
    #[serde(skip)]
    pub(crate) name: String,
    /// Where the definition came from (`builtin` or a file path), for messages.
    #[serde(skip)]
    pub(crate) source: String,
    /// The definition's text, part of the result-cache key: editing a definition re-runs its linter.
    #[serde(skip)]
    pub(crate) text: String,
    /// The file it was read from (for messages).
    #[serde(skip)]
    pub(crate) path: PathBuf,
    #[serde(skip)]
    pub(crate) origin: DefOrigin,
    /// It replaces a built-in definition of the same name.
    #[serde(skip)]
    pub(crate) overrides_builtin: bool,
    /// The trust level does not let it run (a repository definition under `trust = "none"`/`"config"`).
    #[serde(skip)]
    pub(crate) refused: bool,
    /// A repository definition of the same name that the trust level refused (its path).
    #[serde(skip)]
    pub(crate) refused_override: Option<String>,
    pub(crate) description: String,
    /// The tool's home page (SARIF `informationUri`).
    pub(crate) homepage: String,
    /// File types (see `lintmux detect`) this linter lints.
    pub(crate) file_types: Vec<String>,
    /// argv template. `{files}` expands to the file arguments; `{scratch}` is a private temporary
    /// directory outside the repository; `{root}` the lint root.
    pub(crate) command: Vec<String>,
    #[serde(default)]
    pub(crate) mode: Mode,
    /// How one file is written on the command line; `{file}` is its path relative to the root.
    #[serde(default = "default_file_arg")]
    pub(crate) file_arg: String,
    /// Exit codes that mean "the tool ran" (with or without findings); any other is a tool failure.
    #[serde(default = "default_ok_exit_codes")]
    pub(crate) ok_exit_codes: Vec<i32>,
    /// Exit codes accepted only when the output holds findings (mypy exits 2 on a blocking syntax
    /// error, which it reports as a finding; with nothing to show, the same code is a failure).
    #[serde(default)]
    pub(crate) findings_exit_codes: Vec<i32>,
    pub(crate) output: OutputDef,
    /// Config files the tool reads, relative to the root (used for the default-config decision and caching).
    #[serde(default)]
    pub(crate) config_files: Vec<String>,
    /// How to hand the tool a config file; `{config}` is its path. Used for a `config` set in
    /// lintmux.toml (a central standard's shared config) and for `default_config`.
    #[serde(default)]
    pub(crate) config_arg: Vec<String>,
    /// A config in lintmux's linters.d, used when the repository has none of `config_files` (for tools
    /// that cannot run without one); it is copied beside the tool's install so its imports resolve.
    pub(crate) default_config: Option<String>,
    pub(crate) version: VersionDef,
    pub(crate) install: Option<InstallDef>,
    /// Look for the binary in the repository's `node_modules/.bin` and `.venv/bin` first, so the tool sees
    /// the project's own plugins and packages.
    #[serde(default)]
    pub(crate) prefer_project: bool,
    /// When any of these paths exists in the root, the tool *must* come from the project (mypy with a
    /// `.venv`: only the project's mypy sees the packages installed there).
    #[serde(default)]
    pub(crate) project_required_if: Vec<String>,
    /// Help link for a rule when the output carries none; `{rule}` is the rule id.
    pub(crate) rule_url: Option<String>,
    /// Environment variables passed through from lintmux's environment (beyond PATH, HOME and locale).
    #[serde(default)]
    pub(crate) env: Vec<String>,
    /// File types this definition declares, or adds rules to (see linters.d/types.toml).
    #[serde(default)]
    pub(crate) types: BTreeMap<String, TypeRules>,
    /// A container image with the pinned tool, pinned by digest, for `runner = "container"`.
    pub(crate) image: Option<String>,
    /// Smallest batch worth a separate process; batches are split only above this many files.
    #[serde(default = "default_min_batch")]
    pub(crate) min_batch: usize,
    /// Extra arguments for the files of one type (check-jsonschema: the schema of each type). Files
    /// with different extra arguments never share a job. See `groups.rs`.
    #[serde(default)]
    pub(crate) type_args: BTreeMap<String, Vec<String>>,
    /// `false`: off unless lintmux.toml turns it on (`enable`, or `[linters.<name>] enabled = true`),
    /// for linters that are available but not part of the default set (codespell, typos on code).
    #[serde(default = "default_true")]
    pub(crate) default_enabled: bool,
    /// How to hand the tool a schema file; `{schema}` is its path. With it, lintmux.toml can map globs
    /// to schema files of the repository (`[linters.<name>] schemas = { "k8s/*.yaml" = "k8s.json" }`).
    #[serde(default)]
    pub(crate) schema_arg: Vec<String>,
    /// `linter` (the default) or `formatter`: a formatter's `command` lists the files it would change,
    /// and its `[format]` table says how to print one file formatted.
    #[serde(default)]
    pub(crate) kind: Kind,
    /// For a formatter: how it prints a file formatted.
    pub(crate) format: Option<FormatDef>,
    /// How the tool applies its own fixes in place (`lintmux check --fix`).
    pub(crate) fix: Option<FixDef>,
    /// How the tool lints unsaved content (an editor's buffer), when it can.
    pub(crate) buffer: Option<BufferDef>,
    /// When given, the linter runs by default only on files governed by one of these, found in the
    /// file's directory or one above it up to the root (or everywhere when lintmux.toml enables it or
    /// gives it a config): `name` (the file exists), `name#key.path` (a TOML or JSON file holding that
    /// key: `pyproject.toml#tool.ruff`, `package.json#prettier`), `name~regex` (a file whose text matches).
    /// A repository that never used a formatter gets no findings from it the first day.
    #[serde(default)]
    pub(crate) configured_by: Vec<String>,
}

/// What a definition is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    #[default]
    Linter,
    /// Its findings say that a file is not formatted; it can print the file formatted, and `lintmux
    /// fmt` writes what it prints.
    Formatter,
}

/// How a formatter prints one file formatted.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FormatDef {
    /// argv that reads the file's content on stdin and prints it formatted on stdout; `{file}` is its
    /// path relative to the root (for the tool's config and ignore rules). Exit code 0, else a tool error.
    pub(crate) print: Vec<String>,
    /// The rule of the `command`'s findings that mean "this file would change"; its other findings (a
    /// file the formatter cannot parse) are reported as they are. Default: every finding.
    pub(crate) rule: Option<String>,
    /// `false`: the tool cannot be trusted to list the files it would change (taplo's listing is a log
    /// line it can lose when it exits), so `command` is not run and every file is printed, one process
    /// each, and compared.
    #[serde(default = "default_true")]
    pub(crate) list: bool,
    /// A regex on what `print` writes to stderr when it fails because the file does not parse, with
    /// named groups `line`, `column` and `message` (each optional): such a file is a `syntax-error`
    /// finding of the formatter, not a tool error.
    pub(crate) unparsable: Option<String>,
}

/// How a tool applies its fixes in place.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FixDef {
    /// argv that applies the fixes the tool calls safe to its `{files}`.
    pub(crate) command: Vec<String>,
    /// argv that applies its unsafe fixes too (`--unsafe-fixes`); without it, the tool has only one kind.
    pub(crate) unsafe_command: Option<Vec<String>>,
    /// Exit codes that mean the fixing ran (findings may remain).
    #[serde(default = "default_ok_exit_codes")]
    pub(crate) ok_exit_codes: Vec<i32>,
}

/// How a tool lints content that is not saved (an editor's buffer) with the file's real path, so its
/// config, ignore rules and file-type detection still apply.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BufferDef {
    /// For a linter that takes files (batch or file mode): argv that lints one file's content read on
    /// stdin; `{file}` is the file's path relative to the root.
    #[serde(default)]
    pub(crate) command: Vec<String>,
    /// How the output names the content read on stdin, when not by the path it was given (`-`, `stdin`).
    pub(crate) names: Option<String>,
    /// For a whole-project linter: arguments added once per unsaved file, before its files, that make it
    /// read `{buffer}` (the content, kept in lintmux's cache) in place of `{file}` (mypy's `--shadow-file`).
    #[serde(default)]
    pub(crate) shadow: Vec<String>,
}

/// Is `image` pinned by digest? `<name>@sha256:<digest>`, or a bare image ID `sha256:<id>`
/// (content-addressed too, and the only pinned reference Docker gives an image built locally and never
/// pushed).
pub(crate) fn is_pinned(image: &str) -> bool {
    let hex64 = |d: &str| d.len() == 64 && d.chars().all(|c| c.is_ascii_hexdigit());
    image.split_once("@sha256:").is_some_and(|(_, d)| hex64(d)) || image.strip_prefix("sha256:").is_some_and(hex64)
}

fn default_file_arg() -> String {
    "{file}".to_owned()
}
fn default_ok_exit_codes() -> Vec<i32> {
    vec![0, 1]
}
fn default_min_batch() -> usize {
    32
}
fn default_true() -> bool {
    true
}

impl LinterDef {
    /// The binary to resolve: the first word of the command.
    pub(crate) fn binary(&self) -> &str {
        self.command.first().map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_means_a_full_digest() {
        let d = "61862eba1fcf09a484ebcc6feea46f1782532571a34ed51fedf90dd25f925a8d"; // pragma: allowlist secret
        assert!(is_pinned(&format!("docker.io/koalaman/shellcheck:v0.11.0@sha256:{d}")));
        assert!(is_pinned(&format!("localhost/x@sha256:{d}")));
        assert!(!is_pinned("docker.io/koalaman/shellcheck:v0.11.0"));
        assert!(!is_pinned("x@sha256:abc"));
        assert!(is_pinned(&format!("sha256:{d}")), "a local image ID");
        assert!(!is_pinned("sha256:abc"));
    }
}
