//! One child process, run the way every linter is run: argv only (never a shell), stdin closed, stdout
//! and stderr captured, in its own process group so that a timeout or Ctrl-C can stop the tool *and*
//! everything it started (SIGTERM to the group, a grace period, then SIGKILL). When the tool exits, the
//! group is killed too, so no stray grandchild outlives the run or holds its pipes open.

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Set by the SIGINT/SIGTERM handler; every running process watches it.
pub static CANCELLED: AtomicBool = AtomicBool::new(false);

/// Routes Ctrl-C (and SIGTERM) into [`CANCELLED`] instead of killing lintmux outright, so running
/// linters are stopped cleanly and the partial report is still written.
pub fn install_interrupt_handler() {
    let flag = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&flag));
    }
    std::thread::spawn(move || {
        loop {
            if flag.load(Ordering::Relaxed) {
                CANCELLED.store(true, Ordering::SeqCst);
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
}

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    /// Killed after running past this limit.
    Timeout(Duration),
    /// Killed because lintmux was interrupted.
    Cancelled,
}

#[derive(Clone, Debug)]
pub struct JobOutput {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: Exit,
    pub duration: Duration,
}

#[derive(Clone, Debug)]
pub struct ProcessSpec {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub cwd: PathBuf,
    /// The complete environment: the child inherits nothing else.
    pub env: Vec<(String, String)>,
    pub timeout: Duration,
}

/// Makes the child die when lintmux dies, even by SIGKILL (Linux's parent-death signal), so no linter
/// or installer keeps working on after lintmux is gone.
pub fn die_with_parent(cmd: &mut Command) -> &mut Command {
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

/// How long a process gets between SIGTERM and SIGKILL.
const GRACE: Duration = Duration::from_secs(2);

fn kill_group(pgid: u32, signal: i32) {
    if let Ok(pgid) = libc::pid_t::try_from(pgid) {
        // SAFETY: kill(2) with a negative pid signals the process group; no memory is touched.
        unsafe {
            libc::kill(-pgid, signal);
        }
    }
}

fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}

pub fn run_process(spec: &ProcessSpec) -> std::io::Result<JobOutput> {
    let start = Instant::now();
    let mut cmd = Command::new(&spec.program);
    let mut child = die_with_parent(&mut cmd)
        .args(&spec.args)
        .current_dir(&spec.cwd)
        .env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()?;
    let pid = child.id();
    let out = child.stdout.take().map(reader);
    let err = child.stderr.take().map(reader);
    let deadline = start + spec.timeout;
    let mut pause = Duration::from_millis(1);
    let mut forced: Option<(Exit, Instant)> = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        let now = Instant::now();
        match forced {
            None if CANCELLED.load(Ordering::Relaxed) => {
                kill_group(pid, libc::SIGTERM);
                forced = Some((Exit::Cancelled, now));
            }
            None if now >= deadline => {
                kill_group(pid, libc::SIGTERM);
                forced = Some((Exit::Timeout(spec.timeout), now));
            }
            Some((_, at)) if now >= at + GRACE => kill_group(pid, libc::SIGKILL),
            _ => {}
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    };
    // The tool is gone; whatever it left behind in its group goes too.
    kill_group(pid, libc::SIGKILL);
    let stdout = out.map(|h| h.join().unwrap_or_default()).unwrap_or_default();
    let stderr = err.map(|h| h.join().unwrap_or_default()).unwrap_or_default();
    let exit = match (forced, status.code(), status.signal()) {
        (Some((why, _)), _, _) => why,
        (None, Some(code), _) => Exit::Code(code),
        (None, None, Some(sig)) => Exit::Signal(sig),
        (None, None, None) => Exit::Code(-1),
    };
    Ok(JobOutput {
        stdout,
        stderr,
        exit,
        duration: start.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, timeout: Duration) -> JobOutput {
        run_process(&ProcessSpec {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into()],
            cwd: std::env::temp_dir(),
            env: vec![("PATH".into(), "/usr/bin:/bin".into())],
            timeout,
        })
        .unwrap()
    }

    #[test]
    fn captures_streams_and_code() {
        let out = sh("echo out; echo err >&2; exit 3", Duration::from_secs(10));
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, b"err\n");
        assert_eq!(out.exit, Exit::Code(3));
    }

    #[test]
    fn environment_is_only_what_is_given() {
        let out = sh("env | sort", Duration::from_secs(10));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains("CARGO"), "{text}");
        assert!(text.contains("PATH=/usr/bin:/bin"));
    }

    #[test]
    fn signal_is_reported() {
        let out = sh("kill -9 $$", Duration::from_secs(10));
        assert_eq!(out.exit, Exit::Signal(9));
    }

    #[test]
    fn timeout_kills_the_whole_group() {
        let pidfile = tempfile::NamedTempFile::new().unwrap();
        let path = pidfile.path().display().to_string();
        // A grandchild that would outlive a kill of the direct child alone.
        let out = sh(
            &format!("sh -c 'echo $$ > {path}; exec sleep 30' & sleep 30"),
            Duration::from_millis(500),
        );
        assert_eq!(out.exit, Exit::Timeout(Duration::from_millis(500)));
        let pid = std::fs::read_to_string(&path).unwrap();
        let stat = format!("/proc/{}/stat", pid.trim());
        assert!(!pid.trim().is_empty());
        let alive = || std::fs::read_to_string(&stat).is_ok_and(|s| !s.contains(") Z "));
        for _ in 0..100 {
            if !alive() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("grandchild {} survived the timeout", pid.trim());
    }
}
