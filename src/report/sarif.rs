//! SARIF 2.1.0 for GitHub code scanning and editors, built with serde-sarif's types: one run per linter
//! (so code scanning shows each tool by name and version), a `rules` array with help links, results with
//! a relative `uri` under `%SRCROOT%`, 1-based regions, `primaryLocationLineHash` fingerprints, fixes, and
//! tool errors as `toolExecutionNotifications` of a failed invocation. Deterministic: no timestamps.

use std::collections::BTreeMap;
use std::io::Write;

use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix as SarifFix, Invocation, Location, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region, Replacement, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, RunAutomationDetails, Sarif, Tool, ToolComponent,
};

use crate::model::Report;
use crate::model::fingerprint;
use crate::model::{Finding, Level, LinterRun, Range};

pub(crate) const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

fn level(l: Level) -> ResultLevel {
    match l {
        Level::Error => ResultLevel::Error,
        Level::Warning => ResultLevel::Warning,
        Level::Note => ResultLevel::Note,
    }
}

fn message(text: &str) -> Message {
    Message::builder().text(text.to_owned()).build()
}

fn i(n: u32) -> i64 {
    i64::from(n)
}

fn uri_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b'@' | b'+' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn artifact(path: &str) -> ArtifactLocation {
    ArtifactLocation::builder()
        .uri(uri_escape(path))
        .uri_base_id(SRCROOT.to_owned())
        .build()
}

fn region(f: &Finding) -> Region {
    let end_line = f.end_line.filter(|&e| e >= f.line);
    let end_column = f
        .end_column
        .filter(|&c| c >= 1 && (end_line.unwrap_or(f.line) > f.line || c > f.column));
    match (end_line, end_column) {
        (Some(el), Some(ec)) => Region::builder()
            .start_line(i(f.line))
            .start_column(i(f.column))
            .end_line(i(el))
            .end_column(i(ec))
            .build(),
        (Some(el), None) => Region::builder()
            .start_line(i(f.line))
            .start_column(i(f.column))
            .end_line(i(el))
            .build(),
        _ => Region::builder()
            .start_line(i(f.line))
            .start_column(i(f.column))
            .build(),
    }
}

fn fix(f: &Finding) -> Option<Vec<SarifFix>> {
    let fix = f.fix.as_ref()?;
    let replacements: Vec<Replacement> = fix
        .edits
        .iter()
        .map(|e| {
            let deleted = match e.range {
                Range::Lines {
                    start_line,
                    start_column,
                    end_line,
                    end_column,
                } => Region::builder()
                    .start_line(i(start_line))
                    .start_column(i(start_column))
                    .end_line(i(end_line))
                    .end_column(i(end_column))
                    .build(),
                Range::Offsets { offset, length } => Region::builder()
                    .char_offset(i64::try_from(offset).unwrap_or(i64::MAX))
                    .char_length(i64::try_from(length).unwrap_or(0))
                    .build(),
            };
            Replacement::builder()
                .deleted_region(deleted)
                .inserted_content(ArtifactContent::builder().text(e.replacement.clone()).build())
                .build()
        })
        .collect();
    if replacements.is_empty() {
        return None;
    }
    Some(vec![
        SarifFix::builder()
            .description(message(&fix.description))
            .artifact_changes(vec![
                ArtifactChange::builder()
                    .artifact_location(artifact(&f.path))
                    .replacements(replacements)
                    .build(),
            ])
            .build(),
    ])
}

/// lintmux's own properties, under the key `lintmux` of a property bag.
fn property_bag(value: serde_json::Value) -> PropertyBag {
    let mut bag = PropertyBag::builder().build();
    bag.additional_properties.insert(PROPERTIES.to_owned(), value);
    bag
}

/// The key of lintmux's properties in a run's or a notification's property bag.
pub(crate) const PROPERTIES: &str = "lintmux";

pub(crate) fn build(report: &Report) -> Sarif {
    let mut hashes = fingerprint::FileLineHashes::new(&report.root);
    let root_uri = format!("file://{}/", uri_escape(&report.root.to_string_lossy()));
    let runs: Vec<Run> = report
        .linters
        .iter()
        .map(|linter| run(report, linter, &mut hashes, &root_uri))
        .collect();
    let mut log = Sarif::builder()
        .schema(SCHEMA.to_owned())
        .version(serde_json::Value::String("2.1.0".into()))
        .runs(runs)
        .build();
    // The whole log's scope too, so a log with no run (a shard with nothing to lint) still says it.
    log.properties = Some(property_bag(serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "scope": report.scope,
        "cache": report.cache,
    })));
    log
}

/// One linter's run: its tool and rules, its results, its invocation (with its tool errors), and
/// lintmux's properties (its files, the scope, where its definition and binary came from, the trust).
fn run(report: &Report, linter: &LinterRun, hashes: &mut fingerprint::FileLineHashes, root_uri: &str) -> Run {
    // With --new-only or --baseline, the findings left out are still listed, as `unchanged`.
    let findings: Vec<(&Finding, &str)> = report
        .findings
        .iter()
        .map(|f| (f, "new"))
        .chain(report.hidden.iter().map(|f| (f, "unchanged")))
        .filter(|(f, _)| f.linter == linter.name)
        .collect();
    // Each rule once, with its help link.
    let mut rule_index: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for (f, _) in &findings {
        let entry = rule_index.entry(&f.rule).or_insert(None);
        if entry.is_none() {
            *entry = f.help_uri.as_deref();
        }
    }
    let rule_ids: Vec<&str> = rule_index.keys().copied().collect();
    let rules: Vec<ReportingDescriptor> = rule_index.iter().map(|(id, help)| rule(linter, id, *help)).collect();
    let results: Vec<SarifResult> = findings
        .iter()
        .map(|(f, state)| {
            let index = rule_ids.binary_search(&f.rule.as_str()).map_or(-1, |n| n as i64);
            result(f, index, hashes, report.compared.then_some(*state))
        })
        .collect();
    let full_name = match &linter.version {
        Some(v) => format!("{} {v}", linter.name),
        None => linter.name.clone(),
    };
    let driver = ToolComponent::builder()
        .name(linter.name.clone())
        .full_name(full_name)
        .information_uri(linter.homepage.clone())
        .rules(rules);
    let driver = match &linter.version {
        Some(v) => driver.version(v.clone()).build(),
        None => driver.build(),
    };
    let mut bases = BTreeMap::new();
    bases.insert(
        SRCROOT.to_owned(),
        ArtifactLocation::builder().uri(root_uri.to_owned()).build(),
    );
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .original_uri_base_ids(bases)
        .invocations(vec![invocation(report, linter)])
        .results(results)
        .build();
    // The files it was given, so a report rebuilt from this log (by `merge`) knows them too.
    run.properties = Some(property_bag(serde_json::json!({
        "files": linter.paths,
        "scope": report.scope,
        // Where the definition and binary came from, and the trust level.
        "origin": linter.origin,
        "trust": {"level": report.trust.0, "set_by": report.trust.1},
    })));
    run.automation_details = Some(automation_details(report, linter));
    run
}

/// A rule of `linter`: the linter's own name and description of it where lintmux ships its list, else
/// its id, which is all that is known; with its help link when the finding had one.
fn rule(linter: &LinterRun, id: &str, help: Option<&str>) -> ReportingDescriptor {
    let info = crate::catalog::rules::lookup(&linter.name, id);
    let description = match info {
        Some(i) if !i.short.is_empty() => i.short.to_owned(),
        _ => format!("{} rule {id}", linter.name),
    };
    let short = MultiformatMessageString::builder().text(description.clone()).build();
    let full = MultiformatMessageString::builder().text(description).build();
    let help_text = match help {
        Some(url) => MultiformatMessageString::builder()
            .text(format!("{} rule {id}: {url}", linter.name))
            .markdown(format!("{} rule [{id}]({url})", linter.name))
            .build(),
        None => MultiformatMessageString::builder()
            .text(format!("{} rule {id}; see {}", linter.name, linter.homepage))
            .build(),
    };
    let builder = ReportingDescriptor::builder()
        .id(id.to_owned())
        .name(info.map_or(id, |i| i.name).to_owned())
        .short_description(short)
        .full_description(full)
        .help(help_text);
    match help {
        Some(url) => builder.help_uri(url.to_owned()).build(),
        None => builder.build(),
    }
}

/// One finding as a result: its location (no region on line 0, which cannot be true: SARIF lines start
/// at 1), its rule's index, its line hash, its fix, its baseline state when the run compared with
/// history, and why it cannot be true when it cannot.
fn result(f: &Finding, rule_index: i64, hashes: &mut fingerprint::FileLineHashes, state: Option<&str>) -> SarifResult {
    let physical = PhysicalLocation::builder().artifact_location(artifact(&f.path));
    let physical = if f.line == 0 {
        physical.build()
    } else {
        physical.region(region(f)).build()
    };
    let location = Location::builder().physical_location(physical).build();
    let mut partial = BTreeMap::new();
    if let Some(hash) = hashes.get(&f.path, f.line) {
        partial.insert("primaryLocationLineHash".to_owned(), hash);
    }
    let base = SarifResult::builder()
        .rule_id(f.rule.clone())
        .rule_index(rule_index)
        .level(level(f.level))
        .message(message(&f.message))
        .locations(vec![location])
        .partial_fingerprints(partial);
    let mut result = match fix(f) {
        Some(fixes) => base.fixes(fixes).build(),
        None => base.build(),
    };
    if let Some(state) = state {
        result.baseline_state = Some(serde_json::Value::String(state.to_owned()));
    }
    if let Some(doubt) = &f.doubt {
        let mut bag = BTreeMap::new();
        bag.insert("doubt".to_owned(), serde_json::Value::String(doubt.clone()));
        result.properties = Some(PropertyBag::builder().additional_properties(bag).build());
    }
    result
}

/// The run's invocation: successful, or not, with each of the linter's tool errors as a notification.
fn invocation(report: &Report, linter: &LinterRun) -> Invocation {
    let errors: Vec<Notification> = report
        .tool_errors
        .iter()
        .filter(|e| e.linter == linter.name)
        .map(|e| {
            let text = if e.output_tail.is_empty() {
                e.message.clone()
            } else {
                format!("{}\n{}", e.message, e.output_tail)
            };
            let mut n = Notification::builder()
                .message(message(&text))
                .level(serde_json::Value::String("error".into()))
                .build();
            n.properties = Some(property_bag(serde_json::json!({ "kind": e.kind })));
            n
        })
        .collect();
    if errors.is_empty() {
        Invocation::builder().execution_successful(true).build()
    } else {
        Invocation::builder()
            .execution_successful(false)
            .tool_execution_notifications(errors)
            .build()
    }
}

/// The run's `automationDetails`: lintmux's category and shard, or the id the CI requires, with the CI
/// pipeline's properties.
fn automation_details(report: &Report, linter: &LinterRun) -> RunAutomationDetails {
    let mut details = RunAutomationDetails::builder()
        .id(report
            .automation_id
            .clone()
            .unwrap_or_else(|| report.scope.automation_id(&linter.name)))
        .build();
    if !report.automation.is_empty() {
        let mut bag = PropertyBag::builder().build();
        for (key, value) in &report.automation {
            bag.additional_properties
                .insert(key.clone(), serde_json::Value::String(value.clone()));
        }
        details.properties = Some(bag);
    }
    details
}

pub(crate) fn write_sarif(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(report))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every schema error of `log` against the OASIS SARIF 2.1.0 schema (as shipped with serde-sarif, in
    /// tests/schemas; the CLI tests validate against it the same way).
    fn schema_errors(log: &serde_json::Value) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json");
        let text = std::fs::read_to_string(path).unwrap();
        // The published schema's `language` patterns have an unescaped `]`, which ECMA-262 reads as a
        // literal and Rust's regex engine rejects; escaping it keeps its meaning.
        let bad = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
        assert!(text.contains(bad), "the schema's language pattern changed");
        let text = text.replace(bad, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        validator
            .iter_errors(log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect()
    }

    #[test]
    fn snapshot_of_the_sample() {
        let mut out = Vec::new();
        write_sarif(&crate::report::sample::report(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let log: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors = schema_errors(&log);
        assert!(errors.is_empty(), "SARIF schema errors:\n{}", errors.join("\n"));
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("sarif", text);
        });
    }
}
