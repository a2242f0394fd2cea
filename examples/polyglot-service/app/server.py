"""HTTP transport for the inventory API, built on the standard library."""

from __future__ import annotations

import logging
import argparse
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from app import __version__, handlers
from app.storage import Storage

log = logging.getLogger("inventory")


class InventoryHandler(BaseHTTPRequestHandler):
    server_version = f"inventory/{__version__}"
    storage: Storage

    def do_GET(self) -> None:
        url = urlparse(self.path)
        parts = [p for p in url.path.split("/") if p]
        if parts == ["healthz"]:
            self._send(*handlers.health(self.storage))
        elif parts == ["items"]:
            self._send(*handlers.list_items(self.storage, parse_qs(url.query)))
        elif len(parts) == 2 and parts[0] == "items":
            self._send(*handlers.get_item(self.storage, parts[1]))
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self) -> None:
        parts = [p for p in urlparse(self.path).path.split("/") if p]
        if not self.headers.get("Content-Type").startswith("application/json"):
            self._send(415, {"error": "expected application/json"})
            return
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if parts == ["items"]:
            self._send(*handlers.create_item(self.storage, body))
        elif len(parts) == 3 and parts[0] == "items" and parts[2] == "adjust":
            delta = int(json.loads(body or b"{}").get("delta", 0))
            self._send(*handlers.adjust_stock(self.storage, parts[1], delta))
        else:
            self._send(404, {"error": "not found"})

    def do_DELETE(self) -> None:
        parts = [p for p in urlparse(self.path).path.split("/") if p]
        if len(parts) == 2 and parts[0] == "items":
            self._send(*handlers.delete_item(self.storage, parts[1]))
        else:
            self._send(404, {"error": "not found"})

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode() if payload else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        log.info("%s - " + format, self.address_string(), *args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inventory-server")
    parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--db", default=os.environ.get("DB_PATH", "inventory.db"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    port: int = args.port or os.environ.get("PORT", "8080")
    InventoryHandler.storage = Storage(args.db)
    server = ThreadingHTTPServer((args.host, port), InventoryHandler)
    log.info("inventory service %s listening on %s:%d (database: %s)", __version__, args.host, port, args.db)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("shutting down")
    finally:
        server.server_close()
        InventoryHandler.storage.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
