#!/usr/bin/env bash
# bench/image.sh [ENGINE] [N]: time from `<engine> run` to the report, on examples/polyglot-service, for
# lintmux's image (cold: no cache volume, so every linter runs) against a local cold run (the release build,
# the pinned tools already installed, an empty result cache). Median of N runs (default 5).
#
# Needs the image built as localhost/lintmux:test (bash .ci/image-test builds it) and the pinned tools
# installed locally (target/tmp/lintmux-cache, as .ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-podman}
n=${2:-5}
image=localhost/lintmux:test
"$engine" image inspect "$image" >/dev/null 2>&1 || { echo "bench: no $image in $engine: run bash .ci/image-test" >&2; exit 1; }
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -a examples/polyglot-service "$tmp/repo"
chmod -R a+rX "$tmp"
tools="$PWD/target/tmp/lintmux-cache/tools"
[ -d "$tools" ] || { echo "bench: no pinned tools in $tools: run lintmux install --all with LINTMUX_CACHE_DIR=target/tmp/lintmux-cache" >&2; exit 1; }

extra=()
[ "$engine" = docker ] && extra=(--tmpfs /tmp)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_of() { # command…: wall seconds (the exit status 1, findings, is expected)
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$t0" "$t1"
}
local_run() {
  rm -rf "$tmp/cache"
  (cd "$tmp/repo" && LINTMUX_CACHE_DIR="$tmp/cache" LINTMUX_TOOLS_DIR="$tools" "$OLDPWD/target/release/lintmux" check)
}
image_run() {
  "$engine" run --rm --network=none --read-only "${extra[@]}" -v "$tmp/repo:/src:ro" "$image" check
}
for _ in $(seq "$n"); do time_of local_run; done | median >"$tmp/local"
for _ in $(seq "$n"); do time_of image_run; done | median >"$tmp/image"
size=$("$engine" image inspect --format '{{.Size}}' "$image")
echo "engine $engine, median of $n, $(nproc) cores"
echo "image size                          $((size / 1000000)) MB"
echo "local cold run                      $(cat "$tmp/local") s"
echo "$engine run, no cache volume (cold)  $(cat "$tmp/image") s"
