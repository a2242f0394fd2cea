//! Following `extends`: a repository's file builds on a team's, which builds on a central standard kept in
//! a git repository and pinned by commit. A git source is brought onto disk by the [`Fetch`] the caller
//! gives (the engine's clones each commit once into its cache: a commit is immutable, so later runs need no
//! network); a path is relative to the file that names it. The result is the list of layers, the most
//! basic first; a cycle is an error that names the chain.

use std::path::{Path, PathBuf};

use super::raw::RawConfig;
use crate::model::source as tomlerr;

/// Brings a pinned git source of `extends` onto disk. The configuration is data and runs nothing: the
/// caller (the engine, which runs git) provides this.
pub(crate) trait Fetch {
    /// The directory holding the repository at `url` checked out at commit `rev`, or why it cannot be had.
    fn checkout(&self, url: &str, rev: &str) -> Result<PathBuf, String>;
}

/// One configuration file of the chain.
#[derive(Debug)]
pub(crate) struct Layer {
    /// How the file is named in messages and in `lintmux config`: a path, or `git+…#file`.
    pub(crate) label: String,
    /// The file on disk (for a git source, inside the cached checkout).
    pub(crate) path: PathBuf,
    pub(crate) src: String,
    pub(crate) raw: RawConfig,
    /// The file is the repository's own (inside the lint root, or, below trust `all`, chosen by one of
    /// its files), not a central or team standard. Set by the workspace.
    pub(crate) repository: bool,
    /// The file whose `extends` named this one (none for the first).
    pub(crate) extended_by: Option<PathBuf>,
}

impl Layer {
    /// The directory paths in this file are relative to.
    pub(crate) fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// `label:line:col` of a byte offset in this file.
    pub(crate) fn at(&self, offset: usize) -> String {
        let (line, col) = tomlerr::line_col(&self.src, offset);
        format!("{}:{line}:{col}", self.label)
    }

    /// `label:line` of a byte offset in this file.
    pub(crate) fn line(&self, offset: usize) -> String {
        let (line, _) = tomlerr::line_col(&self.src, offset);
        format!("{}:{line}", self.label)
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ChainError {
    #[error("failed to read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid configuration {0}")]
    Parse(String),
    #[error("{at}: extends cycle: {cycle}")]
    Cycle { at: String, cycle: String },
    #[error("{at}: {message}")]
    Source { at: String, message: String },
}

/// Loads `path` (named `label` in messages) and everything it extends, most basic first.
pub(crate) fn load_chain(path: &Path, label: &str, fetch: &dyn Fetch) -> Result<Vec<Layer>, ChainError> {
    let mut loader = Loader {
        fetch,
        stack: Vec::new(),
        layers: Vec::new(),
    };
    loader.load(path, label, None)?;
    Ok(loader.layers)
}

/// Following a chain: the files being loaded (to find a cycle) and the layers loaded so far.
struct Loader<'a> {
    fetch: &'a dyn Fetch,
    /// The files on the way from the first to the one being loaded: (canonical path, label).
    stack: Vec<(PathBuf, String)>,
    layers: Vec<Layer>,
}

impl Loader<'_> {
    fn load(&mut self, path: &Path, label: &str, extended_by: Option<&Path>) -> Result<(), ChainError> {
        let src = std::fs::read_to_string(path).map_err(|source| ChainError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let raw: RawConfig =
            toml::from_str(&src).map_err(|e| ChainError::Parse(tomlerr::describe(Path::new(label), &src, &e)))?;
        let layer = Layer {
            label: label.to_owned(),
            path: path.to_path_buf(),
            src,
            raw,
            repository: false,
            extended_by: extended_by.map(Path::to_path_buf),
        };
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.stack.push((key, label.to_owned()));
        if let Some(extends) = &layer.raw.extends {
            for entry in extends.get_ref() {
                let at = layer.at(entry.span().start);
                let (next_path, next_label) =
                    resolve(entry.get_ref(), layer.dir(), self.fetch).map_err(|message| ChainError::Source {
                        at: at.clone(),
                        message,
                    })?;
                let next_key = next_path.canonicalize().unwrap_or_else(|_| next_path.clone());
                if let Some(pos) = self.stack.iter().position(|(k, _)| *k == next_key) {
                    let mut names: Vec<&str> = self.stack[pos..].iter().map(|(_, l)| l.as_str()).collect();
                    names.push(&next_label);
                    return Err(ChainError::Cycle {
                        at,
                        cycle: names.join(" -> "),
                    });
                }
                self.load(&next_path, &next_label, Some(path))?;
            }
        }
        self.stack.pop();
        self.layers.push(layer);
        Ok(())
    }
}

/// A pinned git source: `git+<url>?rev=<40-hex commit>#<file in the repository>`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct GitSource {
    pub(crate) url: String,
    pub(crate) rev: String,
    pub(crate) file: String,
}

pub(crate) fn parse_git(spec: &str) -> Result<GitSource, String> {
    let rest = spec.strip_prefix("git+").ok_or("a git source starts with `git+`")?;
    let (rest, file) = match rest.split_once('#') {
        Some((r, f)) => (r, f.to_owned()),
        None => (rest, "lintmux.toml".to_owned()),
    };
    let (url, query) = rest.split_once('?').ok_or_else(|| {
        format!("`{spec}` is not pinned: add `?rev=<full commit sha>` (a branch or tag can move; a commit cannot)")
    })?;
    let rev = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("rev="))
        .ok_or_else(|| format!("`{spec}` has no `rev=`: pin it with `?rev=<full commit sha>`"))?;
    if rev.len() != 40 || !rev.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!(
            "`rev={rev}` is not a full 40-character commit sha: pin `{url}` by commit"
        ));
    }
    if file.is_empty() || file.starts_with('/') || file.split('/').any(|p| p == "..") {
        return Err(format!("`#{file}` must be a relative path inside the repository"));
    }
    Ok(GitSource {
        url: url.to_owned(),
        rev: rev.to_lowercase(),
        file,
    })
}

fn resolve(entry: &str, dir: &Path, fetch: &dyn Fetch) -> Result<(PathBuf, String), String> {
    if entry.starts_with("git+") {
        let git = parse_git(entry)?;
        let checkout = fetch.checkout(&git.url, &git.rev)?;
        let path = checkout.join(&git.file);
        if !path.is_file() {
            return Err(format!("`{}` has no file `{}` at {}", git.url, git.file, git.rev));
        }
        return Ok((path, entry.to_owned()));
    }
    let path = dir.join(entry);
    if !path.is_file() {
        return Err(format!("extends `{entry}`, but {} does not exist", path.display()));
    }
    Ok((path, entry.to_owned()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// For chains of local files: a git source is an error.
    pub(crate) struct NoGit;

    impl Fetch for NoGit {
        fn checkout(&self, url: &str, _: &str) -> Result<PathBuf, String> {
            Err(format!("no git in this test: {url}"))
        }
    }

    #[test]
    fn git_sources_must_be_pinned() {
        let sha = "0123456789abcdef0123456789abcdef01234567"; // pragma: allowlist secret
        let g = parse_git(&format!("git+https://h/o/std.git?rev={sha}#team/lintmux.toml")).unwrap();
        assert_eq!(
            (g.url.as_str(), g.file.as_str()),
            ("https://h/o/std.git", "team/lintmux.toml")
        );
        assert_eq!(
            parse_git(&format!("git+file:///x/std.git?rev={sha}")).unwrap().file,
            "lintmux.toml"
        );
        assert!(
            parse_git("git+https://h/o/std.git#lintmux.toml")
                .unwrap_err()
                .contains("is not pinned")
        );
        assert!(
            parse_git("git+https://h/o/std.git?rev=main")
                .unwrap_err()
                .contains("not a full 40-character commit")
        );
        assert!(
            parse_git(&format!("git+https://h/s.git?rev={sha}#../x"))
                .unwrap_err()
                .contains("relative path inside")
        );
    }

    #[test]
    fn cycles_are_errors_with_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), "extends = [\"b.toml\"]\n").unwrap();
        std::fs::write(dir.path().join("b.toml"), "jobs = 2\nextends = [\"a.toml\"]\n").unwrap();
        let err = load_chain(&dir.path().join("a.toml"), "a.toml", &NoGit)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "b.toml:2:12: extends cycle: a.toml -> b.toml -> a.toml");
    }

    #[test]
    fn missing_extends_is_located() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), "extends = [\"nope.toml\"]\n").unwrap();
        let err = load_chain(&dir.path().join("a.toml"), "a.toml", &NoGit)
            .unwrap_err()
            .to_string();
        assert!(err.contains("a.toml:1:12: extends `nope.toml`, but"), "{err}");
    }
}
