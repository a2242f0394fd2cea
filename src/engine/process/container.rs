//! Running a linter in a container: the very same tool build on every laptop and CI runner (an image
//! pinned by digest), or the service's own image for a type checker that must see its dependencies.
//!
//! Each job is `<engine> run --rm --network=none --read-only -v <root>:/src:ro -w /src --name <name>
//! --entrypoint <tool> [--env …] <image> <args>`, with file arguments relative to the root, so the tool's
//! output maps back to the same paths as a local run (`/src/…` is mapped too). The engine is docker when
//! its daemon answers, else podman; `LINTMUX_CONTAINER_ENGINE` overrides. Each container gets a name, so a
//! timeout or Ctrl-C stops the container itself (`<engine> kill`), not just the client process.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::runner::{ProcessSpec, helper_timeout, run_process};
use crate::engine::CancelToken;
use crate::model::{Exit, JobOutput};

/// Where the repository is mounted in the container.
pub(crate) const MOUNT: &str = "/src";
/// Where lintmux's scratch directory for the linter is mounted (writable).
pub(crate) const SCRATCH: &str = "/lintmux-scratch";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EngineKind {
    Docker,
    Podman,
}

#[derive(Clone, Debug)]
pub(crate) struct Engine {
    pub(crate) kind: EngineKind,
    pub(crate) program: PathBuf,
    /// Why it cannot start any container, once that has been diagnosed in this run (see engine_fault).
    pub(crate) fault: std::sync::Arc<std::sync::OnceLock<Option<String>>>,
}

impl Engine {
    pub(crate) fn name(&self) -> &'static str {
        match self.kind {
            EngineKind::Docker => "docker",
            EngineKind::Podman => "podman",
        }
    }
}

/// The environment the engine client itself needs (not the linter's: that is passed with `--env`).
const CLIENT_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "TMPDIR",
    "XDG_RUNTIME_DIR",
    "DOCKER_HOST",
    "DOCKER_CONFIG",
    "DOCKER_CONTEXT",
    "DOCKER_CERT_PATH",
    "DOCKER_TLS_VERIFY",
    "CONTAINER_HOST",
    "CONTAINERS_CONF",
    "CONTAINERS_STORAGE_CONF",
    "CONTAINERS_REGISTRIES_CONF",
    "REGISTRY_AUTH_FILE",
];

fn client_env() -> Vec<(String, String)> {
    CLIENT_ENV
        .iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| ((*k).to_owned(), v)))
        .collect()
}

/// Runs an engine command (info, inspect, pull, kill) through the process runner, with the helper
/// timeout and the run's cancellation: `None` when it could not be started.
pub(super) fn quiet(program: &Path, args: &[&str], cancel: &CancelToken) -> Option<JobOutput> {
    let mut spec = ProcessSpec::new(
        program,
        args.iter().map(|a| (*a).to_owned()).collect(),
        std::env::temp_dir(),
    );
    spec.env = client_env();
    spec.timeout = helper_timeout();
    run_process(&spec, cancel).ok()
}

fn succeeded(out: &Option<JobOutput>) -> bool {
    out.as_ref().is_some_and(|o| o.exit == Exit::Code(0))
}

fn answers(program: &Path, cancel: &CancelToken) -> bool {
    succeeded(&quiet(program, &["info"], cancel))
}

/// Finds the engine: `LINTMUX_CONTAINER_ENGINE` (docker, podman, or a path), else docker when its daemon
/// answers, else podman.
pub(crate) fn detect_engine(cancel: &CancelToken) -> Result<Engine, String> {
    let kind_of = |p: &Path| {
        if p.file_name().is_some_and(|n| n.to_string_lossy().contains("podman")) {
            EngineKind::Podman
        } else {
            EngineKind::Docker
        }
    };
    if let Some(choice) = std::env::var_os("LINTMUX_CONTAINER_ENGINE").filter(|v| !v.is_empty()) {
        let program = which::which(&choice).map_err(|_| {
            format!(
                "LINTMUX_CONTAINER_ENGINE={} was not found on PATH",
                choice.to_string_lossy()
            )
        })?;
        if !answers(&program, cancel) {
            return Err(format!(
                "`{} info` fails: the container engine named by LINTMUX_CONTAINER_ENGINE does not work",
                program.display()
            ));
        }
        return Ok(Engine {
            kind: kind_of(&program),
            program,
            fault: Default::default(),
        });
    }
    for (name, kind) in [("docker", EngineKind::Docker), ("podman", EngineKind::Podman)] {
        if let Ok(program) = which::which(name)
            && answers(&program, cancel)
        {
            return Ok(Engine {
                kind,
                program,
                fault: Default::default(),
            });
        }
    }
    Err("no container engine works here: install docker (with its daemon running) or podman, or set LINTMUX_CONTAINER_ENGINE".into())
}

/// The outcome of making one image present, shared by the jobs that need it.
type ImageSlot = std::sync::Arc<Mutex<Option<Result<(), String>>>>;

/// Images present or pulled in this run: one pull per image however many jobs need it.
#[derive(Default)]
pub(crate) struct Images {
    state: Mutex<HashMap<String, ImageSlot>>,
}

impl Images {
    /// Makes sure `image` is present, pulling it once; the error says why it cannot be had.
    pub(crate) fn ensure(&self, engine: &Engine, image: &str, cancel: &CancelToken) -> Result<(), String> {
        let slot = {
            let mut map = self.state.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(image.to_owned()).or_default().clone()
        };
        let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(done) = &*slot {
            return done.clone();
        }
        let result = present(engine, image, cancel)
            .then_some(())
            .map_or_else(|| pull(engine, image, cancel), Ok);
        *slot = Some(result.clone());
        result
    }
}

/// Whether the image is in the engine's local store.
pub(crate) fn present(engine: &Engine, image: &str, cancel: &CancelToken) -> bool {
    let args: &[&str] = match engine.kind {
        EngineKind::Podman => &["image", "exists", image],
        EngineKind::Docker => &["image", "inspect", "--format", "{{.Id}}", image],
    };
    succeeded(&quiet(&engine.program, args, cancel))
}

fn pull(engine: &Engine, image: &str, cancel: &CancelToken) -> Result<(), String> {
    let out = quiet(&engine.program, &["pull", "--quiet", image], cancel)
        .ok_or_else(|| format!("cannot run {}", engine.program.display()))?;
    let why = match out.exit {
        Exit::Code(0) => return Ok(()),
        Exit::Timeout(limit) => format!(
            "it did not finish within {}s and was stopped (LINTMUX_HELPER_TIMEOUT sets the limit)",
            limit.as_secs()
        ),
        Exit::Cancelled => "it was interrupted".to_owned(),
        _ => crate::model::tail(&String::from_utf8_lossy(&out.stderr), 3),
    };
    Err(format!(
        "image {image} is not present and `{} pull` failed: {why}",
        engine.name()
    ))
}

/// One containerised job.
pub(crate) struct ContainerJob<'a> {
    pub(crate) engine: &'a Engine,
    pub(crate) image: &'a str,
    /// The tool inside the container (its entrypoint).
    pub(crate) entrypoint: &'a str,
    pub(crate) args: Vec<String>,
    pub(crate) root: &'a Path,
    pub(crate) scratch: &'a Path,
    /// More read-only mounts: (host directory, container directory).
    pub(crate) mounts: &'a [(PathBuf, String)],
    /// The linter's environment, passed with `--env` (nothing else reaches the container).
    pub(crate) env: &'a [(String, String)],
    pub(crate) timeout: Duration,
    pub(crate) output_cap: usize,
    /// A file read as the tool's stdin.
    pub(crate) stdin: Option<&'a Path>,
}

static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// A container name unique to this process and job.
fn container_name() -> String {
    format!(
        "lintmux-{}-{}",
        std::process::id(),
        SEQUENCE.fetch_add(1, Ordering::SeqCst)
    )
}

pub(crate) fn run_in_container(job: &ContainerJob, cancel: &CancelToken) -> std::io::Result<JobOutput> {
    let name = container_name();
    let mut args: Vec<String> = vec![
        "run".into(),
        "--rm".into(),
        "--network=none".into(),
        "--read-only".into(),
        "-v".into(),
        format!("{}:{MOUNT}:ro", job.root.display()),
        "-v".into(),
        format!("{}:{SCRATCH}", job.scratch.display()),
        "-w".into(),
        MOUNT.into(),
        "--name".into(),
        name.clone(),
        "--entrypoint".into(),
        job.entrypoint.into(),
    ];
    match job.engine.kind {
        EngineKind::Docker => {
            // Files the tool writes (none, normally) belong to the user, not root.
            // SAFETY: getuid/getgid cannot fail and touch no memory.
            let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
            args.extend(["--user".into(), format!("{uid}:{gid}")]);
        }
        EngineKind::Podman => {
            // Never pass the host's proxy variables; never reach for a registry mid-run.
            args.extend(["--http-proxy=false".into(), "--pull=never".into()]);
        }
    }
    for (host, inside) in job.mounts {
        args.extend(["-v".into(), format!("{}:{inside}:ro", host.display())]);
    }
    for (k, v) in job.env {
        args.extend(["--env".into(), format!("{k}={v}")]);
    }
    if job.stdin.is_some() {
        args.push("--interactive".into());
    }
    args.push(job.image.into());
    args.extend(job.args.iter().cloned());
    let mut spec = ProcessSpec::new(job.engine.program.clone(), args, job.root);
    spec.env = client_env();
    spec.timeout = job.timeout;
    spec.output_cap = job.output_cap;
    spec.stdin = job.stdin.map(Path::to_path_buf);
    let out = run_process(&spec, cancel)?;
    if !matches!(out.exit, Exit::Code(_) | Exit::Signal(_)) {
        // The client is gone; the container may not be. Stop it by name (even when the run was
        // cancelled: these two get a token of their own).
        let cleanup = CancelToken::new();
        let _ = quiet(&job.engine.program, &["kill", &name], &cleanup);
        let _ = quiet(&job.engine.program, &["rm", "-f", &name], &cleanup);
        wait_gone(job.engine, &name);
    }
    Ok(out)
}

/// Waits (at most 10 s) until the engine no longer lists the container: Docker removes an `--rm` container
/// asynchronously after `kill`, and `rm -f` meanwhile only answers "removal already in progress".
fn wait_gone(engine: &Engine, name: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let cancel = CancelToken::new();
    let listed = || {
        succeeded(&quiet(
            &engine.program,
            &["container", "inspect", "--format", "{{.Id}}", name],
            &cancel,
        ))
    };
    while listed() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        assert_ne!(container_name(), container_name());
    }
}
