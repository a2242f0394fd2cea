//! When PATHs narrow a check, the report keeps only findings on files inside them: a whole-project linter
//! such as mypy reports on the modules its files import, and an editor asking about one file wants that
//! file's findings. What is left out is counted in the report's scope.

use crate::model::{Finding, Report};

/// When PATHs narrow a check: leaves out the findings on files outside `paths` (root-relative files or
/// directories; none means the whole root) — a whole-project linter such as mypy reports on the modules
/// its files import — and returns how many were left out. (The caller normalises the report.)
pub(crate) fn keep_within(report: &mut Report, paths: &[String]) -> usize {
    if paths.is_empty() {
        return 0;
    }
    let inside = |f: &Finding| {
        paths.iter().any(|p| {
            f.path == *p
                || (f.path.len() > p.len() && f.path.starts_with(p.as_str()) && f.path.as_bytes()[p.len()] == b'/')
        })
    };
    let before = report.findings.len() + report.hidden.len();
    report.findings.retain(|f| inside(f));
    report.hidden.retain(|f| inside(f));
    before - report.findings.len() - report.hidden.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;

    fn on(path: &str) -> Finding {
        Finding::new("mypy", "r", Level::Error, "m".into(), crate::model::at(path, 1, 1))
    }

    #[test]
    fn keeps_files_and_directories_given() {
        let mut report = Report {
            findings: vec![on("app/a.py"), on("app2/b.py"), on("lib/c.py"), on("main.py")],
            ..Report::default()
        };
        assert_eq!(keep_within(&mut report, &["app".into(), "main.py".into()]), 2);
        let kept: Vec<&str> = report.findings.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(kept, ["app/a.py", "main.py"]);
        assert_eq!(keep_within(&mut report, &[]), 0);
    }
}
