import { describe, expect, it } from "vitest";
import type { ImportReport, RowProblem } from "../src/lib/bindings";
import { importHeaders, isCsvName, MAX_PROBLEMS_SHOWN, rowProblemText, summariseReport } from "../src/lib/importing";

function problem(row: number, severity: RowProblem["severity"]): RowProblem {
  return { row, column: "Variant Price", value: "twaalf", severity, kind: { code: "bad_amount" }, message: "m", messageNl: "m" };
}

function report(problems: RowProblem[], counts: Partial<ImportReport> = {}): ImportReport {
  return {
    format: "shopify",
    dryRun: true,
    committed: false,
    created: 1,
    updated: 0,
    unchanged: 0,
    skippedRows: 0,
    categoriesCreated: 0,
    pictureAddresses: 0,
    batchId: null,
    problems,
    ...counts,
  };
}

describe("importHeaders", () => {
  it("puts every option in its header", () => {
    expect(importHeaders({ format: "shopify", mode: "valid_rows_only", dryRun: true })).toEqual({
      "x-kanaal-format": "shopify",
      "x-kanaal-mode": "valid_rows_only",
      "x-kanaal-dry-run": "true",
    });
    expect(importHeaders({ format: "auto", mode: "all_or_nothing", dryRun: false })).toEqual({
      "x-kanaal-format": "auto",
      "x-kanaal-mode": "all_or_nothing",
      "x-kanaal-dry-run": "false",
    });
  });
});

describe("summariseReport", () => {
  it("counts errors and notices and lists errors first, in row order", () => {
    const s = summariseReport(report([problem(5, "notice"), problem(7, "error"), problem(3, "error")]));
    expect(s.errors).toBe(2);
    expect(s.notices).toBe(1);
    expect(s.shown.map((p) => [p.row, p.severity])).toEqual([
      [3, "error"],
      [7, "error"],
      [5, "notice"],
    ]);
    expect(s.hidden).toBe(0);
    expect(s.canImportAll).toBe(false);
  });

  it("shows at most the limit and counts the rest", () => {
    const many = Array.from({ length: MAX_PROBLEMS_SHOWN + 25 }, (_, i) => problem(i + 2, "notice"));
    const s = summariseReport(report(many));
    expect(s.shown).toHaveLength(MAX_PROBLEMS_SHOWN);
    expect(s.hidden).toBe(25);
    expect(s.canImportAll).toBe(true);
    expect(summariseReport(report(many), 10).hidden).toBe(many.length - 10);
  });

  it("says when the file would change nothing", () => {
    expect(summariseReport(report([], { created: 0, updated: 0, unchanged: 4 })).nothingToDo).toBe(true);
    expect(summariseReport(report([], { created: 0, updated: 1 })).nothingToDo).toBe(false);
    expect(summariseReport(report([])).nothingToDo).toBe(false);
  });
});

describe("isCsvName", () => {
  it("accepts .csv and .txt files only", () => {
    expect(isCsvName("producten.csv")).toBe(true);
    expect(isCsvName("EXPORT.CSV")).toBe(true);
    expect(isCsvName("export.txt")).toBe(true);
    expect(isCsvName("foto.png")).toBe(false);
    expect(isCsvName("csv")).toBe(false);
  });
});

describe("rowProblemText", () => {
  it("words a product the catalog refused in the window's language, else uses the report's own sentence", async () => {
    const { setLanguage } = await import("../src/lib/i18n/index.svelte");
    const refused: RowProblem = {
      ...problem(4, "error"),
      column: "Handle",
      value: "koffie",
      kind: { code: "refused", detail: "koffie: a SKU, EAN or handle in it is already used by another product", problem: { kind: "code_taken", handle: "koffie" } },
      message: "the catalog refused this product: koffie: a SKU, EAN or handle in it is already used by another product",
      messageNl: "de catalogus weigerde dit product; reden: koffie: a SKU, EAN or handle in it is already used by another product",
    };
    setLanguage("nl");
    expect(rowProblemText(refused)).toBe(
      "De catalogus weigerde dit product: koffie: een SKU, EAN of webnaam van dit product is al van een ander product.",
    );
    setLanguage("en");
    expect(rowProblemText(refused)).toBe("The catalog refused this product: koffie: a SKU, EAN or web name in it is already used by another product.");
    const amount = { ...problem(2, "error"), message: "not an amount", messageNl: "geen bedrag" };
    expect(rowProblemText(amount)).toBe("not an amount");
    setLanguage("nl");
    expect(rowProblemText(amount)).toBe("geen bedrag");
  });
});
