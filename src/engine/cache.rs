//! The result cache: a re-run on an unchanged repository starts no linter. Each action's key is a hash
//! of everything its result depends on — lintmux's own version, the linter's definition, the tool and its
//! version, the full command line, the environment set for it, the contents of the config files it reads,
//! and each input file's path and content — and the value is the tool's output (exit code, stdout,
//! stderr), so a hit is parsed exactly as a fresh run would be. [`Cached`] puts the store around any
//! executor; only outputs its caller accepts (no tool error) are stored.
//!
//! Entries live under `<cache>/results/`, written to a temporary file and renamed, so a reader never sees
//! half an entry; each ends with a checksum, so an entry that was cut short or damaged is a miss and is
//! rewritten.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::CancelToken;
use super::action::{Action, Executed, Served};
use super::executor::Executor;
use crate::model::{Exit, Finding, JobOutput};

/// Bumped whenever what an entry means changes.
const FORMAT: u32 = 4;
const MAGIC: &[u8; 4] = b"LMXR";

/// A cache key under construction.
pub(crate) struct KeyBuilder(blake3::Hasher);

impl KeyBuilder {
    pub(crate) fn new(kind: &str) -> KeyBuilder {
        let mut h = blake3::Hasher::new();
        h.update(format!("lintmux {} cache {FORMAT} {kind}\0", env!("CARGO_PKG_VERSION")).as_bytes());
        KeyBuilder(h)
    }

    /// Adds a labelled value (labels keep `a`+`bc` apart from `ab`+`c`).
    pub(crate) fn add(&mut self, label: &str, value: &[u8]) -> &mut Self {
        self.0.update(label.as_bytes());
        self.0.update(&(value.len() as u64).to_le_bytes());
        self.0.update(value);
        self
    }

    pub(crate) fn finish(&self) -> String {
        self.0.finalize().to_hex().to_string()
    }
}

/// The result store.
pub(crate) struct ResultCache {
    dir: PathBuf,
}

impl ResultCache {
    pub(crate) fn new(cache_dir: &Path) -> ResultCache {
        ResultCache {
            dir: cache_dir.join("results"),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(&key[2..])
    }

    /// The output stored under `key`, and the root it was produced in, if a complete, undamaged entry
    /// is there.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.path(key).is_file()
    }

    pub(crate) fn get(&self, key: &str) -> Option<(JobOutput, PathBuf)> {
        decode(&std::fs::read(self.path(key)).ok()?)
    }

    /// Stores `out`, produced in `root`, under `key`; failures to write only cost a future cache miss.
    pub(crate) fn put(&self, key: &str, out: &JobOutput, root: &Path) {
        let Some(bytes) = encode(out, root) else { return };
        let _ = write_whole(&self.path(key), &bytes);
    }
}

/// `MAGIC, format, exit code, root length, root, stdout length, stdout, stderr, blake3 of all that`
/// (integers little-endian). The root is where the tool ran: the paths it printed are under it.
fn encode(out: &JobOutput, root: &Path) -> Option<Vec<u8>> {
    let mut b = Vec::with_capacity(out.stdout.len() + out.stderr.len() + 64);
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&FORMAT.to_le_bytes());
    push_output(&mut b, out, &root.to_string_lossy())?;
    let sum = blake3::hash(&b);
    b.extend_from_slice(sum.as_bytes());
    Some(b)
}

fn decode(b: &[u8]) -> Option<(JobOutput, PathBuf)> {
    let (body, sum) = b.split_at(b.len().checked_sub(32)?);
    if blake3::hash(body).as_bytes() != sum || body.get(..4)? != MAGIC {
        return None;
    }
    if u32::from_le_bytes(body.get(4..8)?.try_into().ok()?) != FORMAT {
        return None;
    }
    read_output(&body[8..])
}

/// Appends an output and the root it was produced in, as the local and the remote entries keep them:
/// `exit code, root length, root, stdout length, stdout, stderr` (integers little-endian). `None`: an
/// output that ended without an exit code, which is never stored.
pub(crate) fn push_output(b: &mut Vec<u8>, out: &JobOutput, root: &str) -> Option<()> {
    let Exit::Code(code) = out.exit else { return None };
    b.extend_from_slice(&code.to_le_bytes());
    b.extend_from_slice(&(root.len() as u64).to_le_bytes());
    b.extend_from_slice(root.as_bytes());
    b.extend_from_slice(&(out.stdout.len() as u64).to_le_bytes());
    b.extend_from_slice(&out.stdout);
    b.extend_from_slice(&out.stderr);
    Some(())
}

/// Reads what [`push_output`] wrote.
pub(crate) fn read_output(b: &[u8]) -> Option<(JobOutput, PathBuf)> {
    let code = i32::from_le_bytes(b.get(..4)?.try_into().ok()?);
    let root_len = usize::try_from(u64::from_le_bytes(b.get(4..12)?.try_into().ok()?)).ok()?;
    let at = 12usize.checked_add(root_len)?;
    let root = std::str::from_utf8(b.get(12..at)?).ok()?;
    let len = usize::try_from(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?)).ok()?;
    let rest = b.get(at + 8..)?;
    if len > rest.len() {
        return None;
    }
    let (stdout, stderr) = rest.split_at(len);
    let out = JobOutput {
        stdout: stdout.to_vec(),
        stderr: stderr.to_vec(),
        exit: Exit::Code(code),
        duration: Duration::ZERO,
    };
    Some((out, PathBuf::from(root)))
}

/// Decides whether a fresh output may be stored (the caller's reading of it found no tool error).
pub(crate) type Accept<'a> = &'a (dyn Fn(&Action, &JobOutput) -> bool + Sync);

/// The result cache around any executor: a hit is returned without running anything; a miss runs the
/// inner executor and stores what it gave when `accept` says it is a result, not a failure.
pub(crate) struct Cached<'a, E> {
    pub(crate) inner: E,
    pub(crate) store: ResultCache,
    pub(crate) accept: Accept<'a>,
}

impl<E: Executor> Executor for Cached<'_, E> {
    fn stored(&self, action: &Action) -> Option<Executed> {
        let (output, root) = self.store.get(action.key.as_ref()?)?;
        Some(Executed {
            output: Ok(output),
            served: Served::Local,
            produced_in: Some(root).filter(|r| *r != action.cwd),
        })
    }

    fn prefetch(&self, actions: &[&Action]) {
        let missing: Vec<&Action> = actions
            .iter()
            .copied()
            .filter(|a| !a.key.as_ref().is_some_and(|k| self.store.has(k)))
            .collect();
        self.inner.prefetch(&missing);
    }

    fn execute(&self, action: &Action, cancel: &CancelToken) -> Executed {
        if let Some(hit) = self.stored(action) {
            return hit;
        }
        let outcome = self.inner.execute(action, cancel);
        // A remote hit is kept with the root it was produced in: the paths its tool printed are under it.
        if let (Some(key), Ok(out)) = (&action.key, &outcome.output)
            && (self.accept)(action, out)
        {
            self.store
                .put(key, out, outcome.produced_in.as_deref().unwrap_or(&action.cwd));
        }
        outcome
    }
}

/// The findings of one file by one linter, kept apart from the outputs of whole actions: a linter that
/// takes files finds the same on a file whatever batch it is given in, so a change to one file of a batch
/// re-runs that file alone, and an editor asking about one file that `lintmux check` linted is answered
/// without starting the linter. Entries live under `<cache>/files/` (JSON, then a checksum), written to a
/// temporary file and renamed.
pub(crate) struct FileResults {
    dir: PathBuf,
}

impl FileResults {
    pub(crate) fn new(cache_dir: &Path) -> FileResults {
        FileResults {
            dir: cache_dir.join("files"),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(&key[2..])
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.path(key).is_file()
    }

    /// The findings stored under `key`, if a complete, undamaged entry is there.
    pub(crate) fn get(&self, key: &str) -> Option<Vec<Finding>> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        let (body, sum) = bytes.split_at(bytes.len().checked_sub(32)?);
        if blake3::hash(body).as_bytes() != sum {
            return None;
        }
        serde_json::from_slice(body).ok()
    }

    /// Stores `findings` under `key`; a failure to write only costs a future miss.
    pub(crate) fn put(&self, key: &str, findings: &[Finding]) {
        let Ok(mut bytes) = serde_json::to_vec(findings) else {
            return;
        };
        let sum = blake3::hash(&bytes);
        bytes.extend_from_slice(sum.as_bytes());
        let _ = write_whole(&self.path(key), &bytes);
    }
}

/// Remembered tool versions, keyed by the program's path, size and modification time, so that reading
/// a project's or the system's tool version does not start a process on every run.
pub(crate) struct VersionCache {
    dir: PathBuf,
}

impl VersionCache {
    pub(crate) fn new(cache_dir: &Path) -> VersionCache {
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
    pub(crate) fn get_or(
        &self,
        program: &Path,
        command: &[String],
        read: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        let Some(key) = Self::key(program, command) else {
            return read();
        };
        self.stored_or(&key, read)
    }

    /// The version stored under an identity that does not change (an image pinned by digest).
    pub(crate) fn get_or_keyed(&self, identity: &str, read: impl FnOnce() -> Option<String>) -> Option<String> {
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
pub(crate) struct Usage {
    pub(crate) entries: u64,
    pub(crate) bytes: u64,
}

/// Counts files and bytes below `dir`.
pub(crate) fn usage(dir: &Path) -> Usage {
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

/// Writes `bytes` to `path` whole or not at all (a temporary file beside it, renamed), so that a reader
/// never sees half an entry.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent directory"))?;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(path).map(|_| ()).map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::action::{ActionKind, Place};
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn output(text: &str, code: i32) -> JobOutput {
        JobOutput {
            stdout: text.as_bytes().to_vec(),
            stderr: b"warn".to_vec(),
            exit: Exit::Code(code),
            duration: Duration::ZERO,
        }
    }

    #[test]
    fn round_trip_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::new(dir.path());
        let key = KeyBuilder::new("job").add("x", b"1").finish();
        assert!(cache.get(&key).is_none());
        cache.put(&key, &output("[1]", 1), Path::new("/r"));
        let (back, root) = cache.get(&key).unwrap();
        assert_eq!(root, Path::new("/r"));
        assert_eq!(
            (back.stdout, back.stderr, back.exit),
            (b"[1]".to_vec(), b"warn".to_vec(), Exit::Code(1))
        );
        // A truncated entry is a miss, and is rewritten by the next put.
        let path = cache.path(&key);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(cache.get(&key).is_none());
        // A flipped byte too.
        let mut flipped = bytes.clone();
        flipped[22] ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        assert!(cache.get(&key).is_none());
        cache.put(&key, &output("[1]", 1), Path::new("/r"));
        assert!(cache.get(&key).is_some());
    }

    #[test]
    fn keys_separate_fields() {
        let a = KeyBuilder::new("job").add("a", b"x").add("b", b"yz").finish();
        let b = KeyBuilder::new("job").add("a", b"xy").add("b", b"z").finish();
        assert_ne!(a, b);
    }

    /// An executor that counts its runs and answers with a fixed output.
    struct Counting {
        runs: AtomicUsize,
        code: i32,
    }

    impl Executor for Counting {
        fn execute(&self, _: &Action, _: &CancelToken) -> Executed {
            self.runs.fetch_add(1, Ordering::SeqCst);
            Executed {
                output: Ok(output("out", self.code)),
                served: Served::Ran,
                produced_in: None,
            }
        }
    }

    fn action(key: Option<&str>) -> Action {
        Action {
            kind: ActionKind::Lint,
            linter: "x".into(),
            files: vec!["a.py".into()],
            args: vec![],
            files_at: None,
            file_arg: "{file}".into(),
            env: vec![],
            cwd: PathBuf::from("/"),
            timeout: Duration::from_secs(1),
            output_cap: 1024,
            place: Place::Local {
                program: PathBuf::from("/bin/true"),
            },
            key: key.map(str::to_owned),
            file_keys: Vec::new(),
            stdin: None,
            buffer_of: None,
        }
    }

    #[test]
    fn the_wrapper_runs_once_then_answers_from_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let accept = |_: &Action, out: &JobOutput| out.exit == Exit::Code(0);
        let cached = Cached {
            inner: Counting {
                runs: AtomicUsize::new(0),
                code: 0,
            },
            store: ResultCache::new(dir.path()),
            accept: &accept,
        };
        let cancel = CancelToken::new();
        let key = KeyBuilder::new("job").add("k", b"1").finish();
        let first = cached.execute(&action(Some(&key)), &cancel);
        let second = cached.execute(&action(Some(&key)), &cancel);
        assert!(first.served == Served::Ran && second.served == Served::Local);
        assert_eq!(second.output.unwrap().stdout, b"out");
        assert_eq!(cached.inner.runs.load(Ordering::SeqCst), 1);
        // No key (an input could not be read): never stored, always run.
        cached.execute(&action(None), &cancel);
        cached.execute(&action(None), &cancel);
        assert_eq!(cached.inner.runs.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn rejected_outputs_are_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let accept = |_: &Action, out: &JobOutput| out.exit == Exit::Code(0);
        let cached = Cached {
            inner: Counting {
                runs: AtomicUsize::new(0),
                code: 2,
            },
            store: ResultCache::new(dir.path()),
            accept: &accept,
        };
        let cancel = CancelToken::new();
        let key = KeyBuilder::new("job").add("k", b"2").finish();
        assert_eq!(cached.execute(&action(Some(&key)), &cancel).served, Served::Ran);
        assert_eq!(cached.execute(&action(Some(&key)), &cancel).served, Served::Ran);
        assert_eq!(cached.inner.runs.load(Ordering::SeqCst), 2);
    }
}
