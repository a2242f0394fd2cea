"""The diagnostics of an opened file are the findings `lintmux check FILE` reports for it."""

# mypy: disable-error-code="import-not-found"
# (pytest-lsp and its dependencies are in the suite's venv, which mypy here does not see.)

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pytest
from conftest import EXAMPLE, Client, check_json
from lsprotocol import types

# The server's mapping of levels (src/lsp/diagnostics.rs): error, warning, note.
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "note": types.DiagnosticSeverity.Information}

Key = tuple[str, str, int, int, int, str]


def expected(report: dict[str, Any], path: str, levels: Iterable[str] = SEVERITY) -> list[Key]:
    """What the editor should show of a `lintmux check --format json` report: 0-based lines; columns
    minus one. The JSON's columns count what each tool counts (characters, or UTF-16 units for eslint)
    and the server's are UTF-16 units; the example's files are ASCII (asserted where it matters), where
    every unit is one character."""
    return sorted(
        (f["linter"], f["rule"], f["line"] - 1, f["column"] - 1, SEVERITY[f["level"]].value, f["message"])
        for f in report["findings"]
        if f["path"] == path and f["level"] in levels
    )


def published(diagnostics: Sequence[types.Diagnostic]) -> list[Key]:
    return sorted(
        (d.source or "", str(d.code), d.range.start.line, d.range.start.character,
         d.severity.value if d.severity else 0, d.message)
        for d in diagnostics
    )


def own(diagnostics: Sequence[types.Diagnostic]) -> list[tuple[str, str]]:
    """lintmux's own diagnostics (a linter that could not lint the file): (code, message)."""
    return [(str(d.code), d.message) for d in diagnostics if d.source == "lintmux"]


FILES = [
    ("app/handlers.py", "python"),
    ("client/src/index.ts", "typescript"),
    ("scripts/deploy.sh", "shellscript"),
]


@pytest.mark.parametrize(("path", "language"), FILES)
async def test_an_opened_file_shows_what_check_finds_in_it(client: Client, path: str, language: str):
    assert (EXAMPLE / path).read_bytes().isascii(), f"{path}: the comparison of columns assumes ASCII"
    client.open(path, language)
    diagnostics = (await client.diagnostics_of(path, 1)).diagnostics
    # Independent of what the server put in the shared result cache.
    report = check_json(client.root, path, "--no-cache")
    assert report["tool_errors"] == [], report["tool_errors"]
    want = expected(report, path)
    assert want, f"the example has findings in {path}"
    # Every linter ran and linted the file: lintmux has nothing of its own to say.
    assert own(diagnostics) == []
    assert published(diagnostics) == want
    # Each diagnostic links its rule's documentation as check does.
    links = sorted((f["linter"], f["rule"], f.get("help_uri")) for f in report["findings"] if f["path"] == path)
    got = sorted((d.source, str(d.code), d.code_description.href if d.code_description else None)
                 for d in diagnostics)
    assert got == links


@pytest.mark.lintmux_options({"minLevel": "warning"})
async def test_min_level_hides_the_notes(client: Client):
    path = "scripts/deploy.sh"
    client.open(path, "shellscript")
    diagnostics = (await client.diagnostics_of(path, 1)).diagnostics
    report = check_json(client.root, path)
    levels = {f["level"] for f in report["findings"] if f["path"] == path}
    assert "note" in levels, "shellcheck's notes in deploy.sh are what this hides"
    assert published(diagnostics) == expected(report, path, levels=("error", "warning"))


@pytest.mark.lintmux_options({"linters": ["ruff"]})
async def test_only_the_linters_named_in_the_options_run(client: Client):
    path = "app/handlers.py"
    client.open(path, "python")
    diagnostics = (await client.diagnostics_of(path, 1)).diagnostics
    report = check_json(client.root, path, "-l", "ruff")
    assert {d.source for d in diagnostics} == {"ruff"}
    assert published(diagnostics) == expected(report, path)
