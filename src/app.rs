//! One function per subcommand: open the workspace, run the stages, hand the result to a reporter, and
//! decide the exit code. Progress bars live here too (indicatif, only when stderr is a terminal), so the
//! pipeline itself never draws anything.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::check::{self, CheckOptions, Progress, Workspace};
use crate::cli::{CheckArgs, Cmd, ColorArg, DetectArgs, Format, InitArgs, InstallArgs, LintersArgs, Opts};
use crate::finding::Level;
use crate::install;
use crate::report::{self, ConsoleOptions, Report};
use crate::run::{self, ToolsMode};

/// lintmux's exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum ExitCode {
    /// No finding at or above the fail level.
    Clean = 0,
    /// Findings at or above the fail level.
    Findings = 1,
    /// A tool error or a usage error (findings of the other linters are still reported).
    Error = 2,
    /// Interrupted by Ctrl-C.
    Interrupted = 130,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    match &opts.command {
        Cmd::Check(args) => cmd_check(&opts, args, &cwd),
        Cmd::Detect(args) => cmd_detect(&opts, args, &cwd),
        Cmd::Linters(args) => cmd_linters(&opts, args, &cwd),
        Cmd::Install(args) => cmd_install(&opts, args, &cwd),
        Cmd::Config => {
            let ws = open(&opts, &cwd, &[])?;
            let mut out = std::io::stdout().lock();
            crate::config::write_effective(&ws.config, &mut out)?;
            Ok(ExitCode::Clean)
        }
        Cmd::Init(args) => cmd_init(&opts, args, &cwd),
        Cmd::Cache(cmd) => cmd_cache(cmd),
        Cmd::Merge(args) => {
            let merged = crate::merge::merge_files(&args.files)?;
            write_to(args.output.as_deref(), |out| {
                serde_json::to_writer_pretty(&mut *out, &merged)?;
                writeln!(out)
            })?;
            Ok(ExitCode::Clean)
        }
        Cmd::Hook(cmd) => {
            let ws = open(&opts, &cwd, &[])?;
            let message = match cmd {
                crate::cli::HookCmd::Install { force } => crate::hook::install(&ws.root, *force)?,
                crate::cli::HookCmd::Uninstall => crate::hook::uninstall(&ws.root)?,
            };
            eprintln!("lintmux: {message}");
            Ok(ExitCode::Clean)
        }
    }
}

fn open(opts: &Opts, cwd: &Path, paths: &[PathBuf]) -> anyhow::Result<Workspace> {
    Ok(Workspace::open(
        cwd,
        opts.root.as_deref(),
        paths,
        opts.config.as_deref(),
    )?)
}

/// `--tools`, else `tools` in lintmux.toml, else the pinned installs.
fn tools_mode(arg: Option<crate::cli::ToolsArg>, ws: &Workspace) -> ToolsMode {
    arg.map_or(ws.config.tools.value, ToolsMode::from)
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// Progress on a terminal: a spinner per install, then one bar over all jobs.
struct Bars {
    multi: MultiProgress,
    installs: Mutex<Vec<(String, ProgressBar)>>,
    jobs: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            multi: MultiProgress::new(),
            installs: Mutex::new(Vec::new()),
            jobs: Mutex::new(None),
        }
    }
}

impl Progress for Bars {
    fn installing(&self, linter: &str) {
        let bar = self.multi.add(ProgressBar::new_spinner());
        bar.set_message(format!("installing {linter}"));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        self.installs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((linter.to_owned(), bar));
    }
    fn installed(&self, linter: &str) {
        let bars = self.installs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, bar)) = bars.iter().find(|(l, _)| l == linter) {
            bar.finish_and_clear();
        }
    }
    fn jobs(&self, total: usize) {
        let bar = self.multi.add(ProgressBar::new(total as u64));
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} jobs {msg}") {
            bar.set_style(style);
        }
        *self.jobs.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
    }
    fn job_done(&self, linter: &str) {
        if let Some(bar) = &*self.jobs.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.set_message(linter.to_owned());
            bar.inc(1);
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        if let Some(bar) = &*self.jobs.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.finish_and_clear();
        }
    }
}

/// Bars on a terminal, plain lines elsewhere (nothing decorative in CI logs).
fn progress() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bars::new())
    } else {
        Box::new(Plain)
    }
}

/// Without a terminal: one plain line per install, since an install can take a while.
struct Plain;
impl Progress for Plain {
    fn installing(&self, linter: &str) {
        eprintln!("lintmux: installing {linter} (once; it is cached)");
    }
}

fn write_to(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    match path {
        Some(path) => {
            let mut buf = Vec::new();
            write(&mut buf)?;
            std::fs::write(path, buf).with_context(|| format!("failed to write {}", path.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            write(&mut lock)?;
            lock.flush()?;
        }
    }
    Ok(())
}

fn exit_code(report: &Report, fail_on: Option<Level>) -> ExitCode {
    if run::CANCELLED.load(std::sync::atomic::Ordering::SeqCst) {
        return ExitCode::Interrupted;
    }
    if !report.tool_errors.is_empty() {
        return ExitCode::Error;
    }
    match fail_on {
        Some(level) if report.findings.iter().any(|f| f.level >= level) => ExitCode::Findings,
        _ => ExitCode::Clean,
    }
}

fn cmd_check(opts: &Opts, args: &CheckArgs, cwd: &Path) -> anyhow::Result<ExitCode> {
    let ws = open(opts, cwd, &args.paths)?;
    run::install_interrupt_handler();
    let jobs = args
        .jobs
        .or(ws.config.jobs.as_ref().map(|j| j.value))
        .unwrap_or_else(default_jobs);
    let check_opts = CheckOptions {
        paths: args.paths.clone(),
        linters: args.linters.clone(),
        jobs,
        tools: tools_mode(args.tools, &ws),
        install: !args.no_install,
        cache: !args.no_cache,
        changed: crate::cli::optional_ref(&args.changed),
        new_only: crate::cli::optional_ref(&args.new_only),
        baseline: args.baseline.clone(),
        shard: args.shard.map(|(index, count)| check::Shard { index, count }),
        runner: args.runner.map(|r| match r {
            crate::cli::RunnerArg::Local => crate::config::Runner::Local,
            crate::cli::RunnerArg::Container => crate::config::Runner::Container,
        }),
    };
    let report = check::check(&ws, cwd, &check_opts, progress().as_ref())?;
    let fail_on = match args.fail_on {
        Some(arg) => arg.level(),
        None => Some(ws.config.fail_on.value),
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let console = ConsoleOptions {
        color,
        times: std::env::var_os("LINTMUX_NO_TIMES").is_none(),
    };
    write_to(args.output.as_deref(), |out| match args.format {
        Format::Console => report::write_console(&report, &console, out),
        Format::Sarif => report::write_sarif(&report, out),
        Format::Json => report::write_json(&report, out),
    })?;
    if let Some(path) = &args.sarif {
        write_to(Some(path), |out| report::write_sarif(&report, out))?;
    }
    Ok(exit_code(&report, fail_on))
}

fn cmd_detect(opts: &Opts, args: &DetectArgs, cwd: &Path) -> anyhow::Result<ExitCode> {
    let ws = open(opts, cwd, &args.paths)?;
    let walked = ws.walk(cwd, &args.paths, default_jobs())?;
    let mut out = std::io::stdout().lock();
    if args.files {
        for t in &walked.targets {
            writeln!(out, "{}\t{}\t{}", t.path, t.file_type, t.reason)?;
        }
        for (path, why) in &walked.skipped {
            let why = match why {
                crate::walk::SkipReason::Binary => "skipped: binary",
                crate::walk::SkipReason::TooLarge => "skipped: larger than the size cap",
            };
            writeln!(out, "{path}\t-\t{why}")?;
        }
        return Ok(ExitCode::Clean);
    }
    writeln!(out, "root: {}", ws.root.display())?;
    for (ty, n) in walked.type_counts() {
        let linters = ws.catalog.linters_for(ty);
        writeln!(out, "{ty:<12} {n:>5} files  linted by {}", linters.join(", "))?;
    }
    let binary = walked.skipped_count(crate::walk::SkipReason::Binary);
    let large = walked.skipped_count(crate::walk::SkipReason::TooLarge);
    writeln!(out, "skipped: {binary} binary, {large} too large")?;
    Ok(ExitCode::Clean)
}

fn cmd_linters(opts: &Opts, args: &LintersArgs, cwd: &Path) -> anyhow::Result<ExitCode> {
    let ws = open(opts, cwd, &[])?;
    let mode = tools_mode(args.tools, &ws);
    let engine = run::detect_engine();
    let mut out = std::io::stdout().lock();
    match &engine {
        Ok(e) => writeln!(out, "container engine: {} ({})\n", e.name(), e.program.display())?,
        Err(why) => writeln!(out, "container engine: none ({why})\n")?,
    }
    for def in ws.catalog.linters.values() {
        let settings = ws.config.linter(&def.name);
        writeln!(out, "{}  ({})", def.name, def.file_types.join(", "))?;
        writeln!(out, "    pinned:  {}  [{}]", def.version.pin, def.source)?;
        match run::resolve_local(def, def.binary(), &ws.root, &ws.cache, mode) {
            Ok(resolved) => {
                let version =
                    crate::prepare::read_version(def, &resolved, &ws.root).unwrap_or_else(|| "unknown".into());
                let warn = if version == def.version.pin {
                    String::new()
                } else {
                    format!("  (differs from the pin {})", def.version.pin)
                };
                writeln!(
                    out,
                    "    binary:  {} ({}), version {version}{warn}",
                    resolved.program.display(),
                    resolved.source.as_str()
                )?;
            }
            Err(why) => writeln!(out, "    binary:  none: {why}")?,
        }
        if let Some(image) = ws.image_for(def) {
            let state = match &engine {
                Ok(e) if run::present(e, &image) => "present locally",
                Ok(_) => "not present locally; pulled on first use",
                Err(_) => "no engine to run it",
            };
            let runner = match (&engine, settings.runner.value.as_str()) {
                (Ok(e), "container") => format!("container, in {}", e.name()),
                (_, runner) => runner.to_owned(),
            };
            writeln!(out, "    image:   {image} ({state}); runner {runner}")?;
        }
    }
    Ok(ExitCode::Clean)
}

fn cmd_install(opts: &Opts, args: &InstallArgs, cwd: &Path) -> anyhow::Result<ExitCode> {
    let ws = open(opts, cwd, &[])?;
    let defs: Vec<&crate::catalog::LinterDef> = if args.all {
        ws.catalog.linters.values().collect()
    } else if args.linters.is_empty() {
        let walked = ws.walk(cwd, &[], default_jobs())?;
        ws.select(None, &walked)?
    } else {
        ws.select(Some(&args.linters), &crate::walk::Walked::default())?
    };
    let progress = progress();
    let results = run::run_pool(
        &defs,
        defs.len().max(1),
        |def| {
            let installed = install::ToolInstall::for_def(&ws.cache, def).is_some_and(|i| i.is_installed());
            if !installed {
                progress.installing(&def.name);
            }
            let result = install::ensure_installed(&ws.cache, def);
            progress.installed(&def.name);
            result
        },
        |_, _| {},
    );
    let mut failed = false;
    for (def, result) in defs.iter().zip(results) {
        match result {
            Ok(install::Installed::Now) => eprintln!("lintmux: installed {} {}", def.name, def.version.pin),
            Ok(install::Installed::AlreadyThere) => {
                eprintln!("lintmux: {} {} already installed", def.name, def.version.pin)
            }
            Err(e) => {
                failed = true;
                eprintln!("lintmux: {e}");
            }
        }
    }
    Ok(if failed { ExitCode::Error } else { ExitCode::Clean })
}

fn cmd_init(opts: &Opts, args: &InitArgs, cwd: &Path) -> anyhow::Result<ExitCode> {
    let ws = open(opts, cwd, &[])?;
    let path = ws.root.join("lintmux.toml");
    if let Some(existing) = crate::config::find(&ws.root).filter(|_| !args.force) {
        anyhow::bail!(
            "{} already exists; edit it, or run `lintmux init --force` to replace it",
            existing.display()
        );
    }
    let walked = ws.walk(cwd, &[], default_jobs())?;
    let text = crate::init::template(&ws, &walked);
    std::fs::write(&path, text).with_context(|| format!("failed to write {}", path.display()))?;
    eprintln!("lintmux: wrote {}", path.display());
    Ok(ExitCode::Clean)
}

fn cmd_cache(cmd: &crate::cli::CacheCmd) -> anyhow::Result<ExitCode> {
    let dir = install::cache_dir();
    let parts = ["results", "scratch", "versions", "extends", "tools"];
    let part_dir = |part: &str| {
        if part == "tools" {
            install::tools_dir(&dir)
        } else {
            dir.join(part)
        }
    };
    match cmd {
        crate::cli::CacheCmd::Status => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "cache: {}", dir.display())?;
            for part in parts {
                let u = crate::cache::usage(&part_dir(part));
                writeln!(
                    out,
                    "{part:<9} {:>7} files {:>10.1} MiB",
                    u.entries,
                    u.bytes as f64 / 1048576.0
                )?;
            }
        }
        crate::cli::CacheCmd::Clean { all } => {
            for part in parts.iter().filter(|p| *all || **p != "tools") {
                let path = part_dir(part);
                if path.exists() {
                    std::fs::remove_dir_all(&path).with_context(|| format!("failed to remove {}", path.display()))?;
                }
            }
            eprintln!(
                "lintmux: cleaned {}{}",
                dir.display(),
                if *all {
                    ""
                } else {
                    " (installed tools kept; --all removes them too)"
                }
            );
        }
    }
    Ok(ExitCode::Clean)
}
