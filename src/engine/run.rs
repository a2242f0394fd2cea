//! The engine's entry point. [`run`] takes a workspace and a [`Request`] and gives an [`Outcome`]: it walks
//! once, then runs one pass ([`super::pass`]) for a check, or the fixing or formatting waves
//! ([`super::apply`]), and last narrows the report to what was asked (`--new-only`, `--baseline`, the
//! PATHs) and says what it covered. Nothing is global: a caller may run it many times in
//! one process, each with its own sink and cancellation token.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use super::context::Cx;
use super::events::Sink;
use super::git;
use super::pass::{Which, lint};
use super::process::Images;
use super::remote::Remote;
use super::request::{Base, Caching, Changed, Mode, Outcome, Request, SetupError};
use super::{CancelToken, apply};
use crate::config::Workspace;
use crate::filter::{NewLines, compare};
use crate::model::{Report, Scope, relative};
use crate::walk::{Sizes, walk_workspace};

/// Runs `req` on `ws`. An error here is a setup error (exit 2); everything that goes wrong with a linter
/// is a tool error in the report.
pub(crate) fn run(ws: &Workspace, req: &Request, sink: &dyn Sink, cancel: &CancelToken) -> Result<Outcome, SetupError> {
    let started = Instant::now();
    let remote = req
        .remote
        .as_ref()
        .filter(|_| req.caching == Caching::On)
        .map(Remote::open);
    let cx = Cx {
        ws,
        req,
        sink,
        cancel,
        jobs: req.jobs.max(1),
        engine: OnceLock::new(),
        images: Images::default(),
        remote: remote.as_ref(),
    };
    // No size check in the walk: each pass stats its files for the result cache anyway.
    let walked = walk_workspace(ws, &req.cwd, &req.paths, cx.jobs, Sizes::LeftToCaller)?;
    let changed = changed_files(&cx)?;
    let mut outcome = match req.mode {
        Mode::Lint => lint(&cx, walked, Which::All, changed.as_ref())?,
        Mode::FormatCheck => lint(&cx, walked, Which::Formatters, changed.as_ref())?,
        Mode::Format => apply::format(&cx, &walked, changed.as_ref())?,
        Mode::Fix(fixes) => apply::fix(&cx, &walked, fixes, changed.as_ref())?,
    };
    compare_with_history(&cx, &mut outcome.report)?;
    let scope = scope_of(&cx);
    let outside_paths = crate::filter::keep_within(&mut outcome.report, &scope.paths);
    outcome.report.scope = Scope { outside_paths, ..scope };
    outcome.report.cache.remote_cache = remote.as_ref().map(Remote::finish);
    outcome.report.normalise();
    outcome.report.wall = started.elapsed();
    Ok(outcome)
}

/// `--new-only` and `--baseline`: the findings that were there before are hidden.
fn compare_with_history(cx: &Cx, report: &mut Report) -> Result<(), SetupError> {
    if let Some(base) = &cx.req.new_only {
        let new = new_lines_since(&cx.ws.root, base, cx.cancel)?;
        compare::keep_new(report, &new);
    }
    if let Some(path) = &cx.req.baseline {
        let known = compare::baseline_identities(path).map_err(SetupError::Baseline)?;
        compare::drop_known(report, &known);
    }
    Ok(())
}

/// The files the request narrows to (`--changed`, the pre-push check's files); `None`: every file.
fn changed_files(cx: &Cx) -> Result<Option<std::collections::BTreeSet<String>>, SetupError> {
    Ok(match &cx.req.changed {
        Changed::All => None,
        Changed::Since(base) => Some(changed_since(&cx.ws.root, base, cx.cancel)?),
        Changed::Files(files) => Some(files.clone()),
    })
}

/// The merge base with `base` of the repository holding `root`.
fn base_commit(root: &Path, base: &Base, cancel: &CancelToken) -> Result<(PathBuf, String), SetupError> {
    let top = git::toplevel(root, cancel)?;
    let reference = match base {
        Base::Named(r) => r.clone(),
        Base::Default => git::default_base(&top, cancel)?,
    };
    let commit = git::merge_base(&top, &reference, cancel)?;
    Ok((top, commit))
}

/// Root-relative paths of the files changed since the merge base.
fn changed_since(
    root: &Path,
    base: &Base,
    cancel: &CancelToken,
) -> Result<std::collections::BTreeSet<String>, SetupError> {
    let (top, commit) = base_commit(root, base, cancel)?;
    Ok(git::changed_files(&top, &commit, cancel)?
        .iter()
        .filter_map(|p| relative(root, p))
        .collect())
}

/// Root-relative paths and their new lines since the merge base.
fn new_lines_since(root: &Path, base: &Base, cancel: &CancelToken) -> Result<BTreeMap<String, NewLines>, SetupError> {
    let (top, commit) = base_commit(root, base, cancel)?;
    Ok(git::new_lines(&top, &commit, cancel)?
        .into_iter()
        .filter_map(|(p, lines)| Some((relative(root, &p)?, lines)))
        .collect())
}

/// What the run covered: the PATHs, the base of `--changed`, the shard, and the commit checked out.
fn scope_of(cx: &Cx) -> Scope {
    let (root, req, cancel) = (&cx.ws.root, cx.req, cx.cancel);
    let paths: Vec<String> = req
        .paths
        .iter()
        .filter_map(|p| relative(root, &crate::model::absolute(&req.cwd, p)))
        .filter(|p| !p.is_empty())
        .collect();
    let changed = match &req.changed {
        Changed::Since(Base::Named(r)) => Some(r.clone()),
        Changed::Since(Base::Default) => Some(
            git::toplevel(root, cancel)
                .and_then(|top| git::default_base(&top, cancel))
                .unwrap_or_default(),
        ),
        Changed::All | Changed::Files(_) => None,
    };
    let commit = git::git_line(root, &["rev-parse", "--verify", "--quiet", "HEAD"], cancel)
        .ok()
        .filter(|c| !c.is_empty());
    let in_repo = commit.as_ref().and_then(|_| {
        let top = git::toplevel(root, cancel).ok()?;
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let rel = relative(&top, &root)?;
        Some(if rel.is_empty() { ".".to_owned() } else { rel })
    });
    Scope {
        full: paths.is_empty() && req.changed == Changed::All && req.shard.is_none(),
        root: in_repo,
        paths,
        changed,
        shard: req.shard,
        commit,
        outside_paths: 0,
        partial: false,
        problems: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::config::{NoGit, Open};
    use crate::engine::Event;
    use crate::model::ToolErrorKind;

    /// The tools the tests share: `target/tmp/lintmux-cache`, where `.ci/run` installs the pinned linters
    /// (and where the integration tests find them); a missing one is installed on first use.
    fn shared_cache() -> PathBuf {
        let exe = std::env::current_exe().unwrap();
        // target/<profile>/deps/<test binary>
        exe.ancestors().nth(3).unwrap().join("tmp/lintmux-cache")
    }

    /// Counts the actions that ran and those the result cache answered.
    #[derive(Default)]
    struct Counting(Mutex<(usize, usize)>);

    impl Sink for Counting {
        fn event(&self, event: &Event<'_>) {
            if let Event::ActionFinished { cached, .. } = event {
                let mut n = self.0.lock().unwrap();
                if *cached { n.1 += 1 } else { n.0 += 1 }
            }
        }
    }

    /// A caller (an editor, a watch mode) runs the engine again and again in one process, each run with its
    /// own sink and cancellation token: the second run is answered by the result cache with the same
    /// report, and a run cancelled before it starts says every linter was interrupted instead of looking
    /// clean.
    #[test]
    fn a_caller_runs_the_engine_many_times_in_one_process() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("scripts")).unwrap();
        std::fs::write(root.join("scripts/run.sh"), "#!/bin/sh\necho $1\n").unwrap();
        std::fs::write(root.join("lintmux.toml"), "").unwrap();
        // A cache of its own with the shared tools: keys name no path, so the shared one may already hold
        // this very file's results from another run.
        let cache = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(shared_cache().join("tools"), cache.path().join("tools")).unwrap();
        let open = Open {
            cwd: &root,
            root: Some(&root),
            paths: &[],
            config: None,
            trust: None,
            cache: cache.path().to_path_buf(),
        };
        let ws = Workspace::open(&open, &NoGit).unwrap();
        let mut req = Request::new(&ws, &root);
        req.linters = Some(vec!["shellcheck".to_owned()]);
        // The test binary cannot supervise linters as lintmux's executable does.
        req.supervisor = None;
        let found = |outcome: &Outcome| -> Vec<(String, String, u32)> {
            let r = &outcome.report;
            assert!(r.tool_errors.is_empty(), "{:?}", r.tool_errors);
            r.findings
                .iter()
                .map(|f| (f.rule.clone(), f.path.clone(), f.line))
                .collect()
        };
        let (first_sink, second_sink) = (Counting::default(), Counting::default());
        let first = run(&ws, &req, &first_sink, &CancelToken::new()).unwrap();
        let second = run(&ws, &req, &second_sink, &CancelToken::new()).unwrap();
        let expected = vec![("SC2086".to_owned(), "scripts/run.sh".to_owned(), 2)];
        assert_eq!(found(&first), expected);
        assert_eq!(found(&second), expected);
        assert_eq!(*first_sink.0.lock().unwrap(), (1, 0), "the first run ran shellcheck");
        assert_eq!(
            *second_sink.0.lock().unwrap(),
            (0, 1),
            "the second was answered by the cache"
        );
        let cancel = CancelToken::new();
        cancel.cancel();
        let cancelled = run(&ws, &req, &Counting::default(), &cancel).unwrap();
        let kinds: Vec<ToolErrorKind> = cancelled.report.tool_errors.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [ToolErrorKind::Cancelled]);
        assert!(cancelled.report.findings.is_empty());
    }

    /// Records, for each action that finished, how many files a process ran on.
    #[derive(Default)]
    struct FilesRun(Mutex<Vec<usize>>);

    impl Sink for FilesRun {
        fn event(&self, event: &Event<'_>) {
            if let Event::ActionFinished { files_run, .. } = event {
                self.0.lock().unwrap().push(*files_run);
            }
        }
    }

    /// After one file of a batch changes, only that file is linted again: the findings of the others come
    /// from the cache of each file's findings, and the report is what a run without any cache gives.
    #[test]
    fn a_changed_file_is_linted_alone_and_the_others_are_answered_per_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let scripts = [
            ("a.sh", "#!/bin/sh\necho $1\n"),
            ("b.sh", "#!/bin/sh\necho ok\n"),
            ("c.sh", "#!/bin/sh\nls $2\n"),
        ];
        for (name, text) in scripts {
            std::fs::write(root.join(name), text).unwrap();
        }
        std::fs::write(root.join("lintmux.toml"), "").unwrap();
        // A cache of its own: the shared one may hold these very files' findings from another test run.
        let cache = tempfile::tempdir().unwrap();
        let tools = shared_cache().join("tools");
        std::os::unix::fs::symlink(&tools, cache.path().join("tools")).unwrap();
        let open = Open {
            cwd: &root,
            root: Some(&root),
            paths: &[],
            config: None,
            trust: None,
            cache: cache.path().to_path_buf(),
        };
        let ws = Workspace::open(&open, &NoGit).unwrap();
        let mut req = Request::new(&ws, &root);
        req.linters = Some(vec!["shellcheck".to_owned()]);
        req.supervisor = None;
        let found = |outcome: &Outcome| -> Vec<(String, String, u32)> {
            let r = &outcome.report;
            assert!(r.tool_errors.is_empty(), "{:?}", r.tool_errors);
            let mut f: Vec<_> = r
                .findings
                .iter()
                .map(|f| (f.rule.clone(), f.path.clone(), f.line))
                .collect();
            f.sort();
            f
        };
        let first = FilesRun::default();
        let before = run(&ws, &req, &first, &CancelToken::new()).unwrap();
        assert_eq!(*first.0.lock().unwrap(), [3], "one batch of the three files");
        assert_eq!(found(&before).len(), 2, "{:?}", found(&before));
        std::fs::write(root.join("b.sh"), "#!/bin/sh\ncat $3\n").unwrap();
        let second = FilesRun::default();
        let after = run(&ws, &req, &second, &CancelToken::new()).unwrap();
        assert_eq!(*second.0.lock().unwrap(), [1], "only b.sh ran");
        let mut uncached = Request::new(&ws, &root);
        uncached.linters = req.linters.clone();
        uncached.supervisor = None;
        uncached.caching = crate::engine::Caching::Off;
        let fresh = run(&ws, &uncached, &FilesRun::default(), &CancelToken::new()).unwrap();
        assert_eq!(found(&after), found(&fresh));
        assert_eq!(found(&after).len(), 3, "{:?}", found(&after));
    }
}
