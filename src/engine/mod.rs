//! The engine: given a [`Workspace`](crate::config::Workspace) and a [`Request`] (which files, which
//! linters, a [`Mode`] — lint, fix, format-check, format — and the cache, install and container policies),
//! it plans actions, runs them through one executor on a bounded pool (the result cache around the process
//! runner), reads what they said, and gives an [`Outcome`]: the report, the files the formatters printed,
//! what was written. Progress goes to a [`Sink`] as events; cancellation comes in as a [`CancelToken`].
//! A caller may run it many times in one process.
//!
//! The spine: [`run`](run::run) → `pass` (plan → `execute` → `print` → assemble), or `apply`'s waves of
//! passes for fixing and formatting. Around it: `prepare` (each linter made ready: `resolve`, `install`,
//! `tool_env`, `project_env`), `actions` (each action and its key), `executor` and `cache`, `hashes`,
//! `process/` (every child process), `git` and `extends`.

mod action;
mod actions;
mod apply;
mod buffers;
mod cache;
mod cancel;
mod context;
mod events;
mod execute;
mod executor;
mod extends;
mod git;
mod hashes;
mod install;
mod pass;
mod pool;
mod prepare;
mod print;
mod process;
mod project_env;
mod remote;
mod request;
mod resolve;
mod run;
mod tool_env;

pub(crate) use action::{Action, ActionKind};
pub(crate) use cache::usage as cache_usage;
pub(crate) use cancel::{CancelToken, InterruptGuard};
pub(crate) use events::{Event, Sink};
pub(crate) use extends::GitFetch;
pub(crate) use git::{GitError, default_base, git, git_line, git_with, merge_base, merge_base_of, toplevel};
pub(crate) use install::{Installed, ToolInstall, cache_dir, ensure_installed, tools_dir, writable_cache_dir};
pub(crate) use pool::run_pool;
#[cfg(test)]
pub(crate) use prepare::reading;
pub use process::{SUPERVISE_ARG, supervise_main};
pub(crate) use process::{detect_engine, present};
pub(crate) use remote::{RemoteSpec, RemoteUrl, Secret, TIMEOUT as REMOTE_TIMEOUT, Writes, probe};
pub(crate) use request::{
    Applied, Base, Caching, Changed, Fixes, Installs, Mode, Outcome, Request, SetupError, default_jobs,
};
pub(crate) use resolve::resolve_local;
pub(crate) use run::run;
pub(crate) use tool_env::read_version;
