//! The order inbox, read side (issue 5, item 5): one list across channels with filters, the
//! detail of one order (lines, the customer as the channel shows it, fees as reported, totals)
//! and the ship-by deadline the platform enforces. It also validates and queues "mark shipped"
//! ([`shipping`]) and "cancel" ([`cancel`]) as outbox rows. It must not fetch orders, move
//! stock or talk to a channel: importing is the sync engine's job, sending the outbox worker's.

pub mod cancel;
pub mod channel_lines;
pub mod shipping;

use cancel::CancelReason;

use crate::ids::{ChannelId, OrderId, VariantId};
use crate::money::{Currency, Money};
use crate::{Error, Result};
use chrono::{DateTime, Duration, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Statuses (as stored, lower case) of an order that still has to leave the shop.
pub const OPEN_STATUSES: [&str; 6] = [
    "open",
    "partly_shipped",
    "new",
    "accepted",
    "paid",
    "pending",
];

/// Whether an outbox row of `operation` ('ship', 'cancel') for the order's `batch` has not had the
/// channel's answer yet: a second request for the same order waits for it.
fn outbox_op_waiting(tx: &Transaction<'_>, operation: &str, batch: &str) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE operation = ?1 AND batch_id = ?2
                          AND state IN ('queued', 'sending', 'waiting'))",
        params![operation, batch],
        |r| r.get(0),
    )?)
}

/// The idempotency key of an order request: SHA-256 over length-prefixed parts (so no two part
/// lists give the same bytes), as lower-case hex. The same request always gets the same key.
fn idempotency_key(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in parts {
        h.update(part.len().to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// How close a ship-by deadline may come before the inbox warns about it.
pub const DUE_SOON: Duration = Duration::hours(24);

/// What the inbox shows: every filter narrows the list; all empty means every order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct OrderQuery {
    pub channel: Option<ChannelId>,
    /// A status as the store holds it ("open", "shipped", ...).
    pub status: Option<String>,
    /// Only orders that still have to be shipped.
    pub needs_shipping: bool,
    /// Only orders with a line whose SKU is not in the catalog.
    pub unknown_sku: bool,
    /// Only orders still to ship whose ship-by deadline is within [`DUE_SOON`] or past.
    pub ship_soon: bool,
    /// Order number, customer name, product title or SKU contains this (any case).
    pub search: String,
    pub offset: u32,
    /// Rows per page; 0 means the default of 100.
    pub limit: u32,
}

/// Where an order stands against the channel's ship-by deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    /// Shipped, cancelled, or the channel sets no deadline.
    None,
    Ok,
    /// Within [`DUE_SOON`].
    DueSoon,
    /// Past the deadline and not shipped.
    Overdue,
}

/// One row of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct InboxRow {
    pub id: OrderId,
    pub channel: ChannelId,
    pub channel_name: String,
    pub channel_kind: String,
    pub remote_id: String,
    pub status: String,
    /// RFC 3339, UTC.
    pub placed_at: String,
    pub customer_name: Option<String>,
    pub total: Money,
    pub lines: u32,
    pub unknown_skus: u32,
    pub needs_shipping: bool,
    /// A "mark shipped" is queued and not yet confirmed by the channel.
    pub shipment_pending: bool,
    /// A "cancel" is queued and not yet confirmed by the channel.
    pub cancel_pending: bool,
    /// RFC 3339, UTC; the moment the channel wants the order shipped by (its earliest open
    /// line's deadline).
    pub ship_by: Option<String>,
    pub deadline: Deadline,
    /// Open lines whose customer asked the channel to cancel them (bol.com).
    pub cancel_requests: u32,
    /// Lines with units cancelled (by the merchant or on the channel).
    pub lines_cancelled: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct InboxPage {
    /// Orders matching the filters (all pages).
    pub total: u32,
    /// Of those, how many still have to be shipped.
    pub to_ship: u32,
    /// Of those, how many are past or near their ship-by deadline.
    pub urgent: u32,
    pub rows: Vec<InboxRow>,
}

/// One order line as the channel reported it, with whether its SKU is known in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OrderLineView {
    pub line_no: u32,
    pub sku: Option<String>,
    pub variant: Option<VariantId>,
    pub title: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub line_total: Money,
    /// The channel's fee for this line, when it states one.
    pub fee: Option<Money>,
    /// The SKU matched no variant: the line was kept but stock was not moved.
    pub unknown_sku: bool,
    /// Units of this line cancelled (by the merchant or on the channel).
    pub cancelled: u32,
    /// RFC 3339, UTC; the moment the channel cancels this line unless it was shipped.
    pub ship_by: Option<String>,
    pub deadline: Deadline,
    /// The customer asked the channel to cancel this line; the merchant should answer.
    pub cancel_requested: bool,
}

/// The customer as the channel shows them. `hidden` names the fields the platform keeps from
/// the merchant (bol.com: phone, real e-mail); a hidden field's value, if any, is a relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CustomerView {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postcode: Option<String>,
    pub house_number: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub hidden: Vec<String>,
}

/// A "mark shipped" sent (or waiting to be sent) to the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ShipmentView {
    pub carrier: String,
    pub tracking: String,
    /// The outbox state: queued, sending, waiting, done, failed, cancelled.
    pub state: String,
    /// Why the channel did not take it (typed for the window to word; a refusal keeps the
    /// channel's own reason).
    pub error: Option<crate::failure::StoredFailure>,
    pub at: String,
}

/// A cancellation sent (or waiting to be sent) to the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CancellationView {
    /// Line numbers; empty means the whole order.
    pub lines: Vec<u32>,
    pub reason: CancelReason,
    /// The outbox state: queued, sending, waiting, done, failed, cancelled.
    pub state: String,
    /// Why the channel did not take it (typed for the window to word; a refusal keeps the
    /// channel's own reason).
    pub error: Option<crate::failure::StoredFailure>,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OrderDetail {
    pub row: InboxRow,
    pub lines: Vec<OrderLineView>,
    pub customer: Option<CustomerView>,
    /// Sum of the lines (unit price x quantity).
    pub lines_total: Money,
    pub shipping: Option<Money>,
    pub total: Money,
    /// The fee the channel states for the whole order, when it does.
    pub fees_reported: Option<Money>,
    /// Sum of the fees the channel states per line, when it states any.
    pub line_fees: Option<Money>,
    pub shipments: Vec<ShipmentView>,
    pub cancellations: Vec<CancellationView>,
    /// The reasons this channel takes for a cancellation, in the order to offer them.
    pub cancel_reasons: Vec<CancelReason>,
    /// Whether this channel cancels single lines (else only the whole order).
    pub cancels_lines: bool,
}

fn dec(text: &str, what: &str) -> Result<Decimal> {
    Decimal::from_str(text.trim()).map_err(|_| Error::Corrupt(format!("{what} '{text}'")))
}

fn currency(text: &str) -> Result<Currency> {
    text.parse()
        .map_err(|e: crate::money::MoneyError| Error::Corrupt(e.to_string()))
}

fn open_list() -> String {
    OPEN_STATUSES
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Classifies a ship-by moment against `now`.
pub fn deadline(needs_shipping: bool, ship_by: Option<&str>, now: DateTime<Utc>) -> Deadline {
    let Some(at) = ship_by
        .filter(|_| needs_shipping)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    else {
        return Deadline::None;
    };
    let at = at.with_timezone(&Utc);
    if at < now {
        Deadline::Overdue
    } else if at - now <= DUE_SOON {
        Deadline::DueSoon
    } else {
        Deadline::Ok
    }
}

/// The columns of an [`InboxRow`], in the order [`read_row`] expects (`o` = orders).
fn row_select() -> String {
    format!(
        "SELECT o.id, o.channel_id, c.name, c.kind, o.remote_id, o.status, o.placed_at,
                cu.name, o.total, o.currency,
                (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id),
                (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id AND l.variant_id IS NULL),
                lower(o.status) IN ({open}),
                EXISTS (SELECT 1 FROM outbox b WHERE b.operation = 'ship' AND b.batch_id = 'ship-' || o.id
                          AND b.state IN ('queued', 'sending', 'waiting')),
                o.ship_by,
                EXISTS (SELECT 1 FROM outbox b WHERE b.operation = 'cancel' AND b.batch_id = 'cancel-' || o.id
                          AND b.state IN ('queued', 'sending', 'waiting')),
                (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id AND l.cancel_requested = 1
                   AND l.quantity_cancelled < l.quantity),
                (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id AND l.quantity_cancelled > 0)
           FROM orders o
           JOIN channels c ON c.id = o.channel_id
           LEFT JOIN customers cu ON cu.id = o.customer_id",
        open = open_list()
    )
}

fn read_row(r: &rusqlite::Row<'_>, now: DateTime<Utc>) -> Result<InboxRow> {
    let total: String = r.get(8)?;
    let cur: String = r.get(9)?;
    let open: bool = r.get(12)?;
    let shipment_pending: bool = r.get(13)?;
    let ship_by: Option<String> = r.get(14)?;
    let cancel_pending: bool = r.get(15)?;
    let needs_shipping = open && !shipment_pending;
    Ok(InboxRow {
        id: r.get(0)?,
        channel: r.get(1)?,
        channel_name: r.get(2)?,
        channel_kind: r.get(3)?,
        remote_id: r.get(4)?,
        status: r.get(5)?,
        placed_at: r.get(6)?,
        customer_name: r.get(7)?,
        total: Money::new(dec(&total, "order total")?, currency(&cur)?),
        lines: r.get(10)?,
        unknown_skus: r.get(11)?,
        needs_shipping,
        shipment_pending,
        cancel_pending,
        deadline: deadline(needs_shipping, ship_by.as_deref(), now),
        ship_by,
        cancel_requests: if open { r.get(16)? } else { 0 },
        lines_cancelled: r.get(17)?,
    })
}

/// Escapes `%`, `_` and `\` so a search for "10%" finds the text "10%".
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for ch in text.trim().to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// One page of the inbox, newest first. Deadlines are judged against `now`.
pub fn list(tx: &Transaction<'_>, query: &OrderQuery, now: DateTime<Utc>) -> Result<InboxPage> {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(c) = query.channel {
        args.push(SqlValue::Integer(c.0));
        conds.push(format!("o.channel_id = ?{}", args.len()));
    }
    if let Some(s) = query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        args.push(SqlValue::Text(s.to_lowercase()));
        conds.push(format!("lower(o.status) = ?{}", args.len()));
    }
    if query.needs_shipping {
        conds.push(format!(
            "lower(o.status) IN ({}) AND NOT EXISTS (SELECT 1 FROM outbox b WHERE b.operation = 'ship'
               AND b.batch_id = 'ship-' || o.id AND b.state IN ('queued', 'sending', 'waiting'))",
            open_list()
        ));
    }
    if query.ship_soon {
        // Stored as RFC 3339 UTC with seconds, so text order is time order.
        args.push(SqlValue::Text(
            (now + DUE_SOON).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ));
        conds.push(format!(
            "o.ship_by IS NOT NULL AND o.ship_by <= ?{} AND lower(o.status) IN ({})
               AND NOT EXISTS (SELECT 1 FROM outbox b WHERE b.operation = 'ship'
                     AND b.batch_id = 'ship-' || o.id AND b.state IN ('queued', 'sending', 'waiting'))",
            args.len(),
            open_list()
        ));
    }
    if query.unknown_sku {
        conds.push(
            "EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.variant_id IS NULL)"
                .into(),
        );
    }
    if !query.search.trim().is_empty() {
        args.push(SqlValue::Text(like_pattern(&query.search)));
        let n = args.len();
        conds.push(format!(
            "(lower(o.remote_id) LIKE ?{n} ESCAPE '\\' OR lower(COALESCE(cu.name, '')) LIKE ?{n} ESCAPE '\\'
              OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id
                           AND (lower(l.title) LIKE ?{n} ESCAPE '\\' OR lower(COALESCE(l.sku, '')) LIKE ?{n} ESCAPE '\\')))"
        ));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    let limit = if query.limit == 0 {
        100
    } else {
        query.limit.min(1000)
    };

    // Counts over every page: the urgent count needs the deadline, which is judged here, not
    // in SQL, so the rule lives in one place ([`deadline`]).
    let mut total = 0u32;
    let mut to_ship = 0u32;
    let mut urgent = 0u32;
    {
        let mut stmt = tx.prepare(&format!(
            "SELECT lower(o.status) IN ({open}) AND NOT EXISTS (SELECT 1 FROM outbox b
                      WHERE b.operation = 'ship' AND b.batch_id = 'ship-' || o.id
                        AND b.state IN ('queued', 'sending', 'waiting')),
                    o.ship_by
               FROM orders o LEFT JOIN customers cu ON cu.id = o.customer_id{filter}",
            open = open_list()
        ))?;
        let mut q = stmt.query(params_from_iter(args.iter()))?;
        while let Some(r) = q.next()? {
            total += 1;
            let needs: bool = r.get(0)?;
            let ship_by: Option<String> = r.get(1)?;
            if needs {
                to_ship += 1;
            }
            if matches!(
                deadline(needs, ship_by.as_deref(), now),
                Deadline::DueSoon | Deadline::Overdue
            ) {
                urgent += 1;
            }
        }
    }

    let mut page_args = args.clone();
    page_args.push(SqlValue::Integer(i64::from(limit)));
    page_args.push(SqlValue::Integer(i64::from(query.offset)));
    let sql = format!(
        "{}{filter} ORDER BY o.placed_at DESC, o.id DESC LIMIT ?{} OFFSET ?{}",
        row_select(),
        args.len() + 1,
        args.len() + 2
    );
    let mut stmt = tx.prepare(&sql)?;
    let mut q = stmt.query(params_from_iter(page_args.iter()))?;
    let mut rows = Vec::new();
    while let Some(r) = q.next()? {
        rows.push(read_row(r, now)?);
    }
    Ok(InboxPage {
        total,
        to_ship,
        urgent,
        rows,
    })
}

/// The statuses present in the store, for the status filter.
pub fn statuses(tx: &Transaction<'_>) -> Result<Vec<String>> {
    let mut stmt =
        tx.prepare("SELECT DISTINCT lower(status) FROM orders ORDER BY lower(status)")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn money_opt(text: Option<String>, cur: Currency, what: &str) -> Result<Option<Money>> {
    text.filter(|t| !t.trim().is_empty())
        .map(|t| dec(&t, what).map(|d| Money::new(d, cur)))
        .transpose()
}

/// One order in full.
pub fn detail(tx: &Transaction<'_>, order: OrderId, now: DateTime<Utc>) -> Result<OrderDetail> {
    let row = tx
        .query_row(
            &format!("{} WHERE o.id = ?1", row_select()),
            params![order.0],
            |r| Ok(read_row(r, now)),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Order {order}")))??;
    let cur = row.total.currency;

    let (shipping, fees, customer_id): (Option<String>, Option<String>, Option<i64>) = tx
        .query_row(
            "SELECT shipping, fees_reported, customer_id FROM orders WHERE id = ?1",
            params![order.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;

    let mut lines = Vec::new();
    let mut lines_total = Decimal::ZERO;
    let mut line_fees: Option<Decimal> = None;
    {
        let mut stmt = tx.prepare(
            "SELECT line_no, sku, variant_id, title, quantity, unit_price, fee_reported,
                    quantity_cancelled, ship_by, cancel_requested
               FROM order_lines WHERE order_id = ?1 ORDER BY line_no",
        )?;
        let mut q = stmt.query(params![order.0])?;
        while let Some(r) = q.next()? {
            let quantity: u32 = r.get(4)?;
            let unit = dec(&r.get::<_, String>(5)?, "order line price")?;
            let fee = money_opt(r.get(6)?, cur, "order line fee")?;
            if let Some(f) = fee {
                line_fees = Some(line_fees.unwrap_or_default() + f.amount);
            }
            let line_total = unit * Decimal::from(quantity);
            lines_total += line_total;
            let variant: Option<VariantId> = r.get(2)?;
            let cancelled: u32 = r.get(7)?;
            let line_open = row.needs_shipping && cancelled < quantity;
            let line_ship_by: Option<String> = r.get::<_, Option<String>>(8)?.filter(|_| line_open);
            lines.push(OrderLineView {
                line_no: r.get(0)?,
                sku: r.get(1)?,
                variant,
                title: r.get(3)?,
                quantity,
                unit_price: Money::new(unit, cur),
                line_total: Money::new(line_total, cur),
                fee,
                unknown_sku: variant.is_none(),
                cancelled,
                deadline: deadline(line_open, line_ship_by.as_deref(), now),
                ship_by: line_ship_by,
                cancel_requested: r.get::<_, bool>(9)? && line_open,
            });
        }
    }

    let customer = match customer_id {
        None => None,
        Some(id) => tx
            .query_row(
                "SELECT name, email, phone, postcode, house_number, city, country, masked_fields
                   FROM customers WHERE id = ?1",
                params![id],
                |r| {
                    Ok((
                        CustomerView {
                            name: r.get(0)?,
                            email: r.get(1)?,
                            phone: r.get(2)?,
                            postcode: r.get(3)?,
                            house_number: r.get(4)?,
                            city: r.get(5)?,
                            country: r.get(6)?,
                            hidden: Vec::new(),
                        },
                        r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?
            .map(|(mut c, masked)| {
                c.hidden = serde_json::from_str(&masked)
                    .map_err(|e| Error::Corrupt(format!("masked fields of a customer: {e}")))?;
                Ok::<_, Error>(c)
            })
            .transpose()?,
    };

    let mut shipments = Vec::new();
    {
        let mut stmt = tx.prepare(
            "SELECT payload, state, last_error, created_at FROM outbox
              WHERE operation = 'ship' AND batch_id = ?1 ORDER BY id",
        )?;
        let mut q = stmt.query(params![shipping::batch_id(order)])?;
        while let Some(r) = q.next()? {
            let payload: String = r.get(0)?;
            let p: shipping::ShipPayload = serde_json::from_str(&payload)
                .map_err(|e| Error::Corrupt(format!("shipment payload: {e}")))?;
            shipments.push(ShipmentView {
                carrier: p.carrier,
                tracking: p.tracking,
                state: r.get(1)?,
                error: crate::publish::batch::stored_failure(r.get(2)?),
                at: r.get(3)?,
            });
        }
    }

    let mut cancellations = Vec::new();
    {
        let mut stmt = tx.prepare(
            "SELECT payload, state, last_error, created_at FROM outbox
              WHERE operation = 'cancel' AND batch_id = ?1 ORDER BY id",
        )?;
        let mut q = stmt.query(params![cancel::batch_id(order)])?;
        while let Some(r) = q.next()? {
            let payload: String = r.get(0)?;
            let p: cancel::CancelPayload = serde_json::from_str(&payload)
                .map_err(|e| Error::Corrupt(format!("cancellation payload: {e}")))?;
            cancellations.push(CancellationView {
                lines: p.line_nos,
                reason: p.reason,
                state: r.get(1)?,
                error: crate::publish::batch::stored_failure(r.get(2)?),
                at: r.get(3)?,
            });
        }
    }
    let kind = row.channel_kind.clone();

    Ok(OrderDetail {
        lines_total: Money::new(lines_total, cur),
        shipping: money_opt(shipping, cur, "order shipping")?,
        total: row.total,
        fees_reported: money_opt(fees, cur, "order fees")?,
        line_fees: line_fees.map(|d| Money::new(d, cur)),
        row,
        lines,
        customer,
        shipments,
        cancellations,
        cancel_reasons: cancel::reasons_for(&kind).to_vec(),
        cancels_lines: cancel::cancels_single_lines(&kind),
    })
}
