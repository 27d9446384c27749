import { afterEach, describe, expect, it } from "vitest";
import type { ListingPrice } from "../src/lib/bindings";
import { setLanguage } from "../src/lib/i18n/index.svelte";
import { amountText, deliveryText, lowestOwn, withoutOwn } from "../src/lib/listingEditor";

afterEach(() => setLanguage("nl"));

const listing = (prices: [string, string | null][]): ListingPrice => ({
  listing: 1,
  price: null,
  variants: prices.map(([channelPrice, lowest], i) => ({ variant: i + 1, sku: `KOF-${i}`, channelPrice, lowest })),
});

describe("the Channels tab", () => {
  it.each([
    ["24uurs-16", "Voor 16:00 besteld, morgen in huis (24uurs-16)", "Ordered before 16:00, delivered tomorrow (24uurs-16)"],
    ["1-2d", "1–2 werkdagen (1-2d)", "1–2 working days (1-2d)"],
    ["MijnLeverbelofte", "Eigen leverbelofte (ingesteld op bol.com) (MijnLeverbelofte)", "Own delivery promise (set on bol.com) (MijnLeverbelofte)"],
    ["VVB", "Verzending via bol (bol.com bepaalt de levertijd) (VVB)", "Shipped by bol (bol.com sets the delivery time) (VVB)"],
    ["iets-anders", "iets-anders", "iets-anders"],
  ])("words bol.com's delivery code %s with the code kept", (code, dutch, english) => {
    setLanguage("nl");
    expect(deliveryText(code)).toBe(dutch);
    setLanguage("en");
    expect(deliveryText(code)).toBe(english);
  });

  it("shows the price without an own one as one amount or a range, in the merchant's way", () => {
    expect(withoutOwn(listing([["11.95", null]]), "nl")).toBe("11,95");
    expect(withoutOwn(listing([["16.95", null], ["9.5", null], ["1234.5", null]]), "nl")).toBe("9,50 – 1.234,50");
    expect(withoutOwn(listing([["16.95", null], ["9.5", null]]), "en")).toBe("9.50 – 16.95");
    expect(withoutOwn(listing([]), "nl")).toBe("");
  });

  it("gives the highest margin floor of the listing's variants, or none", () => {
    expect(lowestOwn(listing([["10", "5.24"], ["12", "6.1"]]), "nl")).toBe("6,10");
    expect(lowestOwn(listing([["10", null]]), "nl")).toBeNull();
  });

  it("shows a stored own price as the merchant types it", () => {
    expect(amountText("12.5", "nl")).toBe("12,50");
    expect(amountText(null, "nl")).toBe("");
  });
});
