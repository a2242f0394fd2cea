#!/usr/bin/env python3
"""Writes a bash script that runs lintmux's pinned linters by hand, with lintmux's argv, on lintmux's files.

    handrun.py LINTERS_D TOOLS_DIR ROOT SCRATCH FILES_TSV OUT_DIR MODE JOBS LINTER...

bench/scale.sh times the script this writes against lintmux itself, so the script does what lintmux's
runner does for each linter and nothing more:

- the argv is the definition's `command` (linters.d/<name>.toml), `{scratch}` and `{root}` filled in, the
  bundled default config added before `--`/`{files}` when the repository has none of the definition's
  `config_files` (as lintmux does), each file written through the definition's `file_arg` (a leading `-`
  becomes `./-`), the binary from lintmux's pinned install in TOOLS_DIR;
- the files are those `lintmux detect --files` (FILES_TSV: path, type, why) gives the linter's file types,
  in that order, root-relative, with the working directory at ROOT;
- the environment adds what lintmux gives a linter (NO_COLOR=1, FORCE_COLOR=0, PYTHONDONTWRITEBYTECODE=1);
- each process's stdout and stderr go to a file in OUT_DIR (lintmux reads and keeps them too).

MODE says how the processes are started:
  batches   lintmux's batching (src/plan/schedule.rs): a linter's files split into at most JOBS shares of at least
            `min_batch` files, each share cut at 96 KiB of file arguments; whole-project linters get one
            process; the biggest jobs first, JOBS at a time (xargs -P), as lintmux's pool runs them.
  together  one process per linter with all its files, every linter started at once (`&`) and then
            `wait`: what a hook runner such as lefthook does with `parallel: true`.
The script's exit status is 0 whatever the linters find (finding defects is their normal outcome).
"""

import glob
import os
import shlex
import sys
import tomllib

MAX_ARG_BYTES = 96 * 1024      # as src/plan/schedule.rs


def tool_dir(tools, name, pin):
    dirs = sorted(d for d in glob.glob(os.path.join(tools, f"{name}-{pin}-*")) if os.path.isdir(d))
    if not dirs:
        sys.exit(f"handrun: no pinned install of {name} {pin} in {tools}; run `lintmux install {name}` first")
    return dirs[0]


def binary(tdir, cmd):
    for sub in ("venv/bin", "node_modules/.bin", "bin"):
        p = os.path.join(tdir, sub, cmd)
        if os.access(p, os.X_OK):
            return p
    sys.exit(f"handrun: no {cmd} in {tdir}")


def file_arg(d, path):
    safe = "./" + path if path.startswith("-") else path
    return d.get("file_arg", "{file}").replace("{file}", safe)


def plan(d, files, jobs):
    """The batches lintmux makes of one linter's files (src/plan/schedule.rs)."""
    mode = d.get("mode", "batch")
    if mode == "project":
        return [files]
    if mode == "file":
        return [[f] for f in files]
    min_batch = max(d.get("min_batch", 32), 1)
    wanted = min(max(-(-len(files) // min_batch), 1), max(jobs, 1))
    per = -(-len(files) // wanted)
    out = []
    for c in range(0, len(files), per):
        chunk = files[c:c + per]
        start, size = 0, 0
        for i, f in enumerate(chunk):
            n = len(file_arg(d, f)) + 1
            if i > start and size + n > MAX_ARG_BYTES:
                out.append(chunk[start:i])
                start, size = i, 0
            size += n
        out.append(chunk[start:])
    return out


def main():
    if len(sys.argv) < 10:
        sys.exit(__doc__)
    linters_d, tools, root, scratch, files_tsv, out_dir, mode, jobs = sys.argv[1:9]
    linters = sys.argv[9:]
    jobs = int(jobs)
    if mode not in ("batches", "together"):
        sys.exit(f"handrun: MODE must be batches or together, not {mode}")
    by_type = {}
    with open(files_tsv) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                by_type.setdefault(parts[1], []).append(parts[0])
    commands = []    # (size, linter, argv)
    for name in linters:
        with open(os.path.join(linters_d, name + ".toml"), "rb") as f:
            d = tomllib.load(f)
        # A definition that shares another's install (ruff-format: ruff's) names it in [install].
        tdir = tool_dir(tools, d.get("install", {}).get("name", name), d["version"]["pin"])
        template = d["command"]
        extra = []
        if d.get("default_config") and not any(os.path.exists(os.path.join(root, c)) for c in d.get("config_files", [])):
            cfg = os.path.join(tdir, os.path.basename(d["default_config"]))
            extra = [a.replace("{config}", cfg) for a in d.get("config_arg", [])]
        rest = template[1:]
        at = next((i for i, a in enumerate(rest) if a in ("--", "{files}")), len(rest))
        rest = rest[:at] + extra + rest[at:]
        lscratch = os.path.join(scratch, name)
        files = [p for t in d["file_types"] for p in by_type.get(t, [])]
        files.sort()
        if not files:
            continue
        batches = plan(d, files, jobs) if mode == "batches" else [files]
        for b in batches:
            argv = [binary(tdir, template[0])]
            for a in rest:
                if a == "{files}":
                    argv += [file_arg(d, p) for p in b]
                else:
                    argv.append(a.replace("{scratch}", lscratch).replace("{root}", root))
            commands.append((len(b), d.get("mode", "batch") == "project", name, argv))
    os.makedirs(out_dir, exist_ok=True)
    head = ["#!/usr/bin/env bash", "# written by bench/handrun.py", f"cd {shlex.quote(root)} || exit 2",
            "export NO_COLOR=1 FORCE_COLOR=0 PYTHONDONTWRITEBYTECODE=1",
            f"mkdir -p {' '.join(shlex.quote(os.path.join(scratch, n)) for n in linters)}"]
    if mode == "together":
        body = []
        for i, (_, _, name, argv) in enumerate(commands):
            log = shlex.quote(os.path.join(out_dir, f"{name}-{i}"))
            body.append(f"{shlex.join(argv)} >{log}.out 2>{log}.err </dev/null &")
        body.append("wait")
        script = head + body
    else:
        # biggest first (whole-project jobs before batches), as src/plan/schedule.rs orders them
        commands.sort(key=lambda c: (not c[1], -c[0]))
        job_files = []
        for i, (_, _, name, argv) in enumerate(commands):
            log = os.path.join(out_dir, f"{name}-{i}")
            p = os.path.join(out_dir, f"job-{i:05d}.sh")
            with open(p, "w") as f:
                f.write(f"cd {shlex.quote(root)} || exit 2\nexec {shlex.join(argv)} >{shlex.quote(log)}.out "
                        f"2>{shlex.quote(log)}.err </dev/null\n")
            job_files.append(p)
        script = head + [f"printf '%s\\n' {' '.join(shlex.quote(p) for p in job_files)} | xargs -P {jobs} -n 1 bash"]
    script.append("exit 0")
    out = os.path.join(out_dir, "run.sh")
    with open(out, "w") as f:
        f.write("\n".join(script) + "\n")
    os.chmod(out, 0o755)
    counts = {}
    for size, _, name, _ in commands:
        n, k = counts.get(name, (0, 0))
        counts[name] = (n + size, k + 1)
    print(", ".join(f"{n}: {f} files in {k} process{'es' if k > 1 else ''}" for n, (f, k) in counts.items()))


if __name__ == "__main__":
    main()
