//! The drift check (issue 5, item 4): reads back what is live on a channel (the connector's
//! `live_listings`: bol.com's offer export, Shopify's product query), compares each confirmed
//! listing field by field with the mirror (base) and with what Kanaal renders now (mine), and
//! stores what changed on the channel as findings (kanaal-core's [`kanaal_core::drift`], which
//! also owns the classification, the publish hold and the resolutions).
//!
//! Compared, wherever the channel reports the field and Kanaal publishes it: the title,
//! description and brand; whether the listing is still there and for sale (`listed`: a
//! confirmed listing the channel no longer shows is a finding, not only a count); per variant
//! the price, the "was" price (Kanaal sends none, so one set on the channel is a change there)
//! and the EAN/barcode. Not compared: stock (every sale changes it on the channel; the stock
//! engine owns it), and listings the channel never confirmed (no base) or the merchant no
//! longer wants there. bol.com's offer export has no description, brand nor "was" price, so
//! those are compared on Shopify only. bol.com's delivery code is compared too: Kanaal's value
//! is the listing's own code (`Overrides::delivery_code`) or else the connector's setting
//! (`Channel::default_attribute`); adopting a code changed on bol.com gives the listing its own.
//!
//! A read-back that fails leaves the channel marked unchecked
//! ([`kanaal_core::drift::mark_unchecked`]): the outbox holds its updates until a check
//! succeeds.
//!
//! Must not: write anything to the channel, or resolve a finding by itself.

use crate::{remote, Result, SyncError};
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
/// calls to the channel. When the channel cannot be read, that is noted (its updates wait for
/// a successful check) and the failure returned.
pub async fn check_drift(
    store: &Store,
    channel: ChannelId,
    connector: &dyn Channel,
    clock: &dyn Clock,
) -> Result<DriftReport> {
    let live = match read_back(connector).await {
        Ok(l) => l,
        Err(SyncError::Channel(f)) => {
            store.write(|tx| drift::mark_unchecked(tx, channel, &f, clock.now()))?;
            return Err(SyncError::Channel(f));
        }
        Err(e) => return Err(e),
    };
    // What goes out for a listing without a delivery code of its own (bol.com's setting).
    let default_code = connector
        .default_attribute(drift::FIELD_DELIVERY_CODE)
        .map(Value::String);
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
            let items = by_remote.get(published.remote_id.as_str());
            let mut compare = |field: String, mine: Value, theirs: Option<Value>| {
                let Some(theirs) = theirs else { return };
                let mut base = mirror_value(mirror, &field);
                if field == drift::FIELD_DELIVERY_CODE && base == Some(Value::Null) {
                    // Kanaal sent no code of its own: the channel's setting went out.
                    base = default_code.clone();
                }
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
            let text = |s: &str| Value::String(s.to_string());
            let Some(items) = items else {
                report.missing += 1;
                compare(
                    drift::FIELD_LISTED.into(),
                    text(drift::LISTED_FOR_SALE),
                    Some(text(drift::LISTED_REMOVED)),
                );
                continue;
            };
            report.checked += 1;
            let (rendered, _) = render::render(l, &input.rules);
            let listed = if items.iter().all(|i| i.for_sale) {
                drift::LISTED_FOR_SALE
            } else {
                drift::LISTED_NOT_FOR_SALE
            };
            compare(
                drift::FIELD_LISTED.into(),
                text(drift::LISTED_FOR_SALE),
                Some(text(listed)),
            );
            let first = |get: fn(&LiveListing) -> Option<&String>| {
                items.iter().find_map(|i| get(i)).map(|s| text(s))
            };
            compare(
                drift::FIELD_TITLE.into(),
                text(&rendered.title),
                first(|i| i.title.as_ref()),
            );
            compare(
                drift::FIELD_DESCRIPTION.into(),
                text(&rendered.description),
                first(|i| i.description.as_ref()),
            );
            compare(
                drift::FIELD_BRAND.into(),
                text(&rendered.brand),
                first(|i| i.brand.as_ref()),
            );
            // bol.com's delivery promise: the listing's own code, else the channel's setting.
            if let Some(mine) = rendered
                .delivery_code
                .clone()
                .map(Value::String)
                .or_else(|| default_code.clone())
            {
                compare(
                    drift::FIELD_DELIVERY_CODE.into(),
                    mine,
                    first(|i| i.delivery_code.as_ref()),
                );
            }
            let product_level = items
                .iter()
                .any(|i| i.description.is_some() || i.brand.is_some());
            for v in &rendered.variants {
                // A channel that lists each variant on its own has one item per listing, which
                // may not carry Kanaal's SKU (bol.com's reference is optional).
                let Some(item) = items
                    .iter()
                    .find(|i| i.sku.as_deref() == Some(v.sku.as_str()))
                    .or_else(|| {
                        (rendered.variants.len() == 1 && items.len() == 1).then(|| &items[0])
                    })
                else {
                    continue;
                };
                compare(
                    price_field(&v.sku),
                    price_value(v.price),
                    item.price.as_ref().map(|p| price_value(p.amount)),
                );
                // Only a channel that reports product fields reports the "was" price (an
                // empty one is none); bol.com's export has neither.
                if product_level {
                    compare(
                        drift::variant_field(&v.sku, drift::VARIANT_COMPARE_AT),
                        Value::Null,
                        Some(
                            item.compare_at_price
                                .as_ref()
                                .map_or(Value::Null, |p| price_value(p.amount)),
                        ),
                    );
                }
                let gtin = |g: Option<&String>| {
                    g.filter(|g| !g.is_empty()).map_or(Value::Null, |g| text(g))
                };
                compare(
                    drift::variant_field(&v.sku, drift::VARIANT_GTIN),
                    gtin(v.gtin.as_ref()),
                    (item.gtin.is_some() || product_level).then(|| gtin(item.gtin.as_ref())),
                );
            }
        }
        Ok((report, findings))
    })?;
    store.write(|tx| drift::record(tx, channel, &findings, clock.now()))?;
    Ok(report)
}
