//! The catalog as the CSV formats see it: read in one transaction, so an export is one snapshot
//! and an import compares the file with exactly what it is about to change.
//!
//! A CSV file has one language. Kanaal keeps titles, descriptions, option and category names in
//! Dutch and English; the file's language is the shop's language setting (Dutch when unset),
//! and an export falls back to the other language where a text is missing.

use crate::catalog::ProductStatus;
use crate::ids::{CategoryId, LocationId, ProductId, VariantId};
use crate::settings::{self, Language};
use crate::vat::VatRate;
use crate::{Error, Result};
use rusqlite::Transaction;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

/// A text in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Texts {
    pub nl: String,
    pub en: String,
}

impl Texts {
    /// The text in `lang`, or in the other language when it has none.
    pub fn in_lang(&self, lang: Language) -> &str {
        let (first, other) = match lang {
            Language::Nl => (&self.nl, &self.en),
            Language::En => (&self.en, &self.nl),
        };
        if first.is_empty() {
            other
        } else {
            first
        }
    }

    /// The stored text in `lang` exactly, without falling back.
    pub fn exact(&self, lang: Language) -> &str {
        match lang {
            Language::Nl => &self.nl,
            Language::En => &self.en,
        }
    }

    pub fn other(&self, lang: Language) -> &str {
        match lang {
            Language::Nl => &self.en,
            Language::En => &self.nl,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredProduct {
    pub id: ProductId,
    pub handle: String,
    pub title: Texts,
    pub description: Texts,
    pub brand: String,
    pub category: Option<CategoryId>,
    pub status: ProductStatus,
    pub tags: Vec<String>,
    pub options: Vec<Texts>,
    pub variants: Vec<StoredVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredVariant {
    pub id: VariantId,
    pub position: i64,
    pub sku: String,
    pub gtin: Option<String>,
    pub options: Vec<String>,
    pub price: Decimal,
    pub compare_at: Option<Decimal>,
    pub cost: Option<Decimal>,
    pub currency: String,
    pub vat: VatRate,
    pub weight_grams: Option<i64>,
    /// Quantity at the import location; `None` when the variant has no stock row there.
    pub stock: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredCategory {
    pub parent: Option<CategoryId>,
    pub name: Texts,
}

/// The whole catalog, with the look-ups an import needs.
#[derive(Debug, Clone)]
pub(crate) struct Catalog {
    pub language: Language,
    pub products: Vec<StoredProduct>,
    pub categories: HashMap<CategoryId, StoredCategory>,
    /// Where CSV stock quantities are read from and written to: the first location created.
    /// CSV files carry one quantity per variant (Shopify's single-location column).
    pub location: Option<LocationId>,
    pub by_handle: HashMap<String, usize>,
    /// SKU to (product index, variant index).
    pub by_sku: HashMap<String, (usize, usize)>,
    /// GTIN to SKU.
    pub by_gtin: HashMap<String, String>,
}

impl Catalog {
    /// The category's names from the top of the tree down, in `lang` (falling back).
    pub fn category_path(&self, id: CategoryId, lang: Language) -> Vec<String> {
        let mut path = Vec::new();
        let mut next = Some(id);
        // The tree is finite; the bound guards against a cycle in an edited file.
        while let Some(c) = next.and_then(|id| self.categories.get(&id)) {
            path.push(c.name.in_lang(lang).to_string());
            next = c.parent;
            if path.len() > self.categories.len() {
                break;
            }
        }
        path.reverse();
        path
    }
}

/// Reads the catalog. Products come in handle order so an export is stable.
pub(crate) fn load(tx: &Transaction<'_>) -> Result<Catalog> {
    let language = settings::language(tx)?.unwrap_or(Language::Nl);
    let location: Option<LocationId> = tx
        .query_row("SELECT min(id) FROM locations", [], |r| r.get(0))
        .map_err(Error::from)?;

    let mut categories = HashMap::new();
    {
        let mut stmt = tx.prepare("SELECT id, parent_id, name_nl, name_en FROM categories")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            categories.insert(
                r.get::<_, CategoryId>(0)?,
                StoredCategory {
                    parent: r.get(1)?,
                    name: Texts {
                        nl: r.get(2)?,
                        en: r.get(3)?,
                    },
                },
            );
        }
    }

    let mut products = Vec::new();
    let mut index: HashMap<ProductId, usize> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT id, handle, title_nl, title_en, description_nl, description_en, brand,
                    category_id, status, tags
               FROM products ORDER BY handle",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: ProductId = r.get(0)?;
            let status_text: String = r.get(8)?;
            let tags_text: String = r.get(9)?;
            let tags: Vec<String> = serde_json::from_str(&tags_text)
                .map_err(|e| Error::Corrupt(format!("tags of product {id}: {e}")))?;
            index.insert(id, products.len());
            products.push(StoredProduct {
                id,
                handle: r.get(1)?,
                title: Texts {
                    nl: r.get(2)?,
                    en: r.get(3)?,
                },
                description: Texts {
                    nl: r.get(4)?,
                    en: r.get(5)?,
                },
                brand: r.get(6)?,
                category: r.get(7)?,
                status: ProductStatus::from_str(&status_text).map_err(Error::Corrupt)?,
                tags,
                options: Vec::new(),
                variants: Vec::new(),
            });
        }
    }
    {
        let mut stmt = tx.prepare(
            "SELECT product_id, name_nl, name_en FROM product_options ORDER BY product_id, position",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let pid: ProductId = r.get(0)?;
            if let Some(p) = index.get(&pid).and_then(|i| products.get_mut(*i)) {
                p.options.push(Texts {
                    nl: r.get(1)?,
                    en: r.get(2)?,
                });
            }
        }
    }
    {
        let mut stmt = tx.prepare(
            "SELECT v.product_id, v.id, v.position, v.sku, v.gtin, v.options, v.price,
                    v.compare_at_price, v.cost, v.currency, v.vat_rate, v.weight_grams,
                    (SELECT s.quantity FROM stock s WHERE s.variant_id = v.id AND s.location_id = ?1)
               FROM variants v ORDER BY v.product_id, v.position, v.id",
        )?;
        let mut rows = stmt.query([location])?;
        while let Some(r) = rows.next()? {
            let pid: ProductId = r.get(0)?;
            let id: VariantId = r.get(1)?;
            let options_text: String = r.get(5)?;
            let vat_text: String = r.get(10)?;
            let variant = StoredVariant {
                id,
                position: r.get(2)?,
                sku: r.get(3)?,
                gtin: r.get(4)?,
                options: serde_json::from_str(&options_text)
                    .map_err(|e| Error::Corrupt(format!("options of variant {id}: {e}")))?,
                price: decimal(&r.get::<_, String>(6)?, id)?,
                compare_at: r
                    .get::<_, Option<String>>(7)?
                    .map(|t| decimal(&t, id))
                    .transpose()?,
                cost: r
                    .get::<_, Option<String>>(8)?
                    .map(|t| decimal(&t, id))
                    .transpose()?,
                currency: r.get(9)?,
                vat: VatRate::from_str(&vat_text).map_err(Error::Corrupt)?,
                weight_grams: r.get(11)?,
                stock: r.get(12)?,
            };
            if let Some(p) = index.get(&pid).and_then(|i| products.get_mut(*i)) {
                p.variants.push(variant);
            }
        }
    }

    let mut by_handle = HashMap::new();
    let mut by_sku = HashMap::new();
    let mut by_gtin = HashMap::new();
    for (pi, p) in products.iter().enumerate() {
        by_handle.insert(p.handle.clone(), pi);
        for (vi, v) in p.variants.iter().enumerate() {
            by_sku.insert(v.sku.clone(), (pi, vi));
            if let Some(g) = &v.gtin {
                by_gtin.insert(g.clone(), v.sku.clone());
            }
        }
    }
    Ok(Catalog {
        language,
        products,
        categories,
        location,
        by_handle,
        by_sku,
        by_gtin,
    })
}

fn decimal(text: &str, variant: VariantId) -> Result<Decimal> {
    Decimal::from_str(text)
        .map_err(|_| Error::Corrupt(format!("amount '{text}' of variant {variant}")))
}
