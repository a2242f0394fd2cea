//! Formatters and fixes. A formatter is a linter (`kind = "formatter"`) whose `command` lists the files
//! it would change; lintmux then has it print each such file formatted (the file on stdin, nothing
//! written), and the difference is the finding: rule `format`, at the first changed line, with the
//! unified diff and a fix that replaces each changed run of lines. `lintmux fmt` writes what the
//! formatters printed; `lintmux check --fix` first lets the linters fix in place, then formats.
//!
//! Tools that write never run at once on the same file: [`waves`] orders them (fixers before
//! formatters, then by name) into waves whose tools share no file, and each wave ends before the next
//! starts.

use std::path::Path;

use crate::catalog::{Kind, LinterDef};
use crate::engine::CancelToken;
use crate::engine::check::{CheckOptions, SetupError, Workspace};
use crate::engine::events::Sink;
use crate::model::{Edit, Finding, Fix, Level, Range, ToolError, at};

/// A file a formatter printed differently: what lintmux writes for `lintmux fmt`.
#[derive(Clone, Debug)]
pub(crate) struct Formatted {
    pub(crate) linter: String,
    pub(crate) path: String,
    /// The file as the formatter was given it (written only if the file still holds it).
    pub(crate) original: String,
    pub(crate) content: String,
}

/// The rule of every formatting finding.
pub(crate) const RULE: &str = "format";

/// The finding for a file whose formatted text differs from its text: `None` when they are equal.
pub(crate) fn finding(linter: &str, path: &str, original: &str, formatted: &str) -> Option<Finding> {
    if original == formatted {
        return None;
    }
    let diff = similar::TextDiff::from_lines(original, formatted);
    let old_lines: Vec<&str> = original.split_inclusive('\n').collect();
    // Where 0-based line `i` starts, as a 1-based (line, column); past the last line, the end of the file.
    let start_of = |i: usize| -> (u32, u32) {
        if i < old_lines.len() {
            (to_u32(i + 1), 1)
        } else {
            match old_lines.last() {
                Some(last) => (to_u32(old_lines.len()), to_u32(last.chars().count() + 1)),
                None => (1, 1),
            }
        }
    };
    let mut edits = Vec::new();
    let mut changed = 0usize;
    for group in diff.grouped_ops(0) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        changed += old.len().max(new.len());
        let (start_line, start_column) = start_of(old.start);
        let (end_line, end_column) = start_of(old.end);
        let replacement: String = diff.new_slices()[new].concat();
        edits.push(Edit {
            range: Range::Lines {
                start_line,
                start_column,
                end_line,
                end_column,
            },
            replacement,
        });
    }
    let (line, _) = edits
        .first()
        .map(|e| match e.range {
            Range::Lines { start_line, .. } => (start_line, 1),
            Range::Offsets { .. } => (1, 1),
        })
        .unwrap_or((1, 1));
    let unified = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let message = format!(
        "{linter} would reformat this file ({changed} line{} in {} place{})",
        if changed == 1 { "" } else { "s" },
        edits.len(),
        if edits.len() == 1 { "" } else { "s" }
    );
    let mut f = Finding::new(linter, RULE, Level::Warning, message, at(path, line, 1));
    f.fix = Some(Fix {
        description: format!("format with {linter}"),
        applicability: Some("safe".to_owned()),
        edits,
    });
    f.diff = Some(unified);
    Some(f)
}

/// The finding a listing would have given for `path` (for a formatter that does not list).
pub(crate) fn stand_in(linter: &str, path: &str) -> Finding {
    let message = format!("{linter} would reformat this file");
    Finding::new(linter, RULE, Level::Warning, message, at(path, 1, 1))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Tools that write, in the order they run: each inner list is a wave of tools that share no file.
/// Fixers come before formatters (a fix can leave code the formatter then tidies), then by name.
pub(crate) fn waves<'a>(tools: &[(&'a LinterDef, Vec<&'a str>)]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..tools.len()).collect();
    order.sort_by_key(|&i| (tools[i].0.kind == Kind::Formatter, tools[i].0.name.as_str()));
    let sets: Vec<std::collections::HashSet<&str>> =
        tools.iter().map(|(_, files)| files.iter().copied().collect()).collect();
    let mut wave_of: Vec<usize> = vec![0; tools.len()];
    let mut waves: Vec<Vec<usize>> = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        // After every wave of an earlier tool that shares a file with this one.
        let after = order[..pos]
            .iter()
            .filter(|&&j| !sets[i].is_disjoint(&sets[j]))
            .map(|&j| wave_of[j] + 1)
            .max()
            .unwrap_or(0);
        // A formatter never shares a wave with a fixer: all fixing is done first.
        let after = if tools[i].0.kind == Kind::Formatter {
            let fixers_end = order[..pos]
                .iter()
                .filter(|&&j| tools[j].0.kind != Kind::Formatter)
                .map(|&j| wave_of[j] + 1)
                .max()
                .unwrap_or(0);
            after.max(fixers_end)
        } else {
            after
        };
        wave_of[i] = after;
        if waves.len() <= after {
            waves.resize_with(after + 1, Vec::new);
        }
        waves[after].push(i);
    }
    waves
}

/// Writes what a formatter printed, if the file still holds what the formatter was given; says which
/// files it left alone and why.
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

/// What applying fixes and formatting did.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// Files a formatter rewrote: (path, formatter).
    pub(crate) formatted: Vec<(String, String)>,
    /// Files each fixer changed: (linter, how many).
    pub(crate) fixed: Vec<(String, usize)>,
    /// Files left as they were, and why (changed meanwhile, not writable).
    pub(crate) not_written: Vec<String>,
    /// What the formatters said and could not fix (a file they cannot parse, a file they list but print
    /// unchanged).
    pub(crate) findings: Vec<Finding>,
    pub(crate) tool_errors: Vec<ToolError>,
    /// Files the formatters looked at.
    pub(crate) files: usize,
}

/// Fixes and formats in place: with `fixes`, the enabled linters that can fix apply their fixes
/// (`Some(true)`: unsafe ones too); then the enabled formatters format. `base` says which files and
/// linters (`linters` narrows the set). Tools run in [`waves`]; each wave is a check whose formatters'
/// printed files are written before the next wave starts.
pub(crate) fn apply(
    ws: &Workspace,
    cwd: &Path,
    base: &CheckOptions,
    fixes: Option<bool>,
    sink: &dyn Sink,
    cancel: &CancelToken,
) -> Result<Applied, SetupError> {
    let walked = ws.walk(cwd, &base.paths, base.jobs.max(1), false)?;
    let selected = ws.select(base.linters.as_deref(), &walked)?;
    let tools: Vec<(&LinterDef, Vec<&str>)> = selected
        .into_iter()
        .filter(|d| d.kind == Kind::Formatter || (fixes.is_some() && d.fix.is_some()))
        .map(|d| {
            (
                d,
                ws.files_for(d, &ws.config.linter(&d.name), &walked.targets, base.explicit),
            )
        })
        .filter(|(_, files)| !files.is_empty())
        .collect();
    let mut applied = Applied::default();
    for wave in waves(&tools) {
        if cancel.is_cancelled() {
            break;
        }
        let fixing: Vec<&(&LinterDef, Vec<&str>)> = wave
            .iter()
            .map(|&i| &tools[i])
            .filter(|(d, _)| d.kind != Kind::Formatter)
            .collect();
        let before: Vec<(String, Signed)> = fixing
            .iter()
            .map(|(d, files)| {
                (
                    d.name.clone(),
                    files.iter().map(|f| (*f, signature(&ws.root, f))).collect(),
                )
            })
            .collect();
        let opts = CheckOptions {
            linters: Some(wave.iter().map(|&i| tools[i].0.name.clone()).collect()),
            fix: fixes,
            new_only: None,
            baseline: None,
            ..base.clone()
        };
        let (report, formatted_files) = crate::engine::check::check(ws, cwd, &opts, sink, cancel)?;
        for (linter, files) in before {
            let changed = files.iter().filter(|(f, h)| signature(&ws.root, f) != *h).count();
            applied.fixed.push((linter, changed));
        }
        for formatted in &formatted_files {
            match write(&ws.root, formatted) {
                Ok(()) => applied
                    .formatted
                    .push((formatted.path.clone(), formatted.linter.clone())),
                Err(why) => applied.not_written.push(why),
            }
        }
        applied.files = applied.files.max(report.files.linted);
        applied
            .findings
            .extend(report.findings.into_iter().filter(|f| f.diff.is_none()));
        applied.tool_errors.extend(report.tool_errors);
    }
    Ok(applied)
}

/// Files and their size and modification time (none when unreadable), to tell which ones a fixer
/// rewrote without reading them all twice.
type Signed<'f> = Vec<(&'f str, Option<(u64, std::time::SystemTime)>)>;

fn signature(root: &Path, file: &str) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(root.join(file)).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_finding_is_at_the_first_change_and_its_fix_rebuilds_the_formatted_text() {
        let original = "import os\nx = {  'a':1}\ny = 2\nz=3\n";
        let formatted = "import os\n\nx = {'a': 1}\ny = 2\nz = 3\n";
        let f = finding("ruff-format", "app/m.py", original, formatted).unwrap();
        assert_eq!((f.rule.as_str(), f.line, f.column), ("format", 2, 1));
        let diff = f.diff.as_deref().unwrap();
        assert!(
            diff.starts_with("--- a/app/m.py\n+++ b/app/m.py\n@@ -1,4 +1,5 @@"),
            "{diff}"
        );
        assert!(diff.contains("-x = {  'a':1}\n+\n+x = {'a': 1}\n"), "{diff}");
        // Applying the edits (from the last, so earlier positions hold) gives the formatted text.
        let lines: Vec<&str> = original.split_inclusive('\n').collect();
        let offset = |line: u32, column: u32| -> usize {
            lines[..line as usize - 1]
                .iter()
                .map(|l| l.chars().count())
                .sum::<usize>()
                + column as usize
                - 1
        };
        let mut text: Vec<char> = original.chars().collect();
        let edits = &f.fix.as_ref().unwrap().edits;
        assert_eq!(edits.len(), 2);
        for e in edits.iter().rev() {
            let Range::Lines {
                start_line,
                start_column,
                end_line,
                end_column,
            } = e.range
            else {
                panic!("line ranges")
            };
            let range = offset(start_line, start_column)..offset(end_line, end_column);
            text.splice(range, e.replacement.chars());
        }
        let lines = [text.into_iter().collect::<String>()];
        assert_eq!(lines.concat(), formatted);
        assert!(finding("x", "a", "same\n", "same\n").is_none());
    }

    #[test]
    fn a_change_at_the_end_of_a_file_ends_inside_the_last_line() {
        let f = finding("taplo-format", "a.toml", "a = 1\nb =   2", "a = 1\nb = 2\n").unwrap();
        let edit = &f.fix.unwrap().edits[0];
        assert_eq!(
            edit.range,
            Range::Lines {
                start_line: 2,
                start_column: 1,
                end_line: 2,
                end_column: 8
            }
        );
        assert_eq!(edit.replacement, "b = 2\n");
    }

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
            let (findings, error) = crate::parse::interpret(
                &crate::engine::prepare::reading(def),
                &out,
                &crate::engine::prepare::parser_context(def, Path::new(ROOT)),
            );
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

    fn def(name: &str, kind: Kind) -> LinterDef {
        let text = format!(
            "description = \"\"\nhomepage = \"\"\nfile_types = [\"python\"]\ncommand = [\"t\", \"{{files}}\"]\noutput = {{ format = \"sarif\" }}\nversion = {{ pin = \"1\", command = [\"t\"], pattern = \"(1)\" }}\n{}",
            if kind == Kind::Formatter {
                "kind = \"formatter\"\n[format]\nprint = [\"t\"]\n"
            } else {
                ""
            }
        );
        let mut d: LinterDef = toml::from_str(&text).unwrap();
        d.name = name.to_owned();
        d
    }

    #[test]
    fn fixers_go_before_formatters_and_tools_sharing_a_file_never_share_a_wave() {
        let (ruff, eslint, prettier, ruff_format, shfmt) = (
            def("ruff", Kind::Linter),
            def("eslint", Kind::Linter),
            def("prettier", Kind::Formatter),
            def("ruff-format", Kind::Formatter),
            def("shfmt", Kind::Formatter),
        );
        let tools = vec![
            (&prettier, vec!["a.ts", "b.md"]),
            (&ruff, vec!["x.py"]),
            (&shfmt, vec!["s.sh"]),
            (&ruff_format, vec!["x.py"]),
            (&eslint, vec!["a.ts"]),
        ];
        let names = |w: &Vec<usize>| w.iter().map(|&i| tools[i].0.name.as_str()).collect::<Vec<_>>();
        let waves: Vec<Vec<&str>> = waves(&tools).iter().map(names).collect();
        assert_eq!(
            waves,
            [vec!["eslint", "ruff"], vec!["prettier", "ruff-format", "shfmt"]]
        );
        // Two formatters of one file: one after the other, by name.
        let black = def("black", Kind::Formatter);
        let two = vec![(&ruff_format, vec!["x.py"]), (&black, vec!["x.py", "y.py"])];
        let names = |w: &Vec<usize>| w.iter().map(|&i| two[i].0.name.as_str()).collect::<Vec<_>>();
        let waves: Vec<Vec<&str>> = super::waves(&two).iter().map(names).collect();
        assert_eq!(waves, [vec!["black"], vec!["ruff-format"]]);
    }
}
