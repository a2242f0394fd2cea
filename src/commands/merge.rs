//! `lintmux merge`: SARIF files (the shards of one check, or reports of several) merged into one log with
//! one run per linter, written as SARIF and in any other format asked for.

use std::path::PathBuf;

use super::context::Cx;
use super::exit::ExitCode;
use super::output::write_merged;
use crate::report::ReportTarget;
use crate::report::merge::{Partial, merge_files};

/// `lintmux merge`, as the command line asked.
pub(crate) struct MergeCommand {
    pub(crate) files: Vec<PathBuf>,
    pub(crate) output: Option<PathBuf>,
    pub(crate) partial: Partial,
    pub(crate) reports: Vec<ReportTarget>,
}

pub(crate) fn run(cx: &Cx, args: &MergeCommand) -> anyhow::Result<ExitCode> {
    let merged = merge_files(&args.files, args.partial)?;
    write_merged(&merged, cx.cwd, args.output.as_deref(), &args.reports)?;
    Ok(ExitCode::Clean)
}
