//! What a linter's tool is given and how its version is read: the environment (only what its definition
//! and configuration give it, and a HOME of lintmux's own, so a laptop and CI give the same verdict and
//! the result cache's key covers what the tools read), its private scratch directory outside the
//! repository, and the version its version command prints, locally or in its image.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::CancelToken;
use super::process::{
    ContainerJob, DEFAULT_OUTPUT_CAP, Engine, ProcessSpec, failed_to_start, run_in_container, run_process,
};
use super::resolve::Resolved;
use crate::catalog::LinterDef;
use crate::config::EffectiveLinter;
use crate::model::JobOutput;

/// Reads the installed version with the definition's version command.
pub(crate) fn read_version(
    def: &LinterDef,
    resolved: &Resolved,
    root: &Path,
    cache: &Path,
    cancel: &CancelToken,
) -> Option<String> {
    let args = def.version.command.get(1..)?.to_vec();
    let mut spec = ProcessSpec::new(resolved.program.clone(), args, root);
    spec.env = child_env(def, &EffectiveLinter::default(), &resolved.bin_dir, &linter_home(cache));
    spec.timeout = Duration::from_secs(60);
    spec.supervisor = std::env::current_exe().ok();
    let out = run_process(&spec, cancel).ok()?;
    version_from(def, &out)
}

/// A container a linter's version is read in: the engine, the image, the root and scratch to mount.
pub(crate) struct InContainer<'a> {
    pub(crate) engine: &'a Engine,
    pub(crate) image: &'a str,
    pub(crate) root: &'a Path,
    pub(crate) scratch: &'a Path,
}

/// Reads the version of the tool in the image with the definition's version command.
pub(crate) fn version_in_container(def: &LinterDef, at: &InContainer, cancel: &CancelToken) -> Option<String> {
    let job = ContainerJob {
        engine: at.engine,
        image: at.image,
        entrypoint: def.version.command.first()?,
        args: def.version.command.get(1..)?.to_vec(),
        root: at.root,
        scratch: at.scratch,
        mounts: &[],
        env: &[],
        timeout: Duration::from_secs(60),
        output_cap: DEFAULT_OUTPUT_CAP,
        stdin: None,
    };
    let out = run_in_container(&job, cancel).ok()?;
    // An engine that cannot start the container printed its own error, not the tool's version.
    if failed_to_start(&out) {
        return None;
    }
    version_from(def, &out)
}

fn version_from(def: &LinterDef, out: &JobOutput) -> Option<String> {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let re = regex::Regex::new(&def.version.pattern).ok()?;
    Some(re.captures(&text)?.get(1)?.as_str().to_owned())
}

/// The variables a linter is given by its definition and configuration (passed through or set), and
/// nothing else: in a container this is its whole environment.
pub(crate) fn linter_env(def: &LinterDef, settings: &EffectiveLinter) -> Vec<(String, String)> {
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    for key in def.env.iter().chain(&settings.pass_env.value) {
        if let Ok(v) = std::env::var(key) {
            env.insert(key.clone(), v);
        }
    }
    for (k, v) in &settings.env {
        env.insert(k.clone(), v.value.clone());
    }
    env.into_iter().collect()
}

/// The HOME linters get: a directory of lintmux's own in its cache, with none of the user's configs
/// (`~/.config/ruff`, `~/.config/yamllint`, …), so a laptop and CI give the same verdict and the result
/// cache's key covers what the tools read.
pub(crate) fn linter_home(cache: &Path) -> PathBuf {
    let home = cache.join("home");
    let _ = std::fs::create_dir_all(&home);
    home
}

/// The whole environment of a local linter: its tool directory first on PATH, a HOME of lintmux's own
/// ([`linter_home`]), the locale, settings that keep tools from colouring output or writing bytecode into
/// the repository, and [`linter_env`] (a definition or `pass_env` naming HOME passes the real one).
/// Nothing else from lintmux's environment (CI secrets stay out; no XDG directory points at the user's).
pub(crate) fn child_env(
    def: &LinterDef,
    settings: &EffectiveLinter,
    bin_dir: &Path,
    home: &Path,
) -> Vec<(String, String)> {
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    let path = std::env::var("PATH").unwrap_or_default();
    env.insert("PATH".to_owned(), format!("{}:{path}", bin_dir.display()));
    env.insert("HOME".to_owned(), home.to_string_lossy().into_owned());
    for key in ["LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ"] {
        if let Ok(v) = std::env::var(key) {
            env.insert(key.to_owned(), v);
        }
    }
    env.insert("NO_COLOR".to_owned(), "1".to_owned());
    env.insert("FORCE_COLOR".to_owned(), "0".to_owned());
    env.insert("PYTHONDONTWRITEBYTECODE".to_owned(), "1".to_owned());
    env.extend(linter_env(def, settings));
    env.into_iter().collect()
}

/// A linter's private scratch directory for this root, outside the repository.
pub(crate) fn scratch_dir(cache: &Path, linter: &str, root: &Path) -> PathBuf {
    let hash = blake3::hash(root.to_string_lossy().as_bytes()).to_hex();
    cache.join("scratch").join(linter).join(&hash[..12])
}
