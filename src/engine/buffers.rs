//! Unsaved content (an editor's buffers): which of a request's buffers differ from the file as saved, and
//! their content kept in lintmux's cache (`<cache>/buffers/<content hash>`), never in the repository, so
//! that a tool can read it on stdin or as a shadow file. A buffer equal to the saved file is no buffer at
//! all: the file is linted as saved, and its results are shared with `lintmux check`. A stored buffer is
//! kept an hour: each new one removes those older.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::cache::write_whole;
use super::context::Cx;

/// A buffer that differs from its file as saved.
#[derive(Clone, Debug)]
pub(crate) struct Dirty {
    pub(crate) content: String,
    pub(crate) hash: blake3::Hash,
    /// Where the content is kept for the tools to read.
    pub(crate) stored: PathBuf,
}

/// The request's buffers that differ from their files, by root-relative path, each stored in the cache
/// (a buffer that cannot be stored is linted as saved).
pub(crate) fn dirty(cx: &Cx) -> BTreeMap<String, Dirty> {
    let dir = cx.ws.cache.join("buffers");
    let mut out = BTreeMap::new();
    for (path, content) in &cx.req.buffers {
        let saved = std::fs::read(cx.ws.root.join(path)).ok();
        if saved.as_deref() == Some(content.as_bytes()) {
            continue;
        }
        let hash = blake3::hash(content.as_bytes());
        let stored = dir.join(hash.to_hex().as_str());
        if stored.is_file()
            || write_whole(&stored, content.as_bytes())
                .inspect(|()| prune(&dir))
                .is_ok()
        {
            out.insert(
                path.clone(),
                Dirty {
                    content: content.clone(),
                    hash,
                    stored,
                },
            );
        }
    }
    out
}

/// How long a stored buffer is kept.
const KEPT: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the buffers stored more than [`KEPT`] ago (a run that still reads one has it again from its
/// request: buffers are stored by content).
fn prune(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > KEPT));
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
