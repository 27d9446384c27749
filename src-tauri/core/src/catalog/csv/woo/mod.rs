//! WooCommerce's product CSV, as its built-in exporter writes it (Products › Export) and its
//! importer reads it.
//!
//! Each product is one row; a *variable* product is a row of its own followed (anywhere in the
//! file) by its *variation* rows, whose `Parent` is the parent's SKU or `id:NN`. A variable
//! product and its variations become one catalog product with variants; a *simple* product
//! becomes a product with one variant. Grouped and external products are not sold by the shop
//! itself and are left out with a notice.
//!
//! Mapping to the catalog: the parent's attributes that its variations give values for are the
//! product's options (an attribute no variation sets, like "Any size", describes the product
//! and is not an option). `Sale price` is the price and `Regular price` the compare-at price
//! when a sale price is given; otherwise `Regular price` is the price. The weight column carries
//! the shop's unit in its name (`Weight (kg)`, `Weight (lbs)`). WooCommerce has no handle: a
//! product is known by its SKU (a variable product by the parent's SKU, or its name's slug when
//! the parent has none), and found again by its variants' SKUs. Tax classes are the standard
//! WooCommerce ones, by their English or Dutch slug.

mod read;
mod write;

pub(crate) use read::read;
pub(crate) use write::write;

use super::columns::{ColumnSpec, Columns};
use rust_decimal::Decimal;
use std::collections::HashMap;

const ID: &str = "ID";
const TYPE: &str = "Type";
const SKU: &str = "SKU";
const GTIN: &str = "GTIN, UPC, EAN, or ISBN";
const NAME: &str = "Name";
const PUBLISHED: &str = "Published";
const DESCRIPTION: &str = "Description";
const TAX_STATUS: &str = "Tax status";
const TAX_CLASS: &str = "Tax class";
const STOCK: &str = "Stock";
const SALE_PRICE: &str = "Sale price";
const REGULAR_PRICE: &str = "Regular price";
const CATEGORIES: &str = "Categories";
const TAGS: &str = "Tags";
const IMAGES: &str = "Images";
const PARENT: &str = "Parent";
const BRANDS: &str = "Brands";
const COST: &str = "Cost of goods";

const COLUMNS: &[ColumnSpec] = &[
    (ID, &[]),
    (TYPE, &[]),
    (SKU, &[]),
    (GTIN, &["GTIN"]),
    (NAME, &[]),
    (PUBLISHED, &[]),
    (DESCRIPTION, &[]),
    (TAX_STATUS, &[]),
    (TAX_CLASS, &[]),
    (STOCK, &[]),
    (SALE_PRICE, &[]),
    (REGULAR_PRICE, &[]),
    (CATEGORIES, &[]),
    (TAGS, &[]),
    (IMAGES, &[]),
    (PARENT, &[]),
    (BRANDS, &[]),
    (COST, &[]),
];

/// `true` when the header looks like a WooCommerce product export.
pub(crate) fn looks_like(headers: &[String]) -> bool {
    let cols = Columns::find(headers, COLUMNS);
    cols.has(TYPE)
        && cols.has(SKU)
        && (cols.has(PARENT)
            || cols.has(REGULAR_PRICE)
            || headers.iter().any(|h| attribute_column(h).is_some()))
}

/// What a header cell is when it is an attribute column: its number and whether it holds the
/// name (`Attribute 1 name`) or the values (`Attribute 1 value(s)`).
fn attribute_column(header: &str) -> Option<(u32, bool)> {
    let lower = header.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("attribute ")?;
    let (number, what) = rest.split_once(' ')?;
    let n = number.parse().ok()?;
    match what {
        "name" => Some((n, true)),
        "value(s)" | "values" | "value" => Some((n, false)),
        _ => None,
    }
}

/// The attribute columns of a file: (number, name column, value column), by number.
fn attribute_columns(headers: &[String]) -> Vec<(usize, usize)> {
    let mut names: HashMap<u32, usize> = HashMap::new();
    let mut values: HashMap<u32, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        match attribute_column(h) {
            Some((n, true)) => {
                names.entry(n).or_insert(i);
            }
            Some((n, false)) => {
                values.entry(n).or_insert(i);
            }
            None => {}
        }
    }
    let mut numbers: Vec<u32> = names.keys().copied().collect();
    numbers.sort_unstable();
    numbers
        .into_iter()
        .filter_map(|n| Some((*names.get(&n)?, *values.get(&n)?)))
        .collect()
}

/// The weight column and how many grams its unit is.
fn weight_column(headers: &[String]) -> Option<(usize, Decimal)> {
    headers.iter().enumerate().find_map(|(i, h)| {
        let lower = h.trim().to_ascii_lowercase();
        let unit = lower.strip_prefix("weight (")?.strip_suffix(')')?;
        let grams = match unit {
            "kg" => Decimal::from(1000),
            "g" => Decimal::ONE,
            "lbs" | "lb" => Decimal::new(45_359_237, 5),
            "oz" => Decimal::new(28_349_523_125, 9),
            _ => return None,
        };
        Some((i, grams))
    })
}
