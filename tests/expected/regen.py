#!/usr/bin/env python3
"""Run the pinned linters on an example repo and print the findings TSV.

Usage: python3 tests/expected/regen.py examples/polyglot-service \
           > tests/expected/polyglot-service.tsv
The tools are lintmux's pinned installs (`lintmux install --all`), found in
$LINTMUX_CACHE_DIR/tools (default ~/.cache/lintmux/tools). Each tool can also be
named one by one: LMTOOL_RUFF, LMTOOL_MYPY, LMTOOL_ESLINT, LMTOOL_HADOLINT,
LMTOOL_SHELLCHECK, LMTOOL_YAMLLINT, LMTOOL_MARKDOWNLINT_CLI2, LMTOOL_ACTIONLINT,
LMTOOL_ZIZMOR, LMTOOL_CHECK_JSONSCHEMA, LMTOOL_TYPOS, LMTOOL_TAPLO, LMTOOL_DETECT_SECRETS, and
LMTOOL_ESLINT_CONFIG (the copy of linters.d/eslint.config.mjs beside eslint's
node_modules, which `lintmux install eslint` writes).
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(sys.argv[1])
CACHE = os.environ.get("LINTMUX_CACHE_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "lintmux")


def install_dir(name):
    found = sorted(d for d in glob.glob(os.path.join(CACHE, "tools", name + "-[0-9]*")) if os.path.isdir(d))
    if not found:
        sys.exit(f"regen.py: no pinned install of {name} in {CACHE}/tools: run `lintmux install {name}`")
    return found[-1]


def tool(name, binary=None):
    named = os.environ.get("LMTOOL_" + name.upper().replace("-", "_"))
    if named:
        return named
    d = install_dir(name)
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
        r = run([tool(name, "typos"), "--format", "json", "--color", "never", "--force-exclude", *lst])
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

rows.sort(key=lambda t: (t[2], t[3], t[0], t[1]))
for t in rows:
    print("\t".join(map(str, t)))
