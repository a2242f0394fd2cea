//! What kind of file is this? File types are data: lintmux's built-in table (`linters.d/types.toml`) is the
//! default, and a linter definition may declare a type of its own or add rules to a built-in one with a
//! `[types.<name>]` table. A type is recognised by extension, by file-name glob, by path glob, or — only for
//! files whose name has no extension and matches nothing — by the interpreter on the `#!` line, so the walk
//! opens no file that its name already classifies. A file may have several types (a workflow file is YAML
//! and a GitHub workflow); every linter of each runs on it. `lintmux detect --files` asks [`FileTypes::explain`]
//! why.

use std::collections::{BTreeMap, HashMap};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

/// The built-in types.
const BUILTIN: &str = include_str!("../../linters.d/types.toml");

/// How many leading bytes are read to find a shebang or a NUL byte.
pub(crate) const SNIFF_BYTES: usize = 1024;

/// At most this many types can be known at once (a [`TypeSet`] is a bit set).
pub(crate) const MAX_TYPES: usize = 64;

/// The rules of one type, as written in TOML.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct TypeRules {
    #[serde(default)]
    pub(crate) extensions: Vec<String>,
    #[serde(default)]
    pub(crate) names: Vec<String>,
    #[serde(default)]
    pub(crate) paths: Vec<String>,
    #[serde(default)]
    pub(crate) interpreters: Vec<String>,
    /// Every file that is not binary has this type (`text`).
    #[serde(default)]
    pub(crate) all_text: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BuiltinFile {
    types: BTreeMap<String, TypeRules>,
    binary: BinaryRules,
}

/// Extensions of files that are binary, known without reading them.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BinaryRules {
    extensions: Vec<String>,
}

/// A set of file types, by id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct TypeSet(u64);

impl TypeSet {
    pub(crate) fn insert(&mut self, id: usize) {
        self.0 |= 1 << id;
    }
    pub(crate) fn contains(self, id: usize) -> bool {
        id < MAX_TYPES && self.0 & (1 << id) != 0
    }
    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub(crate) fn intersects(self, other: TypeSet) -> bool {
        self.0 & other.0 != 0
    }
    pub(crate) fn union(self, other: TypeSet) -> TypeSet {
        TypeSet(self.0 | other.0)
    }
    pub(crate) fn minus(self, other: TypeSet) -> TypeSet {
        TypeSet(self.0 & !other.0)
    }
    pub(crate) fn ids(self) -> impl Iterator<Item = usize> {
        (0..MAX_TYPES).filter(move |&i| self.contains(i))
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum TypeError {
    #[error("more than {MAX_TYPES} file types are declared; lintmux supports at most {MAX_TYPES}")]
    TooMany,
    #[error("file type `{name}` (declared by {origin}) has an invalid glob `{glob}`: {source}")]
    Glob {
        name: String,
        origin: String,
        glob: String,
        #[source]
        source: globset::Error,
    },
}

/// Which rule matched, for explanations: (type id, rule kind, the rule's text).
type Rule = (usize, &'static str, String);

/// Every known type and the compiled rules that recognise them.
#[derive(Clone, Debug)]
pub(crate) struct FileTypes {
    /// Type names by id, sorted.
    names: Vec<String>,
    /// Who declared each type (`builtin`, or definition paths).
    origins: Vec<String>,
    by_ext: HashMap<String, TypeSet>,
    name_set: GlobSet,
    name_rules: Vec<Rule>,
    path_set: GlobSet,
    path_rules: Vec<Rule>,
    by_interpreter: HashMap<String, TypeSet>,
    /// The types every non-binary file has.
    all_text: TypeSet,
    binary_ext: std::collections::HashSet<String>,
}

/// Collects type declarations, then compiles them.
#[derive(Default)]
pub(crate) struct Builder {
    types: BTreeMap<String, (TypeRules, Vec<String>)>,
    binary_ext: Vec<String>,
}

impl Builder {
    /// A builder holding the built-in types.
    pub(crate) fn with_builtin() -> Builder {
        let mut b = Builder::default();
        // The built-in table is part of lintmux and tested; it always parses.
        if let Ok(file) = toml::from_str::<BuiltinFile>(BUILTIN) {
            for (name, rules) in file.types {
                b.add(&name, &rules, "builtin");
            }
            b.binary_ext = file.binary.extensions;
        }
        b
    }

    /// Declares `name`, or adds rules to it when it is known.
    pub(crate) fn add(&mut self, name: &str, rules: &TypeRules, origin: &str) {
        let entry = self.types.entry(name.to_owned()).or_default();
        let r = &mut entry.0;
        r.extensions.extend(rules.extensions.iter().cloned());
        r.names.extend(rules.names.iter().cloned());
        r.paths.extend(rules.paths.iter().cloned());
        r.interpreters.extend(rules.interpreters.iter().cloned());
        r.all_text |= rules.all_text;
        if !entry.1.iter().any(|o| o == origin) {
            entry.1.push(origin.to_owned());
        }
    }

    pub(crate) fn build(self) -> Result<FileTypes, TypeError> {
        if self.types.len() > MAX_TYPES {
            return Err(TypeError::TooMany);
        }
        let mut by_ext: HashMap<String, TypeSet> = HashMap::new();
        let mut by_interpreter: HashMap<String, TypeSet> = HashMap::new();
        let (mut name_b, mut path_b) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        let (mut name_rules, mut path_rules) = (Vec::new(), Vec::new());
        let mut names = Vec::new();
        let mut origins = Vec::new();
        let mut all_text = TypeSet::default();
        for (id, (name, (rules, origin))) in self.types.into_iter().enumerate() {
            if rules.all_text {
                all_text.insert(id);
            }
            let origin = origin.join(", ");
            let glob = |g: &str| {
                Glob::new(g).map_err(|source| TypeError::Glob {
                    name: name.clone(),
                    origin: origin.clone(),
                    glob: g.to_owned(),
                    source,
                })
            };
            for e in &rules.extensions {
                by_ext
                    .entry(e.trim_start_matches('.').to_owned())
                    .or_default()
                    .insert(id);
            }
            for i in &rules.interpreters {
                by_interpreter.entry(i.clone()).or_default().insert(id);
            }
            for g in &rules.names {
                name_b.add(glob(g)?);
                name_rules.push((id, "name", g.clone()));
            }
            for g in &rules.paths {
                path_b.add(glob(g)?);
                path_rules.push((id, "path", g.clone()));
            }
            names.push(name);
            origins.push(origin);
        }
        let compile = |b: GlobSetBuilder| b.build().unwrap_or_else(|_| GlobSet::empty());
        Ok(FileTypes {
            names,
            origins,
            by_ext,
            name_set: compile(name_b),
            name_rules,
            path_set: compile(path_b),
            path_rules,
            by_interpreter,
            all_text,
            binary_ext: self.binary_ext.into_iter().collect(),
        })
    }
}

fn extension(file_name: &str) -> Option<&str> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    (!stem.is_empty()).then_some(ext)
}

/// The program named on a `#!` line without its directory (`python3.11`), and without its version
/// suffix (`python`).
fn interpreter(head: &[u8]) -> Option<(&str, &str)> {
    let rest = head.strip_prefix(b"#!")?;
    let line = rest.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim();
    let mut words = line.split_whitespace();
    let mut program = words.next()?;
    if program.rsplit('/').next() == Some("env") {
        // `env [-S] [VAR=x] [-flags] program args`
        program = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
    }
    let base = program.rsplit('/').next()?;
    Some((base, base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')))
}

/// True when the sniffed bytes look binary (a NUL byte, as git and ripgrep decide).
pub(crate) fn looks_binary(head: &[u8]) -> bool {
    head.contains(&0)
}

impl FileTypes {
    /// The built-in types alone.
    #[cfg(test)]
    pub(crate) fn builtin() -> FileTypes {
        Builder::with_builtin()
            .build()
            .unwrap_or_else(|_| Builder::default().build().unwrap_or_else(|_| unreachable!()))
    }

    pub(crate) fn id(&self, name: &str) -> Option<usize> {
        self.names.binary_search_by(|n| n.as_str().cmp(name)).ok()
    }

    pub(crate) fn name(&self, id: usize) -> &str {
        self.names.get(id).map_or("", String::as_str)
    }

    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    pub(crate) fn origin(&self, id: usize) -> &str {
        self.origins.get(id).map_or("", String::as_str)
    }

    /// The set of the named types (unknown names are left out; definitions are checked when loaded).
    pub(crate) fn set_of<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> TypeSet {
        let mut set = TypeSet::default();
        for n in names {
            if let Some(id) = self.id(n) {
                set.insert(id);
            }
        }
        set
    }

    /// The types a file has by its name and path alone. `rel` is root-relative with forward slashes. A
    /// name with a binary extension has none; any other name has the `all_text` types too.
    pub(crate) fn by_name(&self, rel: &str) -> TypeSet {
        let file_name = rel.rsplit('/').next().unwrap_or(rel);
        let ext = extension(file_name);
        if ext.is_some_and(|e| self.binary_ext.contains(&e.to_ascii_lowercase())) {
            return TypeSet::default();
        }
        let mut set = ext
            .and_then(|e| self.by_ext.get(e))
            .copied()
            .unwrap_or_default()
            .union(self.all_text);
        // `is_match` first: it allocates nothing, and most names match no glob.
        if !self.name_rules.is_empty() && self.name_set.is_match(file_name) {
            for i in self.name_set.matches(file_name) {
                set.insert(self.name_rules[i].0);
            }
        }
        if !self.path_rules.is_empty() && self.path_set.is_match(rel) {
            for i in self.path_set.matches(rel) {
                set.insert(self.path_rules[i].0);
            }
        }
        set
    }

    /// Is the file worth reading (its `#!` line, and whether it is binary)? Only for a name with no
    /// extension that gave no type but the `all_text` ones.
    pub(crate) fn worth_sniffing(&self, rel: &str, by_name: TypeSet) -> bool {
        let file_name = rel.rsplit('/').next().unwrap_or(rel);
        by_name.minus(self.all_text).is_empty() && extension(file_name).is_none()
    }

    /// The types the `#!` line at the start of `head` gives.
    pub(crate) fn by_shebang(&self, head: &[u8]) -> TypeSet {
        interpreter(head)
            .and_then(|(_, i)| self.by_interpreter.get(i))
            .copied()
            .unwrap_or_default()
    }

    /// Each type of the file and the rule that gave it (`head`: the file's first bytes, when it was read).
    pub(crate) fn explain(&self, rel: &str, head: Option<&[u8]>) -> Vec<(String, String)> {
        let file_name = rel.rsplit('/').next().unwrap_or(rel);
        let mut out: Vec<(usize, String)> = Vec::new();
        if let Some(e) = extension(file_name)
            && let Some(set) = self.by_ext.get(e)
        {
            out.extend(set.ids().map(|id| (id, format!("name matches *.{e}"))));
        }
        for i in self.name_set.matches(file_name) {
            let (id, _, g) = &self.name_rules[i];
            out.push((*id, format!("name matches {g}")));
        }
        for i in self.path_set.matches(rel) {
            let (id, _, g) = &self.path_rules[i];
            out.push((*id, format!("path matches {g}")));
        }
        let named = !out.is_empty();
        let binary_ext = extension(file_name).is_some_and(|e| self.binary_ext.contains(&e.to_ascii_lowercase()));
        if !binary_ext {
            out.extend(self.all_text.ids().map(|id| (id, "not binary".to_owned())));
        }
        if !named
            && let Some(head) = head
            && let Some((base, i)) = interpreter(head)
            && let Some(set) = self.by_interpreter.get(i)
        {
            out.extend(set.ids().map(|id| (id, format!("shebang names {base}"))));
        }
        out.sort();
        out.dedup_by(|a, b| a.0 == b.0);
        out.into_iter()
            .map(|(id, why)| (self.name(id).to_owned(), why))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The types of `rel` by name, leaving out `text` (every non-binary name has it).
    fn types(rel: &str) -> Vec<String> {
        let t = FileTypes::builtin();
        let text = t.set_of(["text"]);
        assert!(t.by_name(rel).intersects(text), "{rel} is text");
        t.by_name(rel)
            .minus(text)
            .ids()
            .map(|id| t.name(id).to_owned())
            .collect()
    }

    #[test]
    fn by_extension_and_name() {
        assert_eq!(types("app/main.py"), ["python"]);
        assert_eq!(types("client/src/api.tsx"), ["typescript"]);
        assert_eq!(types("x.cts"), ["typescript"]);
        assert_eq!(types("x.mjs"), ["javascript"]);
        assert_eq!(types(".github/workflows/ci.yml"), ["github-workflow", "yaml"]);
        assert_eq!(types("deploy/ci.yml"), ["yaml"]);
        assert_eq!(types("ci/setup/action.yaml"), ["github-action", "yaml"]);
        assert_eq!(types("docker-compose.prod.yml"), ["compose", "yaml"]);
        assert_eq!(types("pyproject.toml"), ["toml"]);
        assert!(types("notes.txt").is_empty());
        assert!(
            FileTypes::builtin().by_name("logo.PNG").is_empty(),
            "binary by extension"
        );
        assert_eq!(types("README.md"), ["markdown"]);
        assert_eq!(types("deploy/Dockerfile"), ["dockerfile"]);
        assert_eq!(types("Containerfile"), ["dockerfile"]);
        assert_eq!(types("Dockerfile.prod"), ["dockerfile"]);
        assert_eq!(types("worker.dockerfile"), ["dockerfile"]);
        assert_eq!(types("api.Dockerfile"), ["dockerfile"]);
        assert_eq!(types("scripts/run.sh"), ["shell"]);
        assert_eq!(types(".yamllint"), ["yaml"]);
        assert!(types("Cargo.lock").is_empty());
        assert!(types(".gitignore").is_empty());
        assert!(types("scripts/healthcheck").is_empty());
        assert!(types(".bashrc").is_empty(), "a dot-file has no extension");
    }

    #[test]
    fn declared_types_overlap_and_extend() {
        let mut b = Builder::with_builtin();
        b.add(
            "github-workflow",
            &TypeRules {
                paths: vec![".github/workflows/*.yml".into()],
                ..TypeRules::default()
            },
            "linters.d/actionlint.toml",
        );
        b.add(
            "python",
            &TypeRules {
                extensions: vec!["pyw".into()],
                ..TypeRules::default()
            },
            "linters.d/x.toml",
        );
        let t = b.build().unwrap();
        let names = |rel: &str| -> Vec<&str> {
            t.by_name(rel)
                .ids()
                .map(|id| t.name(id))
                .filter(|n| *n != "text")
                .collect()
        };
        assert_eq!(names(".github/workflows/ci.yml"), ["github-workflow", "yaml"]);
        assert_eq!(names("config/ci.yml"), ["yaml"]);
        assert_eq!(names("tool.pyw"), ["python"]);
        assert_eq!(t.origin(t.id("python").unwrap()), "builtin, linters.d/x.toml");
        assert_eq!(
            t.explain(".github/workflows/ci.yml", None),
            [
                (
                    "github-workflow".to_owned(),
                    "path matches **/.github/workflows/*.yml".to_owned()
                ),
                ("text".to_owned(), "not binary".to_owned()),
                ("yaml".to_owned(), "name matches *.yml".to_owned())
            ]
        );
    }

    fn shebang(s: &str) -> Vec<String> {
        let t = FileTypes::builtin();
        t.by_shebang(s.as_bytes())
            .ids()
            .map(|id| t.name(id).to_owned())
            .collect()
    }

    #[test]
    fn shebangs() {
        assert_eq!(shebang("#!/bin/sh\necho"), ["shell"]);
        assert_eq!(shebang("#! /bin/bash -eu\n"), ["shell"]);
        assert_eq!(shebang("#!/usr/bin/env bash\n"), ["shell"]);
        assert_eq!(shebang("#!/usr/bin/env -S bash -e\n"), ["shell"]);
        assert_eq!(shebang("#!/usr/bin/python3.11\n"), ["python"]);
        assert_eq!(shebang("#!/usr/bin/env python3 -u\n"), ["python"]);
        assert_eq!(shebang("#!/usr/bin/env node\n"), ["javascript"]);
        assert!(shebang("#!/usr/bin/env perl\n").is_empty());
        assert!(shebang("echo hi\n").is_empty());
        let t = FileTypes::builtin();
        assert_eq!(
            t.explain("bin/run", Some(b"#!/usr/bin/env bash\n")),
            [
                ("shell".to_owned(), "shebang names bash".to_owned()),
                ("text".to_owned(), "not binary".to_owned())
            ]
        );
    }

    #[test]
    fn binary_sniff() {
        assert!(looks_binary(b"\x7fELF\x00\x01"));
        assert!(!looks_binary(b"#!/bin/sh\n"));
    }

    #[test]
    fn the_builtin_table_parses() {
        assert!(toml::from_str::<BuiltinFile>(BUILTIN).is_ok());
        assert_eq!(
            FileTypes::builtin().names(),
            [
                "compose",
                "css",
                "dependabot",
                "dockerfile",
                "github-action",
                "github-workflow",
                "gitlab-ci",
                "javascript",
                "json",
                "markdown",
                "python",
                "readthedocs",
                "renovate",
                "shell",
                "text",
                "toml",
                "typescript",
                "yaml"
            ]
        );
    }
}
