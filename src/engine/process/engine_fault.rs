//! An engine that cannot start any container (runc refusing the engine's default ulimits, a broken
//! storage or cgroup set-up) would otherwise surface as one puzzling error per containerised job: "exited
//! with status 126 (expected JSON…)". Here such a failure is recognised, confirmed once per run by starting
//! a command that does not exist in the same image (a working engine answers "not found", exit 127), and
//! reported once, with the engine's own words and what to do about it.

use std::collections::BTreeSet;

use super::container::{Engine, EngineKind, quiet};
use crate::engine::CancelToken;
use crate::model::{Exit, JobOutput};
use crate::model::{ToolError, ToolErrorKind};

/// The command the probe asks for; no image has it.
const PROBE: &str = "/lintmux-engine-probe";

/// Whether the container did not start at all: the engine's or the runtime's error (exit 125 to 127, no
/// output from a tool), not the tool's.
pub(crate) fn failed_to_start(out: &JobOutput) -> bool {
    let err = String::from_utf8_lossy(&out.stderr);
    matches!(out.exit, Exit::Code(125..=127))
        && out.stdout.is_empty()
        && ["OCI", "runc", "crun", "Error response from daemon"]
            .iter()
            .any(|m| err.contains(m))
}

/// Why `engine` cannot start any container, when it cannot; diagnosed once per run (the answer is kept
/// in the engine, which every job of the run shares).
pub(crate) fn engine_fault(engine: &Engine, image: &str, cancel: &CancelToken) -> Option<String> {
    engine.fault.get_or_init(|| probe(engine, image, cancel)).clone()
}

fn probe(engine: &Engine, image: &str, cancel: &CancelToken) -> Option<String> {
    let mut args = vec!["run", "--rm", "--network=none", "--read-only"];
    if engine.kind == EngineKind::Podman {
        args.push("--pull=never");
    }
    args.extend(["--entrypoint", PROBE, image]);
    let out = quiet(&engine.program, &args, cancel)?;
    let err = String::from_utf8_lossy(&out.stderr);
    if out.exit == Exit::Code(127) && err.contains(PROBE) {
        return None;
    }
    let name = engine.name();
    let fix = if err.contains("rlimit") {
        format!(
            "its default ulimits exceed this machine's hard limits (`ulimit -Hn`): lower them ({})",
            match engine.kind {
                EngineKind::Podman => "default_ulimits in /etc/containers/containers.conf",
                EngineKind::Docker => "the daemon's --default-ulimit",
            }
        )
    } else {
        format!("check that `{name} run --rm {image}` works on this machine")
    };
    Some(format!(
        "{name} cannot start a container: {}; {fix}",
        crate::model::tail(err.trim(), 2).replace('\n', " / ")
    ))
}

/// Turns the per-job errors an engine fault caused into one report of it: the first linter it stopped
/// (by name) carries the engine's error, the others a pointer to it, each once however many jobs it had.
pub(crate) fn collapse_engine_fault(errors: &mut Vec<ToolError>, engine: Option<&Result<Engine, String>>) {
    let Some(Ok(engine)) = engine else { return };
    let Some(Some(fault)) = engine.fault.get() else { return };
    let stopped: BTreeSet<String> = errors
        .iter()
        .filter(|e| e.message.contains(fault.as_str()))
        .map(|e| e.linter.clone())
        .collect();
    let Some(first) = stopped.first().cloned() else { return };
    errors.retain(|e| !e.message.contains(fault.as_str()));
    let list: Vec<&str> = stopped.iter().map(String::as_str).collect();
    for linter in &stopped {
        let message = if *linter == first {
            format!("{fault} (so {} did not run)", list.join(", "))
        } else {
            format!(
                "not run: {} cannot start a container (the engine's error is reported for {first})",
                engine.name()
            )
        };
        errors.push(ToolError::new(linter, ToolErrorKind::Spawn, message));
    }
}
