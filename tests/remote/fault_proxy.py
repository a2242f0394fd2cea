#!/usr/bin/env python3
"""An HTTP proxy for the remote-cache failure tests: forwards to one upstream and breaks answers.

    fault_proxy.py --upstream http://127.0.0.1:PORT --port-file F --mode-file M [--log L]

Listens on 127.0.0.1 on a free port and writes the port to F once listening. Every request (any
method, body and headers as sent, Host unchanged so SigV4 signatures still verify) goes to the
upstream, and the mode file, read again for each request (missing or empty: pass), says what
to do with it. Each line is a mode, optionally after a method that it is limited to; the first
line that fits the request wins:

    pass              forward and answer as the upstream did
    delay SECONDS     sleep, then forward
    status CODE       answer CODE (e.g. 500) without forwarding
    truncate          forward; send the headers with the full Content-Length but half the body, close
    flip              forward; flip one byte in the middle of the body (same length)
    reset             close the connection without answering
    GET flip          flip GETs only; other methods take the next line that fits (or pass)

The log file gets one line per request: METHOD PATH UPSTREAM_STATUS MODE (UPSTREAM_STATUS is -
when the upstream was not asked). Python 3 standard library only; SIGTERM stops it.
"""

import argparse
import http.client
import http.server
import os
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}
METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "PROPPATCH",
           "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK")


def read_mode(path, method):
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return ["pass"]
    for line in lines:
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0].upper() in METHODS and words[0].isupper():
            if words[0] != method:
                continue
            words = words[1:]
        if words:
            return words
    return ["pass"]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault_proxy"

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def record(self, status, mode):
        log = self.server.log_path
        if log:
            with self.server.log_lock, open(log, "a", encoding="utf-8") as f:
                f.write(f"{self.command} {self.path} {status} {mode}\n")

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else None

    def reset(self):
        # An RST rather than a FIN: SO_LINGER with a zero timeout.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def handle_any(self):
        body = self.read_body()
        words = read_mode(self.server.mode_path, self.command)
        mode = " ".join(words)
        kind = words[0].lower()

        if kind == "reset":
            self.record("-", mode)
            self.reset()
            return
        if kind == "status":
            code = int(words[1]) if len(words) > 1 else 500
            payload = b"fault_proxy: injected status\n"
            self.record("-", mode)
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            return
        if kind == "delay":
            time.sleep(float(words[1]) if len(words) > 1 else 5)

        headers = [(k, v) for k, v in self.headers.items()
                   if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"]
        if body is not None:
            headers.append(("Content-Length", str(len(body))))
        up = self.server.upstream
        conn = http.client.HTTPConnection(up.hostname, up.port or 80, timeout=120)
        try:
            # skip_host: the client's Host header goes through as it was (it is signed).
            conn.connect()
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for k, v in headers:
                conn.putheader(k, v)
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            status, reason, resp_headers = resp.status, resp.reason, resp.getheaders()
        except OSError as e:
            self.record("-", f"{mode} (upstream: {e})")
            self.send_error(502, f"upstream: {e}")
            return
        finally:
            conn.close()
        self.record(status, mode)

        has_body = self.command != "HEAD" and status not in (204, 304) and status >= 200
        if kind == "flip" and has_body and data:
            mid = len(data) // 2
            data = data[:mid] + bytes([data[mid] ^ 0xFF]) + data[mid + 1:]
        truncate = kind == "truncate" and has_body and len(data) > 0

        self.send_response_only(status, reason)
        for k, v in resp_headers:
            if k.lower() in HOP_BY_HOP or k.lower() == "content-length":
                continue
            self.send_header(k, v)
        if self.command == "HEAD":
            length = dict((k.lower(), v) for k, v in resp_headers).get("content-length")
            if length is not None:
                self.send_header("Content-Length", length)
        else:
            self.send_header("Content-Length", str(len(data)))
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        if not has_body:
            return
        if truncate:
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(data)

    def __getattr__(self, name):
        if name.startswith("do_"):
            return self.handle_any
        raise AttributeError(name)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--upstream", required=True, help="http://HOST:PORT")
    p.add_argument("--port-file", required=True)
    p.add_argument("--mode-file", required=True)
    p.add_argument("--log")
    p.add_argument("--port", type=int, default=0, help="listen on this port (default: a free one)")
    args = p.parse_args()

    upstream = urllib.parse.urlsplit(args.upstream)
    if upstream.scheme != "http" or not upstream.hostname:
        sys.exit(f"fault_proxy: --upstream must be http://HOST:PORT, not {args.upstream}")

    server = Server(("127.0.0.1", args.port), Handler)
    server.upstream = upstream
    server.mode_path = args.mode_file
    server.log_path = args.log
    server.log_lock = threading.Lock()

    def on_term(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)

    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(f"{server.server_address[1]}\n")
    os.replace(tmp, args.port_file)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
