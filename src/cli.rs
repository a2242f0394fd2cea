//! The command line, and the only file that knows clap. It parses arguments into [`Opts`] and turns them
//! into the plain values the library takes.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::ToolsMode;
use crate::model::Level;
use crate::report::{ReportFormat, ReportTarget};

#[derive(Parser, Debug)]
#[command(
    name = "lintmux",
    version,
    about = "Lint a whole repository with every linter that fits it, at once, in one report."
)]
pub struct Opts {
    /// The lint root (default: the nearest directory above the first PATH, or the current directory,
    /// that holds lintmux.toml or .git).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Use this config file instead of the root's lintmux.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// How far the repository is trusted: `none` runs only what lintmux and the central config define
    /// (no repository definitions, binaries, env or pass_env); `config` follows the repository's
    /// lintmux.toml but runs none of its definitions or binaries; `all` (the default) runs everything.
    /// `trust` in a config file can only lower it.
    #[arg(long, global = true, value_enum)]
    pub trust: Option<TrustArg>,
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Run every linter that fits the repository and report what they find.
    Check(CheckArgs),
    /// Format files with every formatter that fits them (by default, in a git repository, only the files
    /// changed since the merge base; `--all` for every file). `--check` rewrites nothing.
    Fmt(FmtArgs),
    /// Show the file types found (and, with --files, each file, its type, and why).
    Detect(DetectArgs),
    /// List the linters: file types, pinned version, the binary that will run, and its version.
    Linters(LintersArgs),
    /// Install the pinned tools of the enabled linters (or of those named).
    Install(InstallArgs),
    /// Print the effective configuration, each value with the file and line it came from.
    Config,
    /// Show or clean lintmux's cache.
    #[command(subcommand)]
    Cache(CacheCmd),
    /// Merge SARIF files (for example of shards) into one, with one run per linter.
    Merge(MergeArgs),
    /// Install or remove the git pre-push hook that checks what is being pushed.
    #[command(subcommand)]
    Hook(HookCmd),
    /// Write a commented lintmux.toml for this repository, from what `detect` finds.
    Init(InitArgs),
}

#[derive(Subcommand, Debug)]
pub enum CacheCmd {
    /// Where the cache is and what it holds.
    Status,
    /// Remove cached results and scratch files (with --all, the installed tools too).
    Clean {
        #[arg(long)]
        all: bool,
    },
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// SARIF files to merge.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Write here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Merge an incomplete set of shards, or logs of different roots or commits, or SARIF lintmux did
    /// not write, and mark the result partial (otherwise each is an error).
    #[arg(long)]
    pub allow_partial: bool,
    /// Also (or instead) write a report in FORMAT, to PATH or stdout; repeatable.
    #[arg(long = "report", value_name = "FORMAT[=PATH]", value_parser = parse_report)]
    pub reports: Vec<ReportTarget>,
}

#[derive(Subcommand, Debug)]
pub enum HookCmd {
    /// Write .git/hooks/pre-push.
    Install {
        /// Replace a pre-push hook that lintmux did not write.
        #[arg(long)]
        force: bool,
    },
    /// Remove the pre-push hook lintmux wrote.
    Uninstall,
    /// What the pre-push hook runs: check the commits git says are being pushed (refs on stdin).
    #[command(hide = true)]
    Run {
        /// The remote's name (or URL), as git passes it to the hook.
        remote: Option<String>,
        /// The remote's URL, as git passes it to the hook.
        url: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Replace an existing lintmux.toml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Console,
    Sarif,
    Json,
    Github,
    Gitlab,
    Junit,
    Checkstyle,
    Markdown,
}

impl From<FormatArg> for ReportFormat {
    fn from(f: FormatArg) -> ReportFormat {
        match f {
            FormatArg::Console => ReportFormat::Console,
            FormatArg::Sarif => ReportFormat::Sarif,
            FormatArg::Json => ReportFormat::Json,
            FormatArg::Github => ReportFormat::Github,
            FormatArg::Gitlab => ReportFormat::Gitlab,
            FormatArg::Junit => ReportFormat::Junit,
            FormatArg::Checkstyle => ReportFormat::Checkstyle,
            FormatArg::Markdown => ReportFormat::Markdown,
        }
    }
}

/// `FORMAT` (stdout) or `FORMAT=PATH`.
fn parse_report(s: &str) -> Result<ReportTarget, String> {
    let (format, path) = match s.split_once('=') {
        Some((f, p)) if !p.is_empty() => (f, Some(PathBuf::from(p))),
        Some((f, _)) => return Err(format!("`{s}` names no file: write {f}=PATH, or {f} for stdout")),
        None => (s, None),
    };
    Ok(ReportTarget {
        format: format.parse()?,
        path,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    Error,
    Warning,
    Note,
    /// Never fail because of findings.
    Never,
}

impl LevelArg {
    pub fn level(self) -> Option<Level> {
        match self {
            LevelArg::Error => Some(Level::Error),
            LevelArg::Warning => Some(Level::Warning),
            LevelArg::Note => Some(Level::Note),
            LevelArg::Never => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ToolsArg {
    /// lintmux's pinned installs (installed on demand).
    Pinned,
    /// Whatever is on PATH.
    System,
}

impl From<ToolsArg> for ToolsMode {
    fn from(t: ToolsArg) -> ToolsMode {
        match t {
            ToolsArg::Pinned => ToolsMode::Pinned,
            ToolsArg::System => ToolsMode::System,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TrustArg {
    None,
    Config,
    All,
}

impl TrustArg {
    pub(crate) fn trust(self) -> crate::model::Trust {
        match self {
            TrustArg::None => crate::model::Trust::None,
            TrustArg::Config => crate::model::Trust::Config,
            TrustArg::All => crate::model::Trust::All,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RunnerArg {
    Local,
    Container,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint (default: the whole root).
    pub paths: Vec<PathBuf>,
    /// Report format (default: console).
    #[arg(short, long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write the report to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write a SARIF report to this file (the console report still goes to stdout).
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Also write a report in FORMAT (console, sarif, json, github, gitlab, junit, checkstyle, markdown)
    /// to PATH, or to stdout without `=PATH`; repeatable. At most one report goes to stdout.
    #[arg(long = "report", value_name = "FORMAT[=PATH]", value_parser = parse_report)]
    pub reports: Vec<ReportTarget>,
    /// Run only these linters (comma-separated).
    #[arg(short, long, value_delimiter = ',', value_name = "NAMES")]
    pub linters: Option<Vec<String>>,
    /// How many linter processes run at once (default: the number of CPUs).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Lowest finding level that makes the exit code 1 (default: warning, or fail_on in lintmux.toml).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<LevelArg>,
    /// Where tools come from when the project has none of its own (default: pinned, or `tools` in
    /// lintmux.toml).
    #[arg(long, value_enum)]
    pub tools: Option<ToolsArg>,
    /// Never install a missing tool; report it as an error instead.
    #[arg(long)]
    pub no_install: bool,
    /// When to colour the console report (NO_COLOR is honoured in auto).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// Do not use the result cache (every linter runs).
    #[arg(long)]
    pub no_cache: bool,
    /// Only files changed since the merge base with REF (default: the upstream, origin/HEAD, main or
    /// master), plus uncommitted and untracked files.
    #[arg(long, value_name = "REF", num_args = 0..=1, default_missing_value = "")]
    pub changed: Option<String>,
    /// Only findings on lines added or modified since the merge base with REF (default as --changed).
    #[arg(long, value_name = "REF", num_args = 0..=1, default_missing_value = "")]
    pub new_only: Option<String>,
    /// Drop findings already present in this SARIF report.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Where linters run: `container` runs every linter that has an image in it; `local` runs all here
    /// (default: each linter's `runner` in lintmux.toml).
    #[arg(long, value_enum)]
    pub runner: Option<RunnerArg>,
    /// Run share K of N (e.g. 2/4): files split by a stable hash of their path; whole-project linters
    /// run on shard 1.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
    /// First apply the fixes the linters call safe (ruff, eslint, markdownlint-cli2) and format with the
    /// enabled formatters, in place; then report what remains.
    #[arg(long, conflicts_with = "shard")]
    pub fix: bool,
    /// With --fix: apply the fixes the linters call unsafe too.
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
}

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Files or directories to format (all their files, changed or not).
    pub paths: Vec<PathBuf>,
    /// Rewrite nothing: print a unified diff of each file that would change, and exit 1 if one would.
    #[arg(long)]
    pub check: bool,
    /// Only files changed since the merge base with REF (default: the upstream, origin/HEAD, main or
    /// master), plus uncommitted and untracked files. This is the default in a git repository.
    #[arg(long, value_name = "REF", num_args = 0..=1, default_missing_value = "", conflicts_with = "all")]
    pub changed: Option<String>,
    /// Every file, also in a git repository.
    #[arg(long)]
    pub all: bool,
    /// Run only these formatters (comma-separated); named, a formatter runs even where the repository
    /// has no config for it.
    #[arg(short, long, value_delimiter = ',', value_name = "NAMES")]
    pub linters: Option<Vec<String>>,
    /// How many formatter processes run at once (default: the number of CPUs).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Where tools come from when the project has none of its own.
    #[arg(long, value_enum)]
    pub tools: Option<ToolsArg>,
    /// Never install a missing tool; report it as an error instead.
    #[arg(long)]
    pub no_install: bool,
    /// Do not use the result cache.
    #[arg(long)]
    pub no_cache: bool,
    /// When to colour the diffs (NO_COLOR is honoured in auto).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
}

fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("`{s}` is not a shard: write K/N with 1 <= K <= N, e.g. 2/4");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u32, u32) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// `Some("")` (the flag without a value) means "the default reference".
pub fn optional_ref(v: &Option<String>) -> Option<Option<String>> {
    v.as_ref().map(|r| if r.is_empty() { None } else { Some(r.clone()) })
}

#[derive(Args, Debug)]
pub struct DetectArgs {
    pub paths: Vec<PathBuf>,
    /// List each file with its type and the reason.
    #[arg(long)]
    pub files: bool,
}

#[derive(Args, Debug)]
pub struct LintersArgs {
    /// Where tools come from when the project has none of its own (default: pinned, or `tools` in
    /// lintmux.toml).
    #[arg(long, value_enum)]
    pub tools: Option<ToolsArg>,
}

#[derive(Args, Debug)]
pub struct InstallArgs {
    /// Linters to install (default: every linter enabled for this repository).
    pub linters: Vec<String>,
    /// Install every linter in the catalog.
    #[arg(long)]
    pub all: bool,
}
