//! lintmux's exit codes, and the verdict a report gives: 0 no finding at or above the fail level, 1 such
//! findings, 2 a tool error or a usage error, 130 interrupted.

use crate::engine::CancelToken;
use crate::model::{Level, Report};

/// lintmux's exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum ExitCode {
    /// No finding at or above the fail level.
    Clean = 0,
    /// Findings at or above the fail level.
    Findings = 1,
    /// A tool error or a usage error (findings of the other linters are still reported).
    Error = 2,
    /// Interrupted by Ctrl-C.
    Interrupted = 130,
}

impl ExitCode {
    /// The more serious of two exit codes.
    pub(crate) fn worse(self, other: ExitCode) -> ExitCode {
        let rank = |c: ExitCode| match c {
            ExitCode::Clean => 0,
            ExitCode::Findings => 1,
            ExitCode::Error => 2,
            ExitCode::Interrupted => 3,
        };
        if rank(other) > rank(self) { other } else { self }
    }
}

/// The verdict of `report` when findings at or above `fail_on` fail (`None`: findings never fail).
pub(crate) fn verdict(report: &Report, fail_on: Option<Level>, cancel: &CancelToken) -> ExitCode {
    if cancel.is_cancelled() {
        return ExitCode::Interrupted;
    }
    if !report.tool_errors.is_empty() {
        return ExitCode::Error;
    }
    match fail_on {
        Some(level) if report.findings.iter().any(|f| f.level >= level) => ExitCode::Findings,
        _ => ExitCode::Clean,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_exit_code_wins() {
        assert_eq!(ExitCode::Findings.worse(ExitCode::Clean), ExitCode::Findings);
        assert_eq!(ExitCode::Findings.worse(ExitCode::Error), ExitCode::Error);
        assert_eq!(ExitCode::Interrupted.worse(ExitCode::Error), ExitCode::Interrupted);
    }
}
