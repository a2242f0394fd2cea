//! lintmux: lint a whole repository with every linter that fits it, concurrently, and merge their results
//! into one report (console, SARIF 2.1.0, JSON). See ARCHITECTURE.md for the stages and the rules of
//! direction between them.

mod catalog;
pub mod cli;
mod commands;
mod config;
mod engine;
mod filter;
mod model;
mod parse;
mod plan;
mod report;
mod walk;

pub use commands::app::{ExitCode, run};
pub use engine::supervise::{ARG as SUPERVISE_ARG, main as supervise_main};
pub use report::escape::lines as escape_lines;
