#!/usr/bin/env bash
# Times lintmux against pre-commit and lefthook running the same seven linters on a repository: the same
# pinned linter builds (from lintmux's cache), the same argv (from linters.d/*.toml), the same files.
#
#   bench/peers.sh [REPO] [N]      (default: examples/polyglot-service, 5)
#
# Three situations, each the median wall time of N runs:
#   cold   nothing cached: lintmux with an empty cache directory of its own (its tools linked in, and
#          `--no-cache` when lintmux has that flag), pre-commit with a fresh PRE_COMMIT_HOME, and every
#          mypy incremental cache removed;
#   warm   the same command again on the unchanged repository;
#   edit   the same command after appending a line to one Python file (restored, and all three re-run
#          untimed, after each measurement).
# lintmux runs `lintmux check`; pre-commit `run --all-files` with one `repo: local`, `language: system`
# hook per linter; lefthook `run pre-commit --all-files` with `parallel: true` and one command per linter.
#
# The repository is never touched: it is copied (without .git and without git-ignored files) to a
# temporary directory, committed there, and the pre-commit and lefthook configs are written into the
# copy, untracked and listed in .git/info/exclude, so that all three lint exactly the repository's files.
# The linters exit non-zero because they find defects; that is expected and timed like any other run.
#
# Tools: pre-commit from PyPI in a venv, lefthook from npm, both under target/bench-tools (versions:
# PRE_COMMIT_VERSION, LEFTHOOK_VERSION). Needs bash, python3 (>= 3.11, for tomllib), awk, git, node/npm.
# BENCH_KEEP=1 keeps the temporary directory (configs, logs) and prints its path.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo_in="${1:-$here/examples/polyglot-service}"
runs="${2:-5}"
pre_commit_version="${PRE_COMMIT_VERSION:-4.7.0}"
lefthook_version="${LEFTHOOK_VERSION:-2.2.2}"
bench_tools="$here/target/bench-tools"
export LINTMUX_CACHE_DIR="${LINTMUX_CACHE_DIR:-$here/target/bench-cache}"
export NO_COLOR=1

say() { printf '%s\n' "$*" >&2; }               # progress: stderr, not part of the results
fail_note() { printf '%s\n' "$*"; }             # errors: stdout, part of the results
tail_of() { sed 's/\x1b\[[0-9;]*m//g' "$1" | tail -n "${2:-15}" | sed 's/^/    | /'; }

if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then echo "peers.sh: N must be a positive integer, not '$runs'" >&2; exit 2; fi
if ! repo="$(cd "$repo_in" 2>/dev/null && pwd)"; then echo "peers.sh: no such directory: $repo_in" >&2; exit 2; fi
if ! python3 -c 'import tomllib' 2>/dev/null; then echo "peers.sh: python3 >= 3.11 (tomllib) is needed" >&2; exit 2; fi

work="$(mktemp -d "${TMPDIR:-/tmp}/lintmux-peers.XXXXXX")"
cleanup() {
  if [[ -n "${edit_backup:-}" && -f "${edit_backup:-}" ]]; then cp -p "$edit_backup" "$copy/$edit_file"; fi
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------- tools
declare -A available=() why_not=()
tools=(lintmux pre-commit lefthook)

say "building lintmux..."
lintmux="$here/target/release/lintmux"
if ! cargo build --release --quiet --manifest-path "$here/Cargo.toml" >"$work/build.log" 2>&1; then
  if [[ -x "$lintmux" ]]; then
    fail_note "note: cargo build --release failed; using the existing $lintmux"
    tail_of "$work/build.log" 8
  else
    fail_note "error: cargo build --release failed and there is no lintmux binary:"; tail_of "$work/build.log"; exit 1
  fi
fi
say "installing lintmux's pinned linters into $LINTMUX_CACHE_DIR..."
if ! "$lintmux" install --all >"$work/install.log" 2>&1; then
  fail_note "error: lintmux install --all failed:"; tail_of "$work/install.log"; exit 1
fi
available[lintmux]=1

say "installing pre-commit $pre_commit_version..."
pre_commit="$bench_tools/venv/bin/pre-commit"
if [[ ! -x "$pre_commit" ]] || [[ "$("$pre_commit" --version 2>/dev/null)" != "pre-commit $pre_commit_version" ]]; then
  { [[ -x "$bench_tools/venv/bin/python" ]] || python3 -m venv "$bench_tools/venv"; } >"$work/pre-commit-install.log" 2>&1 &&
    "$bench_tools/venv/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit==$pre_commit_version" \
      >>"$work/pre-commit-install.log" 2>&1
fi
if [[ -x "$pre_commit" ]] && [[ "$("$pre_commit" --version 2>/dev/null)" == "pre-commit $pre_commit_version" ]]; then
  available[pre-commit]=1
else
  why_not[pre-commit]="install failed"
  fail_note "error: pre-commit $pre_commit_version could not be installed (pip, PyPI):"; tail_of "$work/pre-commit-install.log"
fi

say "installing lefthook $lefthook_version..."
# The npm package's binary comes from a per-platform npm package (an optional dependency), not from a
# download outside the registry. --ignore-scripts: its postinstall would run `lefthook install` in the
# current git repository (this one). The native binary is run directly, not through the node wrapper.
lefthook_bin() {
  local os arch
  os="$(uname -s | tr '[:upper:]' '[:lower:]')"
  case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
  echo "$bench_tools/node_modules/lefthook-$os-$arch/bin/lefthook"
}
lefthook="$(lefthook_bin)"
if [[ ! -x "$lefthook" ]] || [[ "$("$lefthook" version 2>/dev/null)" != "$lefthook_version" ]]; then
  npm install --prefix "$bench_tools" --no-save --ignore-scripts --no-audit --no-fund \
    "lefthook@$lefthook_version" >"$work/lefthook-install.log" 2>&1
fi
if [[ -x "$lefthook" ]] && [[ "$("$lefthook" version 2>/dev/null)" == "$lefthook_version" ]]; then
  available[lefthook]=1
else
  why_not[lefthook]="install failed"
  fail_note "error: lefthook $lefthook_version could not be installed (npm; its binary comes in the optional"
  fail_note "       dependency lefthook-<os>-<arch>; if that is missing, npm skipped it):"
  tail_of "$work/lefthook-install.log"
fi

# ---------------------------------------------------------------------------------- the copy, configs
say "copying $repo..."
copy="$work/repo"
state="$work/state"                      # every tool's caches live here, outside the copy
mkdir -p "$copy" "$state"
if ! { tar -C "$repo" --exclude=./.git -cf - . | tar -C "$copy" -xf - &&
       git -C "$copy" init -q &&
       git -C "$copy" add -A &&
       git -C "$copy" -c user.name=lintmux-bench -c user.email=bench@localhost -c core.hooksPath=/dev/null \
         -c commit.gpgsign=false commit -q -m "benchmark snapshot" &&
       git -C "$copy" clean -fdXq; } >"$work/copy.log" 2>&1; then
  fail_note "error: could not copy and commit $repo:"; tail_of "$work/copy.log"; exit 1
fi
printf '%s\n' .pre-commit-config.yaml lefthook.yml >>"$copy/.git/info/exclude"
nfiles="$(git -C "$copy" ls-files | wc -l)"

# lintmux gets a cache directory of its own, its pinned tools linked in: emptying it empties every cache
# lintmux keeps (mypy's incremental cache, results) without touching the shared installs.
lmcache="$state/lintmux-cache"
reset_lintmux() { rm -rf "$lmcache" && mkdir -p "$lmcache" && ln -s "$LINTMUX_CACHE_DIR/tools" "$lmcache/tools"; }
reset_lintmux
lintmux_args=(check)
no_cache_flag=no
if "$lintmux" check --help 2>/dev/null | grep -q -- '--no-cache'; then no_cache_flag=yes; fi

gen="$work/gen.py"
cat >"$gen" <<'PY'
"""Writes .pre-commit-config.yaml and lefthook.yml for the seven linters, from linters.d/*.toml."""
import glob, json, os, shlex, sys, tomllib

linters_d, cache_tools, copy, state, mode = sys.argv[1:6]
LINTERS = ["ruff", "mypy", "eslint", "hadolint", "shellcheck", "yamllint", "markdownlint-cli2"]
# lintmux file type -> identify tags (pre-commit types_or), lefthook globs or MIME file_types
PRE_COMMIT = {"python": ["python", "pyi"], "javascript": ["javascript", "jsx"], "typescript": ["ts", "tsx"],
              "dockerfile": ["dockerfile"], "shell": ["shell"], "yaml": ["yaml"], "markdown": ["markdown"]}
LEFTHOOK_GLOB = {"python": ["**/*.py", "**/*.pyi"], "javascript": ["**/*.{js,jsx,mjs,cjs}"],
                 "typescript": ["**/*.{ts,tsx,mts,cts}"],
                 "dockerfile": ["**/Dockerfile", "**/Dockerfile.*", "**/Containerfile", "**/*.dockerfile", "**/*.Dockerfile"],
                 "yaml": ["**/*.yml", "**/*.yaml", "**/.yamllint"], "markdown": ["**/*.md", "**/*.markdown"]}
LEFTHOOK_MIME = {"shell": ["text/x-shellscript", "text/x-sh"]}   # by content: finds #!/bin/bash scripts without .sh

def q(s):  # a YAML double-quoted scalar (JSON strings are valid YAML)
    return json.dumps(s)

def tool_dir(name, pin):
    dirs = sorted(d for d in glob.glob(os.path.join(cache_tools, f"{name}-{pin}-*")) if os.path.isdir(d))
    dirs = dirs or sorted(d for d in glob.glob(os.path.join(cache_tools, f"{name}-[0-9]*")) if os.path.isdir(d))
    if not dirs:
        sys.exit(f"no pinned install of {name} in {cache_tools}")
    return dirs[0]

def binary(tdir, cmd):
    for sub in ("venv/bin", "node_modules/.bin"):
        p = os.path.join(tdir, sub, cmd)
        if os.access(p, os.X_OK):
            return p
    sys.exit(f"no {cmd} in {tdir}")

pc_hooks, lh_cmds, summary = [], [], []
for tool in ("pre-commit", "lefthook"):
    os.makedirs(os.path.join(state, tool), exist_ok=True)
for name in LINTERS:
    with open(os.path.join(linters_d, name + ".toml"), "rb") as f:
        d = tomllib.load(f)
    tdir = tool_dir(name, d.get("version", {}).get("pin", ""))
    template = d["command"]
    if template[-1] != "{files}" or template.count("{files}") != 1:
        sys.exit(f"{name}: command does not end with {{files}}: {template}")
    # as lintmux: a bundled default config when the repository has none, inserted before `--`/{files}
    extra = []
    if d.get("default_config") and not any(os.path.exists(os.path.join(copy, c)) for c in d.get("config_files", [])):
        cfg = os.path.join(tdir, os.path.basename(d["default_config"]))
        extra = [a.replace("{config}", cfg) for a in d.get("config_arg", [])]
    rest = template[1:-1]
    at = rest.index("--") if "--" in rest else len(rest)
    types = d["file_types"]
    for tool in ("pre-commit", "lefthook"):
        scratch = os.path.join(state, tool, name + "-scratch")
        args = [a.replace("{scratch}", scratch).replace("{root}", copy) for a in rest[:at] + extra + rest[at:]]
        argv = [binary(tdir, template[0])] + args
        file_arg = d.get("file_arg", "{file}")
        if file_arg != "{file}":   # markdownlint-cli2: ':' before each path (a literal path, not a glob)
            prefix, _, suffix = file_arg.partition("{file}")
            if suffix or "'" in prefix:
                sys.exit(f"{name}: file_arg {file_arg!r} not supported here")
            wrapper = os.path.join(state, "bin", f"{name}-files")
            os.makedirs(os.path.dirname(wrapper), exist_ok=True)
            with open(wrapper, "w") as f:
                f.write(f"#!/usr/bin/env bash\nexec {shlex.join(argv)} \"${{@/#/{prefix}}}\"\n")
            os.chmod(wrapper, 0o755)
            argv = [wrapper]
        if mode == "dry":   # records the files each hook is given, to check that all three lint the same
            argv = [sys.executable, os.path.join(state, "record.py"), os.path.join(state, "dry", f"{tool}.{name}")]
        if tool == "pre-commit":
            if not all(t in PRE_COMMIT for t in types):
                sys.exit(f"{name}: file types {types} not mapped for pre-commit")
            tags = [tag for t in types for tag in PRE_COMMIT[t]]
            pc_hooks.append(
                f"      - id: {name}\n        name: {name}\n        entry: {q(shlex.join(argv))}\n"
                f"        language: system\n        pass_filenames: true\n        types_or: [{', '.join(tags)}]\n"
                # a project-mode linter (mypy) must see all files in one process; pre-commit would split
                # the files across processes otherwise
                f"        require_serial: {'true' if d.get('mode') == 'project' else 'false'}\n")
        else:
            if all(t in LEFTHOOK_MIME for t in types):
                filt = f"      file_types: [{', '.join(q(m) for t in types for m in LEFTHOOK_MIME[t])}]\n"
            elif all(t in LEFTHOOK_GLOB for t in types):
                filt = f"      glob: [{', '.join(q(g) for t in types for g in LEFTHOOK_GLOB[t])}]\n"
            else:
                sys.exit(f"{name}: file types {types} not mapped for lefthook")
            lh_cmds.append(f"    {name}:\n      run: {q(shlex.join(argv) + ' {staged_files}')}\n{filt}")
            summary.append(f"{name}\t{' '.join(types)}")

with open(os.path.join(copy, ".pre-commit-config.yaml"), "w") as f:
    f.write("# generated by lintmux bench/peers.sh\nrepos:\n  - repo: local\n    hooks:\n" + "".join(pc_hooks))
with open(os.path.join(copy, "lefthook.yml"), "w") as f:
    f.write("# generated by lintmux bench/peers.sh\nglob_matcher: doublestar\npre-commit:\n  parallel: true\n"
            "  commands:\n" + "".join(lh_cmds))
with open(os.path.join(state, "linter-types.tsv"), "w") as f:
    f.write("\n".join(summary) + "\n")
PY
cat >"$state/record.py" <<'PY'
import sys
with open(sys.argv[1], "a") as f:
    f.writelines(a + "\n" for a in sys.argv[2:])
PY

gen_configs() { python3 "$gen" "$here/linters.d" "$LINTMUX_CACHE_DIR/tools" "$copy" "$state" "$1" 2>&1; }

# The commands measured. Each runs in the copy; output goes to a log.
run_tool() { # tool log
  case "$1" in
    lintmux) (cd "$copy" && LINTMUX_CACHE_DIR="$lmcache" exec "$lintmux" "${lintmux_args[@]}") ;;
    pre-commit) (cd "$copy" && PRE_COMMIT_HOME="$state/pre-commit-home" exec "$pre_commit" run --all-files --color never) ;;
    lefthook) (cd "$copy" && exec "$lefthook" run pre-commit --all-files --no-auto-install --no-tty --colors off) ;;
  esac >"$2" 2>&1
}
reset_tool() { # empties every cache the tool (and its mypy) keeps
  case "$1" in
    lintmux) reset_lintmux ;;
    pre-commit) rm -rf "$state/pre-commit-home" "$state/pre-commit/"*-scratch ;;
    lefthook) rm -rf "$state/lefthook/"*-scratch ;;
  esac
}

# ---------------------------------------------------------------- check: all three lint the same files
say "checking that the three lint the same files..."
if msg="$(gen_configs dry)"; then
  mkdir -p "$state/dry"
  [[ -n "${available[pre-commit]:-}" ]] && run_tool pre-commit "$work/dry-pre-commit.log"
  [[ -n "${available[lefthook]:-}" ]] && run_tool lefthook "$work/dry-lefthook.log"
  (cd "$copy" && "$lintmux" detect --files) >"$state/detect.tsv" 2>"$work/detect.log"
  files_check="$(python3 - "$state" "${available[pre-commit]:+pre-commit}" "${available[lefthook]:+lefthook}" <<'PY'
import os, sys
state, peers = sys.argv[1], [p for p in sys.argv[2:] if p]
types = dict(l.rstrip("\n").split("\t") for l in open(os.path.join(state, "linter-types.tsv")))
by_type = {}
for l in open(os.path.join(state, "detect.tsv")):
    path, t = l.split("\t")[:2]
    by_type.setdefault(t, set()).add(path)
counts, bad = [], []
for name, ts in types.items():
    want = set().union(*(by_type.get(t, set()) for t in ts.split()))
    counts.append(f"{name} {len(want)}")
    for p in peers:
        f = os.path.join(state, "dry", f"{p}.{name}")
        got = set(open(f).read().split("\n")) - {""} if os.path.exists(f) else set()
        if got != want:
            bad.append(f"  {name}: {p} lints {len(got)} files, lintmux {len(want)}"
                       + (f"; only {p}: {' '.join(sorted(got - want))}" if got - want else "")
                       + (f"; only lintmux: {' '.join(sorted(want - got))}" if want - got else ""))
print("files per linter: " + ", ".join(counts) + (" (the same in all three)" if not bad else ""))
print("\n".join(["MISMATCH in the files linted:"] + bad) if bad else "", end="")
PY
)"
  rm -rf "$state/dry" "$state/pre-commit-home"
else
  files_check="could not check the files linted: $msg"
fi
if ! msg="$(gen_configs real)"; then
  fail_note "error: could not write the pre-commit and lefthook configs: $msg"
  for t in pre-commit lefthook; do unset "available[$t]"; why_not[$t]="no config"; done
fi

# ------------------------------------------------------------------------------------------ measuring
now() { local t="$EPOCHREALTIME"; echo "${t/,/.}"; }
declare -A times=() rcs=() failed=()
ok_rc() { [[ "$1" == 0 || "$1" == 1 ]]; }   # all three: 0 clean, 1 findings (lintmux: 2 = a tool error)
timed() { # phase tool
  local log="$work/$1-$2.log" start end rc
  start="$(now)"; run_tool "$2" "$log"; rc=$?; end="$(now)"
  times[$1,$2]+="$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}') "
  [[ " ${rcs[$1,$2]:-} " == *" $rc "* ]] || rcs[$1,$2]+="$rc "
  if ! ok_rc "$rc" && [[ -z "${failed[$2]:-}" ]]; then
    failed[$2]=1
    fail_note "error: $2 exited $rc during the $1 runs (timed anyway); the end of its output:"; tail_of "$log"
  fi
  cp "$log" "$work/last-$2.log"
}
untimed() { run_tool "$1" "$work/untimed-$1.log"; }
active=()
for t in "${tools[@]}"; do [[ -n "${available[$t]:-}" ]] && active+=("$t"); done

load_start="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
say "cold runs..."
for i in $(seq "$runs"); do
  for t in "${active[@]}"; do
    reset_tool "$t"
    if [[ "$t" == lintmux && "$no_cache_flag" == yes ]]; then lintmux_args=(check --no-cache); fi
    timed cold "$t"
    lintmux_args=(check)
  done
done
say "warm runs..."
for t in "${active[@]}"; do untimed "$t"; done
for i in $(seq "$runs"); do for t in "${active[@]}"; do timed warm "$t"; done; done

edit_file="$(git -C "$copy" ls-files -- '*.py' | grep -v '__init__\.py$' | head -n 1)"
[[ -n "$edit_file" ]] || edit_file="$(git -C "$copy" ls-files -- '*.py' | head -n 1)"
if [[ -n "$edit_file" ]]; then
  say "one-file-edit runs ($edit_file)..."
  edit_backup="$work/edit-backup"
  cp -p "$copy/$edit_file" "$edit_backup"
  for i in $(seq "$runs"); do
    # a new line each time, so that no cache has seen this content before
    printf '# lintmux bench edit %s %s\n' "$i" "$(now)" >>"$copy/$edit_file"
    for t in "${active[@]}"; do timed edit "$t"; done
    cp -p "$edit_backup" "$copy/$edit_file"
    for t in "${active[@]}"; do untimed "$t"; done
  done
  rm -f "$edit_backup"; edit_backup=
fi

# -------------------------------------------------------------------------------------------- report
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {if (NR) printf "%.2f", (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2); else printf "-"}'; }
status_of() { # a one-line account of what each linter did in the tool's last run
  local log="$work/last-$1.log"
  [[ -f "$log" ]] || { echo "did not run"; return; }
  case "$1" in
    lintmux) sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '/^[a-z][a-z0-9-]* [0-9][^ ]* +[a-z]/ {printf "%s%s %s", sep, $1, $3; sep=", "}' ;;
    pre-commit) sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
      /^- hook id: / {id=$4} /^- exit code: / {rc[id]=$4}
      /\.\.\.\.(Passed|Failed|Skipped)/ {n=$0; sub(/\.\.\.+.*/, "", n); st=$0; sub(/.*\.\.\./, "", st); order[++k]=n; s[n]=st}
      END {for (i=1;i<=k;i++) {n=order[i]; printf "%s%s %s%s", (i>1?", ":""), n, s[n], (n in rc ? " (exit " rc[n] ")" : "")}}' ;;
    lefthook) sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
      /┃ +[^ ]+ ❯/ {for (i=1;i<=NF;i++) if ($i=="❯") cur=$(i-1)} /^exit status [0-9]+/ {rc[cur]=$3}
      /^(✓|✗) / {printf "%s%s %s%s", sep, $2, ($1=="✓"?"ok":"failed"), ($2 in rc ? " (exit " rc[$2] ")" : ""); sep=", "}' ;;
  esac
}
ver() { "$@" 2>/dev/null | head -n 1; }

echo "repository: $repo ($nfiles tracked files; copied to a temporary git repository)"
mem_gib="$(awk '/^MemTotal:/ {printf "%.0f", $2 / 1048576}' /proc/meminfo 2>/dev/null)"
cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null)"
echo "machine:    $(nproc) cores${cpu:+ ($cpu)}, ${mem_gib:-?} GiB, $(uname -sr)"
echo "load:       $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) at the end (1, 5, 15 min; other work on the machine adds noise)"
echo "runs:       median of $runs; edited file: ${edit_file:-none (no Python file)}"
echo "tools:      $("$lintmux" --version 2>/dev/null) (-j $(nproc); cold: an empty cache directory$( [[ "$no_cache_flag" == yes ]] && echo " and --no-cache"))"
for t in pre-commit lefthook; do
  if [[ -n "${available[$t]:-}" ]]; then
    case "$t" in
      pre-commit) echo "            $(ver "$pre_commit" --version) (PyPI, $bench_tools/venv)" ;;
      lefthook) echo "            lefthook $(ver "$lefthook" version) (npm, native binary from $(basename "$(dirname "$(dirname "$lefthook")")"))" ;;
    esac
  else
    echo "            $t: not available (${why_not[$t]})"
  fi
done
echo "            python $(python3 -c 'import platform; print(platform.python_version())'), node $(ver node --version), $(ver git --version)"
echo "commands:   lintmux check (cold: $( [[ "$no_cache_flag" == yes ]] && echo "check --no-cache" || echo "check")) · pre-commit run --all-files ·"
echo "            lefthook run pre-commit --all-files (parallel: true)"
echo "linters:    $(cd "$copy" && LINTMUX_CACHE_DIR="$lmcache" "$lintmux" linters 2>/dev/null | awk '/^[a-z]/ {n=$1} /binary:/ {printf "%s%s %s", sep, n, $NF; sep=", "}')"
echo "            (lintmux's pinned installs in $LINTMUX_CACHE_DIR/tools, used by all three)"
echo "$files_check"
echo
printf '%-14s %10s %10s %10s\n' "seconds" "${tools[@]}"
for phase in cold warm edit; do
  label=$phase; [[ $phase == edit ]] && label="one-file edit"
  row=()
  for t in "${tools[@]}"; do
    if [[ -z "${available[$t]:-}" ]]; then row+=("n/a")
    elif [[ -z "${times[$phase,$t]:-}" ]]; then row+=("-")
    else row+=("$(median <<<"${times[$phase,$t]}")$([[ -n "${failed[$t]:-}" ]] && echo '!')"); fi
  done
  printf '%-14s %10s %10s %10s\n' "$label" "${row[@]}"
done
echo
rc_list() { local v="${rcs[$1,$2]:--}"; echo "${v% }"; }
echo "exit codes (0 clean, 1 findings; !: a run exited otherwise, see the error above):"
for t in "${active[@]}"; do
  printf '  %-11s cold %s · warm %s · edit %s\n' "$t" "$(rc_list cold "$t")" "$(rc_list warm "$t")" "$(rc_list edit "$t")"
done
echo "each linter in the last run:"
for t in "${active[@]}"; do printf '  %-11s %s\n' "$t" "$(status_of "$t")"; done
