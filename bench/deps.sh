#!/usr/bin/env bash
# The shape of the crate, measured from its own source, to track a refactor.
#   bench/deps.sh [--check] [SRC_DIR]   (default: src next to bench/)
# With --check it prints only what breaks the rules of direction in ARCHITECTURE.md (a file cycle, a
# top-level cycle, a module importing one that comes after it in LAYERS) and exits 1 if anything does.
# Prints, sorted: file count, top-level entries, cycles in the file dependency graph and in that graph
# collapsed to top-level modules, files importing each other, long functions, functions with many
# parameters, calls with a bare bool argument, plain-`pub` items. Production code only (items under
# #[cfg(test)] / #[test] and files declared only under #[cfg(test)] are left out) unless a line says so.
# Edge A -> B: A names (by `use`, or inline via crate::/super::/self::, a `mod x;` child or a name it
# imported) an item defined in B, re-exports followed; re-exports in mod.rs/lib.rs are not edges.
# No cargo: a small tokenizer (comments, strings, raw strings, chars vs lifetimes) is enough.
set -u
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
src=${1:-"$(dirname "$0")/../src"}
[ -d "$src" ] || { echo "deps.sh: not a directory: $src" >&2; exit 2; }
exec python3 - "$src" "$check" <<'PY'
import bisect, os, re, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)        # `deps.sh | head` is fine
from collections import Counter, defaultdict

SRC = sys.argv[1]
CHECK = sys.argv[2] == "1"
# The top-level modules in the order of ARCHITECTURE.md: each may import only those before it.
LAYERS = ['model', 'parse', 'catalog', 'config', 'walk', 'plan', 'filter', 'report', 'engine', 'lsp', 'commands', 'cli']
_warned = set()
def warn(msg):
    if msg not in _warned: _warned.add(msg); print(f"deps.sh: warning: {msg}", file=sys.stderr)

# ---- tokenizer: (kind, text, line); kinds: id, lit, lt (lifetime), p (punctuation); needs Python 3.11 --
TOKEN = re.compile(r'''(?:\s|//[^\n]*)*+(?:             # whitespace and // comments, possessively
   (?P<bc>/\*)
 | (?P<raw>[bc]?r(?P<h>\#*)".*?"(?P=h))
 | (?P<str>[bc]?"(?:[^"\\]|\\.)*")
 | (?P<chr>b?'(?:[^'\\\n]|\\(?:u\{[0-9a-fA-F_]+\}|x[0-9a-fA-F]{2}|.))')
 | (?P<lt>'[^\W\d]\w*) | (?P<rid>r\#[^\W\d]\w*) | (?P<id>[^\W\d]\w*) | (?P<num>\d\w*)
 | (?P<p>::|->|=>|\S))''', re.X | re.S)

def tokenize(text):
    toks, pos, n = [], 0, len(text)
    newlines = [m.start() for m in re.finditer('\n', text)]
    while True:
        m = TOKEN.match(text, pos)
        if m is None: break                                # only whitespace left
        kind, start, pos = m.lastgroup, m.start(m.lastgroup), m.end()
        line = bisect.bisect_left(newlines, start) + 1
        if kind == 'bc':                                   # nested block comment
            depth = 1
            while depth and pos < n:
                if text.startswith('/*', pos): depth, pos = depth + 1, pos + 2
                elif text.startswith('*/', pos): depth, pos = depth - 1, pos + 2
                else: pos += 1
            if depth: raise ValueError(f"unterminated block comment at line {line}")
        elif kind in ('id', 'rid'): toks.append(('id', m.group(kind)[2 if kind == 'rid' else 0:], line))
        elif kind in ('raw', 'str', 'chr', 'num'): toks.append(('lit', m.group(kind), line))
        elif kind in ('lt', 'p'): toks.append((kind, m.group(kind), line))
    return toks

OPEN, CLOSE = {'(': ')', '[': ']', '{': '}'}, {')', ']', '}'}
_pairs = {}
def match(toks, i):
    """Index of the bracket closing the one at i (all pairs of a token list are found once)."""
    if id(toks) not in _pairs:
        pairs, stack = _pairs.setdefault(id(toks), {}), []
        for j, t in enumerate(toks):
            if t[1] in OPEN: stack.append(j)
            elif t[1] in CLOSE and stack: pairs[stack.pop()] = j
    if i not in _pairs[id(toks)]: raise ValueError(f"unbalanced {toks[i][1]!r} at line {toks[i][2]}")
    return _pairs[id(toks)][i]

def text(toks, i): return toks[i][1] if 0 <= i < len(toks) else ''

# ---- test code: drop items under #[cfg(test)] / #[test]; note `mod x;` declared that way ------------
ITEM_KW = {'fn', 'struct', 'enum', 'impl', 'mod', 'use', 'trait', 'type', 'const', 'static', 'extern',
           'unsafe', 'async', 'union', 'macro_rules', 'let'}
def is_test_attr(toks, i):   # '#' '[' cfg ( test ) ']'  or  '#' '[' test ']'
    ts = [t[1] for t in toks[i:i + 7]]
    return ts[:2] == ['#', '['] and (ts[2:7] == ['cfg', '(', 'test', ')', ']'] or ts[2:4] == ['test', ']'])

def strip_tests(toks):
    """(production tokens, names of `mod x;` declared under cfg(test), whole file is test-only)."""
    if [t[1] for t in toks[:8]] == ['#', '!', '[', 'cfg', '(', 'test', ')', ']']: return [], set(), True
    out, test_mods, i, n = [], set(), 0, len(toks)
    while i < n:
        if not (toks[i][1] == '#' and is_test_attr(toks, i)):
            out.append(toks[i]); i += 1; continue
        j = match(toks, i + 1) + 1
        while text(toks, j) == '#' and text(toks, j + 1) == '[': j = match(toks, j + 1) + 1
        k = j + 1 if text(toks, j) == 'pub' else j
        if text(toks, k) == '(': k = match(toks, k) + 1
        if text(toks, k) == 'mod' and text(toks, k + 2) == ';': test_mods.add(text(toks, k + 1))
        item, depth = text(toks, k) in ITEM_KW, 0   # an item ends at `;` or its block; else at `,` too
        while j < n:
            t = toks[j][1]
            if t in OPEN: depth += 1
            elif t in CLOSE:
                if depth == 0: break                      # end of the enclosing block: keep it
                depth -= 1
                if depth == 0 and t == '}' and item: j += 1; break
            elif depth == 0 and (t == ';' or (t == ',' and not item)): j += 1; break
            j += 1
        i = j
    return out, test_mods, False

# ---- use trees: `use a::{b::{C, D as E}, f::*, self};` -> [(path segments, bound name)] -------------
def parse_use(toks, i, prefix=()):
    segs = list(prefix)
    if text(toks, i) == '::': i += 1
    while True:
        t = text(toks, i)
        if t == '{':
            out, i = [], i + 1
            while text(toks, i) != '}':
                e, i = parse_use(toks, i, segs); out += e
                if text(toks, i) == ',': i += 1
                elif text(toks, i) != '}': raise ValueError(f"bad use group at line {toks[i][2]}")
            return out, i + 1
        if t == '*': return [(segs, '*')], i + 1
        if toks[i][0] != 'id': raise ValueError(f"bad use path at line {toks[i][2]}")
        segs.append(t); i += 1
        if text(toks, i) != '::': break
        i += 1
    name = segs[-1]
    if name == 'self' and len(segs) > 1: segs = segs[:-1]; name = segs[-1]
    if text(toks, i) == 'as': name, i = text(toks, i + 1), i + 2
    return [(segs, name)], i

def visibility_before(toks, i):
    """'pub', 'pub(..)' or '' for the item whose keyword is at i."""
    j = i - 1 if text(toks, i - 1) != ')' else next(k for k in range(i - 1, -1, -1) if toks[k][1] == '(') - 1
    return ('pub' if j == i - 1 else 'pub(..)') if text(toks, j) == 'pub' else ''

# ---- read every file ---------------------------------------------------------------------------------
files = {}                                # rel path -> dict
for root, dirs, names in os.walk(SRC):
    dirs.sort()
    for nm in names:
        if not nm.endswith('.rs'): continue
        rel = os.path.relpath(os.path.join(root, nm), SRC).replace(os.sep, '/')
        parts = rel[:-3].split('/')
        if parts[-1] == 'mod': parts = parts[:-1]
        is_main, is_root = rel == 'main.rs', rel in ('lib.rs', 'main.rs')
        files[rel] = f = dict(rel=rel, mod=() if is_root else tuple(parts), main=is_main, ok=False,
                              all=[], test_mods=(), test_only=False,
                              top='main' if is_main else 'lib' if rel == 'lib.rs' else parts[0])
        try:
            with open(os.path.join(root, nm), encoding='utf-8', errors='replace') as fh: src = fh.read()
            f['lines'] = src.split('\n')
            f['all'] = tokenize(src)
            f['prod'], f['test_mods'], f['test_only'] = strip_tests(f['all'])
            f['ok'] = True
        except Exception as e:
            warn(f"{rel}: cannot parse ({e}); left out of the measures that need it")

modfile = {f['mod']: r for r, f in files.items() if not f['main']}
test_prefixes = {files[r]['mod'] + (m,) for r in files for m in files[r]['test_mods']}
for f in files.values():    # a file declared only under #[cfg(test)] (and everything below it) is test code
    if any(f['mod'][:len(p)] == p for p in test_prefixes): f['test_only'] = True
prod = {r: f for r, f in sorted(files.items()) if f['ok'] and not f['test_only']}

# ---- per file: child modules, imports, re-exports, inline paths, defined names -------------------------
DEF_KW = {'fn', 'struct', 'enum', 'trait', 'type', 'const', 'static', 'union', 'mod'}
def absolutize(segs, f, local=None):
    """Crate-absolute segments (without `crate`) for a path written in file f, or None if external."""
    s0 = segs[0]
    if s0 == 'crate' or (f['main'] and s0 == 'lintmux'): return list(segs[1:])
    if s0 in ('super', 'self'):
        cur, k = list(f['mod']), 0
        while k < len(segs) and segs[k] in ('super', 'self'):
            if segs[k] == 'super': cur = cur[:-1]
            k += 1
        return cur + list(segs[k:])
    if s0 in f['children']: return list(f['mod']) + list(segs)
    if local and s0 in local: return local[s0] + list(segs[1:])
    return None

reexports = defaultdict(dict)             # module -> {name: absolute target}
globs = defaultdict(list)                 # module -> [absolute module path] from `pub use x::*`
for f in prod.values():
    t = f['prod']
    f['children'] = {text(t, i + 1) for i in range(len(t)) if t[i][1] == 'mod' and text(t, i + 2) == ';'}
    f['defs'] = {text(t, i + 1) for i in range(len(t) - 1) if t[i][1] in DEF_KW and t[i + 1][0] == 'id'}
    f['uses'], f['inline'], skip = [], [], set()
    try:
        for i in range(len(t)):
            if t[i][1] == 'use' and i not in skip:
                vis = visibility_before(t, i)
                entries, end = parse_use(t, i + 1)
                skip.update(range(i, end))
                for segs, name in entries:
                    a = absolutize(segs, f)
                    if a is None: continue
                    if vis and name == '*': globs[f['mod']].append(a)
                    elif vis: reexports[f['mod']][name] = a
                    f['uses'].append((a, name, bool(vis)))
            elif t[i][1] == 'pub' and text(t, i + 1) == '(' and text(t, i + 2) == 'in':
                skip.update(range(i, match(t, i + 1) + 1))   # pub(in crate::x) is not a reference
        local = {name: a for a, name, _ in f['uses'] if name != '*'}
        i = 0
        while i < len(t):                 # inline paths: ident (:: ident)+ not preceded by `::`
            if i not in skip and t[i][0] == 'id' and text(t, i + 1) == '::' and text(t, i - 1) != '::':
                segs, j = [t[i][1]], i + 1
                while text(t, j) == '::' and t[j + 1][0] == 'id': segs.append(t[j + 1][1]); j += 2
                a = absolutize(segs, f, local) if len(segs) > 1 else None
                if a is not None: f['inline'].append((a, text(t, j) == '('))   # (path, is a call)
                i = j
            else: i += 1
    except Exception as e:
        warn(f"{f['rel']}: cannot read its paths ({e}); its edges may be missing")

def resolve(segs, guard=0, call=False):
    """The file that really defines the item at crate-absolute path segs (re-exports followed).
    A called path `crate::run(..)` names a function: a re-export `run` wins over a module `run`."""
    k = len(segs) - (1 if call and segs and segs[-1] in reexports[tuple(segs[:-1])] else 0)
    while k > 0 and tuple(segs[:k]) not in modfile: k -= 1
    m, rest = tuple(segs[:k]), segs[k:]
    if m not in modfile: return None
    if rest and guard < 32:
        if rest[0] in reexports[m]:
            r = resolve(reexports[m][rest[0]] + rest[1:], guard + 1)
            if r: return r
        for g in globs[m]:
            r = resolve(g + rest, guard + 1)
            if r and (rest[0] in prod.get(r, {}).get('defs', ()) or tuple(g + rest[:1]) in modfile): return r
    return modfile[m]

edges = defaultdict(set)
for r, f in prod.items():
    structural = r == 'lib.rs' or r.endswith('/mod.rs') or r == 'mod.rs'
    refs = [(a, False) for a, name, vis in f['uses'] if not (vis and structural)] + f['inline']
    for a, call in refs:
        dst = resolve(a, call=call)
        if dst and dst != r and dst in prod: edges[r].add(dst)

# ---- strongly connected components: u and v together when each reaches the other (graphs are small) --
def sccs(nodes, succ):
    reach = {}
    for v in nodes:
        seen, todo = set(), [v]
        while todo:
            for w in succ.get(todo.pop(), ()):
                if w not in seen: seen.add(w); todo.append(w)
        reach[v] = seen
    comps = {tuple(sorted({v} | {u for u in reach[v] if v in reach[u]})) for v in nodes}
    return sorted((list(c) for c in comps), key=lambda c: (-len(c), c))

def strip_rs(p): return p[:-3]

# ---- functions: length in lines (fn keyword to closing brace) and parameter count ------------------
def functions(f, toks):
    out, n = [], len(toks)
    for i in range(n - 2):
        if toks[i][1] != 'fn' or toks[i + 1][0] != 'id': continue
        j = i + 2
        if text(toks, j) == '<':                           # generics
            depth = 0
            while j < n:
                depth += {'<': 1, '>': -1}.get(toks[j][1], 0); j += 1
                if depth == 0: break
        if text(toks, j) != '(': continue
        end = match(toks, j)
        params, depth = [[]], 0                          # split at top-level commas
        for t in toks[j + 1:end]:
            depth += 1 if t[1] in OPEN or t[1] == '<' else -1 if t[1] in CLOSE or t[1] == '>' else 0
            if t[1] == ',' and depth == 0: params.append([])
            else: params[-1].append(t[1])
        lead = [[x for x in p if x not in ('&', 'mut') and not x.startswith("'")][:1] for p in params]
        nparams = sum(1 for p, l in zip(params, lead) if p and l != ['self'])
        k, depth, length = end + 1, 0, None
        while k < n:                                         # return type / where clause, then body
            t = toks[k][1]
            if t in ('(', '[', '<'): depth += 1
            elif t in (')', ']', '>'): depth -= 1
            elif depth <= 0 and t == '{': length = toks[match(toks, k)][2] - toks[i][2] + 1; break
            elif depth <= 0 and t in (';', '}'): break
            k += 1
        out.append((f['rel'], toks[i][2], toks[i + 1][1], length, nparams))
    return out

def guarded(measure, f, *args):
    """measure(f, *args), or nothing (with a warning) when the file trips it up."""
    try: return measure(f, *args)
    except Exception as e: warn(f"{f['rel']}: {measure.__name__} failed ({e}); left out"); return []

# ---- bare bool arguments -----------------------------------------------------------------------------
KEYWORDS = set('if while match return in for loop let as fn move unsafe else break continue where impl mut '
               'ref pub crate super self dyn await yield async'.split())
NOT_CALLEES = {'then_some', 'unwrap_or', 'map_or', 'map_or_else', 'store', 'swap'}
BOOL_RULE = ("# rule: a call `name(..)` or `name::<T>(..)` whose callee starts lowercase (not a keyword, "
             "not a macro, not a fn declaration, not inside a macro call or attribute) with an argument "
             "that is exactly `true`/`false`; callees not counted: " + ", ".join(sorted(NOT_CALLEES)) +
             ", compare_exchange*, fetch_*")
def bare_bools(f):
    t, n, hidden, out = f['prod'], len(f['prod']), set(), []
    for i in range(n - 2):            # token ranges that are not expressions: macro arguments, attributes
        s, o = t[i][1], i + 1 if t[i + 1][1] in OPEN else None
        if s == '!' and i and t[i - 1][0] == 'id' and t[i - 1][1] not in KEYWORDS:  # m!(..), macro_rules! m {}
            o = i + 2 if o is None and t[i + 1][0] == 'id' and t[i + 2][1] in OPEN else o
        elif s == '#' and text(t, i + 1) in ('[', '!'):                        # #[..], #![..]
            o = i + 1 if t[i + 1][1] == '[' else i + 2
        else: o = None
        if o: hidden.update(range(i, match(t, o) + 1))
    for j in range(1, n):
        if t[j][1] != '(' or j in hidden: continue
        c = j - 1
        if t[c][1] == '>' and c >= 1:                      # turbofish: name::<T>(
            depth = 0
            while c > 0:
                depth += {'>': 1, '<': -1}.get(t[c][1], 0)
                if depth == 0: break
                c -= 1
            c = c - 2 if text(t, c - 1) == '::' else -1
        if c < 0 or t[c][0] != 'id' or not (t[c][1][0].islower() or t[c][1][0] == '_'): continue
        name = t[c][1]
        if name in KEYWORDS or name in NOT_CALLEES or name.startswith(('fetch_', 'compare_exchange')): continue
        if text(t, c - 1) == 'fn': continue
        end, arg, depth, bare = match(t, j), [], 0, None
        for k in range(j + 1, end + 1):
            x = t[k][1]
            if (x == ',' and depth == 0) or k == end:
                if len(arg) == 1 and arg[0][1] in ('true', 'false') and bare is None: bare = arg[0][2]
                arg = []; continue
            depth += 1 if x in OPEN else -1 if x in CLOSE else 0
            arg.append(t[k])
        # What is called: a path `Type::name(` names its type, `.name(` is a method call.
        how = ('method', None) if text(t, c - 1) == '.' else \
              ('path', text(t, c - 2)) if text(t, c - 1) == '::' else ('fn', None)
        if bare: out.append((f['rel'], bare, f['lines'][bare - 1].strip(), name, how))
    return out

# ---- plain `pub` items ---------------------------------------------------------------------------------
def pub_items(f):
    toks, kinds = f['prod'], Counter()
    for i, (kind, s, _) in enumerate(toks):
        if s != 'pub' or text(toks, i + 1) == '(': continue
        nxt = [x[1] for x in toks[i + 1:i + 5]]
        if nxt and nxt[0] in ('const', 'async', 'unsafe', 'extern') and 'fn' in nxt[:4]: kinds['fn'] += 1
        elif nxt and nxt[0] in ('fn', 'struct', 'enum', 'use'): kinds[nxt[0]] += 1
        elif nxt and nxt[0] in ('trait', 'type', 'const', 'static', 'mod', 'union', 'extern'):
            kinds['other'] += 1
        elif text(toks, i - 1) in ('(', ',') or (toks[i + 1][0] == 'id' and text(toks, i + 2) == ':'):
            kinds['field'] += 1                                  # `pub name: T` in a struct, `(pub T)`
        else: kinds['other'] += 1
    return kinds

# ---- --check: the rules of direction ------------------------------------------------------------------
def check_rules():
    comps = [c for c in sccs(prod, edges) if len(c) >= 2]
    tops = sorted({f['top'] for f in prod.values()} - {'lib', 'main'})
    tedges = defaultdict(set)
    for ta, tb in {(prod[a]['top'], prod[b]['top']) for a in edges for b in edges[a]}:
        if ta != tb and not {ta, tb} & {'lib', 'main'}: tedges[ta].add(tb)
    broken = [f"file cycle: {', '.join(map(strip_rs, c))}" for c in comps]
    for t in tops:
        if t not in LAYERS:
            broken.append(f"top-level module `{t}` is not in LAYERS (bench/deps.sh) and ARCHITECTURE.md")
            continue
        for u in sorted(tedges[t]):
            if u in LAYERS and LAYERS.index(u) > LAYERS.index(t):
                broken.append(f"`{t}` imports `{u}`, which comes after it")
    for line in broken: print(f"deps.sh: {line}")
    sys.exit(1 if broken else 0)

if CHECK: check_rules()

# ---- report --------------------------------------------------------------------------------------------
print(f"# crate shape of {os.path.basename(os.path.abspath(SRC))}/ (paths relative to it)")
print(f"files: {len(files)}")
entries = sorted(e for e in os.listdir(SRC) if not e.startswith('.'))
print(f"top-level entries: {len(entries)}")
if entries: print("  " + "  ".join(entries))
skipped = sorted(r for r, f in files.items() if f['test_only'])
if skipped: print(f"test-only files left out: {', '.join(skipped)}")

comps = [c for c in sccs(prod, edges) if len(c) >= 2]
print(f"\nfile edges: {sum(len(v) for v in edges.values())} among {len(prod)} production files")
print(f"largest file cycle: {len(comps[0])} files" if comps else "largest file cycle: 0 (no cycle)")
print(f"file cycles (strongly connected components of >= 2 files): {len(comps)}")
for c in comps: print(f"  ({len(c)}) " + ", ".join(map(strip_rs, c)))

tops = sorted({f['top'] for f in prod.values()} - {'lib', 'main'})
tedges = defaultdict(set)
for ta, tb in {(prod[a]['top'], prod[b]['top']) for a in edges for b in edges[a]}:
    if ta != tb and not {ta, tb} & {'lib', 'main'}: tedges[ta].add(tb)
tcomps = [c for c in sccs(tops, tedges) if len(c) >= 2]
print("\ntop-level modules and what each imports:")
for t in tops: print(f"  {t:<10} -> {', '.join(sorted(tedges[t])) or '(nothing)'}")
print(f"\ntop-level module cycles: {len(tcomps)} (of {len(tops)} top-level modules; lib, main left out)")
for c in tcomps: print(f"  ({len(c)} of {len(tops)}) " + ", ".join(c))

pairs = sorted((a, b) for a in edges for b in edges[a] if a < b and a in edges.get(b, ()))
print(f"\npairs of files that import each other: {len(pairs)}")
for a, b in pairs: print(f"  {strip_rs(a)} <-> {strip_rs(b)}")

fns = [x for f in prod.values() for x in guarded(functions, f, f['prod'])]
fns_all = [x for f in files.values() if f['ok'] for x in guarded(functions, f, f['all'])]
long = sorted((x for x in fns if x[3] and x[3] > 100), key=lambda x: (-x[3], x[0], x[1]))
print(f"\nfunctions over 100 lines: {len(long)}  (from the `fn` line to the closing brace)")
for rel, line, name, length, _ in long: print(f"  {rel}:{line} {name} ({length} lines)")
print(f"functions over 100 lines, tests included: {sum(1 for x in fns_all if x[3] and x[3] > 100)}")

many = sorted((x for x in fns if x[4] > 5), key=lambda x: (-x[4], x[0], x[1]))
print(f"\nfunctions with more than 5 parameters: {len(many)}  (self not counted)")
for rel, line, name, _, p in many: print(f"  {rel}:{line} {name} ({p} parameters)")

# A bare bool matters where the crate could say what it means: calls of its own functions. Calls of other
# crates' builders (OpenOptions::create(true), WalkBuilder::hidden(false)) are only counted.
own_fns = {x[2] for x in fns}
own_types = {m.group(1) for f in prod.values() for m in re.finditer(r'\b(?:struct|enum|trait|type)\s+([A-Z]\w*)',
                                                                    '\n'.join(f['lines']))}
STD_METHODS = {'new', 'write', 'read', 'open', 'create', 'append', 'truncate', 'insert', 'push', 'get', 'set'}
def own_call(name, how):
    kind, qualifier = how
    if name not in own_fns: return False
    if kind == 'path' and qualifier[:1].isupper(): return qualifier in own_types
    return not (kind == 'method' and name in STD_METHODS)
bools = sorted(x for f in prod.values() for x in guarded(bare_bools, f))
own = [x for x in bools if own_call(x[3], x[4])]
print(f"\ncall sites with a bare bool argument to one of the crate's functions: {len(own)}"
      f"  (and {len(bools) - len(own)} to other crates' APIs)")
print(f"  {BOOL_RULE}")
for rel, line, src_line, _, _ in own: print(f"  {rel}:{line}: {src_line}")

k = sum((Counter(guarded(pub_items, f)) for f in prod.values()), Counter())
print(f"\npub items: {sum(k.values())} (fn {k['fn']}, struct {k['struct']}, enum {k['enum']}, "
      f"field {k['field']}, use {k['use']}, other {k['other']})")
sys.exit(0)
PY
