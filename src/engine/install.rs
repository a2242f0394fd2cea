//! Provisioning the pinned tools. Each linter's `[install]` spec becomes one directory in the cache,
//! named after the linter, its pinned version and a hash of the whole spec, so a changed spec never reuses a
//! stale install. PyPI tools get a virtualenv of their own (`uv` when it is on PATH, else `python3 -m venv`
//! and pip); npm tools get an npm prefix with exact versions.
//!
//! Installs are guarded by a lock file, so two lintmux processes starting at once do one install and both
//! use it, and they are complete only when the marker file is written last (atomically, by rename). A
//! virtualenv cannot be moved after it is made (its scripts name their interpreter by absolute path), so
//! instead of renaming the whole directory into place, an unmarked directory left by a killed install is
//! removed and redone by the next run.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::CancelToken;
use super::process::{ProcessSpec, inherited_env, run_process};
use crate::catalog::{InstallDef, LinterDef};
use crate::model::Exit;
use crate::model::tail;

/// How long one install step (creating a venv, `pip install`, `npm install`) may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(900);

/// One install command: program and arguments.
struct Cmd {
    program: PathBuf,
    args: Vec<String>,
}

impl Cmd {
    fn new(program: impl Into<PathBuf>) -> Cmd {
        Cmd {
            program: program.into(),
            args: Vec::new(),
        }
    }
    fn arg(mut self, a: impl AsRef<std::ffi::OsStr>) -> Cmd {
        self.args.push(a.as_ref().to_string_lossy().into_owned());
        self
    }
    fn args<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(mut self, items: I) -> Cmd {
        for a in items {
            self = self.arg(a);
        }
        self
    }
}

/// The file that marks a finished install.
const MARKER: &str = ".lintmux-installed";

/// lintmux's cache: `$LINTMUX_CACHE_DIR`, else `$XDG_CACHE_HOME/lintmux`, else `~/.cache/lintmux`.
pub(crate) fn cache_dir() -> PathBuf {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = var("LINTMUX_CACHE_DIR") {
        return dir;
    }
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return dir.join("lintmux");
    }
    var("HOME").unwrap_or_else(std::env::temp_dir).join(".cache/lintmux")
}

/// Where the pinned tools are installed: `$LINTMUX_TOOLS_DIR`, else `<cache>/tools`. Set apart from the
/// cache so a container image can hold the tools in a read-only layer while results and scratch files go
/// to a writable cache volume (or a temporary directory).
pub(crate) fn tools_dir(cache: &Path) -> PathBuf {
    std::env::var_os("LINTMUX_TOOLS_DIR")
        .filter(|v| !v.is_empty())
        .map_or_else(|| cache.join("tools"), PathBuf::from)
}

/// The cache directory a run writes to: [`cache_dir`] when it can be written, else (a read-only container
/// with no cache volume mounted, say) a directory of this user's under the system's temporary directory,
/// with a note on stderr that results will not be kept. Pinned tools are found through [`tools_dir`]
/// either way.
pub(crate) fn writable_cache_dir() -> PathBuf {
    let dir = cache_dir();
    if is_writable(&dir) {
        return dir;
    }
    // SAFETY: getuid cannot fail and touches no memory.
    let uid = unsafe { libc::getuid() };
    let fallback = std::env::temp_dir().join(format!("lintmux-cache-{uid}"));
    if is_writable(&fallback) {
        eprintln!(
            "lintmux: note: the cache directory {} cannot be written; this run uses {} (results are not kept: make the cache directory writable, or mount a volume there)",
            dir.display(),
            fallback.display()
        );
        return fallback;
    }
    // Neither works: keep the configured one, and say what will fail and how to fix it.
    eprintln!(
        "lintmux: warning: neither the cache directory {} nor {} can be written: results are not kept and linters that need a scratch directory (mypy) will fail; make one writable (in a container: mount a volume at {}, or a tmpfs at /tmp)",
        dir.display(),
        fallback.display(),
        dir.display()
    );
    dir
}

/// Whether `dir` exists (or can be made) and a file can be created in it.
fn is_writable(dir: &Path) -> bool {
    fs::create_dir_all(dir).is_ok() && tempfile::NamedTempFile::new_in(dir).is_ok()
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum InstallError {
    #[error("{linter} has no [install] section in its definition: install it yourself and run with --tools system")]
    NoSpec { linter: String },
    #[error("cannot install {linter}: `{program}` was not found on PATH; install {what} and try again")]
    NoInstaller {
        linter: String,
        program: String,
        what: &'static str,
    },
    #[error("{0}")]
    Step(Box<StepFailure>),
    #[error("failed to install {linter}: {action} {path}: {source}")]
    Io {
        linter: String,
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// An install command that failed, with the end of its log.
#[derive(Debug)]
pub(crate) struct StepFailure {
    pub(crate) linter: String,
    pub(crate) spec: String,
    pub(crate) step: String,
    pub(crate) status: Option<i32>,
    pub(crate) log_tail: String,
    pub(crate) log: PathBuf,
}

impl std::fmt::Display for StepFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self.status.map(|c| format!(" with status {c}")).unwrap_or_default();
        write!(
            f,
            "failed to install {} ({}): {} failed{status}\n{}\n(full log: {})",
            self.linter,
            self.spec,
            self.step,
            self.log_tail,
            self.log.display()
        )
    }
}

/// Where a linter's pinned install lives.
pub(crate) struct ToolInstall {
    pub(crate) dir: PathBuf,
    pub(crate) kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Pypi,
    Npm,
}

impl ToolInstall {
    pub(crate) fn for_def(cache: &Path, def: &LinterDef) -> Option<ToolInstall> {
        let spec = def.install.as_ref()?;
        let kind = if spec.pypi.is_empty() { Kind::Npm } else { Kind::Pypi };
        let mut hasher = blake3::Hasher::new();
        hasher.update(format!("{kind:?}\0").as_bytes());
        for item in spec.pypi.iter().chain(&spec.npm) {
            hasher.update(item.as_bytes());
            hasher.update(b"\0");
        }
        let hash = hasher.finalize().to_hex();
        let name = spec.name.as_deref().unwrap_or(&def.name);
        let dir = tools_dir(cache).join(format!("{name}-{}-{}", def.version.pin, &hash[..12]));
        Some(ToolInstall { dir, kind })
    }

    /// Where the tool's executables are.
    pub(crate) fn bin_dir(&self) -> PathBuf {
        match self.kind {
            Kind::Pypi => self.dir.join("venv/bin"),
            Kind::Npm => self.dir.join("node_modules/.bin"),
        }
    }

    pub(crate) fn is_installed(&self) -> bool {
        self.dir.join(MARKER).is_file()
    }

    fn lock_path(&self) -> PathBuf {
        PathBuf::from(format!("{}.lock", self.dir.display()))
    }

    fn log_path(&self) -> PathBuf {
        PathBuf::from(format!("{}.log", self.dir.display()))
    }
}

/// An exclusive lock on a file, held until dropped.
struct Lock(File);

impl Lock {
    fn acquire(path: &Path) -> std::io::Result<Lock> {
        let file = OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
        // SAFETY: flock(2) on a descriptor we own; blocks until the lock is ours.
        let rc = unsafe { libc::flock(std::os::fd::AsRawFd::as_raw_fd(&file), libc::LOCK_EX) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Lock(file))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // SAFETY: unlocking a descriptor we own.
        unsafe {
            libc::flock(std::os::fd::AsRawFd::as_raw_fd(&self.0), libc::LOCK_UN);
        }
    }
}

/// What [`ensure_installed`] did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Installed {
    AlreadyThere,
    Now,
}

/// Installs `def`'s pinned tool unless it is installed; safe to call from several processes at once.
pub(crate) fn ensure_installed(cache: &Path, def: &LinterDef, cancel: &CancelToken) -> Result<Installed, InstallError> {
    let install = ToolInstall::for_def(cache, def).ok_or_else(|| InstallError::NoSpec {
        linter: def.name.clone(),
    })?;
    if install.is_installed() {
        return Ok(Installed::AlreadyThere);
    }
    let io = |action, path: &Path| {
        let path = path.to_path_buf();
        let linter = def.name.clone();
        move |source| InstallError::Io {
            linter,
            action,
            path,
            source,
        }
    };
    let tools = install.dir.parent().unwrap_or(cache);
    fs::create_dir_all(tools).map_err(io("creating", tools))?;
    let _lock = Lock::acquire(&install.lock_path()).map_err(io("locking", &install.lock_path()))?;
    if install.is_installed() {
        // Another process finished it while we waited for the lock.
        return Ok(Installed::AlreadyThere);
    }
    if install.dir.exists() {
        // Left by an install that was killed half way: never used, redone.
        fs::remove_dir_all(&install.dir).map_err(io("removing", &install.dir))?;
    }
    fs::create_dir_all(&install.dir).map_err(io("creating", &install.dir))?;
    let spec = def.install.as_ref().expect("for_def checked the spec");
    let result = match install.kind {
        Kind::Pypi => install_pypi(def, spec, &install, cancel),
        Kind::Npm => install_npm(def, spec, &install, cancel),
    };
    if let Err(err) = result {
        let _ = fs::remove_dir_all(&install.dir);
        return Err(err);
    }
    if let Some(default) = &def.default_config
        && let Some(content) = crate::catalog::builtin_file(default)
    {
        let path = install.dir.join(default);
        fs::write(&path, content).map_err(io("writing", &path))?;
    }
    let tmp = install.dir.join(format!("{MARKER}.tmp"));
    let marker = install.dir.join(MARKER);
    fs::write(&tmp, format!("{}\n", def.version.pin)).map_err(io("writing", &tmp))?;
    fs::rename(&tmp, &marker).map_err(io("writing", &marker))?;
    Ok(Installed::Now)
}

/// One install in progress: the linter, the packages (as shown in messages), its log, its cancellation.
struct Steps<'a> {
    def: &'a LinterDef,
    spec_text: &'a str,
    log: &'a Path,
    cancel: &'a CancelToken,
}

impl Steps<'_> {
    /// Runs one step of the install, `what` in the log and in an error.
    fn run(&self, what: &str, cmd: Cmd) -> Result<(), InstallError> {
        let (def, spec_text, log, cancel) = (self.def, self.spec_text, self.log, self.cancel);
        let io = |source| InstallError::Io {
            linter: def.name.clone(),
            action: "writing",
            path: log.to_path_buf(),
            source,
        };
        let mut logf = OpenOptions::new().create(true).append(true).open(log).map_err(io)?;
        let _ = writeln!(logf, "$ {what}");
        let mut spec = ProcessSpec::new(cmd.program, cmd.args, std::env::temp_dir());
        spec.env = inherited_env();
        spec.timeout = STEP_TIMEOUT;
        let out = run_process(&spec, cancel);
        let failed = |status: Option<i32>, logf: &mut File| {
            if let Ok(out) = &out {
                let _ = logf.write_all(&out.stdout);
                let _ = logf.write_all(&out.stderr);
                match out.exit {
                    Exit::Timeout(limit) => {
                        let _ = writeln!(logf, "(stopped after {}s)", limit.as_secs());
                    }
                    Exit::Cancelled => {
                        let _ = writeln!(logf, "(interrupted)");
                    }
                    _ => {}
                }
            }
            let text = fs::read_to_string(log).unwrap_or_default();
            InstallError::Step(Box::new(StepFailure {
                linter: def.name.clone(),
                spec: spec_text.to_owned(),
                step: what.to_owned(),
                status,
                log_tail: tail(&text, 20),
                log: log.to_path_buf(),
            }))
        };
        match &out {
            Ok(o) if o.exit == Exit::Code(0) => {
                let _ = logf.write_all(&o.stdout);
                let _ = logf.write_all(&o.stderr);
                Ok(())
            }
            Ok(o) => {
                let code = match o.exit {
                    Exit::Code(c) => Some(c),
                    _ => None,
                };
                Err(failed(code, &mut logf))
            }
            Err(e) => {
                let _ = writeln!(logf, "{e}");
                Err(failed(None, &mut logf))
            }
        }
    }
}

fn install_pypi(
    def: &LinterDef,
    spec: &InstallDef,
    install: &ToolInstall,
    cancel: &CancelToken,
) -> Result<(), InstallError> {
    let log = install.log_path();
    let _ = fs::remove_file(&log);
    let venv = install.dir.join("venv");
    let spec_text = spec.pypi.join(" ");
    let steps = Steps {
        def,
        spec_text: &spec_text,
        log: &log,
        cancel,
    };
    if let Ok(uv) = which::which("uv") {
        steps.run("uv venv", Cmd::new(&uv).arg("venv").arg("--quiet").arg(&venv))?;
        return steps.run(
            "uv pip install",
            Cmd::new(&uv)
                .args(["pip", "install", "--quiet", "--python"])
                .arg(venv.join("bin/python"))
                .args(&spec.pypi),
        );
    }
    let python = which::which("python3").map_err(|_| InstallError::NoInstaller {
        linter: def.name.clone(),
        program: "python3".into(),
        what: "Python 3 (with its venv module)",
    })?;
    steps.run("python3 -m venv", Cmd::new(python).args(["-m", "venv"]).arg(&venv))?;
    steps.run(
        "pip install",
        Cmd::new(venv.join("bin/python"))
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--quiet",
            ])
            .args(&spec.pypi),
    )
}

fn install_npm(
    def: &LinterDef,
    spec: &InstallDef,
    install: &ToolInstall,
    cancel: &CancelToken,
) -> Result<(), InstallError> {
    let log = install.log_path();
    let _ = fs::remove_file(&log);
    let npm = which::which("npm").map_err(|_| InstallError::NoInstaller {
        linter: def.name.clone(),
        program: "npm".into(),
        what: "Node.js and npm",
    })?;
    let spec_text = spec.npm.join(" ");
    let steps = Steps {
        def,
        spec_text: &spec_text,
        log: &log,
        cancel,
    };
    // A package.json of our own keeps npm from walking up into a parent project.
    let manifest = install.dir.join("package.json");
    fs::write(&manifest, "{\"name\": \"lintmux-tool\", \"private\": true}\n").map_err(|source| InstallError::Io {
        linter: def.name.clone(),
        action: "writing",
        path: manifest.clone(),
        source,
    })?;
    steps.run(
        "npm install",
        Cmd::new(npm)
            .args(["install", "--prefix"])
            .arg(&install.dir)
            .args([
                "--save-exact",
                "--no-audit",
                "--no-fund",
                "--no-update-notifier",
                "--loglevel=error",
            ])
            .args(&spec.npm),
    )
}
