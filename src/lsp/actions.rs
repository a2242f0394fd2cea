//! Code actions: a quick fix for each finding of the requested range that carries a fix (ruff's and
//! eslint's, a formatter's diff), and `source.fixAll.lintmux`, every safe fix of the file at once. A fix
//! the tool calls unsafe is offered on its own, marked so, and never in "fix all"; one that is only for
//! display is not offered. Fixes are offered only while the document is the very content they were
//! computed for (its version), and never for a linter that linted the file as saved while the editor
//! holds other content: an edit that no longer matches the buffer is never sent.

use std::collections::BTreeSet;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range as LspRange, TextEdit, Uri, WorkspaceEdit};

use super::diagnostics::{Conv, finding};
use super::text::Text;
use crate::model::{Finding, Fix, Range};

/// The kind of lintmux's "fix all" source action.
pub(crate) fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.lintmux")
}

/// What a document's last lint found, for its code actions.
#[derive(Clone, Debug, Default)]
pub(crate) struct Linted {
    /// The document's version the findings were computed for.
    pub(crate) version: i32,
    /// The findings on the document.
    pub(crate) findings: Vec<Finding>,
    /// Linters that linted the file as saved (their fixes are for the saved content).
    pub(crate) as_saved: BTreeSet<String>,
}

/// The code actions for `range` of the document at `uri` (`only`: the kinds asked for, if any).
pub(crate) fn code_actions(
    uri: &Uri,
    linted: &Linted,
    conv: &Conv,
    range: LspRange,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    let wants =
        |kind: &CodeActionKind| only.is_none_or(|only| only.iter().any(|o| kind.as_str().starts_with(o.as_str())));
    let fixable: Vec<(&Finding, &Fix)> = linted
        .findings
        .iter()
        .filter(|f| !linted.as_saved.contains(&f.linter))
        .filter_map(|f| Some((f, f.fix.as_ref()?)))
        .filter(|(_, fix)| fix.applicability.as_deref() != Some("display-only"))
        .collect();
    let mut actions = Vec::new();
    if wants(&CodeActionKind::QUICKFIX) {
        for (f, fix) in &fixable {
            let diagnostic = finding(f, conv);
            if !overlaps(diagnostic.range, range) {
                continue;
            }
            let is_unsafe = fix.applicability.as_deref() == Some("unsafe");
            let title = format!(
                "{}{} ({} {})",
                fix.description,
                if is_unsafe { " (unsafe)" } else { "" },
                f.linter,
                f.rule
            );
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                edit: Some(workspace_edit(uri, edits(f, fix, conv))),
                is_preferred: Some(!is_unsafe),
                ..CodeAction::default()
            }));
        }
    }
    let fix_all = fix_all_kind();
    if wants(&fix_all) {
        let safe: Vec<(&Finding, &Fix)> = fixable
            .iter()
            .filter(|(_, fix)| fix.applicability.as_deref() != Some("unsafe"))
            .copied()
            .collect();
        if !safe.is_empty() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all safe fixes (lintmux)".to_owned(),
                kind: Some(fix_all),
                edit: Some(workspace_edit(uri, all_edits(&safe, conv))),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// Every edit of the safe fixes, none overlapping another (a later one that would is left for the next
/// run, when its positions are known again).
fn all_edits(fixes: &[(&Finding, &Fix)], conv: &Conv) -> Vec<TextEdit> {
    let mut edits: Vec<(usize, usize, TextEdit)> = Vec::new();
    for (f, fix) in fixes {
        let mine = byte_edits(f, fix, conv);
        let clashes = mine
            .iter()
            .any(|(s, e, _)| edits.iter().any(|(s2, e2, _)| s < e2 && s2 < e || (s == s2 && e == e2)));
        if !clashes {
            edits.extend(mine);
        }
    }
    edits.sort_by_key(|(s, e, _)| (*s, *e));
    edits.into_iter().map(|(_, _, e)| e).collect()
}

fn edits(f: &Finding, fix: &Fix, conv: &Conv) -> Vec<TextEdit> {
    byte_edits(f, fix, conv).into_iter().map(|(_, _, e)| e).collect()
}

/// A fix's edits with the byte ranges they replace in the text.
fn byte_edits(f: &Finding, fix: &Fix, conv: &Conv) -> Vec<(usize, usize, TextEdit)> {
    let unit = (conv.columns)(&f.linter);
    let text: &Text = conv.text;
    fix.edits
        .iter()
        .map(|e| {
            let (start, end) = match e.range {
                Range::Lines {
                    start_line,
                    start_column,
                    end_line,
                    end_column,
                } => (
                    text.offset(start_line, start_column, unit),
                    text.offset(end_line, end_column, unit),
                ),
                Range::Offsets { offset, length } => (
                    text.offset_of(offset, unit),
                    text.offset_of(offset.saturating_add(length), unit),
                ),
            };
            let range = LspRange {
                start: text.position(start, conv.encoding),
                end: text.position(end.max(start), conv.encoding),
            };
            (
                start,
                end.max(start),
                TextEdit {
                    range,
                    new_text: e.replacement.clone(),
                },
            )
        })
        .collect()
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some([(uri.clone(), edits)].into_iter().collect()),
        ..WorkspaceEdit::default()
    }
}

/// Do two ranges share a position (a range that is a point touches one that contains it)?
fn overlaps(a: LspRange, b: LspRange) -> bool {
    let before = |x: lsp_types::Position, y: lsp_types::Position| (x.line, x.character) < (y.line, y.character);
    !before(a.end, b.start) && !before(b.end, a.start)
}
