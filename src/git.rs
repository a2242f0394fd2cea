//! What git knows about a change: the reference to compare with, the merge base, the files changed since
//! (committed, staged, unstaged and untracked-but-not-ignored), and the lines added or modified. Used by
//! `--changed` and `--new-only`. Git runs through lintmux's one process runner: argv only, a timeout, and
//! the run's cancellation token, so a git that hangs (a credential prompt, a slow remote) cannot block a
//! run past its deadline or past Ctrl-C.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::run::{CancelToken, Exit, ProcessSpec, run_process};

#[derive(Debug, thiserror::Error)]
pub(crate) enum GitError {
    #[error("{0} is not inside a git repository: --changed and --new-only compare with git history")]
    NotARepo(PathBuf),
    #[error("cannot run git ({0}): install git")]
    Spawn(#[source] std::io::Error),
    #[error("`git {args}` failed: {stderr}")]
    Failed { args: String, stderr: String },
    #[error("`git {args}` did not finish within {}s and was stopped", .limit.as_secs())]
    Timeout { args: String, limit: Duration },
    #[error("`git {args}` was interrupted")]
    Cancelled { args: String },
    #[error(
        "no reference to compare with: the branch has no upstream, and there is no origin/HEAD, main or master; name one, e.g. --changed origin/main"
    )]
    NoBase,
}

/// Runs `git <args>` in `dir` (never prompting for credentials) and returns its standard output.
pub(crate) fn git(dir: &Path, args: &[&str], cancel: &CancelToken) -> Result<Vec<u8>, GitError> {
    let program = which::which("git").map_err(|e| GitError::Spawn(std::io::Error::other(e)))?;
    let mut argv: Vec<String> = vec!["-c".into(), "core.quotePath=false".into()];
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    let mut spec = ProcessSpec::new(program, argv, dir);
    spec.env = crate::run::inherited_env();
    spec.env.push(("GIT_TERMINAL_PROMPT".into(), "0".into()));
    spec.timeout = crate::run::helper_timeout();
    let out = run_process(&spec, cancel).map_err(GitError::Spawn)?;
    let joined = || args.join(" ");
    match out.exit {
        Exit::Code(0) => Ok(out.stdout),
        Exit::Timeout(limit) => Err(GitError::Timeout { args: joined(), limit }),
        Exit::Cancelled => Err(GitError::Cancelled { args: joined() }),
        _ => Err(GitError::Failed {
            args: joined(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        }),
    }
}

pub(crate) fn git_line(dir: &Path, args: &[&str], cancel: &CancelToken) -> Result<String, GitError> {
    Ok(String::from_utf8_lossy(&git(dir, args, cancel)?).trim().to_owned())
}

/// The top of the work tree that holds `dir`.
pub(crate) fn toplevel(dir: &Path, cancel: &CancelToken) -> Result<PathBuf, GitError> {
    let top = git_line(dir, &["rev-parse", "--show-toplevel"], cancel).map_err(|e| match e {
        GitError::Failed { .. } => GitError::NotARepo(dir.to_path_buf()),
        other => other,
    })?;
    let top = PathBuf::from(top);
    Ok(top.canonicalize().unwrap_or(top))
}

/// The reference `--changed` compares with when none is given: the branch's upstream, else origin/HEAD,
/// else main or master.
pub(crate) fn default_base(dir: &Path, cancel: &CancelToken) -> Result<String, GitError> {
    if let Ok(up) = git_line(
        dir,
        &["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"],
        cancel,
    ) {
        return Ok(up);
    }
    for candidate in ["refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master"] {
        if git_line(dir, &["rev-parse", "--verify", "--quiet", candidate], cancel).is_ok() {
            return Ok(candidate.to_owned());
        }
    }
    Err(GitError::NoBase)
}

/// The merge base of `reference` and HEAD.
pub(crate) fn merge_base(dir: &Path, reference: &str, cancel: &CancelToken) -> Result<String, GitError> {
    git_line(dir, &["merge-base", reference, "HEAD"], cancel)
}

/// Which lines of a file are new since the base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NewLines {
    /// A file the base does not have.
    All,
    /// Inclusive 1-based ranges of added or modified lines.
    Ranges(Vec<(u32, u32)>),
}

impl NewLines {
    pub(crate) fn contains(&self, line: u32) -> bool {
        match self {
            NewLines::All => true,
            NewLines::Ranges(r) => r.iter().any(|(a, b)| (*a..=*b).contains(&line)),
        }
    }
}

/// Files (absolute) changed since `base`: committed, staged, unstaged, and untracked (not ignored).
/// Deleted files are left out.
pub(crate) fn changed_files(top: &Path, base: &str, cancel: &CancelToken) -> Result<BTreeSet<PathBuf>, GitError> {
    let mut files = BTreeSet::new();
    let diff = git(top, &["diff", "--name-only", "--no-renames", "-z", base, "--"], cancel)?;
    let untracked = git(top, &["ls-files", "--others", "--exclude-standard", "-z"], cancel)?;
    for name in diff.split(|&b| b == 0).chain(untracked.split(|&b| b == 0)) {
        if name.is_empty() {
            continue;
        }
        let path = top.join(String::from_utf8_lossy(name).as_ref());
        if path.is_file() {
            files.insert(path);
        }
    }
    Ok(files)
}

/// The lines added or modified since `base`, per file (absolute), untracked files included whole.
pub(crate) fn new_lines(top: &Path, base: &str, cancel: &CancelToken) -> Result<BTreeMap<PathBuf, NewLines>, GitError> {
    let diff = git(
        top,
        &["diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", base, "--"],
        cancel,
    )?;
    let mut out = parse_unified_zero(&String::from_utf8_lossy(&diff), top);
    let untracked = git(top, &["ls-files", "--others", "--exclude-standard", "-z"], cancel)?;
    for name in untracked.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        out.insert(top.join(String::from_utf8_lossy(name).as_ref()), NewLines::All);
    }
    Ok(out)
}

/// Reads `git diff -U0` output: `+++ b/<path>` then `@@ -a,b +c,d @@` hunks.
pub(crate) fn parse_unified_zero(diff: &str, top: &Path) -> BTreeMap<PathBuf, NewLines> {
    let mut out: BTreeMap<PathBuf, NewLines> = BTreeMap::new();
    let mut current: Option<PathBuf> = None;
    let mut new_file = false;
    for line in diff.lines() {
        if line.starts_with("diff --git ") {
            current = None;
            new_file = false;
        } else if line.starts_with("new file mode") {
            new_file = true;
        } else if let Some(path) = line.strip_prefix("+++ ") {
            current = path.strip_prefix("b/").map(|p| top.join(p));
            if let Some(p) = &current {
                out.insert(
                    p.clone(),
                    if new_file {
                        NewLines::All
                    } else {
                        NewLines::Ranges(Vec::new())
                    },
                );
            }
        } else if let (Some(rest), Some(path)) = (line.strip_prefix("@@ "), &current) {
            // "-a[,b] +c[,d] @@ ..."
            let Some(plus) = rest.split_whitespace().find(|w| w.starts_with('+')) else {
                continue;
            };
            let mut parts = plus[1..].splitn(2, ',');
            let start: u32 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            let count: u32 = parts.next().map_or(1, |s| s.parse().unwrap_or(1));
            if count == 0 {
                continue;
            }
            if let Some(NewLines::Ranges(r)) = out.get_mut(path) {
                r.push((start, start + count - 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hunks() {
        let diff = "diff --git a/app.py b/app.py\nindex 1..2 100644\n--- a/app.py\n+++ b/app.py\n@@ -3 +3 @@ def f():\n-x\n+y\n@@ -10,0 +11,2 @@\n+a\n+b\n@@ -20,3 +22,0 @@\n-gone\ndiff --git a/new.sh b/new.sh\nnew file mode 100644\n--- /dev/null\n+++ b/new.sh\n@@ -0,0 +1,2 @@\n+#!/bin/sh\n+echo\n";
        let got = parse_unified_zero(diff, Path::new("/t"));
        assert_eq!(got[Path::new("/t/app.py")], NewLines::Ranges(vec![(3, 3), (11, 12)]));
        assert_eq!(got[Path::new("/t/new.sh")], NewLines::All);
        assert!(got[Path::new("/t/app.py")].contains(12));
        assert!(!got[Path::new("/t/app.py")].contains(10));
    }
}
