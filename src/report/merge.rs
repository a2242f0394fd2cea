//! `lintmux merge`: SARIF files (the shards of one check, or reports of several) combined into one valid
//! log with one run per tool. Rules are united and results re-indexed against them; a run is successful
//! only if every merged invocation was. Results are sorted, so the order of the inputs does not matter.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::model::{Finding, Level, ToolError, ToolErrorKind};
use crate::model::{LinterRun, Report};
use crate::model::{Scope, Shard};
use crate::report::SARIF_PROPERTIES as PROPERTIES;

#[derive(Debug, thiserror::Error)]
pub(crate) enum MergeError {
    #[error("failed to read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a SARIF 2.1.0 log: {why}")]
    NotSarif { path: PathBuf, why: String },
    #[error(
        "refusing to merge: {}; merge the complete set of one check's shards, or pass --allow-partial to \
         merge anyway and mark the result partial",
        .0.join("; ")
    )]
    Incomplete(Vec<String>),
}

/// Whether a merge takes an incomplete or inconsistent set of logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Partial {
    /// Each problem is an error.
    Refused,
    /// `--allow-partial`: merged anyway, and marked partial with its problems.
    Allowed,
}

#[derive(Default)]
struct RunAcc {
    driver: Value,
    rules: BTreeMap<String, Value>,
    results: Vec<Value>,
    successful: bool,
    notifications: Vec<Value>,
    bases: Option<Value>,
    /// `automationDetails.properties` of the first part that has them (the CI pipeline).
    automation: Option<Value>,
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

/// What makes a set of logs not one complete check: SARIF lintmux did not write, different roots or
/// commits, shards missing, given twice, or of different checks. Also returns the scope of the merge.
pub(crate) fn check_set(logs: &[(PathBuf, Value)]) -> (Vec<String>, Scope) {
    let mut problems = Vec::new();
    let mut scopes: Vec<(&PathBuf, Scope)> = Vec::new();
    // Where each log's root is: inside its repository when it names its commit (checkouts of one commit
    // in different directories are one tree), else on disk.
    let mut roots: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut commits: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, log) in logs {
        let name = path.display().to_string();
        match serde_json::from_value::<Scope>(log["properties"][PROPERTIES]["scope"].clone()) {
            Ok(scope) => {
                if let Some(commit) = &scope.commit {
                    commits.entry(commit.clone()).or_default().push(name.clone());
                }
                if let Some(root) = &scope.root {
                    roots
                        .entry(format!("{root} in the repository"))
                        .or_default()
                        .push(name.clone());
                }
                scopes.push((path, scope));
            }
            Err(_) => problems.push(format!("{name} was not written by lintmux (it has no lintmux scope)")),
        }
        let named = scopes.last().is_some_and(|(p, s)| *p == path && s.root.is_some());
        if !named
            && let Some(root) = log["runs"]
                .as_array()
                .into_iter()
                .flatten()
                .find_map(|r| r["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str())
        {
            roots.entry(root.to_owned()).or_default().push(name);
        }
    }
    let describe = |what: &str, groups: &BTreeMap<String, Vec<String>>| {
        let parts: Vec<String> = groups.iter().map(|(k, v)| format!("{k} ({})", v.join(", "))).collect();
        format!("the logs are of different {what}: {}", parts.join(" and "))
    };
    if roots.len() > 1 {
        problems.push(describe("roots", &roots));
    }
    if commits.len() > 1 {
        problems.push(describe("commits", &commits));
    }
    let sharded: Vec<Shard> = scopes.iter().filter_map(|(_, s)| s.shard).collect();
    if !sharded.is_empty() {
        if sharded.len() < scopes.len() {
            problems.push("sharded and unsharded logs are mixed".to_owned());
        }
        let counts: BTreeSet<u32> = sharded.iter().map(|s| s.count).collect();
        if counts.len() > 1 {
            let counts: Vec<String> = counts.iter().map(u32::to_string).collect();
            problems.push(format!(
                "the shards split the work differently (into {})",
                counts.join(" and ")
            ));
        } else if let Some(&count) = counts.first() {
            let have: Vec<u32> = sharded.iter().map(|s| s.index).collect();
            for index in 1..=count {
                match have.iter().filter(|&&i| i == index).count() {
                    0 => problems.push(format!("shard {index}/{count} is missing")),
                    1 => {}
                    n => problems.push(format!("shard {index}/{count} is given {n} times")),
                }
            }
        }
        let rest = |s: &Scope| (s.paths.clone(), s.changed.clone());
        if scopes.windows(2).any(|w| rest(&w[0].1) != rest(&w[1].1)) {
            problems.push("the shards are of checks with different PATHs or --changed".to_owned());
        }
    }
    let mut scope = scopes.first().map(|(_, s)| s.clone()).unwrap_or_default();
    scope.shard = None;
    scope.partial = !problems.is_empty();
    scope.problems = problems.clone();
    scope.full = !scope.partial && scope.paths.is_empty() && scope.changed.is_none();
    (problems, scope)
}

pub(crate) fn merge_files(paths: &[PathBuf], partial: Partial) -> Result<Value, MergeError> {
    let mut logs = Vec::new();
    for path in paths {
        logs.push((path.clone(), read(path)?));
    }
    let (problems, scope) = check_set(&logs);
    if !problems.is_empty() && partial == Partial::Refused {
        return Err(MergeError::Incomplete(problems));
    }
    let mut runs: BTreeMap<String, RunAcc> = BTreeMap::new();
    for (_, log) in &logs {
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
            if acc.automation.is_none() && run["automationDetails"]["properties"].is_object() {
                acc.automation = Some(run["automationDetails"]["properties"].clone());
            }
            if acc.bases.is_none() && !run["originalUriBaseIds"].is_null() {
                acc.bases = Some(run["originalUriBaseIds"].clone());
            }
        }
    }
    let mut out_runs = Vec::new();
    for (name, mut acc) in runs {
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
        run["properties"] = json!({ PROPERTIES: { "files": acc.files, "scope": scope } });
        run["automationDetails"] = json!({ "id": scope.automation_id(&name) });
        if let Some(properties) = acc.automation {
            run["automationDetails"]["properties"] = properties;
        }
        out_runs.push(run);
    }
    Ok(json!({
        "$schema": crate::report::SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": out_runs,
        "properties": { PROPERTIES: { "version": env!("CARGO_PKG_VERSION"), "scope": scope } },
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
pub(crate) fn to_report(log: &Value, fallback_root: &Path) -> Report {
    let mut report = Report {
        root: root_of(log).unwrap_or_else(|| fallback_root.to_path_buf()),
        ..Report::default()
    };
    let mut linted = BTreeSet::new();
    report.scope = serde_json::from_value(log["properties"][PROPERTIES]["scope"].clone()).unwrap_or_default();
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
                // No region: the line could not be true (0), as the SARIF writer left it out.
                line: u32_of(&region["startLine"]).unwrap_or(0),
                column: u32_of(&region["startColumn"]).unwrap_or(1),
                end_line: u32_of(&region["endLine"]),
                end_column: u32_of(&region["endColumn"]),
                help_uri,
                fix: None,
                diff: None,
                doubt: result["properties"]["doubt"].as_str().map(str::to_owned),
                value_path: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn log(dir: &str, scope: serde_json::Value) -> Value {
        json!({
            "version": "2.1.0",
            "properties": { "lintmux": { "scope": scope } },
            "runs": [{ "tool": { "driver": { "name": "ruff" } }, "results": [],
                       "originalUriBaseIds": { "%SRCROOT%": { "uri": format!("file://{dir}/") } } }],
        })
    }

    fn problems(logs: &[Value]) -> Vec<String> {
        let named: Vec<(PathBuf, Value)> = logs
            .iter()
            .enumerate()
            .map(|(i, l)| (PathBuf::from(format!("{}.sarif", i + 1)), l.clone()))
            .collect();
        check_set(&named).0
    }

    fn shard(k: u32, n: u32, commit: &str, root: &str) -> serde_json::Value {
        json!({ "full": false, "shard": { "index": k, "count": n }, "commit": commit, "root": root })
    }

    #[test]
    fn one_commit_checked_out_in_different_places_is_one_check() {
        let a = log("/builds/1/app", shard(1, 2, "abc", "."));
        let b = log("/builds/2/app", shard(2, 2, "abc", "."));
        assert_eq!(problems(&[a, b]), Vec::<String>::new());
    }

    #[test]
    fn incomplete_or_mixed_sets_are_named() {
        let a = log("/r", shard(1, 3, "abc", "."));
        let c = log("/r", shard(3, 3, "abc", "."));
        assert_eq!(problems(&[a.clone(), c.clone()]), ["shard 2/3 is missing"]);
        let b = log("/r", shard(2, 3, "def", "."));
        assert_eq!(
            problems(&[a.clone(), b, c.clone()]),
            ["the logs are of different commits: abc (1.sarif, 3.sarif) and def (2.sarif)"]
        );
        let b = log("/r", shard(2, 3, "abc", "services/api"));
        assert_eq!(
            problems(&[a.clone(), b, c.clone()]),
            [
                "the logs are of different roots: . in the repository (1.sarif, 3.sarif) and services/api in the \
              repository (2.sarif)"
            ]
        );
        let foreign = json!({ "version": "2.1.0", "runs": [] });
        assert_eq!(
            problems(&[foreign]),
            ["1.sarif was not written by lintmux (it has no lintmux scope)"]
        );
        // Without commits, the directories on disk must agree.
        let x = log("/one", json!({ "full": true }));
        let y = log("/two", json!({ "full": true }));
        assert_eq!(
            problems(&[x, y]),
            ["the logs are of different roots: file:///one/ (1.sarif) and file:///two/ (2.sarif)"]
        );
    }
}
