//! Finding the files to lint. The walk is `ignore`'s parallel walker, so `.gitignore`, `.ignore` and
//! `.git/info/exclude` are honoured exactly as git and ripgrep honour them, but hidden files are walked
//! (`.github/workflows` must be linted); only `.git` itself is skipped. Each file is classified in the walker's
//! threads, each thread collecting on its own: a file whose name gives its types is never opened; only a
//! name with no extension that matches nothing has its first bytes read (for a `#!` line), so the walk
//! stays I/O-light.

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};

use crate::catalog::types::{FileTypes, SNIFF_BYTES, TypeSet, looks_binary};
use crate::config::Workspace;
use crate::model::{absolute, relative};

/// One file to lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// Relative to the root, forward slashes.
    pub(crate) path: String,
    pub(crate) types: TypeSet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SkipReason {
    Binary,
    TooLarge,
    /// The name is not valid UTF-8: lintmux handles names as text, so it cannot pass or report this
    /// one faithfully, and says so rather than hand a linter a mangled name.
    NameNotUtf8,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Walked {
    /// Sorted by path.
    pub(crate) targets: Vec<Target>,
    /// Files of a lintable type (or with no extension) that were not linted, sorted by path.
    pub(crate) skipped: Vec<(String, SkipReason)>,
    /// Every file the walk saw.
    pub(crate) files_seen: usize,
}

impl Walked {
    /// How many files of each type were found (a file of several types counts for each).
    pub(crate) fn type_counts<'t>(&self, types: &'t FileTypes) -> std::collections::BTreeMap<&'t str, usize> {
        let mut by_id = [0usize; crate::catalog::types::MAX_TYPES];
        for t in &self.targets {
            for id in t.types.ids() {
                by_id[id] += 1;
            }
        }
        by_id
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(id, n)| (types.name(id), *n))
            .collect()
    }

    pub(crate) fn skipped_count(&self, reason: SkipReason) -> usize {
        self.skipped.iter().filter(|(_, r)| *r == reason).count()
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum WalkError {
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

/// Whether the walk reads each file's size (a `stat`) to skip those over the size cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sizes {
    /// Skipped here.
    Checked,
    /// Left to the caller, which stats every file anyway (a check hashes them for the result cache).
    LeftToCaller,
}

pub(crate) struct WalkOptions {
    /// Files larger than this are skipped, when `sizes` says so.
    pub(crate) max_file_size: u64,
    pub(crate) sizes: Sizes,
    /// Extra gitignore-style globs to leave out.
    pub(crate) exclude: Vec<String>,
    pub(crate) threads: usize,
}

/// Walks the workspace's root, or the `paths` below it (as given, relative to `cwd`), with `threads`
/// threads, and classifies every file with the catalog's types.
pub(crate) fn walk_workspace(
    ws: &Workspace,
    cwd: &Path,
    paths: &[PathBuf],
    threads: usize,
    sizes: Sizes,
) -> Result<Walked, WalkError> {
    walk(
        &ws.root,
        &absolute_paths(cwd, paths),
        &options(ws, threads, sizes),
        &ws.catalog.types,
    )
}

/// The walk's options from the workspace's configuration.
fn options(ws: &Workspace, threads: usize, sizes: Sizes) -> WalkOptions {
    WalkOptions {
        max_file_size: ws.config.max_file_size.value,
        sizes,
        exclude: ws.config.exclude.value.clone(),
        threads,
    }
}

/// Absolute forms of PATH arguments, canonicalised so they compare with the root.
pub(crate) fn absolute_paths(cwd: &Path, paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .map(|p| {
            let abs = absolute(cwd, p);
            abs.canonicalize().unwrap_or(abs)
        })
        .collect()
}

/// The files among `files` (root-relative) that a walk of the whole root gives, classified as it
/// classifies them, without walking the rest: only the directories that lead to them are read, so the
/// ignore files and `exclude` apply as in the whole walk. (A PATH argument is walked even when ignored,
/// as ripgrep walks one; a file an editor opens in `node_modules/` is not linted.)
pub(crate) fn walk_only(ws: &Workspace, files: &BTreeSet<String>, threads: usize) -> Result<Walked, WalkError> {
    let opts = options(ws, threads, Sizes::LeftToCaller);
    walk_listed(&ws.root, files, &opts, &ws.catalog.types)
}

/// [`walk_only`] below `root`.
fn walk_listed(
    root: &Path,
    files: &BTreeSet<String>,
    opts: &WalkOptions,
    types: &FileTypes,
) -> Result<Walked, WalkError> {
    let wanted: HashSet<PathBuf> = files.iter().map(|f| root.join(f)).collect();
    let mut dirs: HashSet<PathBuf> = HashSet::new();
    for f in &wanted {
        for dir in f.ancestors().skip(1) {
            if !dir.starts_with(root) || !dirs.insert(dir.to_path_buf()) {
                break;
            }
        }
    }
    let only = Only { wanted, dirs };
    walk_with(root, &[], opts, types, Some(Arc::new(only)))
}

/// The entries a narrowed walk enters: the files asked for and the directories above them.
struct Only {
    wanted: HashSet<PathBuf>,
    dirs: HashSet<PathBuf>,
}

/// Walks `paths` (absolute, inside `root`; the root itself when empty) and classifies every file.
pub(crate) fn walk(root: &Path, paths: &[PathBuf], opts: &WalkOptions, types: &FileTypes) -> Result<Walked, WalkError> {
    walk_with(root, paths, opts, types, None)
}

fn walk_with(
    root: &Path,
    paths: &[PathBuf],
    opts: &WalkOptions,
    types: &FileTypes,
    only: Option<Arc<Only>>,
) -> Result<Walked, WalkError> {
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
        .filter_entry(move |e| {
            e.file_name() != ".git"
                && only.as_ref().is_none_or(|o| {
                    let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                    if is_dir {
                        o.dirs.contains(e.path())
                    } else {
                        o.wanted.contains(e.path())
                    }
                })
        });
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

    let found: Mutex<Walked> = Mutex::new(Walked::default());
    let mut visitors = Collectors {
        root,
        types,
        max_size: (opts.sizes == Sizes::Checked).then_some(opts.max_file_size),
        found: &found,
    };
    builder.build_parallel().visit(&mut visitors);
    let mut walked = found.into_inner().unwrap_or_else(|e| e.into_inner());
    walked.targets.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    walked.targets.dedup_by(|a, b| a.path == b.path);
    walked.skipped.sort();
    walked.skipped.dedup();
    Ok(walked)
}

/// Makes one [`Collector`] per walker thread.
struct Collectors<'a> {
    root: &'a Path,
    types: &'a FileTypes,
    max_size: Option<u64>,
    found: &'a Mutex<Walked>,
}

impl<'s> ParallelVisitorBuilder<'s> for Collectors<'s> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Collector {
            root: self.root,
            types: self.types,
            max_size: self.max_size,
            found: self.found,
            mine: Walked::default(),
        })
    }
}

/// One walker thread's findings, handed over when the thread is done.
struct Collector<'a> {
    root: &'a Path,
    types: &'a FileTypes,
    max_size: Option<u64>,
    found: &'a Mutex<Walked>,
    mine: Walked,
}

impl ParallelVisitor for Collector<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> WalkState {
        let Ok(entry) = entry else { return WalkState::Continue };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            return WalkState::Continue;
        }
        let Some(rel) = relative(self.root, entry.path()) else {
            return WalkState::Continue;
        };
        self.mine.files_seen += 1;
        if rel.contains('\u{FFFD}') && entry.path().to_str().is_none() {
            self.mine.skipped.push((rel, SkipReason::NameNotUtf8));
            return WalkState::Continue;
        }
        match classify(self.types, &entry, &rel, self.max_size) {
            Outcome::Lint(types) => self.mine.targets.push(Target { path: rel, types }),
            Outcome::Skip(reason) => self.mine.skipped.push((rel, reason)),
            Outcome::Ignore => {}
        }
        WalkState::Continue
    }
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        let mine = std::mem::take(&mut self.mine);
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        found.files_seen += mine.files_seen;
        found.targets.extend(mine.targets);
        found.skipped.extend(mine.skipped);
    }
}

enum Outcome {
    Lint(TypeSet),
    Skip(SkipReason),
    Ignore,
}

fn classify(types: &FileTypes, entry: &ignore::DirEntry, rel: &str, max_size: Option<u64>) -> Outcome {
    let mut set = types.by_name(rel);
    if types.worth_sniffing(rel, set) {
        let head = read_head(entry.path());
        if looks_binary(&head) {
            return Outcome::Skip(SkipReason::Binary);
        }
        set = set.union(types.by_shebang(&head));
    }
    if set.is_empty() {
        // A binary extension.
        return Outcome::Ignore;
    }
    if let Some(max) = max_size
        && entry.metadata().is_ok_and(|m| m.len() > max)
    {
        return Outcome::Skip(SkipReason::TooLarge);
    }
    Outcome::Lint(set)
}

/// The first [`SNIFF_BYTES`] of a file (fewer when it is shorter or cannot be read).
pub(crate) fn read_head(path: &Path) -> Vec<u8> {
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
    fn a_listed_walk_gives_only_the_listed_files_the_whole_walk_gives() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (p, c) in [
            (".gitignore", "vendored/\n"),
            ("app/main.py", "x = 1\n"),
            ("app/other.py", "x = 1\n"),
            ("vendored/lib.py", "x = 1\n"),
            ("skip/me.py", "x = 1\n"),
        ] {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, c).unwrap();
        }
        let opts = WalkOptions {
            max_file_size: 1 << 20,
            sizes: Sizes::LeftToCaller,
            exclude: vec!["skip/**".to_owned()],
            threads: 1,
        };
        let types = FileTypes::builtin();
        let listed: BTreeSet<String> = ["app/main.py", "vendored/lib.py", "skip/me.py", "gone.py"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        let walked = walk_listed(root, &listed, &opts, &types).unwrap();
        let paths: Vec<&str> = walked.targets.iter().map(|t| t.path.as_str()).collect();
        // Not the unlisted app/other.py; not the ignored or excluded ones, though listed; not a missing one.
        assert_eq!(paths, vec!["app/main.py"]);
        assert_eq!(walked.files_seen, 1, "only the listed file was visited");
        // A PATH argument is walked even when ignored (as ripgrep walks one).
        let explicit = walk(root, &[root.join("vendored/lib.py")], &opts, &types).unwrap();
        assert_eq!(explicit.targets.len(), 1);
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
            sizes: Sizes::Checked,
            exclude: vec![],
            threads: 2,
        };
        let types = FileTypes::builtin();
        let walked = walk(root, &[], &opts, &types).unwrap();
        let got: Vec<(&str, String)> = walked
            .targets
            .iter()
            .map(|t| {
                let names: Vec<&str> = t.types.ids().map(|id| types.name(id)).collect();
                (t.path.as_str(), names.join(","))
            })
            .collect();
        let want = [
            (".github/workflows/ci.yml", "github-workflow,text,yaml"),
            (".gitignore", "text"),
            (".ignore", "text"),
            ("app/main.py", "python,text"),
            ("notes.txt", "text"),
            ("scripts/healthcheck", "shell,text"),
        ];
        assert_eq!(got, want.map(|(p, t)| (p, t.to_owned())));
        assert_eq!(
            walked.skipped,
            [
                ("docs/big.md".to_owned(), SkipReason::TooLarge),
                ("scripts/blob".to_owned(), SkipReason::Binary)
            ]
        );

        let narrowed = walk(root, &[root.join("scripts")], &opts, &types).unwrap();
        assert_eq!(narrowed.targets.len(), 1);
        assert_eq!(narrowed.targets[0].path, "scripts/healthcheck");

        let excluded = walk(
            root,
            &[],
            &WalkOptions {
                exclude: vec!["app/**".into()],
                ..opts
            },
            &types,
        )
        .unwrap();
        assert!(excluded.targets.iter().all(|t| !t.path.starts_with("app/")));
    }
}
