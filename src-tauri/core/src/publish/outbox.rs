//! Turning a confirmed plan into outbox rows, and settling a listing after the channel accepted
//! a row. Both run inside the caller's transaction, so a crash leaves either all of a batch or
//! none of it. Sending is the outbox worker's job, not this module's.

use super::plan::{Action, Plan};
use super::render::current_counter;
use crate::ids::{ChannelId, ListingId};
use crate::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// What confirming a plan did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Confirmed {
    /// Rows written to the outbox.
    pub queued: usize,
    /// Actions already in the outbox from an earlier confirm of the same plan (same key).
    pub already_queued: usize,
    /// Listings held back by a validation problem.
    pub blocked: usize,
}

/// The idempotency key of one send: the same listing, counter snapshot, operation, payload and
/// outbox generation always give the same key, so confirming the same plan twice queues it once
/// and a retried send carries the key the platform already saw. The generation (id of the
/// listing's last finished outbox row) makes a later, identical re-send (A -> B -> A) a new key.
pub fn idempotency_key(
    channel: ChannelId,
    listing: ListingId,
    counter_snapshot: i64,
    operation: &str,
    payload: &str,
    generation: i64,
) -> String {
    let mut h = Sha256::new();
    for part in [
        "kanaal-publish-v1".to_string(),
        channel.0.to_string(),
        listing.0.to_string(),
        counter_snapshot.to_string(),
        operation.to_string(),
        payload.to_string(),
        generation.to_string(),
    ] {
        h.update(part.len().to_le_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Writes one outbox row per sendable action of `plan`, all in `tx`. Refuses (changing nothing)
/// when a listing changed since the plan was made, so what is sent is what was previewed.
pub fn confirm(
    tx: &Transaction<'_>,
    plan: &Plan,
    batch_id: &str,
    now: DateTime<Utc>,
) -> Result<Confirmed> {
    for item in plan.sendable() {
        if current_counter(tx, item.listing)? != item.counter_snapshot {
            return Err(Error::invalid(
                "plan",
                "the catalog changed since this preview was made; open the preview again and confirm what it shows now",
            ));
        }
    }
    queue(tx, plan, batch_id, now, None)
}

/// Writes one outbox row per sendable action of `plan` into batch `batch_id`, without checking
/// the counters (the caller has checked that the plan is current). `extra` keys are added to
/// each row's payload (a rollback names the batch it rolls back).
pub(crate) fn queue(
    tx: &Transaction<'_>,
    plan: &Plan,
    batch_id: &str,
    now: DateTime<Utc>,
    extra: Option<&serde_json::Value>,
) -> Result<Confirmed> {
    let mut out = Confirmed::default();
    let at = rfc3339(now);
    // Each listing's last finished outbox row, read once per confirm.
    let mut generations: HashMap<i64, i64> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT listing_id, MAX(id) FROM outbox
             WHERE channel_id = ?1 AND listing_id IS NOT NULL
               AND state IN ('done', 'failed', 'cancelled')
             GROUP BY listing_id",
        )?;
        let mut rows = stmt.query(params![plan.channel.0])?;
        while let Some(r) = rows.next()? {
            generations.insert(r.get(0)?, r.get(1)?);
        }
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO outbox (channel_id, listing_id, batch_id, operation, payload,
                             idempotency_key, counter_snapshot, state, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', ?8, ?8)
         ON CONFLICT(idempotency_key) DO NOTHING",
    )?;
    let mut pending = tx.prepare_cached("UPDATE listings SET state = 'pending' WHERE id = ?1")?;
    for item in &plan.listings {
        if item.action == Action::Nothing {
            continue;
        }
        if item.blocked() {
            out.blocked += 1;
            continue;
        }
        let mut payload = serde_json::json!({
            "remote_id": item.remote_id,
            "listing": item.rendered,
            "changes": item.changes,
        });
        if let (Some(obj), Some(serde_json::Value::Object(more))) = (payload.as_object_mut(), extra)
        {
            for (k, v) in more {
                obj.insert(k.clone(), v.clone());
            }
        }
        let payload = serde_json::to_string(&payload).map_err(|e| Error::Corrupt(e.to_string()))?;
        let generation = generations.get(&item.listing.0).copied().unwrap_or(0);
        let op = item.action.code();
        let key = idempotency_key(
            plan.channel,
            item.listing,
            item.counter_snapshot,
            op,
            &payload,
            generation,
        );
        let n = insert.execute(params![
            plan.channel.0,
            item.listing.0,
            batch_id,
            op,
            payload,
            key,
            item.counter_snapshot,
            at
        ])?;
        if n == 0 {
            out.already_queued += 1;
            continue;
        }
        out.queued += 1;
        if matches!(item.action, Action::Create | Action::Update) {
            pending.execute(params![item.listing.0])?;
        }
    }
    Ok(out)
}

/// Settles a listing after the channel accepted outbox row `outbox_id`: the row is marked done,
/// the counter snapshot is subtracted from the listing's change counter (an edit made during
/// the upload keeps the counter above zero, so it is sent next time), and the mirror takes the
/// payload that was sent (create/update) or is dropped (unpublish). `remote_id` is the id the
/// channel gave a newly created listing. Running it again for the same row changes nothing.
pub fn after_success(
    tx: &Transaction<'_>,
    outbox_id: i64,
    remote_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let row = tx
        .query_row(
            "SELECT listing_id, operation, payload, counter_snapshot, state FROM outbox WHERE id = ?1",
            params![outbox_id],
            |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((listing, op, payload, snapshot, state)) = row else {
        return Err(Error::NotFound(format!("Outbox entry {outbox_id}")));
    };
    if state == "done" {
        return Ok(());
    }
    let at = rfc3339(now);
    tx.execute(
        "UPDATE outbox SET state = 'done', updated_at = ?2, last_error = NULL WHERE id = ?1",
        params![outbox_id, at],
    )?;
    let Some(listing) = listing else {
        return Ok(()); // the listing was deleted meanwhile; nothing left to settle
    };
    // What the channel had confirmed before this row, kept so the batch can be rolled back
    // (publish::rollback); written with the new mirror, so a crash keeps both or neither.
    let before: Option<String> = tx
        .prepare_cached("SELECT payload FROM listing_mirror WHERE listing_id = ?1")?
        .query_row(params![listing], |r| r.get(0))
        .optional()?;
    tx.prepare_cached(
        "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
         SELECT ?1, 'sync', batch_id, 'listing', ?2, ?3, ?4, ?5 FROM outbox WHERE id = ?6",
    )?
    .execute(params![
        at,
        listing,
        super::rollback::AUDIT_FIELD,
        before,
        outbox_id.to_string(),
        outbox_id
    ])?;
    tx.execute(
        "UPDATE listings SET change_counter = change_counter - ?2 WHERE id = ?1",
        params![listing, snapshot],
    )?;
    if op == "unpublish" {
        tx.execute(
            "DELETE FROM listing_mirror WHERE listing_id = ?1",
            params![listing],
        )?;
        return Ok(());
    }
    let payload: serde_json::Value = serde_json::from_str(&payload)
        .map_err(|e| Error::Corrupt(format!("outbox payload: {e}")))?;
    let sent = payload
        .get("listing")
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    let sent = serde_json::to_string(&sent).map_err(|e| Error::Corrupt(e.to_string()))?;
    store_mirror(tx, ListingId(listing), &sent, now)?;
    // A listing the merchant took off while this was on its way stays off: the channel has it
    // now (the mirror says so), and the next publish unpublishes it.
    tx.execute(
        "UPDATE listings SET state = CASE WHEN state = 'unpublished' THEN 'unpublished' ELSE 'live' END,
                last_published_at = ?2, remote_id = COALESCE(?3, remote_id) WHERE id = ?1",
        params![listing, at, remote_id],
    )?;
    Ok(())
}

/// Makes `sent` (the listing as Kanaal sent it, JSON) the mirror of `listing`, with the digest
/// of its compared fields (schema v14) so the next plan recognises the listing as unchanged
/// without reading this text. Only for a payload the channel confirmed from Kanaal's own send.
pub fn store_mirror(
    tx: &Transaction<'_>,
    listing: ListingId,
    sent: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    // Writing the payload clears any digest (trigger listing_mirror_payload_changed); the new
    // one is set after it, from the very text stored.
    tx.prepare_cached(
        "INSERT INTO listing_mirror (listing_id, payload, fetched_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(listing_id) DO UPDATE SET payload = excluded.payload, fetched_at = excluded.fetched_at",
    )?
    .execute(params![listing.0, sent, rfc3339(now)])?;
    if let Some(digest) = super::fast::mirror_digest(sent) {
        tx.prepare_cached("UPDATE listing_mirror SET compared_digest = ?2 WHERE listing_id = ?1")?
            .execute(params![listing.0, &digest[..]])?;
    }
    Ok(())
}
