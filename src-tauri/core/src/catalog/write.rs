//! Writing to the catalog. Each function runs inside the caller's transaction, validates before
//! it writes, and records an audit row, so an import of a thousand products is one transaction
//! that either lands whole or not at all.

use super::edit::Field;
use super::{gtin, NewCategory, ProductStatus, Source, StockLevel, VariantPrices};
use crate::ids::{CategoryId, LocationId, ProductId, VariantId};
use crate::problem::InputProblem;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};

/// A product to create, with everything that belongs to it.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub handle: String,
    pub title_nl: String,
    pub title_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub brand: String,
    pub category: Option<CategoryId>,
    pub status: ProductStatus,
    pub tags: Vec<String>,
    /// Option names (Dutch, English), in order; each variant has one value per option.
    pub options: Vec<(String, String)>,
    pub variants: Vec<NewVariant>,
    pub images: Vec<NewImage>,
}

/// A variant to create.
#[derive(Debug, Clone)]
pub struct NewVariant {
    pub sku: String,
    pub gtin: Option<String>,
    pub options: Vec<String>,
    pub prices: VariantPrices,
    pub weight_grams: Option<i64>,
    pub stock: Vec<StockLevel>,
}

/// An already stored image (see [`crate::images`]) to attach to a product.
#[derive(Debug, Clone)]
pub struct NewImage {
    pub hash: String,
    pub alt_nl: String,
    pub alt_en: String,
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Checks a product before anything is written; the message names the field and what to do.
pub fn validate(p: &NewProduct) -> Result<()> {
    let refuse = |problem: InputProblem| Err(Error::Input(problem));
    let handle = || p.handle.clone();
    if p.handle.trim().is_empty() {
        return refuse(InputProblem::NoHandle);
    }
    if p.title_nl.trim().is_empty() && p.title_en.trim().is_empty() {
        return refuse(InputProblem::NoTitle { handle: handle() });
    }
    if p.variants.is_empty() {
        return refuse(InputProblem::NoVariant { handle: handle() });
    }
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    for (i, v) in p.variants.iter().enumerate() {
        let variant = count(i + 1);
        if v.sku.trim().is_empty() {
            return refuse(InputProblem::NoSku {
                handle: handle(),
                variant,
            });
        }
        if v.options.len() != p.options.len() {
            return refuse(InputProblem::OptionValues {
                handle: handle(),
                variant,
                values: count(v.options.len()),
                options: count(p.options.len()),
            });
        }
        if let Some(problem) = v.gtin.as_deref().and_then(gtin::problem) {
            return refuse(problem);
        }
        if v.prices.price.amount.is_sign_negative() {
            return refuse(InputProblem::BelowZero {
                field: Field::Price,
            });
        }
        let currency = v.prices.price.currency;
        let others = [v.prices.compare_at, v.prices.cost];
        if others.iter().flatten().any(|m| m.currency != currency) {
            return refuse(InputProblem::MixedCurrencies {
                handle: handle(),
                variant,
            });
        }
    }
    Ok(())
}

/// Creates a category and returns its id.
pub fn add_category(tx: &Transaction<'_>, c: &NewCategory, position: i64) -> Result<CategoryId> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO categories (parent_id, name_nl, name_en, position) VALUES (?1, ?2, ?3, ?4)",
    )?;
    stmt.execute(params![c.parent, c.name_nl, c.name_en, position])?;
    Ok(CategoryId(tx.last_insert_rowid()))
}

/// Creates a stock location and returns its id.
pub fn add_location(tx: &Transaction<'_>, code: &str, name: &str) -> Result<LocationId> {
    let mut stmt = tx.prepare_cached("INSERT INTO locations (code, name) VALUES (?1, ?2)")?;
    stmt.execute(params![code, name])?;
    Ok(LocationId(tx.last_insert_rowid()))
}

/// Creates a product with its options, variants, stock and images, and audits the creation.
pub fn insert_product(
    tx: &Transaction<'_>,
    p: &NewProduct,
    now: DateTime<Utc>,
    source: Source,
) -> Result<ProductId> {
    insert_product_in_batch(tx, p, now, source, None)
}

/// [`insert_product`], with the creation's audit row under `batch` (an import's batch id), so
/// the caller need not find and update it afterwards.
pub(crate) fn insert_product_in_batch(
    tx: &Transaction<'_>,
    p: &NewProduct,
    now: DateTime<Utc>,
    source: Source,
    batch: Option<&str>,
) -> Result<ProductId> {
    validate(p)?;
    let now_text = ts(now);
    let tags = serde_json::to_string(&p.tags).map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO products (handle, title_nl, title_en, description_nl, description_en, brand,
                               category_id, status, tags, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?;
    let inserted = stmt.execute(params![
        p.handle,
        p.title_nl,
        p.title_en,
        p.description_nl,
        p.description_en,
        p.brand,
        p.category,
        p.status.code(),
        tags,
        now_text
    ]);
    if let Err(rusqlite::Error::SqliteFailure(e, _)) = &inserted {
        if e.code == rusqlite::ErrorCode::ConstraintViolation {
            return Err(Error::Input(InputProblem::HandleTaken {
                handle: p.handle.clone(),
            }));
        }
    }
    inserted?;
    let product = ProductId(tx.last_insert_rowid());

    for (pos, (nl, en)) in p.options.iter().enumerate() {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO product_options (product_id, position, name_nl, name_en) VALUES (?1, ?2, ?3, ?4)",
        )?;
        stmt.execute(params![product, pos as i64, nl, en])?;
    }
    for (pos, v) in p.variants.iter().enumerate() {
        insert_variant(tx, product, pos as i64, v, &now_text).map_err(|e| match e {
            Error::Database(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Error::Input(InputProblem::SkuOrEanInUse {
                    handle: p.handle.clone(),
                    variant: u32::try_from(pos + 1).unwrap_or(u32::MAX),
                    sku: v.sku.clone(),
                })
            }
            other => other,
        })?;
    }
    for (pos, img) in p.images.iter().enumerate() {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO product_images (product_id, position, image_hash, alt_nl, alt_en)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        stmt.execute(params![
            product, pos as i64, img.hash, img.alt_nl, img.alt_en
        ])?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
         VALUES (?1, ?2, ?3, 'product', ?4, 'created', NULL, ?5)",
    )?;
    stmt.execute(params![now_text, source.code(), batch, product, p.handle])?;
    Ok(product)
}

/// Adds one variant (with its stock) to an existing product; validation is the caller's.
pub(crate) fn insert_variant(
    tx: &Transaction<'_>,
    product: ProductId,
    position: i64,
    v: &NewVariant,
    now: &str,
) -> Result<VariantId> {
    let options = serde_json::to_string(&v.options).map_err(|e| Error::Corrupt(e.to_string()))?;
    let pr = &v.prices;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO variants (product_id, position, sku, gtin, options, price, compare_at_price,
                               cost, currency, vat_rate, weight_grams, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?;
    stmt.execute(params![
        product,
        position,
        v.sku,
        v.gtin,
        options,
        pr.price.amount_text(),
        pr.compare_at.map(|m| m.amount_text()),
        pr.cost.map(|m| m.amount_text()),
        pr.price.currency.as_str(),
        pr.vat.code(),
        v.weight_grams,
        now
    ])?;
    let variant = VariantId(tx.last_insert_rowid());
    for s in &v.stock {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO stock (variant_id, location_id, quantity, updated_at) VALUES (?1, ?2, ?3, ?4)",
        )?;
        stmt.execute(params![variant, s.location, s.quantity, now])?;
    }
    Ok(variant)
}
