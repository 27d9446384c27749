// Small pure helpers for the Publish page: naming the fields of a plan's diff, and summing a
// preview and a running batch. The plan itself (what changes, what is blocked) comes from Rust.

import type { BatchChannel, ChannelPreview, PublishPreview } from "./bindings";

/** The listing fields the planner compares, by the key the UI translates. */
export type DiffField =
  | "title"
  | "description"
  | "brand"
  | "category"
  | "options"
  | "deliveryCode"
  | "gtin"
  | "optionValues"
  | "price"
  | "stock";

export interface FieldName {
  field: DiffField | null;
  /** The variant's SKU for per-variant fields (`variants[SKU].price`). */
  sku: string | null;
  /** The planner's own name, shown when the field is not one we know. */
  raw: string;
}

const TOP: Record<string, DiffField> = {
  title: "title",
  description: "description",
  brand: "brand",
  category: "category",
  options: "options",
  delivery_code: "deliveryCode",
};

const VARIANT: Record<string, DiffField> = {
  gtin: "gtin",
  option_values: "optionValues",
  price: "price",
  stock: "stock",
};

/** Splits a diff path such as `variants[KOF-1].price` into the field and the SKU. */
export function fieldName(path: string): FieldName {
  const top = TOP[path];
  if (top) return { field: top, sku: null, raw: path };
  const m = /^variants\[(.*)\]\.([a-z_]+)$/.exec(path);
  if (m) return { field: VARIANT[m[2] ?? ""] ?? null, sku: m[1] ?? "", raw: path };
  return { field: null, sku: null, raw: path };
}

/** Listings a preview would send (created, updated or taken off), over all channels. */
export function toSend(preview: PublishPreview | null): number {
  if (!preview) return 0;
  return preview.channels.reduce((n, c) => n + sendable(c), 0);
}

export function sendable(c: ChannelPreview): number {
  return c.create + c.update + c.unpublish;
}

/** Rows of a channel in a batch, and how many have an outcome (done, failed or stopped). */
export function batchCounts(c: BatchChannel): { total: number; settled: number; open: number } {
  const open = c.queued + c.sending + c.waiting;
  const settled = c.done + c.failed + c.cancelled;
  return { total: open + settled, settled, open };
}

/** Percentage (0-100, whole) of a channel's rows with an outcome. */
export function percentSettled(c: BatchChannel): number {
  const { total, settled } = batchCounts(c);
  return total === 0 ? 100 : Math.floor((settled * 100) / total);
}

/**
 * What a channel's preview offers for active products not on it yet: nothing when all are on
 * it (or the channel could not be planned); otherwise how many, and whether putting them on is
 * the channel's main step (it has no listings at all, so there is nothing else to publish).
 */
export function notListedOffer(c: ChannelPreview): { count: number; main: boolean } | null {
  if (c.error || c.activeNotListed === 0) return null;
  const listings = c.create + c.update + c.unpublish + c.unchanged + c.blocked;
  return { count: c.activeNotListed, main: listings === 0 };
}
