//! What a finished process gave: how it ended ([`Exit`]) and what it printed ([`JobOutput`]). Every
//! child lintmux starts ends as one of these, whether it ran now, came from the result cache, or ran in a
//! container; the parsers read it and the result cache stores it.

use std::time::Duration;

use super::ToolErrorKind;

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    Code(i32),
    Signal(i32),
    /// Killed after running past this limit.
    Timeout(Duration),
    /// Killed because the run was cancelled (Ctrl-C, SIGTERM).
    Cancelled,
    /// Killed because it printed more than this many bytes.
    OutputLimit(usize),
    /// It exited, but a process it left behind held its output open past the drain deadline: the output
    /// may be incomplete.
    OutputHeld,
}

#[derive(Clone, Debug)]
pub(crate) struct JobOutput {
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
    pub(crate) exit: Exit,
    pub(crate) duration: Duration,
}

impl Exit {
    /// Why a process that ended this way gave no trustworthy result: the kind of tool error, and the
    /// words that follow the tool's name in its message ("was killed by signal 9"). `None` for an exit
    /// code, whose meaning depends on the tool. Every caller (a linter's run, a fix, a formatter's print)
    /// says it with these words and this kind.
    pub(crate) fn failure(&self) -> Option<(ToolErrorKind, String)> {
        let (kind, words) = match *self {
            Exit::Code(_) => return None,
            Exit::Signal(sig) => (ToolErrorKind::Crashed, format!("was killed by signal {sig}")),
            Exit::Timeout(limit) => (
                ToolErrorKind::Timeout,
                format!("ran longer than its timeout of {}s and was stopped", limit.as_secs()),
            ),
            Exit::Cancelled => (ToolErrorKind::Cancelled, "was interrupted".to_owned()),
            Exit::OutputLimit(cap) => (
                ToolErrorKind::BadOutput,
                format!(
                    "printed more than {} MiB and was stopped; raise `max_output` for it in lintmux.toml if that \
                     much is expected",
                    cap / (1024 * 1024)
                ),
            ),
            Exit::OutputHeld => (
                ToolErrorKind::BadOutput,
                "exited, but a process it left behind kept its output open, so its output may be incomplete".to_owned(),
            ),
        };
        Some((kind, words))
    }
}

/// A file a formatter printed differently from what it holds: what `lintmux fmt` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Formatted {
    pub(crate) linter: String,
    pub(crate) path: String,
    /// The file as the formatter was given it (written only if the file still holds it).
    pub(crate) original: String,
    pub(crate) content: String,
}
