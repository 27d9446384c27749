//! One product in full, for the editor, and its history. Values come as stored (decimal text,
//! JSON for tags and pictures), so an edit can say exactly what it saw (see
//! [`super::edit::Change::old`]).

use super::edit::{self, Field, Target};
use super::query::{variants, VariantRow};
use super::ProductStatus;
use crate::ids::{CategoryId, ProductId};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The name of one of a product's options (Gewicht / Weight), in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OptionName {
    pub name_nl: String,
    pub name_en: String,
}

/// One picture of a product with what the editor shows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Picture {
    pub hash: String,
    /// The small copy to show in lists, when there is one.
    pub thumb: Option<String>,
    pub alt_nl: String,
    pub alt_en: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Everything the product editor shows and edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProductDetail {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: ProductId,
    pub handle: String,
    pub title_nl: String,
    pub title_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub brand: String,
    pub status: ProductStatus,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub category: Option<CategoryId>,
    pub tags: Vec<String>,
    /// The tags exactly as stored (JSON), the `old` of a tags edit.
    pub tags_stored: String,
    pub options: Vec<OptionName>,
    pub pictures: Vec<Picture>,
    /// The picture list exactly as stored (JSON), the `old` of a pictures edit.
    pub pictures_stored: String,
    pub variants: Vec<VariantRow>,
    pub updated_at: String,
}

/// The product with `id`, in full.
pub fn product_detail(tx: &Transaction<'_>, id: ProductId) -> Result<ProductDetail> {
    let row = tx
        .query_row(
            "SELECT handle, title_nl, title_en, description_nl, description_en, brand, status,
                    category_id, tags, updated_at
               FROM products WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<CategoryId>>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, String>(9)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("product {id}")))?;
    let (handle, title_nl, title_en, description_nl, description_en, brand, status, category) =
        (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
    let (tags_stored, updated_at) = (row.8, row.9);
    let status = ProductStatus::from_str(&status).map_err(Error::Corrupt)?;
    let tags: Vec<String> = serde_json::from_str(&tags_stored)
        .map_err(|_| Error::Corrupt(format!("tags of product {id}")))?;
    let options = tx
        .prepare_cached(
            "SELECT name_nl, name_en FROM product_options WHERE product_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(OptionName {
                name_nl: r.get(0)?,
                name_en: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let pictures = tx
        .prepare_cached(
            "SELECT i.image_hash, m.thumb_hash, i.alt_nl, i.alt_en, m.width, m.height
               FROM product_images i JOIN images m ON m.hash = i.image_hash
              WHERE i.product_id = ?1 ORDER BY i.position",
        )?
        .query_map([id], |r| {
            Ok(Picture {
                hash: r.get(0)?,
                thumb: r.get(1)?,
                alt_nl: r.get(2)?,
                alt_en: r.get(3)?,
                width: r.get(4)?,
                height: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let pictures_stored =
        edit::current(tx, Target::Product(id), Field::Images)?.unwrap_or_else(|| "[]".into());
    Ok(ProductDetail {
        id,
        handle,
        title_nl,
        title_en,
        description_nl,
        description_en,
        brand,
        status,
        category,
        tags,
        tags_stored,
        options,
        pictures,
        pictures_stored,
        variants: variants(tx, id)?,
        updated_at,
    })
}

/// One recorded change of a product or one of its variants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// RFC 3339, UTC.
    pub at: String,
    /// Who made it: `ui`, `import`, `cli`, `demo`, `sync`, `undo`, `redo`.
    pub source: String,
    /// The edit it was part of ("Price +10 %", "Import shopify.csv"), when known.
    pub batch: Option<String>,
    /// `product`, `variant` or `stock`.
    pub entity: String,
    /// The variant's SKU for a variant or stock change.
    pub sku: Option<String>,
    /// The field as the audit log names it (`price`, `title_nl`, `quantity@1`, `created`).
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The most recent changes of a product and its variants, newest first.
pub fn product_history(
    tx: &Transaction<'_>,
    id: ProductId,
    limit: u32,
) -> Result<Vec<HistoryEntry>> {
    let mut stmt = tx.prepare_cached(
        "SELECT a.at, a.source, b.label, a.entity, v.sku, a.field, a.old_value, a.new_value
           FROM audit_log a
           LEFT JOIN edit_batches b ON b.id = a.batch_id
           LEFT JOIN variants v ON a.entity IN ('variant', 'stock') AND v.id = a.entity_id
          WHERE (a.entity = 'product' AND a.entity_id = ?1)
             OR (a.entity IN ('variant', 'stock')
                 AND a.entity_id IN (SELECT id FROM variants WHERE product_id = ?1))
          ORDER BY a.id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![id, limit], |r| {
            Ok(HistoryEntry {
                at: r.get(0)?,
                source: r.get(1)?,
                batch: r.get(2)?,
                entity: r.get(3)?,
                sku: r.get(4)?,
                field: r.get(5)?,
                old: r.get(6)?,
                new: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
