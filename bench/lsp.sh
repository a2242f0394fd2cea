#!/usr/bin/env bash
# `lintmux lsp` as an editor sees it (issue 19's goals), measured with a client over stdio
# (bench/lsp_client.py):
#
#   bench/lsp.sh [REPO FILE] [RUNS]   (default: a copy of examples/polyglot-service and app/handlers.py;
#                                      REPO FILE: a larger repository and a Python file in it, for example
#                                      the big tree of bench/bigtree.sh; RUNS: default 5)
#
#   LINTMUX=path        the lintmux binary to measure (default: this checkout's `cargo build --release`)
#   BENCH_LINTERS       only these linters (comma-separated, as --linters; the server's "linters" option),
#                       for a tree where the others would take minutes (mypy over 80,000 files)
#   LINTMUX_CACHE_DIR   where lintmux's pinned linters are installed (default target/bench-cache); the run
#                       gets a cache directory of its own, the pinned installs linked in
#
# 1. didSave of the Python file (changed on disk) to its publishDiagnostics, against the same linters run
#    by hand on the same file with lintmux's argv, at once (bench/handrun.py, `together`): the file-taking
#    linters on that file, the whole-project ones (mypy) on the project, their caches kept warm as
#    lintmux's are; and the same processes two at a time, as lintmux's pool runs them. The difference is
#    the median of each save less the hand-run right after it. Goal: at most the linters' own time plus
#    50 ms.
# 2. Reopening the unchanged file (didClose, didOpen) to its diagnostics. Goal: <= 50 ms (result cache).
# 3. 1,000 didChange in about a minute, in 50 bursts (debounce windows): runs started (the server's
#    `run N:` log lines) and diagnostics published; RSS before and after. Goal: at most one run per window,
#    RSS within 10%.
# 4. Idle RSS after initialize. Goal: <= 30 MB.
#
# The repository is a copy (the bench edits the file in it, as an editor saving it would); the source tree
# is never touched.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
say() { printf '%s\n' "$*" >&2; }
die() { printf 'lsp.sh: %s\n' "$*" >&2; exit 2; }

repo_arg="" file=""
if [[ $# -ge 2 && -d "$1" ]]; then repo_arg="$1" file="$2"; shift 2; fi
runs="${1:-5}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$runs'"
tools_cache="${LINTMUX_CACHE_DIR:-$here/target/bench-cache}"

work="$(mktemp -d "${TMPDIR:-/tmp}/lintmux-lsp.XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

if [[ -n "${LINTMUX:-}" ]]; then
  lintmux="$(readlink -f "$LINTMUX")"
else
  say "building lintmux (cargo build --release)..."
  cargo build --release --quiet --manifest-path "$here/Cargo.toml" >"$work/build.log" 2>&1 ||
    { tail -n 20 "$work/build.log" >&2; die "cargo build --release failed"; }
  lintmux="$here/target/release/lintmux"
fi
[[ -x "$lintmux" ]] || die "$lintmux is not an executable"
LINTMUX_CACHE_DIR="$tools_cache" "$lintmux" install --all >"$work/install.log" 2>&1 ||
  die "lintmux install --all failed: $(tail -n 5 "$work/install.log")"

# The repository: a git copy.
repo="$work/repo"
mkdir -p "$repo"
src="${repo_arg:-$here/examples/polyglot-service}"
file="${file:-app/handlers.py}"
say "copying $src..."
{ tar -C "$src" --exclude=./.git -cf - . | tar -C "$repo" -xf - && git -C "$repo" init -q && git -C "$repo" add -A &&
  git -C "$repo" -c user.name=bench -c user.email=bench@localhost -c commit.gpgsign=false \
    -c core.hooksPath=/dev/null commit -q -m snapshot; } >"$work/copy.log" 2>&1 ||
  die "could not copy $src: $(tail -n 5 "$work/copy.log")"
[[ -f "$repo/$file" ]] || die "$file is not a file of $src"
cache="$work/cache"
mkdir -p "$cache" && ln -s "$tools_cache/tools" "$cache/tools"
export LINTMUX_CACHE_DIR="$cache"

# The linters lintmux runs on the file, and the hand-run of the same.
cd "$repo" || die "cannot enter $repo"
only=()
[[ -n "${BENCH_LINTERS:-}" ]] && only=(--linters "$BENCH_LINTERS")
"$lintmux" check "$file" "${only[@]}" --format json >"$work/check.json" 2>"$work/check.err"
mapfile -t linters < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print("\n".join(l["name"] for l in r["linters"]))' "$work/check.json")
[[ ${#linters[@]} -gt 0 ]] || die "lintmux check $file ran no linter: $(tail -n 5 "$work/check.err")"
"$lintmux" detect --files >"$work/files.tsv" 2>/dev/null
project=() files=()
for l in "${linters[@]}"; do
  if grep -q '^mode = "project"' "$here/linters.d/$l.toml"; then project+=("$l"); else files+=("$l"); fi
done
awk -F'\t' -v f="$file" '$1 == f' "$work/files.tsv" >"$work/one.tsv"
: >"$work/hand.sh"
if [[ ${#files[@]} -gt 0 ]]; then
  python3 "$here/bench/handrun.py" "$here/linters.d" "$tools_cache/tools" "$repo" "$work/scratch" \
    "$work/one.tsv" "$work/hand-files" together 1 "${files[@]}" >"$work/hand-files.plan" 2>&1 ||
    die "bench/handrun.py failed: $(cat "$work/hand-files.plan")"
  echo "bash '$work/hand-files/run.sh' &" >>"$work/hand.sh"
fi
if [[ ${#project[@]} -gt 0 ]]; then
  python3 "$here/bench/handrun.py" "$here/linters.d" "$tools_cache/tools" "$repo" "$work/scratch" \
    "$work/files.tsv" "$work/hand-project" together 1 "${project[@]}" >"$work/hand-project.plan" 2>&1 ||
    die "bench/handrun.py failed: $(cat "$work/hand-project.plan")"
  echo "bash '$work/hand-project/run.sh' &" >>"$work/hand.sh"
fi
echo wait >>"$work/hand.sh"
# The same processes through a pool as wide as lintmux's (`-j`, one per CPU), whole-project jobs first as
# lintmux orders them: what the linters cost under the bound lintmux keeps.
jobs="$(nproc)"
: >"$work/pool.list"
if [[ ${#project[@]} -gt 0 ]]; then
  python3 "$here/bench/handrun.py" "$here/linters.d" "$tools_cache/tools" "$repo" "$work/scratch" \
    "$work/files.tsv" "$work/pool-project" batches "$jobs" "${project[@]}" >/dev/null 2>&1 ||
    die "bench/handrun.py (pool) failed"
  ls "$work"/pool-project/job-*.sh >>"$work/pool.list"
fi
if [[ ${#files[@]} -gt 0 ]]; then
  python3 "$here/bench/handrun.py" "$here/linters.d" "$tools_cache/tools" "$repo" "$work/scratch" \
    "$work/one.tsv" "$work/pool-files" batches "$jobs" "${files[@]}" >/dev/null 2>&1 ||
    die "bench/handrun.py (pool) failed"
  ls "$work"/pool-files/job-*.sh >>"$work/pool.list"
fi
printf 'export NO_COLOR=1 FORCE_COLOR=0 PYTHONDONTWRITEBYTECODE=1\nxargs -P %s -n 1 bash <%q\nexit 0\n' \
  "$jobs" "$work/pool.list" >"$work/pool.sh"
bash "$work/hand.sh" # warms the hand-run's caches (mypy's), as lintmux's first run warms its own

say "measuring (${linters[*]} on $file, $runs runs)..."
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/bench/lsp_client.py" "$lintmux" "$repo" "$file" "$work/hand.sh" "$runs" "$work/pool.sh" >"$work/out.txt" ||
  die "bench/lsp_client.py failed: $(tail -n 5 "$work/out.txt")"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
val() { awk -v k="$1" '$1 == k {print $2}' "$work/out.txt"; }
cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "lintmux lsp, $(basename "$src") ($(git -C "$repo" ls-files | wc -l) files), $file; $(nproc) CPUs ($cpu); load $load_start -> $load_end"
echo "linters on the file: ${linters[*]}"
printf '%-46s %10s   %s\n' "measure" "lintmux" "compared with"
printf '%-46s %8s ms   %s ms by hand (+%s ms; goal +50)\n' "1. didSave -> publishDiagnostics (median)" \
  "$(val save_ms)" "$(val hand_ms)" "$(val save_minus_hand_ms)"
printf '%-46s %8s      %s ms by hand, %s at a time as in the pool (+%s ms)\n' "" "" \
  "$(val hand_pool_ms)" "$jobs" "$(val save_minus_pool_ms)"
printf '%-46s %8s ms   goal <= 50 ms\n' "2. reopen unchanged -> publishDiagnostics" "$(val reopen_ms)"
read -r _ _ _ in_s _ windows < <(grep '^typing_changes' "$work/out.txt")
read -r _ truns _ tpub < <(grep '^typing_runs' "$work/out.txt")
read -r _ rb ra rpct < <(grep '^typing_rss_kb' "$work/out.txt")
printf '%-46s %8s      %s windows; %s published; goal <= 1 run per window\n' "3. 1,000 didChange in ${in_s} s: runs" "$truns" "$windows" "$tpub"
printf '%-46s %8s MB   %s MB before (%s; goal within 10%%)\n' "   RSS after" "$(awk -v k="$ra" 'BEGIN {printf "%.1f", k / 1024}')" \
  "$(awk -v k="$rb" 'BEGIN {printf "%.1f", k / 1024}')" "$rpct"
printf '%-46s %8s MB   goal <= 30 MB\n' "4. idle RSS after initialize" "$(awk -v k="$(val idle_rss_kb)" 'BEGIN {printf "%.1f", k / 1024}')"
printf '%-46s %8s MB\n' "   RSS with the file open and linted" "$(awk -v k="$(val open_rss_kb)" 'BEGIN {printf "%.1f", k / 1024}')"
echo "all didSave runs (ms): $(grep '^save_ms' "$work/out.txt" | cut -d' ' -f4-)"
echo "all hand runs (ms):    $(grep '^hand_ms' "$work/out.txt" | cut -d' ' -f4-)"
echo "all pool hand runs:    $(grep '^hand_pool_ms' "$work/out.txt" | cut -d' ' -f4-)"
echo "all reopens (ms):      $(grep '^reopen_ms' "$work/out.txt" | cut -d' ' -f4-)"
echo "server exit code after shutdown/exit: $(val exit_code)"
