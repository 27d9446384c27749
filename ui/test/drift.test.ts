import { afterEach, describe, expect, it } from "vitest";
import type { DriftOutcome, DriftRefusal } from "../src/lib/bindings";
import { heldText, outcomeText, refusalText } from "../src/lib/drift";
import { setLanguage } from "../src/lib/i18n/index.svelte";

afterEach(() => setLanguage("nl"));

// Every outcome kanaal-core returns, with the sentence a Dutch and an English merchant read.
const outcomes: [DriftOutcome, string, string][] = [
  [
    { kind: "kept_mine", channel: "bol.com" },
    "Je eigen waarde blijft; de volgende publicatie stuurt die naar bol.com.",
    "Kanaal's value is kept; the next publish sends it to bol.com.",
  ],
  [
    { kind: "catalog_text", field: "title" },
    "De titel in de catalogus is nu gelijk aan die op het kanaal; elk kanaal krijgt hem met de volgende publicatie.",
    "The catalog title now reads as on the channel; every channel gets it with the next publish.",
  ],
  [
    { kind: "catalog_text", field: "description" },
    "De omschrijving in de catalogus is nu gelijk aan die op het kanaal; elk kanaal krijgt haar met de volgende publicatie.",
    "The catalog description now reads as on the channel; every channel gets it with the next publish.",
  ],
  [
    { kind: "listing_text", field: "title", channel: "Webshop" },
    "De titel voor Webshop is nu gelijk aan die op het kanaal.",
    "The title for Webshop now reads as on the channel.",
  ],
  [
    { kind: "listing_text", field: "description", channel: "Webshop" },
    "De omschrijving voor Webshop is nu gelijk aan die op het kanaal.",
    "The description for Webshop now reads as on the channel.",
  ],
  [
    { kind: "catalog_brand", brand: "Branderij Noord" },
    "Het merk in de catalogus is nu Branderij Noord; elk kanaal krijgt het met de volgende publicatie.",
    "The catalog brand is now Branderij Noord; every channel gets it with the next publish.",
  ],
  [
    { kind: "catalog_gtin", sku: "ESP-250", gtin: "8712345678906" },
    "De EAN van ESP-250 in de catalogus is nu 8712345678906.",
    "The catalog EAN of ESP-250 is now 8712345678906.",
  ],
  [
    { kind: "listing_price", sku: "ESP-250", price: "1234.5", channel: "bol.com" },
    "ESP-250 heeft nu een eigen prijs van 1.234,50 op bol.com; de catalogusprijs en de andere kanalen blijven zoals ze zijn.",
    "ESP-250 now has its own price of 1,234.50 on bol.com; the catalog price and the other channels stay as they are.",
  ],
  [
    { kind: "catalog_price", sku: "ESP-250", price: "8.95" },
    "De catalogusprijs van ESP-250 is nu 8,95.",
    "The catalog price of ESP-250 is now 8.95.",
  ],
  [
    { kind: "listing_delivery_code", code: "24uurs-16", channel: "bol.com" },
    "Dit aanbod heeft nu een eigen levertijd 24uurs-16 op bol.com; de andere aanbiedingen houden de instelling van het kanaal.",
    "This listing now has its own delivery promise 24uurs-16 on bol.com; the other listings keep the channel's setting.",
  ],
  [
    { kind: "taken_off", channel: "bol.com" },
    "Ook in Kanaal van bol.com gehaald; Kanaal stuurt er daar niets meer voor (zet het op de productpagina weer op het kanaal als je het terug wilt).",
    "Taken off bol.com in Kanaal too; Kanaal sends nothing more for it there (list it again on the product page when you want it back).",
  ],
  [
    { kind: "put_back_as_new", channel: "bol.com" },
    "De volgende publicatie zet het als nieuw aanbod terug op bol.com.",
    "The next publish puts it back on bol.com as a new listing.",
  ],
  [
    { kind: "put_back_on_sale", channel: "bol.com" },
    "De volgende publicatie zet het op bol.com weer te koop.",
    "The next publish puts it back on sale on bol.com.",
  ],
];

const refusals: [DriftRefusal, string, string][] = [
  [
    { kind: "no_longer_open" },
    "Deze wijziging op het kanaal staat niet meer open (al afgehandeld, of de laatste controle ziet haar niet meer); controleer de kanalen opnieuw.",
    "This change on the channel is no longer open (resolved already, or the last check no longer sees it); check the channels again.",
  ],
  [
    { kind: "no_ean", channel: "bol.com", sku: "ESP-250" },
    "bol.com toont geen EAN voor ESP-250; Kanaal houdt zijn eigen EAN. Kies ‘Mijn waarde houden’ om hem opnieuw te sturen.",
    "bol.com shows no EAN for ESP-250; Kanaal keeps its EAN. Choose ‘Keep mine’ to send it again.",
  ],
  [
    { kind: "compare_at_not_sent", channel: "Webshop" },
    "Kanaal stuurt nog geen ‘van’-prijs naar Webshop en kan deze dus niet overnemen; kies ‘Mijn waarde houden’ en de volgende publicatie haalt hem daar weg.",
    "Kanaal does not send a ‘was’ price to Webshop yet, so it cannot take this one over; choose ‘Keep mine’ and the next publish removes it there.",
  ],
  [
    { kind: "price_by_rule", channel: "Webshop" },
    "Webshop verkoopt meerdere varianten onder één aanbod en bepaalt de prijzen met een regel, dus Kanaal kan de prijs van één variant niet overnemen; pas de catalogusprijs zelf aan, of kies ‘Mijn waarde houden’.",
    "Webshop sells several variants under one listing and sets its prices by a rule, so Kanaal cannot take over one variant's price; change the catalog price yourself, or choose ‘Keep mine’.",
  ],
  [
    { kind: "not_adoptable" },
    "Kanaal kan dit veld niet van het kanaal overnemen.",
    "Kanaal cannot take this field over from the channel.",
  ],
];

describe("outcomeText", () => {
  it.each(outcomes)("words %j in Dutch and English", (outcome, dutch, english) => {
    setLanguage("nl");
    expect(outcomeText(outcome, "nl")).toBe(dutch);
    setLanguage("en");
    expect(outcomeText(outcome, "en")).toBe(english);
  });
});

describe("refusalText", () => {
  it.each(refusals)("words %j in Dutch and English", (refusal, dutch, english) => {
    setLanguage("nl");
    expect(refusalText(refusal)).toBe(dutch);
    setLanguage("en");
    expect(refusalText(refusal)).toBe(english);
  });
});

describe("heldText", () => {
  it("says the channel could not be checked and its updates wait", () => {
    setLanguage("nl");
    expect(heldText("bol.com")).toBe("bol.com kon niet worden gecontroleerd op wijzigingen; updates wachten tot dat weer kan.");
    setLanguage("en");
    expect(heldText("bol.com")).toBe("bol.com could not be checked for changes; updates wait until it can.");
  });
});
