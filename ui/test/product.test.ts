import { describe, expect, it } from "vitest";
import type { ProductDetail, VariantRow } from "../src/lib/bindings";
import {
  addPicture,
  formProblems,
  gtinProblem,
  movePicture,
  parsePrice,
  parseTags,
  productChanges,
  productForm,
  variantForm,
} from "../src/lib/product";

const variant: VariantRow = {
  id: 7,
  sku: "KOF-HUIS-250",
  gtin: "8712345000011",
  options: ["250 g"],
  price: "8.95",
  compareAtPrice: null,
  cost: "3.10",
  currency: "EUR",
  vatRate: "reduced",
  weightGrams: "250",
  stock: [],
};

const detail: ProductDetail = {
  id: 3,
  handle: "huismelange",
  titleNl: "Huismelange",
  titleEn: "House blend",
  descriptionNl: "",
  descriptionEn: "",
  brand: "De Gracht",
  status: "active",
  category: 2,
  tags: ["koffie", "bonen"],
  tagsStored: '["koffie","bonen"]',
  options: [{ nameNl: "Gewicht", nameEn: "Weight" }],
  pictures: [{ hash: "a".repeat(64), thumb: null, altNl: "Zak", altEn: "Bag", width: null, height: null }],
  picturesStored: JSON.stringify([{ hash: "a".repeat(64), altNl: "Zak", altEn: "Bag" }]),
  variants: [variant],
  updatedAt: "2026-11-23T09:00:00.000Z",
};

describe("checking as the merchant types", () => {
  it("accepts real EANs and names the right check digit for a typo", () => {
    for (const ean of ["4006381333931", "8712100325953", "73513537", "036000291452", ""]) {
      expect(gtinProblem(ean), ean).toBeNull();
    }
    expect(gtinProblem("4006381333932")).toEqual({ key: "editor.problem.gtinCheck", params: { digit: 1 } });
    expect(gtinProblem("40063813339")?.key).toBe("editor.problem.gtinShape");
    expect(gtinProblem("40063813339x1")?.key).toBe("editor.problem.gtinShape");
  });

  it("reads prices the way Dutch and English merchants type them", () => {
    expect(parsePrice("12,50")).toBe("12.50");
    expect(parsePrice("12.5")).toBe("12.50");
    expect(parsePrice("€ 1.234,50")).toBe("1234.50");
    expect(parsePrice("1,234.50")).toBe("1234.50");
    expect(parsePrice("7")).toBe("7.00");
    expect(parsePrice("12,505")).toBeNull();
    expect(parsePrice("twaalf")).toBeNull();
    expect(parsePrice("")).toBeNull();
  });

  it("marks each wrong field of the form, and nothing when all is well", () => {
    const form = productForm(detail);
    const ok = [variantForm(variant, "nl")];
    expect(formProblems(form, ok).size).toBe(0);

    const bad = [
      { ...ok[0]!, gtin: "8712345000012", price: "-1" },
      { ...ok[0]!, id: 8, sku: "kof-huis-250", price: "" },
    ];
    const problems = formProblems({ ...form, titleNl: "", titleEn: " " }, bad);
    expect(problems.get("titleNl")?.key).toBe("editor.problem.title");
    expect(problems.get("variant.7.gtin")?.key).toBe("editor.problem.gtinCheck");
    expect(problems.get("variant.7.price")?.key).toBe("editor.problem.priceNegative");
    expect(problems.get("variant.8.price")?.key).toBe("editor.problem.priceRequired");
    expect(problems.get("variant.8.sku")?.key, "SKUs differ only in case").toBe("editor.problem.skuTwice");
  });

  it("cleans tags: trimmed, no empties, no doubles in another case", () => {
    expect(parseTags(" koffie, Bonen,, bonen ,espresso ")).toEqual(["koffie", "Bonen", "espresso"]);
  });
});

describe("saving the editor", () => {
  it("sends nothing when nothing changed", () => {
    expect(productChanges(detail, productForm(detail), [variantForm(variant, "nl")])).toEqual([]);
  });

  it("sends exactly the fields that changed, with the stored value as old", () => {
    const form = { ...productForm(detail), titleEn: "House blend, fresh", category: null, tags: "koffie" };
    const v = { ...variantForm(variant, "nl"), price: "9,25", gtin: "" };
    const changes = productChanges(detail, form, [v]);
    expect(changes).toEqual([
      { target: { kind: "product", id: 3 }, field: { field: "title_en" }, old: "House blend", new: "House blend, fresh" },
      { target: { kind: "product", id: 3 }, field: { field: "category" }, old: "2", new: null },
      { target: { kind: "product", id: 3 }, field: { field: "tags" }, old: '["koffie","bonen"]', new: '["koffie"]' },
      { target: { kind: "variant", id: 7 }, field: { field: "gtin" }, old: "8712345000011", new: null },
      { target: { kind: "variant", id: 7 }, field: { field: "price" }, old: "8.95", new: "9.25" },
    ]);
  });

  it("sends the picture list in its new order with trimmed alt text", () => {
    const form = productForm(detail);
    const b = "b".repeat(64);
    form.pictures = movePicture(addPicture(form.pictures, b), 1, -1);
    form.pictures[0]!.altNl = " Kopje ";
    expect(addPicture(form.pictures, b)).toHaveLength(2);
    const [change] = productChanges(detail, form, []);
    expect(change?.field).toEqual({ field: "images" });
    expect(JSON.parse(change?.new ?? "[]")).toEqual([
      { hash: b, altNl: "Kopje", altEn: "" },
      { hash: "a".repeat(64), altNl: "Zak", altEn: "Bag" },
    ]);
  });
});
