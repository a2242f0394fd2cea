//! Executing a pass's actions: on the bounded pool, through the one executor (the result cache around the
//! process runner), each output read as soon as its action ends — findings with the linter's severity
//! overrides and their lines located, or a tool error — and each start and end told to the sink. Once the
//! run is cancelled, nothing new starts.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::action::{Action, ActionKind, Executed, Served};
use super::cache::FileResults;
use super::context::Cx;
use super::events::Event;
use super::executor::Executor;
use super::prepare::Prepared;
use super::run_pool;
use crate::filter;
use crate::model::{Exit, Finding, ToolError, ToolErrorKind, tail};
use crate::parse::interpret;

/// What one action gave, after reading its output.
pub(crate) struct Done {
    pub(crate) findings: Vec<Finding>,
    pub(crate) error: Option<ToolError>,
    /// Offsets from the start of execution (for each linter's wall time).
    pub(crate) start: Duration,
    pub(crate) end: Duration,
    /// How many files the process was given and how long it took, when it really ran (for the cost
    /// model).
    pub(crate) ran: Option<(usize, Duration)>,
    /// Where its output came from.
    pub(crate) served: Served,
}

/// What reading an action gave: findings, an error, whether a process really ran (its files and time),
/// and whether the caches answered it all.
struct Read {
    findings: Vec<Finding>,
    error: Option<ToolError>,
    ran: Option<(usize, Duration)>,
    served: Served,
}

/// Runs `actions` (in order, at most the run's jobs at once) and reads what each gave; `started` is the
/// time every offset is counted from.
pub(crate) fn actions(
    cx: &Cx,
    actions: &[Action],
    prepared: &BTreeMap<String, Prepared>,
    executor: &dyn Executor,
    started: Instant,
) -> Vec<Done> {
    // With a remote cache, what each file's findings do not answer is looked up there at once, before
    // anything runs (the local cache leaves out what its entries answer).
    if cx.remote.is_some() {
        let store = FileResults::new(&cx.ws.cache);
        let unanswered: Vec<&Action> = actions.iter().filter(|a| !answered_per_file(&store, a)).collect();
        executor.prefetch(&unanswered);
    }
    run_pool(
        actions,
        cx.jobs,
        |action| {
            let start = started.elapsed();
            let read = match prepared.get(&action.linter) {
                _ if cx.cancel.is_cancelled() => Read::failed(interrupted(&action.linter)),
                // Every action is made by a prepared linter; were one not, it would say so.
                None => {
                    let message = format!("{} has no prepared tool to run", action.linter);
                    Read::failed(ToolError::new(&action.linter, ToolErrorKind::Spawn, message))
                }
                Some(p) => {
                    let read = one(cx, p, action, executor);
                    cx.sink.event(&Event::ActionFinished {
                        linter: &action.linter,
                        cached: read.served != Served::Ran,
                        files_run: read.ran.map_or(0, |(files, _)| files),
                    });
                    read
                }
            };
            Done {
                findings: read.findings,
                error: read.error,
                start,
                end: started.elapsed(),
                ran: read.ran,
                served: read.served,
            }
        },
        |_, _| {},
    )
}

impl Read {
    fn failed(error: ToolError) -> Read {
        Read {
            findings: Vec::new(),
            error: Some(error),
            ran: None,
            served: Served::Ran,
        }
    }
}

/// Whether each file's findings of `action` are all kept (then nothing of it runs).
fn answered_per_file(store: &FileResults, action: &Action) -> bool {
    !action.file_keys.is_empty()
        && action.file_keys.len() == action.files.len()
        && action.file_keys.iter().all(|k| store.has(k))
}

/// Executes and reads one action. A fix is not read. For a linter that takes files, what the caches hold
/// answers first: the whole action's output, else each file's findings, and only the files no entry
/// answers are run (their findings are then kept per file too).
fn one(cx: &Cx, p: &Prepared, action: &Action, executor: &dyn Executor) -> Read {
    if action.kind == ActionKind::Fix {
        let executed = executor.execute(action, cx.cancel);
        let served = executed.served;
        return Read {
            served,
            ..Read::failed_or_none(fixed(p, action, executed))
        };
    }
    if action.file_keys.len() != action.files.len() || action.file_keys.is_empty() {
        return read(p, action, executor.execute(action, cx.cancel)).with_severity(p);
    }
    if let Some(hit) = executor.stored(action) {
        return read(p, action, hit).with_severity(p);
    }
    let store = FileResults::new(&cx.ws.cache);
    let known: Vec<Option<Vec<Finding>>> = action.file_keys.iter().map(|k| store.get(k)).collect();
    let mut findings: Vec<Finding> = known.iter().flatten().flatten().cloned().collect();
    let missing: Vec<usize> = (0..known.len()).filter(|&i| known[i].is_none()).collect();
    if missing.is_empty() {
        return Read {
            findings,
            error: None,
            ran: None,
            served: Served::Local,
        }
        .with_severity(p);
    }
    // The files no entry answers, as an action of their own (stored whole only when it is the action).
    let narrowed;
    let run = if missing.len() == action.files.len() {
        action
    } else {
        narrowed = Action {
            files: missing.iter().map(|&i| action.files[i].clone()).collect(),
            file_keys: missing.iter().map(|&i| action.file_keys[i].clone()).collect(),
            key: None,
            ..action.clone()
        };
        &narrowed
    };
    let read = read(p, run, executor.execute(run, cx.cancel));
    if read.error.is_none() {
        keep_per_file(&store, run, &read.findings);
    }
    findings.extend(read.findings);
    Read { findings, ..read }.with_severity(p)
}

/// Keeps each file's findings of a finished action, when every finding is on one of its files (a finding
/// elsewhere could not be told apart, so nothing is kept).
fn keep_per_file(store: &FileResults, action: &Action, findings: &[Finding]) {
    if findings.iter().any(|f| !action.files.contains(&f.path)) {
        return;
    }
    for (file, key) in action.files.iter().zip(&action.file_keys) {
        let mine: Vec<Finding> = findings.iter().filter(|f| f.path == *file).cloned().collect();
        store.put(key, &mine);
    }
}

impl Read {
    fn failed_or_none(error: Option<ToolError>) -> Read {
        Read {
            findings: Vec::new(),
            error,
            ran: None,
            served: Served::Ran,
        }
    }

    /// The linter's severity overrides applied to the findings.
    fn with_severity(self, p: &Prepared) -> Read {
        Read {
            findings: filter::apply_severity(self.findings, &p.severity),
            ..self
        }
    }
}

/// The tool error of an action that did not start because the run was interrupted.
pub(crate) fn interrupted(linter: &str) -> ToolError {
    let words = Exit::Cancelled.failure().map_or_else(String::new, |(_, w)| w);
    ToolError::new(linter, ToolErrorKind::Cancelled, format!("{linter} {words}"))
}

/// Reads a finished action's output: its findings (places named by a value path turned into lines; the
/// severity overrides are applied by the caller) and its error.
fn read(p: &Prepared, action: &Action, executed: Executed) -> Read {
    let served = executed.served;
    match executed.output {
        Ok(out) => {
            let mut ctx = std::borrow::Cow::Borrowed(&p.ctx);
            // Output stored from a run in another root: its paths are read against that root too.
            if let Some(root) = &executed.produced_in {
                ctx.to_mut().extra_roots.push(root.to_string_lossy().into_owned());
            }
            // Content read on stdin, which the tool calls by a name of its own.
            if let (Some(file), Some(name)) = (&action.buffer_of, p.buffer.as_ref().and_then(|b| b.names.as_ref())) {
                ctx.to_mut().stdin = Some((name.clone(), file.clone()));
            }
            let (mut findings, error) = interpret(&p.reading, &out, &ctx);
            filter::locate(&mut findings, &p.ctx.root);
            Read {
                findings,
                error,
                ran: (served == Served::Ran).then_some((action.files.len(), out.duration)),
                served,
            }
        }
        Err(message) => Read::failed(ToolError::new(&action.linter, ToolErrorKind::Spawn, message)),
    }
}

/// Did a fix action run as its definition says it should? Its output is not read: what remains is found
/// by the check that follows.
fn fixed(p: &Prepared, action: &Action, executed: Executed) -> Option<ToolError> {
    let ok = p.fix.as_ref().map_or(&[0][..], |f| &f.ok_exit_codes[..]);
    let out = match executed.output {
        Ok(out) => out,
        Err(message) => return Some(ToolError::new(&action.linter, ToolErrorKind::Spawn, message)),
    };
    let (kind, why) = match out.exit {
        Exit::Code(c) if ok.contains(&c) => return None,
        Exit::Code(c) => (ToolErrorKind::Failed, format!("exit code {c}")),
        other => other
            .failure()
            .map_or((ToolErrorKind::Failed, String::new()), |(kind, words)| {
                (kind, format!("it {words}"))
            }),
    };
    let message = format!(
        "{} failed to apply its fixes to {} files: {why}",
        action.linter,
        action.files.len()
    );
    let mut e = ToolError::new(&action.linter, kind, message);
    let output = if out.stderr.is_empty() {
        &out.stdout
    } else {
        &out.stderr
    };
    e.output_tail = tail(&String::from_utf8_lossy(output), 10);
    Some(e)
}
