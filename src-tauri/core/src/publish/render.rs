//! The rendered listing: what one listing should look like on one channel, computed from the
//! catalog, the channel's rules and the listing's overrides. This is Kanaal's own domain shape —
//! each connector maps it to its platform's wire format; this module knows no platform.

use super::rules::{ChannelRules, Overrides};
use crate::ids::{ChannelId, ListingId, ProductId, VariantId};
use crate::vat::VatRate;
use crate::{Error, Result};
use rusqlite::{params, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;

/// One listing as the channel should show it. Serialised as the outbox payload and kept in the
/// mirror once the channel confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedListing {
    pub handle: String,
    pub title: String,
    pub description: String,
    pub brand: String,
    /// The channel's category id from the category mapping, if the product's category is mapped.
    pub category: Option<String>,
    /// Option names in the channel's language, in order.
    pub options: Vec<String>,
    pub variants: Vec<RenderedVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedVariant {
    pub sku: String,
    pub gtin: Option<String>,
    pub option_values: Vec<String>,
    /// Channel price incl. VAT, two decimals.
    pub price: Decimal,
    /// Units offered after the stock rule.
    pub stock: u32,
}

/// A problem with a rendered listing found before validation against the channel's limits (a
/// price override below the minimum margin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The field, by the names used in a [`super::plan::FieldChange`].
    pub field: String,
    /// What is wrong and what to do, for the shop owner.
    pub message: String,
}

/// The language a channel's listings are written in (`channels.settings.language`, default Dutch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Nl,
    En,
}

/// Everything needed to render one channel's listings, read in a handful of queries.
#[derive(Debug, Clone)]
pub struct ChannelInput {
    pub channel: ChannelId,
    pub language: Language,
    pub rules: ChannelRules,
    pub listings: Vec<ListingInput>,
}

#[derive(Debug, Clone)]
pub struct ListingInput {
    pub id: ListingId,
    pub product: ProductId,
    pub variant: Option<VariantId>,
    pub remote_id: Option<String>,
    /// The merchant wants it on the channel: product active and listing not set to unpublished.
    pub wanted: bool,
    pub overrides: Overrides,
    pub handle: String,
    pub title: String,
    pub description: String,
    pub brand: String,
    pub category: Option<String>,
    pub options: Vec<String>,
    pub variants: Vec<VariantInput>,
    /// listing + product + listed variants' change counters: the counter snapshot.
    pub counter: i64,
    /// The mirror payload, if the channel ever confirmed this listing.
    pub mirror: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct VariantInput {
    pub id: VariantId,
    pub sku: String,
    pub gtin: Option<String>,
    pub option_values: Vec<String>,
    pub price: Decimal,
    pub cost: Option<Decimal>,
    pub vat: VatRate,
    pub on_hand: i64,
    pub counter: i64,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Corrupt(format!("{what}: {e}"))
}

/// Renders one listing under the channel's rules. Pure.
pub fn render(input: &ListingInput, rules: &ChannelRules) -> (RenderedListing, Vec<Problem>) {
    let mut problems = Vec::new();
    let variants = input
        .variants
        .iter()
        .map(|v| {
            let price = match input.overrides.price {
                Some(p) => {
                    let mut p = p.round_dp(2);
                    p.rescale(2);
                    if let Some(floor) = rules.price.floor(v.cost, v.vat) {
                        if p < floor {
                            problems.push(Problem {
                                field: format!("variants[{}].price", v.sku),
                                message: format!(
                                    "the price set for this channel ({p}) is below the minimum margin over cost ({floor}); raise the price or lower the channel's minimum margin"
                                ),
                            });
                        }
                    }
                    p
                }
                None => rules.price.apply(v.price, v.cost, v.vat),
            };
            RenderedVariant {
                sku: v.sku.clone(),
                gtin: v.gtin.clone(),
                option_values: v.option_values.clone(),
                price,
                stock: rules.stock.apply(v.on_hand),
            }
        })
        .collect();
    let listing = RenderedListing {
        handle: input.handle.clone(),
        title: input
            .overrides
            .title
            .clone()
            .unwrap_or_else(|| input.title.clone()),
        description: input
            .overrides
            .description
            .clone()
            .unwrap_or_else(|| input.description.clone()),
        brand: input.brand.clone(),
        category: input.category.clone(),
        options: input.options.clone(),
        variants,
    };
    (listing, problems)
}

/// Reads everything about `channel`'s listings that rendering and planning need.
pub fn load(tx: &Transaction<'_>, channel: ChannelId) -> Result<ChannelInput> {
    let settings: String = tx
        .query_row(
            "SELECT settings FROM channels WHERE id = ?1",
            params![channel.0],
            |r| r.get(0),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => {
                Error::NotFound(format!("Channel {}", channel.0))
            }
            e => e.into(),
        })?;
    let settings: serde_json::Value =
        serde_json::from_str(&settings).map_err(|e| corrupt("channel settings", e))?;
    let language = match settings.get("language").and_then(|l| l.as_str()) {
        Some("en") => Language::En,
        _ => Language::Nl,
    };
    let en = language == Language::En;
    let rules = super::rules::load(tx, channel)?;

    // Variants of every listed product, with stock summed over locations.
    let mut variants: HashMap<i64, Vec<VariantInput>> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT v.product_id, v.id, v.sku, v.gtin, v.options, v.price, v.cost, v.vat_rate,
                    v.change_counter,
                    COALESCE((SELECT SUM(quantity) FROM stock s WHERE s.variant_id = v.id), 0)
             FROM variants v
             WHERE v.product_id IN (SELECT product_id FROM listings WHERE channel_id = ?1)
             ORDER BY v.product_id, v.position, v.id",
        )?;
        let mut rows = stmt.query(params![channel.0])?;
        while let Some(r) = rows.next()? {
            let options: String = r.get(4)?;
            let price: String = r.get(5)?;
            let cost: Option<String> = r.get(6)?;
            let vat: String = r.get(7)?;
            variants.entry(r.get(0)?).or_default().push(VariantInput {
                id: VariantId(r.get(1)?),
                sku: r.get(2)?,
                gtin: r.get(3)?,
                option_values: serde_json::from_str(&options)
                    .map_err(|e| corrupt("variant options", e))?,
                price: Decimal::from_str(&price).map_err(|e| corrupt("variant price", e))?,
                cost: cost
                    .map(|c| Decimal::from_str(&c))
                    .transpose()
                    .map_err(|e| corrupt("variant cost", e))?,
                vat: match vat.as_str() {
                    "reduced" => VatRate::Reduced,
                    "zero" => VatRate::Zero,
                    _ => VatRate::Standard,
                },
                counter: r.get(8)?,
                on_hand: r.get(9)?,
            });
        }
    }
    let mut options: HashMap<i64, Vec<String>> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT product_id, name_nl, name_en FROM product_options
             WHERE product_id IN (SELECT product_id FROM listings WHERE channel_id = ?1)
             ORDER BY product_id, position",
        )?;
        let mut rows = stmt.query(params![channel.0])?;
        while let Some(r) = rows.next()? {
            let name: String = r.get(if en { 2 } else { 1 })?;
            options.entry(r.get(0)?).or_default().push(name);
        }
    }
    let mut listings = Vec::new();
    let mut stmt = tx.prepare_cached(
        "SELECT l.id, l.product_id, l.variant_id, l.remote_id, l.state, l.overrides,
                l.change_counter, p.handle, p.title_nl, p.title_en, p.description_nl,
                p.description_en, p.brand, p.status, p.change_counter, m.remote_category_id,
                lm.payload
         FROM listings l
         JOIN products p ON p.id = l.product_id
         LEFT JOIN channel_category_mappings m
                ON m.channel_id = l.channel_id AND m.category_id = p.category_id
         LEFT JOIN listing_mirror lm ON lm.listing_id = l.id
         WHERE l.channel_id = ?1
         ORDER BY l.id",
    )?;
    let mut rows = stmt.query(params![channel.0])?;
    while let Some(r) = rows.next()? {
        let product: i64 = r.get(1)?;
        let variant: Option<i64> = r.get(2)?;
        let state: String = r.get(4)?;
        let overrides: String = r.get(5)?;
        let status: String = r.get(13)?;
        let mirror: Option<String> = r.get(16)?;
        let vs: Vec<VariantInput> = variants
            .get(&product)
            .map(|all| {
                all.iter()
                    .filter(|v| variant.is_none_or(|id| v.id.0 == id))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let counter =
            r.get::<_, i64>(6)? + r.get::<_, i64>(14)? + vs.iter().map(|v| v.counter).sum::<i64>();
        listings.push(ListingInput {
            id: ListingId(r.get(0)?),
            product: ProductId(product),
            variant: variant.map(VariantId),
            remote_id: r.get(3)?,
            wanted: state != "unpublished" && status == "active",
            overrides: Overrides::parse(&overrides)?,
            handle: r.get(7)?,
            title: r.get(if en { 9 } else { 8 })?,
            description: r.get(if en { 11 } else { 10 })?,
            brand: r.get(12)?,
            category: r.get(15)?,
            options: options.get(&product).cloned().unwrap_or_default(),
            variants: vs,
            counter,
            mirror: mirror
                .map(|m| serde_json::from_str(&m))
                .transpose()
                .map_err(|e| corrupt("listing mirror", e))?,
        });
    }
    Ok(ChannelInput {
        channel,
        language,
        rules,
        listings,
    })
}

/// The counter snapshot of one listing now (listing + product + listed variants).
pub fn current_counter(tx: &Transaction<'_>, listing: ListingId) -> Result<i64> {
    Ok(tx.query_row(
        &format!(
            "SELECT {} FROM listings l WHERE l.id = ?1",
            super::LISTING_COUNTER_SQL
        ),
        params![listing.0],
        |r| r.get(0),
    )?)
}
