"""`lintmux lsp` driven over stdio by pytest-lsp, on copies of examples/polyglot-service.

Each test gets a fresh copy of the example in a temporary directory (a git checkout with one commit, as a
user's is), a server started in it, and a session initialized with the copy as its root and the options
of the test's `lintmux_options` mark. The server and `lintmux check`/`lintmux fmt` share one cache
(`LINTMUX_CACHE_DIR`), so they run the same pinned linters.
"""

# mypy: disable-error-code="import-not-found"
# (pytest-lsp and its dependencies are in the suite's venv, which mypy here does not see.)

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "polyglot-service"
LINTMUX = Path(os.environ.get("LINTMUX_BIN", REPO / "target" / "debug" / "lintmux"))
CACHE = Path(os.environ.get("LINTMUX_CACHE_DIR", REPO / "target" / "tmp" / "lintmux-cache"))

# Linters take 1-10 s on a first run; installing one that is missing takes longer.
WAIT = 60.0
CLI_TIMEOUT = 180.0


def lintmux_env() -> dict[str, str]:
    env = dict(os.environ)
    env["LINTMUX_CACHE_DIR"] = str(CACHE)
    env["NO_COLOR"] = "1"
    return env


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=lintmux tests", "-c", "user.email=tests@lintmux.invalid",
         "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=root, check=True, capture_output=True,
    )


def copy_example(dest: Path, extra: Callable[[Path], None] | None = None) -> Path:
    """A copy of the example at `dest`, committed in a git repository of its own (`extra` adds to it
    before the commit)."""
    shutil.copytree(EXAMPLE, dest)
    if extra is not None:
        extra(dest)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "the example")
    return dest.resolve()


def lintmux(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`lintmux ARGS` run in `root`, with the server's cache."""
    return subprocess.run(
        [str(LINTMUX), *args], cwd=root, env=lintmux_env(), capture_output=True, text=True, check=False,
        timeout=CLI_TIMEOUT,
    )


def check_json(root: Path, path: str, *args: str) -> dict[str, Any]:
    """The JSON report of `lintmux check PATH --format json ARGS` in `root`."""
    done = lintmux(root, "check", path, "--format", "json", *args)
    # 0: nothing found, 1: findings, 2: a linter could not run (its tool error is in the report).
    assert done.returncode in (0, 1, 2), f"lintmux check {path}: exit {done.returncode}\n{done.stderr}"
    return json.loads(done.stdout)


# --- the client -------------------------------------------------------------------------------------


class Client(LanguageClient):
    """pytest-lsp's client, keeping every publishDiagnostics in the order it came (pytest-lsp's own
    `diagnostics` keeps only the last list of each URI, without its version)."""

    root: Path
    published: list[types.PublishDiagnosticsParams]
    init_result: types.InitializeResult

    def uri(self, path: str) -> str:
        return (self.root / path).as_uri()

    def text(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8")

    def open(self, path: str, language: str, text: str | None = None, version: int = 1) -> str:
        uri = self.uri(path)
        self.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=version,
                text=self.text(path) if text is None else text,
            )
        ))
        return uri

    def change(self, path: str, version: int, text: str) -> None:
        """A full-text change (the server asks for full sync)."""
        self.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri(path), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        ))

    async def diagnostics_of(self, path: str, version: int, within: float = WAIT) -> types.PublishDiagnosticsParams:
        """The first diagnostics published for `path` at `version` (or without a version: what the
        server publishes when it could not lint at all, which then fails the test with what it says)."""
        uri = self.uri(path)
        deadline = time.monotonic() + within

        def found() -> types.PublishDiagnosticsParams | None:
            for p in self.published:
                if p.uri == uri and (p.version == version or p.version is None):
                    return p
            return None

        while (p := found()) is None:
            left = deadline - time.monotonic()
            if left <= 0:
                seen = [(q.uri, q.version, len(q.diagnostics)) for q in self.published]
                pytest.fail(f"no diagnostics for {path} version {version} within {within:.0f}s; published: {seen}")
            try:
                await asyncio.wait_for(self.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), left)
            except TimeoutError:
                pass
        assert p.version == version, f"{path}: published without a version: {[d.message for d in p.diagnostics]}"
        return p


def make_client() -> Client:
    client = Client()
    client.published = []

    def publish_diagnostics(client: Client, params: types.PublishDiagnosticsParams) -> None:
        client.published.append(params)
        client.diagnostics[params.uri] = params.diagnostics

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish_diagnostics
    register_lsp_features(client, features)
    return client


@attrs.define
class ExampleServer(ClientServerConfig):
    """`lintmux lsp` started in a fresh copy of the example (`extra(repo, tools)` adds to the copy;
    `tools` is a directory beside it, outside the repository)."""

    extra: Callable[[Path, Path], None] | None = None

    async def start(self, devtools: str | None = None) -> Client:
        if not LINTMUX.is_file():
            pytest.fail(f"{LINTMUX} is missing: build it with `cargo build` (tests/lsp/run-pytest.sh does)")
        base = Path(tempfile.mkdtemp(prefix="lintmux-lsp-")).resolve()
        tools = base / "tools"
        tools.mkdir()
        extra = self.extra
        root = copy_example(base / "polyglot-service", None if extra is None else lambda repo: extra(repo, tools))
        client = self.client_factory()
        assert isinstance(client, Client)
        client.root = root
        await client.start_io(*self.get_server_command(devtools), env=self.server_env, cwd=root)
        return client


def capabilities() -> types.ClientCapabilities:
    """An editor's: versioned diagnostics, code action literals, formatting; UTF-16 positions only
    (the default every client must accept)."""
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
        text_document=types.TextDocumentClientCapabilities(
            synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
                    )
                ),
                is_preferred_support=True,
            ),
            formatting=types.DocumentFormattingClientCapabilities(),
        ),
        workspace=types.WorkspaceClientCapabilities(workspace_folders=True, apply_edit=False),
    )


async def initialize(client: Client, request: pytest.FixtureRequest) -> None:
    mark = request.node.get_closest_marker("lintmux_options")
    options = mark.args[0] if mark else None
    result = await asyncio.wait_for(client.initialize_session(types.InitializeParams(
        capabilities=capabilities(),
        root_uri=client.root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=client.root.as_uri(), name=client.root.name)],
        initialization_options=options,
    )), WAIT)
    client.init_result = result


async def finish(client: Client) -> None:
    """Shut the server down (unless the test did) and check it ended with exit code 0; the copy goes."""
    try:
        server = client._server
        assert server is not None
        if server.returncode is None:
            await asyncio.wait_for(client.shutdown_session(), WAIT)
        assert server.returncode == 0, f"lintmux lsp ended with exit code {server.returncode}"
    finally:
        shutil.rmtree(client.root.parent, ignore_errors=True)


SERVER_ENV = lintmux_env()


@pytest_lsp.fixture(
    config=ExampleServer(server_command=[str(LINTMUX), "lsp"], server_env=SERVER_ENV, client_factory=make_client),
)
async def client(lsp_client: Client, request: pytest.FixtureRequest):
    await initialize(lsp_client, request)
    yield
    await finish(lsp_client)


# --- linters of the repository's own that misbehave ---------------------------------------------------


def helper(tools: Path, name: str, script: str) -> Path:
    path = tools / name
    path.write_text(script)
    path.chmod(0o755)
    return path


def definition(program: Path) -> str:
    """A repository definition of a linter of Python files that runs `program` and reads ruff's JSON."""
    p = str(program)
    return (
        'description = "a helper that misbehaves"\n'
        'homepage = "https://example.invalid/helper"\n'
        'file_types = ["python"]\n'
        f'command = ["{p}", "{{files}}"]\n'
        'output = { format = "ruff_json" }\n'
        f'version = {{ pin = "1.0", command = ["{p}", "--version"], pattern = "^(\\\\d\\\\S*)" }}\n'
    )


def misbehaving(repo: Path, tools: Path) -> None:
    """`crash` prints garbage and exits 139 (as a segfaulting program's shell reports it); `hang` sleeps
    past its 1 s timeout (set in the example's lintmux.toml)."""
    crash = helper(tools, "crash",
                   "#!/bin/sh\n[ \"$1\" = --version ] && { echo 1.0; exit 0; }\n"
                   "echo 'not json at all'\necho 'Segmentation fault' >&2\nexit 139\n")
    hang = helper(tools, "hang", "#!/bin/sh\n[ \"$1\" = --version ] && { echo 1.0; exit 0; }\nexec sleep 600\n")
    (repo / "linters.d").mkdir()
    (repo / "linters.d" / "crash.toml").write_text(definition(crash))
    (repo / "linters.d" / "hang.toml").write_text(definition(hang))
    with (repo / "lintmux.toml").open("a") as f:
        f.write("\n[linters.hang]\ntimeout = 1\n")


@pytest_lsp.fixture(
    config=ExampleServer(server_command=[str(LINTMUX), "lsp"], server_env=SERVER_ENV, client_factory=make_client,
                         extra=misbehaving),
)
async def misbehaving_client(lsp_client: Client, request: pytest.FixtureRequest):
    await initialize(lsp_client, request)
    yield
    await finish(lsp_client)


# --- text edits ---------------------------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    """Where each line starts (LSP ends a line at \\n, \\r\\n or \\r)."""
    starts, i = [0], 0
    while i < len(text):
        c = text[i]
        if c == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            i += 1
        if c in "\r\n":
            starts.append(i + 1)
        i += 1
    return starts


def offset(text: str, pos: types.Position) -> int:
    """The index into `text` of an LSP position in UTF-16 code units (past a line's end: its end; past
    the last line: the end of the text)."""
    starts = _line_starts(text)
    if pos.line >= len(starts):
        return len(text)
    start = starts[pos.line]
    end = starts[pos.line + 1] if pos.line + 1 < len(starts) else len(text)
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    units, i = 0, start
    while i < end and units < pos.character:
        units += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    assert units <= pos.character, f"{pos} falls inside a surrogate pair"
    return i


def apply_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """`text` with `edits` applied as LSP says: every range refers to the original text, ranges do not
    overlap, and edits at the same position apply in their order."""
    spans = sorted(
        ((offset(text, e.range.start), offset(text, e.range.end), n, e.new_text) for n, e in enumerate(edits)),
        key=lambda s: (s[0], s[1], s[2]),
    )
    out, at = [], 0
    for start, end, _, new in spans:
        assert start <= end, f"an edit ends before it starts: {edits}"
        assert start >= at, f"overlapping edits: {edits}"
        out.append(text[at:start])
        out.append(new)
        at = end
    out.append(text[at:])
    return "".join(out)


# --- never skip ---------------------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.skipped:
        report.outcome = "failed"
        report.longrepr = f"this suite never skips; a missing tool is a failure: {report.longrepr}"
    return report


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "lintmux_options(options): the server's initializationOptions")
