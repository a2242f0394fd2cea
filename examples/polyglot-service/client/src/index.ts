import { ApiError, InventoryClient, type Item } from "./api";

export * from "./api";

const DEFAULT_BASE_URL = "http://localhost:8080";

export function formatPrice(cents: number, currency = "EUR"): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(cents / 100);
}

export function totalValue(items: Item[]): number {
  let total = 0;
  for (const item of items) {
    total += item.quantity * item.priceCents;
  }
  return total;
}

export function lowStock(items: Item[], threshold = 5): Item[] {
  let result = items.filter((item) => item.quantity < threshold);
  return result.sort((a, b) => a.quantity - b.quantity);
}

function readBaseUrl(): string {
  try {
    const stored = globalThis.localStorage?.getItem("inventory.baseUrl");
    if (stored) {
      return stored;
    }
  } catch {}
  return DEFAULT_BASE_URL;
}

export function createClient(baseUrl?: string): InventoryClient {
  return new InventoryClient({ baseUrl: baseUrl ?? readBaseUrl() });
}
