//! The `check` pipeline, stage by stage: find the root, load config and catalog, walk, choose linters,
//! provision their tools, plan jobs, run them on the bounded pool, interpret each output, and assemble the
//! [`Report`]. Nothing here formats output; the caller hands the report to a reporter.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::cache::{FileHashes, KeyBuilder, ResultCache};
use crate::catalog::LinterDef;
use crate::config::Runner;
use crate::filter;
use crate::finding::{Finding, ToolError, ToolErrorKind};
use crate::git;
use crate::parse::interpret;
use crate::plan::{self, Job};
use crate::prepare::{self, Exec, PrepareCtx, Prepared};
use crate::report::{FileStats, LinterRun, Report};
use crate::run::{self, ContainerJob, Images, ProcessSpec, ToolsMode};
use crate::walk;
pub use crate::workspace::{SetupError, Workspace};

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
    /// `--runner`: overrides every linter's runner (`container` only where an image is known).
    pub runner: Option<Runner>,
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

/// The result-cache key of one job, or `None` when an input could not be read. `identity` names the tool
/// (its program, or its image), `args` its arguments as the tool sees them.
fn job_key(
    p: &Prepared,
    job: &Job,
    identity: &str,
    args: &[String],
    root: &Path,
    hashes: &FileHashes,
) -> Option<String> {
    let mut k = KeyBuilder::new("job");
    k.add("definition", p.def.text.as_bytes())
        .add("tool", identity.as_bytes())
        .add("version", p.version.as_deref().unwrap_or("").as_bytes())
        .add("argv", args.join("\0").as_bytes());
    for (name, value) in prepare::linter_env(p.def, &p.settings) {
        k.add("env", format!("{name}={value}").as_bytes());
    }
    let mut configs = prepare::own_configs(p.def, root, &job.files);
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

/// Runs one job (from the cache when it can): its findings, after severity overrides, and its error.
fn run_job(
    p: &Prepared,
    job: &Job,
    ws: &Workspace,
    cache: Option<(&ResultCache, &FileHashes)>,
) -> (Vec<Finding>, Option<ToolError>) {
    if run::CANCELLED.load(std::sync::atomic::Ordering::SeqCst) {
        // Interrupted: start nothing new.
        let message = format!("{} was interrupted", p.def.name);
        return (
            Vec::new(),
            Some(ToolError::new(&p.def.name, ToolErrorKind::Cancelled, message)),
        );
    }
    let timeout = Duration::from_secs(p.settings.timeout.value);
    let (identity, args) = match &p.exec {
        Exec::Local(r) => (
            r.program.to_string_lossy().into_owned(),
            prepare::job_args(p, job, &ws.root.to_string_lossy(), &p.scratch.to_string_lossy()),
        ),
        Exec::Container { image, .. } => (
            format!("container {image}"),
            prepare::job_args(p, job, run::MOUNT, run::SCRATCH),
        ),
    };
    let key = cache.and_then(|(_, hashes)| job_key(p, job, &identity, &args, &ws.root, hashes));
    if let (Some(key), Some((results, _))) = (&key, cache)
        && let Some(found) = results.get(key)
    {
        return (filter::apply_severity(found, &p.settings.severity), None);
    }
    let outcome = match &p.exec {
        Exec::Local(r) => run::run_process(&ProcessSpec {
            program: r.program.clone(),
            args,
            cwd: ws.root.clone(),
            env: prepare::child_env(p.def, &p.settings, &r.bin_dir),
            timeout,
        }),
        Exec::Container { engine, image, mounts } => run::run_in_container(&ContainerJob {
            engine,
            image,
            entrypoint: p.template.first().map_or("", String::as_str),
            args,
            root: &ws.root,
            scratch: &p.scratch,
            mounts,
            env: &prepare::linter_env(p.def, &p.settings),
            timeout,
        }),
    };
    match outcome {
        Ok(out) => {
            let (findings, error) = interpret(p.def, &out, &p.ctx);
            if let (Some(key), Some((results, _)), None) = (&key, cache, &error) {
                results.put(key, &findings);
            }
            (filter::apply_severity(findings, &p.settings.severity), error)
        }
        Err(e) => {
            let message = format!("failed to start {identity}: {e}");
            (
                Vec::new(),
                Some(ToolError::new(&p.def.name, ToolErrorKind::Spawn, message)),
            )
        }
    }
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
    let by_type = walked
        .type_counts()
        .into_iter()
        .map(|(t, n)| (t.to_owned(), n))
        .collect();
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
            let files = ws.files_for(d, &ws.config.linter(&d.name), &walked.targets);
            (*d, narrow(d, files, changed.as_ref(), opts.shard))
        })
        .filter(|(_, files)| !files.is_empty())
        .collect();
    let linted: BTreeSet<&str> = with_files.iter().flat_map(|(_, f)| f.iter().copied()).collect();
    report.files.linted = linted.len();
    let engine = OnceLock::new();
    let images = Images::default();
    let cx = PrepareCtx {
        ws,
        tools: opts.tools,
        install: opts.install,
        runner: opts.runner,
        progress,
        engine: &engine,
        images: &images,
    };
    let outcomes = run::run_pool(
        &with_files,
        jobs_n,
        |(def, files)| prepare::prepare(&cx, def, files),
        |_, _| {},
    );
    let mut prepared: Vec<Prepared> = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(p) => prepared.push(p),
            Err(e) => report.tool_errors.push(e),
        }
    }
    prepared.sort_by(|a, b| a.def.name.cmp(&b.def.name));

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
    let cache = opts.cache.then_some((&results_cache, &hashes));
    let results = run::run_pool(
        &jobs,
        jobs_n,
        |job| {
            let p = prepared
                .iter()
                .find(|p| p.def.name == job.linter)
                .expect("planned only prepared linters");
            let start = run_started.elapsed();
            let (findings, error) = run_job(p, job, ws, cache);
            (findings, error, start, run_started.elapsed())
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
    run::collapse_engine_fault(&mut report.tool_errors, engine.get());
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
            engine: p.and_then(|p| match &p.exec {
                Exec::Container { engine, .. } => Some(engine.name().to_owned()),
                Exec::Local(_) => None,
            }),
            wall: span.1.saturating_sub(span.0),
            ..LinterRun::default()
        });
    }
    if let Some(reference) = &opts.new_only {
        let new = new_lines_since(&ws.root, reference.as_deref())?;
        filter::keep_new(&mut report, &new);
    }
    if let Some(path) = &opts.baseline {
        let known = filter::baseline_identities(path).map_err(SetupError::Baseline)?;
        filter::drop_known(&mut report, &known);
    }
    report.normalise();
    report.wall = started.elapsed();
    Ok(report)
}

/// A linter's files after `--changed` and `--shard`. A whole-project linter keeps all its files when any
/// of them changed, and runs on shard 1 only.
fn narrow<'f>(
    def: &LinterDef,
    mut files: Vec<&'f str>,
    changed: Option<&BTreeSet<String>>,
    shard: Option<Shard>,
) -> Vec<&'f str> {
    let project = def.mode == crate::catalog::Mode::Project;
    if let Some(changed) = changed {
        if project {
            if !files.iter().any(|f| changed.contains(*f)) {
                files.clear();
            }
        } else {
            files.retain(|f| changed.contains(*f));
        }
    }
    if let Some(shard) = shard {
        if project {
            if shard.index != 1 {
                files.clear();
            }
        } else {
            files.retain(|f| shard.takes(f));
        }
    }
    files
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
