//! Executors turn an [`Action`] into an [`Executed`]: the [`Runner`] starts it where its place says (a
//! local process under lintmux's supervisor, or a container), and the result cache wraps any executor
//! (see `cache`). A remote cache or a dry run would be other executors; the stages that run actions never
//! know which one they have.

use std::path::PathBuf;

use super::CancelToken;
use super::action::{Action, Executed, Place, Served};
use super::process::{ContainerJob, ProcessSpec, engine_fault, failed_to_start, run_in_container, run_process};

/// Runs actions. Implementations: [`Runner`] (local processes and containers) and the result cache's
/// wrapper; a remote executor or a dry run would be others.
pub(crate) trait Executor: Sync {
    fn execute(&self, action: &Action, cancel: &CancelToken) -> Executed;

    /// What a cache holds for `action`, without running anything (none, for an executor with no cache).
    fn stored(&self, _action: &Action) -> Option<Executed> {
        None
    }

    /// Told the actions of a run that no local entry answers, before any runs: a remote cache looks them
    /// up together.
    fn prefetch(&self, _actions: &[&Action]) {}
}

/// Runs an action where its [`Place`] says: a local process (under the supervisor) or a container.
pub(crate) struct Runner {
    /// lintmux's own executable, which supervises local tools (see `process::supervise`); `None` runs them
    /// directly (group kill only).
    pub(crate) supervisor: Option<PathBuf>,
}

impl Executor for Runner {
    fn execute(&self, action: &Action, cancel: &CancelToken) -> Executed {
        let output = match &action.place {
            Place::Local { program } => {
                let mut spec = ProcessSpec::new(program, action.argv(), &action.cwd);
                spec.env = action.env.clone();
                spec.timeout = action.timeout;
                spec.output_cap = action.output_cap;
                spec.supervisor = self.supervisor.clone();
                spec.stdin = action.stdin.clone();
                run_process(&spec, cancel)
            }
            Place::Container {
                engine,
                image,
                entrypoint,
                scratch,
                mounts,
            } => {
                let job = ContainerJob {
                    engine,
                    image,
                    entrypoint,
                    args: action.argv(),
                    root: &action.cwd,
                    scratch,
                    mounts,
                    env: &action.env,
                    timeout: action.timeout,
                    output_cap: action.output_cap,
                    stdin: action.stdin.as_deref(),
                };
                // An engine that cannot start any container is diagnosed once, and said in its own words.
                run_in_container(&job, cancel).and_then(|out| {
                    if failed_to_start(&out)
                        && let Some(fault) = engine_fault(engine, image, cancel)
                    {
                        return Err(std::io::Error::other(fault));
                    }
                    Ok(out)
                })
            }
        };
        Executed {
            output: output.map_err(|e| format!("failed to start {}: {e}", action.tool())),
            served: Served::Ran,
            produced_in: None,
        }
    }
}
