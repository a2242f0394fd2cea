//! The `check` pipeline, stage by stage: find the root, load config and catalog, walk, choose linters,
//! provision their tools, plan actions from learnt costs, execute them on the bounded pool (through the result
//! cache), read each output, and assemble the [`Report`]. Progress goes to a [`Sink`] as events and
//! cancellation comes in as a token. Nothing here formats output; the caller hands the report to a
//! reporter.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::catalog::LinterDef;
use crate::config::Runner;
use crate::config::ToolsMode;
pub(crate) use crate::config::{SetupError, Workspace};
use crate::engine::cache::{Cached, ResultCache};
use crate::engine::events::{Event, Sink};
use crate::engine::formatting::Formatted;
use crate::engine::git;
use crate::engine::hashes::FileHashes;
use crate::engine::prepare::{self, PrepareCtx, Prepared};
use crate::engine::{Action, ActionKind, CancelToken, Executor, Images, Outcome, Runner as ProcessRunner};
use crate::model::{Exit, JobOutput};
use crate::model::{FileStats, LinterRun, Origin, Report, Scope, Shard};
use crate::model::{Finding, ToolError, ToolErrorKind};
use crate::parse::interpret;
use crate::plan::costs::Costs;
use crate::plan::schedule::Work;
use crate::walk;

#[derive(Clone, Debug)]
pub(crate) struct CheckOptions {
    pub(crate) paths: Vec<PathBuf>,
    pub(crate) linters: Option<Vec<String>>,
    pub(crate) jobs: usize,
    pub(crate) tools: ToolsMode,
    pub(crate) install: bool,
    /// Use the result cache.
    pub(crate) cache: bool,
    /// Only files changed since the merge base with this reference (`Some(None)`: the default one).
    pub(crate) changed: Option<Option<String>>,
    /// Only these files (root-relative), narrowed as `changed` narrows (the pre-push check, which knows
    /// them from the pushed commits); ignored when `changed` is set.
    pub(crate) changed_files: Option<BTreeSet<String>>,
    /// Only findings on lines added or modified since the merge base with this reference.
    pub(crate) new_only: Option<Option<String>>,
    /// Drop findings already present in this SARIF report.
    pub(crate) baseline: Option<PathBuf>,
    /// Run only this share of the actions.
    pub(crate) shard: Option<Shard>,
    /// `--runner`: overrides every linter's runner (`container` only where an image is known).
    pub(crate) runner: Option<Runner>,
    /// `linters` were named by the user: a linter that runs only where configured runs everywhere.
    pub(crate) explicit: bool,
    /// Apply fixes in place instead of linting (`Some(true)`: unsafe ones too): the linters that can fix
    /// run their fix command; formatters still only print (their caller writes what they printed).
    pub(crate) fix: Option<bool>,
    /// Only the formatters among the linters chosen (`lintmux fmt --check`).
    pub(crate) formatters_only: bool,
}

impl CheckOptions {
    /// A check of `paths` (all the root when empty) by `linters` (named by the user; else the enabled
    /// ones), installing missing tools, with the result cache, nothing narrowed.
    pub(crate) fn new(paths: &[PathBuf], linters: Option<&Vec<String>>, jobs: usize, tools: ToolsMode) -> CheckOptions {
        CheckOptions {
            paths: paths.to_vec(),
            linters: linters.cloned(),
            jobs,
            tools,
            install: true,
            cache: true,
            changed: None,
            changed_files: None,
            new_only: None,
            baseline: None,
            shard: None,
            runner: None,
            explicit: linters.is_some(),
            fix: None,
            formatters_only: false,
        }
    }
}

/// What one action gave, after reading its output.
struct Done {
    findings: Vec<Finding>,
    error: Option<ToolError>,
    /// Offsets from the start of execution (for each linter's wall time).
    start: Duration,
    end: Duration,
    /// The process's own duration, when it really ran (for the cost model).
    ran: Option<Duration>,
}

/// Reads a finished action's output: its findings (severity overrides applied) and its error.
fn read(p: &Prepared, action: &Action, outcome: Outcome) -> (Vec<Finding>, Option<ToolError>, Option<Duration>) {
    match outcome.output {
        Ok(out) => {
            let replayed;
            let ctx = match &outcome.produced_in {
                // Output stored from a run in another root: its paths are read against that root too.
                Some(root) => {
                    let mut ctx = p.ctx.clone();
                    ctx.extra_roots.push(root.to_string_lossy().into_owned());
                    replayed = ctx;
                    &replayed
                }
                None => &p.ctx,
            };
            let (mut findings, error) = interpret(&p.reading, &out, ctx);
            crate::filter::locate(&mut findings, &p.ctx.root);
            let ran = (!outcome.cached).then_some(out.duration);
            (
                crate::filter::compare::apply_severity(findings, &p.severity),
                error,
                ran,
            )
        }
        Err(message) => (
            Vec::new(),
            Some(ToolError::new(&action.linter, ToolErrorKind::Spawn, message)),
            None,
        ),
    }
}

/// Did a fix action run as its definition says it should? Its output is not read: what remains is found
/// by the check that follows.
fn fixed(p: &Prepared, action: &Action, outcome: Outcome) -> Option<ToolError> {
    let ok = p.fix.as_ref().map_or(&[0][..], |f| &f.ok_exit_codes[..]);
    let out = match outcome.output {
        Ok(out) => out,
        Err(message) => return Some(ToolError::new(&action.linter, ToolErrorKind::Spawn, message)),
    };
    let why = match out.exit {
        Exit::Code(c) if ok.contains(&c) => return None,
        Exit::Code(c) => format!("exit code {c}"),
        Exit::Signal(s) => format!("killed by signal {s}"),
        Exit::Timeout(t) => format!("timed out after {} s", t.as_secs()),
        Exit::Cancelled => "interrupted".to_owned(),
        Exit::OutputLimit(n) => format!("printed more than {n} bytes"),
        Exit::OutputHeld => "a process it left kept its output open".to_owned(),
    };
    let mut e = ToolError::new(
        &action.linter,
        ToolErrorKind::Failed,
        format!(
            "{} failed to apply its fixes to {} files: {why}",
            action.linter,
            action.files.len()
        ),
    );
    let tail = if out.stderr.is_empty() {
        &out.stdout
    } else {
        &out.stderr
    };
    e.output_tail = crate::model::tail(&String::from_utf8_lossy(tail), 10);
    Some(e)
}

/// Runs the check. Errors here are setup errors (exit 2); everything that goes wrong with a linter is a
/// tool error in the report.
pub(crate) fn check(
    ws: &Workspace,
    cwd: &Path,
    opts: &CheckOptions,
    sink: &dyn Sink,
    cancel: &CancelToken,
) -> Result<(Report, Vec<Formatted>), SetupError> {
    let started = Instant::now();
    let jobs_n = opts.jobs.max(1);
    // No size check in the walk: the stat pass below (which the result cache needs anyway) does it.
    let walked = ws.walk(cwd, &opts.paths, jobs_n, false)?;
    let mut selected = ws.select(opts.linters.as_deref(), &walked)?;
    if opts.formatters_only {
        selected.retain(|d| d.kind == crate::catalog::Kind::Formatter);
    }
    let mut report = Report {
        root: ws.root.clone(),
        trust: (
            ws.config.trust.value.as_str().to_owned(),
            ws.config.trust.origin.clone(),
        ),
        ..Report::default()
    };
    let by_type = walked
        .type_counts(&ws.catalog.types)
        .into_iter()
        .map(|(t, n)| (t.to_owned(), n))
        .collect();
    report.files = FileStats {
        linted: 0,
        by_type,
        skipped_binary: walked.skipped_count(walk::SkipReason::Binary),
        skipped_too_large: walked.skipped_count(walk::SkipReason::TooLarge),
        skipped_bad_name: walked.skipped_count(walk::SkipReason::NameNotUtf8),
    };

    // Resolve (and, where allowed, install) each linter that has files.
    let changed = match &opts.changed {
        Some(reference) => Some(changed_since(&ws.root, reference.as_deref(), cancel)?),
        None => opts.changed_files.clone(),
    };
    let mut with_files: Vec<(&LinterDef, Vec<&str>)> = selected
        .iter()
        .map(|d| {
            let files = ws.files_for(d, &ws.config.linter(&d.name), &walked.targets, opts.explicit);
            (*d, narrow(d, files, changed.as_ref(), opts.shard))
        })
        .filter(|(_, files)| !files.is_empty())
        .collect();
    let mut candidates: Vec<&str> = with_files.iter().flat_map(|(_, f)| f.iter().copied()).collect();
    candidates.sort_unstable();
    candidates.dedup();
    // One stat per file: the size cap, and (with the result cache) content hashes from the memo.
    let max_size = ws.config.max_file_size.value;
    let hashes = FileHashes::compute(&ws.root, &ws.cache, "lint", &candidates, jobs_n, opts.cache, max_size);
    let too_large: BTreeSet<&str> = hashes.too_large().collect();
    report.files.skipped_too_large = too_large.len();
    if !too_large.is_empty() {
        for (_, files) in &mut with_files {
            files.retain(|f| !too_large.contains(f));
        }
        with_files.retain(|(_, files)| !files.is_empty());
    }
    report.files.linted = candidates.len() - too_large.len();
    let engine = OnceLock::new();
    let images = Images::default();
    let cx = PrepareCtx {
        ws,
        tools: opts.tools,
        install: opts.install,
        runner: opts.runner,
        sink,
        cache: opts.cache,
        cancel,
        engine: &engine,
        images: &images,
    };
    let outcomes = crate::engine::run_pool(
        &with_files,
        jobs_n,
        |(def, files)| prepare::prepare(&cx, def, files),
        |_, _| {},
    );
    let mut prepared: BTreeMap<String, Prepared> = BTreeMap::new();
    for outcome in outcomes {
        match outcome {
            Ok(p) => {
                prepared.insert(p.name.clone(), p);
            }
            Err(e) => report.tool_errors.push(e),
        }
    }

    // Plan: batches from the learnt costs, then one action per batch, each with its cache key.
    let costs = Costs::new(&ws.cache);
    let version = |name: &str| prepared.get(name).and_then(|p| p.version.clone()).unwrap_or_default();
    // A linter whose files need different arguments (check-jsonschema: a schema per type) is one work per
    // group of them.
    let work: Vec<Work> = with_files
        .iter()
        // A formatter that does not list prints every file instead (see `print_formatted`).
        .filter(|(def, _)| {
            prepared
                .get(&def.name)
                .is_some_and(|p| !p.print.as_ref().is_some_and(|s| s.all))
        })
        .flat_map(|(def, files)| {
            let settings = ws.config.linter(&def.name);
            crate::plan::groups::split(def, &settings, &ws.catalog.types, &walked.targets, files)
                .into_iter()
                .map(|(args, group)| Work {
                    linter: &def.name,
                    mode: def.mode,
                    files: group,
                    min_batch: def.min_batch,
                    cost: costs.estimate(&def.name, &version(&def.name), def.mode),
                    file_arg: &def.file_arg,
                    args,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let batches = crate::plan::schedule::schedule(&work, jobs_n);
    // What whole-project linters read beyond their files, hashed with a memo of its own.
    let mut reads: Vec<&str> = prepared
        .values()
        .flat_map(|p| p.extra_files.iter().map(String::as_str))
        .collect();
    reads.sort_unstable();
    reads.dedup();
    let read_hashes = FileHashes::compute(&ws.root, &ws.cache, "reads", &reads, jobs_n, opts.cache, u64::MAX);
    let actions: Vec<(&Prepared, Action)> = batches
        .into_iter()
        .filter_map(|b| {
            let p = prepared.get(&b.linter)?;
            let keys = opts.cache.then_some((&hashes, &read_hashes));
            match opts.fix {
                Some(unsafe_fixes) if p.fix.is_some() => Some((p, p.fix_action(b, unsafe_fixes)?)),
                _ => Some((p, p.action(b, keys))),
            }
        })
        .collect();
    drop(hashes);
    drop(read_hashes);
    // What the report needs of the walk, taken now: the walk itself (every target's name) is not kept
    // while the linters run.
    let mut runs: Vec<(&LinterDef, LinterRun)> = with_files
        .iter()
        .map(|(def, files)| {
            let run = LinterRun {
                files: files.len(),
                paths: {
                    let mut paths: Vec<String> = files.iter().map(|f| (*f).to_owned()).collect();
                    paths.sort_unstable();
                    paths
                },
                ..LinterRun::default()
            };
            (*def, run)
        })
        .collect();
    drop(work);
    drop(too_large);
    drop(candidates);
    drop(with_files);
    drop(walked);
    sink.event(&Event::Planned { actions: actions.len() });

    // Execute: the process runner, inside the result cache unless it is off.
    let runner = ProcessRunner {
        supervisor: std::env::current_exe().ok(),
    };
    let accept = |action: &Action, out: &JobOutput| match action.kind {
        ActionKind::Print => out.exit == Exit::Code(0),
        _ => prepared
            .get(&action.linter)
            .is_some_and(|p| interpret(&p.reading, out, &p.ctx).1.is_none()),
    };
    let cached;
    let executor: &dyn Executor = if opts.cache {
        cached = Cached {
            inner: runner,
            store: ResultCache::new(&ws.cache),
            accept: &accept,
        };
        &cached
    } else {
        &runner
    };
    let run_started = Instant::now();
    let results = crate::engine::run_pool(
        &actions,
        jobs_n,
        |(p, action)| {
            let start = run_started.elapsed();
            let (findings, error, ran) = if cancel.is_cancelled() {
                // Interrupted: start nothing new.
                let message = format!("{} was interrupted", action.linter);
                let error = ToolError::new(&action.linter, ToolErrorKind::Cancelled, message);
                (Vec::new(), Some(error), None)
            } else {
                let outcome = executor.execute(action, cancel);
                let cached = outcome.cached;
                let read = match action.kind {
                    ActionKind::Fix => (Vec::new(), fixed(p, action, outcome), None),
                    _ => read(p, action, outcome),
                };
                sink.event(&Event::ActionFinished {
                    linter: &action.linter,
                    cached,
                });
                read
            };
            Done {
                findings,
                error,
                start,
                end: run_started.elapsed(),
                ran,
            }
        },
        |_, _| {},
    );

    let mut spans: BTreeMap<&str, (Duration, Duration, usize)> = BTreeMap::new();
    let mut seen: BTreeMap<&str, Vec<(usize, f64)>> = BTreeMap::new();
    for ((_, action), done) in actions.iter().zip(results) {
        if let (Some(ran), None, ActionKind::Lint) = (done.ran, &done.error, action.kind) {
            seen.entry(&action.linter)
                .or_default()
                .push((action.files.len(), ran.as_secs_f64()));
        }
        report.findings.extend(done.findings);
        report.tool_errors.extend(done.error);
        let span = spans.entry(action.linter.as_str()).or_insert((done.start, done.end, 0));
        span.0 = span.0.min(done.start);
        span.1 = span.1.max(done.end);
        span.2 += 1;
    }
    for (linter, seen) in &seen {
        costs.record(linter, &version(linter), seen);
    }
    // The formatters' prints count in their runs' jobs and wall time.
    let (printed, formatted) = print_formatted(&mut report, &prepared, &runs, executor, opts, ws, cancel);
    for (linter, start, end) in printed {
        let Some((name, _)) = prepared.get_key_value(&linter) else {
            continue;
        };
        let (start, end) = (start.duration_since(run_started), end.duration_since(run_started));
        let span = spans.entry(name.as_str()).or_insert((start, end, 0));
        span.0 = span.0.min(start);
        span.1 = span.1.max(end);
        span.2 += 1;
    }
    crate::filter::plausible::check(&mut report);
    crate::engine::collapse_engine_fault(&mut report.tool_errors, engine.get());
    for (def, run) in runs.drain(..) {
        let p = prepared.get(&def.name);
        let span = spans.get(def.name.as_str()).copied().unwrap_or_default();
        report.linters.push(LinterRun {
            name: def.name.clone(),
            version: p.and_then(|p| p.version.clone()),
            homepage: def.homepage.clone(),
            jobs: span.2,
            note: p.and_then(|p| p.note.clone()),
            origin: Origin {
                definition: def.origin.describe(),
                // Root-relative for a repository's definition: the same wherever the tree is checked.
                definition_file: crate::model::relative(&ws.root, &def.path).unwrap_or_else(|| def.source.clone()),
                overrides_builtin: def.overrides_builtin,
                binary: p.map(|p| p.binary.clone()),
            },
            engine: p.and_then(|p| p.engine.clone()),
            wall: span.1.saturating_sub(span.0),
            ..run
        });
    }
    if let Some(reference) = &opts.new_only {
        let new = new_lines_since(&ws.root, reference.as_deref(), cancel)?;
        crate::filter::compare::keep_new(&mut report, &new);
    }
    if let Some(path) = &opts.baseline {
        let known = crate::filter::compare::baseline_identities(path).map_err(SetupError::Baseline)?;
        crate::filter::compare::drop_known(&mut report, &known);
    }
    report.normalise();
    report.wall = started.elapsed();
    Ok((report, formatted))
}

/// A formatter's findings that say "this file would change" become the difference itself: each such file
/// is printed formatted (through the same executor, so through the result cache), and the finding is
/// rule `format` at the first changed line with the diff and a fix. When the printed file equals the
/// file, the formatter's own finding stays; when printing fails, it stays and the failure is a tool error.
fn print_formatted(
    report: &mut Report,
    prepared: &BTreeMap<String, Prepared>,
    runs: &[(&LinterDef, LinterRun)],
    executor: &dyn Executor,
    opts: &CheckOptions,
    ws: &Workspace,
    cancel: &CancelToken,
) -> (Vec<(String, Instant, Instant)>, Vec<Formatted>) {
    // Only a file the formatter was given is printed: its listing could name any path.
    let files_of = |linter: &str| -> Vec<String> {
        runs.iter()
            .filter(|(def, _)| def.name == linter)
            .flat_map(|(_, run)| run.paths.iter().cloned())
            .collect()
    };
    let given = |linter: &str, path: &str| {
        runs.iter()
            .any(|(def, run)| def.name == linter && run.paths.binary_search_by(|p| p.as_str().cmp(path)).is_ok())
    };
    let wants_print = |f: &Finding| {
        prepared
            .get(&f.linter)
            .and_then(|p| p.print.as_ref())
            .is_some_and(|spec| spec.rule.as_ref().is_none_or(|r| *r == f.rule))
    };
    let (mut listed, kept): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut report.findings)
        .into_iter()
        .partition(|f| wants_print(f) && given(&f.linter, &f.path));
    report.findings = kept;
    // A formatter that does not list: each of its files, with a stand-in for the listing's finding
    // (never reported: its file is either printed differently, or unchanged, or a tool error).
    let mut unlisted = std::collections::HashSet::new();
    for name in prepared
        .iter()
        .filter(|(_, p)| p.print.as_ref().is_some_and(|s| s.all))
        .map(|(n, _)| n)
    {
        for path in files_of(name) {
            unlisted.insert((name.clone(), path.clone()));
            listed.push(crate::engine::formatting::stand_in(name, &path));
        }
    }
    if listed.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let (jobs, cache) = (opts.jobs.max(1), opts.cache);
    let mut paths: Vec<&str> = listed.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    // A memo of its own: the check's ("lint") holds every file, and a memo keeps only the files of
    // its last use.
    let hashes = FileHashes::compute(&ws.root, &ws.cache, "print", &paths, jobs, cache, u64::MAX);
    let actions: Vec<(&Finding, Action)> = listed
        .iter()
        .filter_map(|f| {
            let p = prepared.get(&f.linter)?;
            Some((f, p.print_action(&f.path, cache.then_some(&hashes))?))
        })
        .collect();
    let results = crate::engine::run_pool(
        &actions,
        jobs,
        |(f, action)| {
            let original = std::fs::read_to_string(ws.root.join(&f.path));
            if cancel.is_cancelled() {
                return Err(ToolError::new(
                    &f.linter,
                    ToolErrorKind::Cancelled,
                    format!("{} was interrupted", f.linter),
                ));
            }
            let start = Instant::now();
            let outcome = executor.execute(action, cancel);
            let end = Instant::now();
            let unparsable = prepared
                .get(&f.linter)
                .and_then(|p| p.print.as_ref())
                .and_then(|s| s.unparsable.as_ref());
            printed(f, outcome, original, unparsable).map(|p| (p, start, end))
        },
        |_, _| {},
    );
    let mut spans = Vec::new();
    let mut formatted_files = Vec::new();
    for ((listed, _), result) in actions.into_iter().zip(results) {
        let result = result.map(|(printed, start, end)| {
            spans.push((listed.linter.clone(), start, end));
            printed
        });
        match result {
            Ok(Some((finding, formatted))) => {
                report.findings.push(finding);
                formatted_files.extend(formatted);
            }
            // Printed unchanged: the formatter listed it, and its own word stays; or it was not
            // listed (a formatter that does not list), and the file is formatted.
            Ok(None) => {
                if !unlisted.contains(&(listed.linter.clone(), listed.path.clone())) {
                    report.findings.push(listed.clone());
                }
            }
            Err(error) => {
                if !unlisted.contains(&(listed.linter.clone(), listed.path.clone())) {
                    report.findings.push(listed.clone());
                }
                report.tool_errors.push(error);
            }
        }
    }
    (spans, formatted_files)
}

/// What one print action gave: the formatting finding and the formatted file; or, when the formatter
/// said the file does not parse (its `unparsable` stderr), a `syntax-error` finding and nothing to
/// write; `None` when it printed the file unchanged.
fn printed(
    listed: &Finding,
    outcome: Outcome,
    original: std::io::Result<String>,
    unparsable: Option<&regex::Regex>,
) -> Result<Option<(Finding, Option<crate::engine::formatting::Formatted>)>, ToolError> {
    let linter = &listed.linter;
    let fail = |kind, message: String, tail: &[u8]| {
        let mut e = ToolError::new(linter, kind, message);
        e.output_tail = crate::model::tail(&String::from_utf8_lossy(tail), 10);
        e
    };
    let out = outcome.output.map_err(|m| fail(ToolErrorKind::Spawn, m, b""))?;
    if let (Exit::Code(c), Some(re)) = (&out.exit, unparsable)
        && *c != 0
        && let Some(caps) = re.captures(&String::from_utf8_lossy(&out.stderr))
    {
        let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let why = caps.name("message").map_or("it does not parse", |m| m.as_str().trim());
        let mut finding = listed.clone();
        finding.rule = "syntax-error".to_owned();
        finding.level = crate::model::Level::Error;
        finding.message = format!("{linter} cannot format this file: {why}");
        finding.line = num("line").unwrap_or(1).max(1);
        finding.column = num("column").unwrap_or(1).max(1);
        (finding.end_line, finding.end_column, finding.fix, finding.diff) = (None, None, None, None);
        return Ok(Some((finding, None)));
    }
    let why = match out.exit {
        Exit::Code(0) => None,
        Exit::Code(c) => Some((ToolErrorKind::Failed, format!("exit code {c}"))),
        Exit::Signal(s) => Some((ToolErrorKind::Crashed, format!("killed by signal {s}"))),
        Exit::Timeout(t) => Some((ToolErrorKind::Timeout, format!("timed out after {} s", t.as_secs()))),
        Exit::Cancelled => Some((ToolErrorKind::Cancelled, "interrupted".to_owned())),
        Exit::OutputLimit(n) => Some((ToolErrorKind::BadOutput, format!("printed more than {n} bytes"))),
        Exit::OutputHeld => Some((
            ToolErrorKind::BadOutput,
            "a process it left kept its output open".to_owned(),
        )),
    };
    if let Some((kind, why)) = why {
        return Err(fail(
            kind,
            format!("{linter} could not print {} formatted: {why}", listed.path),
            if out.stderr.is_empty() {
                &out.stdout
            } else {
                &out.stderr
            },
        ));
    }
    let original = original.map_err(|e| {
        fail(
            ToolErrorKind::BadOutput,
            format!("cannot read {} to compare it with {linter}'s output: {e}", listed.path),
            b"",
        )
    })?;
    let content = String::from_utf8(out.stdout).map_err(|_| {
        fail(
            ToolErrorKind::BadOutput,
            format!("{linter} printed {} formatted as text that is not UTF-8", listed.path),
            b"",
        )
    })?;
    if content.is_empty() && !original.is_empty() {
        return Err(fail(
            ToolErrorKind::BadOutput,
            format!("{linter} printed nothing for {}", listed.path),
            &out.stderr,
        ));
    }
    let Some(mut finding) = crate::engine::formatting::finding(linter, &listed.path, &original, &content) else {
        return Ok(None);
    };
    finding.level = listed.level;
    let formatted = crate::engine::formatting::Formatted {
        linter: linter.clone(),
        path: listed.path.clone(),
        original,
        content,
    };
    Ok(Some((finding, Some(formatted))))
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
fn base_commit(root: &Path, reference: Option<&str>, cancel: &CancelToken) -> Result<(PathBuf, String), SetupError> {
    let top = git::toplevel(root, cancel)?;
    let reference = match reference {
        Some(r) => r.to_owned(),
        None => git::default_base(&top, cancel)?,
    };
    let base = git::merge_base(&top, &reference, cancel)?;
    Ok((top, base))
}

/// Root-relative paths of the files changed since the merge base.
fn changed_since(root: &Path, reference: Option<&str>, cancel: &CancelToken) -> Result<BTreeSet<String>, SetupError> {
    let (top, base) = base_commit(root, reference, cancel)?;
    Ok(git::changed_files(&top, &base, cancel)?
        .iter()
        .filter_map(|p| crate::model::relative(root, p))
        .collect())
}

/// Root-relative paths and their new lines since the merge base.
fn new_lines_since(
    root: &Path,
    reference: Option<&str>,
    cancel: &CancelToken,
) -> Result<BTreeMap<String, git::NewLines>, SetupError> {
    let (top, base) = base_commit(root, reference, cancel)?;
    Ok(git::new_lines(&top, &base, cancel)?
        .into_iter()
        .filter_map(|(p, lines)| Some((crate::model::relative(root, &p)?, lines)))
        .collect())
}

/// The scope of a check of `root` with `opts`, PATHs read from `cwd`.
pub(crate) fn scope_of(root: &Path, cwd: &Path, opts: &CheckOptions, cancel: &CancelToken) -> Scope {
    let paths: Vec<String> = opts
        .paths
        .iter()
        .filter_map(|p| {
            let abs: PathBuf = crate::model::absolute(cwd, p);
            crate::model::relative(root, &abs)
        })
        .filter(|p| !p.is_empty())
        .collect();
    let changed = opts.changed.as_ref().map(|reference| match reference {
        Some(r) => r.clone(),
        None => crate::engine::git::toplevel(root, cancel)
            .and_then(|top| crate::engine::git::default_base(&top, cancel))
            .unwrap_or_default(),
    });
    let commit = crate::engine::git::git_line(root, &["rev-parse", "--verify", "--quiet", "HEAD"], cancel)
        .ok()
        .filter(|c| !c.is_empty());
    let in_repo = commit.as_ref().and_then(|_| {
        let top = crate::engine::git::toplevel(root, cancel).ok()?;
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let rel = crate::model::relative(&top, &root)?;
        Some(if rel.is_empty() { ".".to_owned() } else { rel })
    });
    Scope {
        full: paths.is_empty() && changed.is_none() && opts.shard.is_none(),
        root: in_repo,
        paths,
        changed,
        shard: opts.shard,
        commit,
        outside_paths: 0,
        partial: false,
        problems: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::recorded;

    /// What each shipped formatter prints (to stderr) when printing a file it cannot parse, as recorded
    /// from the real tool: a `syntax-error` finding at the place it names, nothing to write, no tool error.
    #[test]
    fn a_file_a_formatter_cannot_parse_is_a_syntax_error_finding() {
        let catalog = crate::catalog::Catalog::load(&[], crate::model::Trust::All).unwrap();
        for (linter, version, path, at, message) in [
            (
                "ruff-format",
                "0.17.5",
                "app/bad.py",
                (2, 1),
                "unexpected EOF while parsing",
            ),
            (
                "prettier",
                "3.10.1",
                "src/bad.ts",
                (1, 7),
                "SyntaxError: Variable declaration expected.",
            ),
            (
                "shfmt",
                "3.14.1",
                "scripts/bad.sh",
                (1, 1),
                "`if` must be followed by a statement list",
            ),
            ("taplo-format", "0.9.3", "bad.toml", (2, 1), "invalid TOML"),
        ] {
            let def = catalog.get(linter).unwrap();
            let unparsable = def.format.as_ref().and_then(|f| f.unparsable.as_deref()).unwrap();
            let re = regex::Regex::new(unparsable).unwrap();
            let rec = recorded(linter, version, "print_syntax_error");
            let outcome = Outcome {
                output: Ok(JobOutput {
                    stdout: rec.stdout.into_bytes(),
                    stderr: rec.stderr.into_bytes(),
                    exit: Exit::Code(rec.status),
                    duration: Duration::ZERO,
                }),
                cached: false,
                produced_in: None,
            };
            let listed = crate::engine::formatting::stand_in(linter, path);
            let (finding, formatted) = printed(&listed, outcome, Ok("x".to_owned()), Some(&re))
                .unwrap_or_else(|e| panic!("{linter}: {e:?}"))
                .unwrap();
            assert!(formatted.is_none(), "{linter}");
            assert_eq!(
                (finding.rule.as_str(), finding.level, (finding.line, finding.column)),
                ("syntax-error", crate::model::Level::Error, at),
                "{linter}"
            );
            assert_eq!(finding.message, format!("{linter} cannot format this file: {message}"));
            // Without the pattern, the same failure is a tool error.
            let outcome = Outcome {
                output: Ok(JobOutput {
                    stdout: Vec::new(),
                    stderr: b"something else went wrong".to_vec(),
                    exit: Exit::Code(2),
                    duration: Duration::ZERO,
                }),
                cached: false,
                produced_in: None,
            };
            let error = printed(&listed, outcome, Ok("x".to_owned()), Some(&re)).unwrap_err();
            assert_eq!(error.kind, ToolErrorKind::Failed, "{linter}");
        }
    }
}
