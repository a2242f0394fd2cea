//! Getting each chosen linter ready to run, once per pass: where its tool comes from (the project,
//! lintmux's pinned install — installed now if allowed —, PATH, or a container image), which config it
//! is handed (the configured one, or lintmux's bundled default when the tool cannot run without one), its
//! argv template, environment and version, how its output is read, and what its result-cache keys must
//! cover beyond its files. What cannot be made ready becomes a tool error for that linter only. A
//! [`Prepared`] linter then makes its actions (see `actions`); after this, nothing looks at definitions
//! or configuration again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::cache::VersionCache;
use super::context::Cx;
use super::events::Event;
use super::process::{Engine, MOUNT, detect_engine};
use super::project_env::{self, Item};
use super::request::{Caching, Installs};
use super::resolve::{Resolved, ToolSource, resolve_local};
use super::tool_env::{
    InContainer, child_env, linter_env, linter_home, read_version, scratch_dir, version_in_container,
};
use super::{install, run_pool};
use crate::catalog::{BufferDef, FixDef, LinterDef, Mode};
use crate::config::{EffectiveLinter, Runner, Severity, ToolsMode};
use crate::model::{ToolError, ToolErrorKind, relative};
use crate::parse::{Ctx, Reading};

/// How a linter's actions run.
pub(crate) enum Exec {
    Local(Resolved),
    Container {
        engine: Engine,
        image: String,
        /// Host directories mounted read-only for config files outside the root: (host, container).
        mounts: Vec<(PathBuf, String)>,
    },
}

/// A linter ready to run: everything its actions and the reading of their output need.
pub(crate) struct Prepared {
    pub(crate) name: String,
    /// The definition's text (part of every cache key: editing a definition re-runs its linter).
    pub(crate) definition: String,
    pub(crate) exec: Exec,
    /// The argv template: the configured `command`, else the definition's.
    pub(crate) template: Vec<String>,
    /// Config arguments, then the user's `args`.
    pub(crate) extra_args: Vec<String>,
    pub(crate) file_arg: String,
    /// The tool's environment (local: complete; container: the `--env` list).
    pub(crate) env: Vec<(String, String)>,
    pub(crate) timeout: Duration,
    pub(crate) output_cap: usize,
    pub(crate) version: Option<String>,
    pub(crate) note: Option<String>,
    /// Where the tool that runs came from, for the report.
    pub(crate) binary: String,
    /// The container engine that runs it, when it runs in a container.
    pub(crate) engine: Option<String>,
    /// How to read its output, and the context its parser needs.
    pub(crate) reading: Reading,
    pub(crate) ctx: Ctx,
    pub(crate) severity: BTreeMap<String, Severity>,
    /// The linter's private scratch directory (created).
    pub(crate) scratch: PathBuf,
    /// The root as the cache key names it: the repository's own, even when the check runs on an export
    /// of it elsewhere (the pre-push check).
    pub(crate) key_root: PathBuf,
    /// The directories a cache key names rather than spells out: (path, name) for the scratch directory,
    /// the tools, the cache and the root (see `actions`).
    pub(crate) places: Vec<(String, &'static str)>,
    /// Hashes of the config files it reads (path, content), part of every key; `None` when one could not
    /// be read (then nothing of this linter is cached).
    pub(crate) configs: Option<Vec<(String, blake3::Hash)>>,
    /// Files it reads beyond those it is given (a whole-project linter: every file of its types,
    /// gitignored ones included), part of every key.
    pub(crate) extra_files: Vec<String>,
    /// The fingerprint of the project environment it runs from or imports (see `project_env`).
    pub(crate) environment: Vec<Item>,
    /// How a formatter prints one file formatted.
    pub(crate) print: Option<PrintSpec>,
    /// How the tool fixes in place, when it can.
    pub(crate) fix: Option<FixDef>,
    /// How it lints unsaved content, when it can.
    pub(crate) buffer: Option<BufferDef>,
    pub(crate) mode: Mode,
}

impl Prepared {
    /// A formatter that does not list the files it would change: every file is printed instead.
    pub(crate) fn prints_every_file(&self) -> bool {
        self.print.as_ref().is_some_and(|s| s.all)
    }
}

/// A formatter's `[format]`, ready to use.
pub(crate) struct PrintSpec {
    /// argv that prints one file (its stdin) formatted.
    pub(crate) argv: Vec<String>,
    /// The rule of its listing's findings that mean "this file would change" (`None`: all of them).
    pub(crate) rule: Option<String>,
    /// Its listing is not run: every file is printed.
    pub(crate) all: bool,
    /// What its stderr says when printing failed because the file does not parse.
    pub(crate) unparsable: Option<regex::Regex>,
}

/// The linters of a pass, made ready on the pool (each may install its tool): those ready by name, and a
/// tool error for each that is not.
pub(crate) fn prepare_all(cx: &Cx, chosen: &[(&LinterDef, Vec<&str>)]) -> (BTreeMap<String, Prepared>, Vec<ToolError>) {
    let mut prepared = BTreeMap::new();
    let mut errors = Vec::new();
    for outcome in run_pool(chosen, cx.jobs, |(def, files)| prepare(cx, def, files), |_, _| {}) {
        match outcome {
            Ok(p) => {
                prepared.insert(p.name.clone(), p);
            }
            Err(e) => errors.push(e),
        }
    }
    (prepared, errors)
}

/// How a linter runs, what it is handed beyond the template, its version, and a note for the report.
struct Tool {
    exec: Exec,
    extra_args: Vec<String>,
    version: Option<String>,
    note: Option<String>,
}

/// Makes `def` ready to run on `files`.
fn prepare(cx: &Cx, def: &LinterDef, files: &[&str]) -> Result<Prepared, ToolError> {
    let ws = cx.ws;
    if def.refused {
        let message = format!(
            "{} is defined by the repository ({}), and trust {} (from {}) runs no repository definition",
            def.name,
            def.source,
            ws.config.trust.value.as_str(),
            ws.config.trust.origin
        );
        return Err(ToolError::new(&def.name, ToolErrorKind::Refused, message));
    }
    let settings = ws.config.linter(&def.name);
    let scratch = scratch_dir(&ws.cache, &def.name, &ws.key_root);
    let _ = std::fs::create_dir_all(&scratch);
    let image = ws.image_for(def);
    let runner = match (cx.req.runner, &image) {
        // `--runner container` moves every linter that has an image, and only those.
        (Some(Runner::Container), Some(_)) => Runner::Container,
        (Some(_), _) => Runner::Local,
        (None, _) => settings.runner.value,
    };
    let mut tool = match (runner, image) {
        (Runner::Container, Some(image)) => in_container(cx, def, &settings, files, (image, &scratch))?,
        (Runner::Container, None) => {
            let message = format!(
                "{} runs in a container but has no image: set [linters.{}] image = \"<name>@sha256:<digest>\"",
                def.name, def.name
            );
            return Err(missing(def, message));
        }
        (Runner::Local, _) => local(cx, def, &settings, files)?,
    };
    tool.extra_args.extend(settings.args.value.iter().cloned());
    if !settings.refused.is_empty() {
        let refused = format!(
            "trust {} refused the repository's {}",
            ws.config.trust.value.as_str(),
            settings.refused.join(", ")
        );
        tool.note = Some(match tool.note {
            Some(n) => format!("{n}; {refused}"),
            None => refused,
        });
    }
    let mut ctx = parser_context(def, &ws.root);
    ctx.awkward_names(files.iter().copied());
    let env = match &tool.exec {
        Exec::Container { .. } => {
            ctx.extra_roots.push(MOUNT.to_owned());
            linter_env(def, &settings)
        }
        Exec::Local(r) => local_env(cx, def, &settings, r),
    };
    let (extra_files, environment) = key_reads(cx, def, files);
    Ok(Prepared {
        name: def.name.clone(),
        engine: match &tool.exec {
            Exec::Container { engine, .. } => Some(engine.name().to_owned()),
            Exec::Local(_) => None,
        },
        binary: binary(cx, &tool.exec),
        key_root: ws.key_root.clone(),
        places: vec![
            (scratch.to_string_lossy().into_owned(), "{scratch}"),
            (install::tools_dir(&ws.cache).to_string_lossy().into_owned(), "{tools}"),
            (ws.cache.to_string_lossy().into_owned(), "{cache}"),
            (ws.key_root.to_string_lossy().into_owned(), "{root}"),
        ],
        configs: config_hashes(def, &settings, &ws.root, files),
        extra_files,
        environment,
        definition: def.text.clone(),
        exec: tool.exec,
        template: settings
            .command
            .as_ref()
            .map_or_else(|| def.command.clone(), |c| c.value.clone()),
        extra_args: tool.extra_args,
        file_arg: def.file_arg.clone(),
        env,
        timeout: Duration::from_secs(settings.timeout.value),
        output_cap: settings.max_output.value.saturating_mul(1024 * 1024) as usize,
        version: tool.version,
        note: tool.note,
        reading: reading(def),
        ctx,
        severity: settings.severity.iter().map(|(k, v)| (k.clone(), v.value)).collect(),
        scratch,
        print: def.format.as_ref().map(|f| PrintSpec {
            argv: f.print.clone(),
            rule: f.rule.clone(),
            all: !f.list,
            // Checked when the definition was loaded.
            unparsable: f.unparsable.as_deref().and_then(|r| regex::Regex::new(r).ok()),
        }),
        fix: def.fix.clone(),
        buffer: def.buffer.clone(),
        mode: def.mode,
    })
}

fn missing(def: &LinterDef, message: String) -> ToolError {
    ToolError::new(&def.name, ToolErrorKind::Missing, message)
}

/// `def` in its container `image` (present, or pulled now), its configured config mounted, its version
/// read in the image; `scratch` is its scratch directory.
fn in_container(
    cx: &Cx,
    def: &LinterDef,
    settings: &EffectiveLinter,
    files: &[&str],
    (image, scratch): (String, &Path),
) -> Result<Tool, ToolError> {
    let ws = cx.ws;
    let engine = cx
        .engine
        .get_or_init(|| detect_engine(cx.cancel))
        .clone()
        .map_err(|e| missing(def, e))?;
    cx.images
        .ensure(&engine, &image, cx.cancel)
        .map_err(|e| missing(def, e))?;
    let mut mounts = Vec::new();
    let mut extra_args = Vec::new();
    let mut note = None;
    if let Some(config) = &settings.config {
        let inside = match config.value.strip_prefix(&ws.root) {
            Ok(rel) => format!("{MOUNT}/{}", rel.display()),
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
        extra_args = config_arg(def, &inside);
    } else if def.default_config.is_some() && own_configs(def, &ws.root, files).is_empty() {
        note = Some(format!(
            "no {} config in the repository, and lintmux's bundled default is not used in a container",
            def.name
        ));
    }
    let key = format!("{} {image} {}", engine.program.display(), def.version.command.join(" "));
    let at = InContainer {
        engine: &engine,
        image: &image,
        root: &ws.root,
        scratch,
    };
    let version = VersionCache::new(&ws.cache).get_or_keyed(&key, || version_in_container(def, &at, cx.cancel));
    Ok(Tool {
        exec: Exec::Container { engine, image, mounts },
        extra_args,
        version,
        note,
    })
}

/// `def` as a local tool (installed now when allowed and missing), with its config and version.
fn local(cx: &Cx, def: &LinterDef, settings: &EffectiveLinter, files: &[&str]) -> Result<Tool, ToolError> {
    let ws = cx.ws;
    let resolved = resolve_installing(cx, def)?;
    let mut extra_args = Vec::new();
    let mut note = None;
    if let Some(config) = &settings.config {
        extra_args = config_arg(def, &config.value.to_string_lossy());
    } else if let Some(default) = &def.default_config
        && own_configs(def, &ws.root, files).is_empty()
    {
        let bundled = install::ToolInstall::for_def(&ws.cache, def).map(|i| i.dir.join(default));
        match bundled.filter(|p| resolved.source == ToolSource::Lintmux && p.is_file()) {
            Some(path) => {
                extra_args = config_arg(def, &path.to_string_lossy());
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
            read_version(def, &resolved, &ws.root, &ws.cache, cx.cancel)
        }),
    };
    Ok(Tool {
        exec: Exec::Local(resolved),
        extra_args,
        version,
        note,
    })
}

/// The arguments that hand `def` the config file at `path`.
fn config_arg(def: &LinterDef, path: &str) -> Vec<String> {
    def.config_arg.iter().map(|a| a.replace("{config}", path)).collect()
}

/// The whole environment of a local tool.
fn local_env(cx: &Cx, def: &LinterDef, settings: &EffectiveLinter, resolved: &Resolved) -> Vec<(String, String)> {
    let ws = cx.ws;
    let mut env = child_env(def, settings, &resolved.bin_dir, &linter_home(&ws.cache));
    // A tool that looks for the git repository (zizmor writes its paths relative to the repository's top)
    // must not find one above the lint root, or its paths would not be the root's.
    if let Some(parent) = ws.root.parent() {
        env.push((
            "GIT_CEILING_DIRECTORIES".to_owned(),
            parent.to_string_lossy().into_owned(),
        ));
    }
    env
}

/// Where the tool that runs came from, for the report: named without machine paths where lintmux chose
/// the binary itself.
fn binary(cx: &Cx, exec: &Exec) -> String {
    match exec {
        Exec::Local(r) => {
            let shown = match r.source {
                ToolSource::Lintmux => r
                    .program
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                ToolSource::Project => relative(&cx.ws.root, &r.program).unwrap_or_default(),
                ToolSource::System => r.program.display().to_string(),
            };
            format!("{shown} ({})", r.source.describe())
        }
        Exec::Container { engine, image, .. } => format!("{image} (container image, run by {})", engine.name()),
    }
}

/// The config files `def` reads for `files`, hashed once for all its actions (`None`: one could not be
/// read, so nothing of this linter is cached).
fn config_hashes(
    def: &LinterDef,
    settings: &EffectiveLinter,
    root: &Path,
    files: &[&str],
) -> Option<Vec<(String, blake3::Hash)>> {
    let mut paths = own_configs(def, root, files);
    paths.extend(settings.config.iter().map(|c| c.value.clone()));
    paths.extend(settings.schemas.values().map(|s| s.value.clone()));
    paths
        .iter()
        .map(|p| Some((p.to_string_lossy().into_owned(), blake3::hash(&std::fs::read(p).ok()?))))
        .collect()
}

/// What else `def` reads, for its keys (only worth finding when results are cached): for a whole-project
/// linter, every other file of its types; for one that runs from or imports the project's environment, a
/// fingerprint of it.
fn key_reads(cx: &Cx, def: &LinterDef, files: &[&str]) -> (Vec<String>, Vec<Item>) {
    if cx.req.caching == Caching::Off {
        return (Vec::new(), Vec::new());
    }
    let ws = cx.ws;
    let extra = if def.mode == Mode::Project {
        let given: BTreeSet<&str> = files.iter().copied().collect();
        project_env::all_files_of(&ws.root, &ws.catalog.types, ws.catalog.type_set(def))
            .into_iter()
            .filter(|f| !given.contains(f.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    let environment = if def.prefer_project || !def.project_required_if.is_empty() {
        project_env::fingerprint(&ws.root)
    } else {
        Vec::new()
    };
    (extra, environment)
}

/// The config files of `def` present in the root or in a directory on the way to one of `files`.
pub(crate) fn own_configs(def: &LinterDef, root: &Path, files: &[impl AsRef<str>]) -> Vec<PathBuf> {
    // Directories as root-relative strings ("" is the root): cheap to hash, where comparing paths
    // component by component for every ancestor of 90,000 files is not.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    seen.insert("");
    for f in files {
        let mut dir = f.as_ref();
        while let Some(i) = dir.rfind('/') {
            dir = &dir[..i];
            if !seen.insert(dir) {
                break;
            }
        }
    }
    let mut dirs: Vec<&str> = seen.into_iter().collect();
    dirs.sort_unstable();
    dirs.iter()
        .flat_map(|d| {
            let dir = if d.is_empty() { root.to_path_buf() } else { root.join(d) };
            def.config_files.iter().map(move |c| dir.join(c))
        })
        .filter(|p| p.is_file())
        .collect()
}

/// Resolves the local tool, installing the pinned one first when that is allowed and needed.
fn resolve_installing(cx: &Cx, def: &LinterDef) -> Result<Resolved, ToolError> {
    let (ws, tools) = (cx.ws, cx.req.tools);
    let trust = ws.config.trust.value;
    let mut resolved = resolve_local(def, &ws.root, &ws.cache, tools, trust);
    let installed = install::ToolInstall::for_def(&ws.cache, def).is_some_and(|i| i.is_installed());
    if resolved.is_err()
        && tools == ToolsMode::Pinned
        && cx.req.installs == Installs::OnDemand
        && def.install.is_some()
        && !installed
    {
        cx.sink.event(&Event::InstallStarted { linter: &def.name });
        let outcome = install::ensure_installed(&ws.cache, def, cx.cancel);
        cx.sink.event(&Event::InstallFinished { linter: &def.name });
        resolved = match outcome {
            Ok(_) => resolve_local(def, &ws.root, &ws.cache, tools, trust),
            Err(e) => Err(e.to_string()),
        };
    }
    resolved.map_err(|m| match m.strip_prefix("refused: ") {
        Some(why) => ToolError::new(&def.name, ToolErrorKind::Refused, why.to_owned()),
        None => missing(def, m),
    })
}

/// What `def`'s parser needs to know of the definition, for a run in `root`.
pub(crate) fn parser_context(def: &LinterDef, root: &Path) -> Ctx {
    let mut ctx = Ctx::new(&def.name, root);
    ctx.rule_url = def.rule_url.clone();
    ctx.default_level = def.output.level;
    ctx.default_rule = def.output.rule.clone();
    ctx.pattern = def.output.pattern.as_deref().and_then(|s| regex::Regex::new(s).ok());
    ctx.specific = def
        .output
        .specific
        .iter()
        .filter_map(|p| Some((regex::Regex::new(&p.pattern).ok()?, p.rule.clone(), p.level)))
        .collect();
    ctx.ignore = def
        .output
        .ignore
        .iter()
        .filter_map(|s| regex::Regex::new(s).ok())
        .collect();
    ctx
}

/// How to read `def`'s output.
pub(crate) fn reading(def: &LinterDef) -> Reading {
    Reading {
        linter: def.name.clone(),
        stream: def.output.stream,
        format: def.output.format,
        ok_exit_codes: def.ok_exit_codes.clone(),
        findings_exit_codes: def.findings_exit_codes.clone(),
    }
}
