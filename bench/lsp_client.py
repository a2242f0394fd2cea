#!/usr/bin/env python3
"""Measures `lintmux lsp` as an editor sees it: a client over stdio (standard library only).

    lsp_client.py LINTMUX ROOT FILE HANDRUN_SCRIPT RUNS [HANDRUN_POOL_SCRIPT]

ROOT is a repository (a copy: the bench edits FILE in it, as an editor saving it would), FILE a Python
file in it (root-relative). HANDRUN_SCRIPT runs the linters lintmux runs on FILE by hand, with lintmux's
argv (bench/handrun.py), for the linters' own time. Prints one `key value` line per measure:

  save_ms        didSave of FILE (changed on disk) to its publishDiagnostics, median of RUNS
  hand_ms        the same linters on the same file, by hand, median of RUNS (after the same change)
  save_minus_hand_ms  the median of each save's time less the hand-run's right after it (paired)
  hand_pool_ms   the same processes by hand, as many at a time as lintmux's pool runs (HANDRUN_POOL_SCRIPT)
  reopen_ms      didClose + didOpen of FILE, unchanged, to its publishDiagnostics (the result cache)
  idle_rss_kb    the server's RSS after initialize, nothing open
  open_rss_kb    its RSS with FILE open and linted
  typing_*       1,000 didChange in about a minute (bursts of 20 keystrokes 40 ms apart, then a 400 ms
                 pause: 50 debounce windows): runs started, diagnostics published, RSS before and after
"""

import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time


class Client:
    def __init__(self, argv, env):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)
        self.next_id = 0
        self.inbox = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            msg = json.loads(out.read(length))
            self.inbox.put((time.monotonic(), msg))

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, wanted, within=300):
        """The first message `wanted` accepts, and when it arrived; the server's requests are answered."""
        deadline = time.monotonic() + within
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                sys.exit("lsp_client: nothing came in time")
            item = self.inbox.get(timeout=left)
            if item is None:
                sys.exit("lsp_client: the server closed its output")
            at, msg = item
            self.seen(msg)
            if "id" in msg and "method" in msg:
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                continue
            if wanted(msg):
                return at, msg

    def seen(self, msg):
        if msg.get("method") == "window/logMessage" and msg["params"]["message"].startswith("run "):
            self.runs += 1
        if msg.get("method") == "textDocument/publishDiagnostics":
            self.published += 1

    runs = 0
    published = 0

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


def published_for(uri, version=None):
    def wanted(msg):
        return (msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri
                and (version is None or msg["params"].get("version") == version))
    return wanted


def main():
    lintmux, root, rel, handrun, runs = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
    handpool = sys.argv[6] if len(sys.argv) > 6 else None
    path = os.path.join(root, rel)
    uri = "file://" + path
    options = {"lint": "save"}
    if os.environ.get("BENCH_LINTERS"):
        options["linters"] = os.environ["BENCH_LINTERS"].split(",")
    c = Client([lintmux, "lsp"], dict(os.environ))
    init = c.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + root, "capabilities": {},
                                    "initializationOptions": options})
    c.wait(lambda m: m.get("id") == init)
    c.notify("initialized", {})
    time.sleep(1)
    print("idle_rss_kb", c.rss_kb())
    with open(path) as f:
        text = f.read()
    version = 1
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}})
    c.wait(published_for(uri))
    print("open_rss_kb", c.rss_kb())

    # didSave of a changed file: the editor wrote it, then says so.
    saves, hands, pools = [], [], []
    for i in range(runs):
        text = text + f"\n# edit {i}\n"
        version += 1
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                            "contentChanges": [{"text": text}]})
        with open(path, "w") as f:
            f.write(text)
        sent = time.monotonic()
        c.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        at, _ = c.wait(published_for(uri, version))
        saves.append((at - sent) * 1000)
        # The linters by hand on the same content (their caches as warm as lintmux's).
        t0 = time.monotonic()
        subprocess.run(["bash", handrun], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        hands.append((time.monotonic() - t0) * 1000)
        if handpool:
            t0 = time.monotonic()
            subprocess.run(["bash", handpool], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            pools.append((time.monotonic() - t0) * 1000)
    print("save_ms", round(statistics.median(saves), 1), "all:", " ".join(f"{s:.0f}" for s in saves))
    print("hand_ms", round(statistics.median(hands), 1), "all:", " ".join(f"{s:.0f}" for s in hands))
    # Paired: each save against the hand-run right after it (the machine's load moves both alike).
    print("save_minus_hand_ms", round(statistics.median(a - b for a, b in zip(saves, hands)), 1))
    if pools:
        print("save_minus_pool_ms", round(statistics.median(a - b for a, b in zip(saves, pools)), 1))
        print("hand_pool_ms", round(statistics.median(pools), 1), "all:", " ".join(f"{s:.0f}" for s in pools))

    # Reopening the unchanged file: the result cache answers.
    reopens = []
    for _ in range(runs):
        c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        c.wait(published_for(uri))  # the close clears its diagnostics
        version += 1
        sent = time.monotonic()
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}})
        at, _ = c.wait(published_for(uri, version))
        reopens.append((at - sent) * 1000)
    print("reopen_ms", round(statistics.median(reopens), 1), "all:", " ".join(f"{s:.0f}" for s in reopens))

    # Typing: lint on change, 1,000 keystrokes.
    c.notify("workspace/didChangeConfiguration", {"settings": {"lintmux": {**options, "lint": "change"}}})
    c.wait(published_for(uri))  # the reload lints open files again
    time.sleep(1)
    before = c.rss_kb()
    c.runs = c.published = 0
    typed = text
    start = time.monotonic()
    for burst in range(50):
        for k in range(20):
            typed += "x" if k < 19 else "\n"
            version += 1
            c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                "contentChanges": [{"text": typed}]})
            time.sleep(0.04)
        time.sleep(0.4)
    c.wait(published_for(uri, version))
    typing_s = time.monotonic() - start
    time.sleep(1)
    # Read what else arrived.
    while True:
        try:
            item = c.inbox.get(timeout=0.5)
        except queue.Empty:
            break
        if item:
            c.seen(item[1])
    after = c.rss_kb()
    print("typing_changes", 1000, "in_s", round(typing_s, 1), "windows", 50)
    print("typing_runs", c.runs, "published", c.published)
    print("typing_rss_kb", before, after, f"{(after - before) * 100 / before:+.1f}%")

    shut = c.request("shutdown", None)
    c.wait(lambda m: m.get("id") == shut)
    c.notify("exit", None)
    print("exit_code", c.proc.wait(timeout=30))


if __name__ == "__main__":
    main()
