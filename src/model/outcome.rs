//! What a finished process gave: how it ended ([`Exit`]) and what it printed ([`JobOutput`]). Every
//! child lintmux starts ends as one of these, whether it ran now, came from the result cache, or ran in a
//! container; the parsers read it and the result cache stores it.

use std::time::Duration;

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
