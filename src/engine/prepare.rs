//! Getting each linter ready to run, once per check: where its tool comes from (the project, lintmux's
//! pinned install — installed now if allowed —, PATH, or a container image), which config it is handed
//! (the configured one, or lintmux's bundled default when the tool cannot run without one), the argv
//! template, and the version to report — and then turning its batches into [`Action`]s, each with its
//! result-cache key. What cannot be made ready becomes a tool error for that linter only. After this
//! module, nothing looks at definitions or configuration again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use crate::catalog::LinterDef;
use crate::config::Workspace;
use crate::config::{EffectiveLinter, Runner, Severity, ToolsMode};
use crate::engine::cache::{KeyBuilder, VersionCache};
use crate::engine::events::{Event, Sink};
use crate::engine::hashes::FileHashes;
use crate::engine::install;
use crate::engine::resolve::{Resolved, ToolSource, resolve_local};
use crate::engine::{Action, ActionKind, CancelToken, ContainerJob, Engine, Images, Place, ProcessSpec};
use crate::model::Trust;
use crate::model::{ToolError, ToolErrorKind};
use crate::parse::{Ctx, Reading};
use crate::plan::schedule::Batch;

/// How a linter's actions run.
enum Exec {
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
    definition: String,
    exec: Exec,
    /// The argv template: the configured `command`, else the definition's.
    template: Vec<String>,
    /// Config arguments, then the user's `args`.
    extra_args: Vec<String>,
    file_arg: String,
    /// The tool's environment (local: complete; container: the `--env` list).
    env: Vec<(String, String)>,
    timeout: Duration,
    output_cap: usize,
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
    scratch: PathBuf,
    /// The root as the cache key names it: the repository's own, even when the check runs on an export
    /// of it elsewhere (the pre-push check).
    key_root: PathBuf,
    /// Hashes of the config files it reads (path, content), part of every key.
    configs: Option<Vec<(String, blake3::Hash)>>,
    /// Files it reads beyond those it is given (a whole-project linter: every file of its types,
    /// gitignored ones included), part of every key.
    pub(crate) extra_files: Vec<String>,
    /// The fingerprint of the project environment it runs from or imports (see `project_env`).
    environment: Vec<crate::engine::project_env::Item>,
    /// How a formatter prints one file formatted.
    pub(crate) print: Option<PrintSpec>,
    /// How the tool fixes in place, when it can.
    pub(crate) fix: Option<crate::catalog::FixDef>,
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

/// What preparing needs besides the linter.
pub(crate) struct PrepareCtx<'a> {
    pub(crate) ws: &'a Workspace,
    pub(crate) tools: ToolsMode,
    pub(crate) install: bool,
    /// `--runner`: `container` runs every linter that has an image in it; `local` runs all locally.
    pub(crate) runner: Option<Runner>,
    pub(crate) sink: &'a dyn Sink,
    /// The result cache is on (so what the key needs beyond the files is gathered).
    pub(crate) cache: bool,
    pub(crate) cancel: &'a CancelToken,
    pub(crate) engine: &'a OnceLock<Result<Engine, String>>,
    pub(crate) images: &'a Images,
}

fn missing(def: &LinterDef, message: String) -> ToolError {
    ToolError::new(&def.name, ToolErrorKind::Missing, message)
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

pub(crate) fn prepare(cx: &PrepareCtx, def: &LinterDef, files: &[&str]) -> Result<Prepared, ToolError> {
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
            .get_or_init(|| crate::engine::detect_engine(cx.cancel))
            .clone()
            .map_err(|e| missing(def, e))?;
        cx.images
            .ensure(&engine, &image, cx.cancel)
            .map_err(|e| missing(def, e))?;
        let mut mounts = Vec::new();
        let mut extra = Vec::new();
        if let Some(config) = &settings.config {
            let inside = match config.value.strip_prefix(&ws.root) {
                Ok(rel) => format!("{}/{}", crate::engine::MOUNT, rel.display()),
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
        let version = VersionCache::new(&ws.cache).get_or_keyed(&key, || {
            version_in_container(def, &engine, &image, ws, &scratch, cx.cancel)
        });
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
                read_version(def, &resolved, &ws.root, &ws.cache, cx.cancel)
            }),
        };
        (Exec::Local(resolved), extra, version)
    };
    extra_args.extend(settings.args.value.iter().cloned());
    let mut ctx = parser_context(def, &ws.root);
    ctx.awkward_names(files.iter().copied());
    let env = match &exec {
        Exec::Container { .. } => {
            ctx.extra_roots.push(crate::engine::MOUNT.to_owned());
            linter_env(def, &settings)
        }
        Exec::Local(r) => {
            let mut env = child_env(def, &settings, &r.bin_dir, &linter_home(&ws.cache));
            // A tool that looks for the git repository (zizmor writes its paths relative to the
            // repository's top) must not find one above the lint root, or its paths would not be the root's.
            if let Some(parent) = ws.root.parent() {
                env.push((
                    "GIT_CEILING_DIRECTORIES".to_owned(),
                    parent.to_string_lossy().into_owned(),
                ));
            }
            env
        }
    };
    // The config files it reads, hashed once for all its actions (`None`: one could not be read, so
    // nothing of this linter is cached).
    let mut config_paths = own_configs(def, &ws.root, files);
    config_paths.extend(settings.config.iter().map(|c| c.value.clone()));
    config_paths.extend(settings.schemas.values().map(|s| s.value.clone()));
    let configs = config_paths
        .iter()
        .map(|p| Some((p.to_string_lossy().into_owned(), blake3::hash(&std::fs::read(p).ok()?))))
        .collect();
    // What else it reads, for the key: only worth finding when results are cached.
    let (extra_files, environment) = if cx.cache {
        let extra = if def.mode == crate::catalog::Mode::Project {
            let given: std::collections::BTreeSet<&str> = files.iter().copied().collect();
            crate::engine::project_env::all_files_of(&ws.root, &ws.catalog.types, ws.catalog.type_set(def))
                .into_iter()
                .filter(|f| !given.contains(f.as_str()))
                .collect()
        } else {
            Vec::new()
        };
        let environment = if def.prefer_project || !def.project_required_if.is_empty() {
            crate::engine::project_env::fingerprint(&ws.root)
        } else {
            Vec::new()
        };
        (extra, environment)
    } else {
        (Vec::new(), Vec::new())
    };
    let binary = match &exec {
        Exec::Local(r) => {
            // Named without machine paths where lintmux chose the binary itself.
            let shown = match r.source {
                ToolSource::Lintmux => r
                    .program
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                ToolSource::Project => crate::model::relative(&ws.root, &r.program).unwrap_or_default(),
                ToolSource::System => r.program.display().to_string(),
            };
            format!("{shown} ({})", r.source.describe())
        }
        Exec::Container { engine, image, .. } => format!("{image} (container image, run by {})", engine.name()),
    };
    if !settings.refused.is_empty() {
        let refused = format!(
            "trust {} refused the repository's {}",
            ws.config.trust.value.as_str(),
            settings.refused.join(", ")
        );
        note = Some(match note {
            Some(n) => format!("{n}; {refused}"),
            None => refused,
        });
    }
    let engine = match &exec {
        Exec::Container { engine, .. } => Some(engine.name().to_owned()),
        Exec::Local(_) => None,
    };
    Ok(Prepared {
        name: def.name.clone(),
        engine,
        key_root: ws.key_root.clone(),
        binary,
        extra_files,
        environment,
        definition: def.text.clone(),
        exec,
        template,
        extra_args,
        file_arg: def.file_arg.clone(),
        env,
        timeout: Duration::from_secs(settings.timeout.value),
        output_cap: settings.max_output.value.saturating_mul(1024 * 1024) as usize,
        version,
        note,
        reading: reading(def),
        ctx,
        severity: settings.severity.iter().map(|(k, v)| (k.clone(), v.value)).collect(),
        scratch,
        configs,
        print: def.format.as_ref().map(|f| PrintSpec {
            argv: f.print.clone(),
            rule: f.rule.clone(),
            all: !f.list,
            // Checked when the definition was loaded.
            unparsable: f.unparsable.as_deref().and_then(|r| regex::Regex::new(r).ok()),
        }),
        fix: def.fix.clone(),
    })
}

impl Prepared {
    /// The action that runs this linter on `batch`; its key covers every input (`hashes`: the content of
    /// each linted file and of each file it also reads; `None` when the result cache is off).
    /// The lint action of one batch (for a formatter: the files it would change).
    pub(crate) fn action(&self, batch: Batch, hashes: Option<(&FileHashes, &FileHashes)>) -> Action {
        self.action_of(ActionKind::Lint, &self.template, batch, hashes)
    }

    /// The action that prints `file` formatted (a formatter's): the file is its stdin.
    /// Its key covers the file's content (`hashes`); a tool that reads more than its files (a whole-project
    /// one) is not cached here, as those reads are not hashed for it.
    pub(crate) fn print_action(&self, file: &str, hashes: Option<&FileHashes>) -> Option<Action> {
        let template: Vec<String> = self
            .print
            .as_ref()?
            .argv
            .iter()
            .map(|a| a.replace("{file}", file))
            .collect();
        let batch = Batch {
            linter: self.name.clone(),
            files: vec![file.to_owned()],
            args: Vec::new(),
        };
        let keys = hashes.filter(|_| self.extra_files.is_empty()).map(|h| (h, h));
        let mut action = self.action_of(ActionKind::Print, &template, batch, keys);
        action.stdin = Some(self.ctx.root.join(file));
        Some(action)
    }

    /// The action that applies the tool's fixes to a batch in place (`unsafe_fixes`: its unsafe ones too,
    /// where it has them). Never cached: it writes.
    pub(crate) fn fix_action(&self, batch: Batch, unsafe_fixes: bool) -> Option<Action> {
        let fix = self.fix.as_ref()?;
        let template = match (&fix.unsafe_command, unsafe_fixes) {
            (Some(command), true) => command,
            _ => &fix.command,
        };
        Some(self.action_of(ActionKind::Fix, template, batch, None))
    }

    fn action_of(
        &self,
        kind: ActionKind,
        template: &[String],
        batch: Batch,
        hashes: Option<(&FileHashes, &FileHashes)>,
    ) -> Action {
        let (root, scratch) = match &self.exec {
            Exec::Local(_) => (
                self.ctx.root.to_string_lossy().into_owned(),
                self.scratch.to_string_lossy().into_owned(),
            ),
            Exec::Container { .. } => (crate::engine::MOUNT.to_owned(), crate::engine::SCRATCH.to_owned()),
        };
        let (args, files_at) = self.args(template, &root, &scratch, &batch.args);
        let place = match &self.exec {
            Exec::Local(r) => Place::Local {
                program: r.program.clone(),
            },
            Exec::Container { engine, image, mounts } => Place::Container {
                engine: engine.clone(),
                image: image.clone(),
                entrypoint: template.first().cloned().unwrap_or_default(),
                scratch: self.scratch.clone(),
                mounts: mounts.clone(),
            },
        };
        let mut action = Action {
            kind,
            linter: self.name.clone(),
            files: batch.files,
            args,
            files_at,
            file_arg: self.file_arg.clone(),
            env: self.env.clone(),
            cwd: self.ctx.root.clone(),
            timeout: self.timeout,
            output_cap: self.output_cap,
            place,
            key: None,
            stdin: None,
        };
        action.key = hashes.and_then(|(files, reads)| self.key(&action, files, reads));
        action
    }

    /// The result-cache key of `action`, or `None` when an input could not be read.
    fn key(&self, action: &Action, hashes: &FileHashes, reads: &FileHashes) -> Option<String> {
        let mut k = KeyBuilder::new("action");
        // The repository's root, whatever directory the check runs in: an export of the same commit
        // (the pre-push check) shares entries with the working tree, and a stored output keeps the root
        // it was printed in, so its paths are read correctly.
        let (from, to) = (action.cwd.to_string_lossy(), self.key_root.to_string_lossy());
        let keyed = |s: &str| s.replace(from.as_ref(), &to);
        let args: Vec<String> = action.args.iter().map(|a| keyed(a)).collect();
        k.add("kind", format!("{:?}", action.kind).as_bytes())
            .add("definition", self.definition.as_bytes())
            .add("root", to.as_bytes())
            .add("tool", keyed(&action.tool()).as_bytes())
            .add("version", self.version.as_deref().unwrap_or("").as_bytes())
            .add("argv", args.join("\0").as_bytes())
            .add("files at", format!("{:?}", action.files_at).as_bytes())
            .add("file arg", action.file_arg.as_bytes());
        // The environment set for the tool, except PATH: the tool itself is keyed by its path, and PATH
        // differs for no reason between a shell and a git hook (git puts its own directory first).
        // GIT_CEILING_DIRECTORIES is the root's parent: the root is keyed already.
        for (name, value) in action
            .env
            .iter()
            .filter(|(n, _)| n != "PATH" && n != "GIT_CEILING_DIRECTORIES")
        {
            k.add("env", format!("{name}={value}").as_bytes());
        }
        for (path, hash) in self.configs.as_ref()? {
            k.add("config", keyed(path).as_bytes()).add("content", hash.as_bytes());
        }
        for f in &action.files {
            k.add("file", f.as_bytes()).add("content", hashes.get(f)?.as_bytes());
        }
        for f in &self.extra_files {
            // A file that vanished since the walk has no hash: nothing to read, so nothing in the key.
            if let Some(h) = reads.get(f) {
                k.add("reads", f.as_bytes()).add("content", h.as_bytes());
            }
        }
        for (label, h) in &self.environment {
            k.add("environment", label.as_bytes()).add("content", h.as_bytes());
        }
        Some(k.finish())
    }

    /// The arguments of one action (after the program) without its files, and where the files go.
    /// Extra arguments go before the first `--` or `{files}` of the template, where options still count
    /// as options. `root` and `scratch` are as the tool sees them.
    /// The arguments of `template` (whose first word is the program): the config and user arguments go
    /// before `--`, the files, or a lone `-` (stdin), else at the end.
    fn args(
        &self,
        template: &[String],
        root: &str,
        scratch: &str,
        batch_args: &[String],
    ) -> (Vec<String>, Option<usize>) {
        let template = template.get(1..).unwrap_or(&[]);
        let insert_at = template
            .iter()
            .position(|a| a == "--" || a == "{files}" || a == "-")
            .unwrap_or(template.len());
        let mut args = Vec::new();
        let mut files_at = None;
        for (i, a) in template.iter().enumerate() {
            if i == insert_at {
                args.extend(self.extra_args.iter().cloned());
                args.extend(batch_args.iter().cloned());
            }
            if a == "{files}" {
                files_at.get_or_insert(args.len());
            } else {
                args.push(a.replace("{scratch}", scratch).replace("{root}", root));
            }
        }
        if insert_at == template.len() {
            args.extend(self.extra_args.iter().cloned());
            args.extend(batch_args.iter().cloned());
        }
        // A template without {files} (a whole-project linter that finds its own files) takes none.
        (args, files_at)
    }
}

/// Resolves the local tool, installing the pinned one first when that is allowed and needed.
fn resolve_installing(cx: &PrepareCtx, def: &LinterDef) -> Result<Resolved, ToolError> {
    let ws = cx.ws;
    let project = ws.config.trust.value == Trust::All;
    let mut resolved = resolve_local(def, def.binary(), &ws.root, &ws.cache, cx.tools, project);
    let installed = install::ToolInstall::for_def(&ws.cache, def).is_some_and(|i| i.is_installed());
    if resolved.is_err() && cx.tools == ToolsMode::Pinned && cx.install && def.install.is_some() && !installed {
        cx.sink.event(&Event::InstallStarted { linter: &def.name });
        let outcome = install::ensure_installed(&ws.cache, def, cx.cancel);
        cx.sink.event(&Event::InstallFinished { linter: &def.name });
        resolved = match outcome {
            Ok(_) => resolve_local(def, def.binary(), &ws.root, &ws.cache, cx.tools, project),
            Err(e) => Err(e.to_string()),
        };
    }
    resolved.map_err(|m| match m.strip_prefix("refused: ") {
        Some(why) => ToolError::new(&def.name, ToolErrorKind::Refused, why.to_owned()),
        None => missing(def, m),
    })
}

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
    let out = crate::engine::run_process(&spec, cancel).ok()?;
    version_from(def, &out)
}

fn version_in_container(
    def: &LinterDef,
    engine: &Engine,
    image: &str,
    ws: &Workspace,
    scratch: &Path,
    cancel: &CancelToken,
) -> Option<String> {
    let out = crate::engine::run_in_container(
        &ContainerJob {
            engine,
            image,
            entrypoint: def.version.command.first()?,
            args: def.version.command.get(1..)?.to_vec(),
            root: &ws.root,
            scratch,
            mounts: &[],
            env: &[],
            timeout: Duration::from_secs(60),
            output_cap: crate::engine::DEFAULT_OUTPUT_CAP,
            stdin: None,
        },
        cancel,
    )
    .ok()?;
    version_from(def, &out)
}

fn version_from(def: &LinterDef, out: &crate::model::JobOutput) -> Option<String> {
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
