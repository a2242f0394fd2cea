//! The subcommands: each opens the workspace, asks the engine, and hands the result to a reporter.

pub(crate) mod app;
pub(crate) mod ci;
pub(crate) mod hook;
pub(crate) mod init;
pub(crate) mod output;
pub(crate) mod push;
