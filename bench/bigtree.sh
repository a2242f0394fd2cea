#!/usr/bin/env bash
# Builds the big tree of lintmux's scale benchmark: a Python monorepo of N tracked files (default 90000;
# about 93% Python, 4% YAML, the rest Markdown, shell scripts, Dockerfiles and a few project files), a
# git repository with one commit. The same N gives the same bytes and the same commit id every time.
# bench/bigtree.py says what is in it.
#
#   bench/bigtree.sh DIR [N]       (DIR must not exist, or be empty)
#
# Needs python3 and git. Takes about half a minute on 2 cores (most of it writing files and the pack).
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 ]]; then echo "usage: bench/bigtree.sh DIR [N]" >&2; exit 2; fi
n="${2:-90000}"
if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then echo "bigtree.sh: N must be a positive integer, not '$n'" >&2; exit 2; fi
exec python3 "$(dirname "$0")/bigtree.py" "$1" "$n"
