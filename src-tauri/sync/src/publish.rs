//! The publish steps the CLI and the app share around kanaal-core's pure planner: put products
//! on a channel (listing rows at the level the channel lists at), plan with the connector's own
//! limits, take products off a channel and put them back (the merchant's choice per channel,
//! sent at the next publish), and confirm a plan into the outbox in one transaction. Sending
//! is [`crate::outbox`]'s job; this module never calls a channel.

use crate::Result;
use kanaal_channels::model::{ChannelLimits, ListingLevel};
use kanaal_core::clock::Clock;
use kanaal_core::failure::{StoredFailure, SupersededBy};
use kanaal_core::ids::{ChannelId, ProductId};
use kanaal_core::problem::InputProblem;
use kanaal_core::publish::{self as core_publish, Confirmed, Plan};
use kanaal_core::store::Store;
use rusqlite::params;
use std::collections::HashMap;

/// Puts `products` on `channel` (all active products when `None`): one listing per product on a
/// channel that lists products with their variants, one per variant on a channel that lists
/// each variant on its own (bol.com). Listings already there are left alone. Returns how many
/// listings were added.
pub fn list_products(
    store: &Store,
    channel: ChannelId,
    level: ListingLevel,
    products: Option<&[ProductId]>,
) -> Result<usize> {
    Ok(store.write(|tx| {
        let ids: Vec<i64> = match products {
            Some(p) => p.iter().map(|p| p.0).collect(),
            None => {
                let mut stmt =
                    tx.prepare("SELECT id FROM products WHERE status = 'active' ORDER BY id")?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            }
        };
        let mut added = 0;
        for product in ids {
            match level {
                ListingLevel::Product => {
                    // variant_id NULL: UNIQUE does not hold for NULLs, so look first.
                    added += tx.execute(
                        "INSERT INTO listings (channel_id, product_id)
                         SELECT ?1, ?2 WHERE NOT EXISTS (
                            SELECT 1 FROM listings WHERE channel_id = ?1 AND product_id = ?2)",
                        params![channel.0, product],
                    )?;
                }
                ListingLevel::Variant => {
                    added += tx.execute(
                        "INSERT INTO listings (channel_id, product_id, variant_id)
                         SELECT ?1, v.product_id, v.id FROM variants v
                         WHERE v.product_id = ?2 AND NOT EXISTS (
                            SELECT 1 FROM listings l WHERE l.channel_id = ?1 AND l.variant_id = v.id)
                         ORDER BY v.position, v.id",
                        params![channel.0, product],
                    )?;
                }
            }
        }
        Ok(added)
    })?)
}

/// The active products with no listing at all on channel `?1` (a taken-off one still has its
/// listing, so it is not among them): what "put them on" adds and the Publish page counts.
const NOT_LISTED: &str = "SELECT p.id FROM products p WHERE p.status = 'active' AND NOT EXISTS (
    SELECT 1 FROM listings l WHERE l.channel_id = ?1 AND l.product_id = p.id)";

/// Active products of the catalog with no listing at all on `channel`: what "put them on"
/// ([`set_listed`] with `None`) would add. A product the merchant took off (its listings
/// 'unpublished') is not counted: that choice stands until they put it back themselves.
pub fn count_not_listed(store: &Store, channel: ChannelId) -> kanaal_core::Result<usize> {
    store.read(|tx| {
        let n: i64 = tx.query_row(
            &format!("SELECT COUNT(*) FROM ({NOT_LISTED})"),
            params![channel.0],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    })
}

/// Puts products on `channel` (`listed`) or takes them off, in one transaction. Nothing is
/// sent: the next publish plans what the channel needs (a Create for a new listing, an
/// Unpublish for one the channel has, nothing for one it never had). Returns how many products
/// changed. Store errors only (it never calls a channel).
///
/// - Put on: `products`, or with `None` every active product with no listing on the channel
///   yet, gets its listings at the channel's `level` (as [`list_products`]); a listing taken
///   off earlier is wanted again. Its state goes back to 'live' while the channel still has
///   the copy Kanaal last confirmed (the unpublish was never sent: the plan compares with that
///   copy and updates it if needed) and to 'new' once the unpublish went out (the mirror is
///   gone: the plan creates it, and the sender re-uses the channel's product where the
///   platform keeps one — Shopify finds its draft by handle — so there is never a second copy).
/// - Take off: the product's listings on the channel become 'unpublished'. `None` is refused:
///   taking everything off must be said product by product.
///
/// Each changed listing's state is written to the history (`audit_log`, entity 'listing',
/// source 'ui'). It is not on the catalog's undo stack: the same toggle is the way back, and
/// undoing a catalog edit must not put products on or off a channel behind the merchant's back.
pub fn set_listed(
    store: &Store,
    channel: ChannelId,
    level: ListingLevel,
    products: Option<&[ProductId]>,
    listed: bool,
    clock: &dyn Clock,
) -> kanaal_core::Result<usize> {
    if products.is_none() && !listed {
        return Err(kanaal_core::Error::Input(
            InputProblem::ChooseProductsToTakeOff,
        ));
    }
    let at = clock
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    store.write(|tx| {
        let ids: Vec<i64> = match products {
            Some(p) => {
                let mut seen = std::collections::BTreeSet::new();
                p.iter().map(|p| p.0).filter(|p| seen.insert(*p)).collect()
            }
            None => {
                let mut stmt = tx.prepare(&format!("{NOT_LISTED} ORDER BY p.id"))?;
                let rows = stmt.query_map(params![channel.0], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            }
        };
        let mut changed = 0;
        for product in ids {
            let touched = if listed {
                let added = add_listings(tx, channel, level, product)?;
                added + set_state(tx, channel, product, true, &at)?
            } else {
                set_state(tx, channel, product, false, &at)?
            };
            if touched > 0 {
                changed += 1;
            }
        }
        Ok(changed)
    })
}

/// Makes the listings `product` lacks on `channel` at `level`; an unknown product gets none.
fn add_listings(
    tx: &rusqlite::Transaction<'_>,
    channel: ChannelId,
    level: ListingLevel,
    product: i64,
) -> kanaal_core::Result<usize> {
    Ok(match level {
        // variant_id NULL: UNIQUE does not hold for NULLs, so look first.
        ListingLevel::Product => tx
            .prepare_cached(
                "INSERT INTO listings (channel_id, product_id)
                 SELECT ?1, p.id FROM products p WHERE p.id = ?2 AND NOT EXISTS (
                    SELECT 1 FROM listings WHERE channel_id = ?1 AND product_id = ?2)",
            )?
            .execute(params![channel.0, product])?,
        ListingLevel::Variant => tx
            .prepare_cached(
                "INSERT INTO listings (channel_id, product_id, variant_id)
                 SELECT ?1, v.product_id, v.id FROM variants v
                 WHERE v.product_id = ?2 AND NOT EXISTS (
                    SELECT 1 FROM listings l WHERE l.channel_id = ?1 AND l.variant_id = v.id)
                 ORDER BY v.position, v.id",
            )?
            .execute(params![channel.0, product])?,
    })
}

/// Turns `product`'s listings on `channel` back on (`listed`) or off, writing each change to
/// the history. The change counter goes up so the listing counts as waiting to be published
/// (`listings.pending`), as a catalog edit would make it.
fn set_state(
    tx: &rusqlite::Transaction<'_>,
    channel: ChannelId,
    product: i64,
    listed: bool,
    at: &str,
) -> kanaal_core::Result<usize> {
    let rows: Vec<(i64, String, bool)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT l.id, l.state, EXISTS (SELECT 1 FROM listing_mirror m WHERE m.listing_id = l.id)
               FROM listings l WHERE l.channel_id = ?1 AND l.product_id = ?2
                AND (l.state = 'unpublished') = ?3
              ORDER BY l.id",
        )?;
        let rows = stmt.query_map(params![channel.0, product, listed], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut update = tx.prepare_cached(
        "UPDATE listings SET state = ?2, change_counter = change_counter + 1 WHERE id = ?1",
    )?;
    let mut audit = tx.prepare_cached(
        "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
         VALUES (?1, 'ui', NULL, 'listing', ?2, 'state', ?3, ?4)",
    )?;
    // Rows already queued for the listing that the merchant's choice makes wrong are stopped
    // before they go out: taking a product off must not let a queued create or update put it
    // on sale after all, and putting it back must not let a queued unpublish take it off. Only
    // rows that were never tried: one that was tried may have reached the channel (a lost
    // answer), so it goes out to settle, and the next publish sets the channel right (the
    // sender keeps a taken-off listing 'unpublished', kanaal_core::publish::outbox).
    let mut stop = tx.prepare_cached(
        "UPDATE outbox SET state = 'cancelled', updated_at = ?2, last_error = ?3
          WHERE listing_id = ?1 AND state = 'queued' AND attempts = 0
            AND operation IN (SELECT value FROM json_each(?4))",
    )?;
    let superseded = StoredFailure::Superseded {
        by: SupersededBy::TakenOffOrPutBack,
    }
    .to_stored();
    let wrong_now = if listed {
        r#"["unpublish"]"#
    } else {
        r#"["create", "update", "set_stock"]"#
    };
    for (id, old, mirrored) in &rows {
        let new = match (listed, mirrored) {
            (false, _) => "unpublished",
            (true, true) => "live",
            (true, false) => "new",
        };
        update.execute(params![id, new])?;
        audit.execute(params![at, id, old, new])?;
        stop.execute(params![id, at, superseded, wrong_now])?;
    }
    Ok(rows.len())
}

/// The publish plan of `channel` under the connector's limits (what the preview shows).
pub fn plan(store: &Store, channel: ChannelId, limits: &ChannelLimits) -> Result<Plan> {
    let limits = crate::remote::limits(limits);
    Ok(core_publish::plan_in(store, channel, &limits)?)
}

/// Confirms a previewed plan: its sendable actions become outbox rows, all in one transaction.
/// Refuses when the catalog changed since the preview (plan again and show it).
pub fn confirm(store: &Store, plan: &Plan, clock: &dyn Clock) -> Result<Confirmed> {
    let now = clock.now();
    let batch = format!(
        "publish-{}-{}",
        plan.channel.0,
        now.format("%Y%m%dT%H%M%S%.3fZ")
    );
    Ok(store.write(|tx| core_publish::confirm(tx, plan, &batch, now))?)
}

/// The catalog title (Dutch) of each product, for showing a plan.
pub fn titles(store: &Store, products: &[ProductId]) -> Result<HashMap<ProductId, String>> {
    Ok(store.read(|tx| {
        let mut stmt = tx.prepare_cached("SELECT title_nl FROM products WHERE id = ?1")?;
        let mut out = HashMap::new();
        for p in products {
            if out.contains_key(p) {
                continue;
            }
            let mut rows = stmt.query(params![p.0])?;
            if let Some(r) = rows.next()? {
                out.insert(*p, r.get(0)?);
            }
        }
        Ok(out)
    })?)
}
