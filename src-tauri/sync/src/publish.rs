//! The publish steps the CLI and the app share around kanaal-core's pure planner: put products
//! on a channel (listing rows at the level the channel lists at), plan with the connector's own
//! limits, and confirm a plan into the outbox in one transaction. Sending is [`crate::outbox`]'s
//! job; this module never calls a channel.

use crate::Result;
use kanaal_channels::model::{ChannelLimits, ListingLevel};
use kanaal_core::clock::Clock;
use kanaal_core::ids::{ChannelId, ProductId};
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
