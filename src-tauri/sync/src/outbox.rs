//! The outbox worker: sends one channel's queued rows through its connector, in order, and
//! settles each in the store. Owns the row life cycle queued/waiting -> sending -> done | waiting
//! | failed; must not plan (kanaal-core) nor speak a wire format (the connectors).
//!
//! Crash safety: a row is marked 'sending' in its own committed transaction *before* the call,
//! so a kill during the call leaves evidence. A row found in 'sending' when a drain starts (or a
//! row that failed before and may have been applied anyway) is treated as "maybe done": a create
//! is looked up on the channel first — by EAN where the channel lists per variant, by handle
//! where the connector addresses creates by handle (Shopify's `productSet`) — and what is there
//! is adopted and brought in line instead of creating a second listing. Stock and updates send
//! absolute values, and Shopify's stock call carries the row's idempotency key, so repeating
//! them is harmless.
//!
//! Failures: a transient one (throttled, platform down, no network) puts the row in 'waiting'
//! with `attempts + 1` and a jittered exponential `next_attempt_at` from the injected clock and
//! seeded RNG; the row stays visible with its `last_error`, never dropped. A rejection marks it
//! 'failed' with the platform's reason per field in `last_error` (JSON), and the listing
//! 'rejected'. Later rows of a listing wait behind an earlier row of it that is not done, so a
//! listing's changes reach the channel in the order they were made.

use crate::remote;
use crate::Result;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use kanaal_channels::model::{
    Cancellation, Carrier, ListingLevel, LiveListing, PublishedListing, PublishedVariant, Shipment,
    StockTarget, StockUpdate,
};
use kanaal_channels::{Channel, Failure, PageCursor};
use kanaal_core::clock::Clock;
use kanaal_core::failure::{Queued, StoredFailure, Unsendable};
use kanaal_core::ids::ChannelId;
use kanaal_core::orders::cancel::CancelPayload;
use kanaal_core::orders::shipping::ShipPayload;
use kanaal_core::progress::{CancelToken, Progress, ProgressStep};
use kanaal_core::publish::{after_success, RenderedListing};
use kanaal_core::store::Store;
use kanaal_core::Error;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// First wait after a transient failure; doubles per attempt up to [`MAX_BACKOFF_SECS`].
pub const BASE_BACKOFF_SECS: i64 = 30;
pub const MAX_BACKOFF_SECS: i64 = 3600;

/// What happened to one row in a drain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// The channel accepted it.
    Done,
    /// It was already on the channel (a lost answer or a crash); Kanaal adopted it.
    Adopted,
    /// A transient failure; tried again at `next_attempt_at`.
    Waiting,
    /// The channel refused it; the reason is in `message` (and per field in `last_error`).
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowResult {
    pub outbox_id: i64,
    pub listing_id: Option<i64>,
    pub operation: String,
    pub outcome: RowOutcome,
    /// The failure's kind (`throttled`, `rejected`, ...; see `Failure::kind`).
    pub kind: Option<String>,
    /// The channel's words for a failure, for the merchant.
    pub message: Option<String>,
    pub next_attempt_at: Option<String>,
}

/// What one drain did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DrainReport {
    pub sent: usize,
    pub adopted: usize,
    pub retry_later: usize,
    pub failed: usize,
    /// Rows left for later: not due yet, behind an earlier row of the same listing, or an
    /// update of a listing changed on the channel (held until the merchant chose).
    pub not_due: usize,
    /// Updates held because the channel could not be read back for changes since the last
    /// check (see [`kanaal_core::drift::unchecked`]); they go once a check succeeds. Also
    /// counted in `not_due`.
    pub held_unchecked: usize,
    /// Stopped on request; rows not reached are still queued.
    pub cancelled: bool,
    pub rows: Vec<RowResult>,
}

impl DrainReport {
    /// Nothing was left to do: every row reached was sent.
    pub fn quiet(&self) -> bool {
        self.retry_later == 0 && self.not_due == 0 && self.failed == 0 && !self.cancelled
    }
}

struct Row {
    id: i64,
    listing: Option<i64>,
    operation: String,
    payload: Value,
    key: String,
    /// Attempts made before this one.
    attempts: i64,
    /// Found in 'sending': an earlier run may have been killed during the call.
    recovering: bool,
}

/// What a successful call left on the channel.
struct Sent {
    published: Option<PublishedListing>,
    adopted: bool,
    stock: Vec<(String, u32)>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Corrupt(format!("{what}: {e}"))
}

/// The wait before attempt `attempts + 1`: exponential from [`BASE_BACKOFF_SECS`], capped, with
/// "equal jitter" (half fixed, half random) so many rows do not retry in step.
pub fn backoff(attempts: i64, rng: &mut ChaCha8Rng) -> Duration {
    let exp = attempts.clamp(1, 20) - 1;
    let step = BASE_BACKOFF_SECS
        .saturating_mul(1i64 << exp)
        .min(MAX_BACKOFF_SECS);
    let half = step / 2;
    Duration::seconds(half + rng.random_range(0..=half.max(1)))
}

/// An outbox row to consider: id, listing, state, next attempt, operation.
type Candidate = (i64, Option<i64>, String, Option<String>, String);

/// Sends the queued and due rows of `channel` through `connector`, in order. See the module
/// documentation for the guarantees. Stops between rows when `cancel` is set (the rows not
/// reached stay queued) and when the network is gone (no point in trying the rest now).
pub async fn drain_outbox(
    store: &Store,
    channel: ChannelId,
    connector: &dyn Channel,
    clock: &dyn Clock,
    rng: &mut ChaCha8Rng,
    cancel: &CancelToken,
    progress: &dyn Progress,
) -> Result<DrainReport> {
    let now = clock.now();
    let (candidates, drifted, unchecked) = store.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT id, listing_id, state, next_attempt_at, operation FROM outbox
             WHERE channel_id = ?1 AND state IN ('queued', 'waiting', 'sending')
             ORDER BY id",
        )?;
        let rows = stmt.query_map(params![channel.0], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        let rows: Vec<Candidate> = rows.collect::<rusqlite::Result<_>>()?;
        Ok((
            rows,
            kanaal_core::drift::held_listings(tx, channel)?,
            kanaal_core::drift::unchecked(tx, channel)?.is_some(),
        ))
    })?;
    let total = candidates.len() as u64;
    let mut report = DrainReport::default();
    let mut held: HashSet<i64> = HashSet::new();
    let mut live: Option<Vec<LiveListing>> = None;
    let limits = connector.limits();
    for (done, (id, listing, state, next_at, operation)) in candidates.into_iter().enumerate() {
        progress.report(ProgressStep {
            stage: "outbox".into(),
            done: done as u64,
            total,
        });
        if cancel.is_cancelled() {
            report.cancelled = true;
            break;
        }
        if listing.is_some_and(|l| held.contains(&l)) {
            report.not_due += 1;
            continue;
        }
        // An update sends the whole listing: while the channel has a change the merchant has
        // not adopted or overruled (kanaal_core::drift), it would overwrite it. Held, not lost.
        // A listing removed on the channel takes no stock either until the merchant chose
        // (put it back, or take it off in Kanaal too).
        let findings = listing.and_then(|l| drifted.get(&kanaal_core::ids::ListingId(l)));
        let removed = findings.is_some_and(|f| {
            f.iter()
                .any(|(field, _)| field == kanaal_core::drift::FIELD_LISTED)
        });
        if (operation == "update" && findings.is_some()) || (operation == "set_stock" && removed) {
            report.not_due += 1;
            if let Some(l) = listing {
                held.insert(l);
            }
            continue;
        }
        // The last read-back failed: a change made on the channel since the check before
        // cannot be seen, and an update would overwrite it. Stock, orders and creates go.
        if operation == "update" && unchecked {
            report.not_due += 1;
            report.held_unchecked += 1;
            continue;
        }
        let due = state == "sending"
            || next_at
                .as_deref()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .is_none_or(|t| t.with_timezone(&Utc) <= now);
        if !due {
            report.not_due += 1;
            if let Some(l) = listing {
                held.insert(l);
            }
            continue;
        }
        let Some(row) = mark_sending(store, id, state == "sending", clock)? else {
            continue; // replaced or cancelled meanwhile
        };
        let outcome = send(connector, &limits, store, &row, &mut live).await;
        let result = settle(store, &row, outcome, clock, rng)?;
        match result.outcome {
            RowOutcome::Done => report.sent += 1,
            RowOutcome::Adopted => report.adopted += 1,
            RowOutcome::Waiting => report.retry_later += 1,
            RowOutcome::Failed => report.failed += 1,
        }
        // No network or a refused login: every further call would fail the same way.
        let stop = matches!(
            result.kind.as_deref(),
            Some("network_down" | "bad_credentials")
        );
        if matches!(result.outcome, RowOutcome::Waiting | RowOutcome::Failed) {
            if let Some(l) = listing {
                held.insert(l);
            }
        }
        report.rows.push(result);
        if stop {
            break;
        }
    }
    progress.report(ProgressStep {
        stage: "outbox".into(),
        done: total,
        total,
    });
    Ok(report)
}

/// Marks the row 'sending' (attempt counted) in its own transaction and reads it fresh.
fn mark_sending(
    store: &Store,
    id: i64,
    recovering: bool,
    clock: &dyn Clock,
) -> Result<Option<Row>> {
    let at = rfc3339(clock.now());
    Ok(store.write(|tx| {
        let row = tx
            .query_row(
                "SELECT listing_id, operation, payload, idempotency_key, attempts FROM outbox
                 WHERE id = ?1 AND state IN ('queued', 'waiting', 'sending')",
                params![id],
                |r| {
                    Ok((
                        r.get::<_, Option<i64>>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((listing, operation, payload, key, attempts)) = row else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?2
             WHERE id = ?1",
            params![id, at],
        )?;
        Ok(Some(Row {
            id,
            listing,
            operation,
            payload: serde_json::from_str(&payload).map_err(|e| corrupt("outbox payload", e))?,
            key,
            attempts,
            recovering,
        }))
    })?)
}

/// Why a row failed: the channel's failure, or Kanaal's own reason it could not send it.
type Refusal = StoredFailure;

fn unsendable(problem: Unsendable) -> Refusal {
    StoredFailure::Unsendable { problem }
}

fn unreadable(what: Queued, error: impl std::fmt::Display) -> Refusal {
    unsendable(Unsendable::QueuedUnreadable {
        what,
        error: error.to_string(),
    })
}

fn rendered(row: &Row) -> std::result::Result<RenderedListing, Refusal> {
    let listing = row
        .payload
        .get("listing")
        .cloned()
        .ok_or_else(|| unreadable(Queued::Listing, "no listing in it"))?;
    serde_json::from_value(listing).map_err(|e| unreadable(Queued::Listing, e))
}

async fn find_live<'a>(
    connector: &dyn Channel,
    cache: &'a mut Option<Vec<LiveListing>>,
    sku: &str,
    gtin: Option<&str>,
) -> std::result::Result<Option<&'a LiveListing>, Failure> {
    if cache.is_none() {
        let mut all = Vec::new();
        let mut page: Option<PageCursor> = None;
        loop {
            let p = connector.live_listings(page.as_ref()).await?;
            all.extend(p.items);
            match p.next {
                Some(n) => page = Some(n),
                None => break,
            }
        }
        *cache = Some(all);
    }
    Ok(cache.as_ref().and_then(|all| {
        all.iter().find(|l| {
            (gtin.is_some() && l.gtin.as_deref() == gtin) || l.sku.as_deref() == Some(sku)
        })
    }))
}

/// Makes the call a row stands for. Reads what it needs from the store before the call; holds
/// no transaction across it.
async fn send(
    connector: &dyn Channel,
    limits: &kanaal_channels::model::ChannelLimits,
    store: &Store,
    row: &Row,
    live: &mut Option<Vec<LiveListing>>,
) -> std::result::Result<Sent, Refusal> {
    let published = match row.listing {
        Some(l) => store
            .read(|tx| remote::published(tx, l))
            .map_err(|e| StoredFailure::Local {
                detail: e.to_string(),
            })?,
        None => None,
    };
    let maybe_applied = row.recovering || row.attempts > 0;
    match row.operation.as_str() {
        "create" => {
            let draft = remote::draft(&rendered(row)?, limits.max_stock);
            if maybe_applied && limits.listing_level == ListingLevel::Variant {
                // No idempotency key on this channel: look before creating again.
                if let Some(v) = draft.variants.first() {
                    let found = find_live(connector, live, &v.sku, v.gtin.as_deref())
                        .await?
                        .map(|l| l.remote_id.clone());
                    if let Some(remote_id) = found {
                        let adopted = PublishedListing {
                            remote_id: remote_id.clone(),
                            variants: vec![PublishedVariant {
                                sku: v.sku.clone(),
                                remote_id,
                                extra: BTreeMap::new(),
                            }],
                        };
                        let p = connector.update_listing(&adopted, &draft).await?;
                        return Ok(Sent {
                            published: Some(p),
                            adopted: true,
                            stock: Vec::new(),
                        });
                    }
                }
            }
            // Shopify addresses a create by handle, so a repeat finds the product it made.
            let p = connector.create_listing(&draft).await?;
            Ok(Sent {
                published: Some(p),
                adopted: false,
                stock: Vec::new(),
            })
        }
        "update" => {
            let draft = remote::draft(&rendered(row)?, limits.max_stock);
            let Some(known) = published else {
                // Never confirmed on the channel: create it (finds a lost create first).
                let p = connector.create_listing(&draft).await?;
                return Ok(Sent {
                    published: Some(p),
                    adopted: false,
                    stock: Vec::new(),
                });
            };
            let p = connector.update_listing(&known, &draft).await?;
            Ok(Sent {
                published: Some(p),
                adopted: false,
                stock: Vec::new(),
            })
        }
        "unpublish" => {
            if let Some(known) = published {
                connector.unpublish_listing(&known).await?;
            }
            Ok(Sent {
                published: None,
                adopted: false,
                stock: Vec::new(),
            })
        }
        "set_stock" => {
            let Some(known) = published else {
                return Err(unsendable(Unsendable::NotListedYet));
            };
            let mut done = Vec::new();
            for v in row
                .payload
                .get("variants")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (Some(sku), Some(q)) = (
                    v.get("sku").and_then(Value::as_str),
                    v.get("quantity").and_then(Value::as_u64),
                ) else {
                    continue;
                };
                let quantity = u32::try_from(q).unwrap_or(u32::MAX);
                let quantity = limits.max_stock.map_or(quantity, |m| quantity.min(m));
                let variant = known
                    .variants
                    .iter()
                    .find(|pv| pv.sku == sku)
                    .cloned()
                    .or_else(|| {
                        // A channel listing per variant uses the listing's id for the variant.
                        (limits.listing_level == ListingLevel::Variant).then(|| PublishedVariant {
                            sku: sku.to_string(),
                            remote_id: known.remote_id.clone(),
                            extra: BTreeMap::new(),
                        })
                    })
                    .ok_or_else(|| {
                        unsendable(Unsendable::VariantNotListedYet {
                            sku: sku.to_string(),
                        })
                    })?;
                connector
                    .set_stock(
                        &StockTarget {
                            listing_remote_id: known.remote_id.clone(),
                            variant,
                        },
                        &StockUpdate {
                            quantity,
                            expected_current: None,
                            idempotency_key: format!("{}-{}", &row.key, done.len()),
                        },
                    )
                    .await?;
                done.push((sku.to_string(), quantity));
            }
            Ok(Sent {
                published: None,
                adopted: false,
                stock: done,
            })
        }
        "ship" => {
            // Queued by "Mark shipped" (kanaal_core::orders::shipping). Repeating it after a
            // lost answer is safe: the connectors recognise a shipment they already made by
            // its reference.
            let ship: ShipPayload = serde_json::from_value(row.payload.clone())
                .map_err(|e| unreadable(Queued::Shipment, e))?;
            connector
                .mark_shipped(&Shipment {
                    order_remote_id: ship.order_remote_id,
                    lines: Vec::new(),
                    carrier: carrier(&ship.carrier),
                    tracking: ship.tracking,
                    reference: ship.reference,
                })
                .await?;
            Ok(Sent {
                published: None,
                adopted: false,
                stock: Vec::new(),
            })
        }
        "cancel" => {
            // Queued by "Cancel" (kanaal_core::orders::cancel). Repeating it after a lost
            // answer is safe: the connectors treat lines already cancelled as done.
            let cancel: CancelPayload = serde_json::from_value(row.payload.clone())
                .map_err(|e| unreadable(Queued::Cancellation, e))?;
            connector
                .cancel_order(&Cancellation {
                    order_remote_id: cancel.order_remote_id,
                    lines: cancel.remote_lines,
                    reason: cancel.reason,
                })
                .await?;
            Ok(Sent {
                published: None,
                adopted: false,
                stock: Vec::new(),
            })
        }
        other => Err(unsendable(Unsendable::UnknownOperation {
            operation: other.to_string(),
        })),
    }
}

/// The carrier of a queued shipment (the codes of `kanaal_core::orders::shipping::CARRIERS`).
fn carrier(code: &str) -> Carrier {
    match code {
        "postnl" => Carrier::PostNl,
        "dhl" => Carrier::Dhl,
        "dpd" => Carrier::Dpd,
        "gls" => Carrier::Gls,
        "ups" => Carrier::Ups,
        "bpost" => Carrier::Bpost,
        other => Carrier::Other(other.to_string()),
    }
}

/// Writes the outcome of one call, in one transaction.
fn settle(
    store: &Store,
    row: &Row,
    outcome: std::result::Result<Sent, Refusal>,
    clock: &dyn Clock,
    rng: &mut ChaCha8Rng,
) -> Result<RowResult> {
    let now = clock.now();
    let at = rfc3339(now);
    let mut result = RowResult {
        outbox_id: row.id,
        listing_id: row.listing,
        operation: row.operation.clone(),
        outcome: RowOutcome::Done,
        kind: None,
        message: None,
        next_attempt_at: None,
    };
    let failure = match outcome {
        Ok(sent) => {
            let clash = store.write(|tx| settle_success(tx, row, &sent, now, &at))?;
            match clash {
                None => {
                    if sent.adopted {
                        result.outcome = RowOutcome::Adopted;
                    }
                    return Ok(result);
                }
                Some(f) => f,
            }
        }
        Err(f) => f,
    };
    result.message = Some(failure.to_string());
    // Kanaal's own refusals count as rejected: the merchant must change something.
    let from_channel = match &failure {
        StoredFailure::Channel { failure } => Some(failure),
        _ => None,
    };
    result.kind = Some(from_channel.map_or("rejected", Failure::kind).to_string());
    // Throttling and outages pass; bad login details need the merchant but are kept too, so
    // nothing is lost when the channel is connected again.
    let retry = from_channel
        .is_some_and(|f| f.is_transient() || matches!(f, Failure::BadCredentials { .. }));
    if retry {
        let mut wait = backoff(row.attempts + 1, rng);
        if let Some(Failure::Throttled { retry_after, .. }) = from_channel {
            let asked = Duration::from_std(*retry_after).unwrap_or(Duration::zero());
            wait = wait.max(asked);
        }
        let next = rfc3339(now + wait);
        store.write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'waiting', next_attempt_at = ?2, last_error = ?3,
                        updated_at = ?4 WHERE id = ?1",
                params![row.id, next, failure.to_stored(), at],
            )?;
            Ok(())
        })?;
        result.outcome = RowOutcome::Waiting;
        result.next_attempt_at = Some(next);
    } else {
        store.write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'failed', last_error = ?2, updated_at = ?3 WHERE id = ?1",
                params![row.id, failure.to_stored(), at],
            )?;
            if let (Some(l), "create" | "update") = (row.listing, row.operation.as_str()) {
                tx.execute(
                    "UPDATE listings SET state = 'rejected' WHERE id = ?1",
                    params![l],
                )?;
            }
            Ok(())
        })?;
        result.outcome = RowOutcome::Failed;
    }
    Ok(result)
}

/// Settles a successful call. Returns a failure instead when the channel's id already belongs
/// to another listing of this channel (two catalog products with the same EAN).
fn settle_success(
    tx: &rusqlite::Transaction<'_>,
    row: &Row,
    sent: &Sent,
    now: DateTime<Utc>,
    at: &str,
) -> kanaal_core::Result<Option<Refusal>> {
    if row.operation == "set_stock" {
        tx.execute(
            "UPDATE outbox SET state = 'done', last_error = NULL, updated_at = ?2 WHERE id = ?1",
            params![row.id, at],
        )?;
        if let Some(l) = row.listing {
            if let Some(mut m) = remote::mirror(tx, l)? {
                for (sku, q) in &sent.stock {
                    remote::set_confirmed_stock(&mut m, sku, *q);
                }
                remote::save_mirror(tx, l, &m, at)?;
            }
        }
        return Ok(None);
    }
    if row.operation == "ship" {
        tx.execute(
            "UPDATE outbox SET state = 'done', last_error = NULL, updated_at = ?2 WHERE id = ?1",
            params![row.id, at],
        )?;
        // The inbox shows it shipped at once; the next order pull confirms it from the channel.
        if let Some(order) = row.payload.get("order_remote_id").and_then(Value::as_str) {
            tx.execute(
                "UPDATE orders SET status = 'shipped', updated_at = ?3
                  WHERE remote_id = ?1 AND channel_id = (SELECT channel_id FROM outbox WHERE id = ?2)",
                params![order, row.id, at],
            )?;
        }
        return Ok(None);
    }
    if row.operation == "cancel" {
        tx.execute(
            "UPDATE outbox SET state = 'done', last_error = NULL, updated_at = ?2 WHERE id = ?1",
            params![row.id, at],
        )?;
        // The channel confirmed: the lines are cancelled and their stock goes back on the
        // shelf, once (the order import, reading the cancellation later, adds nothing more),
        // and the new quantity is queued for every channel.
        let cancel: CancelPayload = serde_json::from_value(row.payload.clone())
            .map_err(|e| Error::Corrupt(format!("cancellation payload: {e}")))?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM orders WHERE id = ?1)",
            params![cancel.order],
            |r| r.get(0),
        )?;
        if exists {
            let mut moved = HashSet::new();
            let lines = (!cancel.line_nos.is_empty()).then_some(cancel.line_nos.as_slice());
            crate::orders::return_cancelled(tx, cancel.order, lines, now, &mut moved)?;
            tx.execute(
                "UPDATE orders SET updated_at = ?2 WHERE id = ?1",
                params![cancel.order, at],
            )?;
            if !moved.is_empty() {
                crate::stock::queue_stock_tx(tx, now, Some(&moved))?;
            }
        }
        return Ok(None);
    }
    let remote_id = sent.published.as_ref().map(|p| p.remote_id.as_str());
    if let (Some(l), Some(rid)) = (row.listing, remote_id) {
        let other: Option<i64> = tx
            .query_row(
                "SELECT o.id FROM listings o JOIN listings l ON l.channel_id = o.channel_id
                 WHERE l.id = ?1 AND o.remote_id = ?2 AND o.id != ?1",
                params![l, rid],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = other {
            return Ok(Some(unsendable(Unsendable::SameListingAs {
                listing: other,
            })));
        }
    }
    after_success(tx, row.id, remote_id, now)?;
    if let (Some(l), Some(p)) = (row.listing, &sent.published) {
        if let Some(mut m) = remote::mirror(tx, l)? {
            m["remote"] = remote::to_json(p);
            remote::save_mirror(tx, l, &m, at)?;
        }
    }
    if row.operation == "unpublish" {
        if let Some(l) = row.listing {
            // Off the channel: a stock change must not be pushed to it any more.
            tx.execute(
                "UPDATE outbox SET state = 'cancelled', updated_at = ?2
                 WHERE listing_id = ?1 AND operation = 'set_stock' AND state IN ('queued', 'waiting')",
                params![l, at],
            )?;
        }
    }
    Ok(None)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn backoff_grows_is_capped_and_jittered_from_the_seed() {
        let mut a = ChaCha8Rng::seed_from_u64(1);
        let mut b = ChaCha8Rng::seed_from_u64(1);
        let first: Vec<_> = (1..=12).map(|n| backoff(n, &mut a)).collect();
        let again: Vec<_> = (1..=12).map(|n| backoff(n, &mut b)).collect();
        assert_eq!(first, again, "the same seed gives the same waits");
        assert!(first[0] >= Duration::seconds(15) && first[0] <= Duration::seconds(30));
        assert!(
            first[3] >= Duration::seconds(120),
            "fourth wait: {:?}",
            first[3]
        );
        assert!(first
            .iter()
            .all(|d| *d <= Duration::seconds(MAX_BACKOFF_SECS)));
        let mut c = ChaCha8Rng::seed_from_u64(2);
        let other: Vec<_> = (1..=12).map(|n| backoff(n, &mut c)).collect();
        assert_ne!(first, other, "jitter differs between seeds");
    }
}
