"""The session: what the server says it serves, and a clean shutdown."""

# mypy: disable-error-code="import-not-found"
# (pytest-lsp and its dependencies are in the suite's venv, which mypy here does not see.)

from __future__ import annotations

import asyncio

from conftest import WAIT, Client, apply_edits
from lsprotocol import types


async def test_initialize_says_what_the_server_serves(client: Client):
    caps = client.init_result.capabilities
    # The client offered only UTF-16, which the tests' column arithmetic assumes.
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    sync = caps.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions), sync
    assert sync.open_close is True
    assert sync.change == types.TextDocumentSyncKind.Full
    assert caps.document_formatting_provider is True
    assert isinstance(caps.code_action_provider, types.CodeActionOptions), caps.code_action_provider
    assert list(caps.code_action_provider.code_action_kinds or []) == ["quickfix", "source.fixAll.lintmux"]
    assert client.init_result.server_info is not None and client.init_result.server_info.name == "lintmux"


async def test_shutdown_and_exit_end_the_server_with_code_0(client: Client):
    path = "scripts/deploy.sh"
    client.open(path, "shellscript")
    assert (await client.diagnostics_of(path, 1)).diagnostics
    server = client._server
    assert server is not None and server.returncode is None
    await asyncio.wait_for(client.shutdown_session(), WAIT)
    assert server.returncode == 0


def edit(line: int, char: int, end_line: int, end_char: int, text: str) -> types.TextEdit:
    return types.TextEdit(
        range=types.Range(start=types.Position(line=line, character=char),
                          end=types.Position(line=end_line, character=end_char)),
        new_text=text,
    )


def test_the_edit_applier_counts_utf16_units():
    # 🎉 is two UTF-16 units, п one: `x` after them is at character 3 of line 1.
    text = "first\n🎉пx = 1\r\nlast"
    assert apply_edits(text, [edit(1, 3, 1, 4, "y")]) == "first\n🎉пy = 1\r\nlast"
    # Past the end of a line is its end (before \r\n); past the last line, the end of the text.
    assert apply_edits(text, [edit(1, 99, 1, 99, ";")]) == "first\n🎉пx = 1;\r\nlast"
    assert apply_edits(text, [edit(9, 0, 9, 0, "\n")]) == text + "\n"
    # Ranges refer to the original text; inserts at one place keep their order.
    assert apply_edits(text, [edit(2, 0, 2, 4, "end"), edit(0, 0, 1, 0, ""), edit(2, 0, 2, 0, "a"),
                              edit(2, 0, 2, 0, "b")]) == "🎉пx = 1\r\nabend"
