//! The drift check (issue 5, item 4): reads back what is live on a channel (the connector's
//! `live_listings`: bol.com's offer export, Shopify's product query), compares each confirmed
//! listing field by field with the mirror (base) and with what Kanaal renders now (mine), and
//! stores what changed on the channel as findings (kanaal-core's [`kanaal_core::drift`], which
//! also owns the classification, the publish hold and the resolutions).
//!
//! Compared: the title (where the channel reports one) and each variant's price. Not compared:
//! stock (every sale changes it on the channel; the stock engine owns it), and listings the
//! channel never confirmed (no base) or the merchant no longer wants there.
//!
//! Must not: write anything to the channel, or resolve a finding by itself.

use crate::{remote, Result};
use kanaal_channels::model::LiveListing;
use kanaal_channels::{Channel, PageCursor};
use kanaal_core::clock::Clock;
use kanaal_core::drift::{self, classify, mirror_value, price_field, price_value, FieldState};
use kanaal_core::drift::{DriftKind, NewFinding};
use kanaal_core::ids::ChannelId;
use kanaal_core::publish::render;
use kanaal_core::store::Store;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// What one drift check found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DriftReport {
    /// Confirmed listings compared with the channel.
    pub checked: usize,
    /// Fields changed only on the channel (can be adopted).
    pub remote_only: usize,
    /// Fields changed on both sides (the merchant chooses).
    pub conflicts: usize,
    /// Fields changed only in Kanaal (waiting to be published).
    pub local_only: usize,
    /// Confirmed listings the channel did not show (taken off there, or not found by id).
    pub missing: usize,
}

/// Everything live on the channel, page by page.
async fn read_back(connector: &dyn Channel) -> Result<Vec<LiveListing>> {
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
    Ok(all)
}

/// Reads `channel` back and replaces its stored findings with what it shows now. One read
/// transaction to compare, one write transaction to store; no transaction is held across the
/// calls to the channel.
pub async fn check_drift(
    store: &Store,
    channel: ChannelId,
    connector: &dyn Channel,
    clock: &dyn Clock,
) -> Result<DriftReport> {
    let live = read_back(connector).await?;
    let mut by_remote: HashMap<&str, Vec<&LiveListing>> = HashMap::new();
    for l in &live {
        by_remote.entry(l.remote_id.as_str()).or_default().push(l);
    }
    let (report, findings) = store.read(|tx| {
        let input = render::load(tx, channel)?;
        let mut report = DriftReport::default();
        let mut findings = Vec::new();
        for l in &input.listings {
            let Some(mirror) = l.mirror.as_ref().filter(|_| l.wanted) else {
                continue;
            };
            let Some(published) = remote::published(tx, l.id.0)? else {
                continue;
            };
            let Some(items) = by_remote.get(published.remote_id.as_str()) else {
                report.missing += 1;
                continue;
            };
            report.checked += 1;
            let (rendered, _) = render::render(l, &input.rules);
            let mut compare = |field: String, mine: Value, theirs: Option<Value>| {
                let Some(theirs) = theirs else { return };
                let base = mirror_value(mirror, &field);
                let kind = match classify(base.as_ref(), &mine, &theirs) {
                    FieldState::RemoteOnly => DriftKind::Remote,
                    FieldState::Conflict => DriftKind::Conflict,
                    FieldState::LocalOnly => {
                        report.local_only += 1;
                        return;
                    }
                    FieldState::Unchanged | FieldState::Agreed => return,
                };
                match kind {
                    DriftKind::Remote => report.remote_only += 1,
                    DriftKind::Conflict => report.conflicts += 1,
                }
                findings.push(NewFinding {
                    listing: l.id,
                    field,
                    kind,
                    base,
                    mine,
                    theirs,
                });
            };
            let title = items.iter().find_map(|i| i.title.clone());
            compare(
                "title".into(),
                Value::String(rendered.title.clone()),
                title.map(Value::String),
            );
            for v in &rendered.variants {
                // A channel that lists each variant on its own has one item per listing, which
                // may not carry Kanaal's SKU (bol.com's reference is optional).
                let item = items
                    .iter()
                    .find(|i| i.sku.as_deref() == Some(v.sku.as_str()))
                    .or_else(|| {
                        (rendered.variants.len() == 1 && items.len() == 1).then(|| &items[0])
                    });
                compare(
                    price_field(&v.sku),
                    price_value(v.price),
                    item.and_then(|i| i.price.as_ref())
                        .map(|p| price_value(p.amount)),
                );
            }
        }
        Ok((report, findings))
    })?;
    store.write(|tx| drift::record(tx, channel, &findings, clock.now()))?;
    Ok(report)
}
