"""Domain models for the inventory service."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, List

MAX_NAME_LENGTH = 120


class ValidationError(ValueError):
    """Raised when a request payload does not describe a valid item."""


@dataclass
class Item:
    sku: str
    name: str
    quantity: int = 0
    price_cents: int = 0
    tags: List[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def total_value_cents(self) -> int:
        return self.quantity * self.price_cents

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        sku = str(data["sku"]).strip()
        name = str(data["name"]).strip()
        if not sku:
            raise ValidationError("sku must not be empty")
        if len(name) > MAX_NAME_LENGTH:
            raise ValidationError(f"name longer than {MAX_NAME_LENGTH} characters")
        try:
            quantity = int(data.get("quantity", 0))
            price_cents = int(data.get("price_cents", 0))
        except (TypeError, ValueError):
            raise ValidationError("quantity and price_cents must be integers")
        if quantity < 0 or price_cents < 0:
            raise ValidationError("quantity and price_cents must not be negative")
        tags = [str(tag) for tag in data.get("tags", [])]
        return cls(sku, name, quantity, price_cents, tags)
