//! `lintmux hook run`, what the pre-push hook calls: it checks what is being pushed, not the working tree.
//! Git writes one line per ref on the hook's standard input (`<local ref> <local sha> <remote ref>
//! <remote sha>`). For each ref that is not a deletion, the files changed between what the remote has and
//! the pushed commit are checked *as they are in that commit*: its tree is exported (through a temporary
//! index of lintmux's own, never the repository's) into a directory in lintmux's cache, outside the
//! repository, and the check runs there on those files. The working tree, the index and the repository
//! are not touched; reported paths are repository-relative; scratch directories and result-cache keys are
//! the repository's (see [`Workspace::key_root`]), so pushing content that was checked before is a hit.
//!
//! What "what the remote has" is: the remote's sha when git knows that commit; for a new branch (or a
//! remote sha this clone has not fetched), the merge base with the remote's default branch
//! (`<remote>/HEAD`, else `<remote>/main` or `<remote>/master`); with none of those (a first push to an
//! empty remote, or a push to a URL), every file of the commit.

use std::ffi::OsStr;
use std::io::{BufRead, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use std::io::IsTerminal;

use super::context::Cx;
use super::exit::{ExitCode, verdict};
use super::output::no_color_unset;
use super::progress::sink;
use crate::config::{GivenTrust, Open, OpenError, Workspace};
use crate::engine::{
    self, CancelToken, Changed, GitError, GitFetch, Request, SetupError, Sink, git, git_line, git_with, merge_base_of,
    toplevel, writable_cache_dir,
};
use crate::model::{Trust, relative};
use crate::report::{ConsoleOptions, escape, write_console};

#[derive(Debug, thiserror::Error)]
pub(crate) enum PushError {
    #[error("cannot read the refs git passes to the pre-push hook: {0}")]
    Stdin(#[source] std::io::Error),
    #[error(
        "line {line} of the pre-push hook's input is `{text}`, not `<local ref> <local sha> <remote ref> <remote sha>`; `lintmux hook run` is meant to be called by git's pre-push hook"
    )]
    BadLine { line: usize, text: String },
    #[error(transparent)]
    Git(#[from] GitError),
    #[error("cannot make a directory to export {sha} into, in {dir}: {source}")]
    TempDir {
        sha: String,
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot export {sha}: `git {args}` failed: {stderr}")]
    Export { sha: String, args: String, stderr: String },
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Setup(#[from] SetupError),
    #[error("cannot write the report: {0}")]
    Write(#[from] std::io::Error),
}

/// One line of the hook's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PushedRef {
    pub(crate) local_ref: String,
    pub(crate) local_sha: String,
    pub(crate) remote_ref: String,
    pub(crate) remote_sha: String,
}

impl PushedRef {
    /// A push that deletes the remote ref: nothing to check.
    pub(crate) fn is_deletion(&self) -> bool {
        is_zero(&self.local_sha)
    }
}

/// Git's "no object" sha: all zeros (40 or 64 digits).
fn is_zero(sha: &str) -> bool {
    sha.bytes().all(|b| b == b'0')
}

fn is_sha(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Reads the hook's input: one ref per non-empty line.
pub(crate) fn read_refs(input: impl BufRead) -> Result<Vec<PushedRef>, PushError> {
    let mut refs = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(PushError::Stdin)?;
        if line.trim().is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split(' ').collect();
        match words.as_slice() {
            [local_ref, local_sha, remote_ref, remote_sha] if is_sha(local_sha) && is_sha(remote_sha) => {
                refs.push(PushedRef {
                    local_ref: (*local_ref).to_owned(),
                    local_sha: (*local_sha).to_owned(),
                    remote_ref: (*remote_ref).to_owned(),
                    remote_sha: (*remote_sha).to_owned(),
                });
            }
            _ => {
                return Err(PushError::BadLine {
                    line: i + 1,
                    text: line,
                });
            }
        }
    }
    Ok(refs)
}

/// The commit the pushed one is compared with, and how to name it; `None`: check every file.
fn base_for(
    top: &Path,
    remote: &str,
    r: &PushedRef,
    cancel: &CancelToken,
) -> Result<Option<(String, String)>, GitError> {
    let known = |sha: &str| git(top, &["cat-file", "-e", &format!("{sha}^{{commit}}")], cancel).is_ok();
    if !is_zero(&r.remote_sha) && known(&r.remote_sha) {
        return Ok(Some((r.remote_sha.clone(), format!("what {remote} has"))));
    }
    for branch in ["HEAD", "main", "master"] {
        let tracking = format!("refs/remotes/{remote}/{branch}");
        if git_line(top, &["rev-parse", "--verify", "--quiet", &tracking], cancel).is_ok() {
            let base = merge_base_of(top, &tracking, &r.local_sha, cancel)?;
            let name = git_line(top, &["rev-parse", "--abbrev-ref", &tracking], cancel)?;
            return Ok(Some((base, format!("its merge base with {name}"))));
        }
    }
    Ok(None)
}

/// Repository-relative names of the files that differ between `base` and `sha` and exist in `sha`
/// (every file of `sha` without a base).
fn changed_files(top: &Path, base: Option<&str>, sha: &str, cancel: &CancelToken) -> Result<Vec<Vec<u8>>, GitError> {
    let out = match base {
        Some(base) => git(
            top,
            &[
                "diff",
                "--name-only",
                "--no-renames",
                "--diff-filter=d",
                "-z",
                base,
                sha,
                "--",
            ],
            cancel,
        )?,
        None => git(top, &["ls-tree", "-r", "-z", "--name-only", sha], cancel)?,
    };
    Ok(out
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .map(<[u8]>::to_vec)
        .collect())
}

/// The tree of a commit, written out for checking; removed when dropped.
struct Export {
    dir: tempfile::TempDir,
}

impl Export {
    fn tree(&self) -> PathBuf {
        self.dir.path().join("tree")
    }
}

/// Writes the tree of `sha` into a new directory under `<cache>/pushes`, through a temporary index
/// there (`git read-tree` + `git checkout-index --prefix`): the repository's index, working tree and
/// object store are left alone. The project's own `.venv` and `node_modules` (never committed) are linked
/// in, so the linters that use the project's tools and packages find them as in the repository.
fn export(top: &Path, cache: &Path, sha: &str, cancel: &CancelToken) -> Result<Export, PushError> {
    let parent = cache.join("pushes");
    let made =
        std::fs::create_dir_all(&parent).and_then(|_| tempfile::Builder::new().prefix("push-").tempdir_in(&parent));
    let dir = made.map_err(|source| PushError::TempDir {
        sha: sha.to_owned(),
        dir: parent.clone(),
        source,
    })?;
    let export = Export { dir };
    let index = export.dir.path().join("index");
    let prefix = format!("--prefix={}/", export.tree().display());
    let index = index.to_string_lossy().into_owned();
    let steps: [Vec<&str>; 2] = [vec!["read-tree", sha], vec!["checkout-index", "-a", "-f", &prefix]];
    for args in steps {
        git_with(top, &args, &[("GIT_INDEX_FILE", &index)], cancel).map_err(|e| match e {
            GitError::Failed { args, stderr } => PushError::Export {
                sha: sha.to_owned(),
                args,
                stderr,
            },
            other => PushError::Git(other),
        })?;
    }
    std::fs::create_dir_all(export.tree())?;
    for env_dir in [".venv", "node_modules"] {
        let (real, inside) = (top.join(env_dir), export.tree().join(env_dir));
        if real.is_dir() && std::fs::symlink_metadata(&inside).is_err() {
            std::os::unix::fs::symlink(&real, &inside)?;
        }
    }
    Ok(export)
}

/// `lintmux hook run`: the pre-push check of what is pushed, the refs read from stdin (as git writes
/// them), the console report of each on stdout.
pub(crate) fn run_hook(cx: &Cx, remote: Option<&str>) -> anyhow::Result<ExitCode> {
    let refs = read_refs(std::io::stdin().lock())?;
    let console = ConsoleOptions {
        color: std::io::stderr().is_terminal() && no_color_unset(),
        times: std::env::var_os("LINTMUX_NO_TIMES").is_none(),
        sections: None,
    };
    let sink = sink();
    let hook = HookRun {
        cwd: cx.cwd,
        remote: remote.unwrap_or("origin"),
        console: &console,
        sink: sink.as_ref(),
        cancel: cx.cancel,
        trust: cx.globals.trust,
    };
    let mut out = std::io::stdout().lock();
    let code = run(&hook, &refs, &mut out)?;
    out.flush()?;
    Ok(code)
}

/// How the check of each ref is run and shown.
struct HookRun<'a> {
    /// Where git runs the hook (the top of the working tree).
    cwd: &'a Path,
    /// The remote's name (or URL), git's first argument to the hook.
    remote: &'a str,
    console: &'a ConsoleOptions,
    sink: &'a dyn Sink,
    cancel: &'a CancelToken,
    /// `--trust`, if given (the pushed tree's own config can only lower it).
    trust: Option<Trust>,
}

/// Checks every ref of the push; the exit code is the worst of them.
fn run(hook: &HookRun, refs: &[PushedRef], out: &mut dyn Write) -> Result<ExitCode, PushError> {
    let top = toplevel(hook.cwd, hook.cancel)?;
    let mut worst = ExitCode::Clean;
    for r in refs {
        if r.is_deletion() {
            writeln!(
                out,
                "lintmux: {} is deleted on {}; nothing to check",
                escape::text(&r.remote_ref),
                escape::text(hook.remote)
            )?;
            continue;
        }
        if let Some(code) = check_ref(hook, &top, r, out)? {
            worst = worst.worse(code);
        }
        if worst == ExitCode::Interrupted {
            break;
        }
    }
    Ok(worst)
}

/// Checks what one ref pushes, as committed: the files that differ from what the remote has, in an
/// export of the commit. `None` when nothing is to be checked.
fn check_ref(hook: &HookRun, top: &Path, r: &PushedRef, out: &mut dyn Write) -> Result<Option<ExitCode>, PushError> {
    let cancel = hook.cancel;
    let name = escape::text(&r.local_ref).into_owned();
    let base = base_for(top, hook.remote, r, cancel)?;
    let files = changed_files(top, base.as_ref().map(|(sha, _)| sha.as_str()), &r.local_sha, cancel)?;
    let short = &r.local_sha[..r.local_sha.len().min(12)];
    let since = match &base {
        Some((sha, how)) => format!("since {} ({how})", &sha[..sha.len().min(12)]),
        None => format!("(every file: {} has no commit to compare with)", hook.remote),
    };
    let since = escape::text(&since).into_owned();
    if files.is_empty() {
        writeln!(
            out,
            "lintmux: {name} ({short}): no file changed {since}; nothing to check"
        )?;
        return Ok(None);
    }
    let cache = writable_cache_dir();
    let export = export(top, &cache, &r.local_sha, cancel)?;
    let tree = export.tree();
    // Regular files only: a symbolic link or a submodule is not linted in the repository either.
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|n| PathBuf::from(OsStr::from_bytes(n)))
        .filter(|p| std::fs::symlink_metadata(tree.join(p)).is_ok_and(|m| m.is_file()))
        .collect();
    writeln!(
        out,
        "lintmux: checking {name} ({short}): {} changed {since}, as committed",
        if paths.len() == 1 {
            "1 file".to_owned()
        } else {
            format!("{} files", paths.len())
        }
    )?;
    if paths.is_empty() {
        return Ok(None);
    }
    let open = Open {
        cwd: &tree,
        root: Some(&tree),
        paths: &[],
        config: None,
        trust: hook.trust.map(GivenTrust::flag),
        cache: cache.clone(),
    };
    let mut ws = Workspace::open(&open, &GitFetch { cache: &cache, cancel })?;
    ws.key_root = top.to_path_buf();
    // As `--changed` narrows: a whole-project linter (mypy) checks all its files when one changed, so a
    // change that breaks another file's use of it is found.
    let changed = paths.iter().filter_map(|p| relative(&tree, &tree.join(p))).collect();
    let req = Request {
        changed: Changed::Files(changed),
        ..Request::new(&ws, &tree)
    };
    let report = engine::run(&ws, &req, hook.sink, cancel)?.report;
    write_console(&report, hook.console, out)?;
    Ok(Some(verdict(&report, Some(ws.config.fail_on.value), cancel)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const Z: &str = "0000000000000000000000000000000000000000";

    #[test]
    fn reads_the_lines_git_writes() {
        let input = format!("refs/heads/main {A} refs/heads/main {Z}\n\n(delete) {Z} refs/heads/old {A}\n");
        let refs = read_refs(input.as_bytes()).unwrap();
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].local_ref, "refs/heads/main");
        assert!(!refs[0].is_deletion());
        assert!(refs[1].is_deletion());
    }

    #[test]
    fn anything_else_is_an_error() {
        for bad in [
            "refs/heads/main abc refs/heads/main def",
            "just words",
            &format!("a {A} b"),
        ] {
            let err = read_refs(bad.as_bytes()).unwrap_err();
            assert!(err.to_string().contains("line 1 of the pre-push hook's input"), "{err}");
        }
    }
}
