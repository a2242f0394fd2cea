import json
import unittest

from app import handlers
from app.models import Item, ValidationError
from app.storage import Storage


class HandlerTests(unittest.TestCase):
    def setUp(self) -> None:
        self.storage = Storage(":memory:")
        self.storage.upsert(Item("A-1", "Anvil", quantity=3, price_cents=1999))

    def tearDown(self) -> None:
        self.storage.close()

    def test_get_known_item(self) -> None:
        status, body = handlers.get_item(self.storage, "A-1")
        self.assertEqual(status, 200)
        self.assertEqual(body["name"], "Anvil")

    def test_get_unknown_item(self) -> None:
        status, _ = handlers.get_item(self.storage, "missing")
        self.assertEqual(status, 404)

    def test_create_rejects_bad_json(self) -> None:
        status, _ = handlers.create_item(self.storage, b"{not json")
        self.assertEqual(status, 400)

    def test_create_item(self) -> None:
        body = json.dumps({"sku": "B-2", "name": "Bucket", "quantity": 1}).encode()
        status, payload = handlers.create_item(self.storage, body)
        self.assertEqual(status, 201)
        self.assertEqual(payload["sku"], "B-2")
        self.assertEqual(self.storage.count(), 2)

    def test_negative_quantity_is_invalid(self) -> None:
        with self.assertRaises(ValidationError):
            Item.from_dict({"sku": "C-3", "name": "Chain", "quantity": -1})


if __name__ == "__main__":
    unittest.main()
