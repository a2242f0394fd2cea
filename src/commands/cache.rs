//! `lintmux cache status` and `lintmux cache clean`: where lintmux's cache is and what it holds (results,
//! each file's findings, hash memos, scratch directories, versions, costs, extends checkouts, pre-push
//! exports, an editor's unsaved buffers, tools), and
//! removing it (the installed tools only with `--all`).

use std::io::Write;

use anyhow::Context;

use super::context::Cx;
use super::exit::ExitCode;
use super::remote::{self, RemoteArgs};
use crate::engine::{cache_dir, cache_usage, tools_dir};

/// `lintmux cache`, as the command line asked.
pub(crate) enum CacheCommand {
    /// With the remote options: its connection and permissions checked too.
    Status {
        remote: Option<RemoteArgs>,
    },
    Clean(Clean),
}

/// What `cache clean` removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Clean {
    /// Everything but the installed tools.
    KeepTools,
    /// The installed tools too (`--all`).
    All,
}

pub(crate) fn run(cx: &Cx, cmd: &CacheCommand) -> anyhow::Result<ExitCode> {
    let dir = cache_dir();
    let parts = [
        "results", "files", "hashes", "scratch", "versions", "costs", "extends", "pushes", "buffers", "tools",
    ];
    let part_dir = |part: &str| {
        if part == "tools" {
            tools_dir(&dir)
        } else {
            dir.join(part)
        }
    };
    match cmd {
        CacheCommand::Status { remote } => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "cache: {}", dir.display())?;
            for part in parts {
                let u = cache_usage(&part_dir(part));
                writeln!(
                    out,
                    "{part:<9} {:>7} files {:>10.1} MiB",
                    u.entries,
                    u.bytes as f64 / 1048576.0
                )?;
            }
            if let Some(args) = remote {
                return remote_status(cx, args, &mut out);
            }
        }
        CacheCommand::Clean(what) => {
            for part in parts.iter().filter(|p| *what == Clean::All || **p != "tools") {
                let path = part_dir(part);
                if path.exists() {
                    std::fs::remove_dir_all(&path).with_context(|| format!("failed to remove {}", path.display()))?;
                }
            }
            eprintln!(
                "lintmux: cleaned {}{}",
                dir.display(),
                if *what == Clean::All {
                    ""
                } else {
                    " (installed tools kept; --all removes them too)"
                }
            );
        }
    }
    Ok(ExitCode::Clean)
}

/// `cache status --remote`: a read of an entry that is not there and, with writes on, a write, a read
/// back and a removal; each line says how it went. Exit 1 when one failed.
fn remote_status(cx: &Cx, args: &RemoteArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&[])?;
    let Some(spec) = remote::spec(&ws, args)? else {
        writeln!(
            out,
            "remote: none (set [cache] remote in lintmux.toml, --remote-cache or LINTMUX_REMOTE_CACHE)"
        )?;
        return Ok(ExitCode::Findings);
    };
    let probe = crate::engine::probe(&spec);
    let signing = if spec.secret.is_some() {
        "entries signed and verified with LINTMUX_REMOTE_CACHE_KEY"
    } else {
        "entries not signed: LINTMUX_REMOTE_CACHE_KEY is not set"
    };
    writeln!(out, "remote: {} ({signing})", probe.url)?;
    let mut failed = false;
    for (what, result) in &probe.checks {
        match result {
            Ok(took) => writeln!(out, "  {what:<9} ok ({:.0} ms)", took.as_secs_f64() * 1000.0)?,
            Err(why) => {
                failed = true;
                writeln!(out, "  {what:<9} failed: {why}")?;
            }
        }
    }
    if spec.writes == crate::engine::Writes::Off {
        writeln!(
            out,
            "  write     not checked: writes are off (--remote-cache-write or [cache] remote_write)"
        )?;
    }
    Ok(if failed { ExitCode::Findings } else { ExitCode::Clean })
}
