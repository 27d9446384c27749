import { afterEach, describe, expect, it } from "vitest";
import { en } from "../src/lib/i18n/en";
import { hasKey, i18n, initialLanguage, setLanguage, t, tc } from "../src/lib/i18n/index.svelte";
import { nl } from "../src/lib/i18n/nl";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("dictionaries", () => {
  it("have exactly the same keys", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
  });

  it("use the same placeholders per key", () => {
    for (const key of Object.keys(nl) as (keyof typeof nl)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(nl[key]));
    }
  });

  it("have no empty texts", () => {
    for (const [key, text] of [...Object.entries(nl), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe("");
    }
  });

  it("pair every .one with an .other", () => {
    for (const key of Object.keys(nl)) {
      if (key.endsWith(".one")) expect(hasKey(key.replace(/\.one$/, ".other")), key).toBe(true);
    }
  });
});

describe("t and tc", () => {
  afterEach(() => setLanguage("nl"));

  it("switch language at once", () => {
    setLanguage("nl");
    expect(t("nav.orders")).toBe("Bestellingen");
    setLanguage("en");
    expect(i18n.lang).toBe("en");
    expect(t("nav.orders")).toBe("Orders");
  });

  it("fill placeholders and leave unknown ones visible", () => {
    setLanguage("nl");
    expect(t("common.shown", { shown: 50, total: 72 })).toBe("50 van 72 getoond");
    expect(t("common.shown", { shown: 50 })).toBe("50 van {total} getoond");
  });

  it("pick the plural form and format the count", () => {
    setLanguage("nl");
    expect(tc("catalog.count", 1)).toBe("1 product");
    expect(tc("catalog.count", 72)).toBe("72 producten");
    expect(tc("catalog.count", 0)).toBe("0 producten");
    expect(tc("status.pending", 1234)).toBe("1.234 wijzigingen wachten op publicatie");
    setLanguage("en");
    expect(tc("status.pending", 1)).toBe("1 change waiting to be published");
    expect(tc("catalog.count", 1234)).toBe("1,234 products");
  });

  it("say one listing or change in the singular on the Publish page and its rollback", () => {
    setLanguage("nl");
    expect(tc("publish.rollback.confirm", 1)).toBe("1 advertentie terugdraaien");
    expect(tc("publish.rollback.confirm", 3)).toBe("3 advertenties terugdraaien");
    expect(tc("publish.rollback.counts", 1, { done: 1, failed: 0 })).toBe("1 advertentie, 1 klaar, 0 geweigerd");
    expect(tc("publish.queued", 1)).toBe("Deze publicatie bevat 1 wijziging.");
    expect(tc("publish.alreadyQueued", 1)).toBe("1 stond al klaar van een eerdere publicatie.");
    setLanguage("en");
    expect(tc("publish.rollback.confirm", 1)).toBe("Roll back 1 listing");
    expect(tc("publish.queued", 2)).toBe("This publish holds 2 changes.");
  });
});

describe("initialLanguage", () => {
  it("prefers the saved choice", () => {
    expect(initialLanguage("en", "nl-NL")).toBe("en");
    expect(initialLanguage("nl", "en-US")).toBe("nl");
  });
  it("follows a Dutch OS when nothing is saved", () => {
    expect(initialLanguage(null, "nl-NL")).toBe("nl");
    expect(initialLanguage(null, "nl-BE")).toBe("nl");
    expect(initialLanguage(null, "NL")).toBe("nl");
  });
  it("falls back to English otherwise", () => {
    expect(initialLanguage(null, "de-DE")).toBe("en");
    expect(initialLanguage(null, "en-GB")).toBe("en");
    expect(initialLanguage(null, undefined)).toBe("en");
  });
});
