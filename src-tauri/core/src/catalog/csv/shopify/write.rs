//! Writing the catalog as a Shopify product CSV.

use super::{
    BARCODE, COMPARE_AT, COST, DEFAULT_OPTION, GRAMS, OPTION_NAMES, OPTION_VALUES, PRICE, QTY, SKU,
    TAXABLE,
};
use crate::catalog::csv::fields;
use crate::catalog::csv::snapshot::Catalog;
use crate::catalog::csv::write_error;
use crate::catalog::ProductStatus;
use crate::problem::InputProblem;
use crate::vat::VatRate;
use crate::{Error, Result};
use std::collections::HashMap;

/// The columns Kanaal writes, in the order of Shopify's own export.
const EXPORT_HEADER: [&str; 36] = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Product Category",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Fulfillment Service",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Requires Shipping",
    "Variant Taxable",
    "Variant Barcode",
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "Gift Card",
    "SEO Title",
    "SEO Description",
    "Variant Image",
    "Variant Weight Unit",
    "Variant Tax Code",
    "Cost per item",
    "Status",
];

/// Writes the catalog as a Shopify product CSV (UTF-8, comma, amounts with a dot).
pub(crate) fn write(catalog: &Catalog) -> Result<Vec<u8>> {
    let lang = catalog.language;
    let mut out = ::csv::WriterBuilder::new().from_writer(Vec::new());
    out.write_record(EXPORT_HEADER).map_err(write_error)?;
    for p in &catalog.products {
        if p.options.len() > OPTION_NAMES.len() {
            return Err(Error::Input(InputProblem::TooManyOptionsForShopify {
                handle: p.handle.clone(),
                options: u32::try_from(p.options.len()).unwrap_or(u32::MAX),
            }));
        }
        if p.options.is_empty() && p.variants.len() > 1 {
            return Err(Error::Input(InputProblem::OptionNeededForShopify {
                handle: p.handle.clone(),
            }));
        }
        let category = p
            .category
            .map(|c| fields::join_category_path(&catalog.category_path(c, lang)))
            .unwrap_or_default();
        for (i, v) in p.variants.iter().enumerate() {
            let first = i == 0;
            let mut r: HashMap<&str, String> = HashMap::new();
            r.insert("Handle", p.handle.clone());
            if first {
                r.insert("Title", p.title.in_lang(lang).to_string());
                r.insert("Body (HTML)", p.description.in_lang(lang).to_string());
                r.insert("Vendor", p.brand.clone());
                r.insert("Type", category.clone());
                r.insert("Tags", p.tags.join(", "));
                let published = p.status == ProductStatus::Active;
                r.insert("Published", bool_text(published));
                r.insert("Gift Card", bool_text(false));
                r.insert("Status", p.status.code().to_string());
            }
            if p.options.is_empty() {
                if first {
                    r.insert(OPTION_NAMES[0], DEFAULT_OPTION.0.to_string());
                }
                r.insert(OPTION_VALUES[0], DEFAULT_OPTION.1.to_string());
            }
            for (k, name) in p.options.iter().enumerate() {
                if first {
                    r.insert(OPTION_NAMES[k], name.in_lang(lang).to_string());
                }
                r.insert(
                    OPTION_VALUES[k],
                    v.options.get(k).cloned().unwrap_or_default(),
                );
            }
            r.insert(SKU, v.sku.clone());
            r.insert(
                GRAMS,
                v.weight_grams.map(|g| g.to_string()).unwrap_or_default(),
            );
            if let Some(q) = v.stock {
                r.insert("Variant Inventory Tracker", "shopify".to_string());
                r.insert(QTY, q.to_string());
            }
            r.insert("Variant Inventory Policy", "deny".to_string());
            r.insert("Variant Fulfillment Service", "manual".to_string());
            r.insert(PRICE, fields::amount_text(v.price));
            r.insert(
                COMPARE_AT,
                v.compare_at.map(fields::amount_text).unwrap_or_default(),
            );
            r.insert("Variant Requires Shipping", bool_text(true));
            r.insert(TAXABLE, bool_text(v.vat != VatRate::Zero));
            r.insert(BARCODE, v.gtin.clone().unwrap_or_default());
            if let Some(g) = v.weight_grams {
                let unit = if g >= 1000 { "kg" } else { "g" };
                r.insert("Variant Weight Unit", unit.to_string());
            }
            r.insert(COST, v.cost.map(fields::amount_text).unwrap_or_default());
            let record: Vec<&str> = EXPORT_HEADER
                .iter()
                .map(|h| r.get(h).map_or("", String::as_str))
                .collect();
            out.write_record(&record).map_err(write_error)?;
        }
    }
    out.into_inner()
        .map_err(|e| Error::Corrupt(format!("writing the CSV file: {e}")))
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}
