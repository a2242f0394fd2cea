#!/usr/bin/env bash
# lintmux's language server in a real editor: a headless Neovim from Debian (0.7 on bookworm) with only
# its built-in vim.lsp client opens, edits, fixes and formats files of a checkout of
# examples/polyglot-service; tests/lsp/nvim/drive.py compares what it showed with `lintmux check`
# and `lintmux fmt`. Exits non-zero, saying what differed, on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v nvim >/dev/null; then
  echo "run-nvim: nvim is missing: installing Debian's neovim"
  { apt-get update -qq && apt-get install -y -qq neovim >/dev/null; } ||
    { echo "run-nvim: apt-get could not install neovim" >&2; exit 1; }
fi
for tool in nvim python3 git timeout; do
  command -v "$tool" >/dev/null || { echo "run-nvim: $tool is required" >&2; exit 1; }
done
python3 -c 'import tomllib' 2>/dev/null ||
  { echo "run-nvim: drive.py needs Python 3.11 or newer (tomllib); python3 is $(python3 --version 2>&1)" >&2; exit 1; }
echo "run-nvim: $(nvim --version | head -n 1) ($(command -v nvim))"

cargo build --quiet
export LINTMUX_CACHE_DIR="$PWD/target/tmp/lintmux-cache"
python3 tests/lsp/nvim/drive.py target/debug/lintmux tests/lsp/nvim/session.lua
