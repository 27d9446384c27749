import { describe, expect, it } from "vitest";
import {
  formatAmount,
  formatBytes,
  formatDateTime,
  formatInt,
  formatMoney,
  formatPercent,
  formatPriceRange,
  parseDecimal,
  roundHalfEven,
} from "../src/lib/format";

const eur = (amount: string) => ({ amount, currency: "EUR" });

describe("formatMoney, Dutch", () => {
  it.each([
    ["12.50", "€ 12,50"],
    ["12.5", "€ 12,50"],
    ["12", "€ 12,00"],
    ["0", "€ 0,00"],
    ["0.05", "€ 0,05"],
    ["1234.5", "€ 1.234,50"],
    ["1234567.89", "€ 1.234.567,89"],
    ["999", "€ 999,00"],
    ["1000", "€ 1.000,00"],
    ["-3", "-€ 3,00"],
    ["-1234.50", "-€ 1.234,50"],
    ["007.10", "€ 7,10"],
    [".5", "€ 0,50"],
    ["+4.20", "€ 4,20"],
  ])("%s -> %s", (amount, expected) => {
    expect(formatMoney(eur(amount), "nl")).toBe(expected);
  });
});

describe("formatMoney, English", () => {
  it.each([
    ["12.50", "€12.50"],
    ["1234.5", "€1,234.50"],
    ["1234567.891", "€1,234,567.89"],
    ["-3", "-€3.00"],
    ["0.1", "€0.10"],
  ])("%s -> %s", (amount, expected) => {
    expect(formatMoney(eur(amount), "en")).toBe(expected);
  });
});

describe("rounding money half to even by string arithmetic", () => {
  it.each([
    ["0.125", "€ 0,12"],
    ["0.135", "€ 0,14"],
    ["0.145", "€ 0,14"],
    ["0.155", "€ 0,16"],
    ["0.1250001", "€ 0,13"],
    ["0.1249999", "€ 0,12"],
    ["2.675", "€ 2,68"],
    ["1.005", "€ 1,00"],
    ["0.995", "€ 1,00"],
    ["999.995", "€ 1.000,00"],
    ["9999999.999", "€ 10.000.000,00"],
    ["-0.125", "-€ 0,12"],
    ["-0.135", "-€ 0,14"],
    ["-2.675", "-€ 2,68"],
  ])("%s -> %s", (amount, expected) => {
    expect(formatMoney(eur(amount), "nl")).toBe(expected);
  });

  it("drops the sign when a negative amount rounds to zero", () => {
    expect(formatMoney(eur("-0.001"), "nl")).toBe("€ 0,00");
    expect(formatMoney(eur("-0.00"), "en")).toBe("€0.00");
  });

  it("keeps precision far beyond what a float holds", () => {
    expect(formatMoney(eur("123456789012345678.905"), "en")).toBe("€123,456,789,012,345,678.90");
    expect(formatMoney(eur("123456789012345678.915"), "en")).toBe("€123,456,789,012,345,678.92");
  });

  it("roundHalfEven works for other precisions", () => {
    expect(roundHalfEven({ negative: false, int: "2", frac: "5" }, 0)).toEqual({ negative: false, int: "2", frac: "" });
    expect(roundHalfEven({ negative: false, int: "3", frac: "5" }, 0)).toEqual({ negative: false, int: "4", frac: "" });
    expect(roundHalfEven({ negative: true, int: "54", frac: "25" }, 1)).toEqual({ negative: true, int: "54", frac: "2" });
  });
});

describe("other currencies show their code", () => {
  it("uses the ISO code with the language's separators", () => {
    expect(formatMoney({ amount: "12.5", currency: "USD" }, "en")).toBe("USD 12.50");
    expect(formatMoney({ amount: "1234.5", currency: "USD" }, "nl")).toBe("USD 1.234,50");
    expect(formatMoney({ amount: "-7", currency: "GBP" }, "en")).toBe("-GBP 7.00");
  });
});

describe("unparseable amounts are shown as given, never as NaN", () => {
  it.each(["abc", "", "1e5", "1.2.3", "12,50", "-"])("%j", (amount) => {
    expect(formatMoney(eur(amount), "nl")).toBe(`EUR ${amount}`);
    expect(formatAmount(amount, "nl")).toBeNull();
  });
});

describe("parseDecimal", () => {
  it("splits sign, integer and fraction and strips leading zeros", () => {
    expect(parseDecimal("-0012.340")).toEqual({ negative: true, int: "12", frac: "340" });
    expect(parseDecimal(" 5 ")).toEqual({ negative: false, int: "5", frac: "" });
    expect(parseDecimal("0.5")).toEqual({ negative: false, int: "0", frac: "5" });
    expect(parseDecimal("12.")).toEqual({ negative: false, int: "12", frac: "" });
  });
});

describe("formatPriceRange", () => {
  it("shows one price when both ends are equal, even when written differently", () => {
    expect(formatPriceRange(eur("12.5"), eur("12.50"), "nl")).toBe("€ 12,50");
  });
  it("shows a range otherwise", () => {
    expect(formatPriceRange(eur("8.95"), eur("24"), "nl")).toBe("€ 8,95 – € 24,00");
    expect(formatPriceRange(eur("8.95"), eur("24"), "en")).toBe("€8.95 – €24.00");
  });
  it("handles missing ends", () => {
    expect(formatPriceRange(null, null, "nl")).toBe("—");
    expect(formatPriceRange(eur("3"), null, "en")).toBe("€3.00");
  });
});

describe("formatInt", () => {
  it.each([
    [0, "0", "0"],
    [7, "7", "7"],
    [999, "999", "999"],
    [1000, "1.000", "1,000"],
    [1234567, "1.234.567", "1,234,567"],
    [-45678, "-45.678", "-45,678"],
    [12.9, "12", "12"],
  ])("%d -> nl %s, en %s", (n, nl, en) => {
    expect(formatInt(n, "nl")).toBe(nl);
    expect(formatInt(n, "en")).toBe(en);
  });
  it("does not print NaN", () => {
    expect(formatInt(Number.NaN, "nl")).toBe("—");
  });
});

describe("formatPercent", () => {
  it.each([
    ["54.3", "54,3%", "54.3%"],
    ["54", "54%", "54%"],
    ["54.0", "54%", "54%"],
    ["54.25", "54,2%", "54.2%"],
    ["54.35", "54,4%", "54.4%"],
    ["-12.5", "-12,5%", "-12.5%"],
    ["1234.5", "1.234,5%", "1,234.5%"],
    ["0.04", "0%", "0%"],
  ])("%s -> nl %s, en %s", (value, nl, en) => {
    expect(formatPercent(value, "nl")).toBe(nl);
    expect(formatPercent(value, "en")).toBe(en);
  });
  it("shows a dash for an unknown margin", () => {
    expect(formatPercent(null, "nl")).toBe("—");
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B", "0 B"],
    [512, "512 B", "512 B"],
    [1536, "1,5 kB", "1.5 kB"],
    [200 * 1024, "200 kB", "200 kB"],
    [2.5 * 1024 * 1024, "2,5 MB", "2.5 MB"],
    [123 * 1024 * 1024, "123 MB", "123 MB"],
    [3 * 1024 ** 3, "3,0 GB", "3.0 GB"],
  ])("%d -> nl %s, en %s", (bytes, nl, en) => {
    expect(formatBytes(bytes, "nl")).toBe(nl);
    expect(formatBytes(bytes, "en")).toBe(en);
  });
  it("rejects nonsense", () => {
    expect(formatBytes(-1, "en")).toBe("—");
  });
});

describe("formatDateTime", () => {
  const iso = "2025-03-12T13:05:00Z";
  it("uses Dutch month names and 24-hour time", () => {
    expect(formatDateTime(iso, "nl", "Europe/Amsterdam")).toBe("12 mrt 2025, 14:05");
  });
  it("uses British English", () => {
    expect(formatDateTime(iso, "en", "Europe/Amsterdam")).toBe("12 Mar 2025, 14:05");
  });
  it("returns text it cannot read unchanged", () => {
    expect(formatDateTime("yesterday", "nl")).toBe("yesterday");
  });
});
