//! The engine: actions run by executors on a bounded pool. Every child process goes through one runner
//! ([`process`]) with a timeout, a cancellation token, a group kill and a supervisor that leaves no
//! descendant behind.

mod action;
mod cancel;
mod container;
mod engine_fault;
mod pool;
mod process;
mod supervise;

pub(crate) use action::{Action, ActionKind, Executor, Outcome, Place, Runner};
pub(crate) use cancel::{CancelToken, InterruptGuard};
pub(crate) use container::{ContainerJob, Engine, Images, MOUNT, SCRATCH, detect_engine, present, run_in_container};
pub(crate) use engine_fault::collapse_engine_fault;
pub(crate) use pool::run_pool;
pub(crate) use process::{
    DEFAULT_OUTPUT_CAP, Exit, JobOutput, ProcessSpec, helper_timeout, inherited_env, run_process,
};
pub use supervise::{ARG as SUPERVISE_ARG, main as supervise_main};
