//! Reading the catalog for lists and pages. Prices are compared as decimals in Rust, never as
//! text or floats in SQL (TEXT '9.50' sorts after '12.00').

use super::ProductStatus;
use crate::ids::ProductId;
use crate::money::{Currency, Money};
use crate::settings::Language;
use crate::{Error, Result};
use rusqlite::types::{Type, Value};
use rusqlite::{params_from_iter, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;

/// What part of the catalog to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProductQuery {
    /// Words that must all appear in the title (Dutch or English), handle or a SKU/EAN.
    pub search: Option<String>,
    pub status: Option<ProductStatus>,
    /// The language whose titles the list is sorted by (Dutch when not given).
    pub language: Option<Language>,
    pub offset: u32,
    pub limit: u32,
}

/// One product as the catalog list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProductRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: ProductId,
    pub handle: String,
    pub title_nl: String,
    pub title_en: String,
    pub category_nl: Option<String>,
    pub category_en: Option<String>,
    pub status: ProductStatus,
    pub variant_count: u32,
    pub price_min: Option<Money>,
    pub price_max: Option<Money>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub stock_total: i64,
    pub image_hash: Option<String>,
    pub skus: Vec<String>,
}

/// A page of the product list and the number of products that match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProductPage {
    pub total: u32,
    pub rows: Vec<ProductRow>,
}

/// `true` when the catalog has no products (the app then offers the demo shop).
pub fn is_empty(tx: &Transaction<'_>) -> Result<bool> {
    Ok(
        tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM products)", [], |r| {
            r.get(0)
        })?,
    )
}

/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 1000;

/// Lists products matching `q`, ordered by title.
pub fn list_products(tx: &Transaction<'_>, q: &ProductQuery) -> Result<ProductPage> {
    let mut conditions: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(status) = q.status {
        args.push(Value::Text(status.code().to_string()));
        conditions.push(format!("p.status = ?{}", args.len()));
    }
    for word in q.search.as_deref().unwrap_or("").split_whitespace() {
        let escaped = word
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        args.push(Value::Text(format!("%{escaped}%")));
        let n = args.len();
        conditions.push(format!(
            "(lower(p.title_nl) LIKE ?{n} ESCAPE '\\' OR lower(p.title_en) LIKE ?{n} ESCAPE '\\'
              OR p.handle LIKE ?{n} ESCAPE '\\'
              OR EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id
                         AND (lower(v.sku) LIKE ?{n} ESCAPE '\\' OR v.gtin LIKE ?{n} ESCAPE '\\')))"
        ));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };

    let total: u32 = tx.query_row(
        &format!("SELECT count(*) FROM products p {filter}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;

    let limit = q.limit.clamp(1, MAX_PAGE);
    let mut page_args = args.clone();
    page_args.push(Value::Integer(i64::from(limit)));
    page_args.push(Value::Integer(i64::from(q.offset)));
    let (nl, off) = (page_args.len() - 1, page_args.len());
    let title = match q.language {
        Some(Language::En) => "p.title_en",
        _ => "p.title_nl",
    };
    let sql = format!(
        "SELECT p.id, p.handle, p.title_nl, p.title_en, c.name_nl, c.name_en, p.status,
                (SELECT coalesce(sum(s.quantity), 0) FROM stock s JOIN variants v ON v.id = s.variant_id
                  WHERE v.product_id = p.id),
                (SELECT image_hash FROM product_images i WHERE i.product_id = p.id
                  ORDER BY i.position LIMIT 1)
           FROM products p LEFT JOIN categories c ON c.id = p.category_id
           {filter}
          ORDER BY {title} COLLATE NOCASE, p.id
          LIMIT ?{nl} OFFSET ?{off}"
    );
    let mut stmt = tx.prepare(&sql)?;
    let mut rows = stmt
        .query_map(params_from_iter(page_args.iter()), |r| {
            Ok(ProductRow {
                id: r.get(0)?,
                handle: r.get(1)?,
                title_nl: r.get(2)?,
                title_en: r.get(3)?,
                category_nl: r.get(4)?,
                category_en: r.get(5)?,
                // A status this version does not know is damaged data, not a draft.
                status: ProductStatus::from_str(&r.get::<_, String>(6)?).map_err(|m| {
                    rusqlite::Error::FromSqlConversionFailure(6, Type::Text, m.into())
                })?,
                variant_count: 0,
                price_min: None,
                price_max: None,
                stock_total: r.get(7)?,
                image_hash: r.get(8)?,
                skus: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    fill_variant_facts(tx, &mut rows)?;
    Ok(ProductPage { total, rows })
}

/// Adds variant count, price range and SKUs to a page of rows, with one query for the page.
fn fill_variant_facts(tx: &Transaction<'_>, rows: &mut [ProductRow]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let placeholders = vec!["?"; rows.len()].join(",");
    let mut stmt = tx.prepare(&format!(
        "SELECT product_id, sku, price, currency FROM variants
          WHERE product_id IN ({placeholders}) ORDER BY product_id, position"
    ))?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id.0).collect();
    let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut q = stmt.query(params_from_iter(ids.iter()))?;
    while let Some(r) = q.next()? {
        let pid: i64 = r.get(0)?;
        let Some(row) = index.get(&pid).and_then(|i| rows.get_mut(*i)) else {
            continue;
        };
        let price_text: String = r.get(2)?;
        let currency_text: String = r.get(3)?;
        let price = Money::new(
            Decimal::from_str(&price_text)
                .map_err(|_| Error::Corrupt(format!("price '{price_text}' of product {pid}")))?,
            Currency::from_str(&currency_text).map_err(|e| Error::Corrupt(e.to_string()))?,
        );
        row.variant_count += 1;
        row.skus.push(r.get(1)?);
        if row.price_min.is_none_or(|m| price.amount < m.amount) {
            row.price_min = Some(price);
        }
        if row.price_max.is_none_or(|m| price.amount > m.amount) {
            row.price_max = Some(price);
        }
    }
    Ok(())
}

/// Stock of a variant at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct StockAt {
    pub location: crate::ids::LocationId,
    pub location_name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub quantity: i64,
}

/// One variant with the values the grid edits, exactly as stored (so an edit can say what it
/// saw: see [`crate::catalog::edit::Change::old`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VariantRow {
    pub id: crate::ids::VariantId,
    pub sku: String,
    pub gtin: Option<String>,
    pub options: Vec<String>,
    /// Decimal text, incl. VAT.
    pub price: String,
    pub compare_at_price: Option<String>,
    pub cost: Option<String>,
    pub currency: String,
    /// Every stock location, with 0 where the variant has no stock row.
    pub stock: Vec<StockAt>,
}

/// The variants of a product, in order, with stock at every location.
pub fn variants(tx: &Transaction<'_>, product: ProductId) -> Result<Vec<VariantRow>> {
    let mut stmt = tx.prepare(
        "SELECT id, sku, gtin, options, price, compare_at_price, cost, currency
           FROM variants WHERE product_id = ?1 ORDER BY position",
    )?;
    let mut stock = tx.prepare(
        "SELECT l.id, l.name, coalesce(s.quantity, 0) FROM locations l
           LEFT JOIN stock s ON s.location_id = l.id AND s.variant_id = ?1 ORDER BY l.id",
    )?;
    let mut out = Vec::new();
    let mut q = stmt.query([product])?;
    while let Some(r) = q.next()? {
        let id: crate::ids::VariantId = r.get(0)?;
        let options: String = r.get(3)?;
        out.push(VariantRow {
            id,
            sku: r.get(1)?,
            gtin: r.get(2)?,
            options: serde_json::from_str(&options)
                .map_err(|_| Error::Corrupt(format!("options of variant {id}")))?,
            price: r.get(4)?,
            compare_at_price: r.get(5)?,
            cost: r.get(6)?,
            currency: r.get(7)?,
            stock: stock
                .query_map([id], |s| {
                    Ok(StockAt {
                        location: s.get(0)?,
                        location_name: s.get(1)?,
                        quantity: s.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?,
        });
    }
    Ok(out)
}
