// Why Kanaal refused something the merchant typed, chose or dropped in (a price, an EAN, a
// picture, a CSV file, an undo): kanaal-core returns each refusal as a typed InputProblem; this
// module says it in the window's language. It must not decide anything: what is refused, and
// why, is core's. (A kind added in Rust without a sentence fails `npm run check`.)

import type { Field, InputProblem, RuleField } from "./bindings";
import { formatAmount } from "./format";
import { i18n, t, type MessageKey } from "./i18n/index.svelte";

/** The editor's name for a field ("Prijs", "Van-prijs", "Voorraad"). */
export function fieldName(field: Field): string {
  const key = field.field === "category" ? "category_id" : field.field;
  return t(`editor.field.${key}` as MessageKey);
}

/** The short name of a field of a channel's rules form ("Opslag", "Buffer"). */
export function ruleFieldName(field: RuleField): string {
  return t(`channelRules.name.${field}` as MessageKey);
}

/** The rules-form field a refusal is about, to show it next to that field. */
export function ruleProblemField(p: InputProblem): RuleField | null {
  switch (p.kind) {
    case "rule_not_a_number":
    case "rule_not_a_whole_number":
    case "rule_below_zero":
      return p.field;
    case "rule_share_out_of_range":
      return "share";
    case "rule_markup_too_low":
      return "markup_percent";
    case "rule_fixed_markup_cents":
      return "markup_fixed";
    default:
      return null;
  }
}

/** Which own price on which channel (and of which variant, where it has its own). */
function ownPriceWhere(p: { channel: string; sku: string | null }): string {
  return p.sku === null
    ? t("inputProblem.ownPriceWhere", { channel: p.channel })
    : t("inputProblem.ownPriceWhereSku", { channel: p.channel, sku: p.sku });
}

/** The sentence for one refusal, in the current language. */
export function inputProblemText(p: InputProblem): string {
  switch (p.kind) {
    case "required":
      return t("inputProblem.required", { field: fieldName(p.field) });
    case "not_an_amount":
      return t("inputProblem.notAnAmount", { field: fieldName(p.field), value: p.value });
    case "below_zero":
      return t("inputProblem.belowZero", { field: fieldName(p.field) });
    case "not_whole_number":
      return t("inputProblem.notWholeNumber", { field: fieldName(p.field), value: p.value });
    case "not_a_choice":
      return p.field.field === "vat_rate"
        ? t("inputProblem.notAVatRate", { value: p.value })
        : t("inputProblem.notAStatus", { value: p.value });
    case "choose_one":
      return t("inputProblem.chooseOne", { field: fieldName(p.field) });
    case "gtin_length":
      return t("inputProblem.gtinLength", { value: p.value });
    case "gtin_check_digit":
      return t("inputProblem.gtinCheckDigit", { value: p.value, expected: p.expected });
    case "in_use":
      return t("inputProblem.inUse", { field: fieldName(p.field), value: p.value });
    case "stale":
      return t("inputProblem.stale", { field: fieldName(p.field) });
    case "category_gone":
      return t("inputProblem.categoryGone");
    case "picture_gone":
      return t("inputProblem.pictureGone");
    case "picture_twice":
      return t("inputProblem.pictureTwice");
    case "no_handle":
      return t("inputProblem.noHandle");
    case "no_title":
      return t("inputProblem.noTitle", { handle: p.handle });
    case "no_variant":
      return t("inputProblem.noVariant", { handle: p.handle });
    case "no_sku":
      return t("inputProblem.noSku", { handle: p.handle, variant: p.variant });
    case "option_values":
      return t("inputProblem.optionValues", { handle: p.handle, variant: p.variant, values: p.values, options: p.options });
    case "mixed_currencies":
      return t("inputProblem.mixedCurrencies", { handle: p.handle, variant: p.variant });
    case "sku_or_ean_in_use":
      return t("inputProblem.skuOrEanInUse", { sku: p.sku });
    case "handle_taken":
      return t("inputProblem.handleTaken", { handle: p.handle });
    case "code_taken":
      return t("inputProblem.codeTaken", { handle: p.handle });
    case "one_sku_for_many":
      return t("inputProblem.oneSkuForMany");
    case "no_tag":
      return t("inputProblem.noTag");
    case "choose_products_to_take_off":
      return t("inputProblem.chooseProductsToTakeOff");
    case "undo_would_remove":
      return t(
        p.variant
          ? p.sold
            ? "inputProblem.undoVariantSold"
            : "inputProblem.undoVariantListed"
          : p.sold
            ? "inputProblem.undoProductSold"
            : "inputProblem.undoProductListed",
        { name: p.name },
      );
    case "picture_type":
      return t("inputProblem.pictureType", { mime: p.mime });
    case "picture_too_large":
      return t("inputProblem.pictureTooLarge", { megabytes: p.megabytes, max: p.max_megabytes });
    case "not_a_picture":
      return t("inputProblem.notAPicture");
    case "picture_damaged":
      return t("inputProblem.pictureDamaged", { detail: p.detail });
    case "not_a_product_export":
      return t("inputProblem.notAProductExport");
    case "csv_unreadable":
      return t("inputProblem.csvUnreadable", { row: p.row, detail: p.detail });
    case "empty_file":
      return t("inputProblem.emptyFile");
    case "file_too_large":
      return t("inputProblem.fileTooLarge");
    case "export_format_needed":
      return t("inputProblem.exportFormatNeeded");
    case "too_many_options_for_shopify":
      return t("inputProblem.tooManyOptionsForShopify", { handle: p.handle, options: p.options });
    case "option_needed_for_shopify":
      return t("inputProblem.optionNeededForShopify", { handle: p.handle });
    case "data_file_too_new":
      return t("inputProblem.dataFileTooNew", { path: p.path, found: p.found, known: p.known });
    case "not_kanaal_data":
      return t("inputProblem.notKanaalData", { path: p.path });
    case "data_folder_unusable":
      return t("inputProblem.dataFolderUnusable", { path: p.path, detail: p.detail });
    case "no_data_folder":
      return t("inputProblem.noDataFolder");
    case "not_on_channel":
      return t("inputProblem.notOnChannel", { channel: p.channel });
    case "own_price_not_an_amount":
      return t("inputProblem.ownPriceNotAnAmount", { where: ownPriceWhere(p), value: p.value });
    case "own_price_not_positive":
      return t("inputProblem.ownPriceNotPositive", { where: ownPriceWhere(p) });
    case "own_price_cents":
      return t("inputProblem.ownPriceCents", { where: ownPriceWhere(p), value: p.value });
    case "own_price_below_margin":
      return t("inputProblem.ownPriceBelowMargin", { where: ownPriceWhere(p), lowest: formatAmount(p.lowest, i18n.lang) ?? p.lowest });
    case "own_title_too_long":
      return t("inputProblem.ownTitleTooLong", { channel: p.channel, chars: p.chars, max: p.max });
    case "delivery_code_not_allowed":
      return t("inputProblem.deliveryCodeNotAllowed", { channel: p.channel, value: p.value });
    case "rule_not_a_number":
      return t("inputProblem.ruleNotANumber", { field: ruleFieldName(p.field), value: p.value });
    case "rule_not_a_whole_number":
      return t("inputProblem.ruleNotAWholeNumber", { field: ruleFieldName(p.field), value: p.value });
    case "rule_below_zero":
      return p.field === "buffer"
        ? t("inputProblem.ruleBufferBelowZero")
        : p.field === "max"
          ? t("inputProblem.ruleMaxBelowZero")
          : p.field === "min_margin"
            ? t("inputProblem.ruleMarginBelowZero")
            : t("inputProblem.ruleBelowZero", { field: ruleFieldName(p.field) });
    case "rule_share_out_of_range":
      return t("inputProblem.ruleShareOutOfRange", { value: p.value });
    case "rule_markup_too_low":
      return t("inputProblem.ruleMarkupTooLow");
    case "rule_fixed_markup_cents":
      return t("inputProblem.ruleFixedMarkupCents", { value: p.value });
  }
}
