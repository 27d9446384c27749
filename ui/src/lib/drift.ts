// The drift panel's sentences: what a choice on a change made on a channel did (Adopt / Keep
// mine / "Put it back" / "Take it off in Kanaal too"), why Kanaal refused one, and that a
// channel's updates wait because it could not be checked. kanaal-core returns these as typed
// outcomes (DriftOutcome, DriftRefusal); this module words them in the merchant's language.
// It must not decide anything: what happened is core's.

import type { DriftOutcome, DriftRefusal, Language } from "./bindings";
import { formatAmount } from "./format";
import { t } from "./i18n/index.svelte";

/** The sentence for what a drift choice did; prices are formatted for `lang`. */
export function outcomeText(o: DriftOutcome, lang: Language): string {
  const price = (p: string) => formatAmount(p, lang) ?? p;
  switch (o.kind) {
    case "kept_mine":
      return t("drift.outcome.keptMine", { channel: o.channel });
    case "catalog_text":
      return o.field === "title" ? t("drift.outcome.catalogTitle") : t("drift.outcome.catalogDescription");
    case "listing_text":
      return o.field === "title"
        ? t("drift.outcome.listingTitle", { channel: o.channel })
        : t("drift.outcome.listingDescription", { channel: o.channel });
    case "catalog_brand":
      return t("drift.outcome.catalogBrand", { brand: o.brand });
    case "catalog_gtin":
      return t("drift.outcome.catalogGtin", { sku: o.sku, gtin: o.gtin });
    case "listing_price":
      return t("drift.outcome.listingPrice", { sku: o.sku, price: price(o.price), channel: o.channel });
    case "catalog_price":
      return t("drift.outcome.catalogPrice", { sku: o.sku, price: price(o.price) });
    case "listing_delivery_code":
      return t("drift.outcome.listingDeliveryCode", { code: o.code, channel: o.channel });
    case "taken_off":
      return t("drift.outcome.takenOff", { channel: o.channel });
    case "put_back_as_new":
      return t("drift.outcome.putBackAsNew", { channel: o.channel });
    case "put_back_on_sale":
      return t("drift.outcome.putBackOnSale", { channel: o.channel });
  }
}

/** The sentence for why Kanaal could not carry out a drift choice (the change stays open). */
export function refusalText(r: DriftRefusal): string {
  switch (r.kind) {
    case "no_longer_open":
      return t("drift.refusal.noLongerOpen");
    case "no_ean":
      return t("drift.refusal.noEan", { channel: r.channel, sku: r.sku });
    case "compare_at_not_sent":
      return t("drift.refusal.compareAtNotSent", { channel: r.channel });
    case "price_by_rule":
      return t("drift.refusal.priceByRule", { channel: r.channel });
    case "not_adoptable":
      return t("drift.refusal.notAdoptable");
  }
}

/** A channel whose last read-back failed: its updates wait until it can be checked. */
export function heldText(channel: string): string {
  return t("drift.held", { channel });
}
