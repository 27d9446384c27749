//! The demo shop: a believable Dutch merchant generated from a seed, so that a newcomer sees
//! every page work without an account anywhere. Loading it is one transaction: cancelled or
//! failed, it leaves the data folder as it was (image files written before a cancel are
//! content-addressed and harmless; they are reused by the next load).

pub mod art;
pub mod reviews;
pub mod shop;

use crate::catalog::{self, NewCategory, NewImage, NewProduct, NewVariant, ProductStatus, Source};
use crate::catalog::{StockLevel, VariantPrices};
use crate::clock::Clock;
use crate::progress::{CancelToken, Progress, ProgressStep};
use crate::store::Store;
use crate::{images, settings, Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The seed `kanaal demo` and the app use unless told otherwise.
pub const DEFAULT_SEED: u64 = 20_261_123;

/// What the demo load put in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DemoSummary {
    pub shop_name: String,
    pub products: u32,
    pub variants: u32,
    pub images: u32,
    pub locations: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub stock_units: i64,
}

/// A variant the shop sells, as a platform's customers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellableVariant {
    pub sku: String,
    pub ean: String,
    /// The product's title in Dutch, with the variant's option values.
    pub title: String,
    /// The catalog price incl. VAT, EUR.
    pub price: rust_decimal::Decimal,
}

/// The active variants with an EAN, in catalog order: what the demo's platform sandboxes let
/// their customers buy, so that the orders that arrive are for products the shop has.
pub fn sellable_variants(store: &Store) -> Result<Vec<SellableVariant>> {
    store.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT v.sku, v.gtin, p.title_nl, v.options, v.price
               FROM variants v JOIN products p ON p.id = v.product_id
              WHERE p.status = 'active' AND v.gtin IS NOT NULL
              ORDER BY p.id, v.position",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(sku, ean, title, options, price)| {
                let values: Vec<String> = serde_json::from_str(&options).unwrap_or_default();
                let title = if values.is_empty() {
                    title
                } else {
                    format!("{title} ({})", values.join(", "))
                };
                let price = price
                    .parse()
                    .map_err(|_| Error::Corrupt(format!("the price of {sku}")))?;
                Ok(SellableVariant {
                    sku,
                    ean,
                    title,
                    price,
                })
            })
            .collect()
    })
}

/// `true` when the catalog has no products (the app then offers the demo).
pub fn catalog_is_empty(store: &Store) -> Result<bool> {
    store.read(catalog::query::is_empty)
}

/// Loads the demo shop into an empty data folder.
pub fn load(
    store: &Store,
    clock: &dyn Clock,
    seed: u64,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<DemoSummary> {
    let products = shop::generate(seed);
    let now = clock.now();
    let total = products.len() as u64;
    store.write(|tx| {
        let existing: i64 = tx.query_row("SELECT count(*) FROM products", [], |r| r.get(0))?;
        if existing > 0 {
            return Err(Error::CatalogNotEmpty { products: existing });
        }
        settings::set_shop_name(tx, shop::SHOP_NAME)?;

        let mut locations = Vec::new();
        for (code, name) in shop::LOCATIONS {
            locations.push(catalog::add_location(tx, code, name)?);
        }
        let mut categories = HashMap::new();
        for (pos, (key, parent, nl, en)) in shop::CATEGORIES.iter().enumerate() {
            let parent = parent.and_then(|p| categories.get(p).copied());
            let id = catalog::add_category(
                tx,
                &NewCategory {
                    parent,
                    name_nl: nl.to_string(),
                    name_en: en.to_string(),
                },
                pos as i64,
            )?;
            categories.insert(*key, id);
        }

        let mut summary = DemoSummary {
            shop_name: shop::SHOP_NAME.to_string(),
            products: 0,
            variants: 0,
            images: 0,
            locations: locations.len() as u32,
            stock_units: 0,
        };
        for (i, p) in products.iter().enumerate() {
            cancel.check()?;
            progress.report(ProgressStep {
                stage: "products".to_string(),
                done: i as u64,
                total,
            });
            let hash = images::put(
                tx,
                store.dir(),
                p.svg.as_bytes(),
                "image/svg+xml",
                Some((240, 240)),
                now,
            )?;
            summary.images += 1;
            let new = NewProduct {
                handle: p.handle.clone(),
                title_nl: p.title_nl.clone(),
                title_en: p.title_en.clone(),
                description_nl: p.description_nl.clone(),
                description_en: p.description_en.clone(),
                brand: p.brand.clone(),
                category: categories.get(p.category).copied(),
                status: if p.active {
                    ProductStatus::Active
                } else {
                    ProductStatus::Draft
                },
                tags: p.tags.clone(),
                options: p.options.clone(),
                variants: p
                    .variants
                    .iter()
                    .map(|v| NewVariant {
                        sku: v.sku.clone(),
                        gtin: v.gtin.clone(),
                        options: v.options.clone(),
                        prices: VariantPrices {
                            price: v.price,
                            compare_at: v.compare_at,
                            cost: v.cost,
                            vat: v.vat,
                        },
                        weight_grams: v.weight_grams,
                        stock: locations
                            .iter()
                            .zip(v.stock)
                            .map(|(l, q)| StockLevel {
                                location: *l,
                                quantity: q,
                            })
                            .collect(),
                    })
                    .collect(),
                images: vec![NewImage {
                    hash,
                    alt_nl: p.alt_nl.clone(),
                    alt_en: p.alt_en.clone(),
                }],
            };
            catalog::insert_product(tx, &new, now, Source::Demo)?;
            summary.products += 1;
            summary.variants += p.variants.len() as u32;
            summary.stock_units += p.variants.iter().flat_map(|v| v.stock).sum::<i64>();
        }
        cancel.check()?;
        progress.report(ProgressStep {
            stage: "products".to_string(),
            done: total,
            total,
        });
        Ok(summary)
    })
}
