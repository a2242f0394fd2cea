"""Unsaved edits are linted as typed, and the fixes the server offers, applied by the client, remove
their findings. Nothing is ever written into the workspace."""

# mypy: disable-error-code="import-not-found"
# (pytest-lsp and its dependencies are in the suite's venv, which mypy here does not see.)

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from conftest import EXAMPLE, Client, apply_edits, check_json, copy_example, lintmux
from lsprotocol import types

STORAGE = "app/storage.py"


def with_import_os(text: str) -> tuple[str, int]:
    """`text` (app/storage.py) with `import os` where isort puts it, and its 0-based line."""
    assert "import json\nimport sqlite3\n" in text
    edited = text.replace("import json\nimport sqlite3\n", "import json\nimport os\nimport sqlite3\n", 1)
    return edited, edited.splitlines().index("import os")


def f401(diagnostics: Sequence[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.source == "ruff" and d.code == "F401"]


def untouched(root: Path) -> None:
    """The copy is as committed: the server wrote nothing, not even a file beside the ones it linted."""
    status = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=root, capture_output=True,
                            text=True, check=True).stdout
    assert status == "", f"the workspace changed:\n{status}"


async def test_an_unsaved_unused_import_is_reported_before_any_save(client: Client):
    original = client.text(STORAGE)
    client.open(STORAGE, "python", original)
    first = await client.diagnostics_of(STORAGE, 1)
    assert f401(first.diagnostics) == [], "storage.py has no unused import as committed"

    edited, line = with_import_os(original)
    client.change(STORAGE, 2, edited)
    second = await client.diagnostics_of(STORAGE, 2)
    [d] = f401(second.diagnostics)
    assert (d.range.start.line, d.range.start.character) == (line, 7)
    assert (d.range.end.line, d.range.end.character) == (line, 9)
    assert d.message == "`os` imported but unused"
    assert d.severity == types.DiagnosticSeverity.Error
    # The findings of the file as saved stay; the new one is added.
    assert len(second.diagnostics) == len(first.diagnostics) + 1
    assert (client.root / STORAGE).read_text() == original == (EXAMPLE / STORAGE).read_text()
    untouched(client.root)


async def test_the_quick_fix_applied_by_the_client_removes_the_finding(client: Client):
    original = client.text(STORAGE)
    uri = client.open(STORAGE, "python", original)
    first = await client.diagnostics_of(STORAGE, 1)
    edited, _ = with_import_os(original)
    client.change(STORAGE, 2, edited)
    [d] = f401((await client.diagnostics_of(STORAGE, 2)).diagnostics)

    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=d.range,
        context=types.CodeActionContext(diagnostics=[d]),
    ))
    assert actions, "a quick fix for F401"
    fixes = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix
             and any(x.code == "F401" for x in a.diagnostics or [])]
    assert len(fixes) == 1, actions
    fix = fixes[0]
    assert fix.title == "Remove unused import: `os` (ruff F401)"
    assert fix.is_preferred is True
    assert fix.edit is not None and fix.edit.changes is not None
    assert list(fix.edit.changes) == [uri]

    fixed = apply_edits(edited, fix.edit.changes[uri])
    assert fixed == original
    client.change(STORAGE, 3, fixed)
    third = await client.diagnostics_of(STORAGE, 3)
    assert f401(third.diagnostics) == []
    # Back to the committed content: back to its diagnostics.
    assert third.diagnostics == first.diagnostics
    assert (client.root / STORAGE).read_text() == original
    untouched(client.root)


async def test_fix_all_applies_the_safe_fixes_as_check_fix_does(client: Client, tmp_path: Path):
    path = "app/handlers.py"
    original = client.text(path)
    uri = client.open(path, "python", original)
    before = (await client.diagnostics_of(path, 1)).diagnostics
    lines = original.count("\n")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=lines, character=0)),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
    ))
    assert actions is not None and len(actions) == 1, actions
    [fix_all] = actions
    assert isinstance(fix_all, types.CodeAction) and fix_all.kind == "source.fixAll.lintmux"
    assert fix_all.edit is not None and fix_all.edit.changes is not None
    fixed = apply_edits(original, fix_all.edit.changes[uri])

    # The same safe fixes `lintmux check --fix` applies, in a second copy (the example's only linter with
    # fixes in handlers.py is ruff).
    second = copy_example(tmp_path / "second")
    done = lintmux(second, "check", "--fix", "-l", "ruff", path)
    assert done.returncode in (0, 1), done.stderr
    assert fixed == (second / path).read_text()
    assert fixed != original

    client.change(path, 2, fixed)
    after = (await client.diagnostics_of(path, 2)).diagnostics
    report = check_json(client.root, path)
    safe = Counter((f["linter"], f["rule"]) for f in report["findings"]
                   if f["path"] == path and (f.get("fix") or {}).get("applicability") == "safe")
    assert safe == Counter({("ruff", "F401"): 1, ("ruff", "F841"): 1})
    remaining = Counter((d.source, d.code) for d in before) - safe
    assert Counter((d.source, d.code) for d in after) == remaining
    assert (client.root / path).read_text() == original
    untouched(client.root)
