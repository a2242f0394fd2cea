//! `--report gitlab`: a GitLab Code Quality report, the JSON the merge-request widget reads. Each finding's
//! `fingerprint` is built from the same identity `--baseline` uses (tool, rule, file and the SARIF
//! `primaryLocationLineHash`), plus the message and a counter for findings that would otherwise share it,
//! so it is stable across runs and when lines move, and unique within a report.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use crate::model::Level;
use crate::model::Report;
use crate::model::fingerprint::FileLineHashes;

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

/// Code Quality severity of a level: `info`, `minor`, `major` (`critical` and `blocker` are left for
/// people to choose by configuration, not by lintmux).
pub(crate) fn severity(level: Level) -> &'static str {
    match level {
        Level::Note => "info",
        Level::Warning => "minor",
        Level::Error => "major",
    }
}

pub(crate) fn write_gitlab(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut hashes = FileLineHashes::new(&report.root);
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut issues = Vec::with_capacity(report.findings.len());
    for f in &report.findings {
        let identity = format!("{}\0{}", hashes.identity(f), f.message);
        let n = seen.entry(identity.clone()).or_insert(0);
        *n += 1;
        let fingerprint = blake3::hash(format!("{identity}\0{n}").as_bytes()).to_hex()[..32].to_owned();
        issues.push(Issue {
            kind: "issue",
            description: format!("{} ({} {})", f.message, f.linter, f.rule),
            check_name: format!("{}/{}", f.linter, f.rule),
            fingerprint,
            severity: severity(f.level),
            location: Location {
                path: &f.path,
                lines: Lines { begin: f.line },
            },
        });
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_of_the_sample() {
        let report = crate::report::sample::report();
        let mut out = Vec::new();
        write_gitlab(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let issues: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(issues.len(), report.findings.len());
        let fingerprints: std::collections::HashSet<&str> =
            issues.iter().filter_map(|i| i["fingerprint"].as_str()).collect();
        assert_eq!(fingerprints.len(), issues.len(), "each fingerprint is unique");
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("gitlab", text);
        });
    }
}
