//! Loading one definition: serde reads it, then [`validate`] checks what serde cannot (a command that
//! takes no files, a regex that does not compile or lacks the groups its format needs, an image not pinned
//! by digest, …). Every mistake is an error at the `file:line:col` of the key it is about, with the line
//! and carets, so a typo never leaves a linter silently idle.

use std::path::{Path, PathBuf};

use super::def::{Kind, LinterDef, Mode, is_pinned};
use crate::model::source;
use crate::parse::OutputFormat;

#[derive(Debug, thiserror::Error)]
pub(crate) enum CatalogError {
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
pub(super) fn value_span(src: &str, key: &str, value: &str) -> std::ops::Range<usize> {
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

pub(super) fn invalid(path: &Path, src: &str, span: std::ops::Range<usize>, message: String) -> CatalogError {
    let (line, col) = source::line_col(src, span.start);
    CatalogError::Invalid {
        at: format!("{}:{line}:{col}", shown(path)),
        message,
        excerpt: source::excerpt(src, span),
    }
}

/// Parses one definition; `path` is only used in messages.
pub(crate) fn parse_def(name: &str, path: &Path, src: &str, source: &str) -> Result<LinterDef, CatalogError> {
    let mut def: LinterDef =
        toml::from_str(src).map_err(|e| CatalogError::Parse(source::describe(Path::new(&shown(path)), src, &e)))?;
    def.name = name.to_owned();
    def.text = src.to_owned();
    def.source = source.to_owned();
    def.path = path.to_path_buf();
    def.validate()
        .map_err(|(key, message)| invalid(path, src, key_span(src, key), message))?;
    Ok(def)
}

/// A mistake in a definition: the key it is about, and what is wrong.
type Mistake = (&'static str, String);

impl LinterDef {
    /// Checks what serde cannot; the error names the key it is about.
    fn validate(&self) -> Result<(), Mistake> {
        self.check_command()?;
        self.check_kind()?;
        self.check_files()?;
        self.check_output()?;
        self.check_version_and_install()
    }

    /// `command`, `config_arg`, `image`, `file_arg`: what lintmux runs and how it passes files and configs.
    fn check_command(&self) -> Result<(), Mistake> {
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
        Ok(())
    }

    /// A formatter's `[format]`, the `[fix]` of a tool that fixes, and how a tool lints a buffer.
    fn check_kind(&self) -> Result<(), Mistake> {
        self.check_buffer()?;
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
        Ok(())
    }

    /// `[buffer]`: a command that runs the same program (linters that take files), or shadow arguments
    /// naming `{file}` and `{buffer}` (whole-project linters).
    fn check_buffer(&self) -> Result<(), Mistake> {
        let Some(buffer) = &self.buffer else { return Ok(()) };
        match self.mode {
            Mode::Project => {
                let names = |p: &str| buffer.shadow.iter().any(|a| a.contains(p));
                if !buffer.command.is_empty() || !names("{file}") || !names("{buffer}") {
                    return Err((
                        "buffer",
                        "a whole-project linter reads a buffer through `buffer.shadow`, arguments that name \"{file}\" and \"{buffer}\"".into(),
                    ));
                }
            }
            Mode::Batch | Mode::File => {
                if !buffer.shadow.is_empty() || buffer.command.first() != self.command.first() {
                    return Err((
                        "buffer",
                        "`buffer.command` must run the same program as `command` (its first word), the content on stdin".into(),
                    ));
                }
                if buffer.command.iter().any(|a| a == "{files}") {
                    return Err((
                        "buffer",
                        "`buffer.command` lints one file: write \"{file}\", not \"{files}\"".into(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Which files it takes: `configured_by`, `schema_arg`, `type_args`, `file_types`.
    fn check_files(&self) -> Result<(), Mistake> {
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
        Ok(())
    }

    /// `output`: a regex definition's patterns and the keys only the regex format reads.
    fn check_output(&self) -> Result<(), Mistake> {
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
        Ok(())
    }

    /// `version.pattern` and `[install]`.
    fn check_version_and_install(&self) -> Result<(), Mistake> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
