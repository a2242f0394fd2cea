//! Comparing with history: `--new-only` keeps the findings on lines added or modified since the merge
//! base; `--baseline` drops the findings a saved SARIF report already has. What those two leave out is
//! kept aside as `hidden`, counted in the report (SARIF keeps it as `unchanged`); a finding that cannot be
//! true is never hidden.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::model::fingerprint::{self, FileLineHashes};
use crate::model::{Finding, Report, percent_decode};

/// Which lines of a file are new since the base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NewLines {
    /// A file the base does not have.
    All,
    /// Inclusive 1-based ranges of added or modified lines.
    Ranges(Vec<(u32, u32)>),
}

impl NewLines {
    pub(crate) fn contains(&self, line: u32) -> bool {
        match self {
            NewLines::All => true,
            NewLines::Ranges(r) => r.iter().any(|(a, b)| (*a..=*b).contains(&line)),
        }
    }
}

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
pub(crate) fn keep_new(report: &mut Report, new: &BTreeMap<String, NewLines>) {
    hide(report, |f| {
        !new.get(&f.path).is_some_and(|lines| lines.contains(f.line))
    });
}

/// Identities (see [`FileLineHashes::identity`]) of the results of a SARIF report.
pub(crate) fn baseline_identities(path: &Path) -> Result<BTreeSet<String>, String> {
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
            let path = percent_decode(uri);
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
pub(crate) fn drop_known(report: &mut Report, known: &BTreeSet<String>) {
    let root = report.root.clone();
    let mut hashes = FileLineHashes::new(&root);
    hide(report, |f| known.contains(&hashes.identity(f)));
}
