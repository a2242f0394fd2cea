#!/usr/bin/env python3
"""Writes a big, reproducible Python monorepo for lintmux's scale benchmark (bench/scale.sh).

    python3 bench/bigtree.py DIR [N]       (N: tracked files, default 90000)

The tree has the file-type mix of a Python monorepo: about 93% Python (nested packages, each with an
__init__.py, modules with imports, classes, functions; about 8% of them with ruff findings, the rest
clean), 4% YAML (Kubernetes manifests, service configs, CI workflows), and Markdown, shell scripts (some
without an extension, found by their shebang), Dockerfiles and a few pyproject.toml/requirements.txt.
Every file is different (names and content vary), and the same N gives the same bytes every time: all
randomness comes from one seeded generator, and the files are written in a fixed order.

The files are committed as they are written, through `git fast-import`, with a fixed author, committer
and date, so the commit id is the same every time too; then the index is built from that commit. A
.gitignore names the usual build products, and a few ignored files (build/, __pycache__/) exist beside
the tracked ones, as in a working copy.
"""

import os
import random
import subprocess
import sys

SEED = 20261128
AUTHOR = "Bench Generator <bench@example.invalid> 1767225600 +0000"   # 2026-01-01T00:00:00Z


def words(text):
    return text.split()


NOUNS = words("""account address alert allocation analytics approval archive asset audit balance basket batch
billing booking bucket budget cache campaign cart catalog category channel charge checkout claim client
cluster comment config consent contract coupon credential currency customer dashboard delivery deployment
device discount dispatch document domain draft entitlement event export feature feed fulfillment gateway
grant group health identity import incident inventory invoice job ledger license listing location lock
login mailbox manifest membership merchant message metric migration notification offer order organization
package partner payment payout permission pipeline plan policy price product profile promotion quota quote
rate receipt recommendation refund region registry release report request reservation resource review role
route rule schedule search secret segment session settlement shipment signal sku snapshot source
subscription supplier survey tag task tax template tenant ticket token topic tracking transaction transfer
upload usage user vendor voucher wallet warehouse webhook workflow""")
SUFFIXES = words("""service repository handler handlers schema schemas utils client models views tasks serializers
validators api routes adapter store mapper factory events commands queries policies helpers exceptions
constants types settings backend manager worker loader parser formatter builder resolver registry
middleware signals admin forms filters permissions""")
ADJ = words("""active archived async bulk cached daily default external internal legacy local manual nightly
partial pending primary public remote scheduled secure shared stale sync temporary verified""")
VERBS = words("""apply build check collect compute create delete dispatch ensure export fetch find flush format
get handle import index load lookup merge normalize notify parse prepare process publish refresh register
reload remove render resolve retry save schedule send serialize split store sync update upsert validate""")
FIELDS = words("""id name status created_at updated_at amount currency email owner_id tenant_id priority region
kind version reference description total quantity expires_at source target retries payload label""")
PROJECT_KINDS = ["api", "worker", "service", "gateway", "sync", "jobs", "core", "web", "scheduler", "etl"]
ENVS = ["dev", "staging", "prod", "qa", "perf", "sandbox", "eu", "us"]
K8S_KINDS = ["deployment", "service", "configmap", "hpa", "ingress", "cronjob", "pdb", "networkpolicy"]

TYPES = {"id": "int", "name": "str", "status": "str", "created_at": "datetime", "updated_at": "datetime",
         "amount": "Decimal", "currency": "str", "email": "str", "owner_id": "int", "tenant_id": "int",
         "priority": "int", "region": "str", "kind": "str", "version": "int", "reference": "str",
         "description": "str", "total": "Decimal", "quantity": "int", "expires_at": "datetime",
         "source": "str", "target": "str", "retries": "int", "payload": "dict[str, Any]", "label": "str"}


def camel(*words):
    return "".join(w.capitalize() for w in "_".join(words).split("_"))


class Gen:
    def __init__(self, root, n):
        self.root = root
        self.n = n
        self.r = random.Random(SEED)
        self.mark = 0
        self.entries = []           # (mode, mark, path) for the commit, in write order
        self.made_dirs = set()
        self.fi = subprocess.Popen(["git", "-C", root, "-c", "pack.compression=1", "fast-import", "--quiet", "--done"],
                                   stdin=subprocess.PIPE)
        self.out = self.fi.stdin
        self.counts = {}
        self.findings = 0

    # ------------------------------------------------------------------------------------- writing
    def write(self, rel, text, kind, executable=False, tracked=True):
        data = text.encode()
        d = os.path.dirname(rel)
        if d not in self.made_dirs:
            os.makedirs(os.path.join(self.root, d), exist_ok=True)
            self.made_dirs.add(d)
        path = os.path.join(self.root, rel)
        with open(path, "wb") as f:
            f.write(data)
        if executable:
            os.chmod(path, 0o755)
        if not tracked:
            return
        self.mark += 1
        self.out.write(b"blob\nmark :%d\ndata %d\n" % (self.mark, len(data)))
        self.out.write(data)
        self.out.write(b"\n")
        self.entries.append(("100755" if executable else "100644", self.mark, rel))
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def commit(self):
        msg = b"Monorepo snapshot for the lintmux scale benchmark\n"
        self.out.write(b"commit refs/heads/main\n")
        self.out.write(b"author %s\ncommitter %s\n" % (AUTHOR.encode(), AUTHOR.encode()))
        self.out.write(b"data %d\n%s\n" % (len(msg), msg))
        for mode, mark, rel in self.entries:
            self.out.write(b"M %s :%d %s\n" % (mode.encode(), mark, rel.encode()))
        self.out.write(b"\ndone\n")
        self.out.close()
        if self.fi.wait() != 0:
            sys.exit("bigtree: git fast-import failed")

    # ------------------------------------------------------------------------------------- python
    def py_module(self, pkg, modname, dirty):
        r = self.r
        noun = r.choice(NOUNS)
        self.names = set()          # function names already used in this module (no redefinitions)
        self.sink = False           # whether a function records its result in TOTALS
        imports = set()
        consts = []
        if r.random() < 0.7:
            imports.add("import logging")
            consts.append("logger = logging.getLogger(__name__)")
        for _ in range(r.randint(0, 3)):
            name = f"{r.choice(ADJ).upper()}_{r.choice(FIELDS).upper()}_{r.choice(['LIMIT', 'TIMEOUT', 'RETRIES', 'SIZE', 'TTL'])}"
            consts.append(f"{name} = {r.randint(1, 5000)}")
        if r.random() < 0.3:
            imports.add("import os")
            var = f"{pkg.split('.')[0].upper()}_{noun.upper()}_URL"
            consts.append(f'{var} = os.environ.get("{var}", "http://{noun}.internal:{r.randint(3000, 9999)}")')
        classes = []
        for _ in range(r.choice([0, 1, 1, 1, 2, 2, 3])):
            cname = camel(r.choice(ADJ), noun, r.choice(["record", "item", "entry", "result", "request", "view", "spec"]))
            while cname in self.names:
                cname += "V2"
            self.names.add(cname)
            fields = r.sample(FIELDS, r.randint(2, 7))
            lines = []
            if r.random() < 0.6:
                lines.append("@dataclass(frozen=True)" if r.random() < 0.3 else "@dataclass")
                lines.append(f"class {cname}:")
                lines.append(f'    """A {r.choice(ADJ)} {noun} as the {pkg.split(".")[-1]} layer sees it."""')
                lines.append("")
                plain, dflt = [], []
                for f in fields:
                    t = TYPES[f]
                    self.need_type(t, imports)
                    if r.random() < 0.2 and t.startswith("dict"):
                        dflt.append(f"    {f}: {t} = field(default_factory=dict)")
                    elif r.random() < 0.25:
                        dflt.append(f"    {f}: {t} | None = None")
                    else:
                        plain.append(f"    {f}: {t}")
                lines += plain + dflt   # fields with defaults last, so that the dataclass is valid
                imports.add("from dataclasses import dataclass, field" if any("default_factory" in ln for ln in dflt)
                            else "from dataclasses import dataclass")
            else:
                lines.append(f"class {cname}:")
                lines.append(f'    """Keeps {noun} state for {r.choice(VERBS)}ing and {r.choice(VERBS)}ing."""')
                lines.append("")
                args = ", ".join(f"{f}: {TYPES[f]}" for f in fields[:3])
                for f in fields[:3]:
                    self.need_type(TYPES[f], imports)
                lines.append(f"    def __init__(self, {args}) -> None:")
                for f in fields[:3]:
                    lines.append(f"        self.{f} = {f}")
            for _ in range(r.randint(1, 4)):
                lines.append("")
                lines.extend("    " + ln if ln else "" for ln in self.py_function(noun, fields, imports, method=True))
            classes.append("\n".join(lines))
        funcs = ["\n".join(self.py_function(noun, r.sample(FIELDS, 3), imports, method=False))
                 for _ in range(r.randint(1 if classes else 2, 6))]
        if dirty:
            funcs.append(self.py_defect(noun, imports))
        if r.random() < 0.15:
            dep = f"{pkg.split('.')[0]}.{r.choice(SUFFIXES)}"
            sym = camel(r.choice(NOUNS), r.choice(["error", "config", "client"]))
            imports.add(f"from {dep} import {sym}")
            funcs.append(f"def make_{noun}_{r.choice(['client', 'config', 'error'])}() -> {sym}:\n"
                         f'    """Builds the default {sym} for this module."""\n    return {sym}()')
        doc = f'"""{camel(noun)} {modname.replace("_", " ")} for {pkg}.\n\n' \
              f'{r.choice(VERBS).capitalize()}s {noun} {r.choice(["records", "events", "requests", "rows"])} ' \
              f'and keeps them {r.choice(ADJ)}.\n"""'
        if "from dataclasses import dataclass, field" in imports:
            imports.discard("from dataclasses import dataclass")
        if self.sink:
            consts.append("TOTALS: list[int] = []")
        # isort order, as ruff wants it: `import x` lines, then `from x import y` lines, each sorted by module
        def order(line):
            return (line.startswith("from "), line.split()[1], line)
        std = sorted((i for i in imports if not i.startswith("from " + pkg.split(".")[0])), key=order)
        local = sorted((i for i in imports if i.startswith("from " + pkg.split(".")[0])), key=order)
        parts = [doc, "from __future__ import annotations", "\n".join(std)]
        if local:
            parts.append("\n".join(local))
        if consts:
            parts.append("\n".join(consts))
        return "\n\n".join(p for p in parts if p) + "\n\n\n" + "\n\n\n".join(classes + funcs) + "\n"

    def need_type(self, t, imports):
        if t == "datetime":
            imports.add("from datetime import datetime")
        elif t == "Decimal":
            imports.add("from decimal import Decimal")
        elif "Any" in t:
            imports.add("from typing import Any")

    def py_function(self, noun, fields, imports, method):
        r = self.r
        verb = r.choice(VERBS)
        name = f"{verb}_{noun}" + (f"_{r.choice(FIELDS)}" if r.random() < 0.5 else "")
        if method and r.random() < 0.3:
            name = "_" + name
        while name in self.names:
            name = f"{name}_{len(self.names)}"
        self.names.add(name)
        f0, f1 = fields[0], fields[-1]
        params = ["self"] if method else []
        params += [f"{noun}_{f0}: {self.typ(f0, imports)}"]
        if r.random() < 0.5:
            params.append(f"limit: int = {r.choice([10, 50, 100, 500, 1000])}")
        ret = r.choice(["bool", "int", "str", "list[str]", "dict[str, int]", "None"])
        out = [f"def {name}({', '.join(params)}) -> {ret}:",
               f'    """{verb.capitalize()} the {noun} {f0.replace("_", " ")} and return {ret}."""']
        kind = r.randint(0, 7)
        arg = f"{noun}_{f0}"
        if kind == 0:
            out += [f"    items = [str(x) for x in range({r.randint(2, 40)})]",
                    f"    if not {arg}:",
                    ("        return " + self.ret_value(ret)).rstrip(),
                    "    total = len(items)"]
        elif kind == 1:
            imports.add("import logging")
            out += ["    try:",
                    f"        value = str({arg}).strip()",
                    "    except (TypeError, ValueError) as exc:",
                    f'        logging.getLogger(__name__).warning("cannot {verb} {noun}: %s", exc)',
                    ("        return " + self.ret_value(ret)).rstrip(),
                    "    total = len(value)"]
        elif kind == 2:
            sep = r.choice([",", ":", "/", ";"])
            out += ["    seen: dict[str, int] = {}",
                    f'    for index, part in enumerate(str({arg}).split("{sep}")):',
                    "        seen[part] = seen.get(part, 0) + index",
                    "    total = sum(seen.values())"]
        elif kind == 3:
            imports.add("import json")
            out += [f'    text = json.dumps({{"{f0}": str({arg}), "{f1}": {r.randint(0, 999)}}}, sort_keys=True)',
                    "    total = len(text)"]
        elif kind == 4:
            imports.add("import time")
            out += ["    started = time.monotonic()",
                    f"    total = {r.randint(1, 99)} if {arg} else 0",
                    f"    if time.monotonic() - started > {r.choice([0.5, 1.0, 2.5, 10.0])}:",
                    "        total += 1"]
        elif kind == 5:
            imports.add("import re")
            pat = r.choice([r"[a-z]+", r"\d{3,}", r"^[A-Z][a-z]+$", r"\s+", r"[-_]"])
            out += [f'    pattern = re.compile(r"{pat}")',
                    f"    total = len(pattern.findall(str({arg})))"]
        elif kind == 6:
            imports.add("from collections import Counter")
            out += [f"    counts = Counter(str({arg}))",
                    f"    total = sum(n for _, n in counts.most_common({r.randint(1, 9)}))"]
        else:
            imports.add("import hashlib")
            out += [f"    digest = hashlib.sha256(str({arg}).encode()).hexdigest()",
                    f"    total = int(digest[:{r.randint(2, 8)}], 16)"]
        if "limit: int" in out[0]:
            out.append("    total = min(total, limit)")
        if ret == "None":
            self.sink = True
            out.append("    TOTALS.append(total)")
        else:
            out.append("    return " + self.ret_expr(ret))
        return out

    def typ(self, f, imports):
        t = TYPES[f]
        self.need_type(t, imports)
        return t

    @staticmethod
    def ret_value(ret):
        return {"bool": "False", "int": "0", "str": '""', "list[str]": "[]", "dict[str, int]": "{}", "None": ""}[ret]

    @staticmethod
    def ret_expr(ret):
        return {"bool": "total > 0", "int": "total", "str": "str(total)", "list[str]": "[str(total)]",
                "dict[str, int]": '{"total": total}', "None": "None"}[ret]

    def py_defect(self, noun, imports):
        """One function (and sometimes an import) that ruff's default rules report."""
        r = self.r
        self.findings += 1
        k = r.randint(0, 7)
        fn = f"legacy_{r.choice(VERBS)}_{noun}_{r.randint(1, 99)}"
        if k == 0:   # F401
            imports.add(r.choice(["import sys", "import shutil", "import itertools", "from pathlib import Path",
                                  "import functools", "from typing import Optional"]))
            return f"def {fn}(value: str) -> str:\n    return value.upper()"
        if k == 1:   # F841
            return f"def {fn}(value: int) -> int:\n    result = value * {r.randint(2, 9)}\n    return value"
        if k == 2:   # B006
            return f"def {fn}(value: int, seen: list[int] = []) -> list[int]:\n    seen.append(value)\n    return seen"
        if k == 3:   # B009
            return f"def {fn}(obj: object) -> object:\n    return getattr(obj, \"{r.choice(FIELDS)}\")"
        if k == 4:   # E722
            return (f"def {fn}(text: str) -> int:\n    try:\n        return int(text)\n    except:\n"
                    f"        return {r.randint(-1, 0)}")
        if k == 5:   # F541
            return f"def {fn}() -> str:\n    return f\"{noun} {r.choice(ADJ)}\""
        if k == 6:   # C408
            return f"def {fn}() -> dict[str, int]:\n    return dict()"
        # F811
        return (f"def {fn}() -> int:\n    return {r.randint(1, 9)}\n\n\n"
                f"def {fn}() -> int:\n    return {r.randint(10, 99)}")

    def py_init(self, pkg, modules):
        r = self.r
        head = f'"""The {pkg} package: {", ".join(m.replace("_", " ") for m in modules[:4]) or "shared code"}."""\n'
        if modules and r.random() < 0.35:
            picks = sorted(r.sample(modules, min(len(modules), r.randint(1, 3))))
            return head + "\nfrom . import " + ", ".join(picks) + "\n" + \
                "\n__all__ = [" + ", ".join(f'"{m}"' for m in picks) + "]\n"
        return head

    # ------------------------------------------------------------------------------------- others
    def yaml_k8s(self, project, env, kind, component):
        r = self.r
        name = f"{project}-{component}"
        if kind == "configmap":
            keys = "\n".join(f"  {f.upper()}_{r.choice(['URL', 'MODE', 'LEVEL', 'TTL'])}: \"{r.choice(ADJ)}-{r.randint(1, 999)}\""
                             for f in r.sample(FIELDS, r.randint(2, 8)))
            return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}-config\n  namespace: {env}\ndata:\n{keys}\n"
        if kind == "service":
            port = r.randint(3000, 9000)
            return (f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {env}\nspec:\n"
                    f"  selector:\n    app: {name}\n  ports:\n    - port: 80\n      targetPort: {port}\n")
        if kind == "hpa":
            return (f"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {name}\n"
                    f"  namespace: {env}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n"
                    f"    name: {name}\n  minReplicas: {r.randint(1, 3)}\n  maxReplicas: {r.randint(4, 40)}\n")
        if kind == "cronjob":
            return (f"apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {name}-{r.choice(VERBS)}\n"
                    f"  namespace: {env}\nspec:\n  schedule: \"{r.randint(0, 59)} {r.randint(0, 23)} * * *\"\n"
                    f"  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n"
                    f"          containers:\n            - name: {component}\n"
                    f"              image: registry.example.invalid/{project}:{r.randint(1, 300)}\n")
        trailing = "   " if r.random() < 0.05 else ""      # a yamllint finding now and then
        return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {env}\n"
                f"  labels:\n    app: {name}\n    tier: {r.choice(['backend', 'worker', 'edge'])}{trailing}\nspec:\n"
                f"  replicas: {r.randint(1, 12)}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n"
                f"    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n"
                f"        - name: {component}\n          image: registry.example.invalid/{project}:{r.randint(1, 300)}\n"
                f"          resources:\n            limits:\n              memory: {r.choice([128, 256, 512, 1024])}Mi\n")

    def yaml_config(self, project, name):
        r = self.r
        lines = [f"# {name} settings for {project}", f"{name}:"]
        for f in r.sample(FIELDS, r.randint(3, 9)):
            lines.append(f"  {f}: {r.choice([str(r.randint(0, 1000)), r.choice(ADJ), 'true', 'false'])}")
        return "\n".join(lines) + "\n"

    def markdown(self, title, project):
        r = self.r
        out = [f"# {title}", "", (f"{project} {r.choice(VERBS)}s {r.choice(NOUNS)} data for the "
                                  f"{r.choice(NOUNS)} team."), ""]
        for _ in range(r.randint(1, 5)):
            out += [f"## {camel(r.choice(VERBS))} {r.choice(NOUNS)}", ""]
            out += [f"- `{r.choice(VERBS)}_{r.choice(NOUNS)}`: {r.choice(ADJ)} {r.choice(NOUNS)} {r.choice(FIELDS)}"
                    for _ in range(r.randint(1, 5))]
            out.append("")
            if r.random() < 0.3:
                out += ["```bash", f"make {r.choice(VERBS)} SERVICE={project}", "```", ""]
        text = "\n".join(out)
        if r.random() < 0.1:
            text = text.replace("\n## ", "\n##  ", 1)   # markdownlint MD019 now and then
        return text.rstrip("\n") + "\n"

    def shell(self, project, name):
        r = self.r
        quote = r.random() > 0.15          # an unquoted variable (shellcheck SC2086) now and then
        var = "\"$" + "TARGET\"" if quote else "$" + "TARGET"
        return (f"#!/usr/bin/env bash\n# {name}: {r.choice(VERBS)} the {project} {r.choice(NOUNS)} data.\n"
                f"set -euo pipefail\n\nTARGET=\"${{1:-{r.choice(ENVS)}}}\"\nRETRIES={r.randint(1, 9)}\n\n"
                f"for i in $(seq 1 \"$RETRIES\"); do\n  echo \"attempt $i: {r.choice(VERBS)} {project} on\" {var}\n"
                f"  if {r.choice(['curl -fsS', 'kubectl get pods -n', 'test -d'])} {var}; then\n    exit 0\n  fi\n"
                f"  sleep {r.randint(1, 5)}\ndone\nexit 1\n")

    def dockerfile(self, project, variant):
        r = self.r
        pin = r.random() > 0.2                 # an unpinned apt-get install (hadolint DL3008) now and then
        pkgs = " ".join(sorted(r.sample(["curl", "git", "libpq-dev", "build-essential", "ca-certificates", "tini"], 2)))
        if pin:
            pkgs = " ".join(p + "=*" for p in pkgs.split())
        return (f"# {project} ({variant})\nFROM python:3.{r.randint(10, 13)}-slim\n"
                f"RUN apt-get update && apt-get install -y --no-install-recommends {pkgs} && rm -rf /var/lib/apt/lists/*\n"
                f"WORKDIR /srv/{project}\nCOPY pyproject.toml ./\nCOPY src ./src\n"
                f"RUN pip install --no-cache-dir .\nUSER {r.randint(1000, 1999)}\n"
                f"EXPOSE {r.randint(3000, 9000)}\nCMD [\"python\", \"-m\", \"{project.replace('-', '_')}\"]\n")

    # ------------------------------------------------------------------------------------- layout
    def run(self):
        r = self.r
        n = self.n
        n_py = round(n * 0.931)
        n_yaml = round(n * 0.040)
        n_md = round(n * 0.014)
        n_sh = round(n * 0.008)
        n_docker = round(n * 0.004)
        n_other_budget = n - n_py - n_yaml - n_md - n_sh - n_docker
        n_projects = max(3, n_py // 1500)
        names = set()
        projects = []
        while len(projects) < n_projects:
            nm = f"{r.choice(NOUNS)}-{r.choice(PROJECT_KINDS)}"
            if nm not in names:
                names.add(nm)
                projects.append(("services" if len(projects) % 3 else "libs", nm))
        weights = [r.uniform(0.3, 1.7) for _ in projects]
        total_w = sum(weights)

        def share(total):
            out = [int(total * w / total_w) for w in weights]
            for i in range(total - sum(out)):
                out[i % len(out)] += 1
            return out

        py_share, yaml_share, md_share = share(n_py), share(n_yaml - 40), share(n_md - 20)
        sh_share, dk_share = share(n_sh), share(n_docker)
        other_left = n_other_budget

        # root files
        self.write(".gitignore", "__pycache__/\n*.py[cod]\n.venv/\nbuild/\ndist/\n*.egg-info/\n.mypy_cache/\n"
                   ".ruff_cache/\n.pytest_cache/\n.coverage\nhtmlcov/\nnode_modules/\n.env\n", "other")
        self.write("pyproject.toml", "[tool.ruff]\nline-length = 120\ntarget-version = \"py311\"\n\n"
                   "[tool.mypy]\nignore_missing_imports = true\n", "other")
        other_left -= 2
        for i in range(40):
            self.write(f".github/workflows/{r.choice(VERBS)}-{r.choice(NOUNS)}-{i}.yml",
                       f"name: {r.choice(VERBS)} {r.choice(NOUNS)}\non:\n  push:\n    branches: [main]\njobs:\n"
                       f"  run:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
                       f"      - run: make {r.choice(VERBS)}-{i}\n", "yaml")
        for i in range(20):
            self.write(f"docs/adr/{i + 1:04d}-{r.choice(VERBS)}-{r.choice(NOUNS)}.md",
                       self.markdown(f"ADR {i + 1}: {r.choice(VERBS)} {r.choice(NOUNS)}", "platform"), "markdown")
        # ignored build products, as in a working copy
        for i in range(60):
            self.write(f"build/lib/gen_{i}.py", f"# generated {i}\nVALUE = {i}\n", "ignored", tracked=False)

        for pi, (top, proj) in enumerate(projects):
            base = f"{top}/{proj}"
            pkg = proj.replace("-", "_")
            # python: a package tree under src/, tests beside it
            n_p = py_share[pi]
            n_tests = n_p // 5
            self.py_tree(f"{base}/src/{pkg}", pkg, n_p - n_tests)
            self.py_tree(f"{base}/tests", "tests_" + pkg, n_tests, tests=True)
            for i in range(yaml_share[pi]):
                if i % 3 == 2:
                    self.write(f"{base}/config/{r.choice(NOUNS)}-{i}.yaml", self.yaml_config(proj, r.choice(NOUNS)), "yaml")
                else:
                    env, kind = ENVS[i % len(ENVS)], K8S_KINDS[(i // len(ENVS)) % len(K8S_KINDS)]
                    comp = f"{r.choice(NOUNS)}{i // (len(ENVS) * len(K8S_KINDS)) or ''}"
                    self.write(f"{base}/deploy/{env}/{comp}-{kind}.yaml", self.yaml_k8s(proj, env, kind, comp), "yaml")
            for i in range(md_share[pi]):
                rel = f"{base}/README.md" if i == 0 else f"{base}/docs/{r.choice(VERBS)}-{r.choice(NOUNS)}-{i}.md"
                self.write(rel, self.markdown(proj if i == 0 else f"{camel(r.choice(NOUNS))} notes", proj), "markdown")
            for i in range(sh_share[pi]):
                nm = f"{r.choice(VERBS)}-{r.choice(NOUNS)}-{i}"
                rel = f"{base}/bin/{nm}" if i % 4 == 3 else f"{base}/scripts/{nm}.sh"   # some found by shebang
                self.write(rel, self.shell(proj, nm), "shell", executable=True)
            for i in range(dk_share[pi]):
                rel = f"{base}/Dockerfile" if i == 0 else f"{base}/docker/{r.choice(NOUNS)}-{i}/Dockerfile"
                self.write(rel, self.dockerfile(proj, "main" if i == 0 else f"variant {i}"), "dockerfile")
            if other_left > 0:
                self.write(f"{base}/pyproject.toml", f"[project]\nname = \"{proj}\"\nversion = \"{r.randint(0, 9)}."
                           f"{r.randint(0, 40)}.0\"\nrequires-python = \">=3.11\"\n", "other")
                other_left -= 1
            if other_left > 0:
                self.write(f"{base}/requirements.txt", "".join(f"{r.choice(NOUNS)}-sdk=={r.randint(0, 9)}.{r.randint(0, 30)}\n"
                                                               for _ in range(r.randint(2, 12))), "other")
                other_left -= 1
        while other_left > 0:
            self.write(f"tools/data/{r.choice(NOUNS)}-{other_left}.json",
                       f'{{"{r.choice(FIELDS)}": {r.randint(0, 10 ** 6)}}}\n', "other")
            other_left -= 1
        self.commit()

    def py_tree(self, root_dir, pkg, count, tests=False):
        """`count` Python files in nested packages under root_dir, an __init__.py in each package."""
        r = self.r
        if count <= 0:
            return
        # Packages: grow until they can hold the modules (each holds 6-30 modules plus its __init__.py).
        dirs = [(root_dir, pkg, 0)]
        caps = [r.randint(6, 30)]
        while sum(caps) + len(dirs) < count:
            parent = r.choice([d for d in dirs if d[2] < 4])
            sub = r.choice(NOUNS) if r.random() < 0.7 else r.choice(SUFFIXES)
            path = f"{parent[0]}/{sub}"
            if any(d[0] == path for d in dirs):
                path = f"{path}_{len(dirs)}"
                sub = os.path.basename(path)
            dirs.append((path, f"{parent[1]}.{sub}", parent[2] + 1))
            caps.append(r.randint(6, 30))
        left = count - len(dirs)
        for (path, dotted, _), cap in zip(dirs, caps):
            k = min(cap, left)
            left -= k
            mods = []
            used = set()
            for _ in range(k):
                m = f"test_{r.choice(NOUNS)}_{r.choice(VERBS)}" if tests else f"{r.choice(NOUNS)}_{r.choice(SUFFIXES)}"
                if m in used:
                    m = f"{m}_{len(used)}"
                used.add(m)
                mods.append(m)
            self.write(f"{path}/__init__.py", self.py_init(dotted, mods), "python")
            for m in mods:
                self.write(f"{path}/{m}.py", self.py_module(dotted, m, dirty=r.random() < 0.08), "python")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: bigtree.py DIR [N]")
    root = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 90000
    if n < 1000:
        sys.exit("bigtree: N must be at least 1000")
    if os.path.exists(root) and os.listdir(root):
        sys.exit(f"bigtree: {root} exists and is not empty; give a new directory (or remove it first)")
    os.makedirs(root, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", root], check=True)
    g = Gen(root, n)
    g.run()
    # The index, from the commit: the working tree then shows as clean.
    subprocess.run(["git", "-C", root, "reset", "-q"], check=True)
    head = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    counts = ", ".join(f"{k} {v}" for k, v in sorted(g.counts.items(), key=lambda kv: -kv[1]))
    print(f"{root}: {sum(g.counts.values())} tracked files ({counts}); "
          f"{g.findings} Python files with a planted ruff finding; commit {head}")


if __name__ == "__main__":
    main()
