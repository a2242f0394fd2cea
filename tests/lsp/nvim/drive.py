#!/usr/bin/env python3
"""Neovim 0.7 as lintmux's LSP client, end to end, on a checkout of examples/polyglot-service.

session.lua drives a headless Neovim (its built-in vim.lsp client, no plugins) against `lintmux lsp`
and records what it saw; this script prepares the checkout, runs it, and compares what Neovim showed
with what the command line says of the same files:

- open: each opened file's diagnostics are the findings of `lintmux check FILE --format json`, as a
  multiset of (linter, rule, line - 1, column - 1, severity from level), the column made a byte column
  (vim.diagnostic's) and, from the LSP diagnostic, a UTF-16 character (the negotiated encoding), and
  the same message. A diagnostic whose source is "lintmux" must be one of check's tool errors for the
  file (same linter and kind) and each tool error must be shown; anything else from "lintmux" (such as
  "no linter lints this file") is a failure. A note that a linter read the file as saved is a failure
  here (the buffers are the files).
- edit: `import os` inserted unsaved at the top of the Python buffer brings ruff F401 on line 1, and the
  file on disk is unchanged.
- quick fix: the code action for that F401, applied by Neovim, gives back the original text, and the
  diagnostics published next have no F401 on line 1.
- formatting: the server's edits, applied by Neovim to a buffer holding unformatted text, give the text
  `lintmux fmt FILE` writes into a second checkout holding the same text.
- every publishDiagnostics of the same content of a file (same version) has the same diagnostics,
  whichever other file a later run lints.
- the negotiated position encoding is UTF-16 (Neovim 0.7 offers no other), the server exits 0 after
  shutdown and exit, and no file of the checkout was written.

Usage: drive.py LINTMUX SESSION_LUA (run by tests/lsp/run-nvim.sh, which builds lintmux and sets
LINTMUX_CACHE_DIR). Exit code 0 when everything matched; 1 with each difference said otherwise.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "polyglot-service"
# The Python file comes first: it is the one edited, fixed and formatted.
FILES = ["app/models.py", "client/src/index.ts", "scripts/deploy.sh"]
TRUST = "config"  # the example's lintmux.toml turns typos-code on: it must be followed
OPTIONS = {"trust": TRUST}
NVIM_TIMEOUT_S = 180
# What the Python buffer holds when it is formatted: the file with unformatted lines added.
UNFORMATTED_TAIL = "\n\nx=1\ndef scale( a,b ):\n  return {'a':a*b ,\"b\" :[1,2,\n3]}\n"
SEVERITY = {"error": 1, "warning": 2, "note": 3}  # src/lsp/diagnostics.rs: severity()
AS_SAVED = "(on the file as saved:"

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "lintmux tests",
    "GIT_AUTHOR_EMAIL": "tests@lintmux.invalid",
    "GIT_COMMITTER_NAME": "lintmux tests",
    "GIT_COMMITTER_EMAIL": "tests@lintmux.invalid",
}

failures: list[str] = []


def fail(msg: str) -> None:
    failures.append(msg)
    print(f"FAIL: {msg}", flush=True)


def run(cmd: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    # The caller reads the exit status.
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=False, **kw)


def checkout(parent: Path, name: str) -> Path:
    """A fresh copy of the example committed in a git repository of its own, as a user's checkout."""
    root = parent / name
    shutil.copytree(EXAMPLE, root, symlinks=True)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "checkout"]):
        p = run(cmd, root)
        if p.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed in {root}: {p.stderr}")
    return root.resolve()


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


# Columns: a tool's 1-based column counts characters, UTF-8 bytes or UTF-16 units (its definition's
# output.columns); Neovim's diagnostic column is a byte and the LSP character a UTF-16 unit.
_units: dict[str, str] = {}


def unit_of(linter: str) -> str:
    if linter not in _units:
        path = REPO / "linters.d" / f"{linter}.toml"
        if not path.exists():
            raise SystemExit(f"no definition {path} to tell how {linter} counts columns")
        output = tomllib.loads(path.read_text()).get("output", {})
        _units[linter] = output.get("columns", "chars")
    return _units[linter]


def columns(line_text: str, column: int, linter: str) -> tuple[int, int]:
    """(byte, UTF-16 unit) of the tool's 1-based `column` on `line_text`, clamped to the line."""
    n = max(column, 1) - 1
    if line_text.isascii():
        c = min(n, len(line_text))
        return c, c
    unit = unit_of(linter)
    counted, chars = 0, 0
    for ch in line_text:
        if counted >= n:
            break
        counted += {"chars": 1, "bytes": len(ch.encode()), "utf16": len(ch.encode("utf-16-le")) // 2}[unit]
        chars += 1
    prefix = line_text[:chars]
    return len(prefix.encode()), len(prefix.encode("utf-16-le")) // 2


def lines_of(text: str) -> list[str]:
    return [line.removesuffix("\r") for line in text.split("\n")]


def check_json(lintmux: str, root: Path, file: str) -> dict:
    cmd = [lintmux, "check", "--trust", TRUST, "--format", "json", "--fail-on", "never", file]
    p = run(cmd, root)
    if p.returncode != 0:
        raise SystemExit(f"`{' '.join(cmd[1:])}` exited {p.returncode}:\n{p.stderr}")
    return json.loads(p.stdout)


def compare_open(records: list[dict], lintmux: str, root: Path, originals: dict[str, bytes]) -> None:
    shown = [r for r in records if r["kind"] == "diagnostic" and r["phase"] == "open"]
    for file in FILES:
        report = check_json(lintmux, root, file)
        text_lines = lines_of(originals[file].decode())
        want: collections.Counter[tuple] = collections.Counter()
        want_msgs: collections.defaultdict[tuple, list[str]] = collections.defaultdict(list)
        for f in report["findings"]:
            if f["path"] != file:
                continue
            line = text_lines[f["line"] - 1] if f["line"] - 1 < len(text_lines) else ""
            byte, utf16 = columns(line, f["column"], f["linter"])
            key = (f["linter"], f["rule"], f["line"] - 1, byte, utf16, SEVERITY[f["level"]])
            want[key] += 1
            msg = f["message"] + (f" (this cannot be true: {f['doubt']})" if f.get("doubt") else "")
            want_msgs[key].append(msg)
        errors = collections.Counter((e["linter"], e["kind"]) for e in report["tool_errors"])

        got: collections.Counter[tuple] = collections.Counter()
        got_msgs: collections.defaultdict[tuple, list[str]] = collections.defaultdict(list)
        said: collections.Counter[tuple] = collections.Counter()
        for d in (d for d in shown if d["file"] == file):
            if AS_SAVED in d["message"]:
                fail(f"{file}: on open, where the buffer is the file, a diagnostic says it is of the file as saved: {d}")
            if d["source"] == "lintmux":
                linter = d["message"].split(" could not lint this file", 1)[0]
                if " could not lint this file" not in d["message"] or (linter, d["code"]) not in errors:
                    fail(
                        f"{file}: Neovim shows a lintmux diagnostic that `lintmux check {file}` has no tool error for: "
                        f"code {d['code']!r} at line {d['lnum'] + 1}: {d['message']!r}"
                    )
                else:
                    said[(linter, d["code"])] += 1
                continue
            key = (d["source"], d["code"], d["lnum"], d["col"], d["character"], d["severity"])
            got[key] += 1
            got_msgs[key].append(d["message"])
        for e, n in errors.items():
            if said[e] < n:
                fail(f"{file}: `lintmux check` has a tool error of {e[0]} ({e[1]}) that Neovim does not show")

        def show(k):
            return f"{k[0]} {k[1]} line {k[2] + 1} byte-col {k[3]} utf16-char {k[4]} severity {k[5]}"

        for k in sorted(want - got):
            fail(f"{file}: `lintmux check` finds {show(k)}, Neovim does not show it")
        for k in sorted(got - want):
            fail(f"{file}: Neovim shows {show(k)}, `lintmux check` does not find it")
        for k in want & got:
            if sorted(want_msgs[k]) != sorted(got_msgs[k]):
                fail(f"{file}: {show(k)}: check says {want_msgs[k]}, Neovim shows {got_msgs[k]}")
        print(
            f"open {file}: {sum(got.values())} diagnostic(s) shown, {sum(want.values())} finding(s) by check, "
            f"{sum(errors.values())} tool error(s)",
            flush=True,
        )


def main() -> int:
    lintmux, session = sys.argv[1], sys.argv[2]
    lintmux = str(Path(lintmux).resolve())
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="lintmux-nvim-"))
    try:
        code = drive(lintmux, Path(session).resolve(), work, started)
    finally:
        if not failures:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"(the checkouts and Neovim's records are kept in {work})")
    return code


def drive(lintmux: str, session: Path, work: Path, started: float) -> int:
    root = checkout(work, "repo")
    originals = snapshot(root)

    # The linters of the opened files, installed (CI has them all already; this also works alone).
    p = run([lintmux, "detect", "--files", "--trust", TRUST], root)
    if p.returncode != 0:
        raise SystemExit(f"lintmux detect --files failed: {p.stderr}")
    needed = sorted(
        {
            linter
            for row in p.stdout.splitlines()
            if len(cols := row.split("\t")) == 4 and cols[0] in FILES
            for linter in cols[3].split(",")
            if linter
        }
    )
    print(f"linters of {', '.join(FILES)}: {', '.join(needed)}", flush=True)
    p = run([lintmux, "install", "--trust", TRUST, *needed], root)
    if p.returncode != 0:
        raise SystemExit(f"lintmux install {' '.join(needed)} failed:\n{p.stdout}{p.stderr}")

    unformatted = originals[FILES[0]].decode() + UNFORMATTED_TAIL
    (work / "unformatted.py").write_text(unformatted)
    out = work / "nvim.jsonl"
    xdg = work / "xdg"
    env = {
        **os.environ,
        **GIT_ENV,
        # Neovim's own state and logs stay in the work directory.
        "XDG_CONFIG_HOME": str(xdg / "config"),
        "XDG_DATA_HOME": str(xdg / "data"),
        "XDG_STATE_HOME": str(xdg / "state"),
        "XDG_CACHE_HOME": str(xdg / "cache"),
        "LINTMUX_NVIM_CMD": lintmux,
        "LINTMUX_NVIM_ROOT": str(root),
        "LINTMUX_NVIM_FILES": ",".join(FILES),
        "LINTMUX_NVIM_OPTIONS": json.dumps(OPTIONS),
        "LINTMUX_NVIM_UNFORMATTED": str(work / "unformatted.py"),
        "LINTMUX_NVIM_OUT": str(out),
    }
    cmd = ["timeout", str(NVIM_TIMEOUT_S), "nvim", "--headless", "--clean", "-c", f"luafile {session}"]
    t0 = time.monotonic()
    p = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    nvim_s = time.monotonic() - t0
    print(f"nvim session: {nvim_s:.1f} s, exit {p.returncode}", flush=True)
    if p.returncode == 124:
        fail(f"nvim did not finish within {NVIM_TIMEOUT_S} s")
    elif p.returncode != 0:
        fail(f"nvim exited {p.returncode}")
    if p.stderr.strip() or p.stdout.strip():
        print(f"nvim printed:\n{p.stdout}{p.stderr}", flush=True)
    if not out.exists():
        fail("session.lua wrote no records")
        return 1
    records = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    kinds = collections.defaultdict(list)
    for r in records:
        kinds[r["kind"]].append(r)

    for r in kinds["error"]:
        fail(f"session.lua failed: {r['message']}")
    for r in kinds["timeout"]:
        fail(f"waited {r['waited_ms']} ms for {r['what']}; saw {json.dumps(r.get('seen'))}")
    for r in kinds["showMessage"]:
        if r["type"] == 1:
            fail(f"the server showed an error: {r['message']}")

    if kinds["nvim"]:
        v = kinds["nvim"][0]["version"]
        print(f"Neovim {v['major']}.{v['minor']}.{v['patch']}", flush=True)
    if kinds["init"]:
        init = kinds["init"][0]
        print(
            f"encoding: Neovim offered general={json.dumps(init['client_general'])}, "
            f"offsetEncoding={json.dumps(init['client_offset_encoding_capability'])}; "
            f"the server chose positionEncoding={init['server_position_encoding']!r}; "
            f"client.offset_encoding={init['offset_encoding']!r}",
            flush=True,
        )
        if init["server_position_encoding"] != "utf-16" or init["offset_encoding"] != "utf-16":
            fail(
                "Neovim 0.7 offers no encoding, so both ends must use UTF-16; got "
                f"server {init['server_position_encoding']!r}, client {init['offset_encoding']!r}"
            )
    else:
        fail("no initialize result was recorded")

    # Open: the same as `lintmux check FILE`.
    if kinds["published"]:
        compare_open(records, lintmux, root, originals)

    # Every notification: the same content (file and version) is published with the same diagnostics,
    # whatever other file a later run lints. (Here the edited file is the only Python file, so no
    # whole-project linter can speak differently of another file because of the edit.)
    first: dict[tuple[str, int], dict] = {}
    for r in kinds["publish"]:
        key = (r["file"], r["version"])
        if key not in first:
            first[key] = r
            continue
        was, now = collections.Counter(first[key]["diagnostics"]), collections.Counter(r["diagnostics"])
        if was != now:
            fail(
                f"{r['file']} version {r['version']}: publishDiagnostics #{r['n']} differs from #{first[key]['n']} "
                f"for the same content: added {sorted(now - was)}, removed {sorted(was - now)}"
            )

    # The unsaved edit.
    edited = [d for d in kinds["diagnostic"] if d["phase"] == "edited"]
    if not any(d["source"] == "ruff" and d["code"] == "F401" and d["lnum"] == 0 for d in edited):
        fail(f"after inserting `import os` unsaved at the top of {FILES[0]}, no ruff F401 on line 1 was shown")
    for d in edited:
        if d["source"] == "lintmux":
            fail(f"after the unsaved edit, a lintmux diagnostic: {d['code']}: {d['message']!r}")
        elif AS_SAVED in d["message"]:
            print(f"edited: {d['source']} linted the file as saved (told so): {d['code']} line {d['lnum'] + 1}")
    for r in kinds["disk"]:
        if r["text"] != originals[r["file"]].decode():
            fail(f"{r['file']} on disk changed ({r['phase']}), though Neovim never wrote it")

    # The quick fix.
    if kinds["code_actions"]:
        ca = kinds["code_actions"][0]
        if ca["chosen"] is None:
            fail(
                f"no quickfix for ruff F401 among the code actions {ca['actions']} (error {ca['error']}); "
                f"sent {json.dumps(ca['sent'])}"
            )
        else:
            print(f"quick fix applied: {ca['chosen']!r}", flush=True)
    fixed = [r for r in kinds["buffer"] if r["phase"] == "fixed"]
    if fixed and "\n".join(fixed[0]["lines"]) + "\n" != originals[FILES[0]].decode():
        fail(
            f"after the quick fix {FILES[0]}'s buffer is not the original text: first lines "
            f"{fixed[0]['lines'][:3]}"
        )
    if any(d["phase"] == "fixed" and d["code"] == "F401" and d["lnum"] == 0 for d in kinds["diagnostic"]):
        fail("after the quick fix, ruff F401 on line 1 is still shown")

    # Formatting: what `lintmux fmt FILE` writes into a second checkout with the same text.
    formatted = [r for r in kinds["buffer"] if r["phase"] == "formatted"]
    if kinds["formatting"] and kinds["formatting"][0]["error"] is not None:
        fail(f"textDocument/formatting failed: {kinds['formatting'][0]['error']}")
    if formatted:
        other = checkout(work, "fmt")
        (other / FILES[0]).write_text(unformatted)
        p = run([lintmux, "fmt", "--trust", TRUST, FILES[0]], other)
        if p.returncode not in (0, 1):
            fail(f"lintmux fmt {FILES[0]} exited {p.returncode}: {p.stderr}")
        want = (other / FILES[0]).read_text()
        buf = formatted[0]
        got = "\n".join(buf["lines"]) + ("\n" if buf["eol"] else "")
        if want == unformatted:
            fail(f"lintmux fmt left {FILES[0]} unformatted: the comparison would prove nothing")
        if got != want:
            import difflib

            diff = "".join(
                difflib.unified_diff(
                    want.splitlines(True), got.splitlines(True), "lintmux fmt", "Neovim after formatting"
                )
            )
            fail(f"the formatted buffer differs from what `lintmux fmt {FILES[0]}` writes:\n{diff}")
        else:
            n = len(kinds["formatting"][0]["edits"] or [])
            print(f"formatting: {n} edit(s) applied, the buffer equals `lintmux fmt {FILES[0]}`", flush=True)
    elif not kinds["timeout"] and not kinds["error"]:
        fail("the formatting step was not reached")

    # The end: the server exited cleanly and nothing in the checkout was written.
    exits = kinds["exit"]
    status = exits[0]["status"] if exits else None
    if not status or status.get("code") != 0 or status.get("signal") != 0:
        fail(f"the server's exit after shutdown and exit: {status} (want code 0, signal 0)")
    if snapshot(root) != originals:
        changed = sorted(k for k in set(snapshot(root)) | set(originals) if snapshot(root).get(k) != originals.get(k))
        fail(f"files of the checkout changed: {changed}")
    if not kinds["done"]:
        fail("session.lua did not reach its end")

    total = time.monotonic() - started
    print(f"{'ok' if not failures else 'FAILED'}: Neovim end to end in {total:.1f} s, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
