import { afterEach, describe, expect, it } from "vitest";
import type { InputProblem } from "../src/lib/bindings";
import { inputProblemText, ruleProblemField } from "../src/lib/inputProblems";
import { setLanguage } from "../src/lib/i18n/index.svelte";

afterEach(() => setLanguage("nl"));

// Every refusal kanaal-core returns for the merchant's input, with what a Dutch and an English
// merchant read. (A kind added in Rust without a sentence fails `npm run check`.)
const problems: [InputProblem, string, string][] = [
  [{ kind: "required", field: { field: "price" } }, "Prijs mag niet leeg zijn; vul een waarde in.", "Price cannot be empty; fill it in."],
  [
    { kind: "not_an_amount", field: { field: "compare_at_price" }, value: "twaalf" },
    "Van-prijs: 'twaalf' is geen bedrag; schrijf het als 12,50.",
    "Was-price: 'twaalf' is not an amount; write it like 12.50.",
  ],
  [{ kind: "below_zero", field: { field: "cost" } }, "Inkoopprijs kan niet onder nul zijn.", "Cost price cannot be below zero."],
  [
    { kind: "not_whole_number", field: { field: "stock", location: 1 }, value: "2,5" },
    "Voorraad: '2,5' is geen heel getal van nul of meer.",
    "Stock: '2,5' is not a whole number of zero or more.",
  ],
  [
    { kind: "not_a_choice", field: { field: "vat_rate" }, value: "19" },
    "'19' is geen Nederlands btw-tarief; kies 21, 9 of 0 procent.",
    "'19' is not a Dutch VAT rate; choose 21, 9 or 0 percent.",
  ],
  [
    { kind: "not_a_choice", field: { field: "status" }, value: "weg" },
    "'weg' is geen productstatus; kies concept, actief of gearchiveerd.",
    "'weg' is not a product status; choose draft, active or archived.",
  ],
  [{ kind: "choose_one", field: { field: "vat_rate" } }, "Kies een waarde voor Btw.", "Choose a value for VAT."],
  [
    { kind: "gtin_length", value: "12345" },
    "'12345' is geen EAN: een EAN heeft 8, 12, 13 of 14 cijfers.",
    "'12345' is not an EAN: an EAN has 8, 12, 13 or 14 digits.",
  ],
  [
    { kind: "gtin_check_digit", value: "4006381333932", expected: 1 },
    "Het laatste cijfer van EAN '4006381333932' klopt niet (dat moet 1 zijn); controleer of je een cijfer verkeerd hebt getypt.",
    "The last digit of EAN '4006381333932' is wrong (it should be 1); check for a typing error.",
  ],
  [
    { kind: "in_use", field: { field: "gtin" }, value: "8712100325953" },
    "EAN '8712100325953' wordt al door een andere variant gebruikt; elke variant heeft een eigen waarde nodig.",
    "EAN '8712100325953' is already used by another variant; each variant needs its own.",
  ],
  [
    { kind: "stale", field: { field: "price" } },
    "Prijs is veranderd sinds het voorbeeld werd gemaakt; bekijk het voorbeeld opnieuw.",
    "Price changed since the preview was made; preview again.",
  ],
  [{ kind: "category_gone" }, "Deze categorie bestaat niet meer; kies een andere.", "This category no longer exists; choose another."],
  [{ kind: "picture_gone" }, "Een foto in de lijst is niet meer bewaard; voeg hem opnieuw toe.", "A picture in the list is not stored any more; add it again."],
  [{ kind: "picture_twice" }, "Dezelfde foto staat twee keer in de lijst; haal er één weg.", "The same picture is in the list twice; remove one."],
  [{ kind: "no_handle" }, "Een product heeft een webnaam (handle) nodig; vul die in.", "A product needs a web name (handle); fill it in."],
  [{ kind: "no_title", handle: "koffie" }, "koffie: geef het product een titel.", "koffie: give the product a title."],
  [{ kind: "no_variant", handle: "koffie" }, "koffie: een product heeft minstens één variant nodig.", "koffie: a product needs at least one variant."],
  [{ kind: "no_sku", handle: "koffie", variant: 2 }, "koffie, variant 2: elke variant heeft een SKU nodig.", "koffie, variant 2: every variant needs a SKU."],
  [
    { kind: "option_values", handle: "koffie", variant: 1, values: 1, options: 2 },
    "koffie, variant 1: de variant heeft 1 optiewaarden, maar het product heeft 2 opties.",
    "koffie, variant 1: the variant has 1 option values but the product has 2 options.",
  ],
  [
    { kind: "mixed_currencies", handle: "koffie", variant: 1 },
    "koffie, variant 1: prijs, van-prijs en inkoopprijs moeten in één munteenheid zijn.",
    "koffie, variant 1: price, compare-at price and cost must be in one currency.",
  ],
  [
    { kind: "sku_or_ean_in_use", handle: "koffie", variant: 1, sku: "KOF-1" },
    "SKU 'KOF-1' of de EAN ervan wordt al door een andere variant gebruikt; elke variant heeft een eigen SKU en EAN nodig.",
    "SKU 'KOF-1' or its EAN is already used by another variant; each variant needs its own SKU and EAN.",
  ],
  [
    { kind: "handle_taken", handle: "koffie" },
    "Er is al een product met de webnaam 'koffie'; kies een andere.",
    "A product with the web name 'koffie' already exists; choose another.",
  ],
  [
    { kind: "code_taken", handle: "koffie" },
    "koffie: een SKU, EAN of webnaam van dit product is al van een ander product.",
    "koffie: a SKU, EAN or web name in it is already used by another product.",
  ],
  [{ kind: "one_sku_for_many" }, "Elke variant heeft een eigen SKU nodig; wijzig SKU's één voor één.", "Each variant needs its own SKU; change SKUs one by one."],
  [{ kind: "no_tag" }, "Typ het label dat je wilt toevoegen of weghalen.", "Type the tag to add or remove."],
  [
    { kind: "choose_products_to_take_off" },
    "Kies welke producten van het kanaal af moeten; ze gaan er niet allemaal tegelijk af.",
    "Choose which products to take off the channel; they are not all taken off at once.",
  ],
  [
    { kind: "undo_would_remove", name: "koffie", variant: false, sold: false },
    "De import maakte 'koffie', dat nu op een kanaal staat; de import ongedaan maken zou het weghalen. Zet het product liever op gearchiveerd.",
    "The import created 'koffie', which is now listed on a channel; undoing the import would remove it. Set the product to archived instead.",
  ],
  [
    { kind: "undo_would_remove", name: "koffie", variant: false, sold: true },
    "De import maakte 'koffie', dat nu in bestellingen staat; de import ongedaan maken zou het weghalen. Zet het product liever op gearchiveerd.",
    "The import created 'koffie', which is now in orders; undoing the import would remove it. Set the product to archived instead.",
  ],
  [
    { kind: "undo_would_remove", name: "KOF-1", variant: true, sold: false },
    "De import voegde variant 'KOF-1' toe, die nu op een kanaal staat; de import ongedaan maken zou hem weghalen. Laat de import staan en pas de variant aan.",
    "The import added variant 'KOF-1', which is now listed on a channel; undoing the import would remove it. Leave the import in place and change the variant instead.",
  ],
  [
    { kind: "undo_would_remove", name: "KOF-1", variant: true, sold: true },
    "De import voegde variant 'KOF-1' toe, die nu in bestellingen staat; de import ongedaan maken zou hem weghalen. Laat de import staan en pas de variant aan.",
    "The import added variant 'KOF-1', which is now in orders; undoing the import would remove it. Leave the import in place and change the variant instead.",
  ],
  [
    { kind: "picture_type", mime: "image/gif" },
    "Foto's van het type image/gif kan Kanaal niet gebruiken; kies PNG, JPEG, WebP of SVG.",
    "Kanaal cannot use image/gif pictures; choose PNG, JPEG, WebP or SVG.",
  ],
  [
    { kind: "picture_too_large", megabytes: 31, max_megabytes: 25 },
    "Deze foto is 31 MB; Kanaal neemt er hooguit 25 MB. Maak hem eerst kleiner.",
    "This picture is 31 MB; the largest Kanaal takes is 25 MB. Make it smaller first.",
  ],
  [
    { kind: "not_a_picture" },
    "Dit bestand is geen foto die Kanaal kan lezen; kies PNG, JPEG, WebP of SVG.",
    "This file is not a picture Kanaal can read; choose PNG, JPEG, WebP or SVG.",
  ],
  [
    { kind: "picture_damaged", detail: "unexpected end of file" },
    "Deze foto is beschadigd of onvolledig (unexpected end of file); sla hem opnieuw op en probeer het nog eens.",
    "This picture is damaged or incomplete (unexpected end of file); save it again and retry.",
  ],
  [
    { kind: "not_a_product_export" },
    "Dit is geen productexport van Shopify of WooCommerce: de eerste rij hoort kolommen te noemen als Handle, Title en Variant SKU (Shopify) of Type, SKU, Name en Regular price (WooCommerce). Exporteer de producten opnieuw en kies dat bestand.",
    "This is not a Shopify or WooCommerce product export: its first row should name columns such as Handle, Title and Variant SKU (Shopify) or Type, SKU, Name and Regular price (WooCommerce). Export the products again and choose that file.",
  ],
  [
    { kind: "csv_unreadable", row: 7, detail: "found record with 3 fields, but the previous record has 5 fields" },
    "Rij 7 is geen leesbare CSV (found record with 3 fields, but the previous record has 5 fields); open het bestand in een rekenblad en sla het opnieuw op als CSV.",
    "Row 7 could not be read as CSV (found record with 3 fields, but the previous record has 5 fields); open the file in a spreadsheet and save it again as CSV.",
  ],
  [{ kind: "empty_file" }, "Het bestand is leeg; exporteer de producten opnieuw en kies dat bestand.", "The file is empty; export the products again and choose that file."],
  [
    { kind: "file_too_large" },
    "Het bestand is groter dan 4 GB; splits het in kleinere bestanden en importeer die één voor één.",
    "The file is larger than 4 GB; split it into smaller files and import them one by one.",
  ],
  [{ kind: "export_format_needed" }, "Kies Shopify of WooCommerce als formaat om naar te exporteren.", "Choose Shopify or WooCommerce as the format to export to."],
  [
    { kind: "too_many_options_for_shopify", handle: "koffie", options: 4 },
    "koffie: Shopify staat hooguit 3 opties per product toe en dit product heeft er 4; voeg opties samen voordat je naar Shopify exporteert.",
    "koffie: Shopify allows at most 3 options per product and this product has 4; combine options before exporting to Shopify.",
  ],
  [
    { kind: "option_needed_for_shopify", handle: "koffie" },
    "koffie: Shopify heeft een optie (zoals Maat) nodig om de varianten uit elkaar te houden; geef het product een optie voordat je naar Shopify exporteert.",
    "koffie: Shopify needs an option (such as Size) to tell the variants apart; give the product an option before exporting to Shopify.",
  ],
  [
    { kind: "data_file_too_new", path: "/home/anna/kanaal/kanaal.db", found: 19, known: 18 },
    "Het gegevensbestand /home/anna/kanaal/kanaal.db is gemaakt door een nieuwere versie van Kanaal (gegevensversie 19; deze versie leest tot 18). Installeer de nieuwste Kanaal om het te openen; er is niets in veranderd.",
    "The data file /home/anna/kanaal/kanaal.db was made by a newer version of Kanaal (data version 19; this version reads up to 18). Install the latest Kanaal to open it; nothing in it was changed.",
  ],
  [
    { kind: "not_kanaal_data", path: "/home/anna/kanaal/kanaal.db" },
    "Het bestand /home/anna/kanaal/kanaal.db is geen gegevensbestand van Kanaal. Kies een andere gegevensmap, of zet het bestand ergens anders neer en start Kanaal opnieuw om met een lege map te beginnen.",
    "The file /home/anna/kanaal/kanaal.db is not a Kanaal data file. Choose another data folder, or move the file away and start Kanaal again to begin with an empty one.",
  ],
  [
    { kind: "data_folder_unusable", path: "/media/usb/kanaal", detail: "Permission denied (os error 13)" },
    "Kanaal kon de gegevensmap /media/usb/kanaal niet gebruiken (Permission denied (os error 13)). Controleer of de map bestaat en of je erin mag schrijven.",
    "Kanaal could not use the data folder /media/usb/kanaal (Permission denied (os error 13)). Check that the folder exists and that you may write to it.",
  ],
  [
    { kind: "no_data_folder" },
    "Kanaal vond geen gegevensmap voor deze gebruiker. Start Kanaal met --data-dir MAP of stel KANAAL_DATA_DIR in.",
    "Kanaal found no data folder for this user. Start Kanaal with --data-dir FOLDER or set KANAAL_DATA_DIR.",
  ],
  [
    { kind: "not_on_channel", channel: "bol.com" },
    "Het product staat niet op bol.com. Zet het eerst op dat kanaal en geef het dan een eigen titel of prijs.",
    "The product is not on bol.com. Put it on that channel first, then give it its own title or price.",
  ],
  [
    { kind: "own_price_not_an_amount", channel: "bol.com", sku: "KOF-250", value: "twaalf" },
    "Eigen prijs van KOF-250 op bol.com: 'twaalf' is geen bedrag. Typ het als 12,50, of laat het leeg voor de prijs van het kanaal.",
    "Own price of KOF-250 on bol.com: 'twaalf' is not an amount. Write it like 12.50, or leave it empty for the channel's price.",
  ],
  [
    { kind: "own_price_not_positive", channel: "Webwinkel", sku: null },
    "Eigen prijs op Webwinkel: de prijs moet meer dan nul zijn. Laat het leeg voor de prijs van het kanaal.",
    "Own price on Webwinkel: the price must be more than zero. Leave it empty for the channel's price.",
  ],
  [
    { kind: "own_price_cents", channel: "bol.com", sku: "KOF-250", value: "12,505" },
    "Eigen prijs van KOF-250 op bol.com: '12,505' heeft meer dan twee decimalen. Rond af op hele centen.",
    "Own price of KOF-250 on bol.com: '12,505' has more than two decimals. Round it to whole cents.",
  ],
  [
    { kind: "own_price_below_margin", channel: "bol.com", sku: "KOF-250", lowest: "1234.5" },
    "Eigen prijs van KOF-250 op bol.com: de prijs ligt onder je minimale marge op de inkoopprijs. De laagste toegestane prijs is 1.234,50.",
    "Own price of KOF-250 on bol.com: the price is below your minimum margin over the cost. The lowest allowed price is 1,234.50.",
  ],
  [
    { kind: "own_title_too_long", channel: "bol.com", chars: 180, max: 150 },
    "Eigen titel op bol.com: 180 tekens, het kanaal neemt er hoogstens 150. Maak hem korter.",
    "Own title on bol.com: 180 characters, the channel takes at most 150. Shorten it.",
  ],
  [
    { kind: "delivery_code_not_allowed", channel: "bol.com", value: "morgen" },
    "'morgen' is geen leverbelofte die bol.com kent. Kies er een uit de lijst.",
    "'morgen' is not a delivery promise bol.com knows. Choose one from the list.",
  ],
  [
    { kind: "rule_not_a_number", field: "markup_percent", value: "vijftien" },
    "Opslag: 'vijftien' is geen getal; schrijf het als 15 of 12,50, of laat het leeg.",
    "Markup: 'vijftien' is not a number; write it like 15 or 12.50, or leave it empty.",
  ],
  [
    { kind: "rule_not_a_whole_number", field: "buffer", value: "2,5" },
    "Buffer: '2,5' is geen heel aantal stuks; schrijf het als 2, of laat het leeg.",
    "Buffer: '2,5' is not a whole number of units; write it like 2, or leave it empty.",
  ],
  [
    { kind: "rule_below_zero", field: "buffer" },
    "De buffer kan niet negatief zijn; vul 0 in of laat het leeg voor geen buffer.",
    "The buffer cannot be negative; use 0 or leave it empty for no buffer.",
  ],
  [
    { kind: "rule_below_zero", field: "max" },
    "Het maximum kan niet negatief zijn; laat het leeg voor geen maximum.",
    "The maximum cannot be negative; leave it empty for no maximum.",
  ],
  [
    { kind: "rule_below_zero", field: "min_margin" },
    "De minimale marge kan niet onder nul zijn; laat het leeg voor geen minimum.",
    "The minimum margin cannot be below zero; leave it empty for no minimum.",
  ],
  [
    { kind: "rule_share_out_of_range", value: "120" },
    "120 % is geen deel van de voorraad; kies meer dan 0 en hoogstens 100 (100 = alle voorraad).",
    "120 % is not a share of stock; choose more than 0 and at most 100 (100 = all stock).",
  ],
  [
    { kind: "rule_markup_too_low" },
    "Een opslag van -100 % of minder geeft de producten weg; kies een hogere opslag.",
    "A markup of -100 % or less gives the products away; choose a higher markup.",
  ],
  [
    { kind: "rule_fixed_markup_cents", value: "0.505" },
    "Vaste opslag: '0.505' heeft meer dan twee decimalen. Rond af op hele centen.",
    "Fixed markup: '0.505' has more than two decimals. Round it to whole cents.",
  ],
];

describe("input problems", () => {
  it.each(problems)("word %j in Dutch and English", (problem, dutch, english) => {
    setLanguage("nl");
    expect(inputProblemText(problem)).toBe(dutch);
    setLanguage("en");
    expect(inputProblemText(problem)).toBe(english);
  });

  it("cover every kind the Rust side sends", () => {
    // Every kind, checked by the compiler against the bindings (a kind added in Rust and not
    // listed here fails `npm run check`), must have a sentence in the table above.
    const every: Record<InputProblem["kind"], true> = {
      required: true, not_an_amount: true, below_zero: true, not_whole_number: true, not_a_choice: true,
      choose_one: true, gtin_length: true, gtin_check_digit: true, in_use: true, stale: true,
      category_gone: true, picture_gone: true, picture_twice: true, no_handle: true, no_title: true,
      no_variant: true, no_sku: true, option_values: true, mixed_currencies: true, sku_or_ean_in_use: true,
      handle_taken: true, code_taken: true, one_sku_for_many: true, no_tag: true, choose_products_to_take_off: true, undo_would_remove: true, picture_type: true,
      picture_too_large: true, not_a_picture: true, picture_damaged: true, not_a_product_export: true,
      csv_unreadable: true, empty_file: true, file_too_large: true, export_format_needed: true,
      too_many_options_for_shopify: true, option_needed_for_shopify: true, data_file_too_new: true,
      not_kanaal_data: true, data_folder_unusable: true, no_data_folder: true,
      not_on_channel: true, own_price_not_an_amount: true, own_price_not_positive: true, own_price_cents: true,
      own_price_below_margin: true, own_title_too_long: true, delivery_code_not_allowed: true,
      rule_not_a_number: true, rule_not_a_whole_number: true, rule_below_zero: true,
      rule_share_out_of_range: true, rule_markup_too_low: true, rule_fixed_markup_cents: true,
    };
    expect(new Set(problems.map(([p]) => p.kind))).toEqual(new Set(Object.keys(every)));
  });

  it("put a refusal of a channel's rules next to the field it is about", () => {
    expect(ruleProblemField({ kind: "rule_below_zero", field: "buffer" })).toBe("buffer");
    expect(ruleProblemField({ kind: "rule_not_a_number", field: "min_margin", value: "x" })).toBe("min_margin");
    expect(ruleProblemField({ kind: "rule_not_a_whole_number", field: "max", value: "1,5" })).toBe("max");
    expect(ruleProblemField({ kind: "rule_share_out_of_range", value: "120" })).toBe("share");
    expect(ruleProblemField({ kind: "rule_markup_too_low" })).toBe("markup_percent");
    expect(ruleProblemField({ kind: "rule_fixed_markup_cents", value: "0.505" })).toBe("markup_fixed");
    expect(ruleProblemField({ kind: "no_tag" })).toBeNull();
  });
});
