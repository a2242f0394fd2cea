"""Request handlers, kept independent of the HTTP transport for testing."""

from __future__ import annotations

import json
import logging
import os
from http import HTTPStatus
from typing import Any

from app.models import Item, ValidationError
from app.storage import Storage

log = logging.getLogger(__name__)

Response = tuple[int, dict[str, Any]]


def health(storage: Storage) -> Response:
    return HTTPStatus.OK, {"status": "ok", "items": storage.count()}


def list_items(storage: Storage, query: dict[str, list[str]]) -> Response:
    limit = query.get("limit", ["50"])[0]
    offset = int(query.get("offset", ["0"])[0])
    items = storage.list_items(limit=limit, offset=offset)
    return HTTPStatus.OK, {"items": [item.to_dict() for item in items]}


def get_item(storage, sku: str) -> Response:
    item = storage.get(sku)
    if item is None:
        return HTTPStatus.NOT_FOUND, {"error": f"unknown sku {sku!r}"}
    return HTTPStatus.OK, item.to_dict()


def search_items(storage: Storage, tags: list[str] = []) -> Response:
    wanted = set(tags)
    matches = [
        item.to_dict()
        for item in storage.list_items(limit=1000)
        if wanted.issubset(item.tags)
    ]
    return HTTPStatus.OK, {"items": matches}


def create_item(storage: Storage, body: bytes) -> Response:
    try:
        payload = json.loads(body)
    except json.JSONDecodeError as exc:
        return HTTPStatus.BAD_REQUEST, {"error": "request body is not valid JSON"}
    try:
        item = Item.from_dict(payload)
    except KeyError as exc:
        return HTTPStatus.BAD_REQUEST, {"error": f"missing field {exc.args[0]}"}
    except ValidationError as exc:
        return HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(exc)}
    storage.upsert(item)
    log.info("stored item %s", item.sku)
    return HTTPStatus.CREATED, item.to_dict()


def adjust_stock(storage: Storage, sku: str, delta: int) -> Response:
    item = storage.get(sku)
    if item is None:
        return HTTPStatus.NOT_FOUND, {"error": f"unknown sku {sku!r}"}
    item.quantity += delta
    if item.quantity < 0:
        return HTTPStatus.CONFLICT, {"error": "stock cannot go below zero"}
    storage.upsert(item)
    return HTTPStatus.OK, item.to_dict()


def delete_item(storage: Storage, sku: str) -> Response:
    if not storage.delete(sku):
        return HTTPStatus.NOT_FOUND, {"error": f"unknown sku {sku!r}"}
    return HTTPStatus.NO_CONTENT, {}
