//! One confirmed publish as the merchant follows it: how far each channel got, and per listing
//! the outcome with the platform's own reason when it refused. Also stopping a publish: rows
//! not yet picked up are cancelled. Reads and settles outbox rows only; sending is the outbox
//! worker's job.

use crate::failure::StoredFailure;
use crate::ids::{ChannelId, ListingId, ProductId};
use crate::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};

/// Counts of one channel's rows in a batch, by outbox state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BatchChannel {
    pub channel: ChannelId,
    pub channel_name: String,
    pub queued: u32,
    pub sending: u32,
    /// Sent, and the channel is still processing it (bol.com's process status).
    pub waiting: u32,
    pub done: u32,
    pub failed: u32,
    pub cancelled: u32,
}

impl BatchChannel {
    /// Rows that may still change state.
    pub fn open(&self) -> u32 {
        self.queued + self.sending + self.waiting
    }
}

/// One listing's row in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BatchRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub outbox_id: i64,
    pub channel: ChannelId,
    pub listing: Option<ListingId>,
    pub product: Option<ProductId>,
    pub title_nl: String,
    pub title_en: String,
    /// create, update or unpublish.
    pub operation: String,
    /// queued, sending, waiting, done, failed or cancelled.
    pub state: String,
    pub attempts: u32,
    /// Why it failed (or the last transient failure while retrying), typed for the window to
    /// word; a refusal keeps the platform's own reason.
    pub error: Option<StoredFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BatchProgress {
    pub batch_id: String,
    pub channels: Vec<BatchChannel>,
    pub rows: Vec<BatchRow>,
    /// No row can change any more (all done, failed or cancelled).
    pub finished: bool,
}

/// How far batch `batch_id` has got.
pub fn progress(tx: &Transaction<'_>, batch_id: &str) -> Result<BatchProgress> {
    let mut channels: Vec<BatchChannel> = Vec::new();
    let mut rows = Vec::new();
    let mut stmt = tx.prepare(
        "SELECT o.id, o.channel_id, c.name, o.listing_id, l.product_id,
                COALESCE(p.title_nl, ''), COALESCE(p.title_en, ''), o.operation, o.state,
                o.attempts, o.last_error
           FROM outbox o
           JOIN channels c ON c.id = o.channel_id
           LEFT JOIN listings l ON l.id = o.listing_id
           LEFT JOIN products p ON p.id = l.product_id
          WHERE o.batch_id = ?1
          ORDER BY c.name, o.channel_id, o.id",
    )?;
    let mut q = stmt.query(params![batch_id])?;
    while let Some(r) = q.next()? {
        let row = BatchRow {
            outbox_id: r.get(0)?,
            channel: r.get(1)?,
            listing: r.get(3)?,
            product: r.get(4)?,
            title_nl: r.get(5)?,
            title_en: r.get(6)?,
            operation: r.get(7)?,
            state: r.get(8)?,
            attempts: r.get(9)?,
            error: stored_failure(r.get(10)?),
        };
        if channels.last().is_none_or(|c| c.channel != row.channel) {
            channels.push(BatchChannel {
                channel: row.channel,
                channel_name: r.get(2)?,
                queued: 0,
                sending: 0,
                waiting: 0,
                done: 0,
                failed: 0,
                cancelled: 0,
            });
        }
        if let Some(c) = channels.last_mut() {
            match row.state.as_str() {
                "queued" => c.queued += 1,
                "sending" => c.sending += 1,
                "waiting" => c.waiting += 1,
                "done" => c.done += 1,
                "failed" => c.failed += 1,
                _ => c.cancelled += 1,
            }
        }
        rows.push(row);
    }
    let finished = channels.iter().all(|c| c.open() == 0);
    Ok(BatchProgress {
        batch_id: batch_id.to_string(),
        channels,
        rows,
        finished,
    })
}

/// An outbox row's `last_error`, typed: the outbox worker stores the channel's failure as
/// JSON ([`crate::failure::Failure::to_stored`]); older rows read back with their text.
pub fn stored_failure(last_error: Option<String>) -> Option<StoredFailure> {
    last_error.map(|text| StoredFailure::read(&text))
}

/// Cancels the rows of `batch_id` (of one channel, or all) that no worker has picked up yet.
/// Rows already being sent finish, since the platform may have them already. Their listings go
/// back to their state before the publish. Returns how many rows were cancelled.
pub fn cancel(
    tx: &Transaction<'_>,
    batch_id: &str,
    channel: Option<ChannelId>,
    now: DateTime<Utc>,
) -> Result<u32> {
    let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let channel = channel.map(|c| c.0);
    tx.execute(
        "UPDATE listings SET state = CASE WHEN last_published_at IS NULL THEN 'new' ELSE 'live' END
          WHERE state = 'pending' AND id IN (
                SELECT listing_id FROM outbox WHERE batch_id = ?1 AND state = 'queued'
                   AND (?2 IS NULL OR channel_id = ?2) AND listing_id IS NOT NULL)",
        params![batch_id, channel],
    )?;
    let n = tx.execute(
        "UPDATE outbox SET state = 'cancelled', updated_at = ?3, last_error = ?4
          WHERE batch_id = ?1 AND state = 'queued' AND (?2 IS NULL OR channel_id = ?2)",
        params![batch_id, channel, at, StoredFailure::Cancelled.to_stored()],
    )?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Puts every active product of the catalog on `channel` (one listing per product, or per
/// variant where the channel lists variants on their own), but only while the channel has no
/// listings at all: once the merchant has chosen, their choice stands. Returns how many
/// listings were made. Used when a demo channel is first connected.
pub fn list_all_active(
    tx: &Transaction<'_>,
    channel: ChannelId,
    per_variant: bool,
) -> Result<usize> {
    let any: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM listings WHERE channel_id = ?1)",
        params![channel.0],
        |r| r.get(0),
    )?;
    if any {
        return Ok(0);
    }
    let sql = if per_variant {
        "INSERT INTO listings (channel_id, product_id, variant_id)
         SELECT ?1, v.product_id, v.id FROM variants v JOIN products p ON p.id = v.product_id
          WHERE p.status = 'active' ORDER BY v.id"
    } else {
        "INSERT INTO listings (channel_id, product_id)
         SELECT ?1, p.id FROM products p WHERE p.status = 'active' ORDER BY p.id"
    };
    Ok(tx.execute(sql, params![channel.0])?)
}
