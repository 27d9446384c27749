//! Reading sales and fee schedules from kanaal-core's store, saving edited schedules as new
//! versions, and the merchant's VAT position (KOR) from the store's settings.
//!
//! Orders come from `orders`/`order_lines` (with the variant's cost of goods and the product's
//! category); schedules from `fee_schedules`, with the shipped defaults standing in for channel
//! kinds that have none stored. Only parameterised SQL; nothing here decides a fee.

use super::analysis::{CatalogPrice, Sale, SaleLine};
use super::defaults::default_schedules;
use super::edit::{check, FieldError, ScheduleDraft};
use super::engine::FeeSettings;
use super::schedule::FeeSchedule;
use chrono::{DateTime, Datelike, NaiveDate};
use kanaal_core::money::Money;
use kanaal_core::vat::VatRate;
use kanaal_core::{Error, Result};
use rusqlite::{params, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

fn corrupt(what: &str, value: &str) -> Error {
    Error::Corrupt(format!("{what} '{value}'"))
}

fn decimal(what: &str, v: &str) -> Result<Decimal> {
    Decimal::from_str(v.trim()).map_err(|_| corrupt(what, v))
}

fn opt_decimal(what: &str, v: Option<String>) -> Result<Option<Decimal>> {
    v.filter(|s| !s.trim().is_empty())
        .map(|s| decimal(what, &s))
        .transpose()
}

fn day(what: &str, v: &str) -> Result<NaiveDate> {
    DateTime::parse_from_rfc3339(v)
        .map(|d| d.date_naive())
        .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
        .map_err(|_| corrupt(what, v))
}

/// A VAT rate as stored on an order line: a code (`standard`), a percentage (`21`) or a
/// fraction (`0.21`). Unknown means standard, the most common rate for goods.
fn vat_fraction(v: Option<&str>) -> Result<Decimal> {
    let Some(v) = v.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(VatRate::Standard.fraction());
    };
    if let Ok(r) = v.parse::<VatRate>() {
        return Ok(r.fraction());
    }
    let d = decimal("order line VAT rate", v)?;
    Ok(if d >= Decimal::ONE {
        d / Decimal::ONE_HUNDRED
    } else {
        d
    })
}

/// The order statuses that are not a sale for the fee analysis, lower-case.
///
/// A cancelled order never earned anything. An order refunded in full (the order import writes
/// `refunded` for it) earned nothing either: the money went back and the units came back into
/// stock. Its commission is not a cost of selling on that channel: marketplaces credit the
/// commission of a refunded sale (Amazon keeps a small refund administration fee), and a payment
/// fee a provider keeps on a refund shows on its payout statement, not as a fee of a sale.
/// Counting the order would put money paid back into the channel's turnover, and its modelled
/// fees into the channel's costs, so a channel with many refunds would look better than it is.
pub const NOT_A_SALE: [&str; 3] = ["cancelled", "canceled", "refunded"];

/// Whether an order with `status` is left out of the fee analysis (see [`NOT_A_SALE`]).
pub fn is_not_a_sale(status: &str) -> bool {
    let s = status.trim().to_lowercase();
    NOT_A_SALE.contains(&s.as_str())
}

/// All sold orders (not cancelled, not refunded in full) placed in `[from, to)` (either bound
/// optional).
pub fn load_sales(
    tx: &Transaction<'_>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Sale>> {
    let mut orders: Vec<Sale> = Vec::new();
    let mut index: BTreeMap<i64, usize> = BTreeMap::new();
    {
        let mut st = tx.prepare(
            "SELECT o.id, o.remote_id, c.kind, o.placed_at, o.shipping, o.fees_reported
               FROM orders o JOIN channels c ON c.id = o.channel_id
              WHERE lower(o.status) NOT IN ('cancelled', 'canceled', 'refunded')
              ORDER BY o.placed_at, o.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for row in rows {
            let (id, remote, kind, placed, shipping, fees) = row?;
            let placed_on = day("order date", &placed)?;
            if from.is_some_and(|f| placed_on < f) || to.is_some_and(|t| placed_on >= t) {
                continue;
            }
            index.insert(id, orders.len());
            orders.push(Sale {
                id: format!("{kind}:{remote}"),
                channel_kind: kind,
                placed_on,
                shipping_incl_vat: opt_decimal("order shipping", shipping)?.unwrap_or_default(),
                fees_reported: opt_decimal("order fee", fees)?,
                lines: Vec::new(),
            });
        }
    }
    let mut st = tx.prepare(
        "SELECT l.order_id, coalesce(l.sku, v.sku, l.title), l.quantity, l.unit_price, l.vat_rate,
                l.fee_reported, v.cost, cat.name_nl
           FROM order_lines l
           LEFT JOIN variants v ON v.id = l.variant_id
           LEFT JOIN products p ON p.id = v.product_id
           LEFT JOIN categories cat ON cat.id = p.category_id
          ORDER BY l.order_id, l.line_no",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    for row in rows {
        let (order_id, product, qty, price, vat, fee, cost, category) = row?;
        let Some(i) = index.get(&order_id) else {
            continue;
        };
        let quantity =
            u32::try_from(qty).map_err(|_| corrupt("order line quantity", &qty.to_string()))?;
        let unit_price =
            Money::parse_amount(&price).map_err(|_| corrupt("order line price", &price))?;
        orders[*i].lines.push(SaleLine {
            product,
            category,
            quantity,
            unit_price_incl_vat: unit_price,
            vat_rate: vat_fraction(vat.as_deref())?,
            unit_cost: opt_decimal("variant cost", cost)?,
            fee_reported: opt_decimal("order line fee", fee)?,
        });
    }
    Ok(orders)
}

/// What the fee model says about one stored order, for the order's own screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderFees {
    /// The order is cancelled: it earns nothing and is left out of the fee analysis.
    Cancelled,
    /// The order was refunded in full: it earns nothing and is left out of the fee analysis.
    Refunded,
    /// No fee schedule covers the order's channel on its date; the reason in plain words.
    NoSchedule(String),
    /// The order's figures, exactly as the fee report computes them.
    Modelled(super::analysis::OrderResult),
}

/// The fee figures of the order with store id `order_id`, or `None` when there is no such order.
///
/// The month's subscription is spread over the month's orders of the channel (as in the fee
/// report), so the whole month of that channel is analysed and this order picked out: the
/// figures match the report's for any period made of whole months.
pub fn order_fees_of(
    tx: &Transaction<'_>,
    order_id: i64,
    settings: FeeSettings,
) -> Result<Option<OrderFees>> {
    let row = tx
        .query_row(
            "SELECT o.remote_id, c.kind, o.placed_at, o.status
               FROM orders o JOIN channels c ON c.id = o.channel_id
              WHERE o.id = ?1",
            params![order_id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((remote, kind, placed, status)) = row else {
        return Ok(None);
    };
    if is_not_a_sale(&status) {
        return Ok(Some(if status.trim().eq_ignore_ascii_case("refunded") {
            OrderFees::Refunded
        } else {
            OrderFees::Cancelled
        }));
    }
    let placed_on = day("order date", &placed)?;
    let first = placed_on.with_day(1).unwrap_or(placed_on);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(NaiveDate::MAX);
    let sales: Vec<Sale> = load_sales(tx, Some(first), Some(next))?
        .into_iter()
        .filter(|s| s.channel_kind == kind)
        .collect();
    let schedules = load_schedules(tx)?;
    let a = super::analysis::analyse(&sales, &schedules, settings);
    let id = format!("{kind}:{remote}");
    if let Some(r) = a.orders.into_iter().find(|o| o.id == id) {
        return Ok(Some(OrderFees::Modelled(r)));
    }
    let prefix = format!("order {id}: ");
    let reason = a
        .skipped
        .iter()
        .find_map(|s| s.strip_prefix(&prefix))
        .map(str::to_string)
        .unwrap_or_else(|| format!("no fee schedule covers {kind} on {placed_on}"));
    Ok(Some(OrderFees::NoSchedule(reason)))
}

/// The stored schedules, plus the shipped default for each channel kind that has none stored.
pub fn load_schedules(tx: &Transaction<'_>) -> Result<Vec<FeeSchedule>> {
    let mut st = tx.prepare(
        "SELECT channel_kind, version, effective_from, effective_to, source, rules
           FROM fee_schedules ORDER BY channel_kind, version",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, version, from, to, source, rules) = row?;
        let from = day("fee schedule start", &from)?;
        let to = to.map(|t| day("fee schedule end", &t)).transpose()?;
        let s = FeeSchedule::from_row(&kind, version, from, to, &source, &rules)
            .map_err(|e| Error::invalid("fee schedule", e.to_string()))?;
        out.push(s);
    }
    let defaults = default_schedules().map_err(|e| Error::Corrupt(e.to_string()))?;
    for d in defaults {
        if !out.iter().any(|s| s.channel_kind == d.channel_kind) {
            out.push(d);
        }
    }
    Ok(out)
}

/// Saves a schedule as a new version row. A schedule with the same channel kind and version is
/// refused: versions are history, not edited in place.
pub fn save_schedule(tx: &Transaction<'_>, s: &FeeSchedule) -> Result<()> {
    s.validate()
        .map_err(|e| Error::invalid("fee schedule", e.to_string()))?;
    let exists: Option<i64> = tx
        .query_row(
            "SELECT id FROM fee_schedules WHERE channel_kind = ?1 AND version = ?2",
            params![s.channel_kind, s.version],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(Error::invalid(
            "fee schedule",
            format!(
                "{} already has a version {}: save your change as a new version",
                s.channel_kind, s.version
            ),
        ));
    }
    let rules = serde_json::to_string(&s.rules).map_err(|e| Error::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO fee_schedules (channel_kind, version, effective_from, effective_to, source, rules)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            s.channel_kind,
            s.version,
            s.effective_from.to_string(),
            s.effective_to.map(|d| d.to_string()),
            s.source,
            rules
        ],
    )?;
    Ok(())
}

/// The merchant's VAT position from the store's settings (the KOR switch).
pub fn fee_settings(tx: &Transaction<'_>) -> Result<FeeSettings> {
    Ok(FeeSettings {
        kor: kanaal_core::settings::kor(tx)?,
    })
}

/// The version of `channel_kind`'s schedule that new orders get: the highest version.
pub fn current<'a>(schedules: &'a [FeeSchedule], channel_kind: &str) -> Option<&'a FeeSchedule> {
    schedules
        .iter()
        .filter(|s| s.channel_kind == channel_kind)
        .max_by_key(|s| s.version)
}

/// Why a new version was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Fields the merchant must correct.
    #[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))]
    Fields(Vec<FieldError>),
    #[error(transparent)]
    Store(#[from] Error),
}

/// Checks `draft` against the channel's current schedule and saves it as the next version.
/// Older versions stay and keep applying to orders before the new version's first day. When
/// the channel still runs on a shipped default, the default is stored first as version 1, so
/// that older orders keep it.
pub fn save_new_version(
    tx: &Transaction<'_>,
    draft: &ScheduleDraft,
) -> std::result::Result<FeeSchedule, SaveError> {
    let schedules = load_schedules(tx)?;
    let cur = current(&schedules, &draft.channel_kind);
    let stored: i64 = tx
        .query_row(
            "SELECT count(*) FROM fee_schedules WHERE channel_kind = ?1",
            [&draft.channel_kind],
            |r| r.get(0),
        )
        .map_err(Error::from)?;
    let latest = cur.map_or(0, |s| s.version);
    let new = check(draft, cur, latest).map_err(SaveError::Fields)?;
    if stored == 0 {
        for d in schedules
            .iter()
            .filter(|s| s.channel_kind == draft.channel_kind)
        {
            save_schedule(tx, d)?;
        }
    }
    save_schedule(tx, &new)?;
    Ok(new)
}

/// Each variant's catalog price (the webshop price, incl. VAT), VAT rate, cost of goods and
/// category, by SKU: what break-even prices are computed from.
pub fn load_catalog_prices(tx: &Transaction<'_>) -> Result<BTreeMap<String, CatalogPrice>> {
    let mut st = tx.prepare(
        "SELECT v.sku, v.price, v.vat_rate, v.cost, cat.name_nl
           FROM variants v
           JOIN products p ON p.id = v.product_id
           LEFT JOIN categories cat ON cat.id = p.category_id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (sku, price, vat, cost, category) = row?;
        let price_incl_vat =
            Money::parse_amount(&price).map_err(|_| corrupt("variant price", &price))?;
        out.insert(
            sku,
            CatalogPrice {
                price_incl_vat,
                vat_rate: vat_fraction(Some(&vat))?,
                unit_cost: opt_decimal("variant cost", cost)?,
                category,
            },
        );
    }
    Ok(out)
}
