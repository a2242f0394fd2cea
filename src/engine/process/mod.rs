//! Child processes: the one runner every child goes through (argv only, its own process group, a
//! timeout, cancellation, captured output up to a cap), the supervisor each linter runs under, and
//! linters run in containers (with the diagnosis of an engine that cannot start any).

mod container;
mod engine_fault;
mod group;
mod runner;
mod supervise;

pub(crate) use container::{ContainerJob, Engine, Images, MOUNT, SCRATCH, detect_engine, present, run_in_container};
pub(crate) use engine_fault::{collapse_engine_fault, engine_fault, failed_to_start};
pub(crate) use runner::{DEFAULT_OUTPUT_CAP, ProcessSpec, helper_timeout, inherited_env, run_process};
pub use supervise::{ARG as SUPERVISE_ARG, main as supervise_main};
