//! Order import: a channel's orders by its cursor (`sync_cursors`, stream `orders`), one page per
//! transaction. Within that transaction: new orders with their lines, customer and raw payload
//! are stored, deduplicated by (channel, remote id); each new order moves stock once
//! (`orders.stock_applied` records it, so a repeated page moves nothing); a cancelled order whose
//! stock was moved puts it back once; the new available quantity is queued for every channel;
//! and the cursor is saved. A kill between pages loses nothing and repeats nothing.
//!
//! Lines are matched to variants by SKU, then EAN. A line that matches nothing is stored with no
//! variant and counted in the report — never dropped — and moves no stock.
//!
//! Must not: send anything to a channel (stock goes out through the outbox).

use crate::stock::{move_stock, queue_stock_tx};
use crate::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use kanaal_channels::model::{ChannelOrder, Customer, OrderCursor, OrderStatus};
use kanaal_channels::Channel;
use kanaal_core::clock::Clock;
use kanaal_core::ids::ChannelId;
use kanaal_core::store::Store;
use kanaal_core::Error;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// The `sync_cursors.stream` of the order stream.
pub const STREAM: &str = "orders";

/// Most pages read in one pull (a safety net against a channel that keeps saying "more").
const MAX_PAGES: usize = 10_000;

/// What one pull (or one page) did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PullReport {
    pub pages: usize,
    /// Orders seen for the first time.
    pub new_orders: usize,
    /// Orders seen before whose status changed.
    pub updated_orders: usize,
    /// Orders seen before with nothing new (a repeated page).
    pub unchanged_orders: usize,
    pub new_lines: usize,
    /// Lines whose stock was moved (once each).
    pub stock_moves: usize,
    /// Cancelled orders whose stock was put back.
    pub cancellations_returned: usize,
    /// Lines stored without a variant because neither SKU nor EAN is in the catalog.
    pub unknown_lines: usize,
    /// Those lines' SKUs (or EANs), once each, for the merchant to add or map.
    pub unknown_skus: BTreeSet<String>,
    /// Stock rows queued for the channels.
    pub stock_queued: usize,
}

impl PullReport {
    fn add(&mut self, o: PullReport) {
        self.pages += o.pages;
        self.new_orders += o.new_orders;
        self.updated_orders += o.updated_orders;
        self.unchanged_orders += o.unchanged_orders;
        self.new_lines += o.new_lines;
        self.stock_moves += o.stock_moves;
        self.cancellations_returned += o.cancellations_returned;
        self.unknown_lines += o.unknown_lines;
        self.unknown_skus.extend(o.unknown_skus);
        self.stock_queued += o.stock_queued;
    }
}

/// The saved cursor of a channel's order stream.
pub fn cursor(store: &Store, channel: ChannelId) -> Result<Option<OrderCursor>> {
    Ok(store.read(|tx| {
        Ok(tx
            .prepare_cached(
                "SELECT cursor FROM sync_cursors WHERE channel_id = ?1 AND stream = ?2",
            )?
            .query_row(params![channel.0, STREAM], |r| r.get::<_, String>(0))
            .optional()?
            .map(OrderCursor))
    })?)
}

/// Pulls every page of orders since the saved cursor. Pages before a failure are kept (and
/// the cursor after them), so the next pull continues where this one stopped.
pub async fn pull_orders(
    store: &Store,
    channel: ChannelId,
    connector: &dyn Channel,
    clock: &dyn Clock,
) -> Result<PullReport> {
    let mut at = cursor(store, channel)?;
    let mut report = PullReport::default();
    for _ in 0..MAX_PAGES {
        let page = connector.orders_since(at.as_ref()).await?;
        let save = page
            .next
            .clone()
            .unwrap_or_else(|| page.resume_from.clone());
        let now = clock.now();
        let done = store.write(|tx| apply_page(tx, channel, &page.orders, &save, now))?;
        report.add(done);
        match page.next {
            Some(next) => at = Some(next),
            None => break,
        }
    }
    Ok(report)
}

fn status_code(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Open => "open",
        OrderStatus::PartlyShipped => "partly_shipped",
        OrderStatus::Shipped => "shipped",
        OrderStatus::Cancelled => "cancelled",
    }
}

/// When the merchant connected the channel in Kanaal.
fn connected_at(tx: &Transaction<'_>, channel: ChannelId) -> kanaal_core::Result<DateTime<Utc>> {
    let at: String = tx
        .prepare_cached("SELECT created_at FROM channels WHERE id = ?1")?
        .query_row(params![channel.0], |r| r.get(0))?;
    DateTime::parse_from_rfc3339(&at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Corrupt(format!("the connection time of channel {}", channel.0)))
}

/// Whether a newly seen order takes its units from stock. Not when cancelled; and not when it
/// was placed before the channel was connected and has left the shop already (shipped): the
/// stock the merchant counted no longer holds those units, and taking them again would empty
/// the shelves on every channel after the first import of a platform's order history. An
/// open order from before the connection still leaves the shelf, so it does move stock.
fn moves_stock(o: &ChannelOrder, connected: DateTime<Utc>) -> bool {
    match o.status {
        OrderStatus::Cancelled => false,
        OrderStatus::Open | OrderStatus::PartlyShipped => true,
        OrderStatus::Shipped => o.placed_at >= connected,
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Stores one page of orders and saves `cursor`, in the caller's transaction. See the module
/// documentation; public so tests can replay pages without a channel.
pub fn apply_page(
    tx: &Transaction<'_>,
    channel: ChannelId,
    orders: &[ChannelOrder],
    cursor: &OrderCursor,
    now: DateTime<Utc>,
) -> kanaal_core::Result<PullReport> {
    let mut out = PullReport {
        pages: 1,
        ..Default::default()
    };
    let mut moved: HashSet<i64> = HashSet::new();
    let connected = connected_at(tx, channel)?;
    for o in orders {
        let status = status_code(o.status);
        let raw = serde_json::to_string(&o.raw).map_err(|e| Error::Corrupt(e.to_string()))?;
        let existing: Option<(i64, String, i64)> = tx.prepare_cached("SELECT id, status, stock_applied FROM orders WHERE channel_id = ?1 AND remote_id = ?2")?.query_row(
                params![channel.0, o.remote_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((id, old_status, applied)) = existing {
            // Lines cancelled on the channel while the order stays open, requests to cancel
            // and per-line deadlines (a cancelled order's stock goes back below, as a whole).
            let lines = if o.status == OrderStatus::Cancelled {
                Default::default()
            } else {
                crate::order_lines::apply(tx, id, o, false, now, &mut moved)?
            };
            if old_status == status {
                if lines.changed {
                    out.updated_orders += 1;
                } else {
                    out.unchanged_orders += 1;
                }
                continue;
            }
            // The channel's new copy of the order carries the customer's details again; an
            // order whose customer was erased (kanaal-insights' erase_customer renames the
            // customer to `erased-<id>`) keeps its scrubbed copy, or the erasure would be undone
            // by the next status change.
            tx.prepare_cached(
                "UPDATE orders SET status = ?2, updated_at = ?3, ship_by = ?5,
                        raw = CASE WHEN EXISTS (SELECT 1 FROM customers c
                                                 WHERE c.id = orders.customer_id
                                                   AND c.remote_id LIKE 'erased-%')
                                   THEN raw ELSE ?4 END
                  WHERE id = ?1",
            )?
            .execute(params![
                id,
                status,
                time(o.updated_at),
                raw,
                o.ship_by.map(time)
            ])?;
            out.updated_orders += 1;
            if o.status == OrderStatus::Cancelled {
                // Put back what was taken and not yet returned (a cancel made in Kanaal may
                // have returned some or all of it already), once.
                let returned = return_cancelled(tx, id, None, now, &mut moved)?;
                if returned && applied == 1 {
                    out.cancellations_returned += 1;
                }
            }
            continue;
        }
        let customer = upsert_customer(tx, channel, &o.remote_id, &o.customer)?;
        tx.prepare_cached(
            "INSERT INTO orders (channel_id, remote_id, status, placed_at, updated_at, currency,
                                 total, fees_reported, customer_id, stock_applied, raw, ship_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11)",
        )?
        .execute(params![
            channel.0,
            o.remote_id,
            status,
            time(o.placed_at),
            time(o.updated_at),
            o.total.currency.as_str(),
            o.total.amount_text(),
            o.fees.map(|f| f.amount_text()),
            customer,
            raw,
            o.ship_by.map(time)
        ])?;
        let order_id = tx.last_insert_rowid();
        out.new_orders += 1;
        let apply = moves_stock(o, connected);
        for (i, line) in o.lines.iter().enumerate() {
            let variant = match_variant(tx, line.sku.as_deref(), line.gtin.as_deref())?;
            tx.prepare_cached("INSERT INTO order_lines (order_id, line_no, remote_line_id, sku, variant_id, title,
                                          quantity, unit_price, fee_reported)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?.execute(
                params![
                    order_id,
                    i as i64 + 1,
                    line.remote_id,
                    line.sku.as_deref().or(line.gtin.as_deref()),
                    variant,
                    line.title,
                    i64::from(line.quantity),
                    line.unit_price.amount_text(),
                    line.fee.map(|f| f.amount_text())
                ],
            )?;
            out.new_lines += 1;
            match variant {
                Some(v) if apply => {
                    move_stock(
                        tx,
                        v,
                        -i64::from(line.quantity),
                        now,
                        &format!("order-{order_id}"),
                    )?;
                    moved.insert(v);
                    out.stock_moves += 1;
                }
                Some(_) => {}
                None => {
                    out.unknown_lines += 1;
                    out.unknown_skus.insert(
                        line.sku
                            .clone()
                            .or_else(|| line.gtin.clone())
                            .unwrap_or_else(|| line.title.clone()),
                    );
                }
            }
        }
        if apply {
            tx.prepare_cached("UPDATE orders SET stock_applied = 1 WHERE id = ?1")?
                .execute(params![order_id])?;
        }
        crate::order_lines::apply(tx, order_id, o, true, now, &mut moved)?;
    }
    if !moved.is_empty() {
        out.stock_queued = queue_stock_tx(tx, now, Some(&moved))?;
    }
    tx.prepare_cached("INSERT INTO sync_cursors (channel_id, stream, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(channel_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at")?.execute(
        params![channel.0, STREAM, cursor.0, time(now)],
    )?;
    Ok(out)
}

/// Marks lines of order `order` cancelled (`line_nos`; `None`: every line) and puts back on the
/// shelf what the order took from it and was not yet returned, so a cancellation confirmed by
/// the channel after Kanaal's own "Cancel" and one read from the channel return stock once in
/// all. When every line is cancelled the order is too, and `stock_applied` goes to 0. Variants
/// whose stock moved are added to `moved` (the caller queues their stock for the channels).
/// Returns whether any stock moved.
pub fn return_cancelled(
    tx: &Transaction<'_>,
    order: i64,
    line_nos: Option<&[u32]>,
    now: DateTime<Utc>,
    moved: &mut HashSet<i64>,
) -> kanaal_core::Result<bool> {
    let applied: i64 = tx
        .prepare_cached("SELECT stock_applied FROM orders WHERE id = ?1")?
        .query_row(params![order], |r| r.get(0))?;
    let lines: Vec<(i64, u32, Option<i64>, i64, i64)> = tx
        .prepare_cached(
            "SELECT id, line_no, variant_id, quantity, stock_returned FROM order_lines
              WHERE order_id = ?1 ORDER BY line_no",
        )?
        .query_map(params![order], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut any = false;
    for (line, no, variant, quantity, returned) in &lines {
        if line_nos.is_some_and(|w| !w.contains(no)) {
            continue;
        }
        tx.prepare_cached("UPDATE order_lines SET quantity_cancelled = quantity WHERE id = ?1")?
            .execute(params![line])?;
        let back = quantity - returned;
        if applied != 1 || back <= 0 {
            continue;
        }
        if let Some(v) = variant {
            move_stock(tx, *v, back, now, &format!("order-cancelled-{order}"))?;
            moved.insert(*v);
            any = true;
        }
        tx.prepare_cached("UPDATE order_lines SET stock_returned = quantity WHERE id = ?1")?
            .execute(params![line])?;
    }
    let open: i64 = tx
        .prepare_cached(
            "SELECT count(*) FROM order_lines WHERE order_id = ?1 AND quantity_cancelled < quantity",
        )?
        .query_row(params![order], |r| r.get(0))?;
    if open == 0 {
        tx.prepare_cached(
            "UPDATE orders SET stock_applied = 0, status = 'cancelled', ship_by = NULL WHERE id = ?1",
        )?
        .execute(params![order])?;
    }
    Ok(any)
}

fn match_variant(
    tx: &Transaction<'_>,
    sku: Option<&str>,
    gtin: Option<&str>,
) -> kanaal_core::Result<Option<i64>> {
    if let Some(sku) = sku.filter(|s| !s.is_empty()) {
        let id = tx
            .prepare_cached("SELECT id FROM variants WHERE sku = ?1")?
            .query_row(params![sku], |r| r.get(0))
            .optional()?;
        if id.is_some() {
            return Ok(id);
        }
    }
    if let Some(gtin) = gtin.filter(|s| !s.is_empty()) {
        return Ok(tx
            .prepare_cached("SELECT id FROM variants WHERE gtin = ?1")?
            .query_row(params![gtin], |r| r.get(0))
            .optional()?);
    }
    Ok(None)
}

/// Stores the customer as the channel shows them; fields the channel hides are listed in
/// `masked_fields`. Known by e-mail where the channel gives one, else per order.
fn upsert_customer(
    tx: &Transaction<'_>,
    channel: ChannelId,
    order_remote_id: &str,
    c: &Customer,
) -> kanaal_core::Result<i64> {
    let remote_id = match c.email.as_deref().filter(|e| !e.is_empty()) {
        Some(e) => e.trim().to_lowercase(),
        None => format!("order:{order_remote_id}"),
    };
    let mut masked: Vec<&str> = [
        ("name", c.name.is_none()),
        ("email", c.email.is_none() || c.email_is_relay),
        ("phone", c.phone.is_none()),
        ("postcode", c.postcode.is_none()),
        ("house_number", c.house_number.is_none()),
        ("city", c.city.is_none()),
        ("country", c.country.is_none()),
    ]
    .iter()
    .filter(|(_, hidden)| *hidden)
    .map(|(f, _)| *f)
    .collect();
    masked.sort_unstable();
    let masked = serde_json::to_string(&masked).map_err(|e| Error::Corrupt(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO customers (channel_id, remote_id, name, email, phone, postcode, house_number,
                                city, country, masked_fields)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(channel_id, remote_id) DO UPDATE SET
            name = COALESCE(excluded.name, name), phone = COALESCE(excluded.phone, phone),
            postcode = COALESCE(excluded.postcode, postcode),
            house_number = COALESCE(excluded.house_number, house_number),
            city = COALESCE(excluded.city, city), country = COALESCE(excluded.country, country),
            masked_fields = excluded.masked_fields",
    )?
    .execute(params![
        channel.0,
        remote_id,
        c.name,
        c.email,
        c.phone,
        c.postcode,
        c.house_number,
        c.city,
        c.country,
        masked
    ])?;
    Ok(tx
        .prepare_cached("SELECT id FROM customers WHERE channel_id = ?1 AND remote_id = ?2")?
        .query_row(params![channel.0, remote_id], |r| r.get(0))?)
}
