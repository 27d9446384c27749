//! Writing the catalog as a WooCommerce product CSV.

use super::{
    CATEGORIES, DESCRIPTION, GTIN, NAME, PARENT, PUBLISHED, REGULAR_PRICE, SALE_PRICE, SKU, STOCK,
    TAGS, TAX_CLASS, TAX_STATUS, TYPE,
};
use crate::catalog::csv::columns::same_name;
use crate::catalog::csv::fields;
use crate::catalog::csv::snapshot::{Catalog, StoredProduct, StoredVariant};
use crate::catalog::csv::write_error;
use crate::catalog::ProductStatus;
use crate::settings::Language;
use crate::vat::VatRate;
use crate::{Error, Result};

/// The columns Kanaal writes, in the order of WooCommerce's exporter; attribute columns follow.
const EXPORT_HEADER: [&str; 21] = [
    "ID",
    "Type",
    "SKU",
    "GTIN, UPC, EAN, or ISBN",
    "Name",
    "Published",
    "Is featured?",
    "Visibility in catalog",
    "Short description",
    "Description",
    "Tax status",
    "Tax class",
    "In stock?",
    "Stock",
    "Weight (kg)",
    "Sale price",
    "Regular price",
    "Categories",
    "Tags",
    "Images",
    "Parent",
];

fn published_text(status: ProductStatus) -> &'static str {
    match status {
        ProductStatus::Active => "1",
        ProductStatus::Archived => "0",
        ProductStatus::Draft => "-1",
    }
}

fn tax_class_text(vat: VatRate) -> &'static str {
    match vat {
        VatRate::Standard => "",
        VatRate::Reduced => "reduced-rate",
        VatRate::Zero => "zero-rate",
    }
}

/// Writes the catalog as a WooCommerce product CSV (UTF-8, comma, amounts with a dot, weight
/// in kilograms).
pub(crate) fn write(catalog: &Catalog) -> Result<Vec<u8>> {
    let lang = catalog.language;
    let attributes = catalog
        .products
        .iter()
        .map(|p| p.options.len())
        .max()
        .unwrap_or(0);
    let mut header: Vec<String> = EXPORT_HEADER.iter().map(|h| h.to_string()).collect();
    for n in 1..=attributes {
        header.push(format!("Attribute {n} name"));
        header.push(format!("Attribute {n} value(s)"));
        header.push(format!("Attribute {n} visible"));
        header.push(format!("Attribute {n} global"));
    }
    let mut out = ::csv::WriterBuilder::new().from_writer(Vec::new());
    out.write_record(&header).map_err(write_error)?;
    let position = |name: &str| header.iter().position(|h| same_name(h, name));

    for p in &catalog.products {
        let simple = p.options.is_empty() && p.variants.len() == 1;
        let category = p
            .category
            .map(|c| fields::join_category_path(&catalog.category_path(c, lang)))
            .map(|path| fields::woo_join(&[path]))
            .unwrap_or_default();
        let title = p.title.in_lang(lang);
        let mut record = vec![String::new(); header.len()];
        let mut set = |record: &mut Vec<String>, name: &str, value: String| {
            if let Some(i) = position(name) {
                if let Some(cell) = record.get_mut(i) {
                    *cell = value;
                }
            }
        };
        set(&mut record, NAME, title.to_string());
        set(&mut record, PUBLISHED, published_text(p.status).to_string());
        set(&mut record, "Is featured?", "0".to_string());
        set(&mut record, "Visibility in catalog", "visible".to_string());
        set(
            &mut record,
            DESCRIPTION,
            fields::woo_escape_description(p.description.in_lang(lang)),
        );
        set(&mut record, CATEGORIES, category);
        set(&mut record, TAGS, fields::woo_join(&p.tags));
        match (simple, p.variants.first()) {
            (true, Some(v)) => {
                set(&mut record, TYPE, "simple".to_string());
                variant_cells(&mut record, &mut set, v);
                out.write_record(&record).map_err(write_error)?;
            }
            _ => {
                set(&mut record, TYPE, "variable".to_string());
                set(&mut record, SKU, p.handle.clone());
                set(&mut record, TAX_STATUS, "taxable".to_string());
                set(&mut record, "In stock?", "1".to_string());
                for (k, name) in p.options.iter().enumerate() {
                    let mut values: Vec<&str> = Vec::new();
                    for v in &p.variants {
                        let value = v.options.get(k).map_or("", String::as_str);
                        if !values.contains(&value) {
                            values.push(value);
                        }
                    }
                    attribute_cells(
                        &mut record,
                        &mut set,
                        k + 1,
                        name.in_lang(lang),
                        fields::woo_join(&values),
                        "1",
                    );
                }
                out.write_record(&record).map_err(write_error)?;
                for v in &p.variants {
                    out.write_record(variation_record(&header, p, v, lang, &mut set))
                        .map_err(write_error)?;
                }
            }
        }
    }
    out.into_inner()
        .map_err(|e| Error::Corrupt(format!("writing the CSV file: {e}")))
}

fn variation_record(
    header: &[String],
    p: &StoredProduct,
    v: &StoredVariant,
    lang: Language,
    set: &mut impl FnMut(&mut Vec<String>, &str, String),
) -> Vec<String> {
    let mut record = vec![String::new(); header.len()];
    set(&mut record, TYPE, "variation".to_string());
    let values = v.options.join(", ");
    let name = if values.is_empty() {
        p.title.in_lang(lang).to_string()
    } else {
        format!("{} - {values}", p.title.in_lang(lang))
    };
    set(&mut record, NAME, name);
    let published = if p.status == ProductStatus::Draft {
        "-1"
    } else {
        "1"
    };
    set(&mut record, PUBLISHED, published.to_string());
    set(&mut record, "Is featured?", "0".to_string());
    set(&mut record, "Visibility in catalog", "visible".to_string());
    set(&mut record, PARENT, p.handle.clone());
    variant_cells(&mut record, set, v);
    for (k, name) in p.options.iter().enumerate() {
        let value = v.options.get(k).cloned().unwrap_or_default();
        attribute_cells(
            &mut record,
            set,
            k + 1,
            name.in_lang(lang),
            value.replace(',', "\\,"),
            "",
        );
    }
    record
}

fn variant_cells(
    record: &mut Vec<String>,
    set: &mut impl FnMut(&mut Vec<String>, &str, String),
    v: &StoredVariant,
) {
    set(record, SKU, v.sku.clone());
    set(record, GTIN, v.gtin.clone().unwrap_or_default());
    set(record, TAX_STATUS, "taxable".to_string());
    set(record, TAX_CLASS, tax_class_text(v.vat).to_string());
    let in_stock = v.stock.is_none_or(|q| q > 0);
    set(
        record,
        "In stock?",
        if in_stock { "1" } else { "0" }.to_string(),
    );
    set(
        record,
        STOCK,
        v.stock.map(|q| q.to_string()).unwrap_or_default(),
    );
    set(
        record,
        "Weight (kg)",
        v.weight_grams
            .map(fields::kilograms_text)
            .unwrap_or_default(),
    );
    match v.compare_at {
        Some(regular) if regular > v.price => {
            set(record, SALE_PRICE, fields::amount_text(v.price));
            set(record, REGULAR_PRICE, fields::amount_text(regular));
        }
        _ => set(record, REGULAR_PRICE, fields::amount_text(v.price)),
    }
}

fn attribute_cells(
    record: &mut Vec<String>,
    set: &mut impl FnMut(&mut Vec<String>, &str, String),
    n: usize,
    name: &str,
    values: String,
    visible: &str,
) {
    set(record, &format!("Attribute {n} name"), name.to_string());
    set(record, &format!("Attribute {n} value(s)"), values);
    set(
        record,
        &format!("Attribute {n} visible"),
        visible.to_string(),
    );
    set(record, &format!("Attribute {n} global"), "0".to_string());
}
