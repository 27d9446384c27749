//! "Cancel": the whole order or single lines, with a reason from the platform's own list. Checks
//! what the channel allows (bol.com cancels per order item; Shopify only whole orders) and
//! queues the cancellation as one outbox row (operation `cancel`), so it reaches the channel
//! through the same worker, retries and idempotency as a shipment. It must not call a channel
//! nor move stock: the sync engine puts the stock back once the channel confirmed.

use super::OPEN_STATUSES;
use crate::ids::OrderId;
use crate::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

/// Why the merchant cancels: the union of the platforms' own reason lists. Each channel offers
/// only its own ([`reasons_for`]); the connectors map a reason to the platform's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// bol.com OUT_OF_STOCK, Shopify INVENTORY.
    OutOfStock,
    /// bol.com REQUESTED_BY_CUSTOMER, Shopify CUSTOMER.
    RequestedByCustomer,
    /// bol.com INCORRECT_PRICE.
    PriceError,
    /// bol.com BAD_CONDITION.
    BadCondition,
    /// bol.com HIGHER_SHIPCOST.
    HigherShippingCost,
    /// bol.com NOT_AVAIL_IN_TIME.
    NotAvailableInTime,
    /// bol.com NO_BOL_GUARANTEE.
    NoBolGuarantee,
    /// bol.com ORDERED_TWICE.
    OrderedTwice,
    /// bol.com RETAIN_ITEM.
    RetainItem,
    /// bol.com TECH_ISSUE.
    TechIssue,
    /// bol.com UNFINDABLE_ITEM.
    UnfindableItem,
    /// Shopify DECLINED (the payment was declined).
    PaymentDeclined,
    /// Shopify FRAUD.
    Fraud,
    /// Shopify STAFF (a staff error).
    Staff,
    /// bol.com and Shopify OTHER.
    Other,
}

const BOL_REASONS: &[CancelReason] = &[
    CancelReason::OutOfStock,
    CancelReason::RequestedByCustomer,
    CancelReason::BadCondition,
    CancelReason::HigherShippingCost,
    CancelReason::PriceError,
    CancelReason::NotAvailableInTime,
    CancelReason::NoBolGuarantee,
    CancelReason::OrderedTwice,
    CancelReason::RetainItem,
    CancelReason::TechIssue,
    CancelReason::UnfindableItem,
    CancelReason::Other,
];

const SHOPIFY_REASONS: &[CancelReason] = &[
    CancelReason::OutOfStock,
    CancelReason::RequestedByCustomer,
    CancelReason::PaymentDeclined,
    CancelReason::Fraud,
    CancelReason::Staff,
    CancelReason::Other,
];

const OTHER_REASONS: &[CancelReason] = &[
    CancelReason::OutOfStock,
    CancelReason::RequestedByCustomer,
    CancelReason::Other,
];

/// The reasons a channel kind accepts, in the order the UI offers them (its most common first).
pub fn reasons_for(kind: &str) -> &'static [CancelReason] {
    match kind {
        "bol" => BOL_REASONS,
        "shopify" => SHOPIFY_REASONS,
        _ => OTHER_REASONS,
    }
}

/// Whether a channel kind cancels single order lines (bol.com: per order item). Shopify cancels
/// whole orders only; a single line there is a refund, which the merchant does in Shopify.
pub fn cancels_single_lines(kind: &str) -> bool {
    kind == "bol"
}

/// What the outbox row of a cancellation carries; the sync worker reads it to call the channel
/// and, once the channel confirmed, to put the stock of exactly these lines back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelPayload {
    pub order_remote_id: String,
    /// Kanaal's order id.
    pub order: i64,
    /// The lines' numbers in the order (`order_lines.line_no`); empty means the whole order.
    pub line_nos: Vec<u32>,
    /// The same lines' ids on the channel; empty means the whole order.
    pub remote_lines: Vec<String>,
    pub reason: CancelReason,
}

/// The outbox batch of an order's cancellations: one per order, so the inbox can find them.
pub fn batch_id(order: OrderId) -> String {
    format!("cancel-{}", order.0)
}

/// Queues a cancellation of `order` (all of it when `line_nos` is empty, else those lines) for
/// `reason`. Refused in plain words when the order is no longer open, a line is unknown or
/// cancelled already, the channel does not offer the reason, the channel cannot cancel single
/// lines, or a cancellation of the order is already on its way. Returns the outbox row id.
pub fn queue_cancel(
    tx: &Transaction<'_>,
    order: OrderId,
    line_nos: &[u32],
    reason: CancelReason,
    now: DateTime<Utc>,
) -> Result<i64> {
    let (channel, kind, channel_name, remote_id, status): (i64, String, String, String, String) =
        tx.query_row(
            "SELECT o.channel_id, c.kind, c.name, o.remote_id, o.status
               FROM orders o JOIN channels c ON c.id = o.channel_id WHERE o.id = ?1",
            params![order.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Order {order}")))?;
    if !OPEN_STATUSES.contains(&status.to_lowercase().as_str()) {
        return Err(Error::invalid(
            "order",
            format!("order {remote_id} is {status}, so it cannot be cancelled any more"),
        ));
    }
    if !reasons_for(&kind).contains(&reason) {
        return Err(Error::invalid(
            "reason",
            format!("{channel_name} does not take this reason; choose one from the list"),
        ));
    }
    let mut lines: Vec<(u32, Option<String>, i64, i64)> = Vec::new();
    {
        let mut stmt = tx.prepare(
            "SELECT line_no, remote_line_id, quantity, quantity_cancelled
               FROM order_lines WHERE order_id = ?1 ORDER BY line_no",
        )?;
        let mut q = stmt.query(params![order.0])?;
        while let Some(r) = q.next()? {
            lines.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
        }
    }
    let mut wanted: Vec<u32> = line_nos.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let open_lines: Vec<u32> = lines
        .iter()
        .filter(|(_, _, q, c)| c < q)
        .map(|l| l.0)
        .collect();
    // Every open line named is the same as the whole order.
    if !wanted.is_empty() && wanted == open_lines && open_lines.len() == lines.len() {
        wanted.clear();
    }
    let mut remote_lines = Vec::new();
    if !wanted.is_empty() {
        if !cancels_single_lines(&kind) {
            return Err(Error::invalid(
                "lines",
                format!(
                    "{channel_name} cancels whole orders only; cancel the whole order, or refund the line in the platform itself"
                ),
            ));
        }
        for n in &wanted {
            let Some((_, remote, q, c)) = lines.iter().find(|l| l.0 == *n) else {
                return Err(Error::invalid(
                    "lines",
                    format!("order {remote_id} has no line {n}"),
                ));
            };
            if c >= q {
                return Err(Error::invalid(
                    "lines",
                    format!("line {n} of order {remote_id} is cancelled already"),
                ));
            }
            let Some(remote) = remote.clone().filter(|r| !r.is_empty()) else {
                return Err(Error::invalid(
                    "lines",
                    format!(
                        "line {n} of order {remote_id} has no id on {channel_name}; cancel the whole order instead"
                    ),
                ));
            };
            remote_lines.push(remote);
        }
    }
    let batch = batch_id(order);
    if super::outbox_op_waiting(tx, "cancel", &batch)? {
        return Err(Error::invalid(
            "order",
            format!(
                "a cancellation of order {remote_id} is already waiting to be sent; wait for the channel's answer"
            ),
        ));
    }
    if super::outbox_op_waiting(tx, "ship", &super::shipping::batch_id(order))? {
        return Err(Error::invalid(
            "order",
            format!(
                "order {remote_id} is being marked shipped on the channel; it cannot be cancelled as well"
            ),
        ));
    }
    let lines_text = wanted
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let key = super::idempotency_key(&["kanaal-cancel-v1", &order.0.to_string(), &lines_text]);
    let payload = CancelPayload {
        order_remote_id: remote_id,
        order: order.0,
        line_nos: wanted,
        remote_lines,
        reason,
    };
    let payload = serde_json::to_string(&payload).map_err(|e| Error::Corrupt(e.to_string()))?;
    let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let n = tx.execute(
        "INSERT INTO outbox (channel_id, listing_id, batch_id, operation, payload,
                             idempotency_key, counter_snapshot, state, created_at, updated_at)
         VALUES (?1, NULL, ?2, 'cancel', ?3, ?4, 0, 'queued', ?5, ?5)
         ON CONFLICT(idempotency_key) DO NOTHING",
        params![channel, batch, payload, key, at],
    )?;
    if n == 0 {
        // The same cancellation was sent before and refused or confirmed: send it again.
        tx.execute(
            "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = NULL,
                    last_error = NULL, payload = ?2, updated_at = ?3
              WHERE idempotency_key = ?1 AND state IN ('failed', 'cancelled', 'done')",
            params![key, payload, at],
        )?;
        return Ok(tx.query_row(
            "SELECT id FROM outbox WHERE idempotency_key = ?1",
            params![key],
            |r| r.get(0),
        )?);
    }
    Ok(tx.last_insert_rowid())
}
