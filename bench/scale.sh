#!/usr/bin/env bash
# lintmux at scale: the measures of issue 9, each side by side with what it is compared to and the ratio.
#
#   bench/scale.sh [TREE] [RUNS]      (TREE: the big tree, built by bench/bigtree.sh if missing; default
#                                      $TMPDIR/lintmux-bigtree-$BIGTREE_N; RUNS: default 3)
#
#   LINTMUX=path        the lintmux binary to measure (default: this checkout's `cargo build --release`)
#   BIGTREE_N=n         files in the big tree when it is built here (default 90000)
#   LINTMUX_CACHE_DIR   where lintmux's pinned linters are installed (default target/bench-cache); each
#                       measure runs with a cache directory of its own in a temporary directory, the pinned
#                       installs linked in, so nothing is written to the linted trees or to this cache
#                       (beyond `lintmux install` of a missing linter)
#   BENCH_KEEP=1        keep the temporary directory (logs, the hand-run scripts) and print its path
#
# The measures (each the median of RUNS timed runs, after one untimed run that warms the page cache):
#  1. `lintmux detect` on the big tree vs `fdfind -t f -H` (fd, Debian's fd-find): wall, user, sys.
#  2. `lintmux check --linters ruff --no-cache` on the big tree vs the pinned ruff alone on the same files
#     with the same argv: bench/handrun.py writes the script from linters.d/ruff.toml and the file list of
#     `lintmux detect --files`, cut into lintmux's batches (src/plan/schedule.rs: one share per CPU, each cut at
#     96 KiB of arguments), run -j $(nproc) at a time by xargs -P. That is lintmux's work with lintmux
#     taken out, so the ratio is lintmux's own cost. A second line runs ruff once on the directory with the
#     same flags (ruff's own walk and threads): what a person would type.
#  3. The same check again, nothing changed (warm result cache), vs `fdfind -t f -H`.
#  4. Peak RSS of lintmux on that warm run (GNU time's maximum resident set size: lintmux and any child it
#     waits for, such as git; no linter starts).
#  5. A cold full run, `lintmux check --no-cache` with an empty cache directory (its tools linked in), on
#     examples/polyglot-service copied to a temporary git repository, vs the same seven pinned linters with
#     the same argv on the same files, one process each, all started at once with `&` and `wait` (what
#     lefthook's `parallel: true` does, minus lefthook), mypy's cache emptied before each run.
#
# Outputs of every process (lintmux's report, each linter's stdout/stderr) go to files, never to a
# terminal. Needs bash, python3 (>= 3.11), git, GNU time (/usr/bin/time), fd (installed with apt-get when
# missing), cargo unless LINTMUX is given.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tree_arg="${1:-}"
runs="${2:-3}"
n_files="${BIGTREE_N:-90000}"
tools_cache="${LINTMUX_CACHE_DIR:-$here/target/bench-cache}"
say() { printf '%s\n' "$*" >&2; }
die() { printf 'scale.sh: %s\n' "$*" >&2; exit 2; }

[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$runs'"
python3 -c 'import tomllib' 2>/dev/null || die "python3 >= 3.11 (tomllib) is needed"
[[ -x /usr/bin/time ]] || die "GNU time is needed at /usr/bin/time (Debian: apt-get install time)"

work="$(mktemp -d "${TMPDIR:-/tmp}/lintmux-scale.XXXXXX")"
cleanup() { if [[ "${BENCH_KEEP:-0}" == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------------ tools
if [[ -n "${LINTMUX:-}" ]]; then
  lintmux="$(readlink -f "$LINTMUX")"
  [[ -x "$lintmux" ]] || die "LINTMUX=$LINTMUX is not an executable file"
else
  say "building lintmux (cargo build --release)..."
  cargo build --release --quiet --manifest-path "$here/Cargo.toml" >"$work/build.log" 2>&1 ||
    { tail -n 20 "$work/build.log" >&2; die "cargo build --release failed (output above)"; }
  lintmux="$here/target/release/lintmux"
fi
fd="$(command -v fdfind || true)"
if [[ -z "$fd" ]]; then
  say "installing fd (Debian fd-find)..."
  { apt-get update -qq && apt-get install -y -qq fd-find; } >"$work/apt.log" 2>&1 || true
  fd="$(command -v fdfind || true)"
  [[ -n "$fd" ]] || { tail -n 10 "$work/apt.log" >&2; die "fd is needed: apt-get install fd-find (as root) failed"; }
fi
linters=(ruff mypy eslint hadolint shellcheck yamllint markdownlint-cli2)
say "installing the pinned linters into $tools_cache (if missing)..."
LINTMUX_CACHE_DIR="$tools_cache" "$lintmux" install "${linters[@]}" >"$work/install.log" 2>&1 ||
  { tail -n 20 "$work/install.log" >&2; die "lintmux install failed (output above)"; }

# A cache directory of lintmux's own for one measure, the pinned installs linked in.
fresh_cache() { rm -rf "$1" && mkdir -p "$1" && ln -s "$tools_cache/tools" "$1/tools"; }

# -------------------------------------------------------------------------------------------- the tree
tree="${tree_arg:-${TMPDIR:-/tmp}/lintmux-bigtree-$n_files}"
if [[ ! -d "$tree/.git" ]]; then
  [[ ! -e "$tree" || -z "$(ls -A "$tree" 2>/dev/null)" ]] ||
    die "$tree exists but is not a git repository; give another directory or remove it"
  say "building the big tree in $tree ($n_files files)..."
  "$here/bench/bigtree.sh" "$tree" "$n_files" >"$work/bigtree.log" 2>&1 ||
    { cat "$work/bigtree.log" >&2; die "bench/bigtree.sh failed (output above)"; }
fi
tree="$(cd "$tree" && pwd)"
tree_state() { git -C "$1" status --porcelain --ignored 2>&1; }
tree_before="$(tree_state "$tree")"

# -------------------------------------------------------------------------------------------- timing
# measure KEY CMD...: RUNS timed runs (after an untimed one) of CMD with stdout/stderr to files; the
# medians go to wall[KEY], user[KEY], sys[KEY], rss[KEY] (MB); the last exit code to rc[KEY].
# PREPARE, when set, is run (untimed) before every run, warm-up included.
declare -A wall=() user=() sys=() rss=() rc=() load=() walls=()
median() { sort -g | awk '{a[NR]=$1} END {if (NR) printf "%.3f", (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
measure() {
  local key="$1"; shift
  local ws=() us=() ss=() ms=() i start end
  load[$key]="$(cut -d' ' -f1 /proc/loadavg)"
  for i in $(seq 0 "$runs"); do
    [[ -n "${PREPARE:-}" ]] && eval "$PREPARE"
    start=$(date +%s.%N)
    /usr/bin/time -f '%U %S %M' -o "$work/time.$key" "$@" >"$work/$key.out" 2>"$work/$key.err"
    rc[$key]=$?
    end=$(date +%s.%N)
    ((i == 0)) && continue
    ws+=("$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')")
    read -r u s m < <(tail -n 1 "$work/time.$key")
    us+=("$u"); ss+=("$s"); ms+=("$(awk -v k="$m" 'BEGIN {print k / 1024}')")
  done
  wall[$key]="$(printf '%s\n' "${ws[@]}" | median)"
  walls[$key]="$(printf '%s\n' "${ws[@]}" | awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}')"
  user[$key]="$(printf '%s\n' "${us[@]}" | median)"
  sys[$key]="$(printf '%s\n' "${ss[@]}" | median)"
  rss[$key]="$(printf '%s\n' "${ms[@]}" | median)"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f×", a / b; else print "-"}'; }
s2() { awk -v a="$1" 'BEGIN {printf "%.2f", a}'; }

# ------------------------------------------------------------------------------------------- measures
cd "$tree" || die "cannot enter $tree"
nproc_n="$(nproc)"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

say "1. detect vs fd..."
cache1="$work/cache-detect"; fresh_cache "$cache1"
LINTMUX_CACHE_DIR="$cache1" "$lintmux" detect --files >"$work/files.tsv" 2>"$work/detect-files.err" ||
  die "lintmux detect --files failed: $(head -c 400 "$work/detect-files.err")"
measure detect env LINTMUX_CACHE_DIR="$cache1" "$lintmux" detect
measure fd "$fd" -t f -H
# One line per file and type (a file has several): count the files.
n_detect="$(awk -F'\t' '$2 != "-" { print $1 }' "$work/files.tsv" | sort -u | wc -l)"
n_python="$(awk -F'\t' '$2 == "python"' "$work/files.tsv" | wc -l)"
n_fd="$(wc -l <"$work/fd.out")"

say "2. check --linters ruff --no-cache vs ruff alone..."
cache2="$work/cache-ruff"; fresh_cache "$cache2"
measure check_cold env LINTMUX_CACHE_DIR="$cache2" "$lintmux" check --linters ruff --no-cache --format json
python3 "$here/bench/handrun.py" "$here/linters.d" "$tools_cache/tools" "$tree" "$work/scratch-ruff" \
  "$work/files.tsv" "$work/hand-ruff" batches "$nproc_n" ruff >"$work/hand-ruff.plan" 2>&1 ||
  die "bench/handrun.py failed: $(cat "$work/hand-ruff.plan")"
measure ruff_batches bash "$work/hand-ruff/run.sh"
# ruff on the directory: the argv of linters.d/ruff.toml with `.` for the files
ruff_bin="$(python3 - "$here/linters.d/ruff.toml" "$tools_cache/tools" <<'PY'
import glob, os, sys, tomllib
d = tomllib.load(open(sys.argv[1], "rb"))
print(sorted(glob.glob(os.path.join(sys.argv[2], f"ruff-{d['version']['pin']}-*/venv/bin/ruff")))[0])
PY
)"
[[ -x "$ruff_bin" ]] || die "no pinned ruff in $tools_cache/tools; run: LINTMUX_CACHE_DIR=$tools_cache $lintmux install ruff"
ruff_flags=(check --output-format=json --no-cache --no-fix --force-exclude --)
grep -q '^command = \["ruff", "check", "--output-format=json", "--no-cache", "--no-fix", "--force-exclude", "--", "{files}"\]' \
  "$here/linters.d/ruff.toml" || say "warning: linters.d/ruff.toml's command changed; update ruff_flags in bench/scale.sh"
measure ruff_dir env NO_COLOR=1 FORCE_COLOR=0 PYTHONDONTWRITEBYTECODE=1 "$ruff_bin" "${ruff_flags[@]}" .
# the same findings? (lintmux's JSON report vs the hand-run's ruff JSON)
count_check="$(python3 - "$work/check_cold.out" "$work/hand-ruff" "$work/ruff_dir.out" <<'PY'
import glob, json, sys
mux = sum(1 for f in json.load(open(sys.argv[1]))["findings"] if f["linter"] == "ruff")
hand = sum(len(json.load(open(p))) for p in glob.glob(sys.argv[2] + "/ruff-*.out"))
whole = len(json.load(open(sys.argv[3])))
print(f"ruff findings: lintmux {mux}, hand-run batches {hand}, ruff on the directory {whole}")
PY
)" || count_check="ruff findings: could not be counted (see the outputs)"

say "3. the same check again, warm, vs fd..."
LINTMUX_CACHE_DIR="$cache2" "$lintmux" check --linters ruff >/dev/null 2>&1   # fills the result cache
measure check_warm env LINTMUX_CACHE_DIR="$cache2" "$lintmux" check --linters ruff --format json
warm_runs_linter="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["summary"])' "$work/check_warm.out" 2>/dev/null)"

say "5. cold full run on examples/polyglot-service vs the seven linters at once..."
poly="$work/polyglot-service"
mkdir -p "$poly"
if ! { tar -C "$here/examples/polyglot-service" --exclude=./.git -cf - . | tar -C "$poly" -xf - &&
       git -C "$poly" init -q && git -C "$poly" add -A &&
       git -C "$poly" -c user.name=bench -c user.email=bench@localhost -c commit.gpgsign=false \
         -c core.hooksPath=/dev/null commit -q -m snapshot; } >"$work/poly.log" 2>&1; then
  die "could not copy examples/polyglot-service: $(tail -n 5 "$work/poly.log")"
fi
poly_before="$(tree_state "$poly")"
cd "$poly" || die "cannot enter $poly"
cache5="$work/cache-poly"; fresh_cache "$cache5"
LINTMUX_CACHE_DIR="$cache5" "$lintmux" detect --files >"$work/poly-files.tsv" 2>/dev/null
python3 "$here/bench/handrun.py" "$here/linters.d" "$tools_cache/tools" "$poly" "$work/scratch-poly" \
  "$work/poly-files.tsv" "$work/hand-poly" together "$nproc_n" "${linters[@]}" >"$work/hand-poly.plan" 2>&1 ||
  die "bench/handrun.py failed: $(cat "$work/hand-poly.plan")"
# shellcheck disable=SC2016  # PREPARE is eval'ed by measure, expanded there
# The same seven linters on both sides (the service-repository linters have no hand-run counterpart here).
seven="ruff,mypy,eslint,hadolint,shellcheck,yamllint,markdownlint-cli2"
PREPARE='fresh_cache "$cache5"' measure poly_mux env LINTMUX_CACHE_DIR="$cache5" "$lintmux" check --no-cache --linters "$seven"
# shellcheck disable=SC2016
PREPARE='rm -rf "$work/scratch-poly"' measure poly_hand bash "$work/hand-poly/run.sh"
poly_linters="$(sed 's/\x1b\[[0-9;]*m//g' "$work/poly_mux.out" | awk '/^[a-z][a-z0-9-]* +[0-9][^ ]* +[a-z]/ {printf "%s%s", sep, $1; sep=" "}')"
poly_after="$(tree_state "$poly")"
cd "$tree" || true
tree_after="$(tree_state "$tree")"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------------------------------------ report
mem_gib="$(awk '/^MemTotal:/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)"
cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "lintmux scale benchmark (bench/scale.sh), $(date -u +%Y-%m-%d)"
echo "binary:   $("$lintmux" --version 2>/dev/null) (${lintmux#"$here/"})"
echo "machine:  $nproc_n cores${cpu:+ ($cpu)}, $mem_gib GiB, $(uname -sr)"
echo "load:     $load_start at the start, $load_end at the end (1, 5, 15 min); other work on the machine adds noise"
echo "tree:     $tree: $(git -C "$tree" ls-files | wc -l) tracked files, commit $(git -C "$tree" rev-parse --short HEAD);"
echo "          lintmux detect: $n_detect files to lint ($n_python Python); fd -t f -H lists $n_fd"
echo "tools:    $("$fd" --version), $("$ruff_bin" --version), GNU time $(/usr/bin/time --version 2>&1 | grep -o '[0-9.]*' | head -1)"
echo "runs:     median of $runs timed runs after one untimed; wall from the clock, user/sys/RSS from GNU time"
echo "          (user and sys include the children: the linters)"
echo
row() { printf '%-52s %9s %9s %8s  %s\n' "$@"; }
row "measure (seconds unless said)" "lintmux" "other" "ratio" "the other / load at the start"
row "1. detect, wall" "$(s2 "${wall[detect]}")" "$(s2 "${wall[fd]}")" "$(ratio "${wall[detect]}" "${wall[fd]}")" "fdfind -t f -H / ${load[detect]}"
row "   user" "$(s2 "${user[detect]}")" "$(s2 "${user[fd]}")" "$(ratio "${user[detect]}" "${user[fd]}")" ""
row "   sys" "$(s2 "${sys[detect]}")" "$(s2 "${sys[fd]}")" "$(ratio "${sys[detect]}" "${sys[fd]}")" ""
row "2. check --linters ruff --no-cache, wall" "$(s2 "${wall[check_cold]}")" "$(s2 "${wall[ruff_batches]}")" \
  "$(ratio "${wall[check_cold]}" "${wall[ruff_batches]}")" "ruff, lintmux's batches, -P $nproc_n / ${load[check_cold]}"
row "   user + sys" "$(s2 "$(awk -v a="${user[check_cold]}" -v b="${sys[check_cold]}" 'BEGIN {print a + b}')")" \
  "$(s2 "$(awk -v a="${user[ruff_batches]}" -v b="${sys[ruff_batches]}" 'BEGIN {print a + b}')")" \
  "$(ratio "$(awk -v a="${user[check_cold]}" -v b="${sys[check_cold]}" 'BEGIN {print a + b}')" \
           "$(awk -v a="${user[ruff_batches]}" -v b="${sys[ruff_batches]}" 'BEGIN {print a + b}')")" ""
row "   the same, vs ruff on the directory, wall" "$(s2 "${wall[check_cold]}")" "$(s2 "${wall[ruff_dir]}")" \
  "$(ratio "${wall[check_cold]}" "${wall[ruff_dir]}")" "ruff check <same flags> . / ${load[ruff_dir]}"
row "   user + sys" "" "$(s2 "$(awk -v a="${user[ruff_dir]}" -v b="${sys[ruff_dir]}" 'BEGIN {print a + b}')")" "" ""
row "3. the same check, warm (result cache), wall" "$(s2 "${wall[check_warm]}")" "$(s2 "${wall[fd]}")" \
  "$(ratio "${wall[check_warm]}" "${wall[fd]}")" "fdfind -t f -H / ${load[check_warm]}"
cpu() { awk -v a="${user[$1]}" -v b="${sys[$1]}" 'BEGIN {print a + b}'; }
row "   user + sys" "$(s2 "$(cpu check_warm)")" "$(s2 "$(cpu fd)")" "$(ratio "$(cpu check_warm)" "$(cpu fd)")" ""
row "4. peak RSS of that warm check (MB)" "$(awk -v a="${rss[check_warm]}" 'BEGIN {printf "%.1f", a}')" "" "" ""
row "5. cold full run, polyglot-service, wall" "$(s2 "${wall[poly_mux]}")" "$(s2 "${wall[poly_hand]}")" \
  "$(ratio "${wall[poly_mux]}" "${wall[poly_hand]}")" "seven linters, & + wait / ${load[poly_mux]}"
row "   user + sys" "$(s2 "$(awk -v a="${user[poly_mux]}" -v b="${sys[poly_mux]}" 'BEGIN {print a + b}')")" \
  "$(s2 "$(awk -v a="${user[poly_hand]}" -v b="${sys[poly_hand]}" 'BEGIN {print a + b}')")" "" ""
echo
echo "each timed run's wall (s): detect ${walls[detect]} · fd ${walls[fd]} · check cold ${walls[check_cold]} ·"
echo "  ruff batches ${walls[ruff_batches]} · ruff on the directory ${walls[ruff_dir]} · check warm ${walls[check_warm]} ·"
echo "  polyglot lintmux ${walls[poly_mux]} · polyglot by hand ${walls[poly_hand]}"
echo
echo "commands (in the tree's root; LINTMUX_CACHE_DIR a fresh directory with the pinned installs linked in):"
echo "  1. lintmux detect                                 | fdfind -t f -H"
echo "  2. lintmux check --linters ruff --no-cache --format json"
echo "     | bench/handrun.py batches: $(basename "$(dirname "$(dirname "$(dirname "$ruff_bin")")")")/venv/bin/ruff ${ruff_flags[*]} FILES..., lintmux's"
echo "       batches of the files of \`lintmux detect --files\`, $nproc_n at a time (xargs -P $nproc_n)"
echo "     | the same ruff ${ruff_flags[*]} . (ruff walks the tree itself)"
echo "  3. lintmux check --linters ruff --format json, after one run that fills the result cache | fdfind -t f -H"
echo "  5. lintmux check --no-cache --linters <the seven>, a fresh cache directory each run (mypy's cache too)"
echo "     | bench/handrun.py together: each linter's argv from linters.d on its files, all seven with & and wait,"
echo "       mypy's --cache-dir emptied each run"
echo
echo "checks:"
echo "  $count_check"
echo "  hand-run ruff on the big tree: $(cat "$work/hand-ruff.plan")"
echo "  warm check summary: $warm_runs_linter"
echo "  polyglot-service: lintmux ran $poly_linters; by hand: $(cat "$work/hand-poly.plan")"
echo "  exit codes (last run): detect ${rc[detect]}, fd ${rc[fd]}, check cold ${rc[check_cold]}, ruff batches ${rc[ruff_batches]}," \
     "ruff dir ${rc[ruff_dir]}, check warm ${rc[check_warm]}, polyglot lintmux ${rc[poly_mux]}, by hand ${rc[poly_hand]}"
[[ "$tree_before" == "$tree_after" ]] && echo "  big tree unchanged by the runs (git status --ignored)" ||
  echo "  WARNING: the big tree changed during the runs (git status --ignored differs)"
[[ "$poly_before" == "$poly_after" ]] && echo "  polyglot-service copy unchanged by the runs (git status --ignored)" ||
  echo "  WARNING: the polyglot-service copy changed during the runs (git status --ignored differs)"
