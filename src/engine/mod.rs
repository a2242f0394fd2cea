//! The engine: runs a check, a fix or a formatting of a workspace and gives the report.

pub(crate) mod action;
pub(crate) mod cache;
pub(crate) mod cancel;
pub(crate) mod check;
pub(crate) mod container;
pub(crate) mod engine_fault;
pub(crate) mod events;
pub(crate) mod formatting;
pub(crate) mod git;
pub(crate) mod hashes;
pub(crate) mod install;
pub(crate) mod pool;
pub(crate) mod prepare;
pub(crate) mod process;
pub(crate) mod project_env;
pub(crate) mod resolve;
pub(crate) mod supervise;

pub(crate) use action::{Action, ActionKind, Executor, Outcome, Place, Runner};
pub(crate) use cancel::{CancelToken, InterruptGuard};
pub(crate) use container::{ContainerJob, Engine, Images, MOUNT, SCRATCH, detect_engine, present, run_in_container};
pub(crate) use engine_fault::collapse_engine_fault;
pub(crate) use pool::run_pool;
pub(crate) use process::{DEFAULT_OUTPUT_CAP, ProcessSpec, helper_timeout, inherited_env, run_process};
