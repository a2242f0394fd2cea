//! lintmux: lint a whole repository with every linter that fits it, concurrently, and merge their results
//! into one report (console, SARIF 2.1.0, JSON).
//!
//! The flow runs one way: config → catalog → walk → plan → run → parse → report → exit code. Each stage
//! is a module; `app` strings them together for each subcommand and `cli` is the only place that knows clap.
//! Only what the binary needs is public.

mod app;
mod cache;
mod catalog;
mod check;
mod ci;
pub mod cli;
mod config;
mod configured;
mod costs;
mod events;
mod filetypes;
mod filter;
mod finding;
mod fingerprint;
mod formatting;
mod git;
mod groups;
mod hashes;
mod hook;
mod init;
mod install;
mod merge;
mod output;
mod parse;
mod plan;
mod plausible;
mod prepare;
mod project_env;
mod push;
mod report;
mod resolve;
mod rules;
mod run;
mod scope;
mod tomlerr;
mod walk;
mod workspace;

pub use app::{ExitCode, run};
pub use report::escape::lines as escape_lines;
pub use run::{SUPERVISE_ARG, supervise_main};
