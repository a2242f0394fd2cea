//! Cancellation is a value passed in, never a global: each run (a check, an install, a `linters` listing)
//! makes its own [`CancelToken`], every child process of that run watches it, and Ctrl-C or SIGTERM sets it
//! for as long as the run holds an [`InterruptGuard`]. A second run in the same process (an editor mode, a
//! watch mode, the tests) starts with a fresh token.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once to stop a run; cheap to clone and to poll.
#[derive(Clone, Debug, Default)]
pub(crate) struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub(crate) fn new() -> CancelToken {
        CancelToken::default()
    }

    pub(crate) fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Routes SIGINT and SIGTERM into a token for as long as it lives; the handlers are removed on drop.
pub(crate) struct InterruptGuard(Vec<signal_hook::SigId>);

impl InterruptGuard {
    pub(crate) fn new(token: &CancelToken) -> InterruptGuard {
        let ids = [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM]
            .into_iter()
            .filter_map(|sig| signal_hook::flag::register(sig, Arc::clone(&token.0)).ok())
            .collect();
        InterruptGuard(ids)
    }
}

impl Drop for InterruptGuard {
    fn drop(&mut self) {
        for id in self.0.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_independent() {
        let a = CancelToken::new();
        let b = CancelToken::new();
        let a2 = a.clone();
        a2.cancel();
        assert!(a.is_cancelled());
        assert!(!b.is_cancelled());
    }
}
