//! A command line as plain values ([`Invocation`]; `cli.rs` makes one from clap's parse), and [`run`], the
//! one place that dispatches to a subcommand. Each command makes its own cancellation token, which Ctrl-C
//! and SIGTERM set while it runs.

use anyhow::Context;

use super::context::{Cx, Globals};
use super::exit::ExitCode;
use super::{cache, check, detect, fmt, hook, init, install, linters, merge};
use crate::engine::{CancelToken, InterruptGuard};

/// What was asked on the command line.
pub(crate) struct Invocation {
    pub(crate) globals: Globals,
    pub(crate) command: Command,
}

pub(crate) enum Command {
    Check(check::CheckCommand),
    Fmt(fmt::FmtCommand),
    Detect(detect::DetectCommand),
    Linters(linters::LintersCommand),
    Install(install::InstallCommand),
    Config,
    Cache(cache::CacheCommand),
    Merge(merge::MergeCommand),
    Hook(hook::HookCommand),
    Init(init::InitCommand),
    Lsp,
}

/// Runs the command; an error is printed once by the caller. Interrupted, it exits 130 whatever the
/// command was doing (a partial report is already written).
pub(crate) fn run(inv: Invocation) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let cancel = CancelToken::new();
    let _guard = InterruptGuard::new(&cancel);
    let cx = Cx {
        globals: &inv.globals,
        cwd: &cwd,
        cancel: &cancel,
    };
    let result = dispatch(&cx, &inv.command);
    if cancel.is_cancelled() {
        if let Err(err) = &result {
            eprintln!("lintmux: {err:#}");
        }
        return Ok(ExitCode::Interrupted);
    }
    result
}

fn dispatch(cx: &Cx, command: &Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check(c) => check::run(cx, c),
        Command::Fmt(c) => fmt::run(cx, c),
        Command::Detect(c) => detect::run(cx, c),
        Command::Linters(c) => linters::run(cx, c),
        Command::Install(c) => install::run(cx, c),
        Command::Config => super::config::run(cx),
        Command::Cache(c) => cache::run(cx, c),
        Command::Merge(c) => merge::run(cx, c),
        Command::Hook(c) => hook::run(cx, c),
        Command::Init(c) => init::run(cx, c),
        Command::Lsp => super::lsp::run(cx),
    }
}
