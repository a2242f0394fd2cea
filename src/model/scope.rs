//! What a run covered, so a report never looks more complete than it is: the whole repository, or only
//! the PATHs given, the files changed since a reference, one shard of N; the commit it ran on; and, for a
//! merge made with `--allow-partial`, what was missing. Recorded in JSON (`scope`) and SARIF (the log's
//! and each run's `properties.lintmux.scope`, and each run's `automationDetails.id`).

use serde::{Deserialize, Serialize};

/// One of `count` deterministic shares of the work (`index` from 1): `--shard K/N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Shard {
    pub(crate) index: u32,
    pub(crate) count: u32,
}

impl Shard {
    /// Does this shard lint `path`? A stable hash of the path decides, the same on every machine.
    pub(crate) fn takes(&self, path: &str) -> bool {
        let h = blake3::hash(path.as_bytes());
        let n = u64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap_or([0; 8]));
        n % u64::from(self.count) == u64::from(self.index - 1)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Scope {
    /// Every file of the repository (no PATH, no `--changed`, no shard).
    pub(crate) full: bool,
    /// The PATHs given, relative to the root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) paths: Vec<String>,
    /// `--changed`: the reference whose merge base the changes are counted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) changed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) shard: Option<Shard>,
    /// The commit checked out (`HEAD`), in a git repository with commits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) commit: Option<String>,
    /// The lint root inside that repository (`.` for its top), so shards of one commit checked out in
    /// different places (CI runners' build directories) are still known to be of one check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) root: Option<String>,
    /// Findings left out because they are on files outside the PATHs given (whole-project linters, such
    /// as mypy, report on the modules their files import).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(crate) outside_paths: usize,
    /// A merge of an incomplete or inconsistent set, made with `--allow-partial`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) partial: bool,
    /// What such a merge lacked or could not reconcile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) problems: Vec<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Scope {
    /// The SARIF `automationDetails.id` of a linter's run: `lintmux/<linter>/` is its category (one per
    /// linter, the same for every shard), then the shard when there is one.
    pub(crate) fn automation_id(&self, linter: &str) -> String {
        match self.shard {
            Some(s) => format!("lintmux/{linter}/shard-{}-of-{}", s.index, s.count),
            None => format!("lintmux/{linter}/"),
        }
    }
}
