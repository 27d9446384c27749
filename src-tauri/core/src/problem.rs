//! What Kanaal refuses of the merchant's own input — a value typed in the editor, a bulk edit,
//! a picture, a CSV file, an undo — as typed data, so that the window can say it in the
//! merchant's language (ui/src/lib/inputProblems.ts) and the command line in English (the
//! `Display` below, which keeps the sentences the CLI always printed).
//!
//! Each problem names what is wrong and what to do. Problems that only a programming error
//! can cause (a malformed request from the window itself) stay [`crate::Error::InvalidInput`].
//! Must not hold anything but the facts a sentence needs: no wording lives here beyond the
//! English `Display`.

use crate::catalog::edit::Field;
use crate::publish::rules::RuleField;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a product, a picture or a file was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InputProblem {
    // --- A value typed for one field.
    /// The field must have a value.
    Required { field: Field },
    /// Not an amount of money (`12,50`, `12.50`, `€ 1.234,50` are).
    NotAnAmount { field: Field, value: String },
    /// An amount or a count below zero.
    BelowZero { field: Field },
    /// Not a whole number of zero or more.
    NotWholeNumber { field: Field, value: String },
    /// Not one of the field's choices (a status, a VAT rate).
    NotAChoice { field: Field, value: String },
    /// A choice field left empty.
    ChooseOne { field: Field },
    /// Not 8, 12, 13 or 14 digits.
    GtinLength { value: String },
    /// The EAN's last digit does not match the others.
    GtinCheckDigit { value: String, expected: u8 },
    /// Another variant already has this SKU or EAN.
    InUse { field: Field, value: String },
    /// The value changed since the preview was made.
    Stale { field: Field },
    /// The chosen category was deleted meanwhile.
    CategoryGone,
    /// A picture in the list is no longer stored.
    PictureGone,
    /// The same picture twice in one product's list.
    PictureTwice,

    // --- A new product (editor or import).
    /// No handle (web name).
    NoHandle,
    /// Neither a Dutch nor an English title.
    NoTitle { handle: String },
    /// No variant at all.
    NoVariant { handle: String },
    /// A variant without a SKU (`variant` counts from 1).
    NoSku { handle: String, variant: u32 },
    /// A variant with another number of option values than the product has options.
    OptionValues {
        handle: String,
        variant: u32,
        values: u32,
        options: u32,
    },
    /// A variant's price, compare-at price and cost in different currencies.
    MixedCurrencies { handle: String, variant: u32 },
    /// Another variant already has this SKU or the EAN given with it.
    SkuOrEanInUse {
        handle: String,
        variant: u32,
        sku: String,
    },
    /// Another product already has this handle.
    HandleTaken { handle: String },
    /// The database found a SKU, EAN or handle of the product already in use (the import's
    /// own checks did not see it).
    CodeTaken { handle: String },

    // --- Bulk edits.
    /// One SKU for several variants.
    OneSkuForMany,
    /// Add or remove a tag without typing one.
    NoTag,

    // --- Channels.
    /// Take products off a channel without saying which.
    ChooseProductsToTakeOff,

    // --- Undoing an import.
    /// The import created a product or variant that is now listed or sold.
    UndoWouldRemove {
        /// The product's handle or the variant's SKU.
        name: String,
        variant: bool,
        sold: bool,
    },

    // --- Pictures.
    /// A picture type Kanaal does not take (`mime` as the file said).
    PictureType { mime: String },
    /// Larger than Kanaal takes.
    PictureTooLarge { megabytes: u32, max_megabytes: u32 },
    /// Not a picture at all.
    NotAPicture,
    /// A picture file that cannot be decoded; `detail` is the decoder's own (English) words.
    PictureDamaged { detail: String },

    // --- Catalog files.
    /// Neither a Shopify nor a WooCommerce product export.
    NotAProductExport,
    /// A row that is not CSV (`detail` is the CSV reader's own words).
    CsvUnreadable { row: u32, detail: String },
    /// An empty file.
    EmptyFile,
    /// A file of 4 GB or more.
    FileTooLarge,
    /// Export without saying to which platform.
    ExportFormatNeeded,
    /// Shopify takes at most three options per product.
    TooManyOptionsForShopify { handle: String, options: u32 },
    /// Shopify needs an option to tell several variants apart.
    OptionNeededForShopify { handle: String },

    // --- The data folder (chosen with --data-dir or KANAAL_DATA_DIR, or the system's).
    /// The data file was made by a newer Kanaal.
    DataFileTooNew {
        path: String,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        found: i64,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        known: i64,
    },
    /// The file in the data folder is not a Kanaal data file.
    NotKanaalData { path: String },
    /// The folder cannot be read or written (`detail` is the system's own words).
    DataFolderUnusable { path: String, detail: String },
    /// No data folder could be found for this user.
    NoDataFolder,

    // --- A product's own title, description and price on one channel (editor, "Channels").
    /// The product has no listing on the channel to give its own values.
    NotOnChannel { channel: String },
    /// An own price that is not an amount (`sku`: the variant, where the channel lists each
    /// variant on its own; boxed to keep every IPC error small).
    OwnPriceNotAnAmount {
        channel: String,
        sku: Option<Box<str>>,
        value: String,
    },
    /// An own price of zero or less.
    OwnPriceNotPositive {
        channel: String,
        sku: Option<Box<str>>,
    },
    /// An own price with more than two decimals.
    OwnPriceCents {
        channel: String,
        sku: Option<Box<str>>,
        value: String,
    },
    /// An own price below the channel's minimum margin over the cost.
    OwnPriceBelowMargin {
        channel: String,
        sku: Option<Box<str>>,
        lowest: String,
    },
    /// An own title longer than the channel takes.
    OwnTitleTooLong {
        channel: String,
        chars: u32,
        max: u32,
    },
    /// A delivery promise the channel does not know (or a channel without them).
    DeliveryCodeNotAllowed { channel: String, value: String },

    // --- A channel's price and stock rules (Channels page, `kanaal channel rules`).
    /// A percentage or amount that is not a number.
    RuleNotANumber { field: RuleField, value: String },
    /// A count of units that is not a whole number.
    RuleNotAWholeNumber { field: RuleField, value: String },
    /// A buffer, maximum or minimum margin below zero.
    RuleBelowZero { field: RuleField },
    /// A share of stock (as a percentage) of 0 or less, or above 100.
    RuleShareOutOfRange { value: String },
    /// A markup of -100 % or less, which gives the products away.
    RuleMarkupTooLow,
    /// A fixed markup with more than two decimals.
    RuleFixedMarkupCents { value: String },
}

impl InputProblem {
    /// The field (or file part) the problem is about, as the CLI and the import report name
    /// it: the audit name of an editor field, or the product and variant of a new one.
    pub fn field(&self) -> String {
        use InputProblem::*;
        let variant = |handle: &str, n: &u32, f: &str| format!("{handle} › variant {n} › {f}");
        match self {
            Required { field }
            | NotAnAmount { field, .. }
            | BelowZero { field }
            | NotWholeNumber { field, .. }
            | NotAChoice { field, .. }
            | ChooseOne { field }
            | InUse { field, .. }
            | Stale { field } => field.audit_name(),
            GtinLength { .. } | GtinCheckDigit { .. } => "gtin".to_string(),
            CategoryGone => "category_id".to_string(),
            PictureGone | PictureTwice => "images".to_string(),
            NoHandle | HandleTaken { .. } => "handle".to_string(),
            CodeTaken { handle } => handle.clone(),
            NoTitle { handle } => format!("{handle} › title"),
            NoVariant { handle } => format!("{handle} › variants"),
            NoSku { handle, variant: n } => variant(handle, n, "SKU"),
            OptionValues {
                handle, variant: n, ..
            } => variant(handle, n, "options"),
            MixedCurrencies { handle, variant: n } => variant(handle, n, "currency"),
            SkuOrEanInUse {
                handle, variant: n, ..
            } => variant(handle, n, "SKU/EAN"),
            OneSkuForMany => "sku".to_string(),
            NoTag => "tag".to_string(),
            ChooseProductsToTakeOff => "products".to_string(),
            UndoWouldRemove { .. } => "undo".to_string(),
            PictureType { .. } | PictureTooLarge { .. } | NotAPicture | PictureDamaged { .. } => {
                "image".to_string()
            }
            NotAProductExport | CsvUnreadable { .. } | EmptyFile | FileTooLarge => {
                "file".to_string()
            }
            ExportFormatNeeded => "format".to_string(),
            TooManyOptionsForShopify { handle, .. } | OptionNeededForShopify { handle } => {
                format!("{handle} › options")
            }
            DataFileTooNew { path, .. }
            | NotKanaalData { path }
            | DataFolderUnusable { path, .. } => path.clone(),
            NoDataFolder => "data folder".to_string(),
            NotOnChannel { channel } | DeliveryCodeNotAllowed { channel, .. } => channel.clone(),
            OwnPriceNotAnAmount { channel, sku, .. }
            | OwnPriceNotPositive { channel, sku }
            | OwnPriceCents { channel, sku, .. }
            | OwnPriceBelowMargin { channel, sku, .. } => match sku {
                Some(sku) => format!("{channel} › {sku} › own price"),
                None => format!("{channel} › own price"),
            },
            OwnTitleTooLong { channel, .. } => format!("{channel} › own title"),
            RuleNotANumber { field, .. }
            | RuleNotAWholeNumber { field, .. }
            | RuleBelowZero { field } => field.name().to_string(),
            RuleShareOutOfRange { .. } => RuleField::Share.name().to_string(),
            RuleMarkupTooLow => RuleField::MarkupPercent.name().to_string(),
            RuleFixedMarkupCents { .. } => RuleField::MarkupFixed.name().to_string(),
        }
    }

    /// What is wrong and what to do, in English, without the field.
    pub fn message(&self) -> String {
        use InputProblem::*;
        match self {
            Required { .. } => "cannot be empty".into(),
            NotAnAmount { value, .. } => format!(
                "'{value}' is not an amount: write it like 12.50 or 12,50"
            ),
            BelowZero { .. } => "cannot be below zero".into(),
            NotWholeNumber { value, .. } => {
                format!("'{value}' is not a whole number of zero or more")
            }
            NotAChoice {
                field: Field::VatRate,
                value,
            } => format!("'{value}' is not a Dutch VAT rate: use 21, 9 or 0 (standard, reduced, zero)"),
            NotAChoice { value, .. } => {
                format!("'{value}' is not a product status: use draft, active or archived")
            }
            ChooseOne { .. } => "choose a value".into(),
            GtinLength { value } => {
                format!("'{value}' is not an EAN/GTIN: it must be 8, 12, 13 or 14 digits")
            }
            GtinCheckDigit { value, expected } => format!(
                "the EAN '{value}' has a wrong check digit (the last digit should be {expected}); check for a typing error"
            ),
            InUse { value, .. } => {
                format!("'{value}' is already used by another variant; each must be unique")
            }
            Stale { .. } => "changed since the preview was made: preview again".into(),
            CategoryGone => "this category no longer exists: choose another".into(),
            PictureGone => "a picture in the list is not stored any more: add it again".into(),
            PictureTwice => "the same picture is in the list twice: remove one".into(),
            NoHandle => "a product needs a handle (a short web name)".into(),
            NoTitle { .. } => "give the product a title".into(),
            NoVariant { .. } => "a product needs at least one variant".into(),
            NoSku { .. } => "every variant needs a SKU".into(),
            OptionValues {
                values, options, ..
            } => format!("has {values} option values but the product has {options} options"),
            MixedCurrencies { .. } => {
                "price, compare-at price and cost must be in one currency".into()
            }
            SkuOrEanInUse { sku, .. } => format!(
                "SKU '{sku}' or its EAN is already used by another variant; each must be unique"
            ),
            HandleTaken { handle } => format!("a product with handle '{handle}' already exists"),
            CodeTaken { .. } => {
                "a SKU, EAN or handle in it is already used by another product".into()
            }
            OneSkuForMany => "each variant needs its own SKU: edit them one by one".into(),
            NoTag => "type the tag to add or remove".into(),
            ChooseProductsToTakeOff => {
                "choose the products to take off the channel; they are not all taken off at once"
                    .into()
            }
            UndoWouldRemove {
                name,
                variant,
                sold,
            } => {
                let now = if *sold {
                    "in orders"
                } else {
                    "listed on a channel"
                };
                if *variant {
                    format!(
                        "the import added variant '{name}', which is now {now} — undoing the import \
                         would remove it; leave the import in place and change the variant instead"
                    )
                } else {
                    format!(
                        "the import created '{name}', which is now {now} — undoing the import \
                         would remove it; set it to archived instead"
                    )
                }
            }
            PictureType { mime } => {
                format!("{mime} pictures are not supported: use PNG, JPEG, WebP or SVG")
            }
            PictureTooLarge {
                megabytes,
                max_megabytes,
            } => format!(
                "this picture is {megabytes} MB; the largest Kanaal takes is {max_megabytes} MB: make it smaller first"
            ),
            NotAPicture => {
                "this file is not a picture Kanaal can read: use PNG, JPEG, WebP or SVG".into()
            }
            PictureDamaged { detail } => format!(
                "this picture is damaged or incomplete ({detail}): save it again and retry"
            ),
            NotAProductExport => "this is not a Shopify or WooCommerce product export: its first \
                 row should name columns such as Handle, Title and Variant SKU (Shopify) or Type, \
                 SKU, Name and Regular price (WooCommerce); export the products again from the \
                 platform and choose that file"
                .into(),
            CsvUnreadable { row, detail } => format!(
                "row {row} could not be read as CSV ({detail}); open the file in a spreadsheet \
                 and save it again as CSV"
            ),
            EmptyFile => "the file is empty; export the products again and choose that file".into(),
            FileTooLarge => {
                "the file is larger than 4 GB; split it into smaller files and import them one by one"
                    .into()
            }
            ExportFormatNeeded => "choose Shopify or WooCommerce as the format to export to".into(),
            TooManyOptionsForShopify { options, .. } => format!(
                "Shopify allows at most 3 options per product and this product has {options}; \
                 combine options before exporting to Shopify"
            ),
            OptionNeededForShopify { .. } => {
                "Shopify needs an option (such as Size) to tell this product's variants apart; \
                 give the product an option before exporting to Shopify"
                    .into()
            }
            DataFileTooNew { found, known, .. } => format!(
                "made by a newer version of Kanaal (data version {found}; this version reads up \
                 to {known}); install the latest Kanaal to open it, nothing in it was changed"
            ),
            NotKanaalData { .. } => "not a Kanaal data file; choose another data folder".into(),
            DataFolderUnusable { detail, .. } => format!(
                "could not be used ({detail}); check that the folder exists and that you may \
                 write to it"
            ),
            NoDataFolder => "none could be found for this user; start Kanaal with --data-dir \
                 FOLDER or set KANAAL_DATA_DIR"
                .into(),
            NotOnChannel { .. } => "the product is not on this channel: put it on the channel \
                 first, then give it its own title or price there"
                .into(),
            OwnPriceNotAnAmount { value, .. } => format!(
                "'{value}' is not an amount: write it like 12.50 or 12,50, or leave it empty \
                 for the channel's price"
            ),
            OwnPriceNotPositive { .. } => {
                "must be more than zero; leave it empty for the channel's price".into()
            }
            OwnPriceCents { value, .. } => {
                format!("'{value}' has more than two decimals: round it to whole cents")
            }
            OwnPriceBelowMargin { lowest, .. } => format!(
                "is below the channel's minimum margin over the cost: the lowest allowed is {lowest}"
            ),
            OwnTitleTooLong { chars, max, .. } => format!(
                "has {chars} characters; this channel takes at most {max}: shorten it"
            ),
            DeliveryCodeNotAllowed { value, .. } => {
                format!("'{value}' is not a delivery promise this channel knows: choose one from the list")
            }
            RuleNotANumber { value, .. } => format!(
                "'{value}' is not a number: write it like 15 or 12,50, or leave it empty for none"
            ),
            RuleNotAWholeNumber { value, .. } => format!(
                "'{value}' is not a whole number of units: write it like 2, or leave it empty for none"
            ),
            RuleBelowZero { field: RuleField::Buffer } => {
                "the buffer cannot be negative; use 0 or leave it empty for no buffer".into()
            }
            RuleBelowZero { field: RuleField::Max } => {
                "the maximum cannot be negative; leave it empty for no maximum".into()
            }
            RuleBelowZero { .. } => {
                "cannot be below zero; leave it empty for no minimum margin".into()
            }
            RuleShareOutOfRange { value } => format!(
                "{value} % is not a share of stock: use more than 0 and at most 100 (100 = all stock)"
            ),
            RuleMarkupTooLow => {
                "a markup of -100 % or less would give the products away: use a higher one".into()
            }
            RuleFixedMarkupCents { value } => {
                format!("'{value}' has more than two decimals: round it to whole cents")
            }
        }
    }
}

impl InputProblem {
    /// The data-folder problem an error is, if it is one (the store could not be opened or
    /// used): typed for the window, which shows it instead of any page.
    pub fn of_data_folder(e: &crate::Error) -> Option<InputProblem> {
        use crate::Error;
        let path = |p: &std::path::Path| p.display().to_string();
        match e {
            Error::SchemaTooNew {
                path: p,
                found,
                known,
            } => Some(InputProblem::DataFileTooNew {
                path: path(p),
                found: *found,
                known: *known,
            }),
            Error::NotKanaalData { path: p } => Some(InputProblem::NotKanaalData { path: path(p) }),
            Error::Io { path: p, source } => Some(InputProblem::DataFolderUnusable {
                path: path(p),
                detail: source.to_string(),
            }),
            Error::NoDataDir => Some(InputProblem::NoDataFolder),
            _ => None,
        }
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field(), self.message())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_window_gets_the_kind_and_its_facts() {
        let p = InputProblem::InUse {
            field: Field::Sku,
            value: "KOF-1".into(),
        };
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "in_use", "field": {"field": "sku"}, "value": "KOF-1"})
        );
        assert_eq!(serde_json::from_value::<InputProblem>(json).unwrap(), p);
    }

    #[test]
    fn a_data_folder_that_cannot_be_opened_is_told_typed() {
        let too_new = crate::Error::SchemaTooNew {
            path: "/home/anna/kanaal/kanaal.db".into(),
            found: 19,
            known: 18,
        };
        assert_eq!(
            InputProblem::of_data_folder(&too_new),
            Some(InputProblem::DataFileTooNew {
                path: "/home/anna/kanaal/kanaal.db".into(),
                found: 19,
                known: 18
            })
        );
        let unusable = crate::Error::io(
            "/media/usb/kanaal",
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, "Permission denied"),
        );
        assert_eq!(
            InputProblem::of_data_folder(&unusable),
            Some(InputProblem::DataFolderUnusable {
                path: "/media/usb/kanaal".into(),
                detail: "Permission denied".into()
            })
        );
        assert_eq!(
            InputProblem::of_data_folder(&crate::Error::NoDataDir),
            Some(InputProblem::NoDataFolder)
        );
        assert_eq!(
            InputProblem::of_data_folder(&crate::Error::NotFound("product 7".into())),
            None,
            "only the data folder's own failures"
        );
    }

    #[test]
    fn the_command_line_names_the_field_and_what_to_do() {
        let p = InputProblem::NoSku {
            handle: "koffie".into(),
            variant: 2,
        };
        assert_eq!(
            p.to_string(),
            "koffie › variant 2 › SKU: every variant needs a SKU"
        );
        assert_eq!(
            InputProblem::Stale {
                field: Field::Price
            }
            .to_string(),
            "price: changed since the preview was made: preview again"
        );
    }
}
