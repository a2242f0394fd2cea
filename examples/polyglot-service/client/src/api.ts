export interface Item {
  sku: string;
  name: string;
  quantity: number;
  priceCents: number;
  tags: string[];
}

interface ItemWire {
  sku: string;
  name: string;
  quantity: number;
  price_cents: number;
  tags: string[];
}

export interface ClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

function fromWire(wire: any): Item {
  return {
    sku: wire.sku,
    name: wire.name,
    quantity: wire.quantity,
    priceCents: wire.price_cents,
    tags: wire.tags ?? [],
  };
}

function toWire(item: Item): ItemWire {
  return {
    sku: item.sku,
    name: item.name,
    quantity: item.quantity,
    price_cents: item.priceCents,
    tags: item.tags,
  };
}

export class InventoryClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      let response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      if (!response.ok) {
        const detail: any = await response.json().catch(() => ({}));
        throw new ApiError(response.status, detail.error ?? response.statusText);
      }
      if (response.status === 204) {
        return undefined as T;
      }
      return (await response.json()) as T;
    } finally {
      clearTimeout(timer);
    }
  }

  async health(): Promise<boolean> {
    try {
      await this.request<{ status: string }>("GET", "/healthz");
      return true;
    } catch (err) {
      return false;
    }
  }

  async listItems(limit = 50, offset = 0): Promise<Item[]> {
    const page = await this.request<{ items: ItemWire[] }>(
      "GET",
      `/items?limit=${limit}&offset=${offset}`,
    );
    return page.items.map(fromWire);
  }

  async getItem(sku: string): Promise<Item> {
    return fromWire(await this.request<ItemWire>("GET", `/items/${encodeURIComponent(sku)}`));
  }

  async saveItem(item: Item): Promise<Item> {
    return fromWire(await this.request<ItemWire>("POST", "/items", toWire(item)));
  }

  async adjustStock(sku: string, delta: number): Promise<Item> {
    const path = `/items/${encodeURIComponent(sku)}/adjust`;
    return fromWire(await this.request<ItemWire>("POST", path, { delta }));
  }

  async deleteItem(sku: string): Promise<void> {
    await this.request<void>("DELETE", `/items/${encodeURIComponent(sku)}`);
  }
}
