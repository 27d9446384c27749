// The Publish page's sentences for what blocks a listing: kanaal-core returns each problem as a
// typed kind with its data (PlanProblem); this module words it in the merchant's language.
// It must not decide anything: whether a listing is blocked, and why, is core's.

import type { Language, PlanProblem } from "./bindings";
import { formatMoney } from "./format";
import { t } from "./i18n/index.svelte";

/** The sentence for one problem of a planned listing; prices are formatted for `lang`. */
export function problemText(p: PlanProblem, lang: Language): string {
  const price = (amount: string) => formatMoney({ amount, currency: "EUR" }, lang);
  switch (p.kind) {
    case "below_minimum_margin":
      return t("planProblem.belowMinimumMargin", { sku: p.sku, price: price(p.price), floor: price(p.floor) });
    case "title_empty":
      return t("planProblem.titleEmpty");
    case "title_too_long":
      return t("planProblem.titleTooLong", { chars: p.chars, max: p.max });
    case "too_many_options":
      return t("planProblem.tooManyOptions", { count: p.count, max: p.max });
    case "no_variants":
      return t("planProblem.noVariants");
    case "too_many_variants":
      return t("planProblem.tooManyVariants", { count: p.count, max: p.max });
    case "category_not_mapped":
      return t("planProblem.categoryNotMapped");
    case "missing_gtin":
      return t("planProblem.missingGtin", { sku: p.sku });
    case "price_below_minimum":
      return t("planProblem.priceBelowMinimum", { sku: p.sku, price: price(p.price), min: price(p.min) });
    case "price_above_maximum":
      return t("planProblem.priceAboveMaximum", { sku: p.sku, price: price(p.price), max: price(p.max) });
    case "mirror_unreadable":
      return t("planProblem.mirrorUnreadable", { detail: p.detail });
    case "held_conflict":
      return t("planProblem.heldConflict");
    case "held_remote_change":
      return t("planProblem.heldRemoteChange");
    case "rollback_listing_deleted":
      return t("planProblem.rollbackListingDeleted");
    case "rollback_no_earlier_values":
      return t("planProblem.rollbackNoEarlierValues");
    case "rollback_published_again":
      return t("planProblem.rollbackPublishedAgain");
    case "rollback_changed_on_channel":
      return t("planProblem.rollbackChangedOnChannel");
    case "rollback_unreadable":
      return t("planProblem.rollbackUnreadable");
  }
}
