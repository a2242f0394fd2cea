//! The catalog: every known linter by name and the file types they lint. lintmux's own definitions are
//! embedded at build time; each `linters.d` of the configuration chain, then the repository's, adds
//! definitions or replaces shipped ones by name, so a team can add a linter whose output is SARIF or
//! regex-readable lines without Rust. Under trust below `all` a repository's definition is refused (kept
//! and reported, never run), and a refused definition declares no file type.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::def::{DefOrigin, LinterDef};
use super::types::{Builder as TypeBuilder, FileTypes, TypeSet};
use super::validate::{CatalogError, invalid, parse_def, value_span};

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
    // Service-repository linters.
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
    // Formatters.
    ("prettier", include_str!("../../linters.d/prettier.toml")),
    ("ruff-format", include_str!("../../linters.d/ruff-format.toml")),
    ("shfmt", include_str!("../../linters.d/shfmt.toml")),
    ("taplo-format", include_str!("../../linters.d/taplo-format.toml")),
];

/// Support files shipped beside the definitions (bundled default configs), by file name.
const BUILTIN_FILES: &[(&str, &str)] = &[("eslint.config.mjs", include_str!("../../linters.d/eslint.config.mjs"))];

/// The content of a support file shipped in lintmux's own linters.d.
pub(crate) fn builtin_file(name: &str) -> Option<&'static str> {
    BUILTIN_FILES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// All known linters by name: the built-in ones, then each `linters.d` directory in order (later wins), and
/// the file types they lint.
#[derive(Clone, Debug)]
pub(crate) struct Catalog {
    pub(crate) linters: BTreeMap<String, LinterDef>,
    pub(crate) types: FileTypes,
}

impl Catalog {
    /// The built-in definitions, then those of `extra_dirs` in order. Under `trust` below `all`, a
    /// repository definition is refused: a built-in of the same name stays, and one with no built-in is
    /// kept but marked refused (it is reported, never run).
    pub(crate) fn load(
        extra_dirs: &[(PathBuf, DefOrigin)],
        trust: crate::model::Trust,
    ) -> Result<Catalog, CatalogError> {
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
    pub(crate) fn type_set(&self, def: &LinterDef) -> TypeSet {
        self.types.set_of(def.file_types.iter().map(String::as_str))
    }

    pub(crate) fn get(&self, name: &str) -> Option<&LinterDef> {
        self.linters.get(name)
    }

    /// Every linter's name, comma-separated, for "known linters: …" in messages.
    pub(crate) fn names(&self) -> String {
        self.linters.keys().cloned().collect::<Vec<_>>().join(", ")
    }

    /// The names of the linters that lint `file_type`.
    pub(crate) fn linters_for(&self, file_type: &str) -> Vec<&str> {
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
