//! The workspace a command runs in: the lint root, the effective configuration (with its `extends`
//! chain), the catalog of linters (built-in, the chain's and the root's `linters.d`), and the cache
//! directory. Opening one is the configuration stage: find the root, load the chain (a git source through
//! the [`Fetch`] the caller gives), load the catalog from the chain's `linters.d`, and merge the chain
//! against the catalog.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::chain::Fetch;
use crate::catalog::{Catalog, CatalogError, DefOrigin, LinterDef};
use crate::config::{self, ChainError, Effective, GivenTrust, MergeError};
use crate::model::{Trust, absolute};

/// Files that mark the lint root.
pub(crate) const ROOT_MARKERS: &[&str] = &["lintmux.toml", ".lintmux.toml", ".git"];

/// The nearest ancestor of `start` (itself included) that holds a root marker, else `start`.
pub(crate) fn find_root(start: &Path) -> PathBuf {
    start
        .ancestors()
        .find(|dir| ROOT_MARKERS.iter().any(|m| dir.join(m).exists()))
        .unwrap_or(start)
        .to_path_buf()
}

/// Where the run takes place and with what: the root, its configuration and catalog, the cache.
#[derive(Clone, Debug)]
pub(crate) struct Workspace {
    pub(crate) root: PathBuf,
    /// The effective configuration (defaults when there is no lintmux.toml).
    pub(crate) config: Effective,
    pub(crate) catalog: Catalog,
    pub(crate) cache: PathBuf,
    /// The repository the results belong to: the root itself, or, when the root is an export of a
    /// commit (the pre-push check), the repository it came from. Scratch directories and result-cache
    /// keys use it, so they do not depend on where the export lies.
    pub(crate) key_root: PathBuf,
}

/// What opening a workspace needs to know.
pub(crate) struct Open<'a> {
    pub(crate) cwd: &'a Path,
    /// `--root`; else the root is found from the first PATH, or from `cwd`.
    pub(crate) root: Option<&'a Path>,
    pub(crate) paths: &'a [PathBuf],
    /// `--config`: this file instead of the root's lintmux.toml.
    pub(crate) config: Option<&'a Path>,
    /// `--trust` or an editor's option (the chain can lower it, never raise it).
    pub(crate) trust: Option<GivenTrust>,
    /// lintmux's cache directory.
    pub(crate) cache: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum OpenError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// Not `#[from]`: the merge error is the whole message, not a cause to print again.
    #[error("invalid configuration {0}")]
    Merge(MergeError),
}

impl From<MergeError> for OpenError {
    fn from(e: MergeError) -> Self {
        OpenError::Merge(e)
    }
}

impl Workspace {
    /// Finds the root and loads its configuration chain (git sources through `fetch`) and linters.d.
    pub(crate) fn open(open: &Open, fetch: &dyn Fetch) -> Result<Workspace, OpenError> {
        let (cwd, trust, cache) = (open.cwd, open.trust, open.cache.clone());
        let root = match open.root {
            Some(r) => absolute(cwd, r),
            None => {
                let start = open
                    .paths
                    .first()
                    .map(|p| absolute(cwd, p))
                    .map(|p| {
                        if p.is_dir() {
                            p
                        } else {
                            p.parent().map(Path::to_path_buf).unwrap_or(p)
                        }
                    })
                    .unwrap_or_else(|| cwd.to_path_buf());
                find_root(&start)
            }
        };
        let root = root.canonicalize().unwrap_or(root);
        let config_path = open.config.map(|p| absolute(cwd, p)).or_else(|| config::find(&root));
        let mut layers = match &config_path {
            Some(p) => {
                // Named as the user would: relative to the current directory when it is below it.
                let label = p
                    .strip_prefix(cwd)
                    .map_or_else(|_| p.display().to_string(), |r| r.display().to_string());
                config::load_chain(p, &label, fetch)?
            }
            None => Vec::new(),
        };
        // A file inside the root is the repository's own; the others are central or team standards. Below
        // trust `all`, a file that one of the repository's files extends is the repository's too: the
        // repository chose it, so it cannot make itself central (a `git+` file of its own making).
        let below_all = config::trust_of(&layers, trust).value != Trust::All;
        for i in (0..layers.len()).rev() {
            // Most basic first: a file's extender comes after it, and is settled already.
            let at = layers[i].path.canonicalize().unwrap_or_else(|_| layers[i].path.clone());
            let chosen = below_all
                && layers[i]
                    .extended_by
                    .as_ref()
                    .is_some_and(|by| layers[i + 1..].iter().any(|l| l.path == *by && l.repository));
            layers[i].repository = at.starts_with(&root) || chosen;
        }
        // linters.d of every file of the chain (a central standard can ship definitions), then the root's.
        let mut dirs: Vec<(PathBuf, DefOrigin)> = layers
            .iter()
            .map(|l| {
                let origin = if l.repository {
                    DefOrigin::Repository
                } else {
                    DefOrigin::Config(l.label.clone())
                };
                (l.dir().join("linters.d"), origin)
            })
            .collect();
        dirs.push((root.join("linters.d"), DefOrigin::Repository));
        let mut seen = BTreeSet::new();
        dirs.retain(|(d, _)| seen.insert(d.canonicalize().unwrap_or_else(|_| d.clone())));
        let catalog = Catalog::load(&dirs, config::trust_of(&layers, trust).value)?;
        let config = config::merge(&layers, &catalog, trust)?;
        Ok(Workspace {
            key_root: root.clone(),
            root,
            config,
            catalog,
            cache,
        })
    }

    /// The container image of `def`: the configured one, else its definition's.
    pub(crate) fn image_for(&self, def: &LinterDef) -> Option<String> {
        let configured = self.config.linters.get(&def.name).and_then(|l| l.image.as_ref());
        configured.map(|i| i.value.clone()).or_else(|| def.image.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
