//! `lintmux merge`: SARIF files (the shards of one check, or reports of several) combined into one valid
//! log with one run per tool. Rules are united and results re-indexed against them; a run is successful
//! only if every merged invocation was. Results are sorted, so the order of the inputs does not matter.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

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
        out_runs.push(run);
    }
    Ok(json!({
        "$schema": crate::report::SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": out_runs,
    }))
}
