//! Progress as events: the engine says what happens, a [`Sink`] decides how (or whether) it is shown — a
//! progress bar on a terminal, plain lines in a CI log, nothing in tests, and later an editor integration.
//! The engine never draws anything itself.

/// Something that happened during a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event<'a> {
    /// A pinned tool is being installed (this can take a while).
    InstallStarted {
        linter: &'a str,
    },
    InstallFinished {
        linter: &'a str,
    },
    /// The actions of the run are planned; this many will execute.
    Planned {
        actions: usize,
    },
    /// One action finished (`cached`: its result came from the result cache; `files_run`: how many of
    /// its files a process really ran on, the others answered by the cache of each file's findings).
    ActionFinished {
        linter: &'a str,
        cached: bool,
        files_run: usize,
    },
}

/// Where events go. Must be cheap and never fail: a sink that cannot show an event drops it.
pub(crate) trait Sink: Sync {
    fn event(&self, event: &Event<'_>);
}
