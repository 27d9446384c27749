import { afterEach, describe, expect, it } from "vitest";
import type { ComparisonRow, OverlapView, ScheduleDraft } from "../src/lib/bindings";
import { setLanguage } from "../src/lib/i18n/index.svelte";
import {
  cell,
  comparisonTable,
  csvFileName,
  describeSchedule,
  isZeroAmount,
  fractionToPercent,
  monthSeries,
  openFeeSection,
  overlapTables,
  presetPeriod,
  repeatPercent,
  subtractDecimal,
  toCsv,
} from "../src/lib/insights";

const eur = (amount: string) => ({ amount, currency: "EUR" });

describe("CSV export", () => {
  it("writes the plain values under the column labels, quoting what needs quoting", () => {
    const csv = toCsv({
      columns: [
        { key: "p", label: "Product" },
        { key: "n", label: "Netto, bijdrage", numeric: true },
      ],
      rows: [
        [cell('Koffie "Huismelange"'), cell("12.50", "€ 12,50")],
        [cell("Thee\nzwart"), cell("-3.10", "-€ 3,10")],
        [cell("Bonen;fijn"), cell(null, "—")],
      ],
    });
    expect(csv, "header row, then one line per row, CRLF line ends (RFC 4180)").toBe(
      'Product,"Netto, bijdrage"\r\n"Koffie ""Huismelange""",12.50\r\n"Thee\nzwart",-3.10\r\n"Bonen;fijn",\r\n',
    );
    expect(csv, "CSV keeps machine-readable amounts, not the page's formatted text").not.toContain("€");
  });

  it("names the file after the chart, without accents or spaces", () => {
    expect(csvFileName("Netto bijdrage per maand")).toBe("kanaal-netto-bijdrage-per-maand.csv");
    expect(csvFileName("Café — één")).toBe("kanaal-cafe-een.csv");
    expect(csvFileName("!!!")).toBe("kanaal-table.csv");
  });
});

describe("exact decimals for display", () => {
  it("turns a take-rate fraction into a percent without float rounding", () => {
    expect(fractionToPercent("0.1523")).toBe("15.23");
    expect(fractionToPercent("0.05")).toBe("5");
    expect(fractionToPercent("1")).toBe("100");
    expect(fractionToPercent("-0.0125")).toBe("-1.25");
    expect(fractionToPercent("0.1")).toBe("10");
  });

  it("subtracts charged minus expected fees to the cent", () => {
    expect(subtractDecimal("1.10", "0.2")).toBe("0.90");
    expect(subtractDecimal("0.1", "0.3")).toBe("-0.2");
    expect(subtractDecimal("-0.005", "0.01")).toBe("-0.015");
    expect(subtractDecimal("100", "99.99")).toBe("0.01");
  });
});

describe("month series for the time charts", () => {
  it("puts every channel on one month axis, fills gaps with null and sums duplicates", () => {
    const s = monthSeries([
      { channel: "shopify", month: "2026-01", value: 10 },
      { channel: "bol", month: "2026-03", value: 5 },
      { channel: "shopify", month: "2026-03", value: 2 },
      { channel: "shopify", month: "2026-03", value: 1 },
    ]);
    expect(s.months, "months run without a gap, also through a month with no data").toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(s.series).toEqual([
      { channel: "bol", values: [null, null, 5] },
      { channel: "shopify", values: [10, null, 3] },
    ]);
  });

  it("crosses a year end and is empty without points", () => {
    expect(monthSeries([{ channel: "a", month: "2025-11", value: 1 }, { channel: "a", month: "2026-02", value: 1 }]).months).toEqual([
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
    ]);
    expect(monthSeries([])).toEqual({ months: [], series: [] });
  });
});

describe("period presets", () => {
  const today = new Date(2026, 2, 31); // 31 March 2026
  it("end today and include today", () => {
    expect(presetPeriod("30d", today)).toEqual({ from: "2026-03-02", to: "2026-03-31" });
    expect(presetPeriod("year", today)).toEqual({ from: "2026-01-01", to: "2026-03-31" });
    expect(presetPeriod("12m", today)).toEqual({ from: "2025-04-01", to: "2026-03-31" });
    expect(presetPeriod("all", today)).toEqual({ from: null, to: null });
  });
});

describe("the comparison table", () => {
  afterEach(() => setLanguage("nl"));
  const row: ComparisonRow = {
    channel: "bol",
    orders: 1234,
    revenue: eur("1000.00"),
    fees: eur("152.30"),
    netContribution: eur("-12.05"),
    takeRate: "0.1523",
    reviews: 4,
    sentiment: -0.2,
    topComplaints: ["delivery", "packaging"],
    customers: 10,
    uniqueCustomers: 7,
  };

  it("shows Dutch figures on the page and plain values in the CSV", () => {
    setLanguage("nl");
    const table = comparisonTable([row], (k) => (k === "bol" ? "bol.com" : k), (a) => a.toUpperCase(), "nl");
    const shown = table.rows[0]!.map((c) => c.text);
    expect(shown[0]).toBe("bol.com");
    expect(shown[1], "thousands grouped the Dutch way").toBe("1.234");
    expect(shown[5], "take rate as a Dutch percent").toBe("15,2%");
    expect(shown[7]).toBe("-0,20");
    const csv = toCsv(table).split("\r\n");
    expect(csv[0]!.startsWith("Kanaal,Bestellingen,")).toBe(true);
    expect(csv[1]).toBe("bol.com,1234,1000.00,152.30,-12.05,0.1523,4,-0.2,\"DELIVERY; PACKAGING\",10,7");
  });
});

describe("overlap tables", () => {
  const o: OverlapView = {
    channels: ["bol", "shopify"],
    persons: 12,
    matrix: [
      [5, 2],
      [2, 9],
    ],
    intersections: [
      { channels: ["shopify"], persons: 7 },
      { channels: ["bol"], persons: 3 },
      { channels: ["bol", "shopify"], persons: 2 },
    ],
    reach: [
      { channel: "bol", persons: 5, onlyHere: 3, personsWithOrders: 5, repeatPersons: 1 },
      { channel: "shopify", persons: 9, onlyHere: 7, personsWithOrders: 0, repeatPersons: 0 },
    ],
    movement: [{ from: "bol", to: "shopify", persons: 2 }],
    unmatched: 0,
  };

  it("give the matrix with a row per channel and the UpSet bars by combination", () => {
    const t = overlapTables(o, (k) => k.toUpperCase(), "en");
    expect(t.matrix.rows.map((r) => r.map((c) => c.value))).toEqual([
      ["BOL", "5", "2"],
      ["SHOPIFY", "2", "9"],
    ]);
    expect(t.upset.rows.map((r) => r[0]!.value)).toEqual(["SHOPIFY", "BOL", "BOL + SHOPIFY"]);
    expect(t.repeat.rows.map((r) => r[3]!.value), "repeat rate as a fraction in the CSV").toEqual(["0.2000", "0.0000"]);
  });

  it("count no repeat rate for a channel without orders", () => {
    expect(repeatPercent({ personsWithOrders: 0, repeatPersons: 0 })).toBe(0);
    expect(repeatPercent({ personsWithOrders: 4, repeatPersons: 1 })).toBe(25);
  });
});

describe("fee schedules in plain words", () => {
  const base: ScheduleDraft = {
    channelKind: "bol",
    effectiveFrom: "2026-04-01",
    source: "bol.com",
    commission: [
      { category: "Keuken", bands: [{ upTo: "20,00", percent: "10", fixedPerItem: "0,50" }, { upTo: "", percent: "8,5", fixedPerItem: "0,00" }] },
      { category: "", bands: [{ upTo: "", percent: "15", fixedPerItem: "1,00" }] },
    ],
    commissionInclVat: true,
    commissionInclShipping: false,
    minimumPerItem: "",
    fixedPerOrder: "0,00",
    listingPerItem: "0,00",
    fulfilmentPerItem: "0,00",
    fulfilmentPerOrder: "0,00",
    paymentPercent: "",
    paymentFixed: "",
    subscriptionPerMonth: "39,00",
    feeVat: "dutch_vat",
    quotedInclVat: true,
    notes: "",
  };

  it("says each band, the fallback, the subscription and the VAT, and leaves out zero fees", () => {
    setLanguage("nl");
    const lines = describeSchedule(base);
    expect(lines).toEqual([
      "Commissie voor Keuken: tot en met € 20,00: 10% + € 0,50 per stuk; boven € 20,00: 8,5%, van de prijs incl. btw.",
      "Commissie voor alle andere categorieën: 15% + € 1,00 per stuk, van de prijs incl. btw.",
      "Abonnement: € 39,00 per maand, verdeeld over de bestellingen van die maand.",
      "Btw op de kosten: het platform rekent 21% Nederlandse btw. De bedragen hierboven zijn incl. die btw.",
    ]);
  });

  it("treats empty and zero amounts alike", () => {
    expect(isZeroAmount("")).toBe(true);
    expect(isZeroAmount("0,00")).toBe(true);
    expect(isZeroAmount("€ 0")).toBe(true);
    expect(isZeroAmount("0,01")).toBe(false);
  });
});

describe("openFeeSection (the order dialog's link to the fee comparison)", () => {
  it("switches page, then scrolls to and focuses the fee heading once the section has loaded", async () => {
    const calls: string[] = [];
    const heading = {
      attrs: new Map<string, string>(),
      scrollIntoView: () => calls.push("scroll"),
      focus: () => calls.push("focus"),
      hasAttribute(name: string) {
        return this.attrs.has(name);
      },
      setAttribute(name: string, value: string) {
        this.attrs.set(name, value);
      },
    };
    let loaded = false;
    const g = globalThis as unknown as { document?: unknown };
    const own = g.document;
    g.document = { getElementById: (id: string) => (loaded && id === "insights-fees" ? heading : null) };
    try {
      const done = openFeeSection(async () => {
        calls.push("navigate");
        setTimeout(() => (loaded = true), 120);
      });
      expect(await done).toBe(true);
      expect(calls).toEqual(["navigate", "scroll", "focus"]);
      expect(heading.attrs.get("tabindex")).toBe("-1");
    } finally {
      g.document = own;
    }
  });

  it("gives up without an error when the section never appears", async () => {
    const g = globalThis as unknown as { document?: unknown };
    const own = g.document;
    g.document = { getElementById: () => null };
    try {
      expect(await openFeeSection(async () => {}, 100)).toBe(false);
    } finally {
      g.document = own;
    }
  });
});
