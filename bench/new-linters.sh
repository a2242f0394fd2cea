#!/usr/bin/env bash
# What the service-repository linters (actionlint, zizmor, check-jsonschema, typos, taplo, detect-secrets)
# add to a cold run: `lintmux check --no-cache` with the seven code linters only, with every default linter,
# and with the new ones only. Tools installed; median of N runs of each.
#
#   bench/new-linters.sh [REPO] [N]      (default: examples/polyglot-service, 5)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "${1:-$here/examples/polyglot-service}" && pwd)"
runs="${2:-5}"

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
lintmux="$here/target/release/lintmux"
export LINTMUX_CACHE_DIR="${LINTMUX_CACHE_DIR:-$here/target/bench-cache}"
"$lintmux" install --all >/dev/null 2>&1

seven="ruff,mypy,eslint,hadolint,shellcheck,yamllint,markdownlint-cli2"
new="actionlint,zizmor,check-jsonschema,typos,typos-code,taplo,detect-secrets"

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

echo "repository: $repo ($(cd "$repo" && "$lintmux" detect | tail -n +2 | awk '{s+=$2} END {print s}') files)"
echo "machine:    $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
echo "runs:       median of $runs"
echo
cd "$repo"
seven_t=$(median "$lintmux" check --no-cache --linters "$seven")
all_t=$(median "$lintmux" check --no-cache)
new_t=$(median "$lintmux" check --no-cache --linters "$new")
printf '%-52s %8s\n' "what" "seconds"
printf '%-52s %8s\n' "lintmux check --no-cache, the seven code linters" "$seven_t"
printf '%-52s %8s\n' "lintmux check --no-cache, every default linter" "$all_t"
printf '%-52s %8s\n' "lintmux check --no-cache, the new linters only" "$new_t"
echo
echo "each linter's wall time in the full run (lintmux's console summary):"
"$lintmux" check --no-cache 2>/dev/null | grep -E '^[a-z][a-z0-9-]+ [0-9.]+ +(ok|failed)' || true
