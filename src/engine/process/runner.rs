//! The one process runner. Every child lintmux starts — linters, git, container engines, installers — goes
//! through [`run_process`]: argv only (never a shell), stdin closed, stdout and stderr captured up to a cap,
//! the child in its own process group, a timeout and a [`CancelToken`], and no wait past a deadline.
//!
//! Stopping is SIGTERM to the group, a grace period, then SIGKILL. When the child exits, whatever it left in
//! its group is killed too. A descendant that left the group (`setsid`, a daemon) is out of reach of a group
//! kill, so linters run *contained*: under lintmux's own supervisor (`lintmux __supervise`, see
//! [`super::supervise`]), a child subreaper that kills every descendant before it exits. We chose the
//! subreaper over a cgroup because it needs no privileges and no delegated cgroup tree, and works the same on
//! a laptop, in CI and inside a container. Even so, the pipes are read with `poll(2)` and a deadline: once
//! the child has exited, output still held open by a process lintmux could not reach is given up on after
//! [`DRAIN`], and the job says so instead of waiting.

use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::group::{die_with_parent, signal_group, signal_pid};
use crate::engine::CancelToken;
use crate::model::{Exit, JobOutput};

/// Default cap on what is kept of one process's output (stdout and stderr together).
pub(crate) const DEFAULT_OUTPUT_CAP: usize = 64 * 1024 * 1024;

#[derive(Clone, Debug)]
pub(crate) struct ProcessSpec {
    pub(crate) program: PathBuf,
    pub(crate) args: Vec<String>,
    pub(crate) cwd: PathBuf,
    /// The complete environment: the child inherits nothing else.
    pub(crate) env: Vec<(String, String)>,
    pub(crate) timeout: Duration,
    /// At most this many bytes of output are kept; past it the process is stopped.
    pub(crate) output_cap: usize,
    /// Run under this supervisor (lintmux's own executable), which leaves no descendant behind.
    pub(crate) supervisor: Option<PathBuf>,
    /// A file read as the process's stdin (a formatter printing one file); `None`: stdin is closed.
    pub(crate) stdin: Option<PathBuf>,
}

impl ProcessSpec {
    /// A spec with the defaults: no supervisor, the default output cap.
    pub(crate) fn new(program: impl Into<PathBuf>, args: Vec<String>, cwd: impl Into<PathBuf>) -> ProcessSpec {
        ProcessSpec {
            program: program.into(),
            args,
            cwd: cwd.into(),
            env: Vec::new(),
            timeout: Duration::from_secs(600),
            output_cap: DEFAULT_OUTPUT_CAP,
            supervisor: None,
            stdin: None,
        }
    }
}

/// How long a helper process (git, a container engine's `pull`, `info` or `inspect`) may take:
/// `LINTMUX_HELPER_TIMEOUT` seconds, else 300.
pub(crate) fn helper_timeout() -> Duration {
    let secs = std::env::var("LINTMUX_HELPER_TIMEOUT")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&s| s > 0)
        .unwrap_or(300);
    Duration::from_secs(secs)
}

/// lintmux's own environment (the variables that are valid Unicode), for helpers that need all of it,
/// such as git inside a hook.
pub(crate) fn inherited_env() -> Vec<(String, String)> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// How long a process gets between SIGTERM and SIGKILL.
pub(crate) const GRACE: Duration = Duration::from_secs(2);
/// How long output is still read after the process is gone.
pub(crate) const DRAIN: Duration = Duration::from_secs(2);
/// How often a running process is checked for its deadline and for cancellation when it is silent.
const TICK: Duration = Duration::from_millis(25);

/// One captured stream.
struct Pipe<R> {
    reader: Option<R>,
    buf: Vec<u8>,
}

impl<R: Read + AsRawFd> Pipe<R> {
    fn new(reader: Option<R>) -> Pipe<R> {
        if let Some(r) = &reader {
            // SAFETY: fcntl on a descriptor we own.
            unsafe {
                let fd = r.as_raw_fd();
                let flags = libc::fcntl(fd, libc::F_GETFL);
                libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
            }
        }
        Pipe {
            reader,
            buf: Vec::new(),
        }
    }

    fn fd(&self) -> Option<i32> {
        self.reader.as_ref().map(AsRawFd::as_raw_fd)
    }

    /// Reads what is there, keeping at most `room` more bytes (the rest is read and dropped, so the
    /// child never blocks on a full pipe); closes the pipe at end of file. Returns whether anything was
    /// dropped.
    fn read_available(&mut self, room: usize) -> bool {
        let mut dropped = false;
        let Some(r) = &mut self.reader else { return false };
        let mut chunk = [0u8; 64 * 1024];
        let limit = self.buf.len().saturating_add(room);
        loop {
            match r.read(&mut chunk) {
                Ok(0) => {
                    self.reader = None;
                    return dropped;
                }
                Ok(n) => {
                    let keep = n.min(limit.saturating_sub(self.buf.len()));
                    self.buf.extend_from_slice(&chunk[..keep]);
                    dropped |= keep < n;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return dropped,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => {
                    self.reader = None;
                    return dropped;
                }
            }
        }
    }
}

/// Waits up to `timeout` for one of `fds` to be readable (or closed).
fn wait_readable(fds: &[i32], timeout: Duration) {
    let mut polls: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    let ms = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    if polls.is_empty() {
        std::thread::sleep(timeout);
        return;
    }
    // SAFETY: poll(2) on a valid array of pollfd we own, for its stated length.
    unsafe {
        libc::poll(polls.as_mut_ptr(), polls.len() as libc::nfds_t, ms);
    }
}

fn spawn(spec: &ProcessSpec) -> std::io::Result<Child> {
    let mut cmd = match &spec.supervisor {
        Some(sup) => {
            let mut c = Command::new(sup);
            c.arg(super::supervise::ARG)
                .arg(GRACE.as_millis().to_string())
                .arg(&spec.program);
            c
        }
        None => Command::new(&spec.program),
    };
    let stdin = match &spec.stdin {
        Some(path) => Stdio::from(std::fs::File::open(path)?),
        None => Stdio::null(),
    };
    die_with_parent(&mut cmd)
        .args(&spec.args)
        .current_dir(&spec.cwd)
        .env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
}

/// Runs one process to its end (or its deadline, or cancellation) and returns what it printed.
/// `Err` only when it could not be started.
pub(crate) fn run_process(spec: &ProcessSpec, cancel: &CancelToken) -> std::io::Result<JobOutput> {
    let start = Instant::now();
    let mut child = spawn(spec)?;
    let pid = child.id();
    let mut out = Pipe::new(child.stdout.take());
    let mut err = Pipe::new(child.stderr.take());
    // A timeout too large to add is no deadline (a config may say anything).
    let deadline = start.checked_add(spec.timeout);
    // Why lintmux stopped it, and when it sent SIGTERM.
    let mut forced: Option<(Exit, Instant)> = None;
    let mut killed = false;
    let mut exited: Option<(std::process::ExitStatus, Instant)> = None;
    let mut held = false;
    let mut overflowed = false;
    // Waits since both pipes closed: the exit usually follows within microseconds, so the wait for it
    // starts short and grows (a full tick per process would cost a formatter printing 100 files 2.5 s).
    let mut closed_waits = 0u32;
    loop {
        let fds: Vec<i32> = [out.fd(), err.fd()].into_iter().flatten().collect();
        if fds.is_empty() && exited.is_some() {
            break;
        }
        let tick = if fds.is_empty() {
            closed_waits += 1;
            TICK.min(Duration::from_micros(250u64 << closed_waits.min(8)))
        } else {
            TICK
        };
        wait_readable(&fds, tick);
        let room = spec.output_cap.saturating_sub(out.buf.len() + err.buf.len());
        let mut over = out.read_available(room);
        let room = spec.output_cap.saturating_sub(out.buf.len() + err.buf.len());
        over |= err.read_available(room);
        overflowed |= over;
        let now = Instant::now();
        if exited.is_none()
            && let Some(status) = child.try_wait()?
        {
            exited = Some((status, now));
            if spec.supervisor.is_none() {
                // The tool is gone; whatever it left in its group goes too.
                signal_group(pid, libc::SIGKILL);
            }
        }
        if let Some((_, at)) = exited {
            if now >= at + DRAIN && (out.reader.is_some() || err.reader.is_some()) {
                held = true;
                break;
            }
            continue;
        }
        if over && forced.is_none() {
            forced = Some((Exit::OutputLimit(spec.output_cap), now));
            stop(pid, spec, libc::SIGTERM);
        }
        match forced {
            None if cancel.is_cancelled() => {
                forced = Some((Exit::Cancelled, now));
                stop(pid, spec, libc::SIGTERM);
            }
            None if deadline.is_some_and(|d| now >= d) => {
                forced = Some((Exit::Timeout(spec.timeout), now));
                stop(pid, spec, libc::SIGTERM);
            }
            // The supervisor escalates on its own after the grace period; it is killed only if it has
            // not finished by then.
            Some((_, at))
                if !killed
                    && now
                        >= at
                            + GRACE
                            + if spec.supervisor.is_some() {
                                GRACE
                            } else {
                                Duration::ZERO
                            } =>
            {
                killed = true;
                signal_group(pid, libc::SIGKILL);
            }
            _ => {}
        }
    }
    let status = match exited {
        Some((status, _)) => status,
        None => child.wait()?,
    };
    if spec.supervisor.is_none() {
        signal_group(pid, libc::SIGKILL);
    }
    let exit = match (forced, held, status.code(), status.signal()) {
        (Some((why, _)), _, _, _) => why,
        _ if overflowed => Exit::OutputLimit(spec.output_cap),
        (None, true, _, _) => Exit::OutputHeld,
        (None, false, Some(super::supervise::OUTPUT_HELD), _) if spec.supervisor.is_some() => Exit::OutputHeld,
        (None, false, Some(code), _) => Exit::Code(code),
        (None, false, None, Some(sig)) => Exit::Signal(sig),
        (None, false, None, None) => Exit::Code(-1),
    };
    Ok(JobOutput {
        stdout: out.buf,
        stderr: err.buf,
        exit,
        duration: start.elapsed(),
    })
}

/// Asks a process to stop: its supervisor (which stops everything below it), or its whole group.
fn stop(pid: u32, spec: &ProcessSpec, signal: i32) {
    if spec.supervisor.is_some() {
        signal_pid(pid, signal);
    } else {
        signal_group(pid, signal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, timeout: Duration) -> JobOutput {
        sh_with(script, timeout, &CancelToken::new(), DEFAULT_OUTPUT_CAP)
    }

    fn sh_with(script: &str, timeout: Duration, cancel: &CancelToken, cap: usize) -> JobOutput {
        let mut spec = ProcessSpec::new("/bin/sh", vec!["-c".into(), script.into()], std::env::temp_dir());
        spec.env = vec![("PATH".into(), "/usr/bin:/bin".into())];
        spec.timeout = timeout;
        spec.output_cap = cap;
        run_process(&spec, cancel).unwrap()
    }

    #[test]
    fn captures_streams_and_code() {
        let out = sh("echo out; echo err >&2; exit 3", Duration::from_secs(10));
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, b"err\n");
        assert_eq!(out.exit, Exit::Code(3));
    }

    #[test]
    fn large_output_is_read_whole() {
        let out = sh(
            "head -c 3000000 /dev/zero; head -c 100000 /dev/zero >&2",
            Duration::from_secs(20),
        );
        assert_eq!(out.stdout.len(), 3_000_000);
        assert_eq!(out.stderr.len(), 100_000);
        assert_eq!(out.exit, Exit::Code(0));
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
    fn output_past_the_cap_stops_the_process() {
        let out = sh_with("yes", Duration::from_secs(20), &CancelToken::new(), 1 << 20);
        assert_eq!(out.exit, Exit::OutputLimit(1 << 20));
        assert!(out.stdout.len() <= 1 << 20);
    }

    #[test]
    fn cancellation_stops_at_once() {
        let cancel = CancelToken::new();
        let c = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            c.cancel();
        });
        let out = sh_with("sleep 30", Duration::from_secs(60), &cancel, DEFAULT_OUTPUT_CAP);
        assert_eq!(out.exit, Exit::Cancelled);
        assert!(out.duration < Duration::from_secs(10), "{:?}", out.duration);
    }

    #[test]
    fn a_pipe_held_by_a_setsid_descendant_is_not_waited_for() {
        // Without the supervisor, a daemon that left the group keeps stdout open: the runner gives up on it
        // after the drain deadline and says the output may be incomplete.
        let out = sh("setsid sleep 8 & sleep 0.5; echo done", Duration::from_secs(60));
        assert_eq!(out.exit, Exit::OutputHeld);
        assert_eq!(out.stdout, b"done\n");
        assert!(out.duration < Duration::from_secs(10), "{:?}", out.duration);
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
