#!/usr/bin/env bash
# End-to-end tests of `lintmux lsp` with pytest-lsp, a real LSP client, on copies of
# examples/polyglot-service. Exits non-zero if any test fails; no test is ever skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/tmp/lsp-venv
if [ ! -x "$venv/bin/python" ]; then
    mkdir -p target/tmp
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r tests/lsp/pytest/requirements.txt

cargo build --quiet
export LINTMUX_BIN="$PWD/target/debug/lintmux"
export LINTMUX_CACHE_DIR="$PWD/target/tmp/lintmux-cache"

# The linters the example's Python, TypeScript and shell files are linted and formatted with (CI has
# installed them all with `lintmux install --all`; alone, this installs what is missing).
"$LINTMUX_BIN" install ruff ruff-format mypy eslint prettier shellcheck shfmt typos-code detect-secrets

exec "$venv/bin/python" -m pytest tests/lsp/pytest "$@"
