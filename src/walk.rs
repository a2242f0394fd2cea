//! Finding the files to lint. The walk is `ignore`'s parallel walker, so `.gitignore`, `.ignore` and
//! `.git/info/exclude` are honoured exactly as git and ripgrep honour them, but hidden files are walked
//! (`.github/workflows` must be linted); only `.git` itself is skipped. Each file is classified in the walker's
//! threads, reading at most the first bytes of files whose name says nothing, so the walk stays I/O-light.

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::classify::{self, Classifier, SNIFF_BYTES};

/// Files that mark the lint root.
pub const ROOT_MARKERS: &[&str] = &["lintmux.toml", ".lintmux.toml", ".git"];

/// One file to lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Relative to the root, forward slashes.
    pub path: String,
    pub file_type: &'static str,
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    Binary,
    TooLarge,
}

#[derive(Clone, Debug, Default)]
pub struct Walked {
    /// Sorted by path.
    pub targets: Vec<Target>,
    /// Files of a lintable type (or with no extension) that were not linted, sorted by path.
    pub skipped: Vec<(String, SkipReason)>,
    /// Every file the walk saw.
    pub files_seen: usize,
}

impl Walked {
    /// How many files of each type were found.
    pub fn type_counts(&self) -> std::collections::BTreeMap<&'static str, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for t in &self.targets {
            *counts.entry(t.file_type).or_default() += 1;
        }
        counts
    }

    pub fn skipped_count(&self, reason: SkipReason) -> usize {
        self.skipped.iter().filter(|(_, r)| *r == reason).count()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("path {path} is outside the lint root {root}: run lintmux from inside the repository or pass --root")]
    OutsideRoot { path: PathBuf, root: PathBuf },
    #[error("path {0} does not exist")]
    Missing(PathBuf),
    #[error("invalid exclude glob `{glob}`: {source}")]
    BadGlob {
        glob: String,
        #[source]
        source: ignore::Error,
    },
}

/// The nearest ancestor of `start` (itself included) that holds a root marker, else `start`.
pub fn find_root(start: &Path) -> PathBuf {
    start
        .ancestors()
        .find(|dir| ROOT_MARKERS.iter().any(|m| dir.join(m).exists()))
        .unwrap_or(start)
        .to_path_buf()
}

/// `path` made absolute against `cwd` and normalised lexically (no symlink resolution).
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for comp in joined.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `root`, with forward slashes.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

pub struct WalkOptions {
    /// Files larger than this are skipped.
    pub max_file_size: u64,
    /// Extra gitignore-style globs to leave out.
    pub exclude: Vec<String>,
    pub threads: usize,
}

/// Walks `paths` (absolute, inside `root`; the root itself when empty) and classifies every file.
pub fn walk(root: &Path, paths: &[PathBuf], opts: &WalkOptions) -> Result<Walked, WalkError> {
    let starts: Vec<PathBuf> = if paths.is_empty() {
        vec![root.to_path_buf()]
    } else {
        paths.to_vec()
    };
    for p in &starts {
        if !p.starts_with(root) {
            return Err(WalkError::OutsideRoot {
                path: p.clone(),
                root: root.to_path_buf(),
            });
        }
        if !p.exists() {
            return Err(WalkError::Missing(p.clone()));
        }
    }
    let mut builder = WalkBuilder::new(&starts[0]);
    for p in &starts[1..] {
        builder.add(p);
    }
    builder
        .hidden(false)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .threads(opts.threads.max(1))
        .filter_entry(|e| e.file_name() != ".git");
    if !opts.exclude.is_empty() {
        let mut ob = ignore::overrides::OverrideBuilder::new(root);
        for glob in &opts.exclude {
            ob.add(&format!("!{glob}")).map_err(|source| WalkError::BadGlob {
                glob: glob.clone(),
                source,
            })?;
        }
        let overrides = ob.build().map_err(|source| WalkError::BadGlob {
            glob: opts.exclude.join(", "),
            source,
        })?;
        builder.overrides(overrides);
    }

    let classifier = Classifier::new();
    let found: Mutex<Walked> = Mutex::new(Walked::default());
    builder.build_parallel().run(|| {
        let classifier = &classifier;
        let found = &found;
        Box::new(move |entry| {
            let Ok(entry) = entry else { return WalkState::Continue };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let Some(rel) = relative(root, entry.path()) else {
                return WalkState::Continue;
            };
            let outcome = classify_entry(classifier, entry.path(), opts.max_file_size);
            let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
            found.files_seen += 1;
            match outcome {
                Outcome::Lint(c) => found.targets.push(Target {
                    path: rel,
                    file_type: c.file_type,
                    reason: c.reason,
                }),
                Outcome::Skip(reason) => found.skipped.push((rel, reason)),
            }
            WalkState::Continue
        })
    });
    let mut walked = found.into_inner().unwrap_or_else(|e| e.into_inner());
    walked.targets.sort_by(|a, b| a.path.cmp(&b.path));
    walked.targets.dedup_by(|a, b| a.path == b.path);
    walked.skipped.sort();
    walked.skipped.dedup();
    Ok(walked)
}

enum Outcome {
    Lint(classify::Classified),
    Skip(SkipReason),
}

fn classify_entry(classifier: &Classifier, path: &Path, max_size: u64) -> Outcome {
    let by_name = classifier.by_name(path);
    let size = path.metadata().map(|m| m.len()).unwrap_or(0);
    let head = read_head(path);
    if classify::looks_binary(&head) {
        return Outcome::Skip(SkipReason::Binary);
    }
    let by_shebang = || {
        classify::worth_sniffing(path)
            .then(|| classify::by_shebang(&head))
            .flatten()
    };
    // Every other non-binary file is `text` (issue 13: the secret scanner reads them all).
    let class = by_name.or_else(by_shebang).unwrap_or_else(classify::text);
    if size > max_size {
        return Outcome::Skip(SkipReason::TooLarge);
    }
    Outcome::Lint(class)
}

fn read_head(path: &Path) -> Vec<u8> {
    let mut buf = vec![0; SNIFF_BYTES];
    let Ok(mut file) = File::open(path) else {
        return Vec::new();
    };
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    buf.truncate(filled);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_normalises() {
        assert_eq!(
            absolute(Path::new("/r/a"), Path::new("../b/./c")),
            PathBuf::from("/r/b/c")
        );
        assert_eq!(absolute(Path::new("/r"), Path::new("/x/y")), PathBuf::from("/x/y"));
    }

    #[test]
    fn walks_hidden_honours_ignores_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |p: &str, c: &[u8]| {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, c).unwrap();
        };
        std::fs::create_dir(root.join(".git")).unwrap();
        write(".git/config.yml", b"x: 1\n");
        write(".gitignore", b"build/\n");
        write(".ignore", b"*.gen.py\n");
        write(".github/workflows/ci.yml", b"on: push\n");
        write("build/out.py", b"x = 1\n");
        write("a.gen.py", b"x = 1\n");
        write("app/main.py", b"x = 1\n");
        write("scripts/healthcheck", b"#!/usr/bin/env bash\necho ok\n");
        write("scripts/blob", b"\x00\x01\x02");
        write("docs/big.md", &vec![b'a'; 300]);
        write("notes.txt", b"text\n");
        let opts = WalkOptions {
            max_file_size: 200,
            exclude: vec![],
            threads: 2,
        };
        let walked = walk(root, &[], &opts).unwrap();
        let got: Vec<(&str, &str)> = walked.targets.iter().map(|t| (t.path.as_str(), t.file_type)).collect();
        assert_eq!(
            got,
            [
                (".github/workflows/ci.yml", "github-workflow"),
                (".gitignore", "text"),
                (".ignore", "text"),
                ("app/main.py", "python"),
                ("notes.txt", "text"),
                ("scripts/healthcheck", "shell"),
            ]
        );
        assert_eq!(
            walked.skipped,
            [
                ("docs/big.md".to_owned(), SkipReason::TooLarge),
                ("scripts/blob".to_owned(), SkipReason::Binary)
            ]
        );

        let narrowed = walk(root, &[root.join("scripts")], &opts).unwrap();
        assert_eq!(narrowed.targets.len(), 1);
        assert_eq!(narrowed.targets[0].path, "scripts/healthcheck");

        let excluded = walk(
            root,
            &[],
            &WalkOptions {
                exclude: vec!["app/**".into()],
                ..opts
            },
        )
        .unwrap();
        assert!(excluded.targets.iter().all(|t| !t.path.starts_with("app/")));
    }

    #[test]
    fn root_is_nearest_marker() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("svc/src")).unwrap();
        std::fs::write(root.join("svc/lintmux.toml"), "").unwrap();
        assert_eq!(find_root(&root.join("svc/src")), root.join("svc"));
        std::fs::create_dir_all(root.join("other")).unwrap();
        assert_eq!(find_root(&root.join("other")), root);
    }
}
