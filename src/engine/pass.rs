//! One pass of the engine over the linters it chose, each stage a function and the data moving one way:
//! [`plan`] (which linters and which of their files, the size cap and content hashes, each linter made
//! ready, batches from learnt costs, one action per batch with its cache key), then
//! [`execute`](super::execute) (the actions on the pool through the one executor, each output read), then
//! [`print`](super::print) (the files a formatter listed, printed and compared), then [`assemble`] (the
//! report: each linter's run, findings that cannot be true, an engine fault said once). A check is one
//! pass; fixing and formatting are one pass per wave (see `apply`).

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use super::action::Served;
use super::actions::Keys;
use super::buffers::{self, Dirty};
use super::cache::{Cached, ResultCache};
use super::context::Cx;
use super::events::Event;
use super::execute::{self, Done};
use super::executor::{Executor, Runner};
use super::hashes::{FileHashes, Memo};
use super::prepare::{Prepared, prepare_all};
use super::print::{self, Printing};
use super::process::collapse_engine_fault;
use super::remote::WithRemote;
use super::request::{Applied, Caching, Fixes, Outcome, SetupError};
use super::{Action, ActionKind};
use crate::catalog::{Kind, LinterDef};
use crate::model::{Exit, FileStats, Formatted, JobOutput, LinterRun, Origin, Report, relative};
use crate::parse::interpret;
use crate::plan::costs::Costs;
use crate::plan::narrow::narrow;
use crate::plan::schedule::{Batch, Work, schedule};
use crate::plan::{groups, select};
use crate::walk::{SkipReason, Walked};

/// Which of the chosen linters a pass runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Which {
    All,
    /// Only the formatters (`lintmux fmt --check`).
    Formatters,
}

/// What a pass is for.
pub(crate) struct PassSpec<'a> {
    /// These linters (a wave of the tools that write), instead of the request's.
    pub(crate) only: Option<&'a [String]>,
    pub(crate) which: Which,
    /// A fixing wave: the linters that can fix run their fix command instead of linting.
    pub(crate) fixing: Option<Fixes>,
}

/// What a pass gave: its report, the files its formatters printed differently, and the files with
/// unsaved content that a linter linted as saved.
pub(crate) struct Passed {
    pub(crate) report: Report,
    pub(crate) formatted: Vec<Formatted>,
    pub(crate) as_saved: Vec<(String, String)>,
}

/// A check: one pass over the chosen linters (or their formatters), narrowed to `changed`.
pub(crate) fn lint(
    cx: &Cx,
    walked: Walked,
    which: Which,
    changed: Option<&BTreeSet<String>>,
) -> Result<Outcome, SetupError> {
    let spec = PassSpec {
        only: None,
        which,
        fixing: None,
    };
    let passed = pass(cx, walked, &spec, changed)?;
    Ok(Outcome {
        report: passed.report,
        formatted: passed.formatted,
        applied: Applied::default(),
        as_saved: passed.as_saved,
    })
}

/// Plans, executes and reads one pass. The walk is consumed by planning: it is not kept while the
/// linters run.
pub(crate) fn pass(
    cx: &Cx,
    walked: Walked,
    spec: &PassSpec,
    changed: Option<&BTreeSet<String>>,
) -> Result<Passed, SetupError> {
    let planned = plan(cx, walked, spec, changed)?;
    cx.sink.event(&Event::Planned {
        actions: planned.actions.len(),
    });
    let prepared = &planned.prepared;
    // The process runner, inside the result cache unless it is off. A fresh output is stored only when
    // reading it found no tool error.
    let runner = Runner {
        supervisor: cx.req.supervisor.clone(),
    };
    let accept = |action: &Action, out: &JobOutput| match action.kind {
        ActionKind::Print => out.exit == Exit::Code(0),
        _ => prepared
            .get(&action.linter)
            .is_some_and(|p| interpret(&p.reading, out, &p.ctx).1.is_none()),
    };
    // With a remote cache, it sits between the two: asked only when the local cache has nothing.
    let (cached, with_remote);
    let executor: &dyn Executor = match (cx.req.caching, cx.remote) {
        (Caching::On, Some(remote)) => {
            with_remote = Cached {
                inner: WithRemote {
                    inner: runner,
                    remote,
                    accept: &accept,
                },
                store: ResultCache::new(&cx.ws.cache),
                accept: &accept,
            };
            &with_remote
        }
        (Caching::On, None) => {
            cached = Cached {
                inner: runner,
                store: ResultCache::new(&cx.ws.cache),
                accept: &accept,
            };
            &cached
        }
        (Caching::Off, _) => &runner,
    };
    let started = Instant::now();
    let done = execute::actions(cx, &planned.actions, prepared, executor, started);
    let mut report = planned.report;
    for d in &done {
        match d.served {
            Served::Ran => report.cache.ran += 1,
            Served::Local => report.cache.local += 1,
            Served::Remote => report.cache.remote += 1,
        }
    }
    let mut spans = Spans::default();
    spans.absorb(cx, &mut report, (&planned.actions, done), prepared);
    let printing = Printing {
        prepared,
        runs: &planned.runs,
        dirty: &planned.dirty,
        from_buffers: &planned.from_buffers,
    };
    let printed = print::listed(cx, executor, &printing, &mut report, started);
    // The formatters' prints count in their runs' jobs and wall time.
    for (linter, start, end) in &printed.spans {
        if prepared.contains_key(linter) {
            spans.add(linter, *start, *end);
        }
    }
    let report = assemble(cx, report, &spans, prepared, planned.runs);
    Ok(Passed {
        report,
        formatted: printed.formatted,
        as_saved: planned.as_saved,
    })
}

/// A pass planned: everything execution and the report need, and nothing of the walk.
struct Planned<'w> {
    /// The report so far: root, trust, file statistics, the tool errors of getting linters ready.
    report: Report,
    prepared: BTreeMap<String, Prepared>,
    actions: Vec<Action>,
    /// Each linter that has files, with what its run in the report already knows.
    runs: Vec<(&'w LinterDef, LinterRun)>,
    /// Unsaved content that differs from the saved files.
    dirty: BTreeMap<String, Dirty>,
    /// Files with unsaved content a formatter prints from it: (formatter, path).
    from_buffers: Vec<(String, String)>,
    /// Files with unsaved content a linter lints as saved: (linter, path).
    as_saved: Vec<(String, String)>,
}

/// The chosen linters, each with its files.
type Chosen<'w, 't> = Vec<(&'w LinterDef, Vec<&'t str>)>;

/// Chooses the linters and their files, hashes the files, makes each linter ready, and turns their
/// batches into actions.
fn plan<'w>(
    cx: &Cx<'w>,
    walked: Walked,
    spec: &PassSpec,
    changed: Option<&BTreeSet<String>>,
) -> Result<Planned<'w>, SetupError> {
    let ws = cx.ws;
    let mut report = started_report(cx, &walked);
    let chosen = choose(cx, &walked, spec, changed)?;
    // One stat per file: the size cap, and (with the result cache) content hashes from the memo.
    let mut candidates: Vec<&str> = chosen.iter().flat_map(|(_, f)| f.iter().copied()).collect();
    candidates.sort_unstable();
    candidates.dedup();
    let hashes = FileHashes::compute(&cx.hash_job(Memo::Lint, ws.config.max_file_size.value), &candidates);
    let chosen = without_too_large(chosen, &hashes, &mut report.files);
    report.files.linted = candidates.len() - report.files.skipped_too_large;
    let (prepared, errors) = prepare_all(cx, &chosen);
    report.tool_errors.extend(errors);
    let runs = runs_of(&chosen);
    let dirty = if cx.req.buffers.is_empty() {
        BTreeMap::new()
    } else {
        buffers::dirty(cx)
    };
    let split = split_buffers(cx, chosen, &prepared, &dirty);
    let chosen = split.chosen;
    let batches = batches(cx, &chosen, &prepared, &walked);
    // What whole-project linters read beyond their files, hashed with a memo of its own.
    let mut reads: Vec<&str> = prepared
        .values()
        .flat_map(|p| p.extra_files.iter().map(String::as_str))
        .collect();
    reads.sort_unstable();
    reads.dedup();
    let read_hashes = FileHashes::compute(&cx.hash_job(Memo::Reads, u64::MAX), &reads);
    let keys = (cx.req.caching == Caching::On).then_some(Keys {
        files: &hashes,
        reads: &read_hashes,
    });
    let mut actions = actions_of(&prepared, batches, (spec.fixing, keys), &split.shadows);
    actions.extend(split.actions);
    Ok(Planned {
        report,
        prepared,
        actions,
        runs,
        from_buffers: split.from_buffers,
        as_saved: split.as_saved,
        dirty,
    })
}

/// Each linter that has files, with what its run in the report knows before it runs.
fn runs_of<'w>(chosen: &Chosen<'w, '_>) -> Vec<(&'w LinterDef, LinterRun)> {
    chosen
        .iter()
        .map(|(def, files)| {
            let mut paths: Vec<String> = files.iter().map(|f| (*f).to_owned()).collect();
            paths.sort_unstable();
            let run = LinterRun {
                files: files.len(),
                paths,
                ..LinterRun::default()
            };
            (*def, run)
        })
        .collect()
}

/// What unsaved content changes in a pass.
struct Split<'w, 't, 'd> {
    /// The linters and the files they lint as saved (batched as usual).
    chosen: Chosen<'w, 't>,
    /// The actions that lint unsaved content read on stdin.
    actions: Vec<Action>,
    /// For a whole-project linter that reads unsaved content in place of files: those files.
    shadows: BTreeMap<String, Vec<(&'t str, &'d Dirty)>>,
    from_buffers: Vec<(String, String)>,
    as_saved: Vec<(String, String)>,
}

/// Where each file with unsaved content goes: a linter that can read a buffer lints it from stdin (or,
/// for a whole-project linter, in place of the file); a formatter prints it; the others lint the file as
/// saved, and say so.
fn split_buffers<'w, 't, 'd>(
    cx: &Cx,
    chosen: Chosen<'w, 't>,
    prepared: &BTreeMap<String, Prepared>,
    dirty: &'d BTreeMap<String, Dirty>,
) -> Split<'w, 't, 'd> {
    let mut split = Split {
        chosen: Vec::new(),
        actions: Vec::new(),
        shadows: BTreeMap::new(),
        from_buffers: Vec::new(),
        as_saved: Vec::new(),
    };
    let caching = cx.req.caching == Caching::On;
    for (def, files) in chosen {
        let (unsaved, saved): (Vec<&str>, Vec<&str>) = files.iter().partition(|f| dirty.contains_key(**f));
        let Some(p) = prepared.get(&def.name).filter(|_| !unsaved.is_empty()) else {
            split.chosen.push((def, files));
            continue;
        };
        let name = &def.name;
        let from_stdin = p.buffer.as_ref().is_some_and(|b| !b.command.is_empty());
        let shadowing = p.buffer.as_ref().is_some_and(|b| !b.shadow.is_empty());
        if p.print.is_some() {
            split
                .from_buffers
                .extend(unsaved.iter().map(|f| (name.clone(), (*f).to_owned())));
            split.chosen.push((def, saved));
        } else if from_stdin {
            split
                .actions
                .extend(unsaved.iter().filter_map(|f| p.buffer_action(f, &dirty[*f], caching)));
            split.chosen.push((def, saved));
        } else if shadowing {
            let shadows = unsaved.iter().map(|f| (*f, &dirty[*f])).collect();
            split.shadows.insert(name.clone(), shadows);
            split.chosen.push((def, files));
        } else {
            split
                .as_saved
                .extend(unsaved.iter().map(|f| (name.clone(), (*f).to_owned())));
            split.chosen.push((def, files));
        }
    }
    split
}

/// The report before anything ran: the root, the trust level, what the walk found.
fn started_report(cx: &Cx, walked: &Walked) -> Report {
    let ws = cx.ws;
    let by_type = walked
        .type_counts(&ws.catalog.types)
        .into_iter()
        .map(|(t, n)| (t.to_owned(), n))
        .collect();
    Report {
        root: ws.root.clone(),
        trust: (
            ws.config.trust.value.as_str().to_owned(),
            ws.config.trust.origin.clone(),
        ),
        files: FileStats {
            linted: 0,
            by_type,
            skipped_binary: walked.skipped_count(SkipReason::Binary),
            skipped_too_large: walked.skipped_count(SkipReason::TooLarge),
            skipped_bad_name: walked.skipped_count(SkipReason::NameNotUtf8),
        },
        ..Report::default()
    }
}

/// The linters of the pass with their files, narrowed to `changed` and the shard; linters left with no
/// file are not chosen.
fn choose<'w, 't>(
    cx: &Cx<'w>,
    walked: &'t Walked,
    spec: &PassSpec,
    changed: Option<&BTreeSet<String>>,
) -> Result<Chosen<'w, 't>, SetupError> {
    let named = spec.only.or(cx.req.linters.as_deref());
    let mut defs = select::linters(cx.ws, named, walked)?;
    if spec.which == Which::Formatters {
        defs.retain(|d| d.kind == Kind::Formatter);
    }
    Ok(defs
        .into_iter()
        .map(|def| {
            let files = select::files_for(cx.ws, def, &walked.targets, cx.req.choice());
            (def, narrow(def, files, changed, cx.req.shard))
        })
        .filter(|(_, files)| !files.is_empty())
        .collect())
}

/// `chosen` without the files over the size cap (counted in `stats`), and without the linters that have
/// none left.
fn without_too_large<'w, 't>(mut chosen: Chosen<'w, 't>, hashes: &FileHashes, stats: &mut FileStats) -> Chosen<'w, 't> {
    let too_large: BTreeSet<&str> = hashes.too_large().collect();
    stats.skipped_too_large = too_large.len();
    if !too_large.is_empty() {
        for (_, files) in &mut chosen {
            files.retain(|f| !too_large.contains(f));
        }
        chosen.retain(|(_, files)| !files.is_empty());
    }
    chosen
}

/// The batches of the prepared linters, from the learnt costs. A linter whose files need different
/// arguments (check-jsonschema: a schema per type) is one work per group of them; a formatter that does
/// not list the files it would change has no batch (it prints every file, see `print`).
fn batches(cx: &Cx, chosen: &Chosen, prepared: &BTreeMap<String, Prepared>, walked: &Walked) -> Vec<Batch> {
    let ws = cx.ws;
    let costs = Costs::new(&ws.cache);
    let work: Vec<Work> = chosen
        .iter()
        .filter_map(|(def, files)| Some((def, files, prepared.get(&def.name).filter(|p| !p.prints_every_file())?)))
        .flat_map(|(def, files, p)| {
            let settings = ws.config.linter(&def.name);
            let version = p.version.clone().unwrap_or_default();
            let cost = costs.estimate(&def.name, &version, def.mode);
            groups::split(def, &settings, &ws.catalog.types, &walked.targets, files)
                .into_iter()
                .map(move |(args, group)| Work {
                    linter: &def.name,
                    mode: def.mode,
                    files: group,
                    min_batch: def.min_batch,
                    cost,
                    file_arg: &def.file_arg,
                    args,
                })
        })
        .collect();
    schedule(&work, cx.jobs)
}

/// One action per batch: a fixing wave fixes with the linters that can fix; everything else lints (a
/// whole-project linter reading its `shadows` in place of their files).
fn actions_of(
    prepared: &BTreeMap<String, Prepared>,
    batches: Vec<Batch>,
    (fixing, keys): (Option<Fixes>, Option<Keys>),
    shadows: &BTreeMap<String, Vec<(&str, &Dirty)>>,
) -> Vec<Action> {
    batches
        .into_iter()
        .filter_map(|b| {
            let p = prepared.get(&b.linter)?;
            let shadows = shadows.get(&b.linter).map_or(&[][..], Vec::as_slice);
            match fixing {
                Some(fixes) if p.fix.is_some() => p.fix_action(b, fixes),
                _ => Some(p.lint_action(b, keys, shadows)),
            }
        })
        .collect()
}

/// Each linter's span (first start, last end, as offsets from the start of execution) and number of jobs.
#[derive(Default)]
struct Spans(BTreeMap<String, (Duration, Duration, usize)>);

impl Spans {
    fn add(&mut self, linter: &str, start: Duration, end: Duration) {
        let span = self.0.entry(linter.to_owned()).or_insert((start, end, 0));
        span.0 = span.0.min(start);
        span.1 = span.1.max(end);
        span.2 += 1;
    }

    /// Takes the findings and errors of every action into the report, and the span of each; records
    /// what the actions that really ran cost (for the scheduler's next time).
    fn absorb(
        &mut self,
        cx: &Cx,
        report: &mut Report,
        (actions, done): (&[Action], Vec<Done>),
        prepared: &BTreeMap<String, Prepared>,
    ) {
        let mut seen: BTreeMap<&str, Vec<(usize, f64)>> = BTreeMap::new();
        for (action, done) in actions.iter().zip(done) {
            if let (Some((files, ran)), None, ActionKind::Lint) = (done.ran, &done.error, action.kind) {
                seen.entry(&action.linter).or_default().push((files, ran.as_secs_f64()));
            }
            report.findings.extend(done.findings);
            report.tool_errors.extend(done.error);
            self.add(&action.linter, done.start, done.end);
        }
        let costs = Costs::new(&cx.ws.cache);
        for (linter, seen) in &seen {
            let version = prepared
                .get(*linter)
                .and_then(|p| p.version.clone())
                .unwrap_or_default();
            costs.record(linter, &version, seen);
        }
    }
}

/// The report of a pass: findings that cannot be true marked, an engine fault said once, and each
/// linter's run.
fn assemble(
    cx: &Cx,
    mut report: Report,
    spans: &Spans,
    prepared: &BTreeMap<String, Prepared>,
    runs: Vec<(&LinterDef, LinterRun)>,
) -> Report {
    crate::filter::plausible::check(&mut report);
    collapse_engine_fault(&mut report.tool_errors, cx.engine.get());
    for (def, run) in runs {
        let p = prepared.get(&def.name);
        let span = spans.0.get(&def.name).copied().unwrap_or_default();
        report.linters.push(LinterRun {
            name: def.name.clone(),
            version: p.and_then(|p| p.version.clone()),
            homepage: def.homepage.clone(),
            jobs: span.2,
            note: p.and_then(|p| p.note.clone()),
            origin: Origin {
                definition: def.origin.describe(),
                // Root-relative for a repository's definition: the same wherever the tree is checked.
                definition_file: relative(&cx.ws.root, &def.path).unwrap_or_else(|| def.source.clone()),
                overrides_builtin: def.overrides_builtin,
                binary: p.map(|p| p.binary.clone()),
            },
            engine: p.and_then(|p| p.engine.clone()),
            wall: span.1.saturating_sub(span.0),
            ..run
        });
    }
    report.normalise();
    report
}
