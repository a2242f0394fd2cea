//! lintmux: lint a whole repository with every linter that fits it, concurrently, and merge their results
//! into one report (console, SARIF 2.1.0, JSON). ARCHITECTURE.md describes the stages, what each folder
//! takes and gives, and the rules of direction between them.

mod catalog;
pub mod cli;
mod commands;
mod config;
mod engine;
mod filter;
mod lsp;
mod model;
mod parse;
mod plan;
mod report;
mod walk;

pub use commands::ExitCode;
pub use engine::{SUPERVISE_ARG, supervise_main};
pub use report::escape::lines as escape_lines;

/// Runs the command line `opts`; an error that stops the command is for the caller to print.
pub fn run(opts: cli::Opts) -> anyhow::Result<ExitCode> {
    commands::run(opts.invocation())
}
