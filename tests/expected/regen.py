#!/usr/bin/env python3
"""Run the pinned linters on an example repo and print the findings TSV.

Usage: python3 tests/expected/regen.py examples/polyglot-service \
           > tests/expected/polyglot-service.tsv
The tools are lintmux's pinned installs (`lintmux install --all`), found in
$LINTMUX_CACHE_DIR/tools (default ~/.cache/lintmux/tools). Each tool can also be
named one by one: LMTOOL_RUFF, LMTOOL_MYPY, LMTOOL_ESLINT, LMTOOL_HADOLINT,
LMTOOL_SHELLCHECK, LMTOOL_YAMLLINT, LMTOOL_MARKDOWNLINT_CLI2, LMTOOL_ACTIONLINT,
LMTOOL_ZIZMOR, LMTOOL_CHECK_JSONSCHEMA, LMTOOL_TYPOS, LMTOOL_TAPLO, LMTOOL_DETECT_SECRETS, the
formatters LMTOOL_RUFF_FORMAT (ruff), LMTOOL_PRETTIER, LMTOOL_SHFMT and LMTOOL_TAPLO_FORMAT (taplo), and
LMTOOL_ESLINT_CONFIG (the copy of linters.d/eslint.config.mjs beside eslint's
node_modules, which `lintmux install eslint` writes). Needs Python 3.11 or newer (tomllib).
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib

ROOT = os.path.abspath(sys.argv[1])
CACHE = os.environ.get("LINTMUX_CACHE_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "lintmux")


def install_dir(name):
    found = sorted(d for d in glob.glob(os.path.join(CACHE, "tools", name + "-[0-9]*")) if os.path.isdir(d))
    if not found:
        sys.exit(f"regen.py: no pinned install of {name} in {CACHE}/tools: run `lintmux install {name}`")
    return found[-1]


def tool(name, binary=None, install=None):
    """The linter `name`'s binary: LMTOOL_<NAME>, else `binary` (default: name) in the pinned install
    `install` (default: name; ruff-format shares ruff's, taplo-format taplo's, typos-code typos')."""
    named = os.environ.get("LMTOOL_" + name.upper().replace("-", "_"))
    if named:
        return named
    d = install_dir(install or name)
    for sub in ("venv/bin", "node_modules/.bin"):
        if os.path.exists(os.path.join(d, sub, binary or name)):
            return os.path.join(d, sub, binary or name)
    sys.exit(f"regen.py: {d} has no {binary or name} binary")


ESLINT_CONFIG = os.environ.get("LMTOOL_ESLINT_CONFIG") or os.path.join(install_dir("eslint"), "eslint.config.mjs")
os.chdir(ROOT)

files = []
for d, dirs, fs in os.walk("."):
    dirs[:] = [x for x in dirs if x not in (".git", "node_modules", ".mypy_cache", ".ruff_cache", "__pycache__")]
    for f in fs:
        files.append(os.path.relpath(os.path.join(d, f)).replace(os.sep, "/"))
files.sort()

def shebang(p):
    try:
        with open(p, "rb") as fh:
            return fh.readline().decode(errors="replace")
    except OSError:
        return ""

py = [f for f in files if f.endswith(".py")]
ts = [f for f in files if re.search(r"\.(js|jsx|mjs|cjs|ts|tsx|mts|cts)$", f)]
docker = [f for f in files if os.path.basename(f) == "Dockerfile"]
sh = [f for f in files if f.endswith(".sh") or ("." not in os.path.basename(f) and re.match(r"#!\s*/(usr/)?bin/(env\s+)?(ba|da|k)?sh\b", shebang(f)))]
yml = [f for f in files if f.endswith((".yml", ".yaml"))]
md = [f for f in files if f.endswith(".md")]
# The service-repository types. A file may have several (a workflow is yaml too).
workflows = [f for f in yml if re.search(r"(^|/)\.github/workflows/[^/]+$", f)]
actions = [f for f in yml if os.path.basename(f) in ("action.yml", "action.yaml")]
compose = [f for f in yml if re.match(r"^(docker-)?compose(\.[^/]*)?\.ya?ml$", os.path.basename(f))]
toml = [f for f in files if f.endswith(".toml") or os.path.basename(f) == "Pipfile"]

def is_text(p):
    with open(p, "rb") as fh:
        return b"\0" not in fh.read(1024) and os.path.getsize(p) <= 2 * 1024 * 1024

text = [f for f in files if is_text(f)]
code = sorted(set(py + ts + docker + sh + yml + toml))  # typos-code: the example turns it on
for name, lst in [("python", py), ("ts", ts), ("docker", docker), ("shell", sh), ("yaml", yml), ("md", md),
                  ("github-workflow", workflows), ("github-action", actions), ("compose", compose),
                  ("toml", toml), ("text", text)]:
    print(f"# {name}: {' '.join(lst)}", file=sys.stderr)

def run(argv, env=None):
    p = subprocess.run(argv, capture_output=True, text=True, check=False,
                       env=None if env is None else {**os.environ, **env})
    if p.stderr.strip():
        print(f"# stderr of {argv[0]} (rc={p.returncode}):\n{p.stderr.strip()}", file=sys.stderr)
    return p

def rel(path):
    return os.path.relpath(path, ROOT).replace(os.sep, "/") if os.path.isabs(path) else path

rows = []
r = run([tool("ruff"), "check", "--output-format=json", "--no-cache", "--no-fix", "--force-exclude", "--", *py])
for d in json.loads(r.stdout):
    rows.append(("ruff", d["code"], rel(d["filename"]), d["location"]["row"]))

cache = tempfile.mkdtemp(prefix="lm-mypy-")
r = run([tool("mypy"), "-O", "json", "--no-error-summary", "--cache-dir", cache, *py])
shutil.rmtree(cache)
for line in r.stdout.splitlines():
    d = json.loads(line)
    if d["severity"] != "error":
        print(f"# mypy {d['severity']}: {line}", file=sys.stderr)
        continue
    rows.append(("mypy", d["code"], rel(d["file"]), d["line"]))

r = run([tool("eslint"), "--format", "json", "--no-warn-ignored", "--config", ESLINT_CONFIG, *ts])
for f in json.loads(r.stdout):
    for m in f["messages"]:
        if m.get("ruleId") is None:
            print(f"# eslint message without rule: {f['filePath']}: {m['message']}", file=sys.stderr)
            continue
        rows.append(("eslint", m["ruleId"], rel(f["filePath"]), m["line"]))

r = run([tool("hadolint"), "--format", "json", "--no-fail", *docker])
for d in json.loads(r.stdout):
    rows.append(("hadolint", d["code"], rel(d["file"]), d["line"]))

r = run([tool("shellcheck"), "--format", "json1", *sh])
for d in json.loads(r.stdout)["comments"]:
    rows.append(("shellcheck", f"SC{d['code']}", rel(d["file"]), d["line"]))

r = run([tool("yamllint"), "--format", "parsable", "--", *yml])
for line in r.stdout.splitlines():
    m = re.match(r"^(.*?):(\d+):(\d+): \[(\w+)\] .* \(([\w-]+)\)$", line)
    if not m:
        print(f"# unparsed yamllint line: {line}", file=sys.stderr); continue
    rows.append(("yamllint", m.group(5), rel(m.group(1)), int(m.group(2))))

r = run([tool("markdownlint-cli2"), *[":" + f for f in md]])
for line in (r.stdout + r.stderr).splitlines():
    m = re.match(r"^(\S+?):(\d+)(?::\d+)? (?:error|warning) (MD\d+)/", line)
    if m:
        rows.append(("markdownlint-cli2", m.group(3), rel(m.group(1)), int(m.group(2))))

if workflows:
    r = run([tool("actionlint"), "-format", "{{json .}}", "-no-color", "-shellcheck=", "-pyflakes=", *workflows])
    for d in json.loads(r.stdout):
        rows.append(("actionlint", d["kind"], rel(d["filepath"]), d["line"]))

# One file per run, as lintmux runs it; no git repository above the root, so that URIs are relative to it.
for f in workflows + actions:
    r = run([tool("zizmor"), "--offline", "--format", "sarif", "--no-progress", "--color", "never", f],
            env={"GIT_CEILING_DIRECTORIES": os.path.dirname(ROOT)})
    for res in json.loads(r.stdout)["runs"][0]["results"]:
        loc = res["locations"][0]["physicalLocation"]
        rows.append(("zizmor", res["ruleId"], rel(loc["artifactLocation"]["uri"]), loc["region"]["startLine"]))

def yaml_line(path, json_path):
    """The line of a JSON path in a block-style YAML file, following indentation (as lintmux does):
    the deepest part found, or 1."""
    segs = re.findall(r"\.([^.\[]+)|\[\"([^\"]*)\"\]|\[(\d+)\]", json_path[1:])
    with open(path) as fh:
        lines = fh.read().splitlines()

    def content(line):
        body = line.lstrip(" ")
        if not body or body.startswith("#") or body.rstrip() in ("---", "..."):
            return None
        return len(line) - len(body), body

    found, start, parent, item = None, 0, -1, None
    for name, quoted, index in segs:
        nxt = None
        if index == "":
            key, child = name or quoted, None
            for i in range(start, len(lines)):
                c = content(lines[i])
                if c is None:
                    continue
                ind, body = c
                if item == i:
                    if not body.startswith("- "):
                        break
                    rest = body[2:]
                    ind, body = ind + 2 + len(rest) - len(rest.lstrip(" ")), rest.lstrip(" ")
                if ind <= parent:
                    break
                child = ind if child is None else child
                if ind == child and any(body.startswith(k) and body[len(k):][:1] in ("", " ", "\t")
                                        for k in (key + ":", f'"{key}":', f"'{key}':")):
                    nxt = (i, ind, None)
                    break
        else:
            n, count, seq = int(index), 0, None
            for i in range(start, len(lines)):
                c = content(lines[i])
                if c is None:
                    continue
                ind, body = c
                if item == i and i == start:
                    break
                dash = body == "-" or body.startswith("- ")
                if not (ind > parent or (dash and ind == parent)):
                    break
                if seq is None:
                    if not dash:
                        break
                    seq = ind
                elif ind < seq:
                    break
                if dash and ind == seq:
                    if count == n:
                        nxt = (i, ind, i)
                        break
                    count += 1
        if nxt is None:
            break
        found, parent, item = nxt[0], nxt[1], nxt[2]
        start = nxt[0] if item is not None else nxt[0] + 1
    return 1 if found is None else found + 1


for schema, lst in [("vendor.github-workflows", workflows), ("vendor.github-actions", actions),
                    ("vendor.compose-spec", compose)]:
    if not lst:
        continue
    r = run([tool("check-jsonschema"), "-o", "json", "--color", "never", "--builtin-schema", schema, *lst])
    d = json.loads(r.stdout)
    for e in d.get("parse_errors", []):
        rows.append(("check-jsonschema", "parse-error", rel(e["filename"]), 1))
    for e in d.get("errors", []):
        rows.append(("check-jsonschema", "schema", rel(e["filename"]), yaml_line(e["filename"], e["path"]) if e["filename"].endswith((".yaml", ".yml")) else 1))

for name, lst in [("typos", md), ("typos-code", code)]:
    if lst:
        r = run([tool(name, "typos", "typos"), "--format", "json", "--color", "never", "--force-exclude", *lst])
        for line in r.stdout.splitlines():
            d = json.loads(line)
            if d["type"] == "typo":
                rows.append((name, "typo", rel(d["path"]), d["line_num"]))

if toml:
    r = run([tool("taplo"), "lint", "--colors", "never", *toml])
    for m in re.finditer(r"^\s*┌─ (.+):(\d+):\d+$", r.stderr, re.MULTILINE):
        rows.append(("taplo", "toml", rel(m.group(1)), int(m.group(2))))

r = run([tool("detect-secrets"), "scan", "--all-files", *text])
for found in json.loads(r.stdout)["results"].values():
    for d in found:
        rule = "-".join(w.lower() for w in re.split(r"[^A-Za-z0-9]+", d["type"]) if w)
        rows.append(("detect-secrets", rule, rel(d["filename"]), d["line_number"]))

# Formatters. Each runs only on the files its config governs: a file is governed when its directory, or
# one above it up to the root, holds one of the formatter's markers (`configured_by`): a file that exists,
# `name#a.b` (a TOML or JSON file holding the key a.b) or `name~regex` (a file whose text matches).
def holds_marker(d, marker):
    if "~" in marker:
        name, pattern = marker.split("~", 1)
        try:
            with open(os.path.join(d, name), encoding="utf-8") as fh:
                return re.search(pattern, fh.read()) is not None
        except (OSError, UnicodeDecodeError):
            return False
    if "#" in marker:
        name, key = marker.split("#", 1)
        try:
            with open(os.path.join(d, name), "rb") as fh:
                raw = fh.read()
            doc = tomllib.loads(raw.decode()) if name.endswith(".toml") else json.loads(raw)
        except (OSError, ValueError):
            return False
        for k in key.split("."):
            if not isinstance(doc, dict) or k not in doc:
                return False
            doc = doc[k]
        return True
    return os.path.isfile(os.path.join(d, marker))


def governed(lst, markers):
    def dir_governed(d):
        while True:
            if any(holds_marker(d or ".", m) for m in markers):
                return True
            if not d:
                return False
            d = os.path.dirname(d)
    return [f for f in lst if dir_governed(os.path.dirname(f))]


PRETTIER_RC = [".prettierrc", ".prettierrc.json", ".prettierrc.json5", ".prettierrc.yaml", ".prettierrc.yml",
               ".prettierrc.toml", ".prettierrc.js", ".prettierrc.mjs", ".prettierrc.cjs", "prettier.config.js",
               "prettier.config.mjs", "prettier.config.cjs"]
SHFMT_KEYS = (r"shell_variant|binary_next_line|switch_case_indent|space_redirects|keep_padding|function_next_line"
              r"|simplify|minify")
pretty = [f for f in files if re.search(r"\.(js|jsx|mjs|cjs|ts|tsx|mts|cts|json|jsonc|json5|css|scss|less|yaml|yml"
                                        r"|md|markdown)$", f) or os.path.basename(f) == ".yamllint"]
formatters = [
    # (linter, the files of its types, its markers)
    ("ruff-format", py, ["ruff.toml", ".ruff.toml", "pyproject.toml#tool.ruff"]),
    ("prettier", pretty, PRETTIER_RC + ["package.json#prettier"]),
    ("shfmt", sh, [r".editorconfig~(?m)^\s*(" + SHFMT_KEYS + r")\s*="]),
    ("taplo-format", toml, [".taplo.toml", "taplo.toml"]),
]


def listed_by(linter, lst):
    """The files the formatter's list command names (it writes nothing)."""
    if linter == "ruff-format":
        r = run([tool("ruff-format", "ruff", "ruff"), "format", "--check", "--no-cache", "--force-exclude",
                 "--output-format=concise", "--", *lst])
        out = []
        for line in r.stdout.splitlines():
            m = re.match(r"^(.+?):(\d+):(\d+): ([\w-]+): (.+)$", line)
            if not m:
                continue
            if m.group(4) == "unformatted":
                out.append(rel(m.group(1)))
            else:  # a file it cannot parse: a finding of its own
                rows.append(("ruff-format", m.group(4), rel(m.group(1)), int(m.group(2))))
        return out
    if linter == "prettier":
        r = run([tool("prettier"), "--list-different", "--ignore-unknown", "--no-error-on-unmatched-pattern", *lst])
        return [rel(line) for line in r.stdout.splitlines() if line.strip()]
    if linter == "shfmt":
        r = run([tool("shfmt"), "--list", *lst])
        return [rel(line) for line in r.stdout.splitlines() if line.strip()]
    if linter == "taplo-format":
        argv = [tool("taplo-format", "taplo", "taplo"), "fmt", "--colors", "never", "--check"]
        pattern = r'the file is not properly formatted path="([^"]+)"'
        r = run(argv + lst)
        out = [rel(m.group(1)) for m in re.finditer(pattern, r.stderr)]
        if r.returncode == 1 and not out and "┌─" not in r.stderr:
            # taplo 0.9.3 exited 1 (a file is not formatted) yet named none: it loses its last log lines
            # when the machine is busy. Its exit code says it for each file on its own.
            print("# taplo fmt --check exited 1 and named no file: asking it file by file", file=sys.stderr)
            for f in lst:
                r = run(argv + [f])
                if r.returncode == 1 and "┌─" not in r.stderr:
                    out.append(f)
        return out
    raise AssertionError(linter)


def printed(linter, path):
    """The file as the formatter prints it, the file on stdin."""
    argv = {
        "ruff-format": [tool("ruff-format", "ruff", "ruff"), "format", "--no-cache", "--stdin-filename", path, "-"],
        "prettier": [tool("prettier"), "--stdin-filepath", path],
        "shfmt": [tool("shfmt"), "--filename", path],
        "taplo-format": [tool("taplo-format", "taplo", "taplo"), "fmt", "--colors", "never", "--stdin-filepath", path, "-"],
    }[linter]
    with open(path, "rb") as fh:
        p = subprocess.run(argv, stdin=fh, capture_output=True, check=False)
    if p.returncode != 0:
        sys.exit(f"regen.py: {linter} could not print {path} (exit {p.returncode}):\n{p.stderr.decode(errors='replace')}")
    return p.stdout.decode()


for linter, lst, markers in formatters:
    mine = governed(lst, markers)
    print(f"# {linter} governs: {' '.join(mine)}", file=sys.stderr)
    if not mine:
        continue
    for path in sorted(set(listed_by(linter, mine))):
        with open(path, encoding="utf-8", newline="") as fh:
            original = fh.read()
        formatted = printed(linter, path)
        if formatted == original:
            sys.exit(f"regen.py: {linter} lists {path} but prints it unchanged")
        # Lines end at \n only (and keep it), so a missing final newline is a difference.
        old, new = [x for x in re.split(r"(?<=\n)", original) if x], [x for x in re.split(r"(?<=\n)", formatted) if x]
        same = 0
        while same < min(len(old), len(new)) and old[same] == new[same]:
            same += 1
        rows.append((linter, "format", path, max(1, min(same + 1, len(old)))))

rows.sort(key=lambda t: (t[2], t[3], t[0], t[1]))
for t in rows:
    print("\t".join(map(str, t)))
