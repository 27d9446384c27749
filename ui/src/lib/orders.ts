// Small pure helpers for the Orders page. Which orders need shipping, deadlines and validation
// of carrier and tracking code are decided in Rust; this only chooses words for what Rust says.

import type { CustomerView, Deadline, InboxRow, OrderQuery } from "./bindings";

/** Carrier codes Rust accepts (kanaal_core::orders::shipping::CARRIERS), in list order. */
export const CARRIERS = ["postnl", "dhl", "dpd", "gls", "ups", "bpost", "other"] as const;
export type Carrier = (typeof CARRIERS)[number];

export const PAGE_SIZE = 100;

export function emptyQuery(): OrderQuery {
  return { channel: null, status: null, needsShipping: false, unknownSku: false, search: "", offset: 0, limit: PAGE_SIZE };
}

/** True when any filter narrows the list (to word the empty state). */
export function isFiltered(q: OrderQuery): boolean {
  return q.channel !== null || (q.status ?? "") !== "" || q.needsShipping || q.unknownSku || q.search.trim() !== "";
}

/** Which message explains the deadline: bol.com cancels unshipped orders itself. */
export function deadlineMessage(row: Pick<InboxRow, "channelKind" | "deadline" | "shipBy">): "cancels" | "expects" | "overdue" | null {
  if (row.deadline === "none" || !row.shipBy) return null;
  if (row.deadline === "overdue") return "overdue";
  return row.channelKind === "bol" ? "cancels" : "expects";
}

export function isUrgent(d: Deadline): boolean {
  return d === "due_soon" || d === "overdue";
}

/** Customer fields in display order, each with its value and whether the platform hides it. */
export function customerFields(c: CustomerView): { field: string; value: string | null; hidden: boolean }[] {
  const address = [c.postcode, c.houseNumber].filter((v) => v).join(" ");
  const rows: [string, string | null, string[]][] = [
    ["name", c.name, ["name"]],
    ["email", c.email, ["email"]],
    ["phone", c.phone, ["phone"]],
    ["address", address || null, ["postcode", "house_number", "address"]],
    ["city", c.city, ["city"]],
    ["country", c.country, ["country"]],
  ];
  return rows.map(([field, value, names]) => ({ field, value, hidden: names.some((n) => c.hidden.includes(n)) }));
}

/** The order number to show: Shopify's API ids (`gid://shopify/Order/123`) shown as `123`. */
export function orderNumber(remoteId: string): string {
  const m = /^gid:\/\/[^/]+\/[^/]+\/(.+)$/.exec(remoteId);
  return m?.[1] ?? remoteId;
}
