//! What a formatter printed. lintmux has a formatter print a file it listed as "would change" (the file on
//! stdin), and the difference is the finding: rule `format`, at the first changed line, with the unified
//! diff and a fix that replaces each changed run of lines ([`compare`]). [`read`] decides what one print
//! gave: that finding and the formatted file, a `syntax-error` finding when the formatter said the file
//! does not parse, nothing when it printed the file unchanged, or a tool error.

use crate::model::{Edit, Exit, Finding, Fix, Formatted, JobOutput, Level, Range, ToolError, ToolErrorKind, at, tail};

/// The rule of every formatting finding.
pub(crate) const RULE: &str = "format";

/// The finding for a file whose formatted text differs from its text: `None` when they are equal.
pub(crate) fn compare(linter: &str, path: &str, original: &str, formatted: &str) -> Option<Finding> {
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

/// What one print gave: the formatting finding and the formatted file; or, when the formatter said the
/// file does not parse (its `unparsable` stderr), a `syntax-error` finding and nothing to write; `None`
/// when it printed the file unchanged. `listed` is the finding of its listing that asked for the print,
/// `output` the finished print (or why it could not start), `original` the file as read before.
pub(crate) fn read(
    listed: &Finding,
    output: Result<JobOutput, String>,
    original: std::io::Result<String>,
    unparsable: Option<&regex::Regex>,
) -> Result<Option<(Finding, Option<Formatted>)>, ToolError> {
    let linter = &listed.linter;
    let fail = |kind, message: String, output: &[u8]| {
        let mut e = ToolError::new(linter, kind, message);
        e.output_tail = tail(&String::from_utf8_lossy(output), 10);
        e
    };
    let out = output.map_err(|m| fail(ToolErrorKind::Spawn, m, b""))?;
    if let (Exit::Code(c), Some(re)) = (&out.exit, unparsable)
        && *c != 0
        && let Some(caps) = re.captures(&String::from_utf8_lossy(&out.stderr))
    {
        let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let why = caps.name("message").map_or("it does not parse", |m| m.as_str().trim());
        let mut finding = listed.clone();
        finding.rule = "syntax-error".to_owned();
        finding.level = Level::Error;
        finding.message = format!("{linter} cannot format this file: {why}");
        finding.line = num("line").unwrap_or(1).max(1);
        finding.column = num("column").unwrap_or(1).max(1);
        (finding.end_line, finding.end_column, finding.fix, finding.diff) = (None, None, None, None);
        return Ok(Some((finding, None)));
    }
    let why = match out.exit {
        Exit::Code(0) => None,
        Exit::Code(c) => Some((ToolErrorKind::Failed, format!("exit code {c}"))),
        other => other.failure().map(|(kind, words)| (kind, format!("it {words}"))),
    };
    if let Some((kind, why)) = why {
        let output = if out.stderr.is_empty() {
            &out.stdout
        } else {
            &out.stderr
        };
        let message = format!("{linter} could not print {} formatted: {why}", listed.path);
        return Err(fail(kind, message, output));
    }
    let original = original.map_err(|e| {
        let message = format!("cannot read {} to compare it with {linter}'s output: {e}", listed.path);
        fail(ToolErrorKind::BadOutput, message, b"")
    })?;
    let content = String::from_utf8(out.stdout).map_err(|_| {
        let message = format!("{linter} printed {} formatted as text that is not UTF-8", listed.path);
        fail(ToolErrorKind::BadOutput, message, b"")
    })?;
    if content.is_empty() && !original.is_empty() {
        let message = format!("{linter} printed nothing for {}", listed.path);
        return Err(fail(ToolErrorKind::BadOutput, message, &out.stderr));
    }
    let Some(mut finding) = compare(linter, &listed.path, &original, &content) else {
        return Ok(None);
    };
    finding.level = listed.level;
    let formatted = Formatted {
        linter: linter.clone(),
        path: listed.path.clone(),
        original,
        content,
    };
    Ok(Some((finding, Some(formatted))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fixtures::recorded;
    use std::time::Duration;

    #[test]
    fn the_finding_is_at_the_first_change_and_its_fix_rebuilds_the_formatted_text() {
        let original = "import os\nx = {  'a':1}\ny = 2\nz=3\n";
        let formatted = "import os\n\nx = {'a': 1}\ny = 2\nz = 3\n";
        let f = compare("ruff-format", "app/m.py", original, formatted).unwrap();
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
        assert!(compare("x", "a", "same\n", "same\n").is_none());
    }

    #[test]
    fn a_change_at_the_end_of_a_file_ends_inside_the_last_line() {
        let f = compare("taplo-format", "a.toml", "a = 1\nb =   2", "a = 1\nb = 2\n").unwrap();
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
            let output = Ok(JobOutput {
                stdout: rec.stdout.into_bytes(),
                stderr: rec.stderr.into_bytes(),
                exit: Exit::Code(rec.status),
                duration: Duration::ZERO,
            });
            let listed = stand_in(linter, path);
            let (finding, formatted) = read(&listed, output, Ok("x".to_owned()), Some(&re))
                .unwrap_or_else(|e| panic!("{linter}: {e:?}"))
                .unwrap();
            assert!(formatted.is_none(), "{linter}");
            assert_eq!(
                (finding.rule.as_str(), finding.level, (finding.line, finding.column)),
                ("syntax-error", Level::Error, at),
                "{linter}"
            );
            assert_eq!(finding.message, format!("{linter} cannot format this file: {message}"));
            // Without the pattern, the same failure is a tool error.
            let output = Ok(JobOutput {
                stdout: Vec::new(),
                stderr: b"something else went wrong".to_vec(),
                exit: Exit::Code(2),
                duration: Duration::ZERO,
            });
            let error = read(&listed, output, Ok("x".to_owned()), Some(&re)).unwrap_err();
            assert_eq!(error.kind, ToolErrorKind::Failed, "{linter}");
        }
    }
}
