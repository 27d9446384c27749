import { describe, expect, it } from "vitest";
import {
  bulkLabel,
  bulkOp,
  editableAmount,
  firstRows,
  isMoneyField,
  isStale,
  percentToFactor,
  variantChange,
  variantEditLabel,
  type BulkForm,
  type LabelWords,
} from "../src/lib/edit";
import { KanaalError } from "../src/lib/ipc";

const nlWords: LabelWords = {
  price: "Prijs",
  stock: "Voorraad",
  round: { cents95: "afgerond op ,95", cents99: "afgerond op ,99", whole: "afgerond op hele euro's" },
  addTag: "Tag toevoegen",
  removeTag: "Tag verwijderen",
  status: "Status",
  statusName: { draft: "Concept", active: "Actief", archived: "Gearchiveerd" },
  category: "Categorie",
  categoryName: (id) => (id === "4" ? "Thee" : undefined),
};

const form = (patch: Partial<BulkForm>): BulkForm => ({
  kind: "price_pct",
  value: "",
  ending: "cents95",
  status: "active",
  ...patch,
});

describe("variantChange", () => {
  it("targets the variant with the stored old value and the typed new one", () => {
    expect(variantChange(7, { field: "price" }, "8.95", " 12,50 ")).toEqual({
      target: { kind: "variant", id: 7 },
      field: { field: "price" },
      old: "8.95",
      new: "12,50",
    });
  });

  it("carries the location for stock and sends empty as null", () => {
    expect(variantChange(3, { field: "stock", location: 2 }, "5", "")).toEqual({
      target: { kind: "variant", id: 3 },
      field: { field: "stock", location: 2 },
      old: "5",
      new: null,
    });
  });
});

describe("isStale", () => {
  it("recognises the stale-preview refusal by its kind only, in either language", () => {
    const stale = { kind: "stale", field: { field: "price" } } as const;
    expect(isStale(new KanaalError("invalid_input", "Prijs is veranderd sinds het voorbeeld werd gemaakt; bekijk het voorbeeld opnieuw.", stale))).toBe(true);
    expect(isStale(new KanaalError("invalid_input", "Price changed since the preview was made; preview again.", stale))).toBe(true);
    expect(isStale(new KanaalError("invalid_input", "price: cannot be below zero", { kind: "below_zero", field: { field: "price" } }))).toBe(false);
    expect(isStale(new KanaalError("internal", "preview again"))).toBe(false);
    expect(isStale("preview again")).toBe(false);
  });
});

describe("editableAmount", () => {
  it("shows the stored decimal the user's way without thousands separators", () => {
    expect(editableAmount("8.95", "nl")).toBe("8,95");
    expect(editableAmount("8.95", "en")).toBe("8.95");
    expect(editableAmount("1234.5", "nl")).toBe("1234,50");
    expect(editableAmount("1234567.5", "en")).toBe("1234567.50");
    expect(editableAmount("n/a", "nl")).toBe("n/a");
  });
});

describe("percentToFactor", () => {
  it("turns percent into an exact factor", () => {
    expect(percentToFactor("10")).toBe("1.10");
    expect(percentToFactor("+10")).toBe("1.10");
    expect(percentToFactor("-5")).toBe("0.95");
    expect(percentToFactor("2,5")).toBe("1.025");
    expect(percentToFactor("-12.75")).toBe("0.8725");
    expect(percentToFactor("100")).toBe("2.00");
    expect(percentToFactor("abc")).toBeNull();
    expect(percentToFactor("1e3")).toBeNull();
  });
});

describe("bulkOp", () => {
  it("builds each operation", () => {
    expect(bulkOp(form({ kind: "price_pct", value: "10" }))).toEqual({ op: { op: "price_factor", factor: "1.10" } });
    expect(bulkOp(form({ kind: "stock", value: "-3", location: 2 }))).toEqual({
      op: { op: "stock_delta", location: 2, units: -3 },
    });
    expect(bulkOp(form({ kind: "stock", value: "2,5", location: 2 }))).toEqual({ problem: "units" });
    expect(bulkOp(form({ kind: "stock", value: "5", location: null }))).toEqual({ problem: "location" });
    expect(bulkOp(form({ kind: "stock", value: "0", location: 1 }))).toEqual({ problem: "zero" });
    expect(bulkOp(form({ kind: "set_category", category: 4 }))).toEqual({
      op: { op: "set", field: { field: "category" }, value: "4" },
    });
    expect(bulkLabel(nlWords, { op: "set", field: { field: "category" }, value: "4" }, "nl")).toBe("Categorie: Thee");
    expect(bulkOp(form({ kind: "price_amount", value: "-1" }))).toEqual({ op: { op: "price_delta", amount: "-1.00" } });
    expect(bulkOp(form({ kind: "price_amount", value: "0,5" }))).toEqual({ op: { op: "price_delta", amount: "0.50" } });
    expect(bulkOp(form({ kind: "round", ending: "cents99" }))).toEqual({ op: { op: "round_price", ending: "cents99" } });
    expect(bulkOp(form({ kind: "add_tag", value: " cadeau " }))).toEqual({ op: { op: "add_tag", tag: "cadeau" } });
    expect(bulkOp(form({ kind: "remove_tag", value: "oud" }))).toEqual({ op: { op: "remove_tag", tag: "oud" } });
    expect(bulkOp(form({ kind: "set_status", status: "archived" }))).toEqual({
      op: { op: "set", field: { field: "status" }, value: "archived" },
    });
  });

  it("says what is wrong with the form", () => {
    expect(bulkOp(form({ kind: "price_pct", value: "tien" }))).toEqual({ problem: "number" });
    expect(bulkOp(form({ kind: "price_pct", value: "-100" }))).toEqual({ problem: "pct" });
    expect(bulkOp(form({ kind: "price_pct", value: "0" }))).toEqual({ problem: "zero" });
    expect(bulkOp(form({ kind: "price_amount", value: "0,00" }))).toEqual({ problem: "zero" });
    expect(bulkOp(form({ kind: "add_tag", value: "  " }))).toEqual({ problem: "tag" });
  });
});

describe("labels", () => {
  it("name a single variant edit", () => {
    expect(variantEditLabel(nlWords, "KOF-001", { field: "price" })).toBe("Prijs KOF-001");
    expect(variantEditLabel(nlWords, "KOF-001", { field: "stock", location: 1 }, "Winkel")).toBe("Voorraad KOF-001 (Winkel)");
  });

  it("describe bulk operations", () => {
    expect(bulkLabel(nlWords, { op: "price_factor", factor: "1.10" }, "nl")).toBe("Prijs +10%");
    expect(bulkLabel(nlWords, { op: "price_factor", factor: "0.975" }, "nl")).toBe("Prijs -2,5%");
    expect(bulkLabel(nlWords, { op: "price_factor", factor: "0.975" }, "en")).toBe("Prijs -2.5%");
    expect(bulkLabel(nlWords, { op: "price_delta", amount: "-1.00" }, "nl")).toBe("Prijs -€ 1,00");
    expect(bulkLabel(nlWords, { op: "price_delta", amount: "1250.00" }, "en")).toBe("Prijs +€1,250.00");
    expect(bulkLabel(nlWords, { op: "round_price", ending: "cents95" }, "nl")).toBe("Prijs afgerond op ,95");
    expect(bulkLabel(nlWords, { op: "add_tag", tag: "cadeau" }, "nl")).toBe("Tag toevoegen: cadeau");
    expect(bulkLabel(nlWords, { op: "remove_tag", tag: "oud" }, "nl")).toBe("Tag verwijderen: oud");
    expect(bulkLabel(nlWords, { op: "set", field: { field: "status" }, value: "archived" }, "nl")).toBe(
      "Status: Gearchiveerd",
    );
    expect(bulkLabel(nlWords, { op: "stock_delta", location: 1, units: -3 }, "nl")).toBe("Voorraad -3");
  });
});

describe("firstRows", () => {
  it("keeps at most the limit and counts the rest", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => i);
    const { shown, more } = firstRows(rows, 200);
    expect(shown).toHaveLength(200);
    expect(shown[199]).toBe(199);
    expect(more).toBe(4800);
    expect(firstRows([1, 2], 200)).toEqual({ shown: [1, 2], more: 0 });
  });
});

describe("isMoneyField", () => {
  it("knows the money fields", () => {
    expect(isMoneyField({ field: "price" })).toBe(true);
    expect(isMoneyField({ field: "cost" })).toBe(true);
    expect(isMoneyField({ field: "stock", location: 1 })).toBe(false);
    expect(isMoneyField({ field: "status" })).toBe(false);
  });
});
