//! Shopify's product CSV, as its admin exports and imports it ("Using CSV files to import and
//! export products" in Shopify's help centre).
//!
//! One row per variant; a product's first row carries the product columns (Title, Body (HTML),
//! Vendor, ...) and the option names, and the rows after it repeat the Handle with an empty
//! Title. Rows that only add an image (Handle, Image Src, nothing else) are not variants. A
//! product without options has one variant with `Option1 Name` = `Title` and `Option1 Value` =
//! `Default Title`. The 2024 export renamed columns (`URL handle`, `SKU`, `Price`, ...); both
//! sets of names are read, and the long-standing one is written, which Shopify still imports.
//!
//! Mapping to the catalog: Vendor is the brand; Type is the merchant's own category, written as
//! a path `Koffie > Bonen`; Product Category (Shopify's taxonomy) is a channel's category and
//! not the catalog's, so it is neither read nor written. Shopify knows only whether a variant is
//! taxed, not at which Dutch rate: see [`VatUpdate::Taxed`].

mod read;
mod write;

pub(crate) use read::read;
pub(crate) use write::write;

use super::columns::{ColumnSpec, Columns};

const HANDLE: &str = "Handle";
const TITLE: &str = "Title";
const BODY: &str = "Body (HTML)";
const VENDOR: &str = "Vendor";
const TYPE: &str = "Type";
const TAGS: &str = "Tags";
const PUBLISHED: &str = "Published";
const OPTION_NAMES: [&str; 3] = ["Option1 Name", "Option2 Name", "Option3 Name"];
const OPTION_VALUES: [&str; 3] = ["Option1 Value", "Option2 Value", "Option3 Value"];
const SKU: &str = "Variant SKU";
const GRAMS: &str = "Variant Grams";
const QTY: &str = "Variant Inventory Qty";
const PRICE: &str = "Variant Price";
const COMPARE_AT: &str = "Variant Compare At Price";
const TAXABLE: &str = "Variant Taxable";
const BARCODE: &str = "Variant Barcode";
const IMAGE_SRC: &str = "Image Src";
const VARIANT_IMAGE: &str = "Variant Image";
const IMAGE_POSITION: &str = "Image Position";
const IMAGE_ALT: &str = "Image Alt Text";
const COST: &str = "Cost per item";
const STATUS: &str = "Status";

/// Known columns: the long-standing export name first, then the 2024 export's name.
const COLUMNS: &[ColumnSpec] = &[
    (HANDLE, &["URL handle"]),
    (TITLE, &[]),
    (BODY, &["Description"]),
    (VENDOR, &[]),
    (TYPE, &[]),
    (TAGS, &[]),
    (PUBLISHED, &["Published on online store"]),
    ("Option1 Name", &[]),
    ("Option1 Value", &[]),
    ("Option2 Name", &[]),
    ("Option2 Value", &[]),
    ("Option3 Name", &[]),
    ("Option3 Value", &[]),
    (SKU, &["SKU"]),
    (GRAMS, &["Weight value (grams)"]),
    (QTY, &["Inventory quantity"]),
    (PRICE, &["Price"]),
    (COMPARE_AT, &["Compare-at price"]),
    (TAXABLE, &["Charge tax"]),
    (BARCODE, &["Barcode"]),
    (IMAGE_SRC, &["Product image URL"]),
    (VARIANT_IMAGE, &["Variant image URL"]),
    (IMAGE_POSITION, &["Image position"]),
    (IMAGE_ALT, &["Image alt text"]),
    (COST, &[]),
    (STATUS, &[]),
];

/// The option Shopify gives a product without options.
const DEFAULT_OPTION: (&str, &str) = ("Title", "Default Title");

/// `true` when the header looks like a Shopify product export.
pub(crate) fn looks_like(headers: &[String]) -> bool {
    let cols = Columns::find(headers, COLUMNS);
    cols.has(HANDLE) && (cols.has(SKU) || cols.has(PRICE) || cols.has("Option1 Name"))
}
