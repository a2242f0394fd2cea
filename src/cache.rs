//! The result cache: a re-run on an unchanged repository starts no linter. Each job's key is a hash of
//! everything its result depends on — lintmux's own version, the linter's definition, the tool and its
//! version, the full command line, the environment set for it, the contents of the config files it reads,
//! and each input file's path and content — and the value is the findings it produced (not its raw
//! output), so a hit restores them exactly. Runs that ended in a tool error are never stored.
//!
//! Entries live under `<cache>/results/`, written to a temporary file and renamed, so a reader never sees
//! half an entry; an entry that does not parse is ignored and rewritten.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

/// Bumped whenever what an entry means changes.
const FORMAT: u32 = 1;

/// A cache key under construction.
pub struct KeyBuilder(blake3::Hasher);

impl KeyBuilder {
    pub fn new(kind: &str) -> KeyBuilder {
        let mut h = blake3::Hasher::new();
        h.update(format!("lintmux {} cache {FORMAT} {kind}\0", env!("CARGO_PKG_VERSION")).as_bytes());
        KeyBuilder(h)
    }

    /// Adds a labelled value (labels keep `a`+`bc` apart from `ab`+`c`).
    pub fn add(&mut self, label: &str, value: &[u8]) -> &mut Self {
        self.0.update(label.as_bytes());
        self.0.update(&(value.len() as u64).to_le_bytes());
        self.0.update(value);
        self
    }

    pub fn finish(&self) -> String {
        self.0.finalize().to_hex().to_string()
    }
}

/// Content hashes of files, each file read once per run.
#[derive(Default)]
pub struct FileHashes {
    hashes: HashMap<String, Option<blake3::Hash>>,
}

impl FileHashes {
    /// Hashes `paths` (relative to `root`) on `threads` threads.
    pub fn compute(root: &Path, paths: &[&str], threads: usize) -> FileHashes {
        let chunks: Vec<&[&str]> = paths.chunks(paths.len().div_ceil(threads.max(1)).max(1)).collect();
        let parts = crate::run::run_pool(
            &chunks,
            threads,
            |chunk| {
                chunk
                    .iter()
                    .map(|p| {
                        let hash = std::fs::read(root.join(p)).ok().map(|bytes| blake3::hash(&bytes));
                        ((*p).to_owned(), hash)
                    })
                    .collect::<Vec<_>>()
            },
            |_, _| {},
        );
        FileHashes {
            hashes: parts.into_iter().flatten().collect(),
        }
    }

    /// The hash of `path`'s content; `None` when it could not be read (then nothing is cached for it).
    pub fn get(&self, path: &str) -> Option<blake3::Hash> {
        self.hashes.get(path).copied().flatten()
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    findings: Vec<Finding>,
}

/// The result store.
pub struct ResultCache {
    dir: PathBuf,
}

impl ResultCache {
    pub fn new(cache_dir: &Path) -> ResultCache {
        ResultCache {
            dir: cache_dir.join("results"),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{}.json", &key[2..]))
    }

    /// The findings stored under `key`, if a complete, readable entry is there.
    pub fn get(&self, key: &str) -> Option<Vec<Finding>> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.format == FORMAT).then_some(entry.findings)
    }

    /// Stores `findings` under `key`; failures to write only cost a future cache miss.
    pub fn put(&self, key: &str, findings: &[Finding]) {
        let path = self.path(key);
        let Some(dir) = path.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let entry = Entry {
            format: FORMAT,
            findings: findings.to_vec(),
        };
        let Ok(bytes) = serde_json::to_vec(&entry) else { return };
        let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) else {
            return;
        };
        if std::io::Write::write_all(&mut tmp, &bytes).is_ok() {
            let _ = tmp.persist(&path);
        }
    }
}

/// Remembered tool versions, keyed by the program's path, size and modification time, so that reading
/// a project's or the system's tool version does not start a process on every run.
pub struct VersionCache {
    dir: PathBuf,
}

impl VersionCache {
    pub fn new(cache_dir: &Path) -> VersionCache {
        VersionCache {
            dir: cache_dir.join("versions"),
        }
    }

    fn key(program: &Path, command: &[String]) -> Option<String> {
        let meta = std::fs::metadata(program).ok()?;
        let mtime = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        let mut k = KeyBuilder::new("version");
        k.add("program", program.to_string_lossy().as_bytes())
            .add("size", &meta.len().to_le_bytes())
            .add("mtime", &mtime.as_nanos().to_le_bytes())
            .add("command", command.join("\0").as_bytes());
        Some(k.finish())
    }

    /// The version stored for `program`, or the one `read` returns (then stored).
    pub fn get_or(&self, program: &Path, command: &[String], read: impl FnOnce() -> Option<String>) -> Option<String> {
        let Some(key) = Self::key(program, command) else {
            return read();
        };
        self.stored_or(&key, read)
    }

    /// The version stored under an identity that does not change (an image pinned by digest).
    pub fn get_or_keyed(&self, identity: &str, read: impl FnOnce() -> Option<String>) -> Option<String> {
        let key = KeyBuilder::new("version").add("identity", identity.as_bytes()).finish();
        self.stored_or(&key, read)
    }

    fn stored_or(&self, key: &str, read: impl FnOnce() -> Option<String>) -> Option<String> {
        let path = self.dir.join(key);
        if let Ok(v) = std::fs::read_to_string(&path) {
            return Some(v);
        }
        let v = read()?;
        if std::fs::create_dir_all(&self.dir).is_ok()
            && let Ok(mut tmp) = tempfile::NamedTempFile::new_in(&self.dir)
            && std::io::Write::write_all(&mut tmp, v.as_bytes()).is_ok()
        {
            let _ = tmp.persist(&path);
        }
        Some(v)
    }
}

/// What `lintmux cache status` shows.
pub struct Usage {
    pub entries: u64,
    pub bytes: u64,
}

/// Counts files and bytes below `dir`.
pub fn usage(dir: &Path) -> Usage {
    let mut u = Usage { entries: 0, bytes: 0 };
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                u.entries += 1;
                u.bytes += meta.len();
            }
        }
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Level;
    use crate::parse::Ctx;

    #[test]
    fn round_trip_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::new(dir.path());
        let key = KeyBuilder::new("job").add("x", b"1").finish();
        assert!(cache.get(&key).is_none());
        let f = Ctx::new("ruff", Path::new("/r")).finding("E1", Level::Error, "m", "a.py", 3, 4);
        cache.put(&key, std::slice::from_ref(&f));
        assert_eq!(cache.get(&key), Some(vec![f.clone()]));
        // A truncated entry is a miss, and is rewritten by the next put.
        let path = cache.path(&key);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(cache.get(&key).is_none());
        cache.put(&key, std::slice::from_ref(&f));
        assert_eq!(cache.get(&key), Some(vec![f]));
    }

    #[test]
    fn keys_separate_fields() {
        let a = KeyBuilder::new("job").add("a", b"x").add("b", b"yz").finish();
        let b = KeyBuilder::new("job").add("a", b"xy").add("b", b"z").finish();
        assert_ne!(a, b);
    }
}
