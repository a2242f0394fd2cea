//! Fixing and formatting in place. The tools that write — the formatters, and for `check --fix` the
//! linters that can fix — take turns in waves whose tools share no file, fixers first
//! ([`crate::plan::waves`]): each wave is a pass of the engine in which the fixers run their fix command
//! and the formatters list and print, and what the formatters printed is written before the next wave
//! starts. A file is written in place, only if it still holds what its formatter read, and never through a
//! link.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::SystemTime;

use super::context::Cx;
use super::pass::{PassSpec, Which, pass};
use super::request::{Applied, Fixes, Outcome, SetupError};
use crate::catalog::{Kind, LinterDef};
use crate::model::{Formatted, Report};
use crate::plan::select::{self, Fixers};
use crate::plan::waves::waves;
use crate::walk::Walked;

/// `lintmux fmt`: the formatters format their files.
pub(crate) fn format(cx: &Cx, walked: &Walked, changed: Option<&BTreeSet<String>>) -> Result<Outcome, SetupError> {
    apply(cx, walked, None, changed)
}

/// What `lintmux check --fix` does first: the linters that can fix apply `fixes`, then the formatters
/// format. The check that follows says what remains.
pub(crate) fn fix(
    cx: &Cx,
    walked: &Walked,
    fixes: Fixes,
    changed: Option<&BTreeSet<String>>,
) -> Result<Outcome, SetupError> {
    apply(cx, walked, Some(fixes), changed)
}

/// The waves of the tools that write (the fixers with `fixing`), each a pass whose printed files are
/// written before the next starts. The report holds what the formatters said and could not fix (a file
/// they cannot parse, a file they list but print unchanged) and every tool error.
fn apply(
    cx: &Cx,
    walked: &Walked,
    fixing: Option<Fixes>,
    changed: Option<&BTreeSet<String>>,
) -> Result<Outcome, SetupError> {
    let ws = cx.ws;
    let fixers = if fixing.is_some() {
        Fixers::Included
    } else {
        Fixers::Left
    };
    let linters = select::linters(ws, cx.req.linters.as_deref(), walked)?;
    let tools: Vec<(&LinterDef, Vec<&str>)> = select::writers(linters, fixers)
        .into_iter()
        .map(|d| (d, select::files_for(ws, d, &walked.targets, cx.req.choice())))
        .filter(|(_, files)| !files.is_empty())
        .collect();
    let mut applied = Applied::default();
    let mut report = Report::default();
    for wave in waves(&tools) {
        if cx.cancel.is_cancelled() {
            break;
        }
        let before: Vec<(String, Signed)> = wave
            .iter()
            .map(|&i| &tools[i])
            .filter(|(d, _)| d.kind != Kind::Formatter)
            .map(|(d, files)| {
                (
                    d.name.clone(),
                    files.iter().map(|f| (*f, signature(&ws.root, f))).collect(),
                )
            })
            .collect();
        let names: Vec<String> = wave.iter().map(|&i| tools[i].0.name.clone()).collect();
        let spec = PassSpec {
            only: Some(&names),
            which: Which::All,
            fixing,
        };
        let passed = pass(cx, walked.clone(), &spec, changed)?;
        for (linter, files) in before {
            let rewritten = files.iter().filter(|(f, s)| signature(&ws.root, f) != *s).count();
            applied.fixed.push((linter, rewritten));
        }
        for formatted in &passed.formatted {
            match write(&ws.root, formatted) {
                Ok(()) => applied
                    .formatted
                    .push((formatted.path.clone(), formatted.linter.clone())),
                Err(why) => applied.not_written.push(why),
            }
        }
        applied.files = applied.files.max(passed.report.files.linted);
        report
            .findings
            .extend(passed.report.findings.into_iter().filter(|f| f.diff.is_none()));
        report.tool_errors.extend(passed.report.tool_errors);
    }
    Ok(Outcome {
        report,
        formatted: Vec::new(),
        applied,
        as_saved: Vec::new(),
    })
}

/// Writes what a formatter printed, if the file still holds what the formatter was given; says why a file
/// was left alone.
pub(crate) fn write(root: &Path, formatted: &Formatted) -> Result<(), String> {
    let path = root.join(&formatted.path);
    // Never through a link: it could lead out of the repository.
    if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_file()) {
        return Err(format!("{}: not a regular file; left as it is", formatted.path));
    }
    let now = std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read it: {e}", formatted.path))?;
    if now != formatted.original {
        return Err(format!(
            "{}: changed while {} was formatting it; left as it is",
            formatted.path, formatted.linter
        ));
    }
    // Written in place (not replaced), so the file keeps its mode, owner and links.
    std::fs::write(&path, &formatted.content).map_err(|e| format!("{}: cannot write it: {e}", formatted.path))
}

/// Files and their size and modification time (none when unreadable), to tell which ones a fixer
/// rewrote without reading them all twice.
type Signed<'f> = Vec<(&'f str, Option<(u64, SystemTime)>)>;

fn signature(root: &Path, file: &str) -> Option<(u64, SystemTime)> {
    let meta = std::fs::metadata(root.join(file)).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}
