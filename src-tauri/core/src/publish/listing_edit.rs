//! The product editor's "Channels" tab: per channel, whether a product is on it, how its
//! listings stand, the merchant's own title, description, price and (bol.com) delivery promise
//! for it (`listings.overrides`, see [`Overrides`]), and the price the channel gets without an
//! own price; and saving those overrides as one step on the undo stack.
//!
//! Owns only reading and writing `listings.overrides` for the merchant's own input. Must not
//! decide channel prices itself (the price shown without an override comes from the renderer,
//! [`super::render::render`], under the channel's rules), must not put products on or off a
//! channel (that is the publish page's `set_products_listed`), and must not know a platform:
//! what a channel accepts (longest title, the delivery codes bol.com knows) is handed in by the
//! caller from the connector's limits ([`ChannelChecks`]). Nothing here talks to the network;
//! a saved override reaches the channel with the next publish, like any catalog edit.

use super::render::{self, ListingInput, VariantInput};
use super::rules::Overrides;
use crate::catalog::edit::{self, Batch};
use crate::catalog::Source;
use crate::ids::{ChannelId, ListingId, ProductId, VariantId};
use crate::money::Money;
use crate::problem::InputProblem;
use crate::vat::VatRate;
use crate::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Where a product's listings on one channel stand, in the merchant's terms. Over several
/// listings (bol.com lists each variant on its own) the one that needs attention first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ListingStanding {
    /// Not on this channel: never put on it, or taken off before it was ever published.
    NotOnChannel,
    /// Put on the channel but never published.
    NotYetPublished,
    /// Handed to the channel; its answer is awaited.
    WaitingToBeSent,
    /// On the channel for sale.
    Live,
    /// The channel refused it (the publish page says why).
    Refused,
    /// Taken off the channel by the merchant.
    TakenOff,
}

/// One variant's price on a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VariantPrice {
    pub variant: VariantId,
    pub sku: String,
    /// What the channel gets without an own price: the catalog price under the channel's price
    /// rule (markup, ending, minimum margin), as the renderer makes it.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub channel_price: Decimal,
    /// The lowest own price the channel's minimum margin allows, where the rule has one and
    /// the variant's cost is known.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub lowest: Option<Decimal>,
}

/// One listing's own price. On a channel that lists variants on their own (bol.com) each
/// listing has one variant; on one that lists a product with its variants (Shopify) an own
/// price is the price of *every* variant of the product there (see `render`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ListingPrice {
    pub listing: ListingId,
    /// The listing's own price, if set.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub price: Option<Decimal>,
    /// The variants the listing carries, with their price without an own price.
    pub variants: Vec<VariantPrice>,
}

/// One channel as the product editor's "Channels" tab shows it for one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProductChannel {
    pub channel: ChannelId,
    pub name: String,
    /// The kind's code (`bol`, `shopify`).
    pub kind: String,
    /// False while the channel is paused.
    pub enabled: bool,
    /// The merchant wants the product on this channel: it has a listing there that is not
    /// taken off.
    pub listed: bool,
    pub standing: ListingStanding,
    /// Something of the product waits to be published to this channel.
    pub changes_waiting: bool,
    /// When the channel last confirmed one of the product's listings.
    pub last_published_at: Option<String>,
    /// The channel lists each variant on its own (an own price per variant).
    pub per_variant: bool,
    /// The own title, description and delivery code (shared by the product's listings there).
    pub title: Option<String>,
    pub description: Option<String>,
    pub delivery_code: Option<String>,
    /// The catalog's title and description in the channel's language: what the channel gets
    /// without an own one.
    pub catalog_title: String,
    pub catalog_description: String,
    /// Per listing, its own price and the prices without it. Empty when the product has no
    /// listing on the channel.
    pub prices: Vec<ListingPrice>,
}

/// One listing's own price as typed; empty removes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PriceInput {
    pub listing: ListingId,
    pub price: String,
}

/// The merchant's own texts and prices for a product on one channel, as typed. An empty field
/// means "use the catalog's / the channel's setting": the override is removed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OverridesInput {
    pub title: String,
    pub description: String,
    pub delivery_code: String,
    /// Own prices per listing; a listing not named here keeps its own price as it is.
    pub prices: Vec<PriceInput>,
}

/// What the channel accepts, from its connector's limits (the caller's part: core does not
/// know platforms).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelChecks {
    /// Longest title the channel takes, in characters.
    pub max_title_chars: Option<usize>,
    /// The delivery promises the channel knows; empty when it has none (no own code can be set).
    pub delivery_codes: Vec<String>,
}

/// A listing row of the product on the channel.
struct Row {
    id: ListingId,
    variant: Option<VariantId>,
    state: String,
    overrides_text: String,
    overrides: Overrides,
    pending: bool,
    last_published_at: Option<String>,
}

fn listing_rows(tx: &Transaction<'_>, product: ProductId, channel: ChannelId) -> Result<Vec<Row>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, variant_id, state, overrides, pending, last_published_at FROM listings
         WHERE product_id = ?1 AND channel_id = ?2
         ORDER BY id",
    )?;
    let mut rows = stmt.query(params![product.0, channel.0])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let overrides_text: String = r.get(3)?;
        out.push(Row {
            id: ListingId(r.get(0)?),
            variant: r.get::<_, Option<i64>>(1)?.map(VariantId),
            state: r.get(2)?,
            overrides: Overrides::parse(&overrides_text)?,
            overrides_text,
            pending: r.get(4)?,
            last_published_at: r.get(5)?,
        });
    }
    Ok(out)
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Corrupt(format!("{what}: {e}"))
}

/// The product's variants in position order, as the renderer takes them (stock is not shown
/// here, so it is left at zero).
fn variants(tx: &Transaction<'_>, product: ProductId) -> Result<Vec<VariantInput>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, sku, gtin, price, cost, vat_rate, change_counter FROM variants
         WHERE product_id = ?1 ORDER BY position, id",
    )?;
    let mut rows = stmt.query(params![product.0])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let price: String = r.get(3)?;
        let cost: Option<String> = r.get(4)?;
        let vat: String = r.get(5)?;
        out.push(VariantInput {
            id: VariantId(r.get(0)?),
            sku: r.get(1)?,
            gtin: r.get(2)?,
            option_values: Vec::new(),
            price: Decimal::from_str(&price).map_err(|e| corrupt("variant price", e))?,
            cost: cost
                .as_deref()
                .map(Decimal::from_str)
                .transpose()
                .map_err(|e| corrupt("variant cost", e))?,
            vat: VatRate::from_str(&vat).unwrap_or(VatRate::Standard),
            on_hand: 0,
            counter: r.get(6)?,
        });
    }
    Ok(out)
}

/// The one that needs attention first: refused, then waiting, then never published, then live;
/// taken off only when all are (and not on the channel when none of them ever reached it).
fn standing(rows: &[Row]) -> ListingStanding {
    let has = |s: &str| rows.iter().any(|r| r.state == s);
    if rows.is_empty() {
        ListingStanding::NotOnChannel
    } else if has("rejected") {
        ListingStanding::Refused
    } else if has("pending") {
        ListingStanding::WaitingToBeSent
    } else if has("new") {
        ListingStanding::NotYetPublished
    } else if has("live") {
        ListingStanding::Live
    } else if rows.iter().all(|r| r.last_published_at.is_none()) {
        // Taken off before the channel ever had it: for the merchant it simply is not there.
        ListingStanding::NotOnChannel
    } else {
        ListingStanding::TakenOff
    }
}

/// Every channel the merchant has set up, as the product editor's "Channels" tab shows it for
/// `product`.
pub fn product_channels(tx: &Transaction<'_>, product: ProductId) -> Result<Vec<ProductChannel>> {
    let (title_nl, title_en, description_nl, description_en): (String, String, String, String) = tx
        .query_row(
            "SELECT title_nl, title_en, description_nl, description_en FROM products WHERE id = ?1",
            params![product.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => {
                Error::NotFound(format!("Product {}", product.0))
            }
            e => e.into(),
        })?;
    let all_variants = variants(tx, product)?;
    let mut out = Vec::new();
    for record in crate::channels::list(tx)? {
        let rows = listing_rows(tx, product, record.id)?;
        let language = render::channel_language(tx, record.id)?;
        let (catalog_title, catalog_description) = match language {
            render::Language::Nl => (title_nl.clone(), description_nl.clone()),
            render::Language::En => (title_en.clone(), description_en.clone()),
        };
        let rules = super::rules::load(tx, record.id)?;
        let mut prices = Vec::new();
        for row in &rows {
            let carried: Vec<VariantInput> = all_variants
                .iter()
                .filter(|v| row.variant.is_none_or(|id| id == v.id))
                .cloned()
                .collect();
            // The price without an own price, from the renderer itself so that it is the
            // price the plan would send.
            let input = ListingInput {
                id: row.id,
                product,
                variant: row.variant,
                remote_id: None,
                wanted: true,
                overrides: Overrides::default(),
                handle: String::new(),
                title: String::new(),
                description: String::new(),
                brand: String::new(),
                category: None,
                options: Vec::new(),
                variants: carried.clone(),
                counter: 0,
                mirror: None,
                mirror_text: None,
                mirrored: false,
                mirror_digest: None,
            };
            let (rendered, _) = render::render(&input, &rules);
            prices.push(ListingPrice {
                listing: row.id,
                price: row.overrides.price,
                variants: rendered
                    .variants
                    .into_iter()
                    .zip(&carried)
                    .map(|(r, v)| VariantPrice {
                        variant: v.id,
                        sku: r.sku,
                        channel_price: r.price,
                        lowest: rules.price.floor(v.cost, v.vat),
                    })
                    .collect(),
            });
        }
        let first = rows
            .first()
            .map(|r| r.overrides.clone())
            .unwrap_or_default();
        out.push(ProductChannel {
            channel: record.id,
            name: record.name,
            kind: record.kind,
            enabled: record.enabled,
            listed: rows.iter().any(|r| r.state != "unpublished"),
            standing: standing(&rows),
            changes_waiting: rows.iter().any(|r| r.state != "unpublished" && r.pending),
            last_published_at: rows
                .iter()
                .filter_map(|r| r.last_published_at.clone())
                .max(),
            per_variant: rows.iter().any(|r| r.variant.is_some()),
            title: first.title,
            description: first.description,
            delivery_code: first.delivery_code,
            catalog_title,
            catalog_description,
            prices,
        });
    }
    Ok(out)
}

/// A price as typed, checked: more than zero, at most two decimals, at least the channel's
/// minimum margin for every variant it applies to.
fn own_price(
    text: &str,
    channel: &str,
    price: &ListingPrice,
    sku: Option<Box<str>>,
) -> std::result::Result<Decimal, InputProblem> {
    let value = Money::parse_amount(text).map_err(|_| InputProblem::OwnPriceNotAnAmount {
        channel: channel.to_string(),
        sku: sku.clone(),
        value: text.trim().to_string(),
    })?;
    if value <= Decimal::ZERO {
        return Err(InputProblem::OwnPriceNotPositive {
            channel: channel.to_string(),
            sku,
        });
    }
    if value.normalize().scale() > 2 {
        return Err(InputProblem::OwnPriceCents {
            channel: channel.to_string(),
            sku,
            value: text.trim().to_string(),
        });
    }
    let mut value = value.round_dp(2);
    value.rescale(2);
    if let Some(floor) = price.variants.iter().filter_map(|v| v.lowest).max() {
        if value < floor {
            return Err(InputProblem::OwnPriceBelowMargin {
                channel: channel.to_string(),
                sku,
                lowest: floor.to_string(),
            });
        }
    }
    Ok(value)
}

/// Sets the merchant's own title, description and delivery code for all of `product`'s
/// listings on `channel`, and the own price of each listing named in `input.prices`; an empty
/// field removes that override. Checked first (nothing is written when one value is refused);
/// written as one step on the undo stack. Returns the batch, or `None` when nothing changed.
pub fn set_listing_overrides(
    tx: &Transaction<'_>,
    product: ProductId,
    channel: ChannelId,
    input: &OverridesInput,
    checks: &ChannelChecks,
    now: DateTime<Utc>,
) -> Result<Option<Batch>> {
    let record = crate::channels::get(tx, channel)?;
    let name = record.name.clone();
    let current = product_channels(tx, product)?
        .into_iter()
        .find(|c| c.channel == channel)
        .ok_or_else(|| Error::NotFound(format!("Channel {}", channel.0)))?;
    let rows = listing_rows(tx, product, channel)?;
    if rows.is_empty() {
        return Err(Error::Input(InputProblem::NotOnChannel { channel: name }));
    }
    let text = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    };
    let title = text(&input.title);
    if let (Some(t), Some(max)) = (&title, checks.max_title_chars) {
        let chars = t.chars().count();
        if chars > max {
            return Err(Error::Input(InputProblem::OwnTitleTooLong {
                channel: name,
                chars: u32::try_from(chars).unwrap_or(u32::MAX),
                max: u32::try_from(max).unwrap_or(u32::MAX),
            }));
        }
    }
    // A description keeps its own line breaks; only one of nothing but spaces is empty.
    let description = (!input.description.trim().is_empty()).then(|| input.description.clone());
    let delivery_code = text(&input.delivery_code);
    if let Some(code) = &delivery_code {
        if !checks.delivery_codes.iter().any(|c| c == code) {
            return Err(Error::Input(InputProblem::DeliveryCodeNotAllowed {
                channel: name,
                value: code.clone(),
            }));
        }
    }
    let mut prices: Vec<(ListingId, Option<Decimal>)> = Vec::new();
    for p in &input.prices {
        let Some(listing) = current.prices.iter().find(|l| l.listing == p.listing) else {
            return Err(Error::Input(InputProblem::NotOnChannel { channel: name }));
        };
        // Named by SKU where the listing carries one variant (bol.com).
        let sku = match listing.variants.as_slice() {
            [one] if current.per_variant => Some(one.sku.as_str().into()),
            _ => None,
        };
        let price = match text(&p.price) {
            None => None,
            Some(t) => Some(own_price(&t, &name, listing, sku).map_err(Error::Input)?),
        };
        prices.push((p.listing, price));
    }
    let writes: Vec<OverridesWrite> = rows
        .into_iter()
        .map(|row| {
            let mut new = row.overrides.clone();
            new.title = title.clone();
            new.description = description.clone();
            new.delivery_code = delivery_code.clone();
            if let Some((_, price)) = prices.iter().find(|(l, _)| *l == row.id) {
                new.price = *price;
            }
            OverridesWrite {
                listing: row.id,
                old: row.overrides_text,
                new,
            }
        })
        .collect();
    let (title_nl, title_en): (String, String) = tx.query_row(
        "SELECT title_nl, title_en FROM products WHERE id = ?1",
        params![product.0],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // Named by product and channel: the undo button says what it takes back.
    let label = match crate::settings::language(tx)?.unwrap_or(crate::settings::Language::Nl) {
        crate::settings::Language::Nl => {
            format!("{title_nl}: eigen waarden op {}", record.name)
        }
        crate::settings::Language::En => {
            format!("{title_en}: own values on {}", record.name)
        }
    };
    write_overrides(tx, &writes, &label, Source::Ui, now)
}

/// One listing's overrides from what is stored (`old`, the JSON text as it is) to `new`.
pub(crate) struct OverridesWrite {
    pub listing: ListingId,
    pub old: String,
    pub new: Overrides,
}

/// Writes listings' overrides as one batch on the undo stack (audit: entity `listing`, field
/// `overrides`, the whole JSON before and after, which is what undo writes back), skipping
/// listings whose overrides stay the same; `None` when none changes. Shared by the editor's
/// save and drift's "take theirs".
pub(crate) fn write_overrides(
    tx: &Transaction<'_>,
    writes: &[OverridesWrite],
    label: &str,
    source: Source,
    now: DateTime<Utc>,
) -> Result<Option<Batch>> {
    let mut changed = Vec::new();
    for w in writes {
        let new_text = serde_json::to_string(&w.new).map_err(|e| Error::Corrupt(e.to_string()))?;
        if new_text != w.old {
            changed.push((w.listing, &w.old, new_text));
        }
    }
    if changed.is_empty() {
        return Ok(None);
    }
    let now_text = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    let count = u32::try_from(changed.len()).unwrap_or(u32::MAX);
    let batch = edit::open_batch(tx, label, count, source, &now_text)?;
    for (listing, old, new_text) in changed {
        tx.execute(
            "UPDATE listings SET overrides = ?1, change_counter = change_counter + 1 WHERE id = ?2",
            params![new_text, listing.0],
        )?;
        tx.execute(
            "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
             VALUES (?1, ?2, ?3, 'listing', ?4, 'overrides', ?5, ?6)",
            params![now_text, source.code(), batch.id, listing.0, old, new_text],
        )?;
    }
    Ok(Some(batch))
}
