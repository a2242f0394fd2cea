//! Fetching the git sources of `extends` (`git+<url>?rev=<sha>#<file>`) for the configuration, which runs
//! nothing itself: each repository and commit is cloned once into `<cache>/extends/` (into a temporary
//! directory, then renamed into place), and later runs need no network, as a commit cannot change.

use std::path::{Path, PathBuf};

use super::CancelToken;
use super::git::git;
use crate::config::Fetch;

/// The engine's [`Fetch`]: git, through the process runner, with the command's cancellation.
pub(crate) struct GitFetch<'a> {
    pub(crate) cache: &'a Path,
    pub(crate) cancel: &'a CancelToken,
}

impl Fetch for GitFetch<'_> {
    fn checkout(&self, url: &str, rev: &str) -> Result<PathBuf, String> {
        let hash = blake3::hash(format!("{url}\0{rev}").as_bytes()).to_hex();
        let base = self.cache.join("extends");
        let dir = base.join(&hash[..16]);
        if dir.is_dir() {
            return Ok(dir);
        }
        std::fs::create_dir_all(&base).map_err(|e| format!("cannot create {}: {e}", base.display()))?;
        let tmp = tempfile::Builder::new()
            .prefix(".fetch-")
            .tempdir_in(&base)
            .map_err(|e| format!("cannot create a temporary directory in {}: {e}", base.display()))?;
        let work = tmp.path().join("checkout");
        let clone = ["clone", "--quiet", "--no-checkout", url, &work.to_string_lossy()];
        git(&base, &clone, self.cancel).map_err(|e| e.to_string())?;
        git(&work, &["checkout", "--quiet", "--detach", rev], self.cancel)
            .map_err(|e| format!("{e}\n(is {rev} a commit of {url}?)"))?;
        match std::fs::rename(&work, &dir) {
            Ok(()) => Ok(dir),
            // Another lintmux fetched it meanwhile: the same commit, so theirs is as good.
            Err(_) if dir.is_dir() => Ok(dir),
            Err(e) => Err(format!("cannot move the checkout into {}: {e}", dir.display())),
        }
    }
}
