//! Executing a pass's actions: on the bounded pool, through the one executor (the result cache around the
//! process runner), each output read as soon as its action ends — findings with the linter's severity
//! overrides and their lines located, or a tool error — and each start and end told to the sink. Once the
//! run is cancelled, nothing new starts.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::action::{Action, ActionKind, Executed};
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
    /// The process's own duration, when it really ran (for the cost model).
    pub(crate) ran: Option<Duration>,
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
    run_pool(
        actions,
        cx.jobs,
        |action| {
            let start = started.elapsed();
            let (findings, error, ran) = match prepared.get(&action.linter) {
                _ if cx.cancel.is_cancelled() => (Vec::new(), Some(interrupted(&action.linter)), None),
                // Every action is made by a prepared linter; were one not, it would say so.
                None => {
                    let message = format!("{} has no prepared tool to run", action.linter);
                    (
                        Vec::new(),
                        Some(ToolError::new(&action.linter, ToolErrorKind::Spawn, message)),
                        None,
                    )
                }
                Some(p) => {
                    let executed = executor.execute(action, cx.cancel);
                    let cached = executed.cached;
                    let read = match action.kind {
                        ActionKind::Fix => (Vec::new(), fixed(p, action, executed), None),
                        _ => read(p, action, executed),
                    };
                    cx.sink.event(&Event::ActionFinished {
                        linter: &action.linter,
                        cached,
                    });
                    read
                }
            };
            Done {
                findings,
                error,
                start,
                end: started.elapsed(),
                ran,
            }
        },
        |_, _| {},
    )
}

/// The tool error of an action that did not start because the run was interrupted.
pub(crate) fn interrupted(linter: &str) -> ToolError {
    let words = Exit::Cancelled.failure().map_or_else(String::new, |(_, w)| w);
    ToolError::new(linter, ToolErrorKind::Cancelled, format!("{linter} {words}"))
}

/// Reads a finished action's output: its findings (severity overrides applied, places named by a value
/// path turned into lines) and its error, and how long it ran when it really ran.
fn read(p: &Prepared, action: &Action, executed: Executed) -> (Vec<Finding>, Option<ToolError>, Option<Duration>) {
    match executed.output {
        Ok(out) => {
            let replayed;
            let ctx = match &executed.produced_in {
                // Output stored from a run in another root: its paths are read against that root too.
                Some(root) => {
                    let mut ctx = p.ctx.clone();
                    ctx.extra_roots.push(root.to_string_lossy().into_owned());
                    replayed = ctx;
                    &replayed
                }
                None => &p.ctx,
            };
            let (mut findings, error) = interpret(&p.reading, &out, ctx);
            filter::locate(&mut findings, &p.ctx.root);
            let ran = (!executed.cached).then_some(out.duration);
            (filter::apply_severity(findings, &p.severity), error, ran)
        }
        Err(message) => (
            Vec::new(),
            Some(ToolError::new(&action.linter, ToolErrorKind::Spawn, message)),
            None,
        ),
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
