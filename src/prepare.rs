//! Getting each linter ready to run, once per check: where its tool comes from (the project, lintmux's
//! pinned install — installed now if allowed —, PATH, or a container image), which config it is handed
//! (the configured one, or lintmux's bundled default when the tool cannot run without one), the argv
//! template, and the version to report. What cannot be made ready becomes a tool error for that linter only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use crate::cache::VersionCache;
use crate::catalog::LinterDef;
use crate::config::{EffectiveLinter, Runner};
use crate::finding::{ToolError, ToolErrorKind};
use crate::install;
use crate::parse::Ctx;
use crate::plan::{self, Job};
use crate::run::{self, ContainerJob, Engine, Images, ProcessSpec, Resolved, ToolSource, ToolsMode};
use crate::workspace::Workspace;

/// How a linter's jobs are executed.
pub enum Exec {
    Local(Resolved),
    Container {
        engine: Engine,
        image: String,
        /// Host directories mounted read-only for config files outside the root: (host, container).
        mounts: Vec<(PathBuf, String)>,
    },
}

/// A linter ready to run.
pub struct Prepared<'a> {
    pub def: &'a LinterDef,
    pub settings: EffectiveLinter,
    pub exec: Exec,
    /// The argv template: the configured `command`, else the definition's.
    pub template: Vec<String>,
    /// Config arguments, then the user's `args`.
    pub extra_args: Vec<String>,
    pub version: Option<String>,
    pub note: Option<String>,
    /// What the output parser needs; built once, for every job.
    pub ctx: Ctx,
    /// The linter's private scratch directory (created).
    pub scratch: PathBuf,
}

/// What preparing needs besides the linter.
pub struct PrepareCtx<'a> {
    pub ws: &'a Workspace,
    pub tools: ToolsMode,
    pub install: bool,
    /// `--runner`: `container` runs every linter that has an image in it; `local` runs all locally.
    pub runner: Option<Runner>,
    pub progress: &'a dyn crate::check::Progress,
    pub engine: &'a OnceLock<Result<Engine, String>>,
    pub images: &'a Images,
}

fn missing(def: &LinterDef, message: String) -> ToolError {
    ToolError::new(&def.name, ToolErrorKind::Missing, message)
}

/// The config files of `def` present in the root or in a directory on the way to one of `files`.
pub fn own_configs(def: &LinterDef, root: &Path, files: &[impl AsRef<str>]) -> Vec<PathBuf> {
    let mut dirs: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    dirs.insert(root.to_path_buf());
    for f in files {
        let mut p = root.join(f.as_ref());
        while p.pop() && p.starts_with(root) {
            if !dirs.insert(p.clone()) {
                break;
            }
        }
    }
    dirs.iter()
        .flat_map(|d| def.config_files.iter().map(move |c| d.join(c)))
        .filter(|p| p.is_file())
        .collect()
}

pub fn prepare<'a>(cx: &PrepareCtx, def: &'a LinterDef, files: &[&str]) -> Result<Prepared<'a>, ToolError> {
    let ws = cx.ws;
    let settings = ws.config.linter(&def.name);
    let scratch = scratch_dir(&ws.cache, &def.name, &ws.root);
    let _ = std::fs::create_dir_all(&scratch);
    let image = ws.image_for(def);
    let runner = match (cx.runner, &image) {
        // `--runner container` moves every linter that has an image, and only those.
        (Some(Runner::Container), Some(_)) => Runner::Container,
        (Some(_), _) => Runner::Local,
        (None, _) => settings.runner.value,
    };

    let template = settings
        .command
        .as_ref()
        .map_or_else(|| def.command.clone(), |c| c.value.clone());
    let config_arg =
        |path: &str| -> Vec<String> { def.config_arg.iter().map(|a| a.replace("{config}", path)).collect() };
    let mut note = None;
    let (exec, mut extra_args, version) = if runner == Runner::Container {
        let Some(image) = image else {
            return Err(missing(
                def,
                format!(
                    "{} runs in a container but has no image: set [linters.{}] image = \"<name>@sha256:<digest>\"",
                    def.name, def.name
                ),
            ));
        };
        let engine = cx
            .engine
            .get_or_init(run::detect_engine)
            .clone()
            .map_err(|e| missing(def, e))?;
        cx.images.ensure(&engine, &image).map_err(|e| missing(def, e))?;
        let mut mounts = Vec::new();
        let mut extra = Vec::new();
        if let Some(config) = &settings.config {
            let inside = match config.value.strip_prefix(&ws.root) {
                Ok(rel) => format!("{}/{}", run::MOUNT, rel.display()),
                Err(_) => {
                    let dir = config.value.parent().unwrap_or(Path::new("/")).to_path_buf();
                    let name = config
                        .value
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    mounts.push((dir, "/lintmux-config".to_owned()));
                    format!("/lintmux-config/{name}")
                }
            };
            extra = config_arg(&inside);
        } else if def.default_config.is_some() && own_configs(def, &ws.root, files).is_empty() {
            note = Some(format!(
                "no {} config in the repository, and lintmux's bundled default is not used in a container",
                def.name
            ));
        }
        let key = format!("{} {image} {}", engine.program.display(), def.version.command.join(" "));
        let version = VersionCache::new(&ws.cache)
            .get_or_keyed(&key, || version_in_container(def, &engine, &image, ws, &scratch));
        (Exec::Container { engine, image, mounts }, extra, version)
    } else {
        let resolved = resolve_installing(cx, def)?;
        let mut extra = Vec::new();
        if let Some(config) = &settings.config {
            extra = config_arg(&config.value.to_string_lossy());
        } else if let Some(default) = &def.default_config
            && own_configs(def, &ws.root, files).is_empty()
        {
            let bundled = install::ToolInstall::for_def(&ws.cache, def).map(|i| i.dir.join(default));
            match bundled.filter(|p| resolved.source == ToolSource::Lintmux && p.is_file()) {
                Some(path) => {
                    extra = config_arg(&path.to_string_lossy());
                    note = Some(format!(
                        "no {} config in the repository; used lintmux's bundled default (linters.d/{default})",
                        def.name
                    ));
                }
                None => {
                    note = Some(format!(
                        "no {} config in the repository, and the {} tool cannot use lintmux's bundled default",
                        def.name,
                        resolved.source.as_str()
                    ));
                }
            }
        }
        let version = match resolved.source {
            ToolSource::Lintmux => Some(def.version.pin.clone()),
            _ => VersionCache::new(&ws.cache).get_or(&resolved.program, &def.version.command, || {
                read_version(def, &resolved, &ws.root)
            }),
        };
        (Exec::Local(resolved), extra, version)
    };
    extra_args.extend(settings.args.value.iter().cloned());
    let mut ctx = Ctx::new(&def.name, &ws.root);
    ctx.rule_url = def.rule_url.clone();
    ctx.default_level = def.output.level;
    ctx.default_rule = def.output.rule.clone();
    // The definition's pattern was checked when it was loaded.
    ctx.pattern = def.output.pattern.as_deref().and_then(|s| regex::Regex::new(s).ok());
    if matches!(exec, Exec::Container { .. }) {
        ctx.extra_roots.push(run::MOUNT.to_owned());
    }
    Ok(Prepared {
        def,
        settings,
        exec,
        template,
        extra_args,
        version,
        note,
        ctx,
        scratch,
    })
}

/// Resolves the local tool, installing the pinned one first when that is allowed and needed.
fn resolve_installing(cx: &PrepareCtx, def: &LinterDef) -> Result<Resolved, ToolError> {
    let ws = cx.ws;
    let mut resolved = run::resolve_local(def, def.binary(), &ws.root, &ws.cache, cx.tools);
    let installed = install::ToolInstall::for_def(&ws.cache, def).is_some_and(|i| i.is_installed());
    if resolved.is_err() && cx.tools == ToolsMode::Pinned && cx.install && def.install.is_some() && !installed {
        cx.progress.installing(&def.name);
        let outcome = install::ensure_installed(&ws.cache, def);
        cx.progress.installed(&def.name);
        resolved = match outcome {
            Ok(_) => run::resolve_local(def, def.binary(), &ws.root, &ws.cache, cx.tools),
            Err(e) => Err(e.to_string()),
        };
    }
    resolved.map_err(|m| missing(def, m))
}

/// Reads the installed version with the definition's version command.
pub fn read_version(def: &LinterDef, resolved: &Resolved, root: &Path) -> Option<String> {
    let args = def.version.command.get(1..)?.to_vec();
    let out = run::run_process(&ProcessSpec {
        program: resolved.program.clone(),
        args,
        cwd: root.to_path_buf(),
        env: child_env(def, &EffectiveLinter::default(), &resolved.bin_dir),
        timeout: Duration::from_secs(60),
    })
    .ok()?;
    version_from(def, &out)
}

fn version_in_container(
    def: &LinterDef,
    engine: &Engine,
    image: &str,
    ws: &Workspace,
    scratch: &Path,
) -> Option<String> {
    let out = run::run_in_container(&ContainerJob {
        engine,
        image,
        entrypoint: def.version.command.first()?,
        args: def.version.command.get(1..)?.to_vec(),
        root: &ws.root,
        scratch,
        mounts: &[],
        env: &[],
        timeout: Duration::from_secs(60),
    })
    .ok()?;
    version_from(def, &out)
}

fn version_from(def: &LinterDef, out: &run::JobOutput) -> Option<String> {
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
pub fn linter_env(def: &LinterDef, settings: &EffectiveLinter) -> Vec<(String, String)> {
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

/// The whole environment of a local linter: its tool directory first on PATH, HOME and locale, settings
/// that keep tools from colouring output or writing bytecode into the repository, and [`linter_env`].
/// Nothing else from lintmux's environment (CI secrets stay out).
pub fn child_env(def: &LinterDef, settings: &EffectiveLinter, bin_dir: &Path) -> Vec<(String, String)> {
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    let path = std::env::var("PATH").unwrap_or_default();
    env.insert("PATH".to_owned(), format!("{}:{path}", bin_dir.display()));
    for key in ["HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ"] {
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
pub fn scratch_dir(cache: &Path, linter: &str, root: &Path) -> PathBuf {
    let hash = blake3::hash(root.to_string_lossy().as_bytes()).to_hex();
    cache.join("scratch").join(linter).join(&hash[..12])
}

/// The arguments of one job (after the program). Extra arguments go before the first `--` or `{files}`
/// of the template, where options still count as options. `root` and `scratch` are as the tool sees them.
pub fn job_args(p: &Prepared, job: &Job, root: &str, scratch: &str) -> Vec<String> {
    let template = p.template.get(1..).unwrap_or(&[]);
    let insert_at = template
        .iter()
        .position(|a| a == "--" || a == "{files}")
        .unwrap_or(template.len());
    let mut args = Vec::new();
    for (i, a) in template.iter().enumerate() {
        if i == insert_at {
            args.extend(p.extra_args.iter().cloned());
            args.extend(job.args.iter().cloned());
        }
        if a == "{files}" {
            args.extend(job.files.iter().map(|f| plan::file_arg(p.def, f)));
        } else {
            args.push(a.replace("{scratch}", scratch).replace("{root}", root));
        }
    }
    if insert_at == template.len() {
        args.extend(p.extra_args.iter().cloned());
        args.extend(job.args.iter().cloned());
    }
    args
}
