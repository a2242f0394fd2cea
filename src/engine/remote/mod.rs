//! The remote result cache: results shared between machines (CI runners, developers) over storage a team
//! already runs — S3, a Bazel-style HTTP/WebDAV cache, Redis, the GitHub Actions cache — as a layer under
//! the local cache ([`WithRemote`] inside `cache::Cached`): a local hit never asks the network, a remote hit
//! is stored locally, a fresh result goes to both (to the remote only when writing is on).
//!
//! The remote is never a point of failure. The look-ups of a run go out together before it starts
//! ([`Remote::prefetch`], at most [`CONCURRENT`] at once); each request has a short timeout; after
//! [`FAILURES`] failed requests in a row the run stops asking (and after as many failed writes, stops
//! writing); an entry that is damaged, unsigned when a signing key is set, signed with another key, or not
//! readable as the tool's output is a miss; an entry over [`MAX_ENTRY`] is refused without being read
//! whole. The run's verdict is what it would be without the remote, and the report says in one line what
//! happened ([`crate::model::RemoteUse`]).
//!
//! Keys are portable (see `actions`): the root, the cache and tools directories and each linter's scratch
//! directory are named, not spelled out, so a checkout at another path on another machine finds the
//! same entries. Left out of the remote: fixes (they write), an editor's unsaved buffers, and actions with
//! no key (an input that could not be read).

mod entry;
mod store;
mod url;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use self::entry::{Refusal, SigningKey};
pub(crate) use self::url::{RemoteUrl, Secret};
use super::CancelToken;
use super::action::{Action, ActionKind, Executed, Served};
use super::cache::Accept;
use super::executor::Executor;
use crate::model::{JobOutput, RemoteUse};

/// Look-ups in flight at once.
pub(crate) const CONCURRENT: usize = 32;
/// Failed requests in a row after which a run stops using the remote.
pub(crate) const FAILURES: usize = 3;
/// The largest entry read or written.
pub(crate) const MAX_ENTRY: usize = 32 * 1024 * 1024;
/// Each request's timeout.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(2);

/// A remote cache as a caller asks for it: where, whether to write, and the signing secret.
#[derive(Clone, Debug)]
pub(crate) struct RemoteSpec {
    pub(crate) url: RemoteUrl,
    pub(crate) writes: Writes,
    /// `LINTMUX_REMOTE_CACHE_KEY`: entries are signed with it, and only entries it verifies are read.
    pub(crate) secret: Option<Secret>,
    pub(crate) timeout: Duration,
}

/// Whether fresh results are written to the remote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Writes {
    On,
    /// Not asked for.
    Off,
    /// Asked for, but not allowed (why).
    Refused(String),
}

/// What a look-up found.
enum Fetched {
    Bytes(Vec<u8>),
    Missing,
    /// The request failed (already counted).
    Failed,
}

#[derive(Default)]
struct State {
    hits: usize,
    misses: usize,
    written: usize,
    refused: usize,
    errors: usize,
    reads_failed_in_row: usize,
    writes_failed_in_row: usize,
    /// Why the run stopped asking the remote.
    unavailable: Option<String>,
    /// Why the run stopped writing to it.
    writes_stopped: Option<String>,
    /// The last refusal or error, for the report line.
    last_refusal: Option<&'static str>,
}

/// The remote cache of one run.
pub(crate) struct Remote {
    shown: String,
    writes: Writes,
    signing: Option<SigningKey>,
    timeout: Duration,
    /// The runtime the requests run on and the store; `Err`: why the remote cannot be used at all.
    store: Result<(tokio::runtime::Runtime, opendal::Operator), String>,
    state: Arc<Mutex<State>>,
    fetched: Mutex<HashMap<String, Fetched>>,
    writing: Mutex<Vec<tokio::task::JoinHandle<()>>>,
    started: Instant,
}

impl Remote {
    /// Opens the remote of `spec`. Nothing is asked of the server yet; a backend that cannot be set up
    /// (the GitHub Actions cache outside a job) leaves the remote unused, as the report says.
    pub(crate) fn open(spec: &RemoteSpec) -> Remote {
        let store = store::operator(&spec.url).and_then(|op| {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("lintmux-remote")
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the remote cache's runtime: {e}"))?;
            Ok((rt, op))
        });
        Remote {
            shown: spec.url.shown.clone(),
            writes: spec.writes.clone(),
            signing: spec.secret.as_ref().map(|s| SigningKey::new(&s.0)),
            timeout: spec.timeout,
            store,
            state: Arc::default(),
            fetched: Mutex::default(),
            writing: Mutex::default(),
            started: Instant::now(),
        }
    }

    fn usable(&self) -> Option<&(tokio::runtime::Runtime, opendal::Operator)> {
        let store = self.store.as_ref().ok()?;
        lock(&self.state).unavailable.is_none().then_some(store)
    }

    /// Looks up the entries of `actions` at once (at most [`CONCURRENT`] requests in flight), before the
    /// run's pool starts, so that no action waits for a round trip of its own.
    pub(crate) fn prefetch(&self, actions: &[&Action]) {
        let Some((rt, op)) = self.usable() else { return };
        let mut keys: Vec<String> = actions
            .iter()
            .filter_map(|a| remote_key(a))
            .map(str::to_owned)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        {
            let fetched = lock(&self.fetched);
            keys.retain(|k| !fetched.contains_key(k));
        }
        if keys.is_empty() {
            return;
        }
        let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENT));
        let tasks: Vec<_> = keys
            .into_iter()
            .map(|key| {
                let (op, limit, state, timeout) = (op.clone(), limit.clone(), self.state.clone(), self.timeout);
                let started = self.started;
                rt.spawn(async move {
                    let _permit = limit.acquire().await;
                    if lock(&state).unavailable.is_some() {
                        return (key, Fetched::Failed);
                    }
                    let got = store::get(&op, &key, MAX_ENTRY, timeout).await;
                    let fetched = settle_read(&state, got, started);
                    (key, fetched)
                })
            })
            .collect();
        let results = rt.block_on(async {
            let mut results = Vec::with_capacity(tasks.len());
            for t in tasks {
                if let Ok(r) = t.await {
                    results.push(r);
                }
            }
            results
        });
        lock(&self.fetched).extend(results);
    }

    /// The output the remote holds for `action`, read as the tool's (`accept`) before it is used.
    fn get(&self, action: &Action, accept: Accept) -> Option<Executed> {
        let key = remote_key(action)?;
        let fetched = lock(&self.fetched).remove(key);
        let fetched = match fetched {
            Some(f) => f,
            None => {
                let (rt, op) = self.usable()?;
                let got = rt.block_on(store::get(op, key, MAX_ENTRY, self.timeout));
                settle_read(&self.state, got, self.started)
            }
        };
        let bytes = match fetched {
            Fetched::Bytes(b) => b,
            Fetched::Missing => {
                lock(&self.state).misses += 1;
                return None;
            }
            Fetched::Failed => return None,
        };
        let refused = |why: Refusal| {
            let mut s = lock(&self.state);
            s.refused += 1;
            s.last_refusal = Some(why.as_str());
            None
        };
        let (output, root) = match entry::decode(&bytes, key, self.signing.as_ref()) {
            Ok(decoded) => decoded,
            Err(why) => return refused(why),
        };
        if !accept(action, &output) {
            return refused(Refusal::Damaged);
        }
        lock(&self.state).hits += 1;
        Some(Executed {
            output: Ok(output),
            served: Served::Remote,
            produced_in: Some(root).filter(|r| *r != action.cwd),
        })
    }

    /// Writes a fresh output of `action` to the remote, in the background (see [`Self::finish`]).
    fn put(&self, action: &Action, out: &JobOutput) {
        if self.writes != Writes::On || lock(&self.state).writes_stopped.is_some() {
            return;
        }
        let (Some((rt, op)), Some(key)) = (self.usable(), remote_key(action)) else {
            return;
        };
        let root = action.cwd.to_string_lossy();
        let Some(bytes) = entry::encode(key, out, &root, self.signing.as_ref()) else {
            return;
        };
        if bytes.len() > MAX_ENTRY {
            return;
        }
        let (op, key, state, timeout) = (op.clone(), key.to_owned(), self.state.clone(), self.timeout);
        let started = self.started;
        let task = rt.spawn(async move {
            if lock(&state).writes_stopped.is_some() {
                return;
            }
            let result = store::put(&op, &key, bytes, timeout).await;
            let mut s = lock(&state);
            match result {
                Ok(()) => {
                    s.written += 1;
                    s.writes_failed_in_row = 0;
                }
                Err(fault) => {
                    let State {
                        errors,
                        writes_failed_in_row,
                        writes_stopped,
                        ..
                    } = &mut *s;
                    failed(
                        errors,
                        writes_failed_in_row,
                        writes_stopped,
                        ("writes stopped", &fault, started),
                    );
                }
            }
        });
        lock(&self.writing).push(task);
    }

    /// Waits for the writes still in flight (each bounded by the timeout) and says what the run did with
    /// the remote.
    pub(crate) fn finish(&self) -> RemoteUse {
        if let Ok((rt, _)) = &self.store {
            let tasks: Vec<_> = lock(&self.writing).drain(..).collect();
            rt.block_on(async {
                for t in tasks {
                    let _ = t.await;
                }
            });
        }
        let s = lock(&self.state);
        let problem = match &self.store {
            Err(why) => Some(format!("not used: {why}")),
            Ok(_) => [
                s.unavailable.clone(),
                s.writes_stopped.clone(),
                match &self.writes {
                    Writes::Refused(why) => Some(format!("not written: {why}")),
                    _ => None,
                },
                s.last_refusal.map(|why| format!("last entry refused: {why}")),
            ]
            .into_iter()
            .flatten()
            .reduce(|a, b| format!("{a}; {b}")),
        };
        RemoteUse {
            url: self.shown.clone(),
            write: self.writes == Writes::On,
            hits: s.hits,
            misses: s.misses,
            written: s.written,
            refused: s.refused,
            errors: s.errors,
            problem,
        }
    }
}

/// Counts what a read gave; repeated failures make the remote unavailable for the rest of the run.
fn settle_read(state: &Mutex<State>, got: Result<Option<Vec<u8>>, store::Fault>, started: Instant) -> Fetched {
    let mut s = lock(state);
    match got {
        Ok(Some(bytes)) => {
            s.reads_failed_in_row = 0;
            Fetched::Bytes(bytes)
        }
        Ok(None) => {
            s.reads_failed_in_row = 0;
            Fetched::Missing
        }
        Err(store::Fault::TooLarge(_)) => {
            s.refused += 1;
            s.last_refusal = Some("larger than the entry size cap");
            Fetched::Failed
        }
        Err(fault) => {
            let State {
                errors,
                reads_failed_in_row,
                unavailable,
                ..
            } = &mut *s;
            failed(
                errors,
                reads_failed_in_row,
                unavailable,
                ("unavailable since", &fault, started),
            );
            Fetched::Failed
        }
    }
}

/// Counts a failed request; the [`FAILURES`]th in a row says, once, since when (`what`) and why.
fn failed(
    errors: &mut usize,
    in_row: &mut usize,
    stopped: &mut Option<String>,
    (what, fault, started): (&str, &store::Fault, Instant),
) {
    *errors += 1;
    *in_row += 1;
    if *in_row >= FAILURES && stopped.is_none() {
        *stopped = Some(format!(
            "{what} {:.1} s into the run: {}",
            started.elapsed().as_secs_f64(),
            fault.describe()
        ));
    }
}

/// The key `action` has in the remote, if it goes there at all: not a fix, not an editor's buffer, and
/// only with a key.
fn remote_key(action: &Action) -> Option<&str> {
    if action.kind == ActionKind::Fix || action.buffer_of.is_some() {
        return None;
    }
    action.key.as_deref()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The remote cache around any executor (inside the local cache): a remote hit is returned without
/// running anything; a miss runs the inner executor and writes what it gave when `accept` says it is a
/// result.
pub(crate) struct WithRemote<'a, E> {
    pub(crate) inner: E,
    pub(crate) remote: &'a Remote,
    pub(crate) accept: Accept<'a>,
}

impl<E: Executor> Executor for WithRemote<'_, E> {
    fn execute(&self, action: &Action, cancel: &CancelToken) -> Executed {
        if let Some(hit) = self.remote.get(action, self.accept) {
            return hit;
        }
        let outcome = self.inner.execute(action, cancel);
        if let (Served::Ran, Ok(out)) = (outcome.served, &outcome.output)
            && (self.accept)(action, out)
        {
            self.remote.put(action, out);
        }
        outcome
    }

    fn prefetch(&self, actions: &[&Action]) {
        self.remote.prefetch(actions);
    }
}

/// What `lintmux cache status --remote` found: each check and how it went.
pub(crate) struct Probe {
    pub(crate) url: String,
    /// (what was checked, `Ok(how long)` or why it failed).
    pub(crate) checks: Vec<(&'static str, Result<Duration, String>)>,
}

/// Checks the connection and the permissions: a read of an entry that is not there, and with writes on,
/// a write, a read back and a removal of a probe entry.
pub(crate) fn probe(spec: &RemoteSpec) -> Probe {
    let mut checks = Vec::new();
    let url = spec.url.shown.clone();
    let (rt, op) = match Remote::open(spec).store {
        Ok(store) => store,
        Err(why) => {
            checks.push(("set up", Err(why)));
            return Probe { url, checks };
        }
    };
    let key = super::cache::KeyBuilder::new("probe")
        .add("at", format!("{:?}", std::time::SystemTime::now()).as_bytes())
        .finish();
    let timed = |f: Result<(), store::Fault>, t: Instant| f.map(|()| t.elapsed()).map_err(|e| e.describe());
    let t = Instant::now();
    let read = rt
        .block_on(store::get(&op, &key, MAX_ENTRY, spec.timeout))
        .and_then(|got| match got {
            None => Ok(()),
            Some(_) => Err(store::Fault::Failed("a new key already has an entry".to_owned())),
        });
    checks.push(("read", timed(read, t)));
    match &spec.writes {
        Writes::On => {
            let out = JobOutput {
                stdout: b"probe".to_vec(),
                stderr: Vec::new(),
                exit: crate::model::Exit::Code(0),
                duration: Duration::ZERO,
            };
            let signing = spec.secret.as_ref().map(|s| SigningKey::new(&s.0));
            let bytes = entry::encode(&key, &out, "/", signing.as_ref()).unwrap_or_default();
            let t = Instant::now();
            let write = rt.block_on(store::put(&op, &key, bytes, spec.timeout));
            let wrote = write.is_ok();
            checks.push(("write", timed(write, t)));
            if wrote {
                let t = Instant::now();
                let back = rt
                    .block_on(store::get(&op, &key, MAX_ENTRY, spec.timeout))
                    .and_then(|got| {
                        let bytes =
                            got.ok_or_else(|| store::Fault::Failed("the entry just written is not there".into()))?;
                        entry::decode(&bytes, &key, signing.as_ref())
                            .map(|_| ())
                            .map_err(|why| store::Fault::Failed(format!("the entry read back is {}", why.as_str())))
                    });
                checks.push(("read back", timed(back, t)));
                let t = Instant::now();
                checks.push(("remove", timed(rt.block_on(store::delete(&op, &key, spec.timeout)), t)));
            }
        }
        Writes::Off => {}
        Writes::Refused(why) => checks.push(("write", Err(format!("not tried: {why}")))),
    }
    Probe { url, checks }
}
