//! An [`Action`] is one job fully resolved into a plain value: the tool's arguments, its environment,
//! working directory, timeout, where it runs (a local binary or a container), its input files, and the
//! result-cache key computed from everything it depends on. A prepared linter makes its actions (see
//! `prepare`); after that nothing looks at linter definitions or configuration again. Executing one gives
//! an [`Executed`] (see `executor`).

use std::path::PathBuf;
use std::time::Duration;

use super::process::Engine;
use crate::model::JobOutput;

/// What an action does; every kind is the same value, run by the same engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ActionKind {
    /// Run the linter's `command` and read its findings (for a formatter: the files it would change).
    Lint,
    /// A formatter prints one file (its `stdin`) formatted; nothing is written.
    Print,
    /// The tool applies its fixes to its files in place (`check --fix`); never cached.
    Fix,
}

/// Where an action's tool runs.
#[derive(Clone, Debug)]
pub(crate) enum Place {
    /// A local binary, started under lintmux's supervisor when one is given.
    Local { program: PathBuf },
    /// A container: `<engine> run … <image> <args>`.
    Container {
        engine: Engine,
        image: String,
        /// The tool inside the container (its entrypoint).
        entrypoint: String,
        /// The linter's scratch directory on the host (mounted writable).
        scratch: PathBuf,
        /// More read-only mounts: (host directory, container directory).
        mounts: Vec<(PathBuf, String)>,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Action {
    pub(crate) kind: ActionKind,
    /// The linter this action belongs to.
    pub(crate) linter: String,
    /// Its input files, root-relative.
    pub(crate) files: Vec<String>,
    /// The tool's arguments (after the program), as the tool sees them, except the file arguments: those
    /// go at `files_at`, each written as `file_arg` says ([`Action::argv`]); `None`: the tool takes no
    /// file arguments (it finds its files itself). Kept apart so a run over 90,000 files holds their
    /// names once.
    pub(crate) args: Vec<String>,
    pub(crate) files_at: Option<usize>,
    /// How one file is written (`{file}` is its path).
    pub(crate) file_arg: String,
    /// The tool's environment: complete for a local tool, the `--env` list for a container.
    pub(crate) env: Vec<(String, String)>,
    pub(crate) cwd: PathBuf,
    pub(crate) timeout: Duration,
    pub(crate) output_cap: usize,
    pub(crate) place: Place,
    /// The result-cache key; `None` when an input could not be read (then the result is never stored).
    pub(crate) key: Option<String>,
    /// For a linter that takes files: the key of each file's results on their own, in the order of
    /// `files` (empty: none, the results are kept only for the whole action).
    pub(crate) file_keys: Vec<String>,
    /// A file (absolute) the tool reads as its stdin.
    pub(crate) stdin: Option<PathBuf>,
    /// The file whose unsaved content (an editor's buffer) the action reads on stdin, root-relative.
    pub(crate) buffer_of: Option<String>,
}

impl Action {
    /// The tool's full argument list.
    pub(crate) fn argv(&self) -> Vec<String> {
        let Some(at) = self.files_at.map(|a| a.min(self.args.len())) else {
            return self.args.clone();
        };
        let mut argv = Vec::with_capacity(self.args.len() + self.files.len());
        argv.extend(self.args[..at].iter().cloned());
        argv.extend(
            self.files
                .iter()
                .map(|f| crate::plan::schedule::file_arg(&self.file_arg, f)),
        );
        argv.extend(self.args[at..].iter().cloned());
        argv
    }

    /// The tool as named in messages: its program, or its image.
    pub(crate) fn tool(&self) -> String {
        match &self.place {
            Place::Local { program } => program.display().to_string(),
            Place::Container { image, .. } => format!("container {image}"),
        }
    }
}

/// Where an action's output came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Served {
    Ran,
    /// The local result cache (the whole action, or each of its files' findings).
    Local,
    Remote,
}

/// What executing an action gave.
#[derive(Clone, Debug)]
pub(crate) struct Executed {
    /// The finished process, or why it could not be started.
    pub(crate) output: Result<JobOutput, String>,
    /// Where it came from: a run, the local result cache or the remote one.
    pub(crate) served: Served,
    /// From the cache, produced in another root (the same repository exported elsewhere, as the
    /// pre-push check does): the paths the tool printed are under that root.
    pub(crate) produced_in: Option<PathBuf>,
}
