// Small pure helpers for the Orders page. Which orders need shipping, deadlines and validation
// of carrier and tracking code are decided in Rust; this only chooses words for what Rust says.

import type { CancelReason, CustomerView, Deadline, InboxRow, Language, OrderLineView, OrderQuery } from "./bindings";

/** Carrier codes Rust accepts (kanaal_core::orders::shipping::CARRIERS), in list order. */
export const CARRIERS = ["postnl", "dhl", "dpd", "gls", "ups", "bpost", "other"] as const;
export type Carrier = (typeof CARRIERS)[number];

export const PAGE_SIZE = 100;

export function emptyQuery(): OrderQuery {
  return { channel: null, status: null, needsShipping: false, unknownSku: false, shipSoon: false, search: "", offset: 0, limit: PAGE_SIZE };
}

/** True when any filter narrows the list (to word the empty state). */
export function isFiltered(q: OrderQuery): boolean {
  return q.channel !== null || (q.status ?? "") !== "" || q.needsShipping || q.unknownSku || q.shipSoon || q.search.trim() !== "";
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

const DEADLINE_LOCALE: Record<Language, string> = { nl: "nl-NL", en: "en-GB" };

/**
 * The time zone the platforms' deadlines are meant in: bol.com gives a Dutch calendar date and
 * cancels at the end of it, whatever the clock of the merchant's computer says.
 */
export const PLATFORM_TIME_ZONE = "Europe/Amsterdam";

const END_OF_DAY: Record<Language, string> = { nl: "eind", en: "end of" };

/**
 * A ship-by moment as a merchant says it, in Dutch time: a deadline at midnight is the end of
 * the day before ("end of Tuesday 1 Dec" / "eind dinsdag 1 dec"), any other moment has its
 * time ("Tuesday 10 Nov, 14:00"), so "ship by end of Tuesday 1 Dec or bol.com cancels" reads
 * at a glance on a computer in any time zone.
 */
export function formatDeadline(iso: string, lang: Language, timeZone: string = PLATFORM_TIME_ZONE): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone })
    .formatToParts(date)
    .filter((p) => p.type !== "literal")
    .map((p) => Number(p.value));
  const midnight = clock.every((n) => n === 0);
  const day = new Intl.DateTimeFormat(DEADLINE_LOCALE[lang], { weekday: "long", day: "numeric", month: "short", timeZone });
  if (midnight) {
    // One second earlier is still the day that ends (a day of 23 or 25 hours included).
    return `${END_OF_DAY[lang]} ${day.format(new Date(date.getTime() - 1000))}`;
  }
  const time = new Intl.DateTimeFormat(DEADLINE_LOCALE[lang], { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
  return `${day.format(date)}, ${time.format(date)}`;
}

/** Open lines (units left) whose customer asked the channel to cancel them. */
export function requestedLines(lines: OrderLineView[]): OrderLineView[] {
  return lines.filter((l) => l.cancelRequested && l.cancelled < l.quantity);
}

/** Whether the detail shows a ship-by column per line: some open line has a deadline. */
export function hasLineDeadlines(lines: OrderLineView[]): boolean {
  return lines.some((l) => l.shipBy !== null && l.cancelled < l.quantity);
}

/** Lines that can still be cancelled (not all units cancelled already). */
export function cancellableLines(lines: OrderLineView[]): OrderLineView[] {
  return lines.filter((l) => l.cancelled < l.quantity);
}

/**
 * What a cancel with these chosen lines does: the whole order when no line or every open line
 * is chosen; single lines only where the channel cancels single lines.
 */
export function cancelScope(chosen: number[], open: number, cancelsLines: boolean): "order" | "lines" | "notPossible" {
  if (chosen.length === 0 || chosen.length >= open) return "order";
  return cancelsLines ? "lines" : "notPossible";
}

/** The i18n key of a reason in plain words. */
export function reasonKey(r: CancelReason): string {
  return `orders.cancel.reason.${r}`;
}
