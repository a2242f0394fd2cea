#!/usr/bin/env bash
# Times lintmux on a repository against running the same pinned linters one after another by hand
# (tests/expected/regen.py, on lintmux's own pinned installs), and lintmux's own work alone (the walk and
# classification, `lintmux detect`). Prints the median of N runs of each.
#
#   bench/compare.sh [REPO] [N]      (default: examples/polyglot-service, 5)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "${1:-$here/examples/polyglot-service}" && pwd)"
runs="${2:-5}"

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
lintmux="$here/target/release/lintmux"
export LINTMUX_CACHE_DIR="${LINTMUX_CACHE_DIR:-$here/target/bench-cache}"
"$lintmux" install --all >/dev/null 2>&1

# tests/expected/regen.py runs the same pinned installs, found through LINTMUX_CACHE_DIR.

median() { # runs "$@" $runs times, prints the median wall time in seconds
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'
}

echo "repository: $repo ($(cd "$repo" && "$lintmux" detect | tail -n +2 | awk '{s+=$2} END {print s}') files to lint)"
echo "machine:    $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
echo "runs:       median of $runs"
echo
seq_t=$(median python3 "$here/tests/expected/regen.py" "$repo")
mux_t=$(cd "$repo" && median "$lintmux" check --no-cache)
mux1_t=$(cd "$repo" && median "$lintmux" check --no-cache -j 1)
(cd "$repo" && "$lintmux" check >/dev/null 2>&1 || true)
warm_t=$(cd "$repo" && median "$lintmux" check)
walk_t=$(cd "$repo" && median "$lintmux" detect)
printf '%-44s %8s\n' "what" "seconds"
printf '%-44s %8s\n' "the seven linters one by one, by hand" "$seq_t"
printf '%-44s %8s\n' "lintmux check --no-cache (-j $(nproc))" "$mux_t"
printf '%-44s %8s\n' "lintmux check --no-cache -j 1" "$mux1_t"
printf '%-44s %8s\n' "lintmux check, unchanged (result cache)" "$warm_t"
printf '%-44s %8s\n' "lintmux's own walk + classify (detect)" "$walk_t"
