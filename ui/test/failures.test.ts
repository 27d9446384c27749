import { afterEach, describe, expect, it } from "vitest";
import type {
  Account,
  ChannelFailure,
  ConnectProblem,
  Outage,
  StoredFailure,
  Unsendable,
  UnsupportedOperation,
} from "../src/lib/bindings";
import { accountText, channelTestText, failureText, storedFailureText } from "../src/lib/failures";
import { setLanguage } from "../src/lib/i18n/index.svelte";

afterEach(() => setLanguage("nl"));

// Every failure kind a channel call returns, every kind of outage and everything a platform may
// not offer, with the sentence a Dutch and an English merchant read. The tables are keyed by
// kind, so a kind added in Rust without a case here fails `npm run check` (and one without a
// wording fails it in failures.ts).
type Case<T> = [T, string, string];

const failures: Record<ChannelFailure["kind"], Case<ChannelFailure>[]> = {
  bad_credentials: [
    [
      { kind: "bad_credentials", channel: "bol.com" },
      "bol.com accepteert de inloggegevens niet. Open Kanalen en koppel bol.com opnieuw.",
      "bol.com did not accept the login details. Open Channels and connect bol.com again.",
    ],
  ],
  rejected: [
    [
      { kind: "rejected", channel: "bol.com", field: "ean", reason: "Unknown EAN 8712345678906." },
      // The platform's own reason stays in its words; the sentence around it is the merchant's language.
      "bol.com weigerde ean. De reden van bol.com: Unknown EAN 8712345678906.",
      "bol.com refused ean. bol.com's reason: Unknown EAN 8712345678906.",
    ],
  ],
  throttled: [
    [
      { kind: "throttled", channel: "Webshop", retryAfterSecs: 1 },
      "Webshop vraagt om het rustiger aan te doen; Kanaal probeert het over 1 seconde opnieuw.",
      "Webshop asks to slow down; Kanaal tries again in 1 second.",
    ],
    [
      { kind: "throttled", channel: "Webshop", retryAfterSecs: 30 },
      "Webshop vraagt om het rustiger aan te doen; Kanaal probeert het over 30 seconden opnieuw.",
      "Webshop asks to slow down; Kanaal tries again in 30 seconds.",
    ],
  ],
  platform_down: [
    [
      { kind: "platform_down", channel: "bol.com", detail: { kind: "error_status", status: 503 } },
      "bol.com werkt nu niet goed (het antwoord was foutcode 503). Kanaal bewaart je wijzigingen en probeert het later opnieuw.",
      "bol.com is not working right now (it answered with error 503). Kanaal keeps your changes and tries again later.",
    ],
  ],
  network_down: [
    [
      { kind: "network_down", channel: "Webshop" },
      "Geen verbinding met Webshop. Kanaal bewaart je wijzigingen en stuurt ze zodra de verbinding terug is.",
      "No connection to Webshop. Kanaal keeps your changes and sends them when the connection is back.",
    ],
  ],
  unsupported: [
    [
      { kind: "unsupported", channel: "bol.com", operation: "review_texts" },
      "bol.com biedt dit niet: teksten van reviews.",
      "bol.com does not offer this: review texts.",
    ],
  ],
};

// The clause inside "bol.com werkt nu niet goed (…)" / "bol.com is not working right now (…)".
const outages: Record<Outage["kind"], Case<Outage>[]> = {
  error_status: [[{ kind: "error_status", status: 502 }, "het antwoord was foutcode 502", "it answered with error 502"]],
  timeout: [[{ kind: "timeout" }, "het antwoordde niet op tijd", "it did not answer in time"]],
  connection_broke: [
    [
      { kind: "connection_broke" },
      "de verbinding viel weg voordat er antwoord kwam",
      "the connection broke off before it answered",
    ],
  ],
  connection_setup: [
    [
      { kind: "connection_setup", error: "no TLS backend" },
      "Kanaal kon geen verbinding opzetten: no TLS backend",
      "Kanaal could not set up the connection: no TLS backend",
    ],
  ],
  unreadable_answer: [
    [
      { kind: "unreadable_answer", status: 200 },
      "het stuurde een antwoord dat Kanaal niet kan lezen (HTTP 200)",
      "it sent an answer Kanaal cannot read (HTTP 200)",
    ],
    [{ kind: "unreadable_answer", status: null }, "het antwoord was niet te lezen", "its answer could not be read"],
  ],
  incomplete_answer: [
    [{ kind: "incomplete_answer", missing: "orderId" }, "in het antwoord ontbrak orderId", "its answer lacked orderId"],
  ],
  still_processing: [[{ kind: "still_processing" }, "de wijziging wordt nog verwerkt", "the change is still being processed"]],
  processing_timed_out: [
    [
      { kind: "processing_timed_out" },
      "het verwerken van de wijziging duurde te lang",
      "processing the change took too long",
    ],
  ],
  export_failed: [
    [
      { kind: "export_failed", reason: "FAILURE" },
      "de export van de advertenties mislukte: FAILURE",
      "the export of the listings failed: FAILURE",
    ],
    [
      { kind: "export_failed", reason: null },
      "de export van de advertenties gaf geen rapport",
      "the export of the listings gave no report",
    ],
  ],
  platform_error: [
    [
      { kind: "platform_error", message: "Internal error. Looks like something went wrong on our end." },
      "eigen melding: Internal error. Looks like something went wrong on our end.",
      "its own message: Internal error. Looks like something went wrong on our end.",
    ],
  ],
};

// The phrase after "Webshop biedt dit niet: " / "Webshop does not offer this: ".
const operations: Record<UnsupportedOperation, [string, string]> = {
  payout_fees: ["kosten per bestelling van een uitbetaling", "fees per order of a payout"],
  review_texts: ["teksten van reviews", "review texts"],
  categories: ["een lijst van categorieën", "a list of categories"],
  cancel_order_lines: [
    "losse orderregels annuleren (annuleer de hele bestelling, of betaal de regel terug op het kanaal)",
    "cancelling single order lines (cancel the whole order, or refund the line on the channel)",
  ],
  expected_fees: [
    "verwachte kosten (die volgen uit het tarievenoverzicht en de uitbetalingen)",
    "expected fees (they follow from the fee schedule and the payouts)",
  ],
  product_ratings: ["productbeoordelingen (die staan in review-apps)", "product ratings (they live in review apps)"],
};

// The part after "Kanaal kon geen verbinding maken met Webshop: " / "Kanaal could not connect to Webshop: ".
const connectProblems: Record<ConnectProblem["kind"], Case<ConnectProblem>> = {
  no_login: [
    { kind: "no_login" },
    "er zijn geen inloggegevens bewaard voor dit kanaal. Koppel het kanaal opnieuw.",
    "no login details are saved for this channel. Connect the channel again.",
  ],
  keyring_unavailable: [
    { kind: "keyring_unavailable", error: "locked collection" },
    "de sleutelbos van het systeem kon niet worden gebruikt (locked collection). Ontgrendel je sleutelbos (op Linux: de Secret Service, zoals GNOME Keyring of KWallet) en probeer het opnieuw.",
    "the system keyring could not be used (locked collection). Unlock your keyring (on Linux: the Secret Service, such as GNOME Keyring or KWallet) and try again.",
  ],
  login_damaged: [
    { kind: "login_damaged" },
    "de bewaarde inloggegevens zijn beschadigd. Koppel het kanaal opnieuw.",
    "the saved login details are damaged. Connect the channel again.",
  ],
  no_shop_address: [
    { kind: "no_shop_address" },
    "vul het adres van de winkel (https://<jouw-winkel>.myshopify.com) in als basis-URL.",
    "enter the shop's address (https://<your-shop>.myshopify.com) as the base URL.",
  ],
  unsupported_kind: [
    { kind: "unsupported_kind", platform: "etsy" },
    "Kanaal kan nog geen verbinding maken met kanalen van het soort etsy.",
    "Kanaal cannot connect to etsy channels yet.",
  ],
};

// Kanaal's own reasons for not sending a queued change (nothing reached the channel).
const unsendable: Record<Unsendable["kind"], Case<Unsendable>[]> = {
  queued_unreadable: [
    [
      { kind: "queued_unreadable", what: "listing", error: "no listing in it" },
      "Kanaal kan de klaargezette wijziging niet lezen (no listing in it); publiceer het product opnieuw.",
      "Kanaal cannot read the queued change (no listing in it); publish the product again.",
    ],
    [
      { kind: "queued_unreadable", what: "shipment", error: "missing field `carrier`" },
      "Kanaal kan de klaargezette verzending niet lezen (missing field `carrier`); markeer de bestelling opnieuw als verzonden.",
      "Kanaal cannot read the queued shipment (missing field `carrier`); mark the order shipped again.",
    ],
    [
      { kind: "queued_unreadable", what: "cancellation", error: "missing field `reason`" },
      "Kanaal kan de klaargezette annulering niet lezen (missing field `reason`); annuleer opnieuw.",
      "Kanaal cannot read the queued cancellation (missing field `reason`); cancel again.",
    ],
  ],
  not_listed_yet: [
    [
      { kind: "not_listed_yet" },
      "De advertentie staat nog niet op het kanaal; publiceer haar eerst.",
      "The listing is not on the channel yet; publish it first.",
    ],
  ],
  variant_not_listed_yet: [
    [
      { kind: "variant_not_listed_yet", sku: "ESP-250" },
      "Variant ESP-250 staat nog niet op het kanaal; publiceer het product opnieuw.",
      "Variant ESP-250 is not on the channel yet; publish the product again.",
    ],
  ],
  unknown_operation: [
    [
      { kind: "unknown_operation", operation: "teleport" },
      "'teleport' is niets wat Kanaal kan versturen.",
      "'teleport' is not something Kanaal can send.",
    ],
  ],
  same_listing_as: [
    [
      { kind: "same_listing_as", listing: 12 },
      "Het kanaal zette dit op dezelfde advertentie als Kanaal-advertentie 12 (dezelfde EAN of handle?); geef elk product een eigen EAN en handle.",
      "The channel put this on the same listing as Kanaal listing 12 (the same EAN or handle?); give each product its own EAN and handle.",
    ],
  ],
};

const stored: Record<StoredFailure["kind"], Case<StoredFailure>[]> = {
  channel: [
    [
      { kind: "channel", failure: { kind: "platform_down", channel: "bol.com", detail: { kind: "timeout" } } },
      "bol.com werkt nu niet goed (het antwoordde niet op tijd). Kanaal bewaart je wijzigingen en probeert het later opnieuw.",
      "bol.com is not working right now (it did not answer in time). Kanaal keeps your changes and tries again later.",
    ],
  ],
  unsendable: [
    [
      { kind: "unsendable", problem: { kind: "not_listed_yet" } },
      "De advertentie staat nog niet op het kanaal; publiceer haar eerst.",
      "The listing is not on the channel yet; publish it first.",
    ],
  ],
  not_connected: [
    [
      { kind: "not_connected", channel: "Webshop", problem: { kind: "no_login" } },
      "Kanaal kon geen verbinding maken met Webshop: er zijn geen inloggegevens bewaard voor dit kanaal. Koppel het kanaal opnieuw.",
      "Kanaal could not connect to Webshop: no login details are saved for this channel. Connect the channel again.",
    ],
  ],
  superseded: [
    [
      { kind: "superseded", by: "adopted_value" },
      "Vervangen door een waarde die je van het kanaal hebt overgenomen.",
      "Replaced by a value adopted from the channel.",
    ],
    [
      { kind: "superseded", by: "taken_off_or_put_back" },
      "Niet meer nodig: de advertentie is van het kanaal gehaald of er weer op gezet.",
      "No longer needed: the listing was taken off or put back on the channel.",
    ],
  ],
  cancelled: [[{ kind: "cancelled" }, "Gestopt voordat het werd verstuurd.", "Stopped before it was sent."]],
  local: [
    [
      // The technical cause stays in brackets for a bug report; the sentence says what to do.
      { kind: "local", detail: "database is locked" },
      "Kanaal kon zijn eigen gegevens niet lezen of opslaan (database is locked). Probeer het opnieuw; gebeurt dit steeds, start Kanaal dan opnieuw.",
      "Kanaal could not read or save its own data (database is locked). Try again; if it keeps happening, restart Kanaal.",
    ],
  ],
  other: [
    [
      // Text stored by an older version is shown as it was stored, in either language.
      { kind: "other", text: "Title too long (max 255)" },
      "Title too long (max 255)",
      "Title too long (max 255)",
    ],
  ],
};

function both<T>(word: (x: T) => string, x: T, dutch: string, english: string) {
  setLanguage("nl");
  expect(word(x)).toBe(dutch);
  setLanguage("en");
  expect(word(x)).toBe(english);
}

describe("failureText", () => {
  it.each(Object.values(failures).flat())("words %j in Dutch and English", (f, dutch, english) =>
    both(failureText, f, dutch, english),
  );

  it.each(Object.values(outages).flat())("words the outage %j inside the sentence", (detail, dutch, english) =>
    both(
      failureText,
      { kind: "platform_down", channel: "bol.com", detail },
      `bol.com werkt nu niet goed (${dutch}). Kanaal bewaart je wijzigingen en probeert het later opnieuw.`,
      `bol.com is not working right now (${english}). Kanaal keeps your changes and tries again later.`,
    ),
  );

  it.each(Object.entries(operations))("words what is not offered: %s", (operation, [dutch, english]) =>
    both(
      failureText,
      { kind: "unsupported", channel: "Webshop", operation: operation as UnsupportedOperation },
      `Webshop biedt dit niet: ${dutch}.`,
      `Webshop does not offer this: ${english}.`,
    ),
  );
});

describe("storedFailureText", () => {
  it.each(Object.values(stored).flat())("words %j in Dutch and English", (s, dutch, english) =>
    both(storedFailureText, s, dutch, english),
  );

  it.each(Object.values(connectProblems))("words why Kanaal could not connect: %j", (problem, dutch, english) =>
    both(
      storedFailureText,
      { kind: "not_connected", channel: "Webshop", problem },
      `Kanaal kon geen verbinding maken met Webshop: ${dutch}`,
      `Kanaal could not connect to Webshop: ${english}`,
    ),
  );

  it.each(Object.values(unsendable).flat())("words why Kanaal did not send it: %j", (problem, dutch, english) =>
    both(storedFailureText, { kind: "unsendable", problem }, dutch, english),
  );

  it("never shows the English sentence of a 503 to a Dutch merchant", () => {
    setLanguage("nl");
    const text = storedFailureText({
      kind: "channel",
      failure: { kind: "platform_down", channel: "bol.com", detail: { kind: "error_status", status: 503 } },
    });
    expect(text).toContain("foutcode 503");
    expect(text).not.toMatch(/not working|answered|tries again/);
  });
});

describe("channelTestText", () => {
  it("gives a refused login the Channels page's advice, under the merchant's name for the channel", () =>
    both(
      (f: StoredFailure) => channelTestText(f, "bol.com (winkel 2)"),
      { kind: "channel", failure: { kind: "bad_credentials", channel: "bol.com" } },
      "bol.com (winkel 2) accepteert de inloggegevens niet. Controleer de gegevens in je verkopersaccount, verwijder dit kanaal en koppel het opnieuw.",
      "bol.com (winkel 2) does not accept the login details. Check them in your seller account, remove this channel and connect it again.",
    ));

  it("says why a platform is down, and why Kanaal could not connect at all", () => {
    both(
      (f: StoredFailure) => channelTestText(f, "Webshop"),
      { kind: "channel", failure: { kind: "platform_down", channel: "Shopify", detail: { kind: "timeout" } } },
      "Shopify werkt nu niet goed (het antwoordde niet op tijd). Kanaal bewaart je wijzigingen en probeert het later opnieuw.",
      "Shopify is not working right now (it did not answer in time). Kanaal keeps your changes and tries again later.",
    );
    both(
      (f: StoredFailure) => channelTestText(f, "Webshop"),
      { kind: "not_connected", channel: "Webshop", problem: { kind: "no_shop_address" } },
      "Kanaal kon geen verbinding maken met Webshop: vul het adres van de winkel (https://<jouw-winkel>.myshopify.com) in als basis-URL.",
      "Kanaal could not connect to Webshop: enter the shop's address (https://<your-shop>.myshopify.com) as the base URL.",
    );
  });
});

describe("accountText", () => {
  it("says who a passed test found Kanaal connected as, in the window's language", () => {
    both(
      (a: Account) => accountText(a),
      { kind: "bol_client", client_id: "a1b2c3" },
      "bol.com-verkoper met API-client a1b2c3",
      "bol.com retailer with API client a1b2c3",
    );
    both(
      (a: Account) => accountText(a),
      { kind: "shopify_shop", name: "Branderij De Gracht", domain: "branderij.myshopify.com" },
      "Shopify-winkel Branderij De Gracht (branderij.myshopify.com)",
      "Shopify shop Branderij De Gracht (branderij.myshopify.com)",
    );
  });
});
