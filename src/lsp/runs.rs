//! The engine runs the server starts, each on a thread of its own with its own cancellation token, each
//! sending what it gave back to the server's loop. A lint run takes the open files to lint (the others of
//! the root are read only by a whole-project linter) with every open file's unsaved content; a format run
//! has the formatters that govern one file print it from the buffer, one after the other when several do.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::Sender;
use lsp_server::RequestId;
use lsp_types::{Range, TextEdit, Uri};

use super::progress::ProgressSink;
use super::text::{Encoding, Text};
use crate::catalog::{self, types::TypeSet};
use crate::config::Workspace;
use crate::engine::{self, CancelToken, Changed, Mode, Outcome, Request};
use crate::plan::select;
use crate::walk::walk_only;

/// What a run sends back to the server's loop.
pub(crate) enum Done {
    Linted(Box<Linted>),
    Formatted {
        id: RequestId,
        result: Result<Option<Vec<TextEdit>>, String>,
    },
}

/// A finished lint run.
pub(crate) struct Linted {
    pub(crate) root: PathBuf,
    pub(crate) run: u64,
    /// The files it was asked to lint, root-relative.
    pub(crate) files: BTreeSet<String>,
    /// The version of every open document of the root when the run started (their content is what it
    /// linted).
    pub(crate) versions: BTreeMap<Uri, i32>,
    /// What the run gave, or why it could not run (the configuration does not load, …).
    pub(crate) outcome: Result<Outcome, String>,
}

/// A lint run to start.
pub(crate) struct LintRun {
    pub(crate) ws: Arc<Workspace>,
    pub(crate) run: u64,
    /// The files to lint, root-relative.
    pub(crate) files: BTreeSet<String>,
    /// Every open file's content, root-relative.
    pub(crate) buffers: BTreeMap<String, String>,
    pub(crate) versions: BTreeMap<Uri, i32>,
    /// `-l`, from the options.
    pub(crate) linters: Option<Vec<String>>,
    pub(crate) supervisor: Option<PathBuf>,
}

/// Starts `run` on a thread of its own; what it gives goes to `done`.
pub(crate) fn lint(run: LintRun, sink: ProgressSink, cancel: CancelToken, done: Sender<Done>) {
    std::thread::spawn(move || {
        let root = run.ws.root.clone();
        let files = run.files.clone();
        let paths = walk_paths(&run.ws, &run.files, run.linters.as_deref());
        let req = Request {
            paths,
            linters: run.linters,
            changed: Changed::Files(run.files),
            buffers: run.buffers,
            supervisor: run.supervisor,
            ..Request::new(&run.ws, &root)
        };
        let outcome = engine::run(&run.ws, &req, &sink, &cancel).map_err(|e| format!("{:#}", anyhow::Error::from(e)));
        let _ = done.send(Done::Linted(Box::new(Linted {
            root,
            run: run.run,
            files,
            versions: run.versions,
            outcome,
        })));
    });
}

/// What a lint run walks: only its files, unless a whole-project linter takes one of them (it reads the
/// whole project, so then the root is walked, as `check` walks it). A walk of a large tree costs what fd's
/// does (0.4 s at 90,000 files); a run on a few open files need not pay it. Only the files the whole walk
/// would give are kept (an open file that the ignore files or `exclude` leave out is not linted); when
/// none is left, or they cannot be walked, the root is.
fn walk_paths(ws: &Workspace, files: &BTreeSet<String>, linters: Option<&[String]>) -> Vec<PathBuf> {
    let Ok(walked) = walk_only(ws, files, 1) else {
        return Vec::new();
    };
    let Ok(chosen) = select::linters(ws, linters, &walked) else {
        return Vec::new();
    };
    let present = walked
        .targets
        .iter()
        .fold(TypeSet::default(), |acc, t| acc.union(t.types));
    let project = chosen
        .iter()
        .any(|d| d.mode == catalog::Mode::Project && ws.catalog.type_set(d).intersects(present));
    if project {
        return Vec::new();
    }
    walked.targets.iter().map(|t| ws.root.join(&t.path)).collect()
}

/// A formatting to start: one document, its content, and how the client counts positions.
pub(crate) struct FormatRun {
    pub(crate) ws: Arc<Workspace>,
    pub(crate) id: RequestId,
    pub(crate) file: String,
    pub(crate) text: String,
    pub(crate) encoding: Encoding,
    /// `-l`, from the options: the formatters among them format.
    pub(crate) linters: Option<Vec<String>>,
    pub(crate) supervisor: Option<PathBuf>,
}

/// How many formatters may take turns on one file.
const TURNS: usize = 4;

/// Starts `run` on a thread of its own: the edit that makes the document what its formatters print,
/// `None` when they print it unchanged or none governs it.
pub(crate) fn format(run: FormatRun, sink: ProgressSink, cancel: CancelToken, done: Sender<Done>) {
    std::thread::spawn(move || {
        let result = formatted(&run, &sink, &cancel).map(|content| {
            content.map(|content| {
                let old = Text::new(run.text.clone());
                let range = Range {
                    start: old.position(0, run.encoding),
                    end: old.position(old.end(), run.encoding),
                };
                vec![TextEdit {
                    range,
                    new_text: content,
                }]
            })
        });
        let _ = done.send(Done::Formatted { id: run.id, result });
    });
}

/// The document as its formatters print it, each given what the one before printed.
fn formatted(run: &FormatRun, sink: &ProgressSink, cancel: &CancelToken) -> Result<Option<String>, String> {
    let root = run.ws.root.clone();
    let mut text = run.text.clone();
    for _ in 0..TURNS {
        let req = Request {
            mode: Mode::FormatCheck,
            paths: vec![root.join(&run.file)],
            linters: run.linters.clone(),
            changed: Changed::Files([run.file.clone()].into_iter().collect()),
            buffers: [(run.file.clone(), text.clone())].into_iter().collect(),
            supervisor: run.supervisor.clone(),
            ..Request::new(&run.ws, &root)
        };
        let outcome = engine::run(&run.ws, &req, sink, cancel).map_err(|e| format!("{:#}", anyhow::Error::from(e)))?;
        if cancel.is_cancelled() {
            return Err("cancelled".to_owned());
        }
        let report = &outcome.report;
        if let Some(e) = report
            .tool_errors
            .iter()
            .find(|e| report.linters.iter().any(|l| l.name == e.linter))
        {
            return Err(format!("{} cannot format this file: {}", e.linter, e.message));
        }
        if let Some(f) = report
            .findings
            .iter()
            .find(|f| f.path == run.file && f.rule == "syntax-error")
        {
            return Err(f.message.clone());
        }
        match outcome.formatted.into_iter().find(|f| f.path == run.file) {
            Some(f) if f.content != text => text = f.content,
            _ => break,
        }
    }
    Ok((text != run.text).then_some(text))
}
