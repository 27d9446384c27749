//! Rolling back a publish batch: the channel gets back what it had confirmed before the batch.
//! A rollback is planned like a publish (the same [`Plan`] shape: per listing an action, the
//! field-level diff and what blocks it), previewed, and confirmed into the outbox in one
//! transaction as a batch of its own (`rollback-of-<batch>`), which the outbox worker sends and
//! [`super::batch::progress`] follows like any publish; its rows survive a crash like any row.
//!
//! What the channel had before: [`super::outbox::after_success`] writes the mirror it replaces
//! to the audit log (entity `listing`, field `mirror`, new value = the outbox row's id) in the
//! same transaction as the new mirror. Per listing of the batch whose row was done:
//! - nothing before, something now (the batch created it) -> unpublish;
//! - something before and now (an update) -> update to the earlier values;
//! - something before, nothing now (the batch took it off) -> create it again.
//!
//! Stock is not rolled back: a quantity from before the batch may have been sold since. The
//! restored listing carries the stock available now under the channel's stock rule.
//!
//! The catalog is not touched: rolling back the channel leaves the merchant's edits in place,
//! and the listing shows as waiting to be published again (the batch's counter snapshot is
//! added back when the rollback row is done, through a negative snapshot).
//!
//! Refused, per listing with the reason in words: a listing published again after the batch, a
//! listing changed on the channel since (the mirror no longer holds what the batch sent), a
//! listing deleted meanwhile, and a listing whose earlier values Kanaal did not keep. Refused as
//! a whole: a batch still being sent, and a batch that changed nothing on a channel.
//!
//! Must not: send anything, or change the catalog.

use super::plan::{diff, Action, Plan, PlannedListing};
use super::problem::{Problem, ProblemKind};
use super::render::RenderedListing;
use super::rules;
use crate::ids::{ChannelId, ListingId, ProductId, VariantId};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The audit-log field under which the replaced mirror of a listing is kept.
pub const AUDIT_FIELD: &str = "mirror";

/// The rollback of one publish batch, per channel, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollbackPlan {
    /// The batch being rolled back.
    pub batch_id: String,
    /// The batch the rollback's own rows go into.
    pub rollback_batch_id: String,
    pub plans: Vec<Plan>,
}

impl RollbackPlan {
    /// Listings that would be sent on confirm.
    pub fn sendable(&self) -> usize {
        self.plans.iter().map(|p| p.sendable().count()).sum()
    }

    /// Listings that cannot be rolled back (each with its reason in `problems`).
    pub fn refused(&self) -> usize {
        self.plans
            .iter()
            .flat_map(|p| &p.listings)
            .filter(|l| l.blocked())
            .count()
    }
}

/// The batch id of the rollback of `batch_id`.
pub fn rollback_batch_id(batch_id: &str) -> String {
    format!("rollback-of-{batch_id}")
}

/// One publish batch in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BatchSummary {
    pub batch_id: String,
    /// When it was confirmed (RFC 3339).
    pub confirmed_at: String,
    pub channels: u32,
    pub listings: u32,
    pub done: u32,
    pub failed: u32,
    /// Rows still queued, being sent or waiting for the channel.
    pub open: u32,
    /// The batch this one rolled back, for a rollback.
    pub rollback_of: Option<String>,
}

/// The most recent publish batches (listing changes, not stock or shipments), newest first.
pub fn recent(tx: &Transaction<'_>, limit: u32) -> Result<Vec<BatchSummary>> {
    let mut stmt = tx.prepare_cached(
        "SELECT batch_id, MIN(created_at), COUNT(DISTINCT channel_id), COUNT(*),
                SUM(state = 'done'), SUM(state = 'failed'),
                SUM(state IN ('queued', 'sending', 'waiting'))
           FROM outbox
          WHERE operation IN ('create', 'update', 'unpublish')
          GROUP BY batch_id
          ORDER BY MAX(id) DESC
          LIMIT ?1",
    )?;
    let rows = stmt.query_map(params![limit], |r| {
        let batch_id: String = r.get(0)?;
        Ok(BatchSummary {
            rollback_of: batch_id.strip_prefix("rollback-of-").map(str::to_string),
            batch_id,
            confirmed_at: r.get(1)?,
            channels: r.get(2)?,
            listings: r.get(3)?,
            done: r.get(4)?,
            failed: r.get(5)?,
            open: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One row of the batch being rolled back.
struct BatchRowData {
    outbox_id: i64,
    channel: i64,
    listing: Option<i64>,
    operation: String,
    payload: String,
    state: String,
    snapshot: i64,
    product: Option<i64>,
    variant: Option<i64>,
    remote_id: Option<String>,
}

fn parse(text: &str, what: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
}

/// The fields the channel shows, without stock (stock moves with every sale and is not what a
/// publish decided).
fn changed_fields_without_stock(from: Option<&Value>, to: Option<&RenderedListing>) -> Vec<String> {
    diff(from, to)
        .into_iter()
        .filter(|c| !c.field.ends_with(".stock"))
        .map(|c| c.field)
        .collect()
}

/// Plans the rollback of `batch_id`. Reads only. Refuses the whole batch when it is still
/// being sent or changed nothing; refuses single listings through their `problems`.
pub fn plan_rollback(tx: &Transaction<'_>, batch_id: &str) -> Result<RollbackPlan> {
    let mut rows = Vec::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT o.id, o.channel_id, o.listing_id, o.operation, o.payload, o.state,
                    o.counter_snapshot, l.product_id, l.variant_id, l.remote_id
               FROM outbox o LEFT JOIN listings l ON l.id = o.listing_id
              WHERE o.batch_id = ?1 AND o.operation IN ('create', 'update', 'unpublish')
              ORDER BY o.channel_id, o.id",
        )?;
        let mut q = stmt.query(params![batch_id])?;
        while let Some(r) = q.next()? {
            rows.push(BatchRowData {
                outbox_id: r.get(0)?,
                channel: r.get(1)?,
                listing: r.get(2)?,
                operation: r.get(3)?,
                payload: r.get(4)?,
                state: r.get(5)?,
                snapshot: r.get(6)?,
                product: r.get(7)?,
                variant: r.get(8)?,
                remote_id: r.get(9)?,
            });
        }
    }
    if rows.is_empty() {
        return Err(Error::NotFound(format!(
            "Publish {batch_id} (it changed no listing, or it is not in this data folder)"
        )));
    }
    if rows
        .iter()
        .any(|r| matches!(r.state.as_str(), "queued" | "sending" | "waiting"))
    {
        return Err(Error::invalid(
            "batch",
            "this publish is still being sent; let it finish (or stop it) and then roll it back",
        ));
    }
    if !rows.iter().any(|r| r.state == "done") {
        return Err(Error::invalid(
            "batch",
            "nothing of this publish reached a channel (every listing failed or was stopped), so there is nothing to roll back",
        ));
    }
    let mut stock_rules: HashMap<i64, rules::StockRule> = HashMap::new();
    let mut plans: BTreeMap<i64, Vec<PlannedListing>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.state == "done") {
        let item = plan_row(tx, row, &mut stock_rules)?;
        if let Some(item) = item {
            plans.entry(row.channel).or_default().push(item);
        }
    }
    Ok(RollbackPlan {
        batch_id: batch_id.to_string(),
        rollback_batch_id: rollback_batch_id(batch_id),
        plans: plans
            .into_iter()
            .map(|(channel, listings)| Plan {
                channel: ChannelId(channel),
                listings,
            })
            .collect(),
    })
}

fn refused(mut item: PlannedListing, kind: ProblemKind) -> PlannedListing {
    item.problems.push(Problem::new("listing", kind));
    item
}

/// The rollback of one done row, or `None` when there is nothing to restore.
fn plan_row(
    tx: &Transaction<'_>,
    row: &BatchRowData,
    stock_rules: &mut HashMap<i64, rules::StockRule>,
) -> Result<Option<PlannedListing>> {
    let mut item = PlannedListing {
        listing: ListingId(row.listing.unwrap_or(0)),
        product: ProductId(row.product.unwrap_or(0)),
        variant: row.variant.map(VariantId),
        remote_id: row.remote_id.clone(),
        action: Action::Nothing,
        rendered: None,
        changes: Vec::new(),
        problems: Vec::new(),
        // Added back to the listing's counter when the rollback row is done: the catalog's
        // edits are no longer on the channel, so the listing waits to be published again.
        counter_snapshot: -row.snapshot,
    };
    let Some(listing) = row.listing else {
        item.action = match row.operation.as_str() {
            "create" => Action::Unpublish,
            "unpublish" => Action::Create,
            _ => Action::Update,
        };
        return Ok(Some(refused(item, ProblemKind::RollbackListingDeleted)));
    };
    let sent: Option<RenderedListing> = match row.operation.as_str() {
        "unpublish" => None,
        _ => parse(&row.payload, "outbox payload")?
            .get("listing")
            .cloned()
            .and_then(|l| serde_json::from_value(l).ok()),
    };
    let prior: Option<Option<String>> = tx
        .prepare_cached(
            "SELECT old_value FROM audit_log
              WHERE entity = 'listing' AND entity_id = ?1 AND field = ?2 AND new_value = ?3
              ORDER BY id DESC LIMIT 1",
        )?
        .query_row(
            params![listing, AUDIT_FIELD, row.outbox_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let current: Option<Value> = tx
        .prepare_cached("SELECT payload FROM listing_mirror WHERE listing_id = ?1")?
        .query_row(params![listing], |r| r.get::<_, String>(0))
        .optional()?
        .map(|m| parse(&m, "listing mirror"))
        .transpose()?;
    let prior: Option<Value> = match prior {
        Some(p) => p.map(|p| parse(&p, "earlier listing mirror")).transpose()?,
        None => {
            item.action = match row.operation.as_str() {
                "create" => Action::Unpublish,
                "unpublish" => Action::Create,
                _ => Action::Update,
            };
            return Ok(Some(refused(item, ProblemKind::RollbackNoEarlierValues)));
        }
    };
    item.action = match (&prior, &current) {
        (None, Some(_)) => Action::Unpublish,
        (Some(_), Some(_)) => Action::Update,
        (Some(_), None) => Action::Create,
        (None, None) => return Ok(None),
    };

    // Published again after this batch (or rolled back already): a later row of the listing
    // that changed, or may still change, the channel.
    let later: i64 = tx
        .prepare_cached(
            "SELECT COUNT(*) FROM outbox
              WHERE listing_id = ?1 AND id > ?2 AND operation IN ('create', 'update', 'unpublish')
                AND state NOT IN ('cancelled', 'failed')",
        )?
        .query_row(params![listing, row.outbox_id], |r| r.get(0))?;
    if later > 0 {
        return Ok(Some(refused(item, ProblemKind::RollbackPublishedAgain)));
    }
    // Changed on the channel since (the mirror took other values, e.g. adopted from the
    // channel): the batch's values are not what the channel shows now.
    let changed_since = match (&sent, &current) {
        (Some(s), Some(c)) => !changed_fields_without_stock(Some(c), Some(s)).is_empty(),
        (None, Some(_)) | (Some(_), None) => true,
        (None, None) => false,
    };
    if changed_since {
        return Ok(Some(refused(item, ProblemKind::RollbackChangedOnChannel)));
    }

    let mut rendered: Option<RenderedListing> = match &prior {
        Some(p) => match serde_json::from_value::<RenderedListing>(p.clone()) {
            Ok(r) => Some(r),
            Err(_) => return Ok(Some(refused(item, ProblemKind::RollbackUnreadable))),
        },
        None => None,
    };
    if let Some(r) = &mut rendered {
        let rule = match stock_rules.get(&row.channel) {
            Some(rule) => rule.clone(),
            None => {
                let rule = rules::load(tx, ChannelId(row.channel))?.stock;
                stock_rules.insert(row.channel, rule.clone());
                rule
            }
        };
        for v in &mut r.variants {
            let on_hand: i64 = tx
                .prepare_cached(
                    "SELECT COALESCE(SUM(s.quantity), 0) FROM variants v
                       JOIN stock s ON s.variant_id = v.id WHERE v.sku = ?1",
                )?
                .query_row(params![v.sku], |r| r.get(0))?;
            v.stock = rule.apply(on_hand);
        }
    }
    item.changes = diff(current.as_ref(), rendered.as_ref());
    item.rendered = rendered;
    Ok(Some(item))
}

/// Queues the rollback `preview` showed, in the caller's transaction. Refuses (changing
/// nothing) when planning it again now gives something else, so what is sent is what was
/// previewed. Listings refused in the preview are left out and counted as blocked.
pub fn confirm_rollback(
    tx: &Transaction<'_>,
    preview: &RollbackPlan,
    now: DateTime<Utc>,
) -> Result<super::Confirmed> {
    let fresh = plan_rollback(tx, &preview.batch_id)?;
    if &fresh != preview {
        return Err(Error::invalid(
            "plan",
            "the listings of this publish changed since the rollback was previewed; open the rollback again and confirm what it shows now",
        ));
    }
    let mut total = super::Confirmed::default();
    for plan in &preview.plans {
        let extra = serde_json::json!({ "rollback_of": preview.batch_id });
        let c = super::outbox::queue(tx, plan, &preview.rollback_batch_id, now, Some(&extra))?;
        total.queued += c.queued;
        total.already_queued += c.already_queued;
        total.blocked += c.blocked;
    }
    Ok(total)
}
