//! What every command has ([`Cx`]): the options every command takes, the current directory, its
//! cancellation token, and the way to open the workspace it runs in.

use std::path::{Path, PathBuf};

use crate::config::{GivenTrust, Open, Workspace};
use crate::engine::{CancelToken, GitFetch, writable_cache_dir};
use crate::model::Trust;

/// The options every command takes.
pub(crate) struct Globals {
    /// `--root`.
    pub(crate) root: Option<PathBuf>,
    /// `--config`.
    pub(crate) config: Option<PathBuf>,
    /// `--trust`.
    pub(crate) trust: Option<Trust>,
}

/// What every command has: the options every command takes, the current directory, and its cancellation
/// token.
pub(crate) struct Cx<'a> {
    pub(crate) globals: &'a Globals,
    pub(crate) cwd: &'a Path,
    pub(crate) cancel: &'a CancelToken,
}

impl Cx<'_> {
    /// The workspace of `paths` (its root found from the first unless `--root` says), with its
    /// configuration chain and catalog.
    pub(crate) fn open(&self, paths: &[PathBuf]) -> anyhow::Result<Workspace> {
        let cache = writable_cache_dir();
        let open = Open {
            cwd: self.cwd,
            root: self.globals.root.as_deref(),
            paths,
            config: self.globals.config.as_deref(),
            trust: self.globals.trust.map(GivenTrust::flag),
            cache: cache.clone(),
        };
        let fetch = GitFetch {
            cache: &cache,
            cancel: self.cancel,
        };
        Ok(Workspace::open(&open, &fetch)?)
    }
}
