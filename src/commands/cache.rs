//! `lintmux cache status` and `lintmux cache clean`: where lintmux's cache is and what it holds (results,
//! each file's findings, hash memos, scratch directories, versions, costs, extends checkouts, pre-push
//! exports, an editor's unsaved buffers, tools), and
//! removing it (the installed tools only with `--all`).

use std::io::Write;

use anyhow::Context;

use super::exit::ExitCode;
use crate::engine::{cache_dir, cache_usage, tools_dir};

/// `lintmux cache`, as the command line asked.
pub(crate) enum CacheCommand {
    Status,
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

pub(crate) fn run(cmd: &CacheCommand) -> anyhow::Result<ExitCode> {
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
        CacheCommand::Status => {
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
