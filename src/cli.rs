//! The command line, and the only file that knows clap. It parses arguments into [`Opts`] and turns them
//! into the plain values the commands take ([`Invocation`], see [`Opts::invocation`]); no clap type
//! leaves this file.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands::{
    CacheCommand, CheckCommand, Clean, Color, Command, DetectCommand, FailOn, FmtAction, FmtCommand, FmtFiles, Globals,
    HookCommand, HookExisting, InitCommand, InitExisting, InstallCommand, InstallWhich, Invocation, LintersCommand,
    Listing, MergeCommand, RemoteArgs,
};
use crate::config::{Runner, ToolsMode};
use crate::engine::{Base, Caching, Fixes, Installs};
use crate::model::{Level, Shard, Trust};
use crate::report::merge::Partial;
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
    pub(crate) root: Option<PathBuf>,
    /// Use this config file instead of the root's lintmux.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// How far the repository is trusted: `none` runs only what lintmux and the central config define
    /// (no repository definitions, binaries, env or pass_env); `config` follows the repository's
    /// lintmux.toml but runs none of its definitions or binaries; `all` (the default) runs everything.
    /// `trust` in a config file can only lower it.
    #[arg(long, global = true, value_enum)]
    pub(crate) trust: Option<TrustArg>,
    #[command(subcommand)]
    pub(crate) command: Cmd,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Cmd {
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
    /// Serve editors: speak the Language Server Protocol on stdin and stdout.
    Lsp,
}

#[derive(Subcommand, Debug)]
pub(crate) enum CacheCmd {
    /// Where the cache is and what it holds; with --remote, checks the remote cache's connection and
    /// permissions too.
    Status {
        #[arg(long)]
        remote: bool,
        #[command(flatten)]
        args: RemoteCacheArgs,
    },
    /// Remove cached results and scratch files (with --all, the installed tools too).
    Clean {
        #[arg(long)]
        all: bool,
    },
}

#[derive(Args, Debug)]
pub(crate) struct MergeArgs {
    /// SARIF files to merge.
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// Write here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Merge an incomplete set of shards, or logs of different roots or commits, or SARIF lintmux did
    /// not write, and mark the result partial (otherwise each is an error).
    #[arg(long)]
    pub(crate) allow_partial: bool,
    /// Also (or instead) write a report in FORMAT, to PATH or stdout; repeatable.
    #[arg(long = "report", value_name = "FORMAT[=PATH]", value_parser = parse_report)]
    pub(crate) reports: Vec<ReportTarget>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum HookCmd {
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
pub(crate) struct InitArgs {
    /// Replace an existing lintmux.toml.
    #[arg(long)]
    pub(crate) force: bool,
}

/// The report formats as clap offers them: the same list, in the same order, with the same names.
impl ValueEnum for ReportFormat {
    fn value_variants<'a>() -> &'a [Self] {
        ReportFormat::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

/// The help of `--report`, which names every format.
fn report_help() -> String {
    let names: Vec<&str> = ReportFormat::ALL.iter().map(|f| f.name()).collect();
    format!(
        "Also write a report in FORMAT ({}) to PATH, or to stdout without `=PATH`; repeatable. At most one report \
         goes to stdout",
        names.join(", ")
    )
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
pub(crate) enum LevelArg {
    Error,
    Warning,
    Note,
    /// Never fail because of findings.
    Never,
}

impl From<LevelArg> for FailOn {
    fn from(l: LevelArg) -> FailOn {
        match l {
            LevelArg::Error => FailOn::Level(Level::Error),
            LevelArg::Warning => FailOn::Level(Level::Warning),
            LevelArg::Note => FailOn::Level(Level::Note),
            LevelArg::Never => FailOn::Never,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ToolsArg {
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
pub(crate) enum TrustArg {
    None,
    Config,
    All,
}

impl From<TrustArg> for Trust {
    fn from(t: TrustArg) -> Trust {
        match t {
            TrustArg::None => Trust::None,
            TrustArg::Config => Trust::Config,
            TrustArg::All => Trust::All,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum RunnerArg {
    Local,
    Container,
}

impl From<RunnerArg> for Runner {
    fn from(r: RunnerArg) -> Runner {
        match r {
            RunnerArg::Local => Runner::Local,
            RunnerArg::Container => Runner::Container,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorArg {
    Auto,
    Always,
    Never,
}

impl From<ColorArg> for Color {
    fn from(c: ColorArg) -> Color {
        match c {
            ColorArg::Auto => Color::Auto,
            ColorArg::Always => Color::Always,
            ColorArg::Never => Color::Never,
        }
    }
}

#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// Files or directories to lint (default: the whole root).
    pub(crate) paths: Vec<PathBuf>,
    /// Report format (default: console).
    #[arg(short, long, value_enum)]
    pub(crate) format: Option<ReportFormat>,
    /// Write the report to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Also write a SARIF report to this file (the console report still goes to stdout).
    #[arg(long, value_name = "FILE")]
    pub(crate) sarif: Option<PathBuf>,
    #[arg(long = "report", value_name = "FORMAT[=PATH]", value_parser = parse_report, help = report_help())]
    pub(crate) reports: Vec<ReportTarget>,
    /// Run only these linters (comma-separated).
    #[arg(short, long, value_delimiter = ',', value_name = "NAMES")]
    pub(crate) linters: Option<Vec<String>>,
    /// How many linter processes run at once (default: the number of CPUs).
    #[arg(short, long, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// Lowest finding level that makes the exit code 1 (default: warning, or fail_on in lintmux.toml).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub(crate) fail_on: Option<LevelArg>,
    /// Where tools come from when the project has none of its own (default: pinned, or `tools` in
    /// lintmux.toml).
    #[arg(long, value_enum)]
    pub(crate) tools: Option<ToolsArg>,
    /// Never install a missing tool; report it as an error instead.
    #[arg(long)]
    pub(crate) no_install: bool,
    /// When to colour the console report (NO_COLOR is honoured in auto).
    #[arg(long, value_enum, default_value = "auto")]
    pub(crate) color: ColorArg,
    /// Do not use the result cache (every linter runs).
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// Only files changed since the merge base with REF (default: the upstream, origin/HEAD, main or
    /// master), plus uncommitted and untracked files.
    #[arg(long, value_name = "REF", num_args = 0..=1, default_missing_value = "")]
    pub(crate) changed: Option<String>,
    /// Only findings on lines added or modified since the merge base with REF (default as --changed).
    #[arg(long, value_name = "REF", num_args = 0..=1, default_missing_value = "")]
    pub(crate) new_only: Option<String>,
    /// Drop findings already present in this SARIF report.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Where linters run: `container` runs every linter that has an image in it; `local` runs all here
    /// (default: each linter's `runner` in lintmux.toml).
    #[arg(long, value_enum)]
    pub(crate) runner: Option<RunnerArg>,
    /// Run share K of N (e.g. 2/4): files split by a stable hash of their path; whole-project linters
    /// run on shard 1.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub(crate) shard: Option<(u32, u32)>,
    /// First apply the fixes the linters call safe (ruff, eslint, markdownlint-cli2) and format with the
    /// enabled formatters, in place; then report what remains.
    #[arg(long, conflicts_with = "shard")]
    pub(crate) fix: bool,
    /// With --fix: apply the fixes the linters call unsafe too.
    #[arg(long, requires = "fix")]
    pub(crate) unsafe_fixes: bool,
    #[command(flatten)]
    pub(crate) remote: RemoteCacheArgs,
}

#[derive(Args, Debug, Default)]
pub(crate) struct RemoteCacheArgs {
    /// A result cache shared between machines: s3://BUCKET/PREFIX, http(s)://HOST/PATH,
    /// redis://HOST:PORT/DB, gha, or off (default: [cache] remote in lintmux.toml).
    #[arg(long, value_name = "URL", env = "LINTMUX_REMOTE_CACHE", hide_env_values = true)]
    pub(crate) remote_cache: Option<String>,
    /// Write fresh results to the remote cache too (default: read only, or [cache] remote_write); never
    /// below trust all.
    #[arg(long, env = "LINTMUX_REMOTE_CACHE_WRITE")]
    pub(crate) remote_cache_write: bool,
}

impl From<RemoteCacheArgs> for RemoteArgs {
    fn from(a: RemoteCacheArgs) -> RemoteArgs {
        RemoteArgs {
            url: a.remote_cache,
            write: a.remote_cache_write,
        }
    }
}

#[derive(Args, Debug)]
pub(crate) struct FmtArgs {
    /// Files or directories to format (all their files, changed or not).
    pub(crate) paths: Vec<PathBuf>,
    /// Rewrite nothing: print a unified diff of each file that would change, and exit 1 if one would.
    #[arg(long)]
    pub(crate) check: bool,
    /// Only files changed since the merge base with REF (default: the upstream, origin/HEAD, main or
    /// master), plus uncommitted and untracked files. This is the default in a git repository.
    #[arg(long, value_name = "REF", num_args = 0..=1, default_missing_value = "", conflicts_with = "all")]
    pub(crate) changed: Option<String>,
    /// Every file, also in a git repository.
    #[arg(long)]
    pub(crate) all: bool,
    /// Run only these formatters (comma-separated); named, a formatter runs even where the repository
    /// has no config for it.
    #[arg(short, long, value_delimiter = ',', value_name = "NAMES")]
    pub(crate) linters: Option<Vec<String>>,
    /// How many formatter processes run at once (default: the number of CPUs).
    #[arg(short, long, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// Where tools come from when the project has none of its own.
    #[arg(long, value_enum)]
    pub(crate) tools: Option<ToolsArg>,
    /// Never install a missing tool; report it as an error instead.
    #[arg(long)]
    pub(crate) no_install: bool,
    /// Do not use the result cache.
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// When to colour the diffs (NO_COLOR is honoured in auto).
    #[arg(long, value_enum, default_value = "auto")]
    pub(crate) color: ColorArg,
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

/// `--changed` or `--new-only` as given: `Some("")` (the flag without a value) is the default base.
fn base(v: Option<String>) -> Option<Base> {
    v.map(|r| if r.is_empty() { Base::Default } else { Base::Named(r) })
}

fn installs(no_install: bool) -> Installs {
    if no_install {
        Installs::Never
    } else {
        Installs::OnDemand
    }
}

fn caching(no_cache: bool) -> Caching {
    if no_cache { Caching::Off } else { Caching::On }
}

#[derive(Args, Debug)]
pub(crate) struct DetectArgs {
    pub(crate) paths: Vec<PathBuf>,
    /// List each file with its type and the reason.
    #[arg(long)]
    pub(crate) files: bool,
}

#[derive(Args, Debug)]
pub(crate) struct LintersArgs {
    /// Where tools come from when the project has none of its own (default: pinned, or `tools` in
    /// lintmux.toml).
    #[arg(long, value_enum)]
    pub(crate) tools: Option<ToolsArg>,
}

#[derive(Args, Debug)]
pub(crate) struct InstallArgs {
    /// Linters to install (default: every linter enabled for this repository).
    pub(crate) linters: Vec<String>,
    /// Install every linter in the catalog.
    #[arg(long)]
    pub(crate) all: bool,
}

impl Opts {
    /// The command line as the plain values the commands take.
    pub(crate) fn invocation(self) -> Invocation {
        let command = match self.command {
            Cmd::Check(a) => Command::Check(a.into()),
            Cmd::Fmt(a) => Command::Fmt(a.into()),
            Cmd::Detect(a) => Command::Detect(DetectCommand {
                paths: a.paths,
                listing: if a.files { Listing::Files } else { Listing::Types },
            }),
            Cmd::Linters(a) => Command::Linters(LintersCommand {
                tools: a.tools.map(Into::into),
            }),
            Cmd::Install(a) => Command::Install(InstallCommand {
                which: match (a.all, a.linters.is_empty()) {
                    (true, _) => InstallWhich::All,
                    (false, true) => InstallWhich::Enabled,
                    (false, false) => InstallWhich::Named(a.linters),
                },
            }),
            Cmd::Config => Command::Config,
            Cmd::Cache(CacheCmd::Status { remote, args }) => Command::Cache(CacheCommand::Status {
                remote: remote.then(|| args.into()),
            }),
            Cmd::Cache(CacheCmd::Clean { all }) => {
                Command::Cache(CacheCommand::Clean(if all { Clean::All } else { Clean::KeepTools }))
            }
            Cmd::Merge(a) => Command::Merge(MergeCommand {
                files: a.files,
                output: a.output,
                partial: if a.allow_partial {
                    Partial::Allowed
                } else {
                    Partial::Refused
                },
                reports: a.reports,
            }),
            Cmd::Hook(HookCmd::Install { force }) => Command::Hook(HookCommand::Install(if force {
                HookExisting::Replace
            } else {
                HookExisting::Keep
            })),
            Cmd::Hook(HookCmd::Uninstall) => Command::Hook(HookCommand::Uninstall),
            Cmd::Hook(HookCmd::Run { remote, .. }) => Command::Hook(HookCommand::Run { remote }),
            Cmd::Lsp => Command::Lsp,
            Cmd::Init(a) => Command::Init(InitCommand {
                existing: if a.force {
                    InitExisting::Replace
                } else {
                    InitExisting::Keep
                },
            }),
        };
        Invocation {
            globals: Globals {
                root: self.root,
                config: self.config,
                trust: self.trust.map(Into::into),
            },
            command,
        }
    }
}

impl From<CheckArgs> for CheckCommand {
    fn from(a: CheckArgs) -> CheckCommand {
        CheckCommand {
            paths: a.paths,
            format: a.format,
            output: a.output,
            sarif: a.sarif,
            reports: a.reports,
            linters: a.linters,
            jobs: a.jobs,
            fail_on: a.fail_on.map(Into::into),
            tools: a.tools.map(Into::into),
            installs: installs(a.no_install),
            color: a.color.into(),
            caching: caching(a.no_cache),
            changed: base(a.changed),
            new_only: base(a.new_only),
            baseline: a.baseline,
            runner: a.runner.map(Into::into),
            shard: a.shard.map(|(index, count)| Shard { index, count }),
            fix: match (a.fix, a.unsafe_fixes) {
                (false, _) => None,
                (true, false) => Some(Fixes::Safe),
                (true, true) => Some(Fixes::AlsoUnsafe),
            },
            remote: a.remote.into(),
        }
    }
}

impl From<FmtArgs> for FmtCommand {
    fn from(a: FmtArgs) -> FmtCommand {
        FmtCommand {
            paths: a.paths,
            action: if a.check { FmtAction::Check } else { FmtAction::Write },
            files: match (a.all, base(a.changed)) {
                (true, _) => FmtFiles::All,
                (false, Some(Base::Named(r))) => FmtFiles::ChangedSince(Base::Named(r)),
                (false, Some(Base::Default)) => FmtFiles::ChangedSince(Base::Default),
                (false, None) => FmtFiles::Changed,
            },
            linters: a.linters,
            jobs: a.jobs,
            tools: a.tools.map(Into::into),
            installs: installs(a.no_install),
            caching: caching(a.no_cache),
            color: a.color.into(),
        }
    }
}
