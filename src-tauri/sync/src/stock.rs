//! Stock towards the channels: moving local stock for an order line, and queueing the available
//! quantity for every channel whose last confirmed quantity differs from what its stock rule
//! (buffer, maximum, share; kanaal-core `publish::rules`) gives now. One stock row per listing:
//! an older row not yet sent is rewritten in place instead of piling up.
//!
//! Must not: call a channel (the outbox worker sends), or change what the merchant edits other
//! than the stock quantity an order moved.

use crate::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use kanaal_core::clock::Clock;
use kanaal_core::ids::ChannelId;
use kanaal_core::publish::rules;
use kanaal_core::store::Store;
use kanaal_core::Error;
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The outbox operation of a stock row.
pub const OPERATION: &str = "set_stock";

/// Queues a stock row for every listing on a channel whose confirmed quantity differs from its
/// available quantity now. Returns how many rows were queued or rewritten.
pub fn queue_stock(store: &Store, clock: &dyn Clock) -> Result<usize> {
    let now = clock.now();
    Ok(store.write(|tx| queue_stock_tx(tx, now, None))?)
}

/// [`queue_stock`] inside the caller's transaction, for all variants or only `only` (the
/// variants an order page moved).
pub fn queue_stock_tx(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    only: Option<&HashSet<i64>>,
) -> kanaal_core::Result<usize> {
    let at = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    // Listings on a channel (confirmed there: a mirror) and not taken off; with `only`, just
    // the listings of the products those variants belong to (an order page touches a few).
    let mut listings: Vec<(i64, i64, i64, Option<i64>, String)> = Vec::new();
    let products: Option<Vec<i64>> = match only {
        None => None,
        Some(variants) => {
            let mut stmt = tx.prepare_cached("SELECT product_id FROM variants WHERE id = ?1")?;
            let mut ps = std::collections::BTreeSet::new();
            for v in variants {
                if let Some(p) = stmt
                    .query_row(params![v], |r| r.get::<_, i64>(0))
                    .optional()?
                {
                    ps.insert(p);
                }
            }
            Some(ps.into_iter().collect())
        }
    };
    {
        const SELECT: &str = "SELECT l.id, l.channel_id, l.product_id, l.variant_id, m.payload
             FROM listings l JOIN listing_mirror m ON m.listing_id = l.id
             WHERE l.state != 'unpublished'";
        let mut push = |r: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
            listings.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
            Ok(())
        };
        match &products {
            None => {
                let mut stmt = tx.prepare_cached(&format!("{SELECT} ORDER BY l.id"))?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    push(r)?;
                }
            }
            Some(ps) => {
                // Per (channel, product): the listings' unique index finds them directly.
                let channels: Vec<i64> = tx
                    .prepare_cached("SELECT id FROM channels ORDER BY id")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let mut stmt = tx.prepare_cached(&format!(
                    "{SELECT} AND l.channel_id = ?1 AND l.product_id = ?2 ORDER BY l.id"
                ))?;
                for c in &channels {
                    for p in ps {
                        let mut rows = stmt.query(params![c, p])?;
                        while let Some(r) = rows.next()? {
                            push(r)?;
                        }
                    }
                }
            }
        }
    }
    let mut rule_cache: HashMap<i64, rules::StockRule> = HashMap::new();
    let mut unsent_cache: HashMap<i64, HashMap<i64, (i64, String)>> = HashMap::new();
    let mut queued = 0;
    // The outbox generation in each key, read once: rows written in this pass have higher ids,
    // and the listing and payload are in the key too, so keys stay unique.
    let generation: i64 = tx
        .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM outbox")?
        .query_row([], |r| r.get(0))?;
    for (listing, channel, product, variant, mirror) in listings {
        let variants = variants_of(tx, product, variant)?;
        if let Some(only) = only {
            if !variants.iter().any(|(id, _, _)| only.contains(id)) {
                continue;
            }
        }
        let rule = match rule_cache.get(&channel) {
            Some(r) => r.clone(),
            None => {
                let r = rules::load(tx, ChannelId(channel))?.stock;
                rule_cache.insert(channel, r.clone());
                r
            }
        };
        let mirror: Value = serde_json::from_str(&mirror)
            .map_err(|e| Error::Corrupt(format!("listing mirror {listing}: {e}")))?;
        let confirmed = crate::remote::confirmed_stock(&mirror);
        let mut wanted: BTreeMap<String, u32> = BTreeMap::new();
        for (_, sku, on_hand) in &variants {
            let q = rule.apply(*on_hand);
            if confirmed.get(sku).copied() != Some(i64::from(q)) {
                wanted.insert(sku.clone(), q);
            }
        }
        let unsent = match only {
            // An order page touches a few listings: look each one up by its index instead of
            // reading every unsent stock row of the channel (thousands, once per page).
            Some(_) => tx
                .prepare_cached(
                    "SELECT id, payload FROM outbox
                     WHERE listing_id = ?1 AND channel_id = ?2 AND state IN ('queued', 'waiting')
                       AND operation = ?3
                     ORDER BY id DESC LIMIT 1",
                )?
                .query_row(params![listing, channel, OPERATION], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?,
            None => unsent_rows(tx, &mut unsent_cache, channel)?.remove(&listing),
        };
        if wanted.is_empty() {
            if let Some((id, _)) = unsent {
                // The channel already shows the right quantity: nothing left to send.
                tx.prepare_cached(
                    "UPDATE outbox SET state = 'cancelled', updated_at = ?2 WHERE id = ?1",
                )?
                .execute(params![id, at])?;
            }
            continue;
        }
        let payload = json!({
            "variants": wanted.iter().map(|(sku, q)| json!({"sku": sku, "quantity": q})).collect::<Vec<_>>(),
        });
        let text = payload.to_string();
        let key = stock_key(channel, listing, &text, generation);
        match unsent {
            Some((_, old)) if old == text => {}
            Some((id, _)) => {
                tx.prepare_cached(
                    "UPDATE outbox SET payload = ?2, idempotency_key = ?3, state = 'queued',
                            next_attempt_at = NULL, updated_at = ?4 WHERE id = ?1",
                )?
                .execute(params![id, text, key, at])?;
                queued += 1;
            }
            None => {
                tx.prepare_cached("INSERT INTO outbox (channel_id, listing_id, batch_id, operation, payload,
                                         idempotency_key, counter_snapshot, state, created_at, updated_at)
                     VALUES (?1, ?2, 'stock', ?3, ?4, ?5, 0, 'queued', ?6, ?6)")?.execute(
                    params![channel, listing, OPERATION, text, key, at],
                )?;
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// The unsent stock row of each listing of `channel` (the newest), read once per channel
/// through the outbox's (channel, state) index: the outbox has no index on listing_id.
fn unsent_rows<'a>(
    tx: &Transaction<'_>,
    cache: &'a mut HashMap<i64, HashMap<i64, (i64, String)>>,
    channel: i64,
) -> kanaal_core::Result<&'a mut HashMap<i64, (i64, String)>> {
    if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(channel) {
        let mut stmt = tx.prepare_cached(
            "SELECT listing_id, id, payload FROM outbox
             WHERE channel_id = ?1 AND state IN ('queued', 'waiting') AND operation = ?2
               AND listing_id IS NOT NULL
             ORDER BY id",
        )?;
        let mut rows = stmt.query(params![channel, OPERATION])?;
        let mut map = HashMap::new();
        while let Some(r) = rows.next()? {
            map.insert(r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?));
        }
        slot.insert(map);
    }
    Ok(cache.entry(channel).or_default())
}

/// The variants a listing shows, with their SKU and stock on hand (all locations).
fn variants_of(
    tx: &Transaction<'_>,
    product: i64,
    variant: Option<i64>,
) -> kanaal_core::Result<Vec<(i64, String, i64)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT v.id, v.sku, COALESCE((SELECT SUM(quantity) FROM stock s WHERE s.variant_id = v.id), 0)
         FROM variants v WHERE v.product_id = ?1 AND (?2 IS NULL OR v.id = ?2)
         ORDER BY v.position, v.id",
    )?;
    let rows = stmt.query_map(params![product, variant], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn stock_key(channel: i64, listing: i64, payload: &str, generation: i64) -> String {
    let mut h = Sha256::new();
    for part in [
        "kanaal-stock-v1".to_string(),
        channel.to_string(),
        listing.to_string(),
        payload.to_string(),
        generation.to_string(),
    ] {
        h.update(part.len().to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Moves `delta` units (negative: sold) of a variant at its first location (the one with the
/// lowest id it has stock at, else the shop's first location), and writes an audit row. Stock
/// may go below zero: that is an oversold item the merchant must see, not something to hide.
pub fn move_stock(
    tx: &Transaction<'_>,
    variant: i64,
    delta: i64,
    now: DateTime<Utc>,
    reference: &str,
) -> kanaal_core::Result<()> {
    let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    // The first location the variant has stock at, with its quantity there (one lookup in
    // the stock key, per order line).
    let first: Option<(i64, i64)> = tx
        .prepare_cached(
            "SELECT location_id, quantity FROM stock WHERE variant_id = ?1
              ORDER BY location_id LIMIT 1",
        )?
        .query_row(params![variant], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (location, old) = match first {
        Some((l, q)) => (l, Some(q)),
        None => {
            let shop_first: Option<i64> = tx
                .prepare_cached("SELECT MIN(id) FROM locations")?
                .query_row([], |r| r.get(0))?;
            let l = match shop_first {
                Some(l) => l,
                None => {
                    tx.prepare_cached(
                        "INSERT INTO locations (code, name) VALUES ('main', 'Main location')",
                    )?
                    .execute([])?;
                    tx.last_insert_rowid()
                }
            };
            (l, None)
        }
    };
    let new = old.unwrap_or(0) + delta;
    let sql = if old.is_some() {
        "UPDATE stock SET quantity = ?3, updated_at = ?4 WHERE variant_id = ?1 AND location_id = ?2"
    } else {
        "INSERT INTO stock (variant_id, location_id, quantity, updated_at) VALUES (?1, ?2, ?3, ?4)"
    };
    tx.prepare_cached(sql)?
        .execute(params![variant, location, new, at])?;
    tx.prepare_cached("INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
         VALUES (?1, 'sync', ?2, 'stock', ?3, ?4, ?5, ?6)")?.execute(
        params![
            at,
            reference,
            variant,
            format!("quantity@{location}"),
            old.map(|q| q.to_string()),
            new.to_string()
        ],
    )?;
    Ok(())
}
