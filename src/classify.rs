//! What kind of file is this? A rule table: file-name globs (extensions and well-known names such as
//! `Dockerfile`) through `ignore`'s type matcher, then, for files whose name says nothing, the interpreter
//! named on the `#!` line. Only the first bytes of such files are read. Each answer carries its reason so
//! that `lintmux detect --files` can explain itself.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

/// The built-in file types and the name globs that identify them.
pub const TYPE_GLOBS: &[(&str, &[&str])] = &[
    (
        "dockerfile",
        &[
            "Dockerfile",
            "Containerfile",
            "Dockerfile.*",
            "Containerfile.*",
            "*.dockerfile",
            "*.Dockerfile",
        ],
    ),
    ("javascript", &["*.js", "*.jsx", "*.mjs", "*.cjs"]),
    ("markdown", &["*.md", "*.markdown"]),
    ("python", &["*.py", "*.pyi"]),
    ("shell", &["*.sh", "*.bash", "*.ksh", "*.dash"]),
    ("typescript", &["*.ts", "*.tsx", "*.mts", "*.cts"]),
    ("yaml", &["*.yaml", "*.yml", ".yamllint"]),
];

// --- Service-repository types (issue 13) ---------------------------------------------------------------
// Until a file can have several types, these are tried before TYPE_GLOBS (so a workflow is a
// `github-workflow`, not `yaml`), and every other non-binary file is `text` (see `walk.rs`). Globs with a
// `/` are matched against the path, the others against the file name.
pub const SERVICE_TYPE_GLOBS: &[(&str, &[&str])] = &[
    (
        "github-workflow",
        &["**/.github/workflows/*.yml", "**/.github/workflows/*.yaml"],
    ),
    ("github-action", &["action.yml", "action.yaml"]),
    (
        "compose",
        &[
            "compose.yaml",
            "compose.yml",
            "docker-compose.yaml",
            "docker-compose.yml",
            "compose.*.yaml",
            "compose.*.yml",
            "docker-compose.*.yaml",
            "docker-compose.*.yml",
        ],
    ),
    ("gitlab-ci", &[".gitlab-ci.yml"]),
    (
        "dependabot",
        &["**/.github/dependabot.yml", "**/.github/dependabot.yaml"],
    ),
    (
        "renovate",
        &[
            "renovate.json",
            ".renovaterc",
            ".renovaterc.json",
            "**/.github/renovate.json",
            "**/.gitlab/renovate.json",
        ],
    ),
    ("readthedocs", &[".readthedocs.yaml", ".readthedocs.yml"]),
    ("toml", &["*.toml", "Pipfile"]),
];

/// The type of a non-binary file that no other type claims.
pub fn text() -> Classified {
    Classified {
        file_type: "text",
        reason: "not binary".to_owned(),
    }
}
// --- end of service-repository types ----------------------------------------------------------------------

/// Interpreters named on a shebang line, without version suffix, and the type they mean.
const INTERPRETERS: &[(&str, &str)] = &[
    ("sh", "shell"),
    ("bash", "shell"),
    ("dash", "shell"),
    ("ksh", "shell"),
    ("ash", "shell"),
    ("python", "python"),
    ("node", "javascript"),
    ("nodejs", "javascript"),
    ("deno", "typescript"),
    ("ts-node", "typescript"),
    ("tsx", "typescript"),
];

/// How many leading bytes are read to find a shebang or a NUL byte.
pub const SNIFF_BYTES: usize = 1024;

/// The type of a file and why lintmux thinks so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classified {
    pub file_type: &'static str,
    pub reason: String,
}

/// The globs of [`TYPE_GLOBS`] compiled into one set, matched against the file name. A `GlobSet` rather
/// than `ignore`'s type matcher because it tells *which* glob matched, which `detect --files` reports.
pub struct Classifier {
    set: GlobSet,
    /// Type and glob text of each glob in the set, by index.
    globs: Vec<(&'static str, &'static str)>,
}

impl Classifier {
    pub fn new() -> Classifier {
        let mut builder = GlobSetBuilder::new();
        let mut globs = Vec::new();
        for (name, patterns) in SERVICE_TYPE_GLOBS.iter().chain(TYPE_GLOBS) {
            for glob in *patterns {
                builder.add(Glob::new(glob).expect("built-in type globs are valid"));
                globs.push((*name, *glob));
            }
        }
        Classifier {
            set: builder.build().expect("built-in type globs are valid"),
            globs,
        }
    }

    /// Classifies by file name alone (or, for globs with a `/`, by path).
    pub fn by_name(&self, path: &Path) -> Option<Classified> {
        let name = path.file_name()?;
        let by_name = self
            .set
            .matches(name)
            .into_iter()
            .filter(|&i| !self.globs[i].1.contains('/'));
        let by_path = self
            .set
            .matches(path)
            .into_iter()
            .filter(|&i| self.globs[i].1.contains('/'));
        let first = by_name.chain(by_path).min()?;
        let (file_type, glob) = self.globs[first];
        Some(Classified {
            file_type,
            reason: format!("name matches {glob}"),
        })
    }
}

impl Default for Classifier {
    fn default() -> Self {
        Classifier::new()
    }
}

/// True when the name has no extension that could identify it (so the shebang is worth reading).
pub fn worth_sniffing(path: &Path) -> bool {
    path.extension().is_none()
}

/// Classifies by the `#!` line at the start of `head`.
pub fn by_shebang(head: &[u8]) -> Option<Classified> {
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
    let name = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let file_type = INTERPRETERS.iter().find(|(i, _)| *i == name)?.1;
    Some(Classified {
        file_type,
        reason: format!("shebang names {base}"),
    })
}

/// True when the sniffed bytes look binary (a NUL byte, as git and ripgrep decide).
pub fn looks_binary(head: &[u8]) -> bool {
    head.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(p: &str) -> Option<&'static str> {
        Classifier::new().by_name(Path::new(p)).map(|c| c.file_type)
    }

    #[test]
    fn by_extension_and_name() {
        assert_eq!(name("app/main.py"), Some("python"));
        assert_eq!(name("client/src/api.tsx"), Some("typescript"));
        assert_eq!(name("x.cts"), Some("typescript"));
        assert_eq!(name("x.mjs"), Some("javascript"));
        assert_eq!(name(".github/workflows/ci.yml"), Some("github-workflow"));
        assert_eq!(name("deploy/ci.yml"), Some("yaml"));
        assert_eq!(name("ci/setup/action.yaml"), Some("github-action"));
        assert_eq!(name("docker-compose.prod.yml"), Some("compose"));
        assert_eq!(name("pyproject.toml"), Some("toml"));
        assert_eq!(name("README.md"), Some("markdown"));
        assert_eq!(name("deploy/Dockerfile"), Some("dockerfile"));
        assert_eq!(name("Containerfile"), Some("dockerfile"));
        assert_eq!(name("Dockerfile.prod"), Some("dockerfile"));
        assert_eq!(name("worker.dockerfile"), Some("dockerfile"));
        assert_eq!(name("api.Dockerfile"), Some("dockerfile"));
        assert_eq!(name("scripts/run.sh"), Some("shell"));
        assert_eq!(name("Cargo.lock"), None);
        assert_eq!(name("scripts/healthcheck"), None);
    }

    #[test]
    fn reason_names_the_glob() {
        let c = Classifier::new().by_name(Path::new("Dockerfile.dev")).unwrap();
        assert_eq!(c.reason, "name matches Dockerfile.*");
    }

    fn shebang(s: &str) -> Option<&'static str> {
        by_shebang(s.as_bytes()).map(|c| c.file_type)
    }

    #[test]
    fn shebangs() {
        assert_eq!(shebang("#!/bin/sh\necho"), Some("shell"));
        assert_eq!(shebang("#! /bin/bash -eu\n"), Some("shell"));
        assert_eq!(shebang("#!/usr/bin/env bash\n"), Some("shell"));
        assert_eq!(shebang("#!/usr/bin/env -S bash -e\n"), Some("shell"));
        assert_eq!(shebang("#!/usr/bin/python3.11\n"), Some("python"));
        assert_eq!(shebang("#!/usr/bin/env python3 -u\n"), Some("python"));
        assert_eq!(shebang("#!/usr/bin/env node\n"), Some("javascript"));
        assert_eq!(shebang("#!/usr/bin/env perl\n"), None);
        assert_eq!(shebang("echo hi\n"), None);
        assert_eq!(
            by_shebang(b"#!/usr/bin/env bash\n").unwrap().reason,
            "shebang names bash"
        );
    }

    #[test]
    fn binary_sniff() {
        assert!(looks_binary(b"\x7fELF\x00\x01"));
        assert!(!looks_binary(b"#!/bin/sh\n"));
    }
}
