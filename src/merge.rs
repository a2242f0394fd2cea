//! `lintmux merge`: SARIF files (the shards of one check, or reports of several) combined into one valid
//! log with one run per tool. Rules are united and results re-indexed against them; a run is successful
//! only if every merged invocation was. Results are sorted, so the order of the inputs does not matter.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::finding::{Finding, Level, ToolError, ToolErrorKind};
use crate::report::{LinterRun, Report, SARIF_PROPERTIES as PROPERTIES};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("failed to read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a SARIF 2.1.0 log: {why}")]
    NotSarif { path: PathBuf, why: String },
}

#[derive(Default)]
struct RunAcc {
    driver: Value,
    rules: BTreeMap<String, Value>,
    results: Vec<Value>,
    successful: bool,
    notifications: Vec<Value>,
    bases: Option<Value>,
    /// The files each part was given (lintmux's run properties), united.
    files: std::collections::BTreeSet<String>,
}

fn sort_key(r: &Value) -> (String, u64, u64, String, String) {
    let loc = &r["locations"][0]["physicalLocation"];
    (
        loc["artifactLocation"]["uri"].as_str().unwrap_or_default().to_owned(),
        loc["region"]["startLine"].as_u64().unwrap_or(0),
        loc["region"]["startColumn"].as_u64().unwrap_or(0),
        r["ruleId"].as_str().unwrap_or_default().to_owned(),
        r["message"]["text"].as_str().unwrap_or_default().to_owned(),
    )
}

fn read(path: &Path) -> Result<Value, MergeError> {
    let text = std::fs::read_to_string(path).map_err(|source| MergeError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let log: Value = serde_json::from_str(&text).map_err(|e| MergeError::NotSarif {
        path: path.to_path_buf(),
        why: e.to_string(),
    })?;
    if log["version"] != "2.1.0" || !log["runs"].is_array() {
        return Err(MergeError::NotSarif {
            path: path.to_path_buf(),
            why: "it needs `\"version\": \"2.1.0\"` and a `runs` array".into(),
        });
    }
    Ok(log)
}

pub fn merge_files(paths: &[PathBuf]) -> Result<Value, MergeError> {
    let mut runs: BTreeMap<String, RunAcc> = BTreeMap::new();
    for path in paths {
        let log = read(path)?;
        for run in log["runs"].as_array().into_iter().flatten() {
            let name = run["tool"]["driver"]["name"].as_str().unwrap_or("unknown").to_owned();
            let acc = runs.entry(name).or_insert_with(|| RunAcc {
                successful: true,
                ..RunAcc::default()
            });
            let mut driver = run["tool"]["driver"].clone();
            let rules = driver.as_object_mut().and_then(|d| d.remove("rules"));
            if acc.driver.is_null() {
                acc.driver = driver;
            }
            let rules: Vec<Value> = rules.and_then(|r| r.as_array().cloned()).unwrap_or_default();
            for rule in &rules {
                if let Some(id) = rule["id"].as_str() {
                    acc.rules.entry(id.to_owned()).or_insert_with(|| rule.clone());
                }
            }
            for result in run["results"].as_array().into_iter().flatten() {
                let mut result = result.clone();
                if result["ruleId"].is_null()
                    && let Some(id) = result["ruleIndex"]
                        .as_u64()
                        .and_then(|i| rules.get(i as usize))
                        .and_then(|r| r["id"].as_str())
                {
                    result["ruleId"] = json!(id);
                }
                acc.results.push(result);
            }
            for inv in run["invocations"].as_array().into_iter().flatten() {
                acc.successful &= inv["executionSuccessful"].as_bool().unwrap_or(false);
                acc.notifications.extend(
                    inv["toolExecutionNotifications"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .cloned(),
                );
            }
            acc.files.extend(
                run["properties"][PROPERTIES]["files"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f.as_str().map(str::to_owned)),
            );
            if acc.bases.is_none() && !run["originalUriBaseIds"].is_null() {
                acc.bases = Some(run["originalUriBaseIds"].clone());
            }
        }
    }
    let mut out_runs = Vec::new();
    for (_, mut acc) in runs {
        let ids: Vec<&String> = acc.rules.keys().collect();
        for r in &mut acc.results {
            match r["ruleId"].as_str().and_then(|id| ids.iter().position(|x| *x == id)) {
                Some(i) => r["ruleIndex"] = json!(i),
                None => {
                    if let Some(o) = r.as_object_mut() {
                        o.remove("ruleIndex");
                    }
                }
            }
        }
        acc.results.sort_by_key(sort_key);
        acc.results.dedup();
        let mut driver = acc.driver;
        driver["rules"] = Value::Array(acc.rules.into_values().collect());
        let mut invocation = json!({ "executionSuccessful": acc.successful });
        if !acc.notifications.is_empty() {
            invocation["toolExecutionNotifications"] = Value::Array(acc.notifications);
        }
        let mut run = json!({
            "tool": { "driver": driver },
            "invocations": [invocation],
            "results": acc.results,
        });
        if let Some(bases) = acc.bases {
            run["originalUriBaseIds"] = bases;
        }
        run["properties"] = json!({ PROPERTIES: { "files": acc.files } });
        out_runs.push(run);
    }
    Ok(json!({
        "$schema": crate::report::SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": out_runs,
    }))
}

/// Reads a percent-escaped relative `uri` back into a path.
fn uri_path(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = uri.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn level(value: &Value) -> Level {
    value.as_str().and_then(Level::parse).unwrap_or(Level::Warning)
}

fn u32_of(value: &Value) -> Option<u32> {
    value.as_u64().and_then(|n| u32::try_from(n).ok())
}

/// The lint root a log names in `originalUriBaseIds` (`file://` URI), when it exists here.
fn root_of(log: &Value) -> Option<PathBuf> {
    log["runs"].as_array()?.iter().find_map(|run| {
        let uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str()?;
        let path = PathBuf::from(uri_path(uri.strip_prefix("file://")?));
        path.is_dir().then_some(path)
    })
}

/// A [`Report`] rebuilt from a (merged) SARIF log, so any report format can be written from shards. The
/// root is the one the log names when it exists on this machine, else `fallback_root` (findings'
/// fingerprints read the files there). What SARIF does not carry is left empty: fixes, timings, the
/// counts of skipped files.
pub fn to_report(log: &Value, fallback_root: &Path) -> Report {
    let mut report = Report {
        root: root_of(log).unwrap_or_else(|| fallback_root.to_path_buf()),
        ..Report::default()
    };
    let mut linted = std::collections::BTreeSet::new();
    for run in log["runs"].as_array().into_iter().flatten() {
        let driver = &run["tool"]["driver"];
        let name = driver["name"].as_str().unwrap_or("unknown").to_owned();
        let rules = driver["rules"].as_array().cloned().unwrap_or_default();
        let paths: Vec<String> = run["properties"][PROPERTIES]["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_owned))
            .collect();
        linted.extend(paths.iter().cloned());
        for result in run["results"].as_array().into_iter().flatten() {
            let loc = &result["locations"][0]["physicalLocation"];
            let region = &loc["region"];
            let rule = result["ruleId"].as_str().unwrap_or_default().to_owned();
            let help_uri = rules
                .iter()
                .find(|r| r["id"] == rule.as_str())
                .and_then(|r| r["helpUri"].as_str())
                .map(str::to_owned);
            let finding = Finding {
                linter: name.clone(),
                rule,
                level: level(&result["level"]),
                message: result["message"]["text"].as_str().unwrap_or_default().to_owned(),
                path: uri_path(loc["artifactLocation"]["uri"].as_str().unwrap_or_default()),
                line: u32_of(&region["startLine"]).unwrap_or(1),
                column: u32_of(&region["startColumn"]).unwrap_or(1),
                end_line: u32_of(&region["endLine"]),
                end_column: u32_of(&region["endColumn"]),
                help_uri,
                fix: None,
            };
            match result["baselineState"].as_str() {
                Some(state) => {
                    report.compared = true;
                    if state == "unchanged" {
                        report.hidden.push(finding);
                    } else {
                        report.findings.push(finding);
                    }
                }
                None => report.findings.push(finding),
            }
        }
        for inv in run["invocations"].as_array().into_iter().flatten() {
            for n in inv["toolExecutionNotifications"].as_array().into_iter().flatten() {
                let text = n["message"]["text"].as_str().unwrap_or_default();
                let (message, tail) = text.split_once('\n').unwrap_or((text, ""));
                let kind = serde_json::from_value(n["properties"][PROPERTIES]["kind"].clone())
                    .unwrap_or(ToolErrorKind::Failed);
                report.tool_errors.push(ToolError {
                    output_tail: tail.to_owned(),
                    ..ToolError::new(&name, kind, message.to_owned())
                });
            }
        }
        report.linters.push(LinterRun {
            files: paths.len(),
            paths,
            name,
            version: driver["version"].as_str().map(str::to_owned),
            homepage: driver["informationUri"].as_str().unwrap_or_default().to_owned(),
            jobs: 0,
            ..LinterRun::default()
        });
    }
    report.files.linted = linted.len();
    report.normalise();
    report
}
