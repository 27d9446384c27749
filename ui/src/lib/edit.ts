// Pure helpers for editing the catalog: building Change values for apply_changes, turning the
// bulk-edit form into a BulkOp, and the labels that name a batch on the undo stack. No Svelte,
// no IPC: everything here is unit-tested in test/edit.test.ts.

import type { BulkOp, Change, Ending, Field, Language, LocationId, ProductStatus, VariantId } from "./bindings";
import { formatAmount } from "./format";
import { KanaalError } from "./ipc";

/** The variant fields the grid edits inline. */
export type VariantField = { field: "price" } | { field: "stock"; location: LocationId };

/** One change to a variant; `old` is the value exactly as stored, as apply_changes demands. */
export function variantChange(variant: VariantId, field: VariantField, old: string | null, value: string): Change {
  const trimmed = value.trim();
  return {
    target: { kind: "variant", id: variant },
    field: field as Field,
    old,
    new: trimmed === "" ? null : trimmed,
  };
}

/** True when apply_changes refused because the data changed since the UI read it. */
export function isStale(error: unknown): boolean {
  return error instanceof KanaalError && error.problem?.kind === "stale";
}

/** The stored decimal shown for editing in the user's language: "8.95" -> "8,95" (nl). */
export function editableAmount(stored: string, lang: Language): string {
  return formatAmount(stored, lang)?.replace(/[.,](?=\d{3}(?:\D|$))/g, "") ?? stored;
}

// --- the bulk-edit form -------------------------------------------------------------------------

export type BulkKind =
  | "price_pct"
  | "price_amount"
  | "round"
  | "stock"
  | "add_tag"
  | "remove_tag"
  | "set_status"
  | "set_category";

export const BULK_KINDS: BulkKind[] = [
  "price_pct",
  "price_amount",
  "round",
  "stock",
  "add_tag",
  "remove_tag",
  "set_status",
  "set_category",
];
export const ENDINGS: Ending[] = ["cents95", "cents99", "whole"];

export interface BulkForm {
  kind: BulkKind;
  /** Percent for price_pct ("10", "-5", "2,5"), amount for price_amount ("1", "-0,50"), tag for the tag kinds. */
  value: string;
  ending: Ending;
  status: ProductStatus;
  /** The stock location for "stock" (units in `value`). */
  location?: number | null;
  /** The category for "set_category"; null takes the category away. */
  category?: number | null;
}

/** Why a form cannot become an operation; a key suffix under "bulk.invalid.". */
export type BulkProblem = "number" | "pct" | "tag" | "zero" | "units" | "location";

/** A signed decimal typed either way ("2,5", "-1.00", "+3"), as an exact scaled integer. */
export function parseUserDecimal(text: string): { units: bigint; places: number } | null {
  const m = /^([+-])?(\d+)(?:[.,](\d+))?$/.exec(text.trim().replace(/\s/g, ""));
  if (!m) return null;
  const frac = m[3] ?? "";
  const units = BigInt((m[2] ?? "0") + frac) * (m[1] === "-" ? -1n : 1n);
  return { units, places: frac.length };
}

/** A scaled integer as decimal text with at least `min` fraction digits: (110n, 2) -> "1.10". */
function scaledToText(units: bigint, places: number, min = 0): string {
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString().padStart(places + 1, "0");
  let p = places;
  while (p < min) {
    digits += "0";
    p++;
  }
  const int = digits.slice(0, digits.length - p);
  const frac = digits.slice(digits.length - p);
  return `${negative ? "-" : ""}${int}${p > 0 ? `.${frac}` : ""}`;
}

/** "+10" percent -> factor "1.10"; "-2,5" -> "0.975". Null when not a number. */
export function percentToFactor(percent: string): string | null {
  const p = parseUserDecimal(percent);
  if (!p) return null;
  const hundred = 100n * 10n ** BigInt(p.places);
  return scaledToText(hundred + p.units, p.places + 2, 2);
}

/** The form as a BulkOp, or what is wrong with it. */
export function bulkOp(form: BulkForm): { op: BulkOp } | { problem: BulkProblem } {
  switch (form.kind) {
    case "price_pct": {
      const p = parseUserDecimal(form.value);
      if (!p) return { problem: "number" };
      if (p.units === 0n) return { problem: "zero" };
      if (p.units <= -100n * 10n ** BigInt(p.places)) return { problem: "pct" };
      return { op: { op: "price_factor", factor: percentToFactor(form.value) as string } };
    }
    case "price_amount": {
      const p = parseUserDecimal(form.value);
      if (!p) return { problem: "number" };
      if (p.units === 0n) return { problem: "zero" };
      return { op: { op: "price_delta", amount: scaledToText(p.units, p.places, 2) } };
    }
    case "round":
      return { op: { op: "round_price", ending: form.ending } };
    case "add_tag":
    case "remove_tag": {
      const tag = form.value.trim();
      if (tag === "") return { problem: "tag" };
      return { op: form.kind === "add_tag" ? { op: "add_tag", tag } : { op: "remove_tag", tag } };
    }
    case "set_status":
      return { op: { op: "set", field: { field: "status" }, value: form.status } };
    case "stock": {
      const units = /^[+-]?\d+$/.test(form.value.trim()) ? Number(form.value.trim()) : NaN;
      if (!Number.isSafeInteger(units)) return { problem: "units" };
      if (units === 0) return { problem: "zero" };
      if (form.location === null || form.location === undefined) return { problem: "location" };
      return { op: { op: "stock_delta", location: form.location, units } };
    }
    case "set_category":
      return {
        op: {
          op: "set",
          field: { field: "category" },
          value: form.category === null || form.category === undefined ? null : String(form.category),
        },
      };
  }
}

// --- labels for the undo stack --------------------------------------------------------------------

/** The words a label is made of, in one language; filled from the i18n dictionaries by callers. */
export interface LabelWords {
  price: string;
  stock: string;
  round: Record<Ending, string>;
  addTag: string;
  removeTag: string;
  status: string;
  statusName: Record<ProductStatus, string>;
  category: string;
  /** The name of a category by its id, for labels. */
  categoryName?: (id: string) => string | undefined;
}

/** A signed number for a label: "+10", "-2,5" (nl) / "-2.5" (en). */
function signed(units: bigint, places: number, lang: Language): string {
  const text = scaledToText(units < 0n ? -units : units, places);
  return `${units < 0n ? "-" : "+"}${lang === "nl" ? text.replace(".", ",") : text}`;
}

/** "Prijs KOF-001" / "Voorraad KOF-001 (Winkel)". */
export function variantEditLabel(words: LabelWords, sku: string, field: VariantField, locationName?: string): string {
  if (field.field === "price") return `${words.price} ${sku}`;
  return locationName ? `${words.stock} ${sku} (${locationName})` : `${words.stock} ${sku}`;
}

/** "Prijs +10%", "Prijs -€ 1,00", "Tag toevoegen: cadeau", "Status: Gearchiveerd". */
export function bulkLabel(words: LabelWords, op: BulkOp, lang: Language): string {
  switch (op.op) {
    case "price_factor": {
      // factor 1.10 -> +10 (percent): (factor - 1) * 100, exactly.
      const f = parseUserDecimal(op.factor);
      if (!f) return `${words.price} ×${op.factor}`;
      const one = 10n ** BigInt(f.places);
      const pctUnits = (f.units - one) * 100n;
      // Drop trailing zeros of the fraction: 1.10 -> 10, 1.025 -> 2.5.
      let units = pctUnits;
      let places = f.places;
      while (places > 0 && units % 10n === 0n) {
        units /= 10n;
        places--;
      }
      return `${words.price} ${signed(units, places, lang)}%`;
    }
    case "price_delta": {
      const negative = op.amount.trim().startsWith("-");
      const amount = formatAmount(op.amount.replace(/^[+-]/, ""), lang) ?? op.amount;
      const euro = lang === "nl" ? "€ " : "€";
      return `${words.price} ${negative ? "-" : "+"}${euro}${amount}`;
    }
    case "round_price":
      return `${words.price} ${words.round[op.ending]}`;
    case "add_tag":
      return `${words.addTag}: ${op.tag}`;
    case "remove_tag":
      return `${words.removeTag}: ${op.tag}`;
    case "set":
      if (op.field.field === "category")
        return `${words.category}: ${(op.value && words.categoryName?.(op.value)) ?? op.value ?? "—"}`;
      return op.field.field === "status" && op.value && op.value in words.statusName
        ? `${words.status}: ${words.statusName[op.value as ProductStatus]}`
        : `${op.field.field}: ${op.value ?? "—"}`;
    case "stock_delta":
      return `${words.stock} ${op.units >= 0 ? "+" : ""}${op.units}`;
  }
}

/** The first `limit` rows and how many more there are, so huge previews stay cheap to render. */
export function firstRows<T>(rows: T[], limit = 200): { shown: T[]; more: number } {
  return { shown: rows.length > limit ? rows.slice(0, limit) : rows, more: Math.max(0, rows.length - limit) };
}

/** The fields shown as money in a preview. */
export function isMoneyField(field: Field): boolean {
  return field.field === "price" || field.field === "compare_at_price" || field.field === "cost";
}
