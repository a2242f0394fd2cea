//! Git, and what it knows about a change: the reference to compare with, the merge base, the files changed
//! since (committed, staged, unstaged and untracked-but-not-ignored), and the lines added or modified —
//! for `--changed`, `--new-only` and `lintmux fmt`; the commit a report covers; the pre-push check's
//! exports; the hook's path; the checkouts of `extends`. Git runs through lintmux's one process runner:
//! argv only, a timeout, and the run's cancellation token, so a git that hangs (a credential prompt, a slow
//! remote) cannot block a run past its deadline or past Ctrl-C.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::CancelToken;
use super::process::{ProcessSpec, helper_timeout, inherited_env, run_process};
use crate::filter::NewLines;
use crate::model::Exit;

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
    #[error("cannot read `git diff` output: {0}; please report this with the file names involved")]
    Diff(String),
}

/// Runs `git <args>` in `dir` (never prompting for credentials) and returns its standard output.
pub(crate) fn git(dir: &Path, args: &[&str], cancel: &CancelToken) -> Result<Vec<u8>, GitError> {
    git_with(dir, args, &[], cancel)
}

/// [`git`] with more environment variables (for example a `GIT_INDEX_FILE` of lintmux's own).
pub(crate) fn git_with(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    cancel: &CancelToken,
) -> Result<Vec<u8>, GitError> {
    let program = which::which("git").map_err(|e| GitError::Spawn(std::io::Error::other(e)))?;
    let mut argv: Vec<String> = vec!["-c".into(), "core.quotePath=false".into()];
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    let mut spec = ProcessSpec::new(program, argv, dir);
    spec.env = inherited_env();
    spec.env.push(("GIT_TERMINAL_PROMPT".into(), "0".into()));
    spec.env
        .extend(env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    spec.timeout = helper_timeout();
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
    let out = git(dir, &["rev-parse", "--show-toplevel"], cancel).map_err(|e| match e {
        GitError::Failed { .. } => GitError::NotARepo(dir.to_path_buf()),
        other => other,
    })?;
    let top = PathBuf::from(OsStr::from_bytes(out.strip_suffix(b"\n").unwrap_or(&out)));
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

/// The merge base of two commits.
pub(crate) fn merge_base_of(dir: &Path, a: &str, b: &str, cancel: &CancelToken) -> Result<String, GitError> {
    git_line(dir, &["merge-base", a, b], cancel)
}

/// The names in git's NUL-separated output (`-z`), as the bytes they are.
fn nul_separated(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes.split(|&b| b == 0).filter(|n| !n.is_empty())
}

/// A repository-relative name from git, joined to `top` without any conversion of its bytes.
fn joined(top: &Path, name: &[u8]) -> PathBuf {
    top.join(OsStr::from_bytes(name))
}

/// Files (absolute) changed since `base`: committed, staged, unstaged, and untracked (not ignored).
/// Deleted files are left out. Names are read from `-z` output, so no name can be misread.
pub(crate) fn changed_files(top: &Path, base: &str, cancel: &CancelToken) -> Result<BTreeSet<PathBuf>, GitError> {
    let mut files = BTreeSet::new();
    let diff = git(top, &["diff", "--name-only", "--no-renames", "-z", base, "--"], cancel)?;
    let untracked = git(top, &["ls-files", "--others", "--exclude-standard", "-z"], cancel)?;
    for name in nul_separated(&diff).chain(nul_separated(&untracked)) {
        let path = joined(top, name);
        if path.is_file() {
            files.insert(path);
        }
    }
    Ok(files)
}

/// The lines added or modified since `base`, per file (absolute), untracked files included whole.
///
/// Which files changed, and which of them are new, comes from `-z` output; the line ranges come from
/// `git diff -U0`, whose `+++` headers are decoded (git C-quotes a name with a tab, newline, quote or
/// backslash, and pads one with a space with a tab), and every decoded name must be one of the `-z`
/// names, so a header that was misread is an error, never a silently hidden finding.
pub(crate) fn new_lines(top: &Path, base: &str, cancel: &CancelToken) -> Result<BTreeMap<PathBuf, NewLines>, GitError> {
    let names = git(top, &["diff", "--name-only", "--no-renames", "-z", base, "--"], cancel)?;
    let names: BTreeSet<&[u8]> = nul_separated(&names).collect();
    let added = git(
        top,
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "--diff-filter=A",
            "-z",
            base,
            "--",
        ],
        cancel,
    )?;
    let diff = git(
        top,
        &[
            "diff",
            "-U0",
            // A user's diff.interHunkContext would otherwise join hunks with context lines between.
            "--inter-hunk-context=0",
            "--no-color",
            "--no-ext-diff",
            "--no-renames",
            "--no-textconv",
            "--submodule=short",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            base,
            "--",
        ],
        cancel,
    )?;
    let mut out = BTreeMap::new();
    for (name, ranges) in parse_unified_zero(&diff)? {
        if !names.contains(name.as_slice()) {
            return Err(GitError::Diff(format!(
                "the header names `{}`, which `git diff --name-only` does not list",
                String::from_utf8_lossy(&name)
            )));
        }
        out.insert(joined(top, &name), NewLines::Ranges(ranges));
    }
    let untracked = git(top, &["ls-files", "--others", "--exclude-standard", "-z"], cancel)?;
    for name in nul_separated(&added).chain(nul_separated(&untracked)) {
        out.insert(joined(top, name), NewLines::All);
    }
    Ok(out)
}

/// An inclusive, 1-based range of lines.
pub(crate) type LineRange = (u32, u32);

/// A hunk header read: how many lines it removes and adds, and the added range (when it adds any).
struct Hunk {
    old: u32,
    new: u32,
    added: Option<LineRange>,
}

/// Where [`parse_unified_zero`] is in the diff.
enum DiffState {
    /// Before the first `diff --git`, or between a hunk's last line and what follows it.
    Between,
    /// In a file's header lines (`index`, `---`, `+++`, modes), before its first hunk.
    Header,
    /// In a hunk, with this many removed and added lines still to come.
    Hunk { old: u32, new: u32 },
}

/// Reads `git diff -U0 --src-prefix=a/ --dst-prefix=b/` output: per file named by a `+++ b/<name>` header
/// (deleted files have none), the inclusive 1-based ranges of added or modified lines. Hunk bodies are
/// consumed by the counts their `@@` line gives, so an added line that looks like a header (`++ b/x`
/// becomes `+++ b/x`) is never read as one.
pub(crate) fn parse_unified_zero(diff: &[u8]) -> Result<BTreeMap<Vec<u8>, Vec<LineRange>>, GitError> {
    let mut out: BTreeMap<Vec<u8>, Vec<LineRange>> = BTreeMap::new();
    let mut current: Option<Vec<u8>> = None;
    let mut state = DiffState::Between;
    let body = diff.strip_suffix(b"\n").unwrap_or(diff);
    for line in body.split(|&b| b == b'\n').filter(|_| !body.is_empty()) {
        if let DiffState::Hunk { old, new } = &mut state {
            match line.first() {
                Some(b'-') if *old > 0 => *old -= 1,
                Some(b'+') if *new > 0 => *new -= 1,
                Some(b'\\') => {}
                _ => return Err(GitError::Diff(format!("unexpected line in a hunk: `{}`", lossy(line)))),
            }
            if *old == 0 && *new == 0 {
                state = DiffState::Between;
            }
            continue;
        }
        if line.starts_with(b"diff --git ") {
            current = None;
            state = DiffState::Header;
        } else if let (DiffState::Header, Some(header)) = (&state, line.strip_prefix(b"+++ ")) {
            current = match header {
                b"/dev/null" => None,
                _ => Some(header_name(header)?),
            };
            if let Some(name) = &current {
                out.entry(name.clone()).or_default();
            }
        } else if let Some(rest) = line.strip_prefix(b"@@ ") {
            let Hunk { old, new, added } = hunk_header(rest)?;
            if let (Some(name), Some(range)) = (&current, added) {
                out.entry(name.clone()).or_default().push(range);
            }
            state = if old == 0 && new == 0 {
                DiffState::Between
            } else {
                DiffState::Hunk { old, new }
            };
        } else if line.starts_with(b"\\") || matches!(state, DiffState::Header) {
            // "\ No newline at end of file", or a header line lintmux does not need.
        } else {
            return Err(GitError::Diff(format!("unexpected line: `{}`", lossy(line))));
        }
    }
    if let DiffState::Hunk { old, new } = state {
        return Err(GitError::Diff(format!(
            "the last hunk ends {old} removed and {new} added lines early"
        )));
    }
    Ok(out)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The name in a `+++ ` header: `b/<name>` (with a tab after it when the name holds a space), or the
/// same C-quoted when the name holds a control character, a quote or a backslash.
fn header_name(header: &[u8]) -> Result<Vec<u8>, GitError> {
    let bad = || GitError::Diff(format!("cannot read the file name in `+++ {}`", lossy(header)));
    let name = if header.first() == Some(&b'"') {
        let (name, rest) = unquote_c(header).ok_or_else(bad)?;
        if !rest.is_empty() && rest != b"\t" {
            return Err(bad());
        }
        name
    } else {
        header.strip_suffix(b"\t").unwrap_or(header).to_vec()
    };
    name.strip_prefix(b"b/").map(<[u8]>::to_vec).ok_or_else(bad)
}

/// Decodes a C-quoted string as git writes one (`"..."` with `\a \b \t \n \v \f \r \" \\` and
/// three-digit octal escapes), returning the bytes and what follows the closing quote.
pub(crate) fn unquote_c(s: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let mut out = Vec::new();
    let mut i = 1;
    if s.first() != Some(&b'"') {
        return None;
    }
    while i < s.len() {
        match s[i] {
            b'"' => return Some((out, &s[i + 1..])),
            b'\\' => {
                let c = *s.get(i + 1)?;
                let byte = match c {
                    b'a' => 7,
                    b'b' => 8,
                    b't' => b'\t',
                    b'n' => b'\n',
                    b'v' => 11,
                    b'f' => 12,
                    b'r' => b'\r',
                    b'"' | b'\\' => c,
                    b'0'..=b'3' => {
                        let digits = s.get(i + 1..i + 4)?;
                        if !digits.iter().all(|d| (b'0'..=b'7').contains(d)) {
                            return None;
                        }
                        let value = digits.iter().fold(0u8, |v, d| v * 8 + (d - b'0'));
                        out.push(value);
                        i += 4;
                        continue;
                    }
                    _ => return None,
                };
                out.push(byte);
                i += 2;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    None
}

/// `-a[,b] +c[,d] @@ ...`: b lines removed, d added (from line c).
fn hunk_header(rest: &[u8]) -> Result<Hunk, GitError> {
    let bad = || GitError::Diff(format!("cannot read the hunk header `@@ {}`", lossy(rest)));
    let text = std::str::from_utf8(rest).map_err(|_| bad())?;
    let mut words = text.split(' ');
    let span = |w: Option<&str>, sign: char| -> Option<(u32, u32)> {
        let w = w?.strip_prefix(sign)?;
        Some(match w.split_once(',') {
            Some((start, count)) => (start.parse().ok()?, count.parse().ok()?),
            None => (w.parse().ok()?, 1),
        })
    };
    let (_, old) = span(words.next(), '-').ok_or_else(bad)?;
    let (start, new) = span(words.next(), '+').ok_or_else(bad)?;
    let added = (new > 0).then(|| (start, start + new - 1));
    Ok(Hunk { old, new, added })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(diff: &[u8]) -> BTreeMap<String, Vec<(u32, u32)>> {
        parse_unified_zero(diff)
            .unwrap()
            .into_iter()
            .map(|(k, v)| (String::from_utf8(k).unwrap(), v))
            .collect()
    }

    #[test]
    fn reads_hunks() {
        let diff = b"diff --git a/app.py b/app.py\nindex 1..2 100644\n--- a/app.py\n+++ b/app.py\n@@ -3 +3 @@ def f():\n-x\n+y\n@@ -10,0 +11,2 @@\n+a\n+b\n@@ -20,3 +22,0 @@\n-gone\n-gone\n-gone\ndiff --git a/new.sh b/new.sh\nnew file mode 100644\n--- /dev/null\n+++ b/new.sh\n@@ -0,0 +1,2 @@\n+#!/bin/sh\n+echo\n\\ No newline at end of file\ndiff --git a/old.sh b/old.sh\ndeleted file mode 100644\n--- a/old.sh\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n";
        let got = ranges(diff);
        assert_eq!(got["app.py"], [(3, 3), (11, 12)]);
        assert_eq!(got["new.sh"], [(1, 2)]);
        assert_eq!(got.len(), 2, "a deleted file has no new lines: {got:?}");
    }

    #[test]
    fn reads_the_names_git_quotes_or_pads() {
        // Recorded from git 2.x with core.quotePath=false: a space gets a tab after the name; a tab,
        // newline, quote or backslash makes git C-quote the whole `b/<name>`; non-ASCII stays raw.
        let diff = "diff --git a/my file.py b/my file.py\nnew file mode 100644\n--- /dev/null\n+++ b/my file.py\t\n@@ -0,0 +1 @@\n+import os\n\
diff --git \"a/tab\\there.py\" \"b/tab\\there.py\"\n--- /dev/null\n+++ \"b/tab\\there.py\"\n@@ -0,0 +1 @@\n+import os\n\
diff --git \"a/say \\\"hi\\\".py\" \"b/say \\\"hi\\\".py\"\n--- /dev/null\n+++ \"b/say \\\"hi\\\".py\"\t\n@@ -0,0 +1 @@\n+import os\n\
diff --git \"a/back\\\\slash.py\" \"b/back\\\\slash.py\"\n--- /dev/null\n+++ \"b/back\\\\slash.py\"\n@@ -0,0 +1 @@\n+import os\n\
diff --git \"a/new\\nline.py\" \"b/new\\nline.py\"\n--- /dev/null\n+++ \"b/new\\nline.py\"\n@@ -0,0 +1 @@\n+import os\n\
diff --git a/café.py b/café.py\n--- /dev/null\n+++ b/café.py\n@@ -0,0 +1 @@\n+import os\n\
diff --git \"a/\\303\\251t\\303\\251.py\" \"b/\\303\\251t\\303\\251.py\"\n--- a/x\n+++ \"b/\\303\\251t\\303\\251.py\"\n@@ -2 +2 @@\n-a\n+b\n";
        let got = ranges(diff.as_bytes());
        let names: Vec<&str> = got.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "back\\slash.py",
                "café.py",
                "my file.py",
                "new\nline.py",
                "say \"hi\".py",
                "tab\there.py",
                "été.py"
            ]
        );
        assert_eq!(got["été.py"], [(2, 2)]);
    }

    #[test]
    fn an_added_line_that_looks_like_a_header_is_content() {
        let diff = b"diff --git a/x.txt b/x.txt\n--- a/x.txt\n+++ b/x.txt\n@@ -1,0 +2,2 @@\n+++ b/evil.txt\n+@@ -1 +1 @@\n@@ -9 +10 @@\n-a\n+b\n";
        let got = ranges(diff);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got["x.txt"], [(2, 3), (10, 10)]);
    }

    #[test]
    fn no_change_is_no_file() {
        assert!(ranges(b"").is_empty());
    }

    #[test]
    fn what_cannot_be_read_is_an_error() {
        for diff in [
            &b"diff --git a/x b/x\n+++ \"b/unterminated\n"[..],
            b"diff --git a/x b/x\n+++ b/x\n@@ -1 +1 @@\n-a\n",
            b"diff --git a/x b/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+c\n",
            b"diff --git a/x b/x\n+++ c/x\n",
            b"diff --git a/x b/x\n+++ b/x\n@@ nonsense @@\n",
        ] {
            assert!(parse_unified_zero(diff).is_err(), "{}", String::from_utf8_lossy(diff));
        }
    }

    #[test]
    fn unquotes_c_style() {
        let (name, rest) = unquote_c(b"\"a\\tb\\\\c\\\"d\\001\\377\"\ttail").unwrap();
        assert_eq!(name, b"a\tb\\c\"d\x01\xff");
        assert_eq!(rest, b"\ttail");
        assert!(unquote_c(b"\"no end").is_none());
        assert!(unquote_c(b"\"bad \\q\"").is_none());
    }
}
