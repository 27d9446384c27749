//! Read models for the app's pages: the shop at a glance, the channels, the order inbox. Each is
//! computed from the store in one read snapshot; money is summed as decimals.

use crate::channel_kind::{self, ChannelAccess, ChannelGroup};
use crate::money::Money;
use crate::vat::VatRate;
use crate::{settings, Error, Result};
use rusqlite::Transaction;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

/// Stock units and their value at cost in one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LocationStock {
    pub code: String,
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub units: i64,
    pub value_at_cost: Money,
}

/// Size and gross margin of one top-level category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CategoryMargin {
    pub name_nl: String,
    pub name_en: String,
    pub products: u32,
    pub variants: u32,
    /// Average gross margin over the price excluding VAT, in percent with one decimal
    /// (`"54.3"`); `None` when no variant in the category has a cost price.
    pub margin_pct: Option<String>,
    pub stock_value_at_cost: Money,
}

/// Catalog items waiting to be published to one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChannelPending {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub channel_id: i64,
    pub channel_name: String,
    pub pending: u32,
}

/// The shop at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ShopOverview {
    pub shop_name: String,
    pub products: u32,
    pub active_products: u32,
    pub variants: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub stock_units: i64,
    pub stock_value_at_cost: Money,
    pub locations: Vec<LocationStock>,
    pub categories: Vec<CategoryMargin>,
    pub channels: u32,
    pub listings: u32,
    /// Catalog items changed since they were last published, per configured channel.
    pub pending_changes: Vec<ChannelPending>,
    pub outbox_queued: u32,
    pub orders: u32,
}

fn dec(text: &str, what: &str) -> Result<Decimal> {
    Decimal::from_str(text).map_err(|_| Error::Corrupt(format!("{what} '{text}'")))
}

fn count(tx: &Transaction<'_>, sql: &str) -> Result<u32> {
    Ok(tx.query_row(sql, [], |r| r.get(0))?)
}

/// Computes the overview. Amounts are in EUR (the demo and first releases are euro-only; a
/// variant in another currency is left out of the sums rather than added wrongly).
pub fn shop_overview(tx: &Transaction<'_>) -> Result<ShopOverview> {
    let eur = |d: Decimal| Money::eur(d).round_half_even(2);

    let mut locations = Vec::new();
    let mut total_units = 0i64;
    let mut total_value = Decimal::ZERO;
    {
        let mut stmt = tx.prepare(
            "SELECT l.code, l.name, s.quantity, v.cost, v.currency
               FROM locations l
               LEFT JOIN stock s ON s.location_id = l.id
               LEFT JOIN variants v ON v.id = s.variant_id
              ORDER BY l.id",
        )?;
        let mut by_loc: Vec<(String, String, i64, Decimal)> = Vec::new();
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let code: String = r.get(0)?;
            let qty: Option<i64> = r.get(2)?;
            let cost: Option<String> = r.get(3)?;
            let currency: Option<String> = r.get(4)?;
            if by_loc.last().is_none_or(|l| l.0 != code) {
                by_loc.push((code.clone(), r.get(1)?, 0, Decimal::ZERO));
            }
            if let Some(last) = by_loc.last_mut() {
                let qty = qty.unwrap_or(0);
                last.2 += qty;
                if let (Some(c), Some("EUR")) = (cost, currency.as_deref()) {
                    last.3 += dec(&c, "cost")? * Decimal::from(qty.max(0));
                }
            }
        }
        for (code, name, units, value) in by_loc {
            total_units += units;
            total_value += value;
            locations.push(LocationStock {
                code,
                name,
                units,
                value_at_cost: eur(value),
            });
        }
    }

    let categories = category_margins(tx)?;
    let pending_changes = {
        // listings.pending is kept by triggers equal to publish::listing_pending_sql (schema v10,
        // property-tested in core/tests/catalog_pending.rs); reading it instead of summing the
        // counters keeps the status bar quick with 200,000 listings.
        let mut stmt = tx.prepare(
            "SELECT c.id, c.name,
                    (SELECT count(*) FROM listings l WHERE l.channel_id = c.id AND l.pending = 1)
               FROM channels c WHERE c.enabled = 1 ORDER BY c.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ChannelPending {
                channel_id: r.get(0)?,
                channel_name: r.get(1)?,
                pending: r.get(2)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };

    Ok(ShopOverview {
        shop_name: settings::shop_name(tx)?,
        products: count(tx, "SELECT count(*) FROM products")?,
        active_products: count(tx, "SELECT count(*) FROM products WHERE status = 'active'")?,
        variants: count(tx, "SELECT count(*) FROM variants")?,
        stock_units: total_units,
        stock_value_at_cost: eur(total_value),
        locations,
        categories,
        channels: count(tx, "SELECT count(*) FROM channels")?,
        listings: count(tx, "SELECT count(*) FROM listings")?,
        pending_changes,
        outbox_queued: count(
            tx,
            "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending', 'waiting')",
        )?,
        orders: count(tx, "SELECT count(*) FROM orders")?,
    })
}

/// Margin per top-level category (sub-categories count towards their root).
fn category_margins(tx: &Transaction<'_>) -> Result<Vec<CategoryMargin>> {
    struct Acc {
        name_nl: String,
        name_en: String,
        products: std::collections::BTreeSet<i64>,
        variants: u32,
        margin_sum: Decimal,
        margin_n: u32,
        value: Decimal,
    }
    let mut stmt = tx.prepare(
        "WITH RECURSIVE root(id, root_id) AS (
             SELECT id, id FROM categories WHERE parent_id IS NULL
             UNION ALL
             SELECT c.id, root.root_id FROM categories c JOIN root ON c.parent_id = root.id)
         SELECT rc.id, rc.name_nl, rc.name_en, rc.position, p.id, v.price, v.cost, v.vat_rate,
                v.currency, (SELECT coalesce(sum(quantity), 0) FROM stock s WHERE s.variant_id = v.id)
           FROM products p
           JOIN variants v ON v.product_id = p.id
           JOIN root ON root.id = p.category_id
           JOIN categories rc ON rc.id = root.root_id",
    )?;
    let mut acc: BTreeMap<(i64, i64), Acc> = BTreeMap::new();
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let key = (r.get::<_, i64>(3)?, r.get::<_, i64>(0)?);
        let a = acc.entry(key).or_insert_with(|| Acc {
            name_nl: r.get(1).unwrap_or_default(),
            name_en: r.get(2).unwrap_or_default(),
            products: Default::default(),
            variants: 0,
            margin_sum: Decimal::ZERO,
            margin_n: 0,
            value: Decimal::ZERO,
        });
        a.products.insert(r.get(4)?);
        a.variants += 1;
        let currency: String = r.get(8)?;
        if currency != "EUR" {
            continue;
        }
        let price = dec(&r.get::<_, String>(5)?, "price")?;
        let vat = VatRate::from_str(&r.get::<_, String>(7)?).map_err(Error::Corrupt)?;
        if let Some(cost) = r.get::<_, Option<String>>(6)? {
            let cost = dec(&cost, "cost")?;
            let excl = vat.excl(price);
            if !excl.is_zero() {
                a.margin_sum += (excl - cost) / excl;
                a.margin_n += 1;
            }
            let units: i64 = r.get(9)?;
            a.value += cost * Decimal::from(units.max(0));
        }
    }
    Ok(acc
        .into_values()
        .map(|a| CategoryMargin {
            margin_pct: (a.margin_n > 0).then(|| {
                (a.margin_sum / Decimal::from(a.margin_n) * Decimal::ONE_HUNDRED)
                    .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointNearestEven)
                    .to_string()
            }),
            name_nl: a.name_nl,
            name_en: a.name_en,
            products: a.products.len() as u32,
            variants: a.variants,
            stock_value_at_cost: Money::eur(a.value).round_half_even(2),
        })
        .collect())
}

/// A channel kind and how many channels of it the merchant has set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChannelKindInfo {
    pub kind: String,
    pub name: String,
    pub group: ChannelGroup,
    pub access: ChannelAccess,
    pub configured: u32,
}

/// A channel the merchant has set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChannelRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub enabled: bool,
    pub listings: u32,
    /// The API address when not the platform's own.
    pub base_url: Option<String>,
}

/// The channels page: what Kanaal can connect to, and what is connected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChannelOverview {
    pub kinds: Vec<ChannelKindInfo>,
    pub configured: Vec<ChannelRow>,
}

pub fn channel_overview(tx: &Transaction<'_>) -> Result<ChannelOverview> {
    let mut stmt = tx.prepare(
        "SELECT c.id, c.kind, c.name, c.enabled,
                (SELECT count(*) FROM listings l WHERE l.channel_id = c.id),
                json_extract(c.settings, '$.base_url')
           FROM channels c ORDER BY c.id",
    )?;
    let configured = stmt
        .query_map([], |r| {
            Ok(ChannelRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                name: r.get(2)?,
                enabled: r.get(3)?,
                listings: r.get(4)?,
                base_url: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let kinds = channel_kind::ALL
        .iter()
        .map(|k| ChannelKindInfo {
            kind: k.code.to_string(),
            name: k.name.to_string(),
            group: k.group,
            access: k.access,
            configured: configured.iter().filter(|c| c.kind == k.code).count() as u32,
        })
        .collect();
    Ok(ChannelOverview { kinds, configured })
}

/// One order in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OrderRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub channel_name: String,
    pub remote_id: String,
    pub status: String,
    /// RFC 3339, UTC.
    pub placed_at: String,
    pub total: Money,
    pub lines: u32,
}

/// A page of the order inbox, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OrderPage {
    pub total: u32,
    pub rows: Vec<OrderRow>,
}

pub fn list_orders(tx: &Transaction<'_>, offset: u32, limit: u32) -> Result<OrderPage> {
    let total = count(tx, "SELECT count(*) FROM orders")?;
    let mut stmt = tx.prepare(
        "SELECT o.id, c.name, o.remote_id, o.status, o.placed_at, o.total, o.currency,
                (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id)
           FROM orders o JOIN channels c ON c.id = o.channel_id
          ORDER BY o.placed_at DESC, o.id DESC LIMIT ?1 OFFSET ?2",
    )?;
    let mut rows = Vec::new();
    let mut q = stmt.query([i64::from(limit.clamp(1, 1000)), i64::from(offset)])?;
    while let Some(r) = q.next()? {
        let total_text: String = r.get(5)?;
        let currency: String = r.get(6)?;
        rows.push(OrderRow {
            id: r.get(0)?,
            channel_name: r.get(1)?,
            remote_id: r.get(2)?,
            status: r.get(3)?,
            placed_at: r.get(4)?,
            total: Money::new(
                dec(&total_text, "order total")?,
                currency
                    .parse()
                    .map_err(|e: crate::money::MoneyError| Error::Corrupt(e.to_string()))?,
            ),
            lines: r.get(7)?,
        });
    }
    Ok(OrderPage { total, rows })
}
