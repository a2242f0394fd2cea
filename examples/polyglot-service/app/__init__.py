"""Inventory service: a tiny JSON-over-HTTP API backed by SQLite."""

__version__ = "0.4.2"

__all__ = ["__version__"]
