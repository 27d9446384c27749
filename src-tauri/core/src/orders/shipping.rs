//! "Mark shipped": checks the carrier and tracking code and queues the shipment as one outbox
//! row (operation `ship`), so it reaches the channel through the same worker, retries and
//! idempotency as a publish. It must not call a channel itself.

use super::OPEN_STATUSES;
use crate::ids::OrderId;
use crate::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

/// Carriers a shipment can name, by the codes the connectors map to the platform's own.
pub const CARRIERS: [&str; 7] = ["postnl", "dhl", "dpd", "gls", "ups", "bpost", "other"];

/// What the outbox row of a shipment carries; the sync worker reads it to call the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipPayload {
    pub order_remote_id: String,
    pub carrier: String,
    pub tracking: String,
    /// Kanaal's own reference, unique per shipment, to recognise one made although the
    /// channel's answer was lost.
    pub reference: String,
}

/// The outbox batch of an order's shipments: one per order, so the inbox can find them.
pub fn batch_id(order: OrderId) -> String {
    format!("ship-{}", order.0)
}

/// A tracking code in the form carriers print it: letters and digits, 6 to 40 of them (spaces
/// and dashes typed by the user are dropped). Returns the cleaned code.
pub fn check_tracking(tracking: &str) -> Result<String> {
    let code: String = tracking
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    if code.is_empty() {
        return Err(Error::invalid(
            "tracking",
            "enter the tracking code from the shipping label",
        ));
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            "tracking",
            "a tracking code has only letters and digits; copy it from the shipping label",
        ));
    }
    if !(6..=40).contains(&code.len()) {
        return Err(Error::invalid(
            "tracking",
            format!(
                "a tracking code has 6 to 40 letters and digits, this one has {}; check it on the shipping label",
                code.len()
            ),
        ));
    }
    Ok(code)
}

/// Queues "mark shipped" for `order` with `carrier` and `tracking`. Refused when the order is
/// not waiting to be shipped or a shipment for it is already on its way to the channel.
/// Returns the outbox row id.
pub fn queue_shipment(
    tx: &Transaction<'_>,
    order: OrderId,
    carrier: &str,
    tracking: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let carrier = carrier.trim().to_lowercase();
    if !CARRIERS.contains(&carrier.as_str()) {
        return Err(Error::invalid(
            "carrier",
            format!("choose the carrier from the list ({})", CARRIERS.join(", ")),
        ));
    }
    let tracking = check_tracking(tracking)?;
    let (channel, remote_id, status): (i64, String, String) = tx
        .query_row(
            "SELECT channel_id, remote_id, status FROM orders WHERE id = ?1",
            params![order.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Order {order}")))?;
    if !OPEN_STATUSES.contains(&status.to_lowercase().as_str()) {
        return Err(Error::invalid(
            "order",
            format!("order {remote_id} is {status}, so it cannot be marked shipped"),
        ));
    }
    let batch = batch_id(order);
    if super::outbox_op_waiting(tx, "ship", &batch)? {
        return Err(Error::invalid(
            "order",
            format!("a shipment for order {remote_id} is already waiting to be sent; wait for the channel's answer"),
        ));
    }
    let key =
        super::idempotency_key(&["kanaal-ship-v1", &order.0.to_string(), &carrier, &tracking]);
    let payload = ShipPayload {
        order_remote_id: remote_id,
        carrier,
        tracking,
        reference: key.chars().take(20).collect(),
    };
    let payload = serde_json::to_string(&payload).map_err(|e| Error::Corrupt(e.to_string()))?;
    let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let n = tx.execute(
        "INSERT INTO outbox (channel_id, listing_id, batch_id, operation, payload,
                             idempotency_key, counter_snapshot, state, created_at, updated_at)
         VALUES (?1, NULL, ?2, 'ship', ?3, ?4, 0, 'queued', ?5, ?5)
         ON CONFLICT(idempotency_key) DO NOTHING",
        params![channel, batch, payload, key, at],
    )?;
    if n == 0 {
        return Err(Error::invalid(
            "tracking",
            "this order was already marked shipped with this carrier and tracking code",
        ));
    }
    Ok(tx.last_insert_rowid())
}
