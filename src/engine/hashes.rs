//! Content hashes of the files a run lints, each file read at most once per run — and, on a re-run, not at
//! all when it has not changed: a memo per root and set of files (`<cache>/hashes/<root id>-<set>`) remembers each file's size,
//! modification time, inode and content hash, so a warm run stats files instead of reading them. As git
//! does with its index, an entry whose modification time is too close to when the memo was written
//! ("racily clean": the file may have changed again within the clock's granularity) is not trusted and the
//! file is read again. Files are stat-ed and hashed on several threads.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Bumped whenever the memo's layout changes.
const MAGIC: &[u8; 8] = b"LMXHASH2";
/// A file modified this close to (or after) the memo's time is read again.
const RACY_NS: i128 = 2_000_000_000;

/// What the memo knows of one file.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stat {
    size: u64,
    mtime_ns: i128,
    /// The inode's change time, which no user can set back (`touch -r`, `cp -p` restore only mtime).
    ctime_ns: i128,
    ino: u64,
}

fn stat_of(meta: &std::fs::Metadata) -> Stat {
    Stat {
        size: meta.len(),
        mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
        ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
        ino: meta.ino(),
    }
}

fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX))
}

/// Which memo a set of hashes uses. A memo keeps only the files of its last use, so each set a run hashes
/// has its own: the files the linters are given, what whole-project linters read beyond them, and the
/// files the formatters print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Memo {
    Lint,
    Reads,
    Print,
}

impl Memo {
    fn name(self) -> &'static str {
        match self {
            Memo::Lint => "lint",
            Memo::Reads => "reads",
            Memo::Print => "print",
        }
    }
}

/// What a set of files is stat-ed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hashing {
    /// Their content hashes too (for the result cache's keys).
    Contents,
    /// Only their sizes (for the size cap; the result cache is off).
    SizesOnly,
}

/// One hashing of files: where, with which memo, on how many threads, and what to learn.
pub(crate) struct HashJob<'a> {
    pub(crate) root: &'a Path,
    /// lintmux's cache directory, where the memos live.
    pub(crate) cache: &'a Path,
    pub(crate) memo: Memo,
    pub(crate) threads: usize,
    pub(crate) hashing: Hashing,
    /// Files larger than this are not read, and are listed as too large.
    pub(crate) max_size: u64,
}

/// The content hash of each file, by root-relative path; a file that could not be read has none. Also
/// which files are over the size cap (they are not read).
#[derive(Default)]
pub(crate) struct FileHashes<'a> {
    /// Sorted.
    paths: &'a [&'a str],
    hashes: Vec<Option<blake3::Hash>>,
    too_large: Vec<bool>,
    /// How many files were read (the others came from the memo); the tests check it.
    #[cfg_attr(not(test), expect(dead_code))]
    pub(crate) read: usize,
}

impl<'a> FileHashes<'a> {
    /// The hash of `path`'s content; `None` when it could not be read (then nothing is cached for it).
    pub(crate) fn get(&self, path: &str) -> Option<blake3::Hash> {
        let i = self.paths.binary_search(&path).ok()?;
        self.hashes[i]
    }

    /// The files larger than the size cap.
    pub(crate) fn too_large(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.paths
            .iter()
            .zip(&self.too_large)
            .filter(|(_, t)| **t)
            .map(|(p, _)| *p)
    }

    /// Stats `paths` (relative to the job's root, sorted and without duplicates) and, when the job hashes,
    /// hashes those not over its size cap, using and then updating its memo.
    pub(crate) fn compute(job: &HashJob, paths: &'a [&'a str]) -> FileHashes<'a> {
        let (root, threads, max_size) = (job.root, job.threads, job.max_size);
        let hash = job.hashing == Hashing::Contents;
        let memo_path = memo_path(job.cache, root, job.memo.name());
        let memo_bytes = std::fs::read(&memo_path).unwrap_or_default();
        let memo = MemoFile::parse(&memo_bytes);
        let started = now_ns();
        // Each thread fills its own share of one preallocated list (no per-thread lists to join: on
        // 90,000 files they would double this step's memory).
        let mut found: Vec<Option<(Stat, blake3::Hash)>> = vec![None; paths.len()];
        let mut too_large = vec![false; paths.len()];
        let per = paths.len().div_ceil(threads.max(1)).max(1);
        let read: usize = std::thread::scope(|s| {
            let workers: Vec<_> = paths
                .chunks(per)
                .zip(found.chunks_mut(per))
                .zip(too_large.chunks_mut(per))
                .map(|((chunk, found), large)| {
                    let memo = memo.as_ref();
                    s.spawn(move || {
                        let mut read = 0usize;
                        for ((p, slot), big) in chunk.iter().zip(found).zip(large) {
                            let full = root.join(p);
                            let Some(stat) = std::fs::metadata(&full).ok().map(|m| stat_of(&m)) else {
                                continue;
                            };
                            *big = stat.size > max_size;
                            if !hash || *big {
                                continue;
                            }
                            *slot = match memo.and_then(|m| m.trusted(p, stat)) {
                                Some(h) => Some((stat, h)),
                                None => {
                                    read += 1;
                                    std::fs::read(&full).ok().map(|b| (stat, blake3::hash(&b)))
                                }
                            };
                        }
                        read
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
        });
        let unchanged = !hash || (read == 0 && memo.as_ref().is_some_and(|m| m.same_as(paths, &found)));
        if !unchanged {
            write_memo(&memo_path, started, paths, &found);
        }
        FileHashes {
            paths,
            hashes: found.into_iter().map(|f| f.map(|(_, h)| h)).collect(),
            too_large,
            read,
        }
    }
}

fn memo_path(cache: &Path, root: &Path, memo: &str) -> PathBuf {
    let id = blake3::hash(root.as_os_str().as_encoded_bytes()).to_hex();
    cache.join("hashes").join(format!("{}-{memo}", &id[..16]))
}

/// The size of an entry after its path: size (8), mtime_ns (16), ctime_ns (16), ino (8), hash (32).
const TAIL: usize = 8 + 16 + 16 + 8 + 32;

/// A memo as read from disk: the offsets of its entries, sorted by path, in the file's bytes.
struct MemoFile<'b> {
    bytes: &'b [u8],
    written_ns: i128,
    /// Offset of each entry's path length.
    entries: Vec<u32>,
}

impl<'b> MemoFile<'b> {
    /// `MAGIC, written_ns (i128), then per entry: path length (u32), path, size (u64), mtime_ns (i128),
    /// ctime_ns (i128), ino (u64), hash (32 bytes)`, little-endian, sorted by path. Anything malformed is no memo at all.
    fn parse(b: &'b [u8]) -> Option<MemoFile<'b>> {
        if b.get(..8)? != MAGIC {
            return None;
        }
        let written_ns = i128::from_le_bytes(b.get(8..24)?.try_into().ok()?);
        let mut at = 24usize;
        let mut entries = Vec::new();
        let mut last: Option<&[u8]> = None;
        while at < b.len() {
            let len = u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize;
            let path = b.get(at + 4..at + 4 + len)?;
            std::str::from_utf8(path).ok()?;
            if last.is_some_and(|l| l >= path) {
                return None;
            }
            b.get(at + 4 + len..at + 4 + len + TAIL)?;
            entries.push(u32::try_from(at).ok()?);
            last = Some(path);
            at += 4 + len + TAIL;
        }
        Some(MemoFile {
            bytes: b,
            written_ns,
            entries,
        })
    }

    /// The entry at `offset` (checked by `parse`).
    fn entry(&self, offset: u32) -> (&'b [u8], Stat, blake3::Hash) {
        let at = offset as usize;
        let b = self.bytes;
        let num = |from: usize, to: usize| -> &[u8] { &b[from..to] };
        let len = u32::from_le_bytes(num(at, at + 4).try_into().unwrap_or_default()) as usize;
        let p = at + 4 + len;
        let stat = Stat {
            size: u64::from_le_bytes(num(p, p + 8).try_into().unwrap_or_default()),
            mtime_ns: i128::from_le_bytes(num(p + 8, p + 24).try_into().unwrap_or_default()),
            ctime_ns: i128::from_le_bytes(num(p + 24, p + 40).try_into().unwrap_or_default()),
            ino: u64::from_le_bytes(num(p + 40, p + 48).try_into().unwrap_or_default()),
        };
        let hash: [u8; 32] = num(p + 48, p + 80).try_into().unwrap_or_default();
        (&b[at + 4..p], stat, blake3::Hash::from_bytes(hash))
    }

    /// The remembered hash of `path`, if its stat is unchanged and not racily close to the memo's time.
    fn trusted(&self, path: &str, stat: Stat) -> Option<blake3::Hash> {
        let i = self
            .entries
            .binary_search_by(|&o| self.entry(o).0.cmp(path.as_bytes()))
            .ok()?;
        let (_, known, hash) = self.entry(self.entries[i]);
        (known == stat && stat.mtime_ns < self.written_ns - RACY_NS).then_some(hash)
    }

    /// Does the memo hold exactly these entries (the readable ones of `paths`)?
    fn same_as(&self, paths: &[&str], found: &[Option<(Stat, blake3::Hash)>]) -> bool {
        let mut mine = self.entries.iter().map(|&o| self.entry(o));
        for (p, f) in paths.iter().zip(found) {
            let Some((stat, hash)) = f else { continue };
            match mine.next() {
                Some((path, s, h)) if path == p.as_bytes() && s == *stat && h == *hash => {}
                _ => return false,
            }
        }
        mine.next().is_none()
    }
}

/// Writes the memo (to a temporary file, renamed); failures only cost a slower next run.
fn write_memo(path: &Path, written_ns: i128, paths: &[&str], found: &[Option<(Stat, blake3::Hash)>]) {
    let mut b = Vec::with_capacity(24 + paths.len() * 100);
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&written_ns.to_le_bytes());
    for (p, (s, h)) in paths.iter().zip(found).filter_map(|(p, f)| Some((p, f.as_ref()?))) {
        let Ok(len) = u32::try_from(p.len()) else { continue };
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(p.as_bytes());
        b.extend_from_slice(&s.size.to_le_bytes());
        b.extend_from_slice(&s.mtime_ns.to_le_bytes());
        b.extend_from_slice(&s.ctime_ns.to_le_bytes());
        b.extend_from_slice(&s.ino.to_le_bytes());
        b.extend_from_slice(h.as_bytes());
    }
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_ok()
        && let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir)
        && std::io::Write::write_all(&mut tmp, &b).is_ok()
    {
        let _ = tmp.persist(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job<'a>(
        root: &'a Path,
        cache: &'a Path,
        memo: Memo,
        threads: usize,
        hashing: Hashing,
        max_size: u64,
    ) -> HashJob<'a> {
        HashJob {
            root,
            cache,
            memo,
            threads,
            hashing,
            max_size,
        }
    }

    /// Sets a file's modification time (seconds since the epoch).
    fn set_mtime(path: &Path, secs: i64) {
        let times = [
            libc::timespec {
                tv_sec: secs,
                tv_nsec: 0,
            },
            libc::timespec {
                tv_sec: secs,
                tv_nsec: 0,
            },
        ];
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid C string and an array of two timespecs.
        assert_eq!(
            unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), times.as_ptr(), 0) },
            0
        );
    }

    #[test]
    fn a_memo_spares_reading_unchanged_files_and_sees_changes() {
        let root = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let (a, b) = (root.path().join("a.py"), root.path().join("b.py"));
        std::fs::write(&a, "x = 1\n").unwrap();
        std::fs::write(&b, "y = 2\n").unwrap();
        // Old enough not to be racy.
        set_mtime(&a, 1_000_000_000);
        set_mtime(&b, 1_000_000_000);
        let paths = ["a.py", "b.py", "missing.py"];
        let first = FileHashes::compute(
            &job(root.path(), cache.path(), Memo::Lint, 2, Hashing::Contents, u64::MAX),
            &paths,
        );
        assert_eq!(first.read, 2);
        assert_eq!(first.get("a.py"), Some(blake3::hash(b"x = 1\n")));
        assert_eq!(first.get("missing.py"), None);
        let second = FileHashes::compute(
            &job(root.path(), cache.path(), Memo::Lint, 2, Hashing::Contents, u64::MAX),
            &paths,
        );
        assert_eq!(second.read, 0, "nothing changed: nothing read");
        assert_eq!(second.get("b.py"), Some(blake3::hash(b"y = 2\n")));
        // Same size, same (old) mtime, new content: the inode changes when the file is replaced.
        let tmp = root.path().join("new");
        std::fs::write(&tmp, "y = 3\n").unwrap();
        set_mtime(&tmp, 1_000_000_000);
        std::fs::rename(&tmp, &b).unwrap();
        let third = FileHashes::compute(
            &job(root.path(), cache.path(), Memo::Lint, 2, Hashing::Contents, u64::MAX),
            &paths,
        );
        assert_eq!(third.read, 1);
        assert_eq!(third.get("b.py"), Some(blake3::hash(b"y = 3\n")));
        // Rewritten in place, same size, its mtime set back (`touch -r`): the inode's change time says so.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&b, "y = 4\n").unwrap();
        set_mtime(&b, 1_000_000_000);
        let fourth = FileHashes::compute(
            &job(root.path(), cache.path(), Memo::Lint, 2, Hashing::Contents, u64::MAX),
            &paths,
        );
        assert_eq!(fourth.get("b.py"), Some(blake3::hash(b"y = 4\n")));
    }

    #[test]
    fn racily_clean_files_are_read_again() {
        let root = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let a = root.path().join("a.py");
        std::fs::write(&a, "x = 1\n").unwrap();
        let paths = ["a.py"];
        FileHashes::compute(
            &job(root.path(), cache.path(), Memo::Lint, 1, Hashing::Contents, u64::MAX),
            &paths,
        );
        // Rewritten in place within the same instant: size and (coarse) mtime may not change, so a
        // file modified this recently is never trusted from the memo.
        std::fs::write(&a, "x = 2\n").unwrap();
        let again = FileHashes::compute(
            &job(root.path(), cache.path(), Memo::Lint, 1, Hashing::Contents, u64::MAX),
            &paths,
        );
        assert_eq!(again.read, 1);
        assert_eq!(again.get("a.py"), Some(blake3::hash(b"x = 2\n")));
    }

    #[test]
    fn files_over_the_cap_are_not_read() {
        let root = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("big.py"), "x".repeat(100)).unwrap();
        std::fs::write(root.path().join("small.py"), "x").unwrap();
        let paths = ["big.py", "small.py"];
        let h = FileHashes::compute(
            &job(root.path(), cache.path(), Memo::Lint, 1, Hashing::Contents, 10),
            &paths,
        );
        assert_eq!(h.too_large().collect::<Vec<_>>(), ["big.py"]);
        assert_eq!((h.get("big.py"), h.read), (None, 1));
        let sizes_only = FileHashes::compute(
            &job(root.path(), cache.path(), Memo::Reads, 1, Hashing::SizesOnly, 10),
            &paths,
        );
        assert_eq!(sizes_only.too_large().collect::<Vec<_>>(), ["big.py"]);
        assert_eq!(sizes_only.read, 0);
    }

    #[test]
    fn a_damaged_memo_is_no_memo() {
        assert!(MemoFile::parse(b"garbage").is_none());
        assert!(MemoFile::parse(b"").is_none());
        let mut b = MAGIC.to_vec();
        b.extend_from_slice(&0i128.to_le_bytes());
        b.extend_from_slice(&100u32.to_le_bytes());
        b.extend_from_slice(b"short");
        assert!(MemoFile::parse(&b).is_none());
    }
}
