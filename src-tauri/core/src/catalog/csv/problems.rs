//! Everything an import can find wrong with a file, and the words the merchant reads about it.
//!
//! Every message lives here, in one `match`, so that a Dutch translation is one more function
//! beside [`ProblemKind::message_en`] and never a hunt through the parsers. A message says what
//! is wrong and what to do; the row, column and value travel beside it in [`RowProblem`].

use serde::{Deserialize, Serialize};

/// Whether a problem stops the row from being imported, or only explains why a row was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The row is wrong; an all-or-nothing import writes nothing while one is left.
    Error,
    /// The row is left out but is not itself wrong: it describes something Kanaal does not keep
    /// (a grouped WooCommerce product), or its product has an error on another row.
    Notice,
}

/// One thing wrong in one cell (or row) of the file, as the spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RowProblem {
    /// The row number the spreadsheet shows: the header is row 1, the first product row 2.
    pub row: u32,
    /// The column's name as written in the file's header.
    pub column: String,
    /// The cell's text, as read.
    pub value: String,
    pub severity: Severity,
    pub kind: ProblemKind,
    /// What is wrong and what to do, in English.
    pub message: String,
    /// The same in Dutch.
    pub message_nl: String,
}

impl RowProblem {
    pub(crate) fn new(row: u32, column: &str, value: &str, kind: ProblemKind) -> Self {
        let severity = kind.severity();
        let message = kind.message_en();
        let message_nl = kind.message_nl();
        RowProblem {
            message_nl,
            row,
            column: column.to_string(),
            value: value.to_string(),
            severity,
            kind,
            message,
        }
    }
}

/// What is wrong, with the facts a message needs. Serialised with a `code` so the UI can
/// translate or group problems without parsing English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ProblemKind {
    /// The header lacks a column the format needs.
    MissingColumn {
        format: String,
    },
    MissingHandle,
    MissingTitle,
    MissingSku,
    MissingPrice,
    /// A product (or variable product) without a single row that is a sellable variant.
    NoVariants,
    BadAmount,
    NegativeAmount,
    BadWeight,
    BadQuantity,
    /// The GTIN check failed; `detail` is the catalog's own explanation.
    BadGtin {
        detail: String,
    },
    /// Excel showed a barcode as a number like `8.71E+12` and saved it that way.
    GtinAsScientificNumber,
    BadStatus,
    BadYesNo,
    BadTaxClass,
    DuplicateHandle {
        first_row: u32,
    },
    DuplicateSku {
        first_row: u32,
    },
    DuplicateGtin {
        first_row: u32,
    },
    DuplicateOptionValues {
        first_row: u32,
    },
    MissingOptionValue {
        option: String,
    },
    UnknownParent,
    UnknownProductType,
    /// A WooCommerce product type Kanaal does not sell itself (grouped, external).
    UnsupportedProductType,
    /// The SKU already belongs to another product in the catalog.
    SkuOfOtherProduct {
        handle: String,
    },
    /// Two products in the file are the same product in the catalog.
    SameCatalogProduct {
        first_row: u32,
    },
    /// The EAN already belongs to another variant in the catalog.
    GtinOfOtherVariant {
        sku: String,
    },
    /// The file gives the product other options than the catalog has, and leaves out variants
    /// that would then no longer fit.
    OptionsChangedWithoutAllVariants {
        missing: Vec<String>,
    },
    /// The catalog refused the product when it was written; `detail` says why in English,
    /// `problem` (when the refusal is one the window words) the same typed.
    Refused {
        detail: String,
        #[serde(default)]
        problem: Option<crate::problem::InputProblem>,
    },
    /// The row belongs to a product that was left out because of a problem on another row.
    PartOfSkippedProduct {
        bad_row: u32,
    },
}

impl ProblemKind {
    pub fn severity(&self) -> Severity {
        match self {
            ProblemKind::UnsupportedProductType | ProblemKind::PartOfSkippedProduct { .. } => {
                Severity::Notice
            }
            _ => Severity::Error,
        }
    }

    /// The message in English: what is wrong, then what to do.
    pub fn message_en(&self) -> String {
        match self {
            ProblemKind::MissingColumn { format } => format!(
                "this {format} file has no such column, and Kanaal needs it; export the file \
                 again from {format} with all columns, or add the column to the first row"
            ),
            ProblemKind::MissingHandle => {
                "the handle is empty, so Kanaal cannot tell which product \
                 this row belongs to; fill in the product's handle (its short web name, such as \
                 ethiopia-sidamo)"
                    .to_string()
            }
            ProblemKind::MissingTitle => {
                "the first row of a product needs a title; fill in the product's name".to_string()
            }
            ProblemKind::MissingSku => {
                "every variant needs a SKU, Kanaal uses it to recognise the \
                 variant on the next import; fill in a SKU that no other variant has"
                    .to_string()
            }
            ProblemKind::MissingPrice => {
                "the price is empty; fill in the consumer price including \
                 VAT, such as 12.50"
                    .to_string()
            }
            ProblemKind::NoVariants => {
                "this product has no row with a SKU and a price, so there is \
                 nothing to sell; add at least one variant row"
                    .to_string()
            }
            ProblemKind::BadAmount => {
                "this is not an amount; write it like 12.50 or 12,50, without \
                 words or a currency other than €"
                    .to_string()
            }
            ProblemKind::NegativeAmount => {
                "an amount cannot be below zero; correct the sign".to_string()
            }
            ProblemKind::BadWeight => {
                "this is not a weight; write a number such as 250 (grams) or \
                 0,25 (kilograms, in the WooCommerce weight column)"
                    .to_string()
            }
            ProblemKind::BadQuantity => {
                "this is not a stock quantity; write a whole number such as \
                 12, or leave it empty to keep the stock Kanaal has"
                    .to_string()
            }
            ProblemKind::BadGtin { detail } => detail.clone(),
            ProblemKind::GtinAsScientificNumber => "the spreadsheet turned this barcode into a \
                 number like 8.71E+12 and lost its digits; format the column as Text, type the \
                 full EAN again and save"
                .to_string(),
            ProblemKind::BadStatus => {
                "this is not a product status; use active, draft or archived".to_string()
            }
            ProblemKind::BadYesNo => "write TRUE or FALSE (or 1 or 0) in this column".to_string(),
            ProblemKind::BadTaxClass => "Kanaal does not know this tax class; use reduced-rate \
                 (9 % VAT), zero-rate (0 %), or leave it empty for the standard 21 %"
                .to_string(),
            ProblemKind::DuplicateHandle { first_row } => format!(
                "row {first_row} already starts a product with this handle; give each product its \
                 own handle, or put this row's variants under the first product"
            ),
            ProblemKind::DuplicateSku { first_row } => {
                format!("row {first_row} already uses this SKU; every variant needs its own SKU")
            }
            ProblemKind::DuplicateGtin { first_row } => {
                format!("row {first_row} already uses this EAN; one barcode belongs to one variant")
            }
            ProblemKind::DuplicateOptionValues { first_row } => format!(
                "row {first_row} is a variant of the same product with the same option values; \
                 change a value so each variant can be told apart"
            ),
            ProblemKind::MissingOptionValue { option } => format!(
                "the product has the option '{option}' but this variant gives no value for it; \
                 fill in the value"
            ),
            ProblemKind::UnknownParent => "no variable product in the file has this SKU or id; \
                 put the parent product in the same file, or correct the Parent column"
                .to_string(),
            ProblemKind::UnknownProductType => "Kanaal imports simple and variable products and \
                 their variations; use one of those types"
                .to_string(),
            ProblemKind::UnsupportedProductType => "grouped and external products are not sold \
                 by the shop itself, so Kanaal leaves this row out; the products it groups are \
                 imported from their own rows"
                .to_string(),
            ProblemKind::SkuOfOtherProduct { handle } => format!(
                "this SKU already belongs to the product '{handle}' in your catalog; use another \
                 SKU, or move the row to that product"
            ),
            ProblemKind::SameCatalogProduct { first_row } => format!(
                "the product on row {first_row} is the same product in your catalog (same \
                 handle or SKUs); put the variants of both under one product, or give them \
                 different SKUs"
            ),
            ProblemKind::GtinOfOtherVariant { sku } => format!(
                "this EAN already belongs to the variant {sku} in your catalog; check the \
                 barcode, or remove it from that variant first"
            ),
            ProblemKind::OptionsChangedWithoutAllVariants { missing } => format!(
                "the options differ from the catalog, and the variants {} are not in the file \
                 and would no longer fit; add them to the file with values for the new options",
                missing.join(", ")
            ),
            ProblemKind::Refused { detail, .. } => {
                format!("the catalog refused this product: {detail}")
            }
            ProblemKind::PartOfSkippedProduct { bad_row } => format!(
                "this row was left out because its product has a problem on row {bad_row}; a \
                 product is imported whole or not at all"
            ),
        }
    }

    /// The message in Dutch: wat er mis is, dan wat te doen.
    pub fn message_nl(&self) -> String {
        match self {
            ProblemKind::MissingColumn { format } => format!(
                "dit {format}-bestand mist deze kolom en Kanaal heeft die nodig; exporteer het \
                 bestand opnieuw uit {format} met alle kolommen, of zet de kolom in de eerste rij"
            ),
            ProblemKind::MissingHandle => "de handle is leeg, dus Kanaal weet niet bij welk \
                 product deze rij hoort; vul de handle van het product in (de korte webnaam, \
                 zoals ethiopia-sidamo)"
                .to_string(),
            ProblemKind::MissingTitle => {
                "de eerste rij van een product heeft een titel nodig; vul de naam van het product in"
                    .to_string()
            }
            ProblemKind::MissingSku => "elke variant heeft een SKU nodig, daaraan herkent Kanaal \
                 de variant bij de volgende import; vul een SKU in die geen andere variant heeft"
                .to_string(),
            ProblemKind::MissingPrice => "de prijs is leeg; vul de consumentenprijs inclusief \
                 btw in, zoals 12,50"
                .to_string(),
            ProblemKind::NoVariants => "dit product heeft geen rij met een SKU en een prijs, dus \
                 er is niets te verkopen; voeg minstens één variantrij toe"
                .to_string(),
            ProblemKind::BadAmount => "dit is geen bedrag; schrijf het als 12,50 of 12.50, \
                 zonder woorden of een andere munt dan €"
                .to_string(),
            ProblemKind::NegativeAmount => {
                "een bedrag kan niet onder nul zijn; verbeter het teken".to_string()
            }
            ProblemKind::BadWeight => "dit is geen gewicht; schrijf een getal zoals 250 (gram) \
                 of 0,25 (kilogram, in de gewichtkolom van WooCommerce)"
                .to_string(),
            ProblemKind::BadQuantity => "dit is geen voorraadaantal; schrijf een heel getal zoals \
                 12, of laat het leeg om de voorraad in Kanaal te houden"
                .to_string(),
            ProblemKind::BadGtin { detail } => {
                format!("deze EAN-code klopt niet; controleer de streepjescode ({detail})")
            }
            ProblemKind::GtinAsScientificNumber => "het rekenblad maakte van deze streepjescode \
                 een getal als 8,71E+12 en raakte cijfers kwijt; maak de kolom Tekst, typ de \
                 hele EAN opnieuw en sla op"
                .to_string(),
            ProblemKind::BadStatus => {
                "dit is geen productstatus; gebruik active, draft of archived".to_string()
            }
            ProblemKind::BadYesNo => {
                "schrijf TRUE of FALSE (of 1 of 0) in deze kolom; andere waarden kent Kanaal niet"
                    .to_string()
            }
            ProblemKind::BadTaxClass => "Kanaal kent deze belastingklasse niet; gebruik \
                 reduced-rate (9% btw), zero-rate (0%), of laat het leeg voor het gewone 21%"
                .to_string(),
            ProblemKind::DuplicateHandle { first_row } => format!(
                "rij {first_row} begint al een product met deze handle; geef elk product een \
                 eigen handle, of zet de varianten van deze rij onder het eerste product"
            ),
            ProblemKind::DuplicateSku { first_row } => format!(
                "rij {first_row} gebruikt deze SKU al; elke variant heeft een eigen SKU nodig"
            ),
            ProblemKind::DuplicateGtin { first_row } => format!(
                "rij {first_row} gebruikt deze EAN al; één streepjescode hoort bij één variant"
            ),
            ProblemKind::DuplicateOptionValues { first_row } => format!(
                "rij {first_row} is een variant van hetzelfde product met dezelfde optiewaarden; \
                 verander een waarde zodat de varianten van elkaar te onderscheiden zijn"
            ),
            ProblemKind::MissingOptionValue { option } => format!(
                "het product heeft de optie '{option}' maar deze variant geeft er geen waarde \
                 voor; vul de waarde in"
            ),
            ProblemKind::UnknownParent => "geen variabel product in het bestand heeft deze SKU \
                 of id; zet het hoofdproduct in hetzelfde bestand, of verbeter de kolom Parent"
                .to_string(),
            ProblemKind::UnknownProductType => "Kanaal importeert enkelvoudige en variabele \
                 producten en hun variaties; gebruik een van die typen"
                .to_string(),
            ProblemKind::UnsupportedProductType => "gegroepeerde en externe producten verkoopt \
                 de winkel niet zelf, dus Kanaal slaat deze rij over; de producten die erin \
                 zitten komen uit hun eigen rijen"
                .to_string(),
            ProblemKind::SkuOfOtherProduct { handle } => format!(
                "deze SKU hoort al bij het product '{handle}' in je catalogus; gebruik een andere \
                 SKU, of zet de rij bij dat product"
            ),
            ProblemKind::SameCatalogProduct { first_row } => format!(
                "het product op rij {first_row} is hetzelfde product in je catalogus (dezelfde \
                 handle of SKU's); zet de varianten van beide onder één product, of geef ze \
                 verschillende SKU's"
            ),
            ProblemKind::GtinOfOtherVariant { sku } => format!(
                "deze EAN hoort al bij de variant {sku} in je catalogus; controleer de \
                 streepjescode, of haal hem eerst bij die variant weg"
            ),
            ProblemKind::OptionsChangedWithoutAllVariants { missing } => format!(
                "de opties verschillen van de catalogus, en de varianten {} staan niet in het \
                 bestand en zouden niet meer passen; zet ze in het bestand met waarden voor de \
                 nieuwe opties",
                missing.join(", ")
            ),
            ProblemKind::Refused { detail, .. } => {
                format!("de catalogus weigerde dit product; reden: {detail}")
            }
            ProblemKind::PartOfSkippedProduct { bad_row } => format!(
                "deze rij is overgeslagen omdat het product een probleem heeft op rij {bad_row}; \
                 een product wordt helemaal of helemaal niet geïmporteerd"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_says_what_to_do() {
        let kinds = [
            ProblemKind::MissingHandle,
            ProblemKind::BadAmount,
            ProblemKind::DuplicateSku { first_row: 3 },
            ProblemKind::GtinAsScientificNumber,
            ProblemKind::BadTaxClass,
        ];
        for k in kinds {
            let nl = k.message_nl();
            assert!(nl.contains(';') && nl != k.message_en(), "Dutch too: {nl}");
            let m = k.message_en();
            assert!(
                m.contains(';'),
                "a message names the problem, then the remedy: {m}"
            );
        }
        assert!(
            ProblemKind::DuplicateSku { first_row: 3 }
                .message_en()
                .contains("row 3"),
            "a duplicate points at the row that came first"
        );
    }
}
