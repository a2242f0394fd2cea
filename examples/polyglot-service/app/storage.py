"""SQLite persistence for inventory items."""

from __future__ import annotations

import json
import sqlite3
import threading

from app.models import Item

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    sku         TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    quantity    INTEGER NOT NULL DEFAULT 0,
    price_cents INTEGER NOT NULL DEFAULT 0,
    tags        TEXT NOT NULL DEFAULT '[]'
);
"""


def _row_to_item(row: sqlite3.Row) -> Item:
    return Item(
        sku=row["sku"],
        name=row["name"],
        quantity=row["quantity"],
        price_cents=row["price_cents"],
        tags=json.loads(row["tags"]),
    )


class Storage:
    """A thread-safe wrapper around a single SQLite conection."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._conn.executescript(SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def get(self, sku: str) -> Item | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT * FROM items WHERE sku = ?", (sku,)
            ).fetchone()
        if row is None:
            return None
        return _row_to_item(row)

    def list_items(self, limit: int = 50, offset: int = 0) -> list[Item]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT * FROM items ORDER BY sku LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
        return [_row_to_item(row) for row in rows]

    def upsert(self, item: Item) -> Item:
        with self._lock:
            self._conn.execute(
                "INSERT INTO items (sku, name, quantity, price_cents, tags) "
                "VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(sku) DO UPDATE SET name = excluded.name, "
                "quantity = excluded.quantity, price_cents = excluded.price_cents, "
                "tags = excluded.tags",
                (
                    item.sku,
                    item.name,
                    item.quantity,
                    item.price_cents,
                    json.dumps(item.tags),
                ),
            )
            self._conn.commit()
        return item

    def delete(self, sku: str) -> bool:
        with self._lock:
            cursor = self._conn.execute("DELETE FROM items WHERE sku = ?", (sku,))
            self._conn.commit()
        return cursor.rowcount

    def count(self) -> int:
        with self._lock:
            row = self._conn.execute("SELECT COUNT(*) FROM items").fetchone()
        return row[0]
