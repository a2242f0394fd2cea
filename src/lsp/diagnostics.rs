//! What a run said about one document, as the editor shows it. Each finding becomes a diagnostic with its
//! exact range (its tool's columns made positions of the negotiated encoding), its severity from the same
//! levels and `severity` overrides as `lintmux check`, the linter as its `source`, the rule as its `code`
//! with the rule's help link, and the message (and why it cannot be true, when it cannot). A linter that
//! could not lint the file — it failed, timed out, was refused by trust, printed what lintmux cannot read
//! — is a diagnostic at the top of the file saying so, never a clean file; a linter that linted the file
//! as saved, while the editor holds other content, says so in each of its diagnostics.

use std::collections::{BTreeMap, BTreeSet};

use lsp_types::{CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range};

use super::text::{Encoding, Text};
use crate::catalog::Columns;
use crate::engine::Outcome;
use crate::model::{Finding, Level, ToolError};

/// The source of the diagnostics lintmux itself gives (a linter that could not lint the file).
pub(crate) const SOURCE: &str = "lintmux";

/// What turning findings into diagnostics needs: the text they describe, the client's encoding, how each
/// linter counts columns, and the lowest level shown.
pub(crate) struct Conv<'a> {
    pub(crate) text: &'a Text,
    pub(crate) encoding: Encoding,
    pub(crate) columns: &'a dyn Fn(&str) -> Columns,
    pub(crate) min_level: Level,
}

/// The diagnostics of `path` (root-relative) from `outcome`, by linter, for every linter that was given
/// the file (a linter with nothing to say has an empty list).
pub(crate) fn of_file(outcome: &Outcome, path: &str, conv: &Conv) -> BTreeMap<String, Vec<Diagnostic>> {
    let report = &outcome.report;
    let mut by_linter: BTreeMap<String, Vec<Diagnostic>> = report
        .linters
        .iter()
        .filter(|run| run.paths.binary_search_by(|p| p.as_str().cmp(path)).is_ok())
        .map(|run| (run.name.clone(), Vec::new()))
        .collect();
    let as_saved: BTreeSet<&str> = outcome
        .as_saved
        .iter()
        .filter(|(_, p)| p == path)
        .map(|(l, _)| l.as_str())
        .collect();
    for f in report
        .findings
        .iter()
        .filter(|f| f.path == path && f.level >= conv.min_level)
    {
        let mut d = finding(f, conv);
        if as_saved.contains(f.linter.as_str()) {
            d.message.push_str(&format!(
                " (on the file as saved: {} cannot lint unsaved content)",
                f.linter
            ));
        }
        by_linter.entry(f.linter.clone()).or_default().push(d);
    }
    for e in &report.tool_errors {
        if let Some(list) = by_linter.get_mut(&e.linter) {
            list.push(tool_error(e));
        }
    }
    by_linter
}

/// A finding as a diagnostic.
pub(crate) fn finding(f: &Finding, conv: &Conv) -> Diagnostic {
    let unit = (conv.columns)(&f.linter);
    let text = conv.text;
    let start = text.offset(f.line, f.column, unit);
    let end = match (f.end_line, f.end_column) {
        (Some(line), Some(column)) => text.offset(line, column, unit),
        (Some(line), None) => text.end_of_line(line),
        _ => text.end_of_line(f.line),
    };
    let end = if end <= start {
        text.end_of_line(f.line).max(start)
    } else {
        end
    };
    let mut message = f.message.clone();
    if let Some(doubt) = &f.doubt {
        message.push_str(&format!(" (this cannot be true: {doubt})"));
    }
    Diagnostic {
        range: Range {
            start: text.position(start, conv.encoding),
            end: text.position(end, conv.encoding),
        },
        severity: Some(severity(f.level)),
        code: Some(NumberOrString::String(f.rule.clone())),
        code_description: f
            .help_uri
            .as_ref()
            .and_then(|u| u.parse().ok())
            .map(|href| CodeDescription { href }),
        source: Some(f.linter.clone()),
        message,
        ..Diagnostic::default()
    }
}

/// A linter that could not lint the file: an error at the top of it, naming the linter and why.
pub(crate) fn tool_error(e: &ToolError) -> Diagnostic {
    let mut message = format!("{} could not lint this file: {}", e.linter, e.message);
    if let Some(last) = e.output_tail.lines().last().filter(|l| !l.trim().is_empty()) {
        message.push_str(&format!("\n{last}"));
    }
    top_of_file(DiagnosticSeverity::ERROR, e.kind.as_str(), message)
}

/// A diagnostic of lintmux's own at the top of a file.
pub(crate) fn top_of_file(severity: DiagnosticSeverity, code: &str, message: String) -> Diagnostic {
    let top = Position { line: 0, character: 0 };
    Diagnostic {
        range: Range { start: top, end: top },
        severity: Some(severity),
        code: Some(NumberOrString::String(code.to_owned())),
        source: Some(SOURCE.to_owned()),
        message,
        ..Diagnostic::default()
    }
}

fn severity(level: Level) -> DiagnosticSeverity {
    match level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Note => DiagnosticSeverity::INFORMATION,
    }
}
