//! Filters between parsing and reporting. Severity overrides from lintmux.toml: a rule (or `"*"`, the
//! whole linter) can be made an error, a warning or a note, or turned `off`. `--new-only` keeps findings on
//! lines added or modified since the merge base; `--baseline` drops findings a saved SARIF report already
//! has. What those two leave out is kept aside as `hidden`, counted in the report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::config::Severity;
use crate::engine::git::NewLines;
use crate::model::Finding;
use crate::model::Report;
use crate::model::fingerprint::{self, FileLineHashes};

/// Moves the findings `old` picks into the report's hidden ones; a finding that cannot be true (see
/// [`crate::filter::plausible`]) is always shown. (The caller normalises the report.)
fn hide(report: &mut Report, mut old: impl FnMut(&Finding) -> bool) {
    report.compared = true;
    let (hidden, kept): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut report.findings)
        .into_iter()
        .partition(|f| f.doubt.is_none() && old(f));
    report.findings = kept;
    report.hidden.extend(hidden);
}

/// Keeps the findings on new lines; the others become hidden.
pub fn keep_new(report: &mut Report, new: &BTreeMap<String, NewLines>) {
    hide(report, |f| {
        !new.get(&f.path).is_some_and(|lines| lines.contains(f.line))
    });
}

/// Identities (see [`FileLineHashes::identity`]) of the results of a SARIF report.
pub fn baseline_identities(path: &Path) -> Result<BTreeSet<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("failed to read {}: {e}", path.display()))?;
    let log: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not a SARIF file: {e}", path.display()))?;
    let runs = log["runs"]
        .as_array()
        .ok_or_else(|| format!("{} is not a SARIF file: it has no `runs`", path.display()))?;
    let mut ids = BTreeSet::new();
    for run in runs {
        let tool = run["tool"]["driver"]["name"].as_str().unwrap_or_default();
        for r in run["results"].as_array().into_iter().flatten() {
            let rule = r["ruleId"].as_str().unwrap_or_default();
            let loc = &r["locations"][0]["physicalLocation"];
            let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or_default();
            let path = crate::model::percent_decode(uri);
            let hash = r["partialFingerprints"]["primaryLocationLineHash"].as_str();
            let line = loc["region"]["startLine"]
                .as_u64()
                .and_then(|l| u32::try_from(l).ok())
                .unwrap_or(0);
            ids.insert(fingerprint::identity(tool, rule, &path, hash, line));
        }
    }
    Ok(ids)
}

/// Drops (hides) the findings whose identity is in `known`.
pub fn drop_known(report: &mut Report, known: &BTreeSet<String>) {
    let root = report.root.clone();
    let mut hashes = FileLineHashes::new(&root);
    hide(report, |f| known.contains(&hashes.identity(f)));
}

/// Applies `overrides` (rule id → severity, `"*"` for every rule not named) to one linter's findings.
pub(crate) fn apply_severity(findings: Vec<Finding>, overrides: &BTreeMap<String, Severity>) -> Vec<Finding> {
    if overrides.is_empty() {
        return findings;
    }
    findings
        .into_iter()
        .filter_map(|mut f| match overrides.get(&f.rule).or_else(|| overrides.get("*")) {
            None => Some(f),
            Some(sev) => {
                f.level = sev.level()?;
                Some(f)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;
    use crate::parse::Ctx;

    #[test]
    fn rules_then_star() {
        let ctx = Ctx::new("ruff", std::path::Path::new("/r"));
        let f = |rule: &str| ctx.finding(rule, Level::Error, "m", crate::model::at("a.py", 1, 1));
        let mut o = BTreeMap::new();
        o.insert("E501".to_owned(), Severity::Off);
        o.insert("F401".to_owned(), Severity::Note);
        o.insert("*".to_owned(), Severity::Warning);
        let out = apply_severity(vec![f("E501"), f("F401"), f("B006")], &o);
        let got: Vec<(&str, Level)> = out.iter().map(|f| (f.rule.as_str(), f.level)).collect();
        assert_eq!(got, [("F401", Level::Note), ("B006", Level::Warning)]);
    }
}

/// When PATHs narrow a check: leaves out the findings on files outside `paths` (root-relative files or
/// directories; none means the whole root) — a whole-project linter such as mypy reports on the modules
/// its files import — and returns how many were left out. (The caller normalises the report.)
pub fn keep_within(report: &mut Report, paths: &[String]) -> usize {
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
mod within_tests {
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
