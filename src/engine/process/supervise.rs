//! `lintmux __supervise GRACE_MS PROGRAM ARGS…`: the supervisor every linter runs under. It makes itself a
//! child subreaper (`PR_SET_CHILD_SUBREAPER`), so every descendant of the tool that is orphaned — a daemon
//! that called `setsid`, a grandchild whose parent exited — is re-parented to it instead of to init. When
//! the tool exits, or when lintmux asks it to stop (SIGTERM: it passes SIGTERM to the tool's group, waits
//! the grace period, then SIGKILLs it), it kills every descendant that is left and reaps them, and only
//! then exits, with the tool's exit code (or by the tool's signal). So no process of a job outlives it, and
//! nothing is left holding the job's output pipes.
//!
//! It is lintmux's own executable started again, so it costs one exec and needs no privileges.

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::group::{die_with_parent, signal_group};

/// The first argument that makes lintmux a supervisor.
pub const ARG: &str = "__supervise";

/// The supervisor's exit code when a process the tool left behind still held its output open: the output
/// may be incomplete, whatever the tool's own exit code was.
pub(crate) const OUTPUT_HELD: i32 = 197;

/// The pipe inodes of our stdout and stderr, as `/proc/<pid>/fd` links name them (`pipe:[123]`).
fn output_pipes() -> Vec<String> {
    [1, 2]
        .iter()
        .filter_map(|fd| std::fs::read_link(format!("/proc/self/fd/{fd}")).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p.starts_with("pipe:"))
        .collect()
}

/// Does process `pid` hold one of `pipes`?
fn holds(pid: i32, pipes: &[String]) -> bool {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    dir.filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .any(|link| pipes.iter().any(|p| link.as_os_str() == p.as_str()))
}

/// The pids of the processes whose `/proc/<pid>/stat` field `field` (after the command name: 1 is the
/// parent, 2 the process group) is `value`.
fn processes_where(field: usize, value: i32) -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let e = e.ok()?;
        let pid: i32 = e.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
        // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses, so read after the last ')'.
        let rest = &stat[stat.rfind(')')? + 1..];
        let found: i32 = rest.split_whitespace().nth(field)?.parse().ok()?;
        (found == value).then_some(pid)
    })
    .collect()
}

fn children_of(parent: i32) -> Vec<i32> {
    processes_where(1, parent)
}

fn children_of_group(pgid: i32) -> Vec<i32> {
    processes_where(2, pgid)
}

/// Kills and reaps every remaining descendant: each orphan comes to us, so repeat until none is left.
/// Returns whether one of them held `pipes` (the job's output).
fn kill_descendants(pipes: &[String]) -> bool {
    // SAFETY: getpid cannot fail.
    let me = unsafe { libc::getpid() };
    let mut held = false;
    loop {
        for pid in children_of(me) {
            held |= holds(pid, pipes);
            // SAFETY: kill(2) touches no memory.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
        let mut status = 0;
        // SAFETY: waitpid(2) writes only to `status`.
        let reaped = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if reaped < 0 {
            // ECHILD: no child left, alive or zombie.
            return held;
        }
        if reaped == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// Runs the supervisor; returns only when the tool could not be started (the exit code).
pub fn main(args: &[std::ffi::OsString]) -> i32 {
    let (Some(grace), Some(program)) = (args.first(), args.get(1)) else {
        eprintln!("lintmux: usage: lintmux {ARG} GRACE_MS PROGRAM [ARGS…] (internal)");
        return 2;
    };
    let grace = Duration::from_millis(grace.to_str().and_then(|g| g.parse().ok()).unwrap_or(2000));
    let pipes = output_pipes();
    // SAFETY: prctl(2) with integer arguments.
    unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }
    let mut cmd = Command::new(program);
    let mut child = match die_with_parent(&mut cmd).args(&args[2..]).process_group(0).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lintmux: cannot start {}: {e}", program.to_string_lossy());
            // 127: what a shell says for a command it cannot run; lintmux reads the message.
            return 127;
        }
    };
    let pgid = child.id();
    let mut term_sent: Option<Instant> = None;
    // Short waits first: most tools a formatter starts per file end within milliseconds.
    let mut waits = 0u32;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(_) => break None,
        }
        if stop.load(Ordering::SeqCst) {
            match term_sent {
                None => {
                    signal_group(pgid, libc::SIGTERM);
                    term_sent = Some(Instant::now());
                }
                Some(at) if at.elapsed() >= grace => signal_group(pgid, libc::SIGKILL),
                Some(_) => {}
            }
        }
        waits += 1;
        std::thread::sleep(Duration::from_millis(5).min(Duration::from_micros(100u64 << waits.min(6))));
    };
    // What is left in the tool's group, then what left the group (setsid): a process that still holds the
    // output could have had more to say, so that is reported.
    let mut held = children_of_group(pgid as i32).iter().any(|&pid| holds(pid, &pipes));
    signal_group(pgid, libc::SIGKILL);
    held |= kill_descendants(&pipes);
    if held && term_sent.is_none() {
        return OUTPUT_HELD;
    }
    match status {
        Some(s) if s.code().is_some() => s.code().unwrap_or(1),
        Some(s) => {
            let sig = s.signal().unwrap_or(libc::SIGKILL);
            // Die of the same signal, without a core file, so lintmux sees what the tool saw.
            // SAFETY: setrlimit/signal/kill with plain values.
            unsafe {
                let none = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                libc::setrlimit(libc::RLIMIT_CORE, &none);
                libc::signal(sig, libc::SIG_DFL);
                libc::kill(libc::getpid(), sig);
            }
            128 + sig
        }
        None => 1,
    }
}
