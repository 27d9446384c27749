//! One product in full, for the editor, and its history. Values come as stored (decimal text,
//! JSON for tags and pictures), so an edit can say exactly what it saw (see
//! [`super::edit::Change::old`]).

use super::edit::ImageRef;
use super::query::{variants, VariantRow};
use super::ProductStatus;
use crate::ids::{CategoryId, ProductId};
use crate::{Error, Result};
use rusqlite::types::Type;
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
    let mut detail = tx
        .query_row(
            "SELECT handle, title_nl, title_en, description_nl, description_en, brand, status,
                    category_id, tags, updated_at
               FROM products WHERE id = ?1",
            [id],
            |r| {
                let status: String = r.get(6)?;
                Ok(ProductDetail {
                    id,
                    handle: r.get(0)?,
                    title_nl: r.get(1)?,
                    title_en: r.get(2)?,
                    description_nl: r.get(3)?,
                    description_en: r.get(4)?,
                    brand: r.get(5)?,
                    // A status this version does not know is damaged data, not a draft.
                    status: ProductStatus::from_str(&status).map_err(|m| {
                        rusqlite::Error::FromSqlConversionFailure(6, Type::Text, m.into())
                    })?,
                    category: r.get(7)?,
                    tags: Vec::new(),
                    tags_stored: r.get(8)?,
                    options: Vec::new(),
                    pictures: Vec::new(),
                    pictures_stored: String::new(),
                    variants: Vec::new(),
                    updated_at: r.get(9)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("product {id}")))?;
    detail.tags = serde_json::from_str(&detail.tags_stored)
        .map_err(|_| Error::Corrupt(format!("tags of product {id}")))?;
    detail.options = tx
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
    detail.pictures = tx
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
    // The picture list as the pictures field stores it (what `edit::current` would read again).
    let refs: Vec<ImageRef> = detail
        .pictures
        .iter()
        .map(|p| ImageRef {
            hash: p.hash.clone(),
            alt_nl: p.alt_nl.clone(),
            alt_en: p.alt_en.clone(),
        })
        .collect();
    detail.pictures_stored =
        serde_json::to_string(&refs).map_err(|e| Error::Corrupt(e.to_string()))?;
    detail.variants = variants(tx, id)?;
    Ok(detail)
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
