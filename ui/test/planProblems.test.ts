import { afterEach, describe, expect, it } from "vitest";
import type { PlanProblem } from "../src/lib/bindings";
import { problemText } from "../src/lib/planProblems";
import { setLanguage } from "../src/lib/i18n/index.svelte";

afterEach(() => setLanguage("nl"));

// Every problem kind kanaal-core returns for a planned listing, with the sentence a Dutch and an
// English merchant read on the Publish page. (A kind added in Rust without a sentence fails
// `npm run check`: problemText's switch must return for every kind.)
const problems: [PlanProblem, string, string][] = [
  [
    { kind: "below_minimum_margin", sku: "ESP-250", price: "8.50", floor: "9.15" },
    "De prijs voor dit kanaal van ESP-250 (€ 8,50) ligt onder de minimale marge op de inkoopprijs (€ 9,15); verhoog de prijs of verlaag de minimale marge van het kanaal.",
    "The price set for this channel for ESP-250 (€8.50) is below the minimum margin over cost (€9.15); raise the price or lower the channel's minimum margin.",
  ],
  [{ kind: "title_empty" }, "De titel is leeg; geef het product een titel.", "The title is empty; give the product a title."],
  [
    { kind: "title_too_long", chars: 163, max: 150 },
    "De titel heeft 163 tekens en dit kanaal staat er 150 toe; maak hem korter of geef een kortere titel voor dit kanaal.",
    "The title has 163 characters and this channel allows 150; shorten it or set a shorter title for this channel.",
  ],
  [
    { kind: "too_many_options", count: 4, max: 3 },
    "Het product heeft 4 opties en dit kanaal staat er 3 toe; haal een optie weg of bied de varianten apart aan.",
    "The product has 4 options and this channel allows 3; remove an option or list the variants separately.",
  ],
  [
    { kind: "no_variants" },
    "Het aanbod heeft geen variant om te verkopen; voeg een variant toe of haal het aanbod weg.",
    "The listing has no variants to sell; add a variant or remove the listing.",
  ],
  [
    { kind: "too_many_variants", count: 120, max: 100 },
    "Het product heeft 120 varianten en dit kanaal staat er 100 toe; splits het product.",
    "The product has 120 variants and this channel allows 100; split the product.",
  ],
  [
    { kind: "category_not_mapped" },
    "De categorie van het product is niet gekoppeld aan een categorie van dit kanaal; koppel haar bij de instellingen van het kanaal.",
    "The product's category is not mapped to a category of this channel; map it in the channel's settings.",
  ],
  [
    { kind: "missing_gtin", sku: "ESP-250" },
    "Variant ESP-250 heeft geen EAN en dit kanaal biedt producten aan op EAN; vul de EAN in.",
    "Variant ESP-250 has no EAN, and this channel lists products by EAN; add the EAN.",
  ],
  [
    { kind: "price_below_minimum", sku: "ESP-250", price: "0.50", min: "1" },
    "De prijs van ESP-250 (€ 0,50) ligt onder het minimum van dit kanaal (€ 1,00).",
    "The price of ESP-250 (€0.50) is below this channel's minimum (€1.00).",
  ],
  [
    { kind: "price_above_maximum", sku: "ESP-250", price: "12000.00", max: "9999.99" },
    "De prijs van ESP-250 (€ 12.000,00) ligt boven het maximum van dit kanaal (€ 9.999,99).",
    "The price of ESP-250 (€12,000.00) is above this channel's maximum (€9,999.99).",
  ],
  [
    { kind: "mirror_unreadable", detail: "listing mirror: expected value" },
    "Kanaal kan zijn kopie van wat het kanaal het laatst bevestigde niet lezen (listing mirror: expected value); controleer het kanaal en publiceer opnieuw.",
    "Kanaal cannot read its copy of what the channel last confirmed (listing mirror: expected value); check the channel and publish again.",
  ],
  [
    { kind: "held_conflict" },
    "Gewijzigd op het kanaal én in Kanaal; kies ‘Mijn waarde houden’ of ‘Overnemen’ onder ‘Gewijzigd op het kanaal’ voordat dit aanbod opnieuw wordt gepubliceerd.",
    "Changed on the channel and in Kanaal; choose ‘Keep mine’ or ‘Adopt’ under ‘Changed on the channel’ before this listing is published again.",
  ],
  [
    { kind: "held_remote_change" },
    "Gewijzigd op het kanaal; kies ‘Overnemen’ of ‘Mijn waarde houden’ onder ‘Gewijzigd op het kanaal’ voordat dit aanbod opnieuw wordt gepubliceerd, zodat de wijziging op het kanaal niet wordt overschreven.",
    "Changed on the channel; choose ‘Adopt’ or ‘Keep mine’ under ‘Changed on the channel’ before this listing is published again, so the channel's change is not overwritten.",
  ],
  [
    { kind: "rollback_listing_deleted" },
    "Dit aanbod is na de publicatie uit Kanaal verwijderd; haal het op het kanaal zelf weg als het weg moet.",
    "This listing was deleted from Kanaal after the publish; remove it on the channel itself if it should go.",
  ],
  [
    { kind: "rollback_no_earlier_values" },
    "Kanaal heeft niet bewaard wat het kanaal vóór deze publicatie toonde (ze is met een oudere versie verstuurd); zet de gewenste waarden in de catalogus en publiceer.",
    "Kanaal did not keep what the channel showed before this publish (it was sent by an older version); set the values you want in the catalog and publish instead.",
  ],
  [
    { kind: "rollback_published_again" },
    "Dit aanbod is na deze publicatie opnieuw gepubliceerd (of al teruggedraaid); terugdraaien zou ook de latere wijziging ongedaan maken, dus pas de catalogus aan en publiceer.",
    "This listing was published again after this publish (or rolled back already); rolling back would undo the later change too, so change the catalog and publish instead.",
  ],
  [
    { kind: "rollback_changed_on_channel" },
    "Dit aanbod is na deze publicatie op het kanaal gewijzigd, dus de eerdere waarden zijn niet zomaar de juiste om naar terug te gaan; pas de catalogus aan en publiceer.",
    "This listing changed on the channel after this publish, so its earlier values are not simply the ones to go back to; change the catalog and publish instead.",
  ],
  [
    { kind: "rollback_unreadable" },
    "De waarden die het kanaal vóór deze publicatie had, zijn niet terug te lezen; publiceer in plaats daarvan.",
    "The values the channel had before this publish cannot be read back; publish instead.",
  ],
];

describe("problemText", () => {
  it.each(problems)("words %j in Dutch and English", (problem, dutch, english) => {
    setLanguage("nl");
    expect(problemText(problem, "nl")).toBe(dutch);
    setLanguage("en");
    expect(problemText(problem, "en")).toBe(english);
  });
});
