// Pure helpers for the product editor: checking what the merchant types (as they type, in the
// same terms as the Rust side checks it again on save), and turning the edited form into the
// Change list that apply_changes takes. No Svelte, no IPC: unit-tested in test/product.test.ts.

import type { Change, Field, ImageRef, ProductDetail, ProductStatus, VariantRow } from "./bindings";
import { editableAmount } from "./edit";
import type { MessageKey } from "./i18n/index.svelte";

/** A problem with one field, as a message key and its parameters. */
export interface Problem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** GS1 mod-10 check digit of a GTIN body (all digits but the last). */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Why an EAN/GTIN is not valid (empty is fine: the field is optional). */
export function gtinProblem(text: string): Problem | null {
  const gtin = text.trim();
  if (gtin === "") return null;
  if (!/^\d+$/.test(gtin) || ![8, 12, 13, 14].includes(gtin.length)) {
    return { key: "editor.problem.gtinShape", params: { digits: gtin.replace(/\D/g, "").length } };
  }
  const expected = gtinCheckDigit(gtin.slice(0, -1));
  if (Number(gtin.at(-1)) !== expected) return { key: "editor.problem.gtinCheck", params: { digit: expected } };
  return null;
}

/** A price as typed ("12,50", "12.50", "1.234,50", "1,234.50"), read by the same rules as
 * the Rust side (the last of "," and "." is the decimal mark; one comma alone is one too), as
 * stored text with two decimals; null when it is not a price or has fractions of a cent. */
export function parsePrice(text: string): string | null {
  const s = text.trim().replace(/^€/, "").replace(/\s/g, "");
  if (s === "") return null;
  const comma = s.lastIndexOf(",");
  const dot = s.lastIndexOf(".");
  let t: string;
  if (comma >= 0 && dot >= 0) t = comma > dot ? s.replace(/\./g, "").replace(",", ".") : s.replace(/,/g, "");
  else if (comma >= 0) {
    if (s.indexOf(",") !== comma) return null;
    t = s.replace(",", ".");
  } else t = s;
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const [int, frac = ""] = t.split(".");
  if (/[1-9]/.test(frac.slice(2))) return null;
  return `${BigInt(int ?? "0").toString()}.${(frac + "00").slice(0, 2)}`;
}

/** Why a price field is not acceptable. */
export function priceProblem(text: string, required: boolean): Problem | null {
  if (text.trim() === "") return required ? { key: "editor.problem.priceRequired" } : null;
  if (/^-/.test(text.trim())) return { key: "editor.problem.priceNegative" };
  return parsePrice(text) === null ? { key: "editor.problem.priceShape" } : null;
}

export function weightProblem(text: string): Problem | null {
  const t = text.trim();
  if (t === "") return null;
  return /^\d+$/.test(t) ? null : { key: "editor.problem.weight" };
}

/** Tags as typed, comma separated: trimmed, without empties or doubles (first spelling wins). */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(",")) {
    const tag = raw.trim();
    if (tag === "" || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

/** The product part of the editor's form. */
export interface ProductForm {
  titleNl: string;
  titleEn: string;
  descriptionNl: string;
  descriptionEn: string;
  brand: string;
  status: ProductStatus;
  category: number | null;
  tags: string;
  pictures: ImageRef[];
}

/** One variant's row in the editor's form. */
export interface VariantForm {
  id: number;
  sku: string;
  gtin: string;
  price: string;
  compareAtPrice: string;
  cost: string;
  vatRate: string;
  weightGrams: string;
}

export function productForm(d: ProductDetail): ProductForm {
  return {
    titleNl: d.titleNl,
    titleEn: d.titleEn,
    descriptionNl: d.descriptionNl,
    descriptionEn: d.descriptionEn,
    brand: d.brand,
    status: d.status,
    category: d.category,
    tags: d.tags.join(", "),
    pictures: d.pictures.map((p) => ({ hash: p.hash, altNl: p.altNl, altEn: p.altEn })),
  };
}

export function variantForm(v: VariantRow, lang: "nl" | "en"): VariantForm {
  return {
    id: v.id,
    sku: v.sku,
    gtin: v.gtin ?? "",
    price: editableAmount(v.price, lang),
    compareAtPrice: v.compareAtPrice === null ? "" : editableAmount(v.compareAtPrice, lang),
    cost: v.cost === null ? "" : editableAmount(v.cost, lang),
    vatRate: v.vatRate,
    weightGrams: v.weightGrams ?? "",
  };
}

/** Problems of the form by field ("titleNl", "variant.12.gtin", ...); empty when it can be saved. */
export function formProblems(p: ProductForm, variants: VariantForm[]): Map<string, Problem> {
  const out = new Map<string, Problem>();
  if (p.titleNl.trim() === "" && p.titleEn.trim() === "") out.set("titleNl", { key: "editor.problem.title" });
  if (p.titleNl.length > 500) out.set("titleNl", { key: "editor.problem.long", params: { max: 500 } });
  if (p.titleEn.length > 500) out.set("titleEn", { key: "editor.problem.long", params: { max: 500 } });
  const skus = new Map<string, number>();
  for (const v of variants) {
    const key = v.sku.trim().toLowerCase();
    if (key === "") out.set(`variant.${v.id}.sku`, { key: "editor.problem.skuRequired" });
    else if (skus.has(key)) out.set(`variant.${v.id}.sku`, { key: "editor.problem.skuTwice", params: { sku: v.sku.trim() } });
    skus.set(key, v.id);
    const problems: [string, Problem | null][] = [
      ["gtin", gtinProblem(v.gtin)],
      ["price", priceProblem(v.price, true)],
      ["compareAtPrice", priceProblem(v.compareAtPrice, false)],
      ["cost", priceProblem(v.cost, false)],
      ["weightGrams", weightProblem(v.weightGrams)],
    ];
    for (const [field, problem] of problems) if (problem) out.set(`variant.${v.id}.${field}`, problem);
  }
  return out;
}

function textOrNull(s: string): string | null {
  const t = s.trim();
  return t === "" ? null : t;
}

/** The changes that take the stored product `d` to the form; only fields that differ. */
export function productChanges(d: ProductDetail, p: ProductForm, variants: VariantForm[]): Change[] {
  const out: Change[] = [];
  const product = { kind: "product" as const, id: d.id };
  const put = (field: Field, old: string | null, value: string | null, same: boolean) => {
    if (!same) out.push({ target: product, field, old, new: value });
  };
  const text = (field: Field, old: string, value: string) =>
    put(field, old === "" ? null : old, textOrNull(value), old.trim() === value.trim());
  text({ field: "title_nl" }, d.titleNl, p.titleNl);
  text({ field: "title_en" }, d.titleEn, p.titleEn);
  text({ field: "description_nl" }, d.descriptionNl, p.descriptionNl);
  text({ field: "description_en" }, d.descriptionEn, p.descriptionEn);
  text({ field: "brand" }, d.brand, p.brand);
  put({ field: "status" }, d.status, p.status, d.status === p.status);
  put(
    { field: "category" },
    d.category === null ? null : String(d.category),
    p.category === null ? null : String(p.category),
    d.category === p.category,
  );
  const tags = parseTags(p.tags);
  put({ field: "tags" }, d.tagsStored, JSON.stringify(tags), JSON.stringify(tags) === JSON.stringify(d.tags));
  const pictures = JSON.stringify(p.pictures.map((x) => ({ hash: x.hash, altNl: x.altNl.trim(), altEn: x.altEn.trim() })));
  put({ field: "images" }, d.picturesStored, pictures, pictures === d.picturesStored);

  for (const v of variants) {
    const stored = d.variants.find((s) => s.id === v.id);
    if (!stored) continue;
    const target = { kind: "variant" as const, id: v.id };
    const vput = (field: Field, old: string | null, value: string | null) => {
      if (old !== value) out.push({ target, field, old, new: value });
    };
    vput({ field: "sku" }, stored.sku, v.sku.trim());
    vput({ field: "gtin" }, stored.gtin, textOrNull(v.gtin));
    vput({ field: "price" }, stored.price, parsePrice(v.price));
    vput({ field: "compare_at_price" }, stored.compareAtPrice, parsePrice(v.compareAtPrice));
    vput({ field: "cost" }, stored.cost, parsePrice(v.cost));
    vput({ field: "vat_rate" }, stored.vatRate, v.vatRate);
    vput({ field: "weight_grams" }, stored.weightGrams, textOrNull(v.weightGrams));
  }
  return out;
}

/** Moves the picture at `from` by `by` places (clamped); a new list. */
export function movePicture(list: ImageRef[], from: number, by: number): ImageRef[] {
  const to = Math.max(0, Math.min(list.length - 1, from + by));
  if (to === from || from < 0 || from >= list.length) return list;
  const next = [...list];
  const [moved] = next.splice(from, 1);
  if (moved) next.splice(to, 0, moved);
  return next;
}

/** Adds a stored picture at the end unless the product has it already. */
export function addPicture(list: ImageRef[], hash: string): ImageRef[] {
  return list.some((p) => p.hash === hash) ? list : [...list, { hash, altNl: "", altEn: "" }];
}
