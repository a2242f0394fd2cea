//! `--format json`: the findings and tool errors for scripts. Stable and documented in the README: fields
//! are only ever added. No timings and no absolute paths, so the same inputs give byte-identical output.

use std::io::Write;

use serde::Serialize;

use crate::model::{FileStats, LinterRun, Report};
use crate::model::{Finding, Level, ToolError};

/// The version of this JSON layout.
pub(crate) const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    notes: usize,
    tool_errors: usize,
    /// Findings left out by --new-only or --baseline.
    hidden: usize,
}

#[derive(Serialize)]
struct Trust<'a> {
    /// `none`, `config` or `all`.
    level: &'a str,
    /// Where it was set (`file:line`, `--trust`, or `default`).
    set_by: &'a str,
}

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    trust: Trust<'a>,
    findings: &'a [Finding],
    tool_errors: &'a [ToolError],
    linters: &'a [LinterRun],
    files: &'a FileStats,
    summary: Summary,
    scope: &'a crate::model::Scope,
    /// Where the results came from (the one part that differs between two runs on the same inputs).
    cache: &'a crate::model::CacheUse,
}

pub(crate) fn write_json(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = Doc {
        version: JSON_VERSION,
        trust: Trust {
            level: &report.trust.0,
            set_by: &report.trust.1,
        },
        findings: &report.findings,
        tool_errors: &report.tool_errors,
        linters: &report.linters,
        files: &report.files,
        summary: Summary {
            errors: report.count(Level::Error),
            warnings: report.count(Level::Warning),
            notes: report.count(Level::Note),
            tool_errors: report.tool_errors.len(),
            hidden: report.hidden.len(),
        },
        scope: &report.scope,
        cache: &report.cache,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_of_the_sample() {
        let mut out = Vec::new();
        write_json(&crate::report::sample::report(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["version"], JSON_VERSION);
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("json", text);
        });
    }
}
