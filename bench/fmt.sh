#!/usr/bin/env bash
# `lintmux fmt --check` on real projects vs the same pinned formatters run by hand one after another.
#
#   bench/fmt.sh [RUNS] > bench/results-fmt.txt        (RUNS: default 3)
#
#   LINTMUX=path        the lintmux binary to measure (default: this checkout's `cargo build --release`)
#   LINTMUX_CACHE_DIR   where lintmux's pinned formatters are installed (default target/bench-cache); each
#                       measure runs with a cache directory of its own in a temporary directory, the pinned
#                       installs linked in, so nothing is written to this cache (beyond `lintmux install`)
#   BENCH_SRC=dir       where the two source archives are kept (default target/bench-src); fetched with pip
#                       and npm when missing, checked against the SHA-256 below either way
#   BENCH_KEEP=1        keep the temporary directory (outputs, the hand-run scripts) and print its path
#
# The tree: two real projects unpacked side by side in a temporary directory (not a git repository):
#   black 25.1.0, the sdist from PyPI (Python, Markdown, YAML, TOML, JSON; its tests/data holds many files
#     that are deliberately unformatted and a few that no parser accepts), and
#   bats 1.13.0, the package from npm (bats-core: Bash scripts, most named by their `#!` line; Markdown, JSON).
# The formatters: ruff-format, prettier, shfmt and taplo-format, named with -l so they run on every file of
# their types although the tree configures few of them.
#
# The measures (each the median of RUNS timed runs, after one untimed run that warms the page cache):
#  a. lintmux cold: `lintmux fmt --check --all --no-cache -l <the four> --root TREE TREE`, a fresh cache
#     directory (the pinned installs linked in) before every run.
#  b. lintmux warm: the same without --no-cache, in one cache directory that the untimed run fills, nothing
#     changed in between (the result cache answers).
#  c. the baseline: the four formatters' own check commands, one after another, each once over all its files
#     (hand/run.sh). Each argv is the definition's `command` from linters.d/<name>.toml with `{files}`
#     replaced by every file of the definition's `file_types` in `lintmux detect --files` (the same file
#     sets lintmux gives them: the walk's .gitignore handling included; checked against the `files` of
#     `lintmux check --format json`), the binary the pinned install in the tools cache, run in the tree's
#     root with the environment lintmux gives a tool (NO_COLOR=1 FORCE_COLOR=0 PYTHONDONTWRITEBYTECODE=1
#     LANG=C.UTF-8). What each side does:
#       lintmux: runs each formatter's check command (in batches), then, to compute the unified diff it
#         prints, has the formatter print every file it listed formatted ([format] print, the file on
#         stdin: one process per file that would change), all under its supervisor, -j $(nproc);
#         taplo-format is not listed (`list = false`: taplo can lose its listing), so every TOML file is
#         printed;
#       baseline: only the four check commands (lists of files, no diffs), one process each, one at a time.
#  d. the baseline plus those prints: c, then the same `[format] print` argv for every file the baseline
#     found unformatted, $(nproc) at a time (hand/prints.sh): lintmux's work with lintmux taken out.
#
# Checks (untimed): how many files each formatter would change by lintmux (the diffs of run a, and the
# findings of one `lintmux check --format json`) and by the baseline, as sets, with the files each cannot
# parse and lintmux's tool errors; that the --check runs wrote nothing; and that `lintmux fmt --all` (which
# writes) leaves a copy of the tree byte for byte as the four formatters' own write modes leave another.
#
# Needs bash, python3 (>= 3.11), GNU time (/usr/bin/time), pip and npm (only to fetch missing archives),
# cargo unless LINTMUX is given.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
tools_cache="${LINTMUX_CACHE_DIR:-$here/target/bench-cache}"
src_cache="${BENCH_SRC:-$here/target/bench-src}"
say() { printf '%s\n' "$*" >&2; }
die() { printf 'fmt.sh: %s\n' "$*" >&2; exit 2; }

# The projects, pinned: name, version, archive, SHA-256 of the archive.
black_version=25.1.0
black_archive="black-$black_version.tar.gz"
black_sha256=33496d5cd1222ad73391352b4ae8da15253c5de89b93a80b3e2c8d9a19ec2666
bats_version=1.13.0
bats_archive="bats-$bats_version.tgz"
bats_sha256=b7ae290dbc7e44709d5e3430698f3048a978bef871c6063f5fca49a20e5aaf58
formatters=(ruff-format prettier shfmt taplo-format)
formatters_csv="$(IFS=,; echo "${formatters[*]}")"

[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$runs'"
python3 -c 'import tomllib' 2>/dev/null || die "python3 >= 3.11 (tomllib) is needed"
[[ -x /usr/bin/time ]] || die "GNU time is needed at /usr/bin/time (Debian: apt-get install time)"

work="$(mktemp -d "${TMPDIR:-/tmp}/lintmux-fmt.XXXXXX")"
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
say "installing the pinned formatters into $tools_cache (if missing)..."
mkdir -p "$tools_cache"
# Run outside any repository, so no lintmux.toml but lintmux's own definitions is read.
(cd "$work" && LINTMUX_CACHE_DIR="$tools_cache" "$lintmux" install "${formatters[@]}") >"$work/install.log" 2>&1 ||
  { tail -n 20 "$work/install.log" >&2; die "lintmux install failed (output above)"; }

# A cache directory of lintmux's own for one measure, the pinned installs linked in.
fresh_cache() { rm -rf "$1" && mkdir -p "$1" && ln -s "$tools_cache/tools" "$1/tools"; }

# ------------------------------------------------------------------------------------------- the tree
mkdir -p "$src_cache"
if [[ ! -f "$src_cache/$black_archive" ]]; then
  say "fetching black $black_version (pip download, sdist)..."
  pip download --quiet --no-deps --no-binary :all: -d "$src_cache" "black==$black_version" >"$work/pip.log" 2>&1 ||
    { tail -n 10 "$work/pip.log" >&2; die "pip download black==$black_version failed (output above)"; }
fi
if [[ ! -f "$src_cache/$bats_archive" ]]; then
  say "fetching bats $bats_version (npm pack)..."
  npm pack --silent "bats@$bats_version" --pack-destination "$src_cache" >"$work/npm.log" 2>&1 ||
    { tail -n 10 "$work/npm.log" >&2; die "npm pack bats@$bats_version failed (output above)"; }
fi
echo "$black_sha256  $src_cache/$black_archive" | sha256sum -c --quiet - >/dev/null 2>&1 ||
  die "$src_cache/$black_archive is not the pinned archive (SHA-256 differs); remove it to fetch it again"
echo "$bats_sha256  $src_cache/$bats_archive" | sha256sum -c --quiet - >/dev/null 2>&1 ||
  die "$src_cache/$bats_archive is not the pinned archive (SHA-256 differs); remove it to fetch it again"
tree="$work/tree"
mkdir -p "$tree/bats-$bats_version"
if ! { tar -C "$tree" -xzf "$src_cache/$black_archive" &&
       tar -C "$tree/bats-$bats_version" -xzf "$src_cache/$bats_archive" --strip-components=1; }; then
  die "could not unpack the archives"
fi
# A digest of every file's path, mode and bytes: the --check runs must change none.
tree_state() { (cd "$1" && find . -type f -printf '%p %m\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }
tree_before="$(tree_state "$tree")"


# ------------------------------------------------------------------------------------------- the helper
# Writes the hand-run scripts and reads every side's output; embedded so the bench is one file.
cat >"$work/fmtbench.py" <<'PY'
import glob, json, os, re, shlex, sys, tomllib

ENV = "export NO_COLOR=1 FORCE_COLOR=0 PYTHONDONTWRITEBYTECODE=1 LANG=C.UTF-8"
# Each formatter's own write mode, for the write check (not in linters.d: lintmux writes what `print` printed).
WRITE = {
    "ruff-format": ["format", "--no-cache", "--force-exclude", "--", "{files}"],
    "prettier": ["--write", "--ignore-unknown", "--no-error-on-unmatched-pattern", "{files}"],
    "shfmt": ["--write", "{files}"],
    "taplo-format": ["fmt", "--colors", "never", "{files}"],
}


def files_of(hand, name):
    return [l.rstrip("\n") for l in open(os.path.join(hand, name + ".files"), encoding="utf-8") if l.strip()]


def script(hand, names, argv_of, what):
    """A script `S TREE OUTDIR` that runs each formatter once on all its files, one after another."""
    bins = json.load(open(os.path.join(hand, "bins.json")))
    lines = ["#!/usr/bin/env bash", f"# Generated by bench/fmt.sh: {what}, one after another.", ENV,
             f"h={shlex.quote(hand)}", 'o="$2"; mkdir -p "$o"', 'cd "$1" || exit 2']
    for name in names:
        argv = [shlex.quote(bins[name])] + ['"${f[@]}"' if a == "{files}" else shlex.quote(a) for a in argv_of(name)]
        lines += [f'mapfile -t f <"$h/{name}.files"',
                  f's=$(date +%s.%N); {" ".join(argv)} >"$o/{name}.out" 2>"$o/{name}.err"; echo $? >"$o/{name}.rc"',
                  f'echo "$s $(date +%s.%N)" >>"$o/{name}.times"']
    return "\n".join(lines + ["exit 0"]) + "\n"


def plan(defs, tools, tsv, hand, *names):
    by_type = {}
    for line in open(tsv, encoding="utf-8"):
        path, typ = line.rstrip("\n").split("\t")[:2]
        by_type.setdefault(typ, set()).add(path)
    bins, said, check = {}, [], {}
    for name in names:
        d = tomllib.load(open(os.path.join(defs, name + ".toml"), "rb"))
        exe, pin = d["command"][0], d["version"]["pin"]
        # The install's name: ruff-format shares ruff's ([install] name).
        inst = d.get("install", {}).get("name", name)
        found = sorted(glob.glob(os.path.join(tools, f"{inst}-{pin}-*", "venv", "bin", exe)) +
                       glob.glob(os.path.join(tools, f"{inst}-{pin}-*", "node_modules", ".bin", exe)))
        if not found:
            sys.exit(f"no pinned {exe} {pin} for {name} in {tools}")
        bins[name] = found[0]
        check[name] = d["command"][1:]
        files = sorted(set().union(*(by_type.get(t, set()) for t in d["file_types"])))
        if any("\n" in f for f in files):
            sys.exit(f"{name}: a file name with a line break; the hand-run lists are one name a line")
        with open(os.path.join(hand, name + ".files"), "w", encoding="utf-8") as f:
            f.writelines(p + "\n" for p in files)
        json.dump(d["format"]["print"], open(os.path.join(hand, name + ".print"), "w"))
        said.append(f"{name} {len(files)} ({', '.join(t for t in d['file_types'] if t in by_type)})")
    json.dump(bins, open(os.path.join(hand, "bins.json"), "w"))
    json.dump(check, open(os.path.join(hand, "check.json"), "w"))
    open(os.path.join(hand, "run.sh"), "w").write(
        script(hand, names, lambda n: check[n], "the formatters' own check commands (linters.d `command`)"))
    for name in names:
        open(os.path.join(hand, f"run-{name}.sh"), "w").write(
            script(hand, [name], lambda n: check[n], f"{name}'s own check command (linters.d `command`)"))
    open(os.path.join(hand, "write.sh"), "w").write(
        script(hand, names, lambda n: WRITE[n], "the formatters' own write modes"))
    print(", ".join(said))


def rel(tree, path):
    return os.path.relpath(path, tree) if os.path.isabs(path) else path


def baseline(out, tree, name):
    """(files it would change, files it cannot parse, other lines) from a formatter's own check output."""
    read = lambda ext: open(os.path.join(out, f"{name}.{ext}"), encoding="utf-8", errors="replace").read().splitlines()
    changed, bad, other = set(), set(), []
    if name == "ruff-format":  # --output-format=concise: path:line:col: rule: message, on stdout
        for l in read("out"):
            m = re.match(r"^(.+?):\d+:\d+: ([\w-]+): ", l)
            if m and m.group(2) == "unformatted":
                changed.add(m.group(1))
            elif m and m.group(2) == "invalid-syntax":
                bad.add(m.group(1))
            elif l and not re.match(r"^\d+ files? ", l):
                other.append(l)
        other += [l for l in read("err") if l.strip()]
    elif name == "prettier":  # --list-different: one path a line; [error] path: SyntaxError… on stderr
        changed = {l for l in read("out") if l.strip()}
        for l in read("err"):
            m = re.match(r"^\[error\] (.+?): ", l)
            if m:
                bad.add(m.group(1))
            elif l.strip() and not l.startswith("[error]"):
                other.append(l)
    elif name == "shfmt":  # --list: one path a line; path:line:col: message on stderr
        changed = {l for l in read("out") if l.strip()}
        for l in read("err"):
            m = re.match(r"^(.+?):\d+:\d+: ", l)
            if m:
                bad.add(m.group(1))
            elif l.strip():
                other.append(l)
    elif name == "taplo-format":  # log lines on stderr; a file it cannot parse: an `error: invalid TOML` block
        for l in read("err"):
            m = re.search(r'the file is not properly formatted path="([^"]+)"', l)
            n = re.search(r"┌─ (.+?):\d+:\d+$", l)
            if m:
                changed.add(rel(tree, m.group(1)))
            elif n:
                bad.add(rel(tree, n.group(1)))
    else:
        sys.exit(f"no parser for {name}'s own output")
    return changed, bad, other


def lintmux_fmt(stdout, stderr, names):
    """From `lintmux fmt --check`: the files with a diff; per formatter, findings without a diff; tool errors."""
    lines = open(stdout, encoding="utf-8", errors="replace").read().splitlines()
    diffs = {lines[i][6:] for i in range(len(lines) - 1)
             if lines[i].startswith("--- a/") and lines[i + 1] == "+++ b/" + lines[i][6:]}
    nodiff, failed, summary = {n: set() for n in names}, {}, ""
    for l in open(stderr, encoding="utf-8", errors="replace").read().splitlines():
        m = re.match(r"^(.+?):\d+:\d+: (\S+) ([\w-]+): ", l)
        f = re.match(r"^lintmux: (\S+) failed \((\w+)\)", l)
        if m and m.group(2) in nodiff:
            nodiff[m.group(2)].add((m.group(1), m.group(3)))
        elif f:
            failed[f.group(1)] = f.group(2)
        elif re.match(r"^lintmux: \d+ of \d+ files", l):
            summary = l[len("lintmux: "):]
    return diffs, nodiff, failed, summary


def prints(hand, out, jobs, target, runner, *names):
    """hand/TARGET TREE OUTDIR: hand/RUNNER (check commands), then the print of each file the baseline
    found unformatted, JOBS at a time (as lintmux prints what the checks listed)."""
    bins = json.load(open(os.path.join(hand, "bins.json")))
    tree = open(os.path.join(hand, "tree")).read().strip()
    lines = ["#!/usr/bin/env bash", "# Generated by bench/fmt.sh: the check commands, then each file they listed printed formatted.",
             f"bash {shlex.quote(os.path.join(hand, runner))} \"$1\" \"$2\" || exit 2", ENV, 'cd "$1" || exit 2',
             f'n=0; p() {{ "$@" >/dev/null 2>&1 & n=$((n + 1)); if ((n >= {int(jobs)})); then wait -n; n=$((n - 1)); fi; }}']
    total = []
    for name in names:
        argv = json.load(open(os.path.join(hand, name + ".print")))
        changed = sorted(baseline(out, tree, name)[0])
        for path in changed:
            cmd = [bins[name]] + [path if a == "{file}" else a for a in argv[1:]]
            lines.append("p " + " ".join(map(shlex.quote, cmd)) + " <" + shlex.quote(path))
        total.append(f"{name} {len(changed)}")
    open(os.path.join(hand, target), "w").write("\n".join(lines + ["wait", "exit 0"]) + "\n")
    print(", ".join(total))


def show(paths, k=4):
    paths = sorted(paths)
    return ", ".join(paths[:k]) + (f", … ({len(paths)} in all)" if len(paths) > k else "")


def report(hand, out, stdout, stderr, check_json, *names):
    """The counts of both sides, per formatter, and every difference between them."""
    tree = open(os.path.join(hand, "tree")).read().strip()
    diffs, nodiff, failed, summary = lintmux_fmt(stdout, stderr, names)
    try:
        cj = json.load(open(check_json))
    except (OSError, ValueError):
        cj = {"findings": [], "linters": [], "tool_errors": []}
    cj_files = {l["name"]: l["files"] for l in cj["linters"]}
    cj_errors = {e["linter"]: e["kind"] for e in cj["tool_errors"]}
    row = "  {:<13} {:>5} {:>9} {:>9} {:>9}  {:<22} {:<22} {}"
    print(row.format("formatter", "files", "lintmux", "lm check", "baseline", "lintmux cannot parse", "baseline cannot parse", "agree?"))
    problems, owner = [], {}
    for name in names:
        for f in files_of(hand, name):
            owner.setdefault(f, []).append(name)
    for name in names:
        files = set(files_of(hand, name))
        mine = {f for f in diffs if name in owner.get(f, [])}
        if any(len(owner.get(f, [])) > 1 for f in mine):
            problems.append(f"{name}: a file with a diff belongs to more than one formatter; counted for each")
        chk = {f["path"] for f in cj["findings"] if f["linter"] == name and f["rule"] == "format"}
        chk_other = {(f["path"], f["rule"]) for f in cj["findings"] if f["linter"] == name and f["rule"] != "format"}
        changed, bad, other = baseline(out, tree, name)
        mux_bad = {p for p, _ in nodiff[name]}
        err = failed.get(name) or cj_errors.get(name)
        agree = mine == changed and mux_bad == bad and chk == mine and not err
        print(row.format(name, len(files), len(mine), len(chk), len(changed),
                         f"{len(mux_bad)}" + (f" (+ FAILED: {err})" if err else ""), f"{len(bad)}",
                         "yes" if agree else "NO"))
        if cj_files.get(name, len(files)) != len(files):
            problems.append(f"{name}: lintmux gave it {cj_files[name]} files, the baseline {len(files)}")
        if err:
            problems.append(f"{name}: lintmux reports a tool error ({err}), so none of its files has a diff or a finding")
        if mine - changed:
            problems.append(f"{name}: diff by lintmux, not listed by the baseline: {show(mine - changed)}")
        if changed - mine:
            problems.append(f"{name}: listed by the baseline, no diff from lintmux: {show(changed - mine)}")
        if chk != mine:
            problems.append(f"{name}: `lintmux check` and `lintmux fmt --check` disagree: {show(chk ^ mine)}")
        if mux_bad != bad:
            problems.append(f"{name}: cannot parse, lintmux: {show(mux_bad) or 'none'}; baseline: {show(bad) or 'none'}")
        if {p for p, _ in chk_other} != mux_bad:
            problems.append(f"{name}: other findings of `lintmux check`: {show(p + ' ' + r for p, r in chk_other) or 'none'}")
        if other:
            problems.append(f"{name}: the baseline also printed: {' | '.join(other[:3])[:300]}")
    print(f"  lintmux's summary: {summary}")
    stray = [f for f in diffs if f not in owner]
    if stray:
        problems.append(f"diffs for files no formatter was given: {show(stray)}")
    print("  differences:" if problems else "  differences: none (the same files, and the same files it cannot parse, on both sides)")
    for p in problems:
        print("    - " + p)


def timing(out, name, runs):
    """The median of the last RUNS wall times one formatter took in the baseline."""
    t = [float(b) - float(a) for a, b in (l.split() for l in open(os.path.join(out, name + ".times")))][-int(runs):]
    t.sort()
    print(f"{(t[(len(t) - 1) // 2] + t[len(t) // 2]) / 2:.2f}")


if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
PY
helper() { python3 "$work/fmtbench.py" "$@"; }

# ----------------------------------------------------------------------------------- the hand-run scripts
# The baseline's file sets: `lintmux detect --files` lists each file with its type (one line per type),
# and each formatter gets every file of its definition's `file_types`, as lintmux gives them. (The
# formatters' own discovery would differ: no .gitignore outside git for some, other extensions; that is
# not what is compared here.)
cache0="$work/cache-detect"; fresh_cache "$cache0"
LINTMUX_CACHE_DIR="$cache0" "$lintmux" detect --files --root "$tree" "$tree" >"$work/files.tsv" 2>"$work/detect.err" ||
  die "lintmux detect --files failed: $(head -c 400 "$work/detect.err")"
mkdir -p "$work/hand"
echo "$tree" >"$work/hand/tree"
plan="$(helper plan "$here/linters.d" "$tools_cache/tools" "$work/files.tsv" "$work/hand" "${formatters[@]}" 2>&1)" ||
  die "could not write the hand-run scripts: $plan"

# ------------------------------------------------------------------------------------------------ timing
# measure KEY CMD...: RUNS timed runs (after an untimed one) of CMD with stdout/stderr to files; the
# medians go to wall[KEY], user[KEY], sys[KEY]; the last exit code to rc[KEY]. PREPARE, when set, is run
# (untimed) before every run, the untimed one included.
declare -A wall=() user=() sys=() rc=() load=() walls=()
median() { sort -g | awk '{a[NR]=$1} END {if (NR) printf "%.3f", (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
measure() {
  local key="$1"; shift
  local ws=() us=() ss=() i start end
  load[$key]="$(cut -d' ' -f1 /proc/loadavg)"
  for i in $(seq 0 "$runs"); do
    [[ -n "${PREPARE:-}" ]] && eval "$PREPARE"
    start=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$work/time.$key" "$@" >"$work/$key.out" 2>"$work/$key.err"
    rc[$key]=$?
    end=$(date +%s.%N)
    ((i == 0)) && continue
    ws+=("$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')")
    read -r u s < <(tail -n 1 "$work/time.$key")
    us+=("$u"); ss+=("$s")
  done
  wall[$key]="$(printf '%s\n' "${ws[@]}" | median)"
  walls[$key]="$(printf '%s\n' "${ws[@]}" | awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}')"
  user[$key]="$(printf '%s\n' "${us[@]}" | median)"
  sys[$key]="$(printf '%s\n' "${ss[@]}" | median)"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f×", a / b; else print "-"}'; }
s2() { awk -v a="$1" 'BEGIN {printf "%.2f", a}'; }
cpu() { awk -v a="${user[$1]}" -v b="${sys[$1]}" 'BEGIN {print a + b}'; }

# ------------------------------------------------------------------------------------------- measures
cd "$work" || die "cannot enter $work"
nproc_n="$(nproc)"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
mux_fmt=("$lintmux" fmt --check --all -l "$formatters_csv" --root "$tree" "$tree")

say "c. the baseline: the four check commands one after another..."
measure hand bash "$work/hand/run.sh" "$tree" "$work/out-hand"

say "a. lintmux fmt --check --no-cache (cold)..."
cache_cold="$work/cache-cold"
# shellcheck disable=SC2016  # PREPARE is eval'ed by measure, expanded there
PREPARE='fresh_cache "$cache_cold"' measure mux_cold env LINTMUX_CACHE_DIR="$cache_cold" "${mux_fmt[@]}" --no-cache

say "b. lintmux fmt --check, warm (result cache)..."
cache_warm="$work/cache-warm"; fresh_cache "$cache_warm"
measure mux_warm env LINTMUX_CACHE_DIR="$cache_warm" "${mux_fmt[@]}"

say "d. the baseline plus the prints of the files it found unformatted..."
prints_plan="$(helper prints "$work/hand" "$work/out-hand" "$nproc_n" prints.sh run.sh "${formatters[@]}" 2>&1)" ||
  die "could not write hand/prints.sh: $prints_plan"
measure hand_prints bash "$work/hand/prints.sh" "$tree" "$work/out-prints"

# e/f: one formatter alone, the one with the most prints and the cheapest processes (ruff: a few ms each),
# so the time lintmux adds to each process shows: lintmux on it alone vs its check command + its prints.
say "e. lintmux fmt --check --no-cache -l ruff-format; f. ruff's check + its prints by hand..."
ruff_plan="$(helper prints "$work/hand" "$work/out-hand" "$nproc_n" prints-ruff-format.sh run-ruff-format.sh ruff-format 2>&1)" ||
  die "could not write hand/prints-ruff-format.sh: $ruff_plan"
# shellcheck disable=SC2016
PREPARE='fresh_cache "$cache_cold"' measure mux_ruff env LINTMUX_CACHE_DIR="$cache_cold" \
  "$lintmux" fmt --check --all -l ruff-format --root "$tree" "$tree" --no-cache
measure hand_ruff bash "$work/hand/prints-ruff-format.sh" "$tree" "$work/out-ruff"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# --------------------------------------------------------------------------------------------- checks
say "checks: lintmux check --format json, and the write check on two copies..."
cache_json="$work/cache-json"; fresh_cache "$cache_json"
LINTMUX_CACHE_DIR="$cache_json" "$lintmux" check --format json --no-cache -l "$formatters_csv" --root "$tree" "$tree" \
  >"$work/check.json" 2>"$work/check.err"
rc_check=$?
tree_after="$(tree_state "$tree")"
counts="$(helper report "$work/hand" "$work/out-hand" "$work/mux_cold.out" "$work/mux_cold.err" "$work/check.json" \
  "${formatters[@]}" 2>&1)" || counts="  could not be counted: $counts"
# The write check: `lintmux fmt --all` on one copy, the formatters' own write modes on another.
for side in mux own; do
  rm -rf "$work/copy-$side"
  cp -a "$tree" "$work/copy-$side" || die "could not copy the tree"
done
cache_write="$work/cache-write"; fresh_cache "$cache_write"
LINTMUX_CACHE_DIR="$cache_write" "$lintmux" fmt --all --no-cache -l "$formatters_csv" --root "$work/copy-mux" "$work/copy-mux" \
  >"$work/write-mux.out" 2>"$work/write-mux.err"
rc_write=$?
bash "$work/hand/write.sh" "$work/copy-own" "$work/out-write" >/dev/null 2>&1
n_mux_wrote="$(diff -rq "$tree" "$work/copy-mux" | wc -l)"
n_own_wrote="$(diff -rq "$tree" "$work/copy-own" | wc -l)"
write_diff="$(diff -rq "$work/copy-mux" "$work/copy-own" | sed "s|$work/copy-mux/||; s|$work/copy-own/.*||; s|^Files ||; s| and $||")"

# ------------------------------------------------------------------------------------------------ report
mem_gib="$(awk '/^MemTotal:/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)"
cpu_model="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
bins() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/hand/bins.json" "$1"; }
versions="$("$(bins ruff-format)" --version), prettier $("$(bins prettier)" --version), shfmt $("$(bins shfmt)" --version), $("$(bins taplo-format)" --version 2>/dev/null)"
n_files="$(awk -F'\t' '$2 != "-" { print $1 }' "$work/files.tsv" | sort -u | wc -l)"
per_tool="$(for f in "${formatters[@]}"; do printf '%s %s s · ' "$f" "$(helper timing "$work/out-hand" "$f" "$runs")"; done)"
echo "lintmux fmt benchmark (bench/fmt.sh), $(date -u +%Y-%m-%d)"
echo "binary:   $("$lintmux" --version 2>/dev/null) (${lintmux#"$here/"})"
echo "machine:  $nproc_n cores${cpu_model:+ ($cpu_model)}, $mem_gib GiB, $(uname -sr)"
echo "load:     $load_start at the start, $load_end at the end (1, 5, 15 min); other work on the machine adds noise"
echo "projects: black $black_version (PyPI sdist $black_archive, sha256 ${black_sha256:0:16}…) and"
echo "          bats $bats_version (npm $bats_archive, sha256 ${bats_sha256:0:16}…), unpacked side by side; not a git repository"
echo "files:    $n_files files lintmux detects; given to the formatters: $plan"
echo "tools:    $versions (lintmux's pinned installs)"
echo "runs:     median of $runs timed runs after one untimed; wall from the clock, user/sys from GNU time (children included)"
echo
row() { printf '%-58s %8s %10s %10s\n' "$@"; }
row "measure (seconds)" "wall" "user+sys" "wall / c"
row "a. lintmux fmt --check --no-cache (cold)" "$(s2 "${wall[mux_cold]}")" "$(s2 "$(cpu mux_cold)")" "$(ratio "${wall[mux_cold]}" "${wall[hand]}")"
row "b. lintmux fmt --check, warm (result cache)" "$(s2 "${wall[mux_warm]}")" "$(s2 "$(cpu mux_warm)")" "$(ratio "${wall[mux_warm]}" "${wall[hand]}")"
row "c. baseline: the 4 check commands, one after another" "$(s2 "${wall[hand]}")" "$(s2 "$(cpu hand)")" "1.00×"
row "d. c + printing each unformatted file, $nproc_n at a time" "$(s2 "${wall[hand_prints]}")" "$(s2 "$(cpu hand_prints)")" "$(ratio "${wall[hand_prints]}" "${wall[hand]}")"
row "e. lintmux fmt --check --no-cache -l ruff-format (cold)" "$(s2 "${wall[mux_ruff]}")" "$(s2 "$(cpu mux_ruff)")" "$(ratio "${wall[mux_ruff]}" "${wall[hand_ruff]}") of f"
row "f. ruff's check command + its prints, $nproc_n at a time" "$(s2 "${wall[hand_ruff]}")" "$(s2 "$(cpu hand_ruff)")" ""
echo
echo "cold vs d (lintmux's own cost over the same work): $(ratio "${wall[mux_cold]}" "${wall[hand_prints]}") wall;" \
     "warm vs cold: $(ratio "${wall[mux_warm]}" "${wall[mux_cold]}");" \
     "e vs f: +$(awk -v a="${wall[mux_ruff]}" -v b="${wall[hand_ruff]}" -v n="${ruff_plan##* }" -v j="$nproc_n" \
       'BEGIN {if (n > 0) printf "%.1f ms wall per print (%d prints, %d at a time)", (a - b) * 1000 * j / n, n, j}')"
echo "c per formatter (median wall): ${per_tool% · }"
echo "d prints: $prints_plan"
echo "load at each measure's start: c ${load[hand]} · a ${load[mux_cold]} · b ${load[mux_warm]} · d ${load[hand_prints]} ·" \
     "e ${load[mux_ruff]} · f ${load[hand_ruff]}"
echo "each timed run's wall (s): a ${walls[mux_cold]} · b ${walls[mux_warm]} · c ${walls[hand]} · d ${walls[hand_prints]} ·" \
     "e ${walls[mux_ruff]} · f ${walls[hand_ruff]}"
echo
echo "what each side does:"
echo "  lintmux (a, b): the definitions' check command of each formatter on its files (here one batch each),"
echo "    then, for every file a check listed, the definition's [format] print (the file on stdin) to compute the"
echo "    unified diff it prints; every process under lintmux's supervisor, -j $nproc_n; stdout: the diffs, stderr: the"
echo "    summary, findings without a diff (a file a formatter cannot parse) and tool errors. b: nothing changed,"
echo "    so the result cache answers; only a formatter whose run failed (not cached) runs again."
echo "  baseline (c): the same check commands (linters.d \`command\`, \`{files}\` = the same files), one process each,"
echo "    one after another, in the tree's root; they only list files (no diffs)."
echo "  d: c, then each listed file printed by the same [format] print argv, $nproc_n at a time (bash & / wait -n)."
echo "  e, f: the same as a and d for ruff-format alone (its processes take a few ms, so lintmux's own cost per"
echo "    process is most of the difference)."
echo
echo "commands (in $work: the tree at tree/, LINTMUX_CACHE_DIR a fresh directory with the pinned installs linked in):"
echo "  a. lintmux fmt --check --all -l $formatters_csv --root tree tree --no-cache"
echo "  b. the same without --no-cache, after one run that fills the result cache"
for f in "${formatters[@]}"; do
  echo "  c. $f: $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$work/hand/check.json" "$f" | sed 's/{files}/FILES…/')"
done
echo
echo "files each formatter would change (lintmux: the diffs of run a; lm check: \`lintmux check --format json\`'s"
echo "format findings; baseline: what the check commands of run c listed):"
echo "$counts"
echo
echo "checks:"
echo "  exit codes (last run): a ${rc[mux_cold]}, b ${rc[mux_warm]}, c ${rc[hand]} (the script), d ${rc[hand_prints]}, lintmux check --format json $rc_check;" \
     "each check command in c: $(for f in "${formatters[@]}"; do printf '%s %s, ' "$f" "$(cat "$work/out-hand/$f.rc")"; done | sed 's/, $//')"
grep -h '^lintmux: .* failed' "$work/mux_cold.err" | cut -c1-300 | sed 's/^/  lintmux said: /'
[[ "$tree_before" == "$tree_after" ]] && echo "  the tree is unchanged by every --check run (paths, modes and bytes)" ||
  echo "  WARNING: the tree changed during the --check runs"
echo "  write check: \`lintmux fmt --all\` (exit $rc_write) changed $n_mux_wrote files of a copy of the tree; the four formatters'"
echo "    own write modes (ruff format, prettier --write, shfmt --write, taplo fmt) changed $n_own_wrote of another;"
if [[ -z "$write_diff" ]]; then
  echo "    the two copies are identical byte for byte"
else
  echo "    the two copies differ in $(wc -l <<<"$write_diff") files: $(head -n 6 <<<"$write_diff" | tr '\n' ' ')"
fi
