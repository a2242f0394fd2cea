//! A formatter's findings that say "this file would change" become the difference itself: each such file
//! is printed formatted, one print action each, through the same executor (so through the result cache),
//! and compared with the file ([`crate::parse::printed`]). The finding is then rule `format` at the first
//! changed line, with the diff and a fix. When the printed file equals the file, the formatter's own
//! finding stays; when printing fails, it stays and the failure is a tool error. A formatter that does
//! not list the files it would change (taplo) has every file it was given printed. Only a file the
//! formatter was given is ever printed: its listing could name any path.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use super::buffers::Dirty;
use super::context::Cx;
use super::execute::interrupted;
use super::executor::Executor;
use super::hashes::{FileHashes, Memo};
use super::prepare::Prepared;
use super::run_pool;
use crate::catalog::LinterDef;
use crate::model::{Finding, Formatted, LinterRun, Report, ToolError};
use crate::parse::printed;

/// What the prints gave besides findings and errors: each print's span (linter, start, end, as offsets
/// from the start of execution) and the files printed differently.
#[derive(Default)]
pub(crate) struct Printed {
    pub(crate) spans: Vec<(String, Duration, Duration)>,
    pub(crate) formatted: Vec<Formatted>,
}

/// What the prints of a pass know: the prepared linters, each linter's run (the files it was given,
/// sorted), unsaved content, and the files each formatter prints from it instead of listing them.
pub(crate) struct Printing<'a, 'w> {
    pub(crate) prepared: &'a BTreeMap<String, Prepared>,
    pub(crate) runs: &'a [(&'w LinterDef, LinterRun)],
    pub(crate) dirty: &'a BTreeMap<String, Dirty>,
    /// (formatter, path).
    pub(crate) from_buffers: &'a [(String, String)],
}

/// Prints the files the formatters of `report` listed (and every file of a formatter that does not
/// list), replacing each listing's finding by what its print gave.
pub(crate) fn listed(
    cx: &Cx,
    executor: &dyn Executor,
    printing: &Printing,
    report: &mut Report,
    started: Instant,
) -> Printed {
    let (prepared, runs) = (printing.prepared, printing.runs);
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
    // (never reported: its file is either printed differently, or unchanged, or a tool error); and so
    // each file with unsaved content, which a listing of the saved file cannot speak for.
    let mut unlisted = HashSet::new();
    for (name, _) in prepared.iter().filter(|(_, p)| p.prints_every_file()) {
        let files = runs
            .iter()
            .filter(|(def, _)| def.name == *name)
            .flat_map(|(_, run)| &run.paths);
        for path in files.filter(|p| !printing.dirty.contains_key(*p)) {
            unlisted.insert((name.clone(), path.clone()));
            listed.push(printed::stand_in(name, path));
        }
    }
    for (name, path) in printing.from_buffers {
        unlisted.insert((name.clone(), path.clone()));
        listed.push(printed::stand_in(name, path));
    }
    if listed.is_empty() {
        return Printed::default();
    }
    let mut out = Printed::default();
    for (listed, result) in print_all(cx, executor, printing, &listed, started) {
        let stands_in = unlisted.contains(&(listed.linter.clone(), listed.path.clone()));
        match result {
            Ok((Some((finding, formatted)), span)) => {
                out.spans.push(span);
                report.findings.push(finding);
                out.formatted.extend(formatted);
            }
            // Printed unchanged: the formatter listed it, and its own word stays; or it was not listed
            // (a formatter that does not list), and the file is formatted.
            Ok((None, span)) => {
                out.spans.push(span);
                if !stands_in {
                    report.findings.push(listed.clone());
                }
            }
            Err(error) => {
                if !stands_in {
                    report.findings.push(listed.clone());
                }
                report.tool_errors.push(error);
            }
        }
    }
    out
}

/// What one print gave (see [`printed::read`]) and its span.
type PrintResult = Result<(Option<(Finding, Option<Formatted>)>, (String, Duration, Duration)), ToolError>;

/// Prints each listed file on the pool: one print action per file, its key covering the file's content.
/// Gives each listing's finding with what its print gave.
fn print_all<'l>(
    cx: &Cx,
    executor: &dyn Executor,
    printing: &Printing,
    listed: &'l [Finding],
    started: Instant,
) -> Vec<(&'l Finding, PrintResult)> {
    let (prepared, dirty) = (printing.prepared, printing.dirty);
    let mut paths: Vec<&str> = listed.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    // A memo of its own: the check's holds every file, and a memo keeps only the files of its last use.
    let hashes = FileHashes::compute(&cx.hash_job(Memo::Print, u64::MAX), &paths);
    let caching = cx.req.caching == super::request::Caching::On;
    let actions: Vec<_> = listed
        .iter()
        .filter_map(|f| {
            let p = prepared.get(&f.linter)?;
            let unsaved = dirty.get(&f.path);
            Some((f, p, p.print_action(&f.path, caching.then_some(&hashes), unsaved)?))
        })
        .collect();
    let results = run_pool(
        &actions,
        cx.jobs,
        |(f, p, action)| {
            // The content the formatter is given: the unsaved content, else the file.
            let original = match dirty.get(&f.path) {
                Some(d) => Ok(d.content.clone()),
                None => std::fs::read_to_string(cx.ws.root.join(&f.path)),
            };
            if cx.cancel.is_cancelled() {
                return Err(interrupted(&f.linter));
            }
            let start = started.elapsed();
            let executed = executor.execute(action, cx.cancel);
            let end = started.elapsed();
            let unparsable = p.print.as_ref().and_then(|s| s.unparsable.as_ref());
            let read = printed::read(f, executed.output, original, unparsable)?;
            Ok((read, (f.linter.clone(), start, end)))
        },
        |_, _| {},
    );
    actions.iter().map(|(f, _, _)| *f).zip(results).collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::engine::prepare::{parser_context, reading};
    use crate::model::Level;

    /// The shipped formatter definitions read the listings recorded from the real tools: the files that
    /// would change, and what each does with a file it cannot parse (a finding, or a tool error, never
    /// "formatted").
    #[test]
    fn builtin_formatters_read_their_recorded_listings() {
        use crate::model::ToolErrorKind;
        use crate::parse::fixtures::{ROOT, recorded};
        let catalog = crate::catalog::Catalog::load(&[], crate::model::Trust::All).unwrap();
        let read = |linter: &str, version: &str, case: &str| {
            let def = catalog.get(linter).unwrap();
            let rec = recorded(linter, version, case);
            let out = crate::model::JobOutput {
                stdout: rec.stdout.into_bytes(),
                stderr: rec.stderr.into_bytes(),
                exit: crate::model::Exit::Code(rec.status),
                duration: std::time::Duration::ZERO,
            };
            let (findings, error) = crate::parse::interpret(&reading(def), &out, &parser_context(def, Path::new(ROOT)));
            let wanted = def.format.as_ref().and_then(|f| f.rule.clone());
            let listed: Vec<(String, String)> = findings
                .iter()
                .map(|f| {
                    let would_change = wanted.as_ref().is_none_or(|r| *r == f.rule);
                    (
                        f.path.clone(),
                        if would_change {
                            "format".to_owned()
                        } else {
                            f.rule.clone()
                        },
                    )
                })
                .collect();
            (listed, error.map(|e| e.kind))
        };
        let list = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(p, r)| ((*p).to_owned(), (*r).to_owned())).collect()
        };
        assert_eq!(
            read("ruff-format", "0.17.5", "list"),
            (list(&[("app/a.py", "format")]), None)
        );
        assert_eq!(
            read("ruff-format", "0.17.5", "syntax_error"),
            (list(&[("app/a.py", "format"), ("app/bad.py", "invalid-syntax")]), None)
        );
        assert_eq!(
            read("prettier", "3.10.1", "list"),
            (
                list(&[("src/a.ts", "format"), ("c.json", "format"), ("a.md", "format")]),
                None
            )
        );
        assert_eq!(
            read("prettier", "3.10.1", "syntax_error").1,
            Some(ToolErrorKind::Failed)
        );
        assert_eq!(
            read("shfmt", "3.14.1", "list"),
            (list(&[("scripts/a.sh", "format")]), None)
        );
        // shfmt's parse error names the file: it is listed, and printing it fails (a tool error then).
        assert_eq!(
            read("shfmt", "3.14.1", "syntax_error").0,
            list(&[("scripts/a.sh", "format"), ("scripts/bad.sh", "format")])
        );
        // The file ruff cannot parse is an error (its definition's `output.specific`); the rest are warnings.
        let def = catalog.get("ruff-format").unwrap();
        let rec = recorded("ruff-format", "0.17.5", "syntax_error");
        let out = crate::model::JobOutput {
            stdout: rec.stdout.into_bytes(),
            stderr: rec.stderr.into_bytes(),
            exit: crate::model::Exit::Code(rec.status),
            duration: std::time::Duration::ZERO,
        };
        let (findings, _) = crate::parse::interpret(
            &crate::engine::prepare::reading(def),
            &out,
            &crate::engine::prepare::parser_context(def, Path::new(ROOT)),
        );
        let levels: Vec<(&str, Level)> = findings.iter().map(|f| (f.rule.as_str(), f.level)).collect();
        assert_eq!(
            levels,
            [("unformatted", Level::Warning), ("invalid-syntax", Level::Error)]
        );
        // taplo-format's listing is not run (`list = false`): every file is printed.
        assert!(
            catalog
                .get("taplo-format")
                .unwrap()
                .format
                .as_ref()
                .is_some_and(|f| !f.list)
        );
    }
}
