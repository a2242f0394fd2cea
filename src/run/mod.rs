//! Running linters: a bounded pool of jobs, each a child process in its own process group with a timeout,
//! started from a binary resolved in the project, in lintmux's pinned installs, or on PATH.

mod container;
mod engine_fault;
mod pool;
mod process;
mod resolve;

pub use container::{
    ContainerJob, Engine, EngineKind, Images, MOUNT, SCRATCH, detect_engine, is_pinned, present, run_in_container,
};
pub use engine_fault::collapse_engine_fault;
pub use pool::run_pool;
pub use process::{CANCELLED, Exit, JobOutput, ProcessSpec, die_with_parent, install_interrupt_handler, run_process};
pub use resolve::{Resolved, ToolSource, ToolsMode, resolve_local};
