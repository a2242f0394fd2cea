//! Findings that cannot be true. A linter that names a file outside the lint root (`/etc/passwd`,
//! `../outside.py`, a symbolic link that leads out), a file that does not exist, or line 0 is confused,
//! broken or hostile: its verdict cannot be trusted, yet its finding may still be the only sign of a real
//! problem. So such a finding is kept exactly as the linter gave it — never dropped, never moved to a
//! line or file that exists — marked with a [`Finding::doubt`] that says what is wrong, and its linter
//! gets a tool error of kind `implausible_output`, which makes the exit code 2.
//!
//! Whether a file lies inside the root is decided by [`crate::model::resolve`], the same rule by which
//! lintmux reads a file a linter named ([`crate::model::readable`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::Report;
use crate::model::{Finding, ToolError, ToolErrorKind, real, resolve};

/// How many doubtful findings a linter's tool error lists.
const LISTED: usize = 15;

/// What is wrong with `f`, if anything.
fn doubt(root: &Path, real_root: &Path, f: &Finding) -> Option<String> {
    let mut why: Vec<String> = Vec::new();
    if let Err(e) = resolve(root, real_root, &f.path) {
        why.push(e.to_owned());
    }
    if f.line == 0 {
        why.push("line 0 is not a line of a file (lines count from 1)".to_owned());
    }
    (!why.is_empty()).then(|| why.join("; "))
}

/// Marks every finding of `report` (shown or hidden) that cannot be true, and adds one
/// `implausible_output` tool error per linter that reported any. Each distinct path is looked at once.
pub(crate) fn check(report: &mut Report) {
    let root = report.root.clone();
    let real_root = real(&root);
    let mut seen: BTreeMap<(String, u32), Option<String>> = BTreeMap::new();
    let mut doubtful: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in report.findings.iter_mut().chain(report.hidden.iter_mut()) {
        let why = seen
            .entry((f.path.clone(), f.line.min(1)))
            .or_insert_with(|| doubt(&root, &real_root, f))
            .clone();
        if let Some(why) = why {
            doubtful
                .entry(f.linter.clone())
                .or_default()
                .push(format!("{}:{}: {why}", f.path, f.line));
            f.doubt = Some(why);
        }
    }
    for (linter, lines) in doubtful {
        let n = lines.len();
        let message = format!(
            "{linter} reported {n} finding{} that cannot be true (a file outside the lint root or not in it, or \
             line 0); {} kept as given and marked, but {linter}'s output is not to be trusted",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it is" } else { "they are" },
        );
        let mut listed: Vec<String> = lines.into_iter().take(LISTED).collect();
        if n > LISTED {
            listed.push(format!("… and {} more", n - LISTED));
        }
        report.tool_errors.push(ToolError {
            output_tail: listed.join("\n"),
            ..ToolError::new(&linter, ToolErrorKind::ImplausibleOutput, message)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;
    use crate::parse::Ctx;

    fn finding(path: &str, line: u32) -> Finding {
        let mut f = Ctx::new("t", Path::new("/")).finding("R1", Level::Error, "m", crate::model::at("x", line, 1));
        f.path = path.to_owned();
        f
    }

    #[test]
    fn impossible_findings_are_marked_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/ok.py"), "x = 1\n").unwrap();
        std::fs::write(dir.path().join("outside.py"), "secret\n").unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside.py"), root.join("link.py")).unwrap();
        let mut report = Report {
            root: root.clone(),
            findings: vec![
                finding("src/ok.py", 1),
                finding("src/../src/ok.py", 1),
                finding("/etc/passwd", 1),
                finding("../outside.py", 1),
                finding("src/../../outside.py", 1),
                finding("link.py", 1),
                finding("missing.py", 2),
                finding("src/ok.py", 0),
                finding("", 1),
            ],
            ..Report::default()
        };
        check(&mut report);
        let doubts: Vec<Option<&str>> = report.findings.iter().map(|f| f.doubt.as_deref()).collect();
        let outside = Some("the file is outside the lint root");
        assert_eq!(
            doubts,
            [
                None,
                None,
                outside,
                outside,
                outside,
                Some("the file is outside the lint root (through a symbolic link)"),
                Some("the file does not exist in the lint root"),
                Some("line 0 is not a line of a file (lines count from 1)"),
                Some("the linter named no file"),
            ]
        );
        assert_eq!(report.findings.len(), 9, "nothing is dropped");
        assert_eq!(report.findings[2].path, "/etc/passwd", "nothing is moved");
        assert_eq!(report.tool_errors.len(), 1);
        let e = &report.tool_errors[0];
        assert_eq!(e.kind, ToolErrorKind::ImplausibleOutput);
        assert!(
            e.message.starts_with("t reported 7 findings that cannot be true"),
            "{}",
            e.message
        );
        assert!(
            e.output_tail
                .starts_with("/etc/passwd:1: the file is outside the lint root\n"),
            "{}",
            e.output_tail
        );
    }
}
