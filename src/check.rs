//! The `check` pipeline, stage by stage: find the root, load config and catalog, walk, choose linters,
//! provision their tools, plan jobs, run them on the bounded pool, interpret each output, and assemble the
//! [`Report`]. Nothing here formats output; the caller hands the report to a reporter.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::cache::{FileHashes, KeyBuilder, ResultCache, VersionCache};
use crate::catalog::{Catalog, LinterDef};
use crate::config::{self, Effective, EffectiveLinter};
use crate::filter;
use crate::finding::{ToolError, ToolErrorKind};
use crate::git;
use crate::install;
use crate::parse::{Ctx, interpret};
use crate::plan::{self, Job};
use crate::report::{FileStats, LinterRun, Report};
use crate::run::{self, ProcessSpec, Resolved, ToolSource, ToolsMode};
use crate::walk::{self, WalkOptions, Walked};

/// Where the run takes place and with what; built by `cli.rs`, free of clap.
#[derive(Clone, Debug)]
pub struct Workspace {
    pub root: PathBuf,
    /// The effective configuration (defaults when there is no lintmux.toml).
    pub config: Effective,
    pub catalog: Catalog,
    pub cache: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error(transparent)]
    Chain(#[from] crate::config::ChainError),
    /// Not `#[from]`: the merge error is the whole message, not a cause to print again.
    #[error("invalid configuration {0}")]
    Merge(crate::config::MergeError),
    #[error(transparent)]
    Walk(#[from] crate::walk::WalkError),
    #[error("unknown linter `{name}`; known linters: {known}")]
    UnknownLinter { name: String, known: String },
    #[error("cannot read the current directory: {0}")]
    Cwd(#[source] std::io::Error),
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
    #[error("cannot use the baseline: {0}")]
    Baseline(String),
}

impl From<crate::config::MergeError> for SetupError {
    fn from(e: crate::config::MergeError) -> Self {
        SetupError::Merge(e)
    }
}

impl Workspace {
    /// Finds the root (from `--root`, else from the first path argument or the current directory) and
    /// loads its config and linters.d.
    pub fn open(
        cwd: &Path,
        root: Option<&Path>,
        paths: &[PathBuf],
        config_path: Option<&Path>,
    ) -> Result<Workspace, SetupError> {
        let root = match root {
            Some(r) => walk::absolute(cwd, r),
            None => {
                let start = paths
                    .first()
                    .map(|p| walk::absolute(cwd, p))
                    .map(|p| {
                        if p.is_dir() {
                            p
                        } else {
                            p.parent().map(Path::to_path_buf).unwrap_or(p)
                        }
                    })
                    .unwrap_or_else(|| cwd.to_path_buf());
                walk::find_root(&start)
            }
        };
        let root = root.canonicalize().unwrap_or(root);
        let cache = install::cache_dir();
        let config_path = config_path
            .map(|p| walk::absolute(cwd, p))
            .or_else(|| config::find(&root));
        let layers = match &config_path {
            Some(p) => {
                // Named as the user would: relative to the current directory when it is below it.
                let label = p
                    .strip_prefix(cwd)
                    .map_or_else(|_| p.display().to_string(), |r| r.display().to_string());
                config::load_chain(p, &label, &cache)?
            }
            None => Vec::new(),
        };
        // linters.d of every file of the chain (a central standard can ship definitions), then the root's.
        let mut dirs: Vec<PathBuf> = layers.iter().map(|l| l.dir().join("linters.d")).collect();
        dirs.push(root.join("linters.d"));
        let mut seen = BTreeSet::new();
        dirs.retain(|d| seen.insert(d.canonicalize().unwrap_or_else(|_| d.clone())));
        let catalog = Catalog::load(&dirs)?;
        let config = config::merge(&layers, &catalog)?;
        Ok(Workspace {
            root,
            config,
            catalog,
            cache,
        })
    }

    /// Absolute forms of the path arguments (canonicalised so they compare with the root).
    pub fn abs_paths(&self, cwd: &Path, paths: &[PathBuf]) -> Vec<PathBuf> {
        paths
            .iter()
            .map(|p| {
                let abs = walk::absolute(cwd, p);
                abs.canonicalize().unwrap_or(abs)
            })
            .collect()
    }

    pub fn walk(&self, cwd: &Path, paths: &[PathBuf], jobs: usize) -> Result<Walked, SetupError> {
        let opts = WalkOptions {
            max_file_size: self.config.max_file_size.value,
            exclude: self.config.exclude.value.clone(),
            threads: jobs,
        };
        Ok(walk::walk(&self.root, &self.abs_paths(cwd, paths), &opts)?)
    }

    /// The linters to run: those named, else every enabled linter whose file types are present.
    pub fn select<'a>(&'a self, named: Option<&[String]>, walked: &Walked) -> Result<Vec<&'a LinterDef>, SetupError> {
        let known = || self.catalog.linters.keys().cloned().collect::<Vec<_>>().join(", ");
        if let Some(names) = named {
            return names
                .iter()
                .map(|n| {
                    self.catalog.get(n).ok_or_else(|| SetupError::UnknownLinter {
                        name: n.clone(),
                        known: known(),
                    })
                })
                .collect();
        }
        let present: BTreeSet<&str> = walked.targets.iter().map(|t| t.file_type).collect();
        let cfg = &self.config;
        Ok(self
            .catalog
            .linters
            .values()
            .filter(|def| {
                let chosen = match &cfg.enable {
                    Some(enable) => enable.value.contains(&def.name),
                    None => def.file_types.iter().any(|t| present.contains(t.as_str())),
                } && !cfg.disable.value.contains(&def.name);
                cfg.linters
                    .get(&def.name)
                    .and_then(|l| l.enabled.as_ref())
                    .map_or(chosen, |e| e.value)
            })
            .collect())
    }

    /// The files of `targets` that `def` lints, after the linter's include and exclude globs.
    pub fn files_for<'t>(
        &self,
        def: &LinterDef,
        settings: &EffectiveLinter,
        targets: &'t [walk::Target],
    ) -> Vec<&'t str> {
        let set = |globs: &[String]| {
            let mut b = globset::GlobSetBuilder::new();
            for g in globs {
                if let Ok(g) = globset::Glob::new(g) {
                    b.add(g);
                }
            }
            b.build().unwrap_or_else(|_| globset::GlobSet::empty())
        };
        let include = set(&settings.include.value);
        let exclude = set(&settings.exclude.value);
        plan::files_for(def, targets)
            .into_iter()
            .filter(|f| (settings.include.value.is_empty() || include.is_match(f)) && !exclude.is_match(f))
            .collect()
    }
}

#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub linters: Option<Vec<String>>,
    pub jobs: usize,
    pub tools: ToolsMode,
    pub install: bool,
    /// Use the result cache.
    pub cache: bool,
    /// Only files changed since the merge base with this reference (`Some(None)`: the default one).
    pub changed: Option<Option<String>>,
    /// Only findings on lines added or modified since the merge base with this reference.
    pub new_only: Option<Option<String>>,
    /// Drop findings already present in this SARIF report.
    pub baseline: Option<PathBuf>,
    /// Run only this share of the jobs.
    pub shard: Option<Shard>,
}

/// One of `count` deterministic shares of the work (`index` from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Does this shard lint `path`? A stable hash of the path decides, the same on every machine.
    pub fn takes(&self, path: &str) -> bool {
        let h = blake3::hash(path.as_bytes());
        let n = u64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap_or([0; 8]));
        n % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// Progress of a check, for a progress bar; the pipeline does not know how it is shown.
pub trait Progress: Sync {
    fn installing(&self, _linter: &str) {}
    fn installed(&self, _linter: &str) {}
    fn jobs(&self, _total: usize) {}
    fn job_done(&self, _linter: &str) {}
}

/// A [`Progress`] that shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// Does any of `def`'s config files exist in the root or a directory on the way to one of `files`?
/// The config files of `def` present in the root or in a directory on the way to one of `files`.
fn own_configs(def: &LinterDef, root: &Path, files: &[String]) -> Vec<PathBuf> {
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    dirs.insert(root.to_path_buf());
    for f in files {
        let mut p = root.join(f);
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

/// The result-cache key of one job, or `None` when an input could not be read.
fn job_key(p: &Prepared, job: &Job, spec: &ProcessSpec, root: &Path, hashes: &FileHashes) -> Option<String> {
    let mut k = KeyBuilder::new("job");
    k.add("definition", p.def.text.as_bytes())
        .add("program", spec.program.to_string_lossy().as_bytes())
        .add("version", p.version.as_deref().unwrap_or("").as_bytes())
        .add("argv", spec.args.join("\0").as_bytes());
    for (name, value) in spec.env.iter().filter(|(n, _)| n != "PATH") {
        k.add("env", format!("{name}={value}").as_bytes());
    }
    let mut configs = own_configs(p.def, root, &job.files);
    configs.extend(p.settings.config.iter().map(|c| c.value.clone()));
    for config in configs {
        let bytes = std::fs::read(&config).ok()?;
        k.add("config", config.to_string_lossy().as_bytes())
            .add("content", blake3::hash(&bytes).as_bytes());
    }
    for f in &job.files {
        k.add("file", f.as_bytes()).add("content", hashes.get(f)?.as_bytes());
    }
    Some(k.finish())
}

/// A linter ready to run: its binary and the extra arguments chosen for it.
struct Prepared<'a> {
    def: &'a LinterDef,
    settings: EffectiveLinter,
    resolved: Resolved,
    extra_args: Vec<String>,
    version: Option<String>,
    note: Option<String>,
}

/// Reads the installed version with the definition's version command.
pub fn read_version(def: &LinterDef, resolved: &Resolved, root: &Path) -> Option<String> {
    let mut args = def.version.command.clone();
    if args.is_empty() {
        return None;
    }
    args.remove(0);
    let out = run::run_process(&ProcessSpec {
        program: resolved.program.clone(),
        args,
        cwd: root.to_path_buf(),
        env: child_env(def, &EffectiveLinter::default(), &resolved.bin_dir),
        timeout: Duration::from_secs(60),
    })
    .ok()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let re = regex::Regex::new(&def.version.pattern).ok()?;
    Some(re.captures(&text)?.get(1)?.as_str().to_owned())
}

/// The whole environment a linter sees: its tool directory first on PATH, HOME and locale, settings that
/// keep tools from colouring output or writing bytecode into the repository, and the variables its
/// definition passes through. Nothing else from lintmux's environment (CI secrets stay out).
pub fn child_env(def: &LinterDef, settings: &EffectiveLinter, bin_dir: &Path) -> Vec<(String, String)> {
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    let path = std::env::var("PATH").unwrap_or_default();
    env.insert("PATH".to_owned(), format!("{}:{path}", bin_dir.display()));
    for key in ["HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ"]
        .into_iter()
        .chain(def.env.iter().map(String::as_str))
        .chain(settings.pass_env.value.iter().map(String::as_str))
    {
        if let Ok(v) = std::env::var(key) {
            env.insert(key.to_owned(), v);
        }
    }
    env.insert("NO_COLOR".to_owned(), "1".to_owned());
    env.insert("FORCE_COLOR".to_owned(), "0".to_owned());
    env.insert("PYTHONDONTWRITEBYTECODE".to_owned(), "1".to_owned());
    for (k, v) in &settings.env {
        env.insert(k.clone(), v.value.clone());
    }
    env.into_iter().collect()
}

fn scratch_dir(cache: &Path, linter: &str, root: &Path) -> PathBuf {
    let hash = blake3::hash(root.to_string_lossy().as_bytes()).to_hex();
    cache.join("scratch").join(linter).join(&hash[..12])
}

/// The command line of one job. Extra arguments (config, then the user's `args`) go before the first
/// `--` or `{files}` of the template, where options still count as options.
fn argv(p: &Prepared, job: &Job, root: &Path, scratch: &Path) -> Vec<String> {
    let template = &p.def.command[1..];
    let insert_at = template
        .iter()
        .position(|a| a == "--" || a == "{files}")
        .unwrap_or(template.len());
    let mut args = Vec::new();
    for (i, a) in template.iter().enumerate() {
        if i == insert_at {
            args.extend(p.extra_args.iter().cloned());
        }
        if a == "{files}" {
            args.extend(job.files.iter().map(|f| plan::file_arg(p.def, f)));
        } else {
            args.push(
                a.replace("{scratch}", &scratch.to_string_lossy())
                    .replace("{root}", &root.to_string_lossy()),
            );
        }
    }
    if insert_at == template.len() {
        args.extend(p.extra_args.iter().cloned());
    }
    args
}

/// Runs the check. Errors here are setup errors (exit 2); everything that goes wrong with a linter is a
/// tool error in the report.
pub fn check(ws: &Workspace, cwd: &Path, opts: &CheckOptions, progress: &dyn Progress) -> Result<Report, SetupError> {
    let started = Instant::now();
    let jobs_n = opts.jobs.max(1);
    let walked = ws.walk(cwd, &opts.paths, jobs_n)?;
    let selected = ws.select(opts.linters.as_deref(), &walked)?;
    let mut report = Report {
        root: ws.root.clone(),
        ..Report::default()
    };
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    for t in &walked.targets {
        *by_type.entry(t.file_type.to_owned()).or_default() += 1;
    }
    report.files = FileStats {
        linted: 0,
        by_type,
        skipped_binary: walked.skipped_count(walk::SkipReason::Binary),
        skipped_too_large: walked.skipped_count(walk::SkipReason::TooLarge),
    };

    // Resolve (and, where allowed, install) each linter that has files.
    let changed = match &opts.changed {
        Some(reference) => Some(changed_since(&ws.root, reference.as_deref())?),
        None => None,
    };
    let with_files: Vec<(&LinterDef, Vec<&str>)> = selected
        .iter()
        .map(|d| {
            let mut files = ws.files_for(d, &ws.config.linter(&d.name), &walked.targets);
            if let Some(changed) = &changed {
                if d.mode == crate::catalog::Mode::Project {
                    // A whole-program linter runs on everything when any of its files changed.
                    if !files.iter().any(|f| changed.contains(*f)) {
                        files.clear();
                    }
                } else {
                    files.retain(|f| changed.contains(*f));
                }
            }
            if let Some(shard) = opts.shard {
                if d.mode == crate::catalog::Mode::Project {
                    if shard.index != 1 {
                        files.clear();
                    }
                } else {
                    files.retain(|f| shard.takes(f));
                }
            }
            (*d, files)
        })
        .filter(|(_, files)| !files.is_empty())
        .collect();
    let prepared: Mutex<Vec<Prepared>> = Mutex::new(Vec::new());
    let errors: Mutex<Vec<ToolError>> = Mutex::new(Vec::new());
    let linted: BTreeSet<&str> = with_files.iter().flat_map(|(_, f)| f.iter().copied()).collect();
    report.files.linted = linted.len();
    run::run_pool(
        &with_files,
        jobs_n,
        |(def, files)| {
            let mut resolved = run::resolve_local(def, def.binary(), &ws.root, &ws.cache, opts.tools);
            if resolved.is_err() && opts.tools == ToolsMode::Pinned && opts.install && def.install.is_some() {
                progress.installing(&def.name);
                let outcome = install::ensure_installed(&ws.cache, def);
                progress.installed(&def.name);
                resolved = match outcome {
                    Ok(_) => run::resolve_local(def, def.binary(), &ws.root, &ws.cache, opts.tools),
                    Err(e) => Err(e.to_string()),
                };
            }
            let resolved = match resolved {
                Ok(r) => r,
                Err(message) => {
                    errors.lock().unwrap_or_else(|e| e.into_inner()).push(ToolError {
                        linter: def.name.clone(),
                        kind: ToolErrorKind::Missing,
                        message,
                        output_tail: String::new(),
                    });
                    return;
                }
            };
            let settings = ws.config.linter(&def.name);
            let config_args = |path: &Path| -> Vec<String> {
                def.config_arg
                    .iter()
                    .map(|a| a.replace("{config}", &path.to_string_lossy()))
                    .collect()
            };
            let mut extra_args = Vec::new();
            let mut note = None;
            if let Some(config) = &settings.config {
                extra_args = config_args(&config.value);
            } else if let Some(default) = &def.default_config
                && own_configs(
                    def,
                    &ws.root,
                    &files.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>(),
                )
                .is_empty()
            {
                let bundled = install::ToolInstall::for_def(&ws.cache, def).map(|i| i.dir.join(default));
                match bundled.filter(|p| resolved.source == ToolSource::Lintmux && p.is_file()) {
                    Some(path) => {
                        extra_args = config_args(&path);
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
            extra_args.extend(settings.args.value.iter().cloned());
            let version = match resolved.source {
                ToolSource::Lintmux => Some(def.version.pin.clone()),
                _ => VersionCache::new(&ws.cache).get_or(&resolved.program, &def.version.command, || {
                    read_version(def, &resolved, &ws.root)
                }),
            };
            prepared.lock().unwrap_or_else(|e| e.into_inner()).push(Prepared {
                def,
                settings,
                resolved,
                extra_args,
                version,
                note,
            });
        },
        |_, _| {},
    );
    let mut prepared = prepared.into_inner().unwrap_or_else(|e| e.into_inner());
    prepared.sort_by(|a, b| a.def.name.cmp(&b.def.name));
    report.tool_errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());

    // Plan and run.
    let mut jobs: Vec<Job> = Vec::new();
    for (def, files) in &with_files {
        if prepared.iter().any(|p| p.def.name == def.name) {
            jobs.extend(plan::plan_linter(def, files, jobs_n));
        }
    }
    plan::order(&mut jobs, &|name| {
        ws.catalog.get(name).map(|d| d.mode).unwrap_or_default()
    });
    progress.jobs(jobs.len());
    let hashes = if opts.cache {
        let all: Vec<&str> = linted.iter().copied().collect();
        FileHashes::compute(&ws.root, &all, jobs_n)
    } else {
        FileHashes::default()
    };
    let results_cache = ResultCache::new(&ws.cache);
    let run_started = Instant::now();
    let results = run::run_pool(
        &jobs,
        jobs_n,
        |job| {
            let p = prepared
                .iter()
                .find(|p| p.def.name == job.linter)
                .expect("planned only prepared linters");
            let scratch = scratch_dir(&ws.cache, &p.def.name, &ws.root);
            let _ = std::fs::create_dir_all(&scratch);
            let spec = ProcessSpec {
                program: p.resolved.program.clone(),
                args: argv(p, job, &ws.root, &scratch),
                cwd: ws.root.clone(),
                env: child_env(p.def, &p.settings, &p.resolved.bin_dir),
                timeout: Duration::from_secs(p.settings.timeout.value),
            };
            let start = run_started.elapsed();
            let key = if opts.cache {
                job_key(p, job, &spec, &ws.root, &hashes)
            } else {
                None
            };
            if let Some(found) = key.as_deref().and_then(|k| results_cache.get(k)) {
                return (filter::apply_severity(found, &p.settings.severity), None, start, start);
            }
            let outcome = run::run_process(&spec);
            let end = run_started.elapsed();
            let (findings, error) = match outcome {
                Ok(out) => {
                    let mut ctx = Ctx::new(&p.def.name, &ws.root);
                    ctx.rule_url = p.def.rule_url.clone();
                    ctx.default_level = p.def.output.level;
                    ctx.default_rule = p.def.output.rule.clone();
                    ctx.pattern = p.def.output.pattern.as_deref().and_then(|s| regex::Regex::new(s).ok());
                    let (findings, error) = interpret(p.def, &out, &ctx);
                    if let (Some(key), None) = (&key, &error) {
                        results_cache.put(key, &findings);
                    }
                    (filter::apply_severity(findings, &p.settings.severity), error)
                }
                Err(e) => (
                    Vec::new(),
                    Some(ToolError {
                        linter: p.def.name.clone(),
                        kind: ToolErrorKind::Spawn,
                        message: format!("failed to start {}: {e}", spec.program.display()),
                        output_tail: String::new(),
                    }),
                ),
            };
            (findings, error, start, end)
        },
        |job, _| progress.job_done(&job.linter),
    );

    let mut spans: BTreeMap<&str, (Duration, Duration, usize)> = BTreeMap::new();
    for (job, (findings, error, start, end)) in jobs.iter().zip(results) {
        report.findings.extend(findings);
        report.tool_errors.extend(error);
        let span = spans.entry(job.linter.as_str()).or_insert((start, end, 0));
        span.0 = span.0.min(start);
        span.1 = span.1.max(end);
        span.2 += 1;
    }
    for (def, files) in &with_files {
        let p = prepared.iter().find(|p| p.def.name == def.name);
        let span = spans.get(def.name.as_str()).copied().unwrap_or_default();
        report.linters.push(LinterRun {
            name: def.name.clone(),
            version: p.and_then(|p| p.version.clone()),
            homepage: def.homepage.clone(),
            files: files.len(),
            jobs: span.2,
            note: p.and_then(|p| p.note.clone()),
            wall: span.1.saturating_sub(span.0),
            ..LinterRun::default()
        });
    }
    report.normalise();
    if let Some(reference) = &opts.new_only {
        let new = new_lines_since(&ws.root, reference.as_deref())?;
        filter::keep_new(&mut report, &new);
    }
    if let Some(path) = &opts.baseline {
        let known = filter::baseline_identities(path).map_err(SetupError::Baseline)?;
        filter::drop_known(&mut report, &known);
    }
    report.wall = started.elapsed();
    Ok(report)
}

/// The merge base with `reference` (or the default reference) of the repository holding `root`.
fn base_commit(root: &Path, reference: Option<&str>) -> Result<(PathBuf, String), SetupError> {
    let top = git::toplevel(root)?;
    let reference = match reference {
        Some(r) => r.to_owned(),
        None => git::default_base(&top)?,
    };
    let base = git::merge_base(&top, &reference)?;
    Ok((top, base))
}

/// Root-relative paths of the files changed since the merge base.
fn changed_since(root: &Path, reference: Option<&str>) -> Result<BTreeSet<String>, SetupError> {
    let (top, base) = base_commit(root, reference)?;
    Ok(git::changed_files(&top, &base)?
        .iter()
        .filter_map(|p| walk::relative(root, p))
        .collect())
}

/// Root-relative paths and their new lines since the merge base.
fn new_lines_since(root: &Path, reference: Option<&str>) -> Result<BTreeMap<String, git::NewLines>, SetupError> {
    let (top, base) = base_commit(root, reference)?;
    Ok(git::new_lines(&top, &base)?
        .into_iter()
        .filter_map(|(p, lines)| Some((walk::relative(root, &p)?, lines)))
        .collect())
}
