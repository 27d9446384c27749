//! Stock towards the channels: moving local stock for order lines, and queueing the available
//! quantity for every channel whose last confirmed quantity differs from what its stock rule
//! (buffer, maximum, share; kanaal-core `publish::rules`) gives now. One stock row per listing:
//! an older row not yet sent is rewritten in place instead of piling up.
//!
//! The order import calls [`move_stock_many`] and [`queue_stock_tx`] once per transaction for all
//! the lines and listings it touched (set-based reads, one stock write per variant), so a large
//! import does not pay per line for what it can do per variant or per listing.
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

/// A listing as the stock queue reads it: (listing, channel, product, variant, mirror payload).
type ListingRow = (i64, i64, i64, Option<i64>, String);

/// [`queue_stock`] inside the caller's transaction, for all variants or only `only` (the
/// variants an order import moved).
pub fn queue_stock_tx(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    only: Option<&HashSet<i64>>,
) -> kanaal_core::Result<usize> {
    match only {
        Some(variants) => queue_touched(tx, now, variants),
        None => queue_all(tx, now),
    }
}

/// Every listing on a channel (confirmed there: a mirror) and not taken off.
fn queue_all(tx: &Transaction<'_>, now: DateTime<Utc>) -> kanaal_core::Result<usize> {
    let mut listings: Vec<ListingRow> = Vec::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT l.id, l.channel_id, l.product_id, l.variant_id, m.payload
               FROM listings l JOIN listing_mirror m ON m.listing_id = l.id
              WHERE l.state != 'unpublished' ORDER BY l.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            listings.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
        }
    }
    let mut pass = Pass::new(tx, now)?;
    let mut unsent_cache: HashMap<i64, HashMap<i64, (i64, String)>> = HashMap::new();
    for (listing, channel, product, variant, mirror) in listings {
        let variants = variants_of(tx, product, variant)?;
        let unsent = unsent_rows(tx, &mut unsent_cache, channel)?.remove(&listing);
        pass.listing(listing, channel, &variants, &mirror, unsent)?;
    }
    Ok(pass.queued)
}

/// The listings of the products whose variants `variants` an import moved: each one's mirror
/// and unsent stock row in one read, the stock of all their variants in another, instead of a
/// few lookups per listing.
fn queue_touched(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    variants: &HashSet<i64>,
) -> kanaal_core::Result<usize> {
    if variants.is_empty() {
        return Ok(0);
    }
    let ids = serde_json::to_string(&variants.iter().collect::<Vec<_>>())
        .map_err(|e| Error::Corrupt(e.to_string()))?;
    // Variants of the touched products with their stock on hand (all locations), in the order
    // the listing shows them.
    let mut of_product: HashMap<i64, Vec<(i64, String, i64)>> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT v.product_id, v.id, v.sku,
                    COALESCE((SELECT SUM(quantity) FROM stock s WHERE s.variant_id = v.id), 0)
               FROM variants v
              WHERE v.product_id IN (SELECT t.product_id FROM variants t
                                      WHERE t.id IN (SELECT value FROM json_each(?1)))
              ORDER BY v.product_id, v.position, v.id",
        )?;
        let mut rows = stmt.query(params![ids])?;
        while let Some(r) = rows.next()? {
            of_product
                .entry(r.get(0)?)
                .or_default()
                .push((r.get(1)?, r.get(2)?, r.get(3)?));
        }
    }
    // Their listings on every channel, with the newest stock row not yet sent (the outbox's
    // listing index finds it).
    let mut listings: Vec<(ListingRow, Option<(i64, String)>)> = Vec::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT l.id, l.channel_id, l.product_id, l.variant_id, m.payload, u.id, u.payload
               FROM listings l
               JOIN listing_mirror m ON m.listing_id = l.id
               LEFT JOIN outbox u ON u.id = (
                    SELECT MAX(o.id) FROM outbox o
                     WHERE o.listing_id = l.id AND o.channel_id = l.channel_id
                       AND o.state IN ('queued', 'waiting') AND o.operation = ?2)
              WHERE l.state != 'unpublished'
                AND l.product_id IN (SELECT t.product_id FROM variants t
                                      WHERE t.id IN (SELECT value FROM json_each(?1)))
              ORDER BY l.id",
        )?;
        let mut rows = stmt.query(params![ids, OPERATION])?;
        while let Some(r) = rows.next()? {
            let unsent = match r.get::<_, Option<i64>>(5)? {
                Some(id) => Some((id, r.get(6)?)),
                None => None,
            };
            listings.push((
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
                unsent,
            ));
        }
    }
    let mut pass = Pass::new(tx, now)?;
    let none = Vec::new();
    for ((listing, channel, product, variant, mirror), unsent) in listings {
        let all = of_product.get(&product).unwrap_or(&none);
        let shown: Vec<(i64, String, i64)> = match variant {
            Some(v) => all.iter().filter(|(id, _, _)| *id == v).cloned().collect(),
            None => all.clone(),
        };
        // A variant-level listing of another variant of the product: untouched.
        if !shown.iter().any(|(id, _, _)| variants.contains(id)) {
            continue;
        }
        pass.listing(listing, channel, &shown, &mirror, unsent)?;
    }
    Ok(pass.queued)
}

/// One queueing pass: what every listing of it shares.
struct Pass<'t, 'c> {
    tx: &'t Transaction<'c>,
    at: String,
    /// The outbox generation in each key, read once: rows written in this pass have higher
    /// ids, and the listing and payload are in the key too, so keys stay unique.
    generation: i64,
    rules: HashMap<i64, rules::StockRule>,
    queued: usize,
}

impl<'t, 'c> Pass<'t, 'c> {
    fn new(tx: &'t Transaction<'c>, now: DateTime<Utc>) -> kanaal_core::Result<Self> {
        let generation: i64 = tx
            .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM outbox")?
            .query_row([], |r| r.get(0))?;
        Ok(Pass {
            tx,
            at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
            generation,
            rules: HashMap::new(),
            queued: 0,
        })
    }

    /// Queues, rewrites or cancels the stock row of one listing showing `variants` (id, SKU,
    /// on hand), given its mirror and its unsent stock row.
    fn listing(
        &mut self,
        listing: i64,
        channel: i64,
        variants: &[(i64, String, i64)],
        mirror: &str,
        unsent: Option<(i64, String)>,
    ) -> kanaal_core::Result<()> {
        let tx = self.tx;
        let rule = match self.rules.get(&channel) {
            Some(r) => r,
            None => {
                let r = rules::load(tx, ChannelId(channel))?.stock;
                self.rules.entry(channel).or_insert(r)
            }
        };
        let mirror: Value = serde_json::from_str(mirror)
            .map_err(|e| Error::Corrupt(format!("listing mirror {listing}: {e}")))?;
        let confirmed = crate::remote::confirmed_stock(&mirror);
        let mut wanted: BTreeMap<String, u32> = BTreeMap::new();
        for (_, sku, on_hand) in variants {
            let q = rule.apply(*on_hand);
            if confirmed.get(sku).copied() != Some(i64::from(q)) {
                wanted.insert(sku.clone(), q);
            }
        }
        if wanted.is_empty() {
            if let Some((id, _)) = unsent {
                // The channel already shows the right quantity: nothing left to send.
                tx.prepare_cached(
                    "UPDATE outbox SET state = 'cancelled', updated_at = ?2 WHERE id = ?1",
                )?
                .execute(params![id, self.at])?;
            }
            return Ok(());
        }
        let payload = json!({
            "variants": wanted.iter().map(|(sku, q)| json!({"sku": sku, "quantity": q})).collect::<Vec<_>>(),
        });
        let text = payload.to_string();
        let key = stock_key(channel, listing, &text, self.generation);
        match unsent {
            Some((_, old)) if old == text => {}
            Some((id, _)) => {
                tx.prepare_cached(
                    "UPDATE outbox SET payload = ?2, idempotency_key = ?3, state = 'queued',
                            next_attempt_at = NULL, updated_at = ?4 WHERE id = ?1",
                )?
                .execute(params![id, text, key, self.at])?;
                self.queued += 1;
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO outbox (channel_id, listing_id, batch_id, operation, payload,
                                         idempotency_key, counter_snapshot, state, created_at, updated_at)
                     VALUES (?1, ?2, 'stock', ?3, ?4, ?5, 0, 'queued', ?6, ?6)",
                )?
                .execute(params![channel, listing, OPERATION, text, key, self.at])?;
                self.queued += 1;
            }
        }
        Ok(())
    }
}

/// The unsent stock row of each listing of `channel` (the newest), read once per channel
/// through the outbox's (channel, state) index.
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

/// Units of one variant to move, with the reference its audit row carries ("order-12").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockMove {
    pub variant: i64,
    /// Negative: sold.
    pub delta: i64,
    pub reference: String,
}

/// Where a variant's stock moves: its first location (the lowest id it has stock at) with the
/// quantity there, else the shop's first location (made when the shop has none) and no row.
fn stock_location(tx: &Transaction<'_>, variant: i64) -> kanaal_core::Result<(i64, Option<i64>)> {
    let first: Option<(i64, i64)> = tx
        .prepare_cached(
            "SELECT location_id, quantity FROM stock WHERE variant_id = ?1
              ORDER BY location_id LIMIT 1",
        )?
        .query_row(params![variant], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((l, q)) = first {
        return Ok((l, Some(q)));
    }
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
    Ok((l, None))
}

fn audit_move(
    tx: &Transaction<'_>,
    at: &str,
    reference: &str,
    variant: i64,
    location: i64,
    old: Option<i64>,
    new: i64,
) -> kanaal_core::Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
         VALUES (?1, 'sync', ?2, 'stock', ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        at,
        reference,
        variant,
        format!("quantity@{location}"),
        old.map(|q| q.to_string()),
        new.to_string()
    ])?;
    Ok(())
}

/// Writes the new quantity of a variant at `location` (`had_row`: a stock row exists there).
fn write_quantity(
    tx: &Transaction<'_>,
    variant: i64,
    location: i64,
    had_row: bool,
    quantity: i64,
    at: &str,
) -> kanaal_core::Result<()> {
    let sql = if had_row {
        "UPDATE stock SET quantity = ?3, updated_at = ?4 WHERE variant_id = ?1 AND location_id = ?2"
    } else {
        "INSERT INTO stock (variant_id, location_id, quantity, updated_at) VALUES (?1, ?2, ?3, ?4)"
    };
    tx.prepare_cached(sql)?
        .execute(params![variant, location, quantity, at])?;
    Ok(())
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
    move_stock_many(
        tx,
        &[StockMove {
            variant,
            delta,
            reference: reference.to_string(),
        }],
        now,
    )
}

/// [`move_stock`] for many moves at once: each move keeps its own audit row (old and new
/// quantity, in the order given), but each variant's stock row is read and written once, so
/// the stock total trigger runs once per variant instead of once per order line.
pub fn move_stock_many(
    tx: &Transaction<'_>,
    moves: &[StockMove],
    now: DateTime<Utc>,
) -> kanaal_core::Result<()> {
    if moves.is_empty() {
        return Ok(());
    }
    let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut by_variant: BTreeMap<i64, Vec<&StockMove>> = BTreeMap::new();
    for m in moves {
        by_variant.entry(m.variant).or_default().push(m);
    }
    for (variant, moves) in by_variant {
        let (location, first) = stock_location(tx, variant)?;
        let mut old = first;
        for m in moves {
            let new = old.unwrap_or(0) + m.delta;
            audit_move(tx, &at, &m.reference, variant, location, old, new)?;
            old = Some(new);
        }
        if let Some(quantity) = old {
            write_quantity(tx, variant, location, first.is_some(), quantity, &at)?;
        }
    }
    Ok(())
}
