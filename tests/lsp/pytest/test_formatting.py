"""textDocument/formatting returns edits that make the buffer what `lintmux fmt FILE` writes."""

# mypy: disable-error-code="import-not-found"
# (pytest-lsp and its dependencies are in the suite's venv, which mypy here does not see.)

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLE, Client, apply_edits, copy_example, lintmux
from lsprotocol import types


async def formatted_by_the_server(client: Client, path: str, language: str, text: str) -> str:
    uri = client.open(path, language, text)
    await client.diagnostics_of(path, 1)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        options=types.FormattingOptions(tab_size=4, insert_spaces=True),
    ))
    assert edits, f"formatting edits for {path}"
    return apply_edits(text, edits)


def formatted_by_fmt(tmp_path: Path, path: str, text: str) -> str:
    """What `lintmux fmt PATH` writes, in a second copy whose PATH holds `text`."""
    second = copy_example(tmp_path / "second")
    (second / path).write_text(text)
    done = lintmux(second, "fmt", path)
    assert done.returncode == 0, f"lintmux fmt {path}: exit {done.returncode}\n{done.stderr}"
    return (second / path).read_text()


async def test_an_unsaved_unformatted_python_buffer_is_formatted_as_fmt_formats_it(client: Client, tmp_path: Path):
    path = "app/models.py"
    original = client.text(path)
    unformatted = original.replace("MAX_NAME_LENGTH = 120", "MAX_NAME_LENGTH=120", 1).replace(
        "class ValidationError(ValueError):", "class ValidationError( ValueError ) :", 1)
    assert unformatted.count("=120") == 1 and "( ValueError ) :" in unformatted
    # The buffer, not the file on disk, is formatted: only the buffer is unformatted.
    got = await formatted_by_the_server(client, path, "python", unformatted)
    want = formatted_by_fmt(tmp_path, path, unformatted)
    assert want != unformatted, "ruff format changes the file"
    assert got == want
    assert (client.root / path).read_text() == original == (EXAMPLE / path).read_text()


async def test_a_typescript_file_is_formatted_by_prettier_with_the_example_config(client: Client, tmp_path: Path):
    # client/.prettierrc.json (singleQuote) governs it; index.ts as committed has double quotes.
    path = "client/src/index.ts"
    original = client.text(path)
    got = await formatted_by_the_server(client, path, "typescript", original)
    want = formatted_by_fmt(tmp_path, path, original)
    assert want != original, "prettier changes index.ts"
    assert "from './api';" in want
    assert got == want
    assert (client.root / path).read_text() == original
