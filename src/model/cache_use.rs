//! Where a run's results came from: how many actions the local result cache answered, how many the remote
//! one, and how many ran; and, with a remote cache, what happened to it (hits, misses, entries written and
//! refused, errors, and whether it stopped being used). Every report format says it.

use serde::Serialize;

/// How a run's actions were answered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct CacheUse {
    /// Answered by the local result cache (the whole action, or each of its files' findings).
    pub(crate) local: usize,
    /// Answered by the remote result cache.
    pub(crate) remote: usize,
    /// Run.
    pub(crate) ran: usize,
    /// The remote cache, when one was configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) remote_cache: Option<RemoteUse>,
}

/// What a run did with the remote cache.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct RemoteUse {
    /// Its URL, without credentials.
    pub(crate) url: String,
    /// Fresh results were written to it.
    pub(crate) write: bool,
    pub(crate) hits: usize,
    pub(crate) misses: usize,
    pub(crate) written: usize,
    /// Entries that were there but not used: damaged, unsigned, signed with another key, or unreadable as
    /// the tool's output.
    pub(crate) refused: usize,
    /// Requests that failed (timeouts, errors, refusals to write).
    pub(crate) errors: usize,
    /// Why it was not used at all, or stopped being used, or stopped being written to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) problem: Option<String>,
}

impl RemoteUse {
    /// One line for people: `remote cache s3://bucket/ci: 40 hits, 2 misses, 2 written`, and what went
    /// wrong, if anything did.
    pub(crate) fn line(&self) -> String {
        let mut line = format!("remote cache {}: {} hits, {} misses", self.url, self.hits, self.misses);
        if self.write {
            line.push_str(&format!(", {} written", self.written));
        }
        if self.refused > 0 {
            line.push_str(&format!(", {} entries refused", self.refused));
        }
        if self.errors > 0 {
            line.push_str(&format!(", {} errors", self.errors));
        }
        if let Some(problem) = &self.problem {
            line.push_str(&format!(" ({problem})"));
        }
        line
    }
}

impl CacheUse {
    /// `12 actions: 10 from the local cache, 2 from the remote cache, 0 run`.
    pub(crate) fn counts(&self) -> String {
        let total = self.local + self.remote + self.ran;
        let mut s = format!("{total} actions: {} from the local cache", self.local);
        if self.remote_cache.is_some() || self.remote > 0 {
            s.push_str(&format!(", {} from the remote cache", self.remote));
        }
        s.push_str(&format!(", {} run", self.ran));
        s
    }
}
