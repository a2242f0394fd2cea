//! The subcommands, one file each: each opens the workspace, asks the engine (or the catalog, or the
//! reports), hands the result to a reporter, and gives the exit code. Around them: the command line as
//! plain values and the dispatch ([`invocation`]), the exit codes ([`exit`]), the progress sinks
//! ([`progress`]), which CI this is ([`ci`]), and where the reports go ([`output`]).

mod cache;
mod check;
mod ci;
mod config;
mod context;
mod detect;
mod exit;
mod fmt;
mod hook;
mod init;
mod install;
mod invocation;
mod linters;
mod lsp;
mod merge;
mod output;
mod progress;
mod push;
mod remote;

pub(crate) use cache::{CacheCommand, Clean};
pub(crate) use check::{CheckCommand, FailOn};
pub(crate) use context::Globals;
pub(crate) use detect::{DetectCommand, Listing};
pub use exit::ExitCode;
pub(crate) use fmt::{FmtAction, FmtCommand, FmtFiles};
pub(crate) use hook::{Existing as HookExisting, HookCommand};
pub(crate) use init::{Existing as InitExisting, InitCommand};
pub(crate) use install::{InstallCommand, Which as InstallWhich};
pub(crate) use invocation::{Command, Invocation, run};
pub(crate) use linters::LintersCommand;
pub(crate) use merge::MergeCommand;
pub(crate) use output::Color;
pub(crate) use remote::RemoteArgs;
