//! What a caller asks of the engine ([`Request`]) and what it gets back ([`Outcome`]). A request is plain
//! data: which files (PATHs, the files changed since a base, one shard), which linters (those named, or the
//! enabled ones), a [`Mode`], and the policies (jobs, where tools come from, installs, the result cache,
//! containers). Every choice is a value with a name, never a bare flag.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::{Runner, ToolsMode, Workspace};
use crate::model::{Formatted, Report, Shard};
use crate::plan::select::{Choice, UnknownLinter};

/// What a run does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Run the linters and report (a formatter lists and prints, nothing is written): `lintmux check`.
    Lint,
    /// Let the linters that can fix apply their fixes, and the formatters format, in place (what
    /// `lintmux check --fix` does before it checks).
    Fix(Fixes),
    /// The formatters only, nothing written: `lintmux fmt --check`.
    FormatCheck,
    /// The formatters only, writing what they print: `lintmux fmt`.
    Format,
}

/// Which fixes a fixing run applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fixes {
    /// The fixes the tools call safe.
    Safe,
    /// Their unsafe ones too (`--unsafe-fixes`), where a tool has them.
    AlsoUnsafe,
}

/// The commit to compare with: the merge base of HEAD and a reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    /// The branch's upstream, else `origin/HEAD`, else `main` or `master`.
    Default,
    Named(String),
}

/// Which of the files a run takes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Changed {
    /// Every file (of the PATHs).
    #[default]
    All,
    /// Those changed since a base, plus uncommitted and untracked files (`--changed`).
    Since(Base),
    /// These root-relative files, taken as `Since` takes its files (the pre-push check knows them from the
    /// pushed commits).
    Files(BTreeSet<String>),
}

/// Whether the result cache answers and keeps results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Caching {
    On,
    /// `--no-cache`: every linter runs.
    Off,
}

/// Whether a missing pinned tool is installed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Installs {
    OnDemand,
    /// `--no-install`: a missing tool is a tool error.
    Never,
}

#[derive(Clone, Debug)]
pub(crate) struct Request {
    /// Where PATHs are relative to.
    pub(crate) cwd: PathBuf,
    /// Files or directories to lint; empty: the whole root.
    pub(crate) paths: Vec<PathBuf>,
    /// The linters named by the user (`-l`); `None`: the enabled ones whose file types are present.
    pub(crate) linters: Option<Vec<String>>,
    pub(crate) mode: Mode,
    pub(crate) changed: Changed,
    pub(crate) shard: Option<Shard>,
    /// `--new-only`: keep the findings on lines added or modified since this base.
    pub(crate) new_only: Option<Base>,
    /// `--baseline`: drop the findings this SARIF report already has.
    pub(crate) baseline: Option<PathBuf>,
    /// How many processes run at once.
    pub(crate) jobs: usize,
    pub(crate) tools: ToolsMode,
    pub(crate) installs: Installs,
    pub(crate) caching: Caching,
    /// `--runner`: overrides every linter's runner (`container` only where an image is known).
    pub(crate) runner: Option<Runner>,
    /// Content that is not saved (an editor's buffers), by root-relative path: a linter that can read a
    /// buffer ([`crate::catalog::BufferDef`]) lints this content; the others lint the file as saved.
    pub(crate) buffers: BTreeMap<String, String>,
    /// The executable that supervises each local linter, so none of its descendants outlives it: lintmux
    /// itself, started as `lintmux __supervise`. `None`: linters run directly and only their process group
    /// is killed (a caller that is not lintmux's executable, such as a test binary).
    pub(crate) supervisor: Option<PathBuf>,
    /// A remote result cache under the local one (only with [`Caching::On`]); `None`: local only.
    pub(crate) remote: Option<super::remote::RemoteSpec>,
}

impl Request {
    /// A check of the whole root, run from `cwd`, by the enabled linters, with the workspace's jobs (else
    /// one per CPU) and tools, installing what is missing, through the result cache.
    pub(crate) fn new(ws: &Workspace, cwd: &Path) -> Request {
        Request {
            cwd: cwd.to_path_buf(),
            paths: Vec::new(),
            linters: None,
            mode: Mode::Lint,
            changed: Changed::All,
            shard: None,
            new_only: None,
            baseline: None,
            jobs: ws.config.jobs.as_ref().map_or_else(default_jobs, |j| j.value),
            tools: ws.config.tools.value,
            installs: Installs::OnDemand,
            caching: Caching::On,
            runner: None,
            buffers: BTreeMap::new(),
            supervisor: std::env::current_exe().ok(),
            remote: None,
        }
    }

    /// How the linters were chosen.
    pub(crate) fn choice(&self) -> Choice {
        if self.linters.is_some() {
            Choice::Named
        } else {
            Choice::Configured
        }
    }
}

/// One worker per CPU.
pub(crate) fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// What a run gives.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// The findings, tool errors and statistics (for [`Mode::Fix`] and [`Mode::Format`], what went wrong
    /// while writing and what the formatters reported and could not format).
    pub(crate) report: Report,
    /// The files the formatters printed differently, as they printed them ([`Mode::Lint`],
    /// [`Mode::FormatCheck`]: nothing was written).
    pub(crate) formatted: Vec<Formatted>,
    /// What fixing and formatting wrote ([`Mode::Fix`], [`Mode::Format`]).
    pub(crate) applied: Applied,
    /// The files with unsaved content that a linter linted as saved, as it cannot read a buffer:
    /// (linter, path). Its findings there describe the saved file.
    pub(crate) as_saved: Vec<(String, String)>,
}

/// What fixing and formatting did.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// Files a formatter rewrote: (path, formatter).
    pub(crate) formatted: Vec<(String, String)>,
    /// Files each fixer changed: (linter, how many).
    pub(crate) fixed: Vec<(String, usize)>,
    /// Files left as they were, and why (changed meanwhile, not writable).
    pub(crate) not_written: Vec<String>,
    /// Files the formatters looked at.
    pub(crate) files: usize,
}

/// Why a run could not start (everything that goes wrong with a linter is a tool error in the report).
#[derive(Debug, thiserror::Error)]
pub(crate) enum SetupError {
    #[error(transparent)]
    Walk(#[from] crate::walk::WalkError),
    #[error(transparent)]
    UnknownLinter(#[from] UnknownLinter),
    #[error(transparent)]
    Git(#[from] super::git::GitError),
    #[error("cannot use the baseline: {0}")]
    Baseline(String),
}
