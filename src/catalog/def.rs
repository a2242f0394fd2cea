//! The catalog of linters. A linter is data, not code: `linters.d/<name>.toml` says which file types it
//! lints, how to call it, how it takes files, what its exit codes mean, how to read its output, which config
//! files it reads, and which exact version lintmux pins and how to install it. The definitions shipped with
//! lintmux are embedded at build time; a repository's own `linters.d/` adds definitions or replaces shipped
//! ones by name, so a team can add a linter whose output is SARIF or regex-readable lines without Rust.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalog::types::{Builder as TypeBuilder, FileTypes, TypeRules, TypeSet};
use crate::model::Level;
use crate::parse::{OutputFormat, Reading, Stream};

/// The definitions shipped with lintmux, embedded at build time.
const BUILTIN: &[(&str, &str)] = &[
    ("eslint", include_str!("../../linters.d/eslint.toml")),
    ("hadolint", include_str!("../../linters.d/hadolint.toml")),
    (
        "markdownlint-cli2",
        include_str!("../../linters.d/markdownlint-cli2.toml"),
    ),
    ("mypy", include_str!("../../linters.d/mypy.toml")),
    ("ruff", include_str!("../../linters.d/ruff.toml")),
    ("shellcheck", include_str!("../../linters.d/shellcheck.toml")),
    ("yamllint", include_str!("../../linters.d/yamllint.toml")),
    // Service-repository linters (issue 13).
    ("actionlint", include_str!("../../linters.d/actionlint.toml")),
    (
        "check-jsonschema",
        include_str!("../../linters.d/check-jsonschema.toml"),
    ),
    ("codespell", include_str!("../../linters.d/codespell.toml")),
    ("detect-secrets", include_str!("../../linters.d/detect-secrets.toml")),
    ("taplo", include_str!("../../linters.d/taplo.toml")),
    ("typos", include_str!("../../linters.d/typos.toml")),
    ("typos-code", include_str!("../../linters.d/typos-code.toml")),
    ("zizmor", include_str!("../../linters.d/zizmor.toml")),
    // Formatters (issue 12).
    ("prettier", include_str!("../../linters.d/prettier.toml")),
    ("ruff-format", include_str!("../../linters.d/ruff-format.toml")),
    ("shfmt", include_str!("../../linters.d/shfmt.toml")),
    ("taplo-format", include_str!("../../linters.d/taplo-format.toml")),
];

/// Support files shipped beside the definitions (bundled default configs), by file name.
const BUILTIN_FILES: &[(&str, &str)] = &[("eslint.config.mjs", include_str!("../../linters.d/eslint.config.mjs"))];

/// The content of a support file shipped in lintmux's own linters.d.
pub fn builtin_file(name: &str) -> Option<&'static str> {
    BUILTIN_FILES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// How a linter takes its files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
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
pub struct OutputDef {
    #[serde(default)]
    pub stream: Stream,
    pub format: OutputFormat,
    /// For `format = "regex"`: a regex with named groups `path`, `line`, and optionally `column`,
    /// `end_line`, `end_column`, `level`, `rule`, `message`, matched against each line.
    pub pattern: Option<String>,
    /// For `format = "regex"`: regexes of the other lines the tool prints (banners, summaries). A
    /// non-empty line that matches neither `pattern` nor one of these makes the run a tool error.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// For formats that carry no level: the level of every finding.
    pub level: Option<Level>,
    /// For formats that carry no rule id: the rule of every finding.
    pub rule: Option<String>,
    /// For `format = "regex"`: more specific line patterns, tried before `pattern`, each with the rule
    /// and level of the findings it reads (a formatter's "cannot parse this file" lines among the files
    /// it lists).
    #[serde(default)]
    pub specific: Vec<SpecificPattern>,
}

/// A line pattern with the rule and level of what it matches.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecificPattern {
    pub pattern: String,
    pub rule: Option<String>,
    pub level: Option<Level>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionDef {
    /// The exact version lintmux pins and tests against.
    pub pin: String,
    /// argv that prints the installed version; `command[0]` is resolved like the linter's binary.
    pub command: Vec<String>,
    /// Regex whose first group is the version in that output.
    pub pattern: String,
}

/// Where the pinned tool comes from. Exactly one of `pypi` and `npm`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallDef {
    /// Requirement specifiers installed together into one virtualenv (`ruff==0.17.5`).
    #[serde(default)]
    pub pypi: Vec<String>,
    /// Package specs installed together into one npm prefix (`eslint@10.15.0`).
    #[serde(default)]
    pub npm: Vec<String>,
    /// Why the pin is what it is (shown by `lintmux linters --verbose`, kept for readers).
    #[serde(default)]
    pub why: String,
    /// The install's name (default: the definition's). Definitions that install the same packages under
    /// one name share one install: ruff-format uses ruff's.
    pub name: Option<String>,
}

/// Where a definition came from: a repository can make lintmux run commands, so users must see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum DefOrigin {
    #[default]
    Builtin,
    /// A `linters.d` beside a central or team config the repository extends (its label).
    Config(String),
    /// The repository's own `linters.d`.
    Repository,
}

impl DefOrigin {
    pub fn describe(&self) -> String {
        match self {
            DefOrigin::Builtin => "built-in".to_owned(),
            DefOrigin::Config(label) => format!("central config ({label})"),
            DefOrigin::Repository => "repository".to_owned(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinterDef {
    /// The definition's file stem; not written in the file.
    #[serde(skip)]
    pub name: String,
    /// Where the definition came from (`builtin` or a file path), for messages.
    #[serde(skip)]
    pub source: String,
    /// The definition's text, part of the result-cache key: editing a definition re-runs its linter.
    #[serde(skip)]
    pub text: String,
    /// The file it was read from (for messages).
    #[serde(skip)]
    pub path: PathBuf,
    #[serde(skip)]
    pub origin: DefOrigin,
    /// It replaces a built-in definition of the same name.
    #[serde(skip)]
    pub overrides_builtin: bool,
    /// The trust level does not let it run (a repository definition under `trust = "none"`/`"config"`).
    #[serde(skip)]
    pub refused: bool,
    /// A repository definition of the same name that the trust level refused (its path).
    #[serde(skip)]
    pub refused_override: Option<String>,
    pub description: String,
    /// The tool's home page (SARIF `informationUri`).
    pub homepage: String,
    /// File types (see `lintmux detect`) this linter lints.
    pub file_types: Vec<String>,
    /// argv template. `{files}` expands to the file arguments; `{scratch}` is a private temporary
    /// directory outside the repository; `{root}` the lint root.
    pub command: Vec<String>,
    #[serde(default)]
    pub mode: Mode,
    /// How one file is written on the command line; `{file}` is its path relative to the root.
    #[serde(default = "default_file_arg")]
    pub file_arg: String,
    /// Exit codes that mean "the tool ran" (with or without findings); any other is a tool failure.
    #[serde(default = "default_ok_exit_codes")]
    pub ok_exit_codes: Vec<i32>,
    /// Exit codes accepted only when the output holds findings (mypy exits 2 on a blocking syntax
    /// error, which it reports as a finding; with nothing to show, the same code is a failure).
    #[serde(default)]
    pub findings_exit_codes: Vec<i32>,
    pub output: OutputDef,
    /// Config files the tool reads, relative to the root (used for the default-config decision and caching).
    #[serde(default)]
    pub config_files: Vec<String>,
    /// How to hand the tool a config file; `{config}` is its path. Used for a `config` set in
    /// lintmux.toml (a central standard's shared config) and for `default_config`.
    #[serde(default)]
    pub config_arg: Vec<String>,
    /// A config in lintmux's linters.d, used when the repository has none of `config_files` (for tools
    /// that cannot run without one); it is copied beside the tool's install so its imports resolve.
    pub default_config: Option<String>,
    pub version: VersionDef,
    pub install: Option<InstallDef>,
    /// Look for the binary in the repository's `node_modules/.bin` and `.venv/bin` first, so the tool sees
    /// the project's own plugins and packages.
    #[serde(default)]
    pub prefer_project: bool,
    /// When any of these paths exists in the root, the tool *must* come from the project (mypy with a
    /// `.venv`: only the project's mypy sees the packages installed there).
    #[serde(default)]
    pub project_required_if: Vec<String>,
    /// Help link for a rule when the output carries none; `{rule}` is the rule id.
    pub rule_url: Option<String>,
    /// Environment variables passed through from lintmux's environment (beyond PATH, HOME and locale).
    #[serde(default)]
    pub env: Vec<String>,
    /// File types this definition declares, or adds rules to (see linters.d/types.toml).
    #[serde(default)]
    pub types: BTreeMap<String, TypeRules>,
    /// A container image with the pinned tool, pinned by digest, for `runner = "container"`.
    pub image: Option<String>,
    /// Smallest batch worth a separate process; batches are split only above this many files.
    #[serde(default = "default_min_batch")]
    pub min_batch: usize,
    // Service-repository linters (issue 13).
    /// Extra arguments for the files of one type (check-jsonschema: the schema of each type). Files
    /// with different extra arguments never share a job. See `groups.rs`.
    #[serde(default)]
    pub type_args: BTreeMap<String, Vec<String>>,
    /// `false`: off unless lintmux.toml turns it on (`enable`, or `[linters.<name>] enabled = true`),
    /// for linters that are available but not part of the default set (codespell, typos on code).
    #[serde(default = "default_true")]
    pub default_enabled: bool,
    /// How to hand the tool a schema file; `{schema}` is its path. With it, lintmux.toml can map globs
    /// to schema files of the repository (`[linters.<name>] schemas = { "k8s/*.yaml" = "k8s.json" }`).
    #[serde(default)]
    pub schema_arg: Vec<String>,
    // Formatters and fixes (issue 12).
    /// `linter` (the default) or `formatter`: a formatter's `command` lists the files it would change,
    /// and its `[format]` table says how to print one file formatted.
    #[serde(default)]
    pub kind: Kind,
    /// For a formatter: how it prints a file formatted.
    pub format: Option<FormatDef>,
    /// How the tool applies its own fixes in place (`lintmux check --fix`).
    pub fix: Option<FixDef>,
    /// When given, the linter runs by default only on files governed by one of these, found in the
    /// file's directory or one above it up to the root (or everywhere when lintmux.toml enables it or
    /// gives it a config): `name` (the file exists), `name#key.path` (a TOML or JSON file holding that
    /// key: `pyproject.toml#tool.ruff`, `package.json#prettier`), `name~regex` (a file whose text matches).
    /// A repository that never used a formatter gets no findings from it the first day.
    #[serde(default)]
    pub configured_by: Vec<String>,
}

/// What a definition is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Linter,
    /// Its findings say that a file is not formatted; it can print the file formatted, and `lintmux
    /// fmt` writes what it prints.
    Formatter,
}

/// How a formatter prints one file formatted.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatDef {
    /// argv that reads the file's content on stdin and prints it formatted on stdout; `{file}` is its
    /// path relative to the root (for the tool's config and ignore rules). Exit code 0, else a tool error.
    pub print: Vec<String>,
    /// The rule of the `command`'s findings that mean "this file would change"; its other findings (a
    /// file the formatter cannot parse) are reported as they are. Default: every finding.
    pub rule: Option<String>,
    /// `false`: the tool cannot be trusted to list the files it would change (taplo's listing is a log
    /// line it can lose when it exits), so `command` is not run and every file is printed, one process
    /// each, and compared.
    #[serde(default = "default_true")]
    pub list: bool,
    /// A regex on what `print` writes to stderr when it fails because the file does not parse, with
    /// named groups `line`, `column` and `message` (each optional): such a file is a `syntax-error`
    /// finding of the formatter, not a tool error.
    pub unparsable: Option<String>,
}

/// How a tool applies its fixes in place.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixDef {
    /// argv that applies the fixes the tool calls safe to its `{files}`.
    pub command: Vec<String>,
    /// argv that applies its unsafe fixes too (`--unsafe-fixes`); without it, the tool has only one kind.
    pub unsafe_command: Option<Vec<String>>,
    /// Exit codes that mean the fixing ran (findings may remain).
    #[serde(default = "default_ok_exit_codes")]
    pub ok_exit_codes: Vec<i32>,
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
    pub fn binary(&self) -> &str {
        self.command.first().map_or("", String::as_str)
    }

    /// What its parser needs to know of the definition, for a run in `root`.
    pub(crate) fn ctx(&self, root: &Path) -> crate::parse::Ctx {
        let mut ctx = crate::parse::Ctx::new(&self.name, root);
        ctx.rule_url = self.rule_url.clone();
        ctx.default_level = self.output.level;
        ctx.default_rule = self.output.rule.clone();
        ctx.pattern = self.output.pattern.as_deref().and_then(|s| regex::Regex::new(s).ok());
        ctx.specific = self
            .output
            .specific
            .iter()
            .filter_map(|p| Some((regex::Regex::new(&p.pattern).ok()?, p.rule.clone(), p.level)))
            .collect();
        ctx.ignore = self
            .output
            .ignore
            .iter()
            .filter_map(|s| regex::Regex::new(s).ok())
            .collect();
        ctx
    }

    /// How to read this linter's output.
    pub fn reading(&self) -> Reading {
        Reading {
            linter: self.name.clone(),
            stream: self.output.stream,
            format: self.output.format,
            ok_exit_codes: self.ok_exit_codes.clone(),
            findings_exit_codes: self.findings_exit_codes.clone(),
        }
    }

    /// Checks what serde cannot; the error names the key it is about.
    fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.command.is_empty() {
            return Err(("command", "`command` is empty: give at least the program name".into()));
        }
        if self.mode != Mode::Project && !self.command.iter().any(|a| a == "{files}") {
            return Err((
                "command",
                "`command` has no \"{files}\" argument: lintmux cannot pass it the files".into(),
            ));
        }
        if (self.default_config.is_some() || !self.config_arg.is_empty())
            && !self.config_arg.iter().any(|a| a.contains("{config}"))
        {
            return Err((
                "config_arg",
                "`config_arg` must contain \"{config}\" (and is required with `default_config`)".into(),
            ));
        }
        if let Some(image) = &self.image
            && !is_pinned(image)
        {
            return Err((
                "image",
                format!("`image = \"{image}\"` is not pinned by digest (`<name>@sha256:<digest>`)"),
            ));
        }
        if !self.file_arg.contains("{file}") {
            return Err(("file_arg", "`file_arg` must contain \"{file}\"".into()));
        }
        match (self.kind, &self.format) {
            (Kind::Formatter, None) => {
                return Err((
                    "kind",
                    "a formatter needs a `[format]` table with `print`: how it prints one file formatted".into(),
                ));
            }
            (Kind::Linter, Some(_)) => {
                return Err(("format", "`[format]` is read only with `kind = \"formatter\"`".into()));
            }
            (Kind::Formatter, Some(f)) if f.print.first() != self.command.first() => {
                return Err((
                    "print",
                    "`format.print` must run the same program as `command` (its first word)".into(),
                ));
            }
            _ => {}
        }
        if let Some(re) = self.format.as_ref().and_then(|f| f.unparsable.as_ref()) {
            regex::Regex::new(re)
                .map_err(|e| ("unparsable", format!("`format.unparsable` is not a valid regex: {e}")))?;
        }
        if let Some(fix) = &self.fix {
            for command in std::iter::once(&fix.command).chain(&fix.unsafe_command) {
                if command.first() != self.command.first() {
                    return Err((
                        "fix",
                        "`fix.command` must run the same program as `command` (its first word)".into(),
                    ));
                }
                if !command.iter().any(|a| a == "{files}") {
                    return Err((
                        "fix",
                        "`fix.command` and `fix.unsafe_command` need a \"{files}\" argument".into(),
                    ));
                }
            }
        }
        for marker in &self.configured_by {
            if let Some((_, re)) = marker.split_once('~') {
                regex::Regex::new(re).map_err(|e| {
                    (
                        "configured_by",
                        format!("`configured_by` holds `{marker}`, whose regex is not valid: {e}"),
                    )
                })?;
            }
        }
        if !self.schema_arg.is_empty() && !self.schema_arg.iter().any(|a| a.contains("{schema}")) {
            return Err(("schema_arg", "`schema_arg` must contain \"{schema}\"".into()));
        }
        if let Some(t) = self.type_args.keys().find(|t| !self.file_types.contains(t)) {
            return Err((
                "type_args",
                format!("`type_args` names `{t}`, which is not one of its `file_types`"),
            ));
        }
        if self.file_types.is_empty() {
            return Err((
                "file_types",
                "`file_types` is empty: name the types it lints (see `lintmux detect`)".into(),
            ));
        }
        if self.output.format == OutputFormat::Regex {
            let Some(pattern) = &self.output.pattern else {
                return Err(("format", "`output.format = \"regex\"` needs `output.pattern`".into()));
            };
            // A formatter's listing may name just the file.
            let required: &[&str] = match self.kind {
                Kind::Linter => &["path", "line"],
                Kind::Formatter => &["path"],
            };
            for (key, pattern) in std::iter::once(("pattern", pattern))
                .chain(self.output.specific.iter().map(|p| ("specific", &p.pattern)))
            {
                let re = regex::Regex::new(pattern).map_err(|e| {
                    (
                        key,
                        format!("`output.{key}` holds `{pattern}`, which is not a valid regex: {e}"),
                    )
                })?;
                let names: Vec<&str> = re.capture_names().flatten().collect();
                for &required in required {
                    if !names.contains(&required) {
                        return Err((
                            key,
                            format!("`output.{key}` needs a named group `(?P<{required}>…)` in `{pattern}`"),
                        ));
                    }
                }
            }
        }
        if !self.output.specific.is_empty() && self.output.format != OutputFormat::Regex {
            return Err((
                "specific",
                "`output.specific` is read only by `format = \"regex\"`".into(),
            ));
        }
        if !self.output.ignore.is_empty() && self.output.format != OutputFormat::Regex {
            return Err(("ignore", "`output.ignore` is read only by `format = \"regex\"`".into()));
        }
        for pattern in &self.output.ignore {
            regex::Regex::new(pattern).map_err(|e| {
                (
                    "ignore",
                    format!("`output.ignore` holds `{pattern}`, which is not a valid regex: {e}"),
                )
            })?;
        }
        regex::Regex::new(&self.version.pattern)
            .map_err(|e| ("version", format!("`version.pattern` is not a valid regex: {e}")))?;
        if let Some(install) = &self.install
            && install.pypi.is_empty() == install.npm.is_empty()
        {
            return Err(("install", "`install` needs exactly one of `pypi` and `npm`".into()));
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("failed to read linter definition {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid linter definition {0}")]
    Parse(String),
    /// `at` is `path:line:col` of the key the message is about.
    #[error("invalid linter definition {at}: {message}\n{excerpt}")]
    Invalid {
        at: String,
        message: String,
        excerpt: String,
    },
    #[error("invalid file types: {0}")]
    Types(#[from] crate::catalog::types::TypeError),
}

/// The span of `key = …` in a definition's source (the first one, at the start of a line or inside an
/// inline table), for messages about values serde accepted but lintmux cannot use.
fn key_span(src: &str, key: &str) -> std::ops::Range<usize> {
    let re = regex::Regex::new(&format!(r"(?m)(?:^|[{{,]\s*){}\s*=", regex::escape(key)));
    re.ok()
        .and_then(|re| re.find(src))
        .map(|m| {
            let start = m.start() + m.as_str().find(key).unwrap_or(0);
            start..start + key.len()
        })
        .unwrap_or(0..0)
}

/// The span of the string `value` inside the `key = [...]` list, else of the key.
fn value_span(src: &str, key: &str, value: &str) -> std::ops::Range<usize> {
    let k = key_span(src, key);
    let line_end = src[k.start..].find('\n').map_or(src.len(), |i| k.start + i);
    let quoted = format!("\"{value}\"");
    match src[k.start..line_end].find(&quoted) {
        Some(i) => k.start + i..k.start + i + quoted.len(),
        None => k,
    }
}

/// `path` as the user would name it: relative to the current directory when it is below it.
fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

fn invalid(path: &Path, src: &str, span: std::ops::Range<usize>, message: String) -> CatalogError {
    let (line, col) = crate::model::source::line_col(src, span.start);
    CatalogError::Invalid {
        at: format!("{}:{line}:{col}", shown(path)),
        message,
        excerpt: crate::model::source::excerpt(src, span),
    }
}

/// Parses one definition; `path` is only used in messages.
pub fn parse_def(name: &str, path: &Path, src: &str, source: &str) -> Result<LinterDef, CatalogError> {
    let mut def: LinterDef = toml::from_str(src)
        .map_err(|e| CatalogError::Parse(crate::model::source::describe(Path::new(&shown(path)), src, &e)))?;
    def.name = name.to_owned();
    def.text = src.to_owned();
    def.source = source.to_owned();
    def.path = path.to_path_buf();
    def.validate()
        .map_err(|(key, message)| invalid(path, src, key_span(src, key), message))?;
    Ok(def)
}

/// All known linters by name: the built-in ones, then each `linters.d` directory in order (later wins), and
/// the file types they lint.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub linters: BTreeMap<String, LinterDef>,
    pub types: FileTypes,
}

impl Catalog {
    /// The built-in definitions, then those of `extra_dirs` in order. Under `trust` below `all`, a
    /// repository definition is refused: a built-in of the same name stays, and one with no built-in is
    /// kept but marked refused (it is reported, never run).
    pub fn load(extra_dirs: &[(PathBuf, DefOrigin)], trust: crate::model::Trust) -> Result<Catalog, CatalogError> {
        let mut linters: BTreeMap<String, LinterDef> = BTreeMap::new();
        for (name, src) in BUILTIN {
            let path = PathBuf::from(format!("linters.d/{name}.toml"));
            linters.insert((*name).to_owned(), parse_def(name, &path, src, "builtin")?);
        }
        for (dir, origin) in extra_dirs {
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml") && !p.ends_with("types.toml"))
                .collect();
            paths.sort();
            for path in paths {
                let src = std::fs::read_to_string(&path).map_err(|source| CatalogError::Read {
                    path: path.clone(),
                    source,
                })?;
                let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
                let mut def = parse_def(&name, &path, &src, &path.display().to_string())?;
                def.origin = origin.clone();
                def.overrides_builtin = BUILTIN.iter().any(|(n, _)| *n == name);
                if *origin == DefOrigin::Repository && trust < crate::model::Trust::All {
                    if def.overrides_builtin {
                        // The built-in stays; the report says what was refused.
                        if let Some(builtin) = linters.get_mut(&name) {
                            builtin.refused_override = Some(path.display().to_string());
                        }
                        continue;
                    }
                    def.refused = true;
                }
                linters.insert(name, def);
            }
        }
        let mut types = TypeBuilder::with_builtin();
        // A refused definition declares nothing: it must not change what the trusted linters lint.
        for def in linters.values().filter(|d| !d.refused) {
            for (name, rules) in &def.types {
                types.add(name, rules, &def.source);
            }
        }
        let types = types.build()?;
        for def in linters.values().filter(|d| !d.refused) {
            if let Some(unknown) = def.file_types.iter().find(|t| types.id(t).is_none()) {
                return Err(invalid(
                    &def.path,
                    &def.text,
                    value_span(&def.text, "file_types", unknown),
                    format!(
                        "unknown file type `{unknown}`; known types: {} (or declare it with a [types.{unknown}] table)",
                        types.names().join(", ")
                    ),
                ));
            }
        }
        Ok(Catalog { linters, types })
    }

    /// The types `def` lints, as a set.
    pub fn type_set(&self, def: &LinterDef) -> TypeSet {
        self.types.set_of(def.file_types.iter().map(String::as_str))
    }

    pub fn get(&self, name: &str) -> Option<&LinterDef> {
        self.linters.get(name)
    }

    /// Every linter's name, comma-separated, for "known linters: …" in messages.
    pub fn names(&self) -> String {
        self.linters.keys().cloned().collect::<Vec<_>>().join(", ")
    }

    /// The names of the linters that lint `file_type`.
    pub fn linters_for(&self, file_type: &str) -> Vec<&str> {
        self.linters
            .values()
            .filter(|d| d.file_types.iter().any(|t| t == file_type))
            .map(|d| d.name.as_str())
            .collect()
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

    #[test]
    fn builtin_definitions_load() {
        let catalog = Catalog::load(&[], crate::model::Trust::All).unwrap();
        let names: Vec<&str> = catalog.linters.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "actionlint",
                "check-jsonschema",
                "codespell",
                "detect-secrets",
                "eslint",
                "hadolint",
                "markdownlint-cli2",
                "mypy",
                "prettier",
                "ruff",
                "ruff-format",
                "shellcheck",
                "shfmt",
                "taplo",
                "taplo-format",
                "typos",
                "typos-code",
                "yamllint",
                "zizmor"
            ]
        );
        for def in catalog.linters.values() {
            assert!(def.install.is_some(), "{} has no pinned install", def.name);
        }
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let src = "description = \"x\"\nhomepage = \"h\"\nfile_types = [\"python\"]\ncommand = [\"x\", \"{files}\"]\ncolour = true\n";
        let err = parse_def("x", Path::new("linters.d/x.toml"), src, "test").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("linters.d/x.toml:5:1: unknown field `colour`"), "{text}");
    }

    #[test]
    fn regex_format_requires_named_groups() {
        let src = r#"description = "x"
homepage = "h"
file_types = ["python"]
command = ["x", "{files}"]
output = { format = "regex", pattern = "^(?P<path>[^:]+):(\\d+)" }
version = { pin = "1", command = ["x", "--version"], pattern = "(\\S+)" }
"#;
        let err = parse_def("x", Path::new("x.toml"), src, "test").unwrap_err();
        assert!(err.to_string().contains("named group `(?P<line>…)`"), "{err}");
        // A specific pattern is held to the same rule, and its error names it.
        let src = src.replace(
            r#"pattern = "^(?P<path>[^:]+):(\\d+)" }"#,
            r#"pattern = "^(?P<path>[^:]+):(?P<line>\\d+)", specific = [{ pattern = "^E (?P<path>.+)", level = "error" }] }"#,
        );
        let err = parse_def("x", Path::new("x.toml"), &src, "test").unwrap_err();
        assert!(
            err.to_string()
                .contains("`output.specific` needs a named group `(?P<line>…)` in `^E (?P<path>.+)`"),
            "{err}"
        );
    }

    #[test]
    fn output_ignore_is_checked_when_loaded() {
        let def = |output: &str| {
            format!(
                "description = \"x\"\nhomepage = \"h\"\nfile_types = [\"python\"]\ncommand = [\"x\", \"{{files}}\"]\n\
                 output = {output}\nversion = {{ pin = \"1\", command = [\"x\"], pattern = \"(\\\\S+)\" }}\n"
            )
        };
        let ok = def(
            r#"{ format = "regex", pattern = '^(?P<path>[^:]+):(?P<line>\d+)', ignore = ['^Checked \d+ files$'] }"#,
        );
        let loaded = parse_def("x", Path::new("x.toml"), &ok, "test").unwrap();
        assert_eq!(loaded.output.ignore, [r"^Checked \d+ files$"]);
        let bad = def(r#"{ format = "regex", pattern = '^(?P<path>[^:]+):(?P<line>\d+)', ignore = ['(unclosed'] }"#);
        let err = parse_def("x", Path::new("x.toml"), &bad, "test").unwrap_err();
        assert!(
            err.to_string()
                .contains("`output.ignore` holds `(unclosed`, which is not a valid regex"),
            "{err}"
        );
        let misplaced = def(r#"{ format = "ruff_json", ignore = ['x'] }"#);
        let err = parse_def("x", Path::new("x.toml"), &misplaced, "test").unwrap_err();
        assert!(
            err.to_string()
                .contains("`output.ignore` is read only by `format = \"regex\"`"),
            "{err}"
        );
    }

    #[test]
    fn repository_definition_replaces_builtin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("ruff.toml"),
            r#"description = "custom ruff"
homepage = "h"
file_types = ["python"]
command = ["ruff", "check", "{files}"]
output = { format = "ruff_json" }
version = { pin = "0.0.1", command = ["ruff", "--version"], pattern = "ruff (\\S+)" }
"#,
        )
        .unwrap();
        let catalog = Catalog::load(
            &[(dir.path().to_path_buf(), DefOrigin::Repository)],
            crate::model::Trust::All,
        )
        .unwrap();
        assert_eq!(catalog.get("ruff").unwrap().description, "custom ruff");
        assert_eq!(catalog.linters.len(), BUILTIN.len());
    }
}
