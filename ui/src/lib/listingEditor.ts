// Words and amounts for the product editor's "Channels" tab (ListingOverrides.svelte): bol.com's
// delivery codes in plain words, and a listing's price without an own one. It decides nothing:
// the codes a channel knows and the prices come from the Rust side (listing_cmds).

import type { Language, ListingPrice } from "./bindings";
import { formatAmount } from "./format";
import { t } from "./i18n/index.svelte";

/** An amount as the merchant types it in this language ("12,50"); '' for none. */
export function amountText(value: string | null, lang: Language): string {
  return value === null ? "" : (formatAmount(value, lang) ?? value);
}

/** bol.com's delivery code in words, with the code kept visible; an unknown code as it is. */
export function deliveryText(code: string): string {
  const nextDay = /^24uurs-(\d{2})$/.exec(code);
  const days = /^(\d)-(\d)d$/.exec(code);
  let words: string;
  if (nextDay) words = t("listingEditor.delivery.nextDay", { hour: nextDay[1] ?? "" });
  else if (days) words = t("listingEditor.delivery.days", { from: days[1] ?? "", to: days[2] ?? "" });
  else if (code === "MijnLeverbelofte") words = t("listingEditor.delivery.own");
  else if (code === "VVB") words = t("listingEditor.delivery.byBol");
  else return code;
  return `${words} (${code})`;
}

/** What the listing's variants get without an own price: one price, or the range. */
export function withoutOwn(p: ListingPrice, lang: Language): string {
  if (p.variants.length === 0) return "";
  const sorted = p.variants.map((v) => v.channelPrice).sort((a, b) => Number(a) - Number(b));
  const low = amountText(sorted[0] ?? null, lang);
  const high = amountText(sorted[sorted.length - 1] ?? null, lang);
  return low === high ? low : `${low} – ${high}`;
}

/** The lowest own price the minimum margin allows for every variant of the listing, if any. */
export function lowestOwn(p: ListingPrice, lang: Language): string | null {
  const floors = p.variants.map((v) => v.lowest).filter((v): v is string => v !== null);
  if (floors.length === 0) return null;
  return amountText(floors.sort((a, b) => Number(b) - Number(a))[0] ?? null, lang);
}
