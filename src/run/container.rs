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
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::process::{Exit, JobOutput, ProcessSpec, run_process};

/// Where the repository is mounted in the container.
pub const MOUNT: &str = "/src";
/// Where lintmux's scratch directory for the linter is mounted (writable).
pub const SCRATCH: &str = "/lintmux-scratch";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineKind {
    Docker,
    Podman,
}

#[derive(Clone, Debug)]
pub struct Engine {
    pub kind: EngineKind,
    pub program: PathBuf,
    /// Why it cannot start any container, once that has been diagnosed in this run (see engine_fault).
    pub fault: std::sync::Arc<std::sync::OnceLock<Option<String>>>,
}

impl Engine {
    pub fn name(&self) -> &'static str {
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

pub(super) fn quiet(program: &Path, args: &[&str]) -> Option<std::process::Output> {
    Command::new(program)
        .args(args)
        .env_clear()
        .envs(client_env())
        .stdin(Stdio::null())
        .output()
        .ok()
}

fn answers(program: &Path) -> bool {
    quiet(program, &["info"]).is_some_and(|o| o.status.success())
}

/// Finds the engine: `LINTMUX_CONTAINER_ENGINE` (docker, podman, or a path), else docker when its daemon
/// answers, else podman.
pub fn detect_engine() -> Result<Engine, String> {
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
        if !answers(&program) {
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
            && answers(&program)
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

/// Is `image` pinned by digest? `<name>@sha256:<digest>`, or a bare image ID `sha256:<id>` (content-addressed
/// too, and the only pinned reference Docker gives an image built locally and never pushed).
pub fn is_pinned(image: &str) -> bool {
    let hex64 = |d: &str| d.len() == 64 && d.chars().all(|c| c.is_ascii_hexdigit());
    image.split_once("@sha256:").is_some_and(|(_, d)| hex64(d)) || image.strip_prefix("sha256:").is_some_and(hex64)
}

/// The outcome of making one image present, shared by the jobs that need it.
type ImageSlot = std::sync::Arc<Mutex<Option<Result<(), String>>>>;

/// Images present or pulled in this run: one pull per image however many jobs need it.
#[derive(Default)]
pub struct Images {
    state: Mutex<HashMap<String, ImageSlot>>,
}

impl Images {
    /// Makes sure `image` is present, pulling it once; the error says why it cannot be had.
    pub fn ensure(&self, engine: &Engine, image: &str) -> Result<(), String> {
        let slot = {
            let mut map = self.state.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(image.to_owned()).or_default().clone()
        };
        let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(done) = &*slot {
            return done.clone();
        }
        let result = present(engine, image)
            .then_some(())
            .map_or_else(|| pull(engine, image), Ok);
        *slot = Some(result.clone());
        result
    }
}

/// Whether the image is in the engine's local store.
pub fn present(engine: &Engine, image: &str) -> bool {
    let args: &[&str] = match engine.kind {
        EngineKind::Podman => &["image", "exists", image],
        EngineKind::Docker => &["image", "inspect", "--format", "{{.Id}}", image],
    };
    quiet(&engine.program, args).is_some_and(|o| o.status.success())
}

fn pull(engine: &Engine, image: &str) -> Result<(), String> {
    let out = quiet(&engine.program, &["pull", "--quiet", image])
        .ok_or_else(|| format!("cannot run {}", engine.program.display()))?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    Err(format!(
        "image {image} is not present and `{} pull` failed: {}",
        engine.name(),
        crate::finding::tail(&err, 3)
    ))
}

/// One containerised job.
pub struct ContainerJob<'a> {
    pub engine: &'a Engine,
    pub image: &'a str,
    /// The tool inside the container (its entrypoint).
    pub entrypoint: &'a str,
    pub args: Vec<String>,
    pub root: &'a Path,
    pub scratch: &'a Path,
    /// More read-only mounts: (host directory, container directory).
    pub mounts: &'a [(PathBuf, String)],
    /// The linter's environment, passed with `--env` (nothing else reaches the container).
    pub env: &'a [(String, String)],
    pub timeout: Duration,
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

pub fn run_in_container(job: &ContainerJob) -> std::io::Result<JobOutput> {
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
    args.push(job.image.into());
    args.extend(job.args.iter().cloned());
    let out = run_process(&ProcessSpec {
        program: job.engine.program.clone(),
        args,
        cwd: job.root.to_path_buf(),
        env: client_env(),
        timeout: job.timeout,
    })?;
    if matches!(out.exit, Exit::Timeout(_) | Exit::Cancelled) {
        // The client is gone; the container may not be. Stop it by name.
        let _ = quiet(&job.engine.program, &["kill", &name]);
        let _ = quiet(&job.engine.program, &["rm", "-f", &name]);
        wait_gone(job.engine, &name);
    }
    if super::engine_fault::failed_to_start(&out)
        && let Some(fault) = super::engine_fault::engine_fault(job.engine, job.image)
    {
        return Err(std::io::Error::other(fault));
    }
    Ok(out)
}

/// Waits (at most 10 s) until the engine no longer lists the container: Docker removes an `--rm` container
/// asynchronously after `kill`, and `rm -f` meanwhile only answers "removal already in progress".
fn wait_gone(engine: &Engine, name: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let listed = || {
        quiet(&engine.program, &["container", "inspect", "--format", "{{.Id}}", name])
            .is_some_and(|o| o.status.success())
    };
    while listed() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_means_a_full_digest() {
        let d = "61862eba1fcf09a484ebcc6feea46f1782532571a34ed51fedf90dd25f925a8d";
        assert!(is_pinned(&format!("docker.io/koalaman/shellcheck:v0.11.0@sha256:{d}")));
        assert!(is_pinned(&format!("localhost/x@sha256:{d}")));
        assert!(!is_pinned("docker.io/koalaman/shellcheck:v0.11.0"));
        assert!(!is_pinned("x@sha256:abc"));
        assert!(is_pinned(&format!("sha256:{d}")), "a local image ID");
        assert!(!is_pinned("sha256:abc"));
    }

    #[test]
    fn names_are_unique() {
        assert_ne!(container_name(), container_name());
    }
}
