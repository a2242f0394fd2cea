//! lintmux: lint a whole repository with every linter that fits it, concurrently, and merge their results
//! into one report (console, SARIF 2.1.0, JSON).
//!
//! The flow runs one way: config → catalog → walk → plan → run → parse → report → exit code. Each stage
//! is a module; `app` strings them together for each subcommand and `cli` is the only place that knows clap.

pub mod app;
pub mod cache;
pub mod catalog;
pub mod check;
pub mod classify;
pub mod cli;
pub mod config;
pub mod filter;
pub mod finding;
pub mod fingerprint;
pub mod git;
pub mod groups;
pub mod hook;
pub mod init;
pub mod install;
pub mod merge;
pub mod parse;
pub mod plan;
pub mod prepare;
pub mod report;
pub mod run;
mod tomlerr;
pub mod walk;
pub mod workspace;

pub use app::{ExitCode, run};
