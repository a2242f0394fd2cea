//! Process groups: every child lintmux starts is the leader of its own group, so a signal to the group
//! reaches whatever it started, and it dies with lintmux (Linux's parent-death signal). Shared by the
//! runner (the parent side) and the supervisor (which runs a linter under it).

use std::os::unix::process::CommandExt;
use std::process::Command;

/// Makes the child die when its parent dies, even by SIGKILL (Linux's parent-death signal).
pub(crate) fn die_with_parent(cmd: &mut Command) -> &mut Command {
    // SAFETY: prctl(2) is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    }
}

pub(crate) fn signal_group(pgid: u32, signal: i32) {
    if let Ok(pgid) = libc::pid_t::try_from(pgid) {
        // SAFETY: kill(2) with a negative pid signals the process group; no memory is touched.
        unsafe {
            libc::kill(-pgid, signal);
        }
    }
}

pub(crate) fn signal_pid(pid: u32, signal: i32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) touches no memory.
        unsafe {
            libc::kill(pid, signal);
        }
    }
}
