//! The order inbox: imported orders across every channel, newest first, with what the merchant
//! scans a list for (channel, status, total, lines, lines Kanaal could not match). Read only.

use crate::Result;
use kanaal_core::store::Store;
use rusqlite::params;
use serde::Serialize;

/// One order in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderSummary {
    pub id: i64,
    pub channel_id: i64,
    pub channel: String,
    pub remote_id: String,
    pub status: String,
    pub placed_at: String,
    pub currency: String,
    pub total: String,
    pub fees_reported: Option<String>,
    pub customer: Option<String>,
    /// Items ordered (sum of line quantities).
    pub items: i64,
    /// Lines whose SKU/EAN is not in the catalog.
    pub unknown_lines: i64,
    /// Whether the order's stock is moved (false for a cancelled or fully unknown order).
    pub stock_applied: bool,
    /// RFC 3339 UTC: the channel cancels the order's earliest open line unless shipped by then.
    pub ship_by: Option<String>,
    /// Lines the customer asked the channel to cancel (bol.com `cancellationRequest`).
    pub cancel_requests: i64,
    /// Lines with cancelled units (by the channel or by Kanaal).
    pub lines_cancelled: i64,
}

/// The newest `limit` orders (all channels, or one).
pub fn list_orders(store: &Store, channel: Option<i64>, limit: u32) -> Result<Vec<OrderSummary>> {
    Ok(store.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT o.id, o.channel_id, c.name, o.remote_id, o.status, o.placed_at, o.currency,
                    o.total, o.fees_reported, cu.name,
                    COALESCE((SELECT SUM(quantity) FROM order_lines l WHERE l.order_id = o.id), 0),
                    (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id AND l.variant_id IS NULL),
                    o.stock_applied, o.ship_by,
                    (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id
                       AND l.cancel_requested = 1 AND l.quantity_cancelled < l.quantity),
                    (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id
                       AND l.quantity_cancelled > 0)
             FROM orders o JOIN channels c ON c.id = o.channel_id
             LEFT JOIN customers cu ON cu.id = o.customer_id
             WHERE ?1 IS NULL OR o.channel_id = ?1
             ORDER BY o.placed_at DESC, o.id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![channel, limit], |r| {
            Ok(OrderSummary {
                id: r.get(0)?,
                channel_id: r.get(1)?,
                channel: r.get(2)?,
                remote_id: r.get(3)?,
                status: r.get(4)?,
                placed_at: r.get(5)?,
                currency: r.get(6)?,
                total: r.get(7)?,
                fees_reported: r.get(8)?,
                customer: r.get(9)?,
                items: r.get(10)?,
                unknown_lines: r.get(11)?,
                stock_applied: r.get::<_, i64>(12)? == 1,
                ship_by: r.get(13)?,
                cancel_requests: r.get(14)?,
                lines_cancelled: r.get(15)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })?)
}
