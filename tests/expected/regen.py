#!/usr/bin/env python3
"""Run the seven pinned linters on an example repo and print the findings TSV.

Usage: python3 tests/expected/regen.py examples/polyglot-service \
           > tests/expected/polyglot-service.tsv
Tool locations: LMTOOLS_PY (bin dir with ruff, mypy, yamllint, hadolint,
shellcheck) and LMTOOLS_NODE (npm prefix with eslint, typescript-eslint,
@eslint/js, markdownlint-cli2); defaults are /tmp/lmtools/py/bin and
/tmp/lmtools/node. linters.d/eslint.config.mjs is copied into LMTOOLS_NODE.
Each tool can also be named one by one: LMTOOL_RUFF, LMTOOL_MYPY, LMTOOL_ESLINT,
LMTOOL_HADOLINT, LMTOOL_SHELLCHECK, LMTOOL_YAMLLINT, LMTOOL_MARKDOWNLINT_CLI2, and
LMTOOL_ESLINT_CONFIG (a copy of linters.d/eslint.config.mjs beside eslint's node_modules);
the integration tests use these to point at lintmux's own pinned installs.
"""
import json, os, re, subprocess, sys, tempfile, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(sys.argv[1])
PY = os.environ.get("LMTOOLS_PY", "/tmp/lmtools/py/bin") + "/"
NODE = os.environ.get("LMTOOLS_NODE", "/tmp/lmtools/node")
NB = NODE + "/node_modules/.bin/"
ESLINT_CONFIG = os.environ.get("LMTOOL_ESLINT_CONFIG")
if not ESLINT_CONFIG:
    ESLINT_CONFIG = os.path.join(NODE, "eslint.config.mjs")
    shutil.copyfile(os.path.join(HERE, "..", "..", "linters.d", "eslint.config.mjs"), ESLINT_CONFIG)


def tool(name, default_dir):
    return os.environ.get("LMTOOL_" + name.upper().replace("-", "_")) or default_dir + name
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
for name, lst in [("python", py), ("ts", ts), ("docker", docker), ("shell", sh), ("yaml", yml), ("md", md)]:
    print(f"# {name}: {' '.join(lst)}", file=sys.stderr)

def run(argv):
    p = subprocess.run(argv, capture_output=True, text=True)
    if p.stderr.strip():
        print(f"# stderr of {argv[0]} (rc={p.returncode}):\n{p.stderr.strip()}", file=sys.stderr)
    return p

def rel(path):
    return os.path.relpath(path, ROOT).replace(os.sep, "/") if os.path.isabs(path) else path

rows = []
r = run([tool("ruff", PY), "check", "--output-format=json", "--no-cache", "--no-fix", "--force-exclude", "--", *py])
for d in json.loads(r.stdout):
    rows.append(("ruff", d["code"], rel(d["filename"]), d["location"]["row"]))

cache = tempfile.mkdtemp(prefix="lm-mypy-")
r = run([tool("mypy", PY), "-O", "json", "--no-error-summary", "--cache-dir", cache, *py])
shutil.rmtree(cache)
for line in r.stdout.splitlines():
    d = json.loads(line)
    if d["severity"] != "error":
        print(f"# mypy {d['severity']}: {line}", file=sys.stderr)
        continue
    rows.append(("mypy", d["code"], rel(d["file"]), d["line"]))

r = run([tool("eslint", NB), "--format", "json", "--no-warn-ignored", "--config", ESLINT_CONFIG, *ts])
for f in json.loads(r.stdout):
    for m in f["messages"]:
        if m.get("ruleId") is None:
            print(f"# eslint message without rule: {f['filePath']}: {m['message']}", file=sys.stderr)
            continue
        rows.append(("eslint", m["ruleId"], rel(f["filePath"]), m["line"]))

r = run([tool("hadolint", PY), "--format", "json", "--no-fail", *docker])
for d in json.loads(r.stdout):
    rows.append(("hadolint", d["code"], rel(d["file"]), d["line"]))

r = run([tool("shellcheck", PY), "--format", "json1", *sh])
for d in json.loads(r.stdout)["comments"]:
    rows.append(("shellcheck", f"SC{d['code']}", rel(d["file"]), d["line"]))

r = run([tool("yamllint", PY), "--format", "parsable", "--", *yml])
for line in r.stdout.splitlines():
    m = re.match(r"^(.*?):(\d+):(\d+): \[(\w+)\] .* \(([\w-]+)\)$", line)
    if not m:
        print(f"# unparsed yamllint line: {line}", file=sys.stderr); continue
    rows.append(("yamllint", m.group(5), rel(m.group(1)), int(m.group(2))))

r = run([tool("markdownlint-cli2", NB), *[":" + f for f in md]])
for line in (r.stdout + r.stderr).splitlines():
    m = re.match(r"^(\S+?):(\d+)(?::\d+)? (?:error|warning) (MD\d+)/", line)
    if m:
        rows.append(("markdownlint-cli2", m.group(3), rel(m.group(1)), int(m.group(2))))

rows.sort(key=lambda t: (t[2], t[3], t[0], t[1]))
for t in rows:
    print("\t".join(map(str, t)))
