//! What a run covered, so a report never looks more complete than it is: the whole repository, or only
//! the PATHs given, the files changed since a reference, one shard of N; the commit it ran on; and, for a
//! merge made with `--allow-partial`, what was missing. Recorded in JSON (`scope`) and SARIF (the log's
//! and each run's `properties.lintmux.scope`, and each run's `automationDetails.id`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::CheckOptions;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ShardScope {
    pub index: u32,
    pub count: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Every file of the repository (no PATH, no `--changed`, no shard).
    pub full: bool,
    /// The PATHs given, relative to the root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// `--changed`: the reference whose merge base the changes are counted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardScope>,
    /// The commit checked out (`HEAD`), in a git repository with commits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The lint root inside that repository (`.` for its top), so shards of one commit checked out in
    /// different places (CI runners' build directories) are still known to be of one check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// Findings left out because they are on files outside the PATHs given (whole-project linters, such
    /// as mypy, report on the modules their files import).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub outside_paths: usize,
    /// A merge of an incomplete or inconsistent set, made with `--allow-partial`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// What such a merge lacked or could not reconcile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Scope {
    /// The scope of a check of `root` with `opts`, PATHs read from `cwd`.
    pub fn of_check(root: &Path, cwd: &Path, opts: &CheckOptions, cancel: &crate::run::CancelToken) -> Scope {
        let paths: Vec<String> = opts
            .paths
            .iter()
            .filter_map(|p| {
                let abs: PathBuf = crate::walk::absolute(cwd, p);
                crate::walk::relative(root, &abs)
            })
            .filter(|p| !p.is_empty())
            .collect();
        let changed = opts.changed.as_ref().map(|reference| match reference {
            Some(r) => r.clone(),
            None => crate::git::toplevel(root, cancel)
                .and_then(|top| crate::git::default_base(&top, cancel))
                .unwrap_or_default(),
        });
        let commit = crate::git::git_line(root, &["rev-parse", "--verify", "--quiet", "HEAD"], cancel)
            .ok()
            .filter(|c| !c.is_empty());
        let in_repo = commit.as_ref().and_then(|_| {
            let top = crate::git::toplevel(root, cancel).ok()?;
            let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            let rel = crate::walk::relative(&top, &root)?;
            Some(if rel.is_empty() { ".".to_owned() } else { rel })
        });
        Scope {
            full: paths.is_empty() && changed.is_none() && opts.shard.is_none(),
            root: in_repo,
            paths,
            changed,
            shard: opts.shard.map(|s| ShardScope {
                index: s.index,
                count: s.count,
            }),
            commit,
            outside_paths: 0,
            partial: false,
            problems: Vec::new(),
        }
    }

    /// The SARIF `automationDetails.id` of a linter's run: `lintmux/<linter>/` is its category (one per
    /// linter, the same for every shard), then the shard when there is one.
    pub fn automation_id(&self, linter: &str) -> String {
        match self.shard {
            Some(s) => format!("lintmux/{linter}/shard-{}-of-{}", s.index, s.count),
            None => format!("lintmux/{linter}/"),
        }
    }
}
