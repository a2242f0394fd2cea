"""Linters of the repository's own (linters.d/) that crash, hang or are not trusted: each is an error at
the top of the file naming the linter and why, never a clean file, and the server keeps serving."""

# mypy: disable-error-code="import-not-found"
# (pytest-lsp and its dependencies are in the suite's venv, which mypy here does not see.)

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from conftest import Client, check_json
from lsprotocol import types
from test_diagnostics import expected, published

TOP = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))


def said(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The (code, message) lintmux's diagnostics give for the tool errors of a check report
    (src/lsp/diagnostics.rs: the kind as code; the message, and the last line of the output)."""
    out = []
    for e in report["tool_errors"]:
        message = f"{e['linter']} could not lint this file: {e['message']}"
        tail = (e.get("output_tail") or "").splitlines()
        if tail and tail[-1].strip():
            message += f"\n{tail[-1]}"
        out.append((e["kind"], message))
    return sorted(out)


def lintmux_own(diagnostics: Sequence[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.source == "lintmux"]


async def ruff_still_serves(client: Client, path: str) -> None:
    """Another file opened afterwards gets its ruff diagnostics, those check gives."""
    client.open(path, "python")
    diagnostics = (await client.diagnostics_of(path, 1)).diagnostics
    want = expected(check_json(client.root, path, "-l", "ruff"), path)
    assert want, f"ruff finds something in {path}"
    assert [k for k in published(diagnostics) if k[0] == "ruff"] == want


@pytest.mark.lintmux_options({"trust": "all", "linters": ["ruff", "crash", "hang"]})
async def test_a_crashing_and_a_hanging_linter_are_errors_at_the_top_and_ruff_still_speaks(misbehaving_client: Client):
    client = misbehaving_client
    path = "app/handlers.py"
    client.open(path, "python")
    diagnostics = (await client.diagnostics_of(path, 1)).diagnostics
    mine = lintmux_own(diagnostics)
    by_linter = {d.message.split(" ", 1)[0]: d for d in mine}
    assert sorted(by_linter) == ["crash", "hang"], [d.message for d in mine]
    for d in mine:
        assert d.range == TOP
        assert d.severity == types.DiagnosticSeverity.Error
    crash, hang = by_linter["crash"], by_linter["hang"]
    # Exit 139 is a status the definition does not accept (no signal killed it): `failed`, with what
    # it printed to stderr last.
    assert crash.code == "failed", crash.message
    assert crash.message.startswith("crash could not lint this file: crash exited with status 139"), crash.message
    assert crash.message.endswith("\nSegmentation fault"), crash.message
    assert hang.code == "timeout", hang.message
    assert hang.message.startswith("hang could not lint this file: "), hang.message
    assert "timeout of 1s" in hang.message, hang.message
    # The same words as check's report of the same run.
    report = check_json(client.root, path, "-l", "ruff,crash,hang")
    assert sorted((str(d.code), d.message) for d in mine) == said(report)
    assert [k for k in published(diagnostics) if k[0] == "ruff"] == expected(report, path)
    await ruff_still_serves(client, "app/models.py")


@pytest.mark.parametrize("trust", [
    pytest.param(t, marks=pytest.mark.lintmux_options({"trust": t, "linters": ["crash", "hang", "ruff"]}))
    for t in ("none", "config")
])
async def test_a_repository_linter_the_trust_refuses_says_so(misbehaving_client: Client, trust: str):
    client = misbehaving_client
    path = "app/handlers.py"
    client.open(path, "python")
    diagnostics = (await client.diagnostics_of(path, 1)).diagnostics
    mine = lintmux_own(diagnostics)
    assert sorted(d.message.split(" ", 1)[0] for d in mine) == ["crash", "hang"], [d.message for d in mine]
    for d in mine:
        assert (d.code, d.range, d.severity) == ("refused", TOP, types.DiagnosticSeverity.Error), d
        assert " could not lint this file: " in d.message and f"trust {trust}" in d.message, d.message
        # The trust came from the editor's options, and the message says so (not "--trust").
        assert "(from the editor's lintmux option \"trust\")" in d.message, d.message
    report = check_json(client.root, path, "-l", "crash,hang,ruff", "--trust", trust)
    cli = [(code, m.replace("(from --trust)", "(from the editor's lintmux option \"trust\")")) for code, m in said(report)]
    assert sorted((str(d.code), d.message) for d in mine) == sorted(cli)
    assert [k for k in published(diagnostics) if k[0] == "ruff"] == expected(report, path)
    await ruff_still_serves(client, "app/models.py")
