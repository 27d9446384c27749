//! The rendered listing: what one listing should look like on one channel, computed from the
//! catalog, the channel's rules and the listing's overrides. This is Kanaal's own domain shape —
//! each connector maps it to its platform's wire format; this module knows no platform.

use super::fast::CompareDigest;
use super::rules::{ChannelRules, Overrides};
use crate::ids::{ChannelId, ListingId, ProductId, VariantId};
use crate::vat::VatRate;
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
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
    /// bol.com's delivery promise when the listing sets its own (`Overrides::delivery_code`);
    /// absent otherwise (the connector's setting applies), also in mirrors written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_code: Option<String>,
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

pub use super::problem::{Problem, ProblemKind};

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
    /// The mirror payload, if the channel ever confirmed this listing. Filled by [`load`];
    /// the planner's own [`load_texts`] leaves it out and reads `mirror_text` only where the
    /// listing changed (parsing 100,000 mirrors was most of a plan's time).
    pub mirror: Option<serde_json::Value>,
    /// The mirror payload as stored; left unread by the planner's own load where
    /// `mirror_digest` is set.
    pub mirror_text: Option<String>,
    /// The listing has a mirror row (the channel confirmed it), whether its text was read or not.
    pub mirrored: bool,
    /// The digest of the mirror's compared fields, where Kanaal's own send settled it (schema
    /// v14, see `publish::fast`).
    pub mirror_digest: Option<CompareDigest>,
}

impl ListingInput {
    /// The channel confirmed this listing at some point (it has a mirror).
    pub fn has_mirror(&self) -> bool {
        self.mirrored || self.mirror.is_some() || self.mirror_text.is_some()
    }

    /// The mirror payload, parsed from the stored text when [`load_texts`] left it out.
    pub fn mirror_value(&self) -> Result<Option<serde_json::Value>> {
        if let Some(m) = &self.mirror {
            return Ok(Some(m.clone()));
        }
        self.mirror_text
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| corrupt("listing mirror", e))
    }
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

/// Hashing for maps keyed by row ids while loading a channel: the ids come from our own data
/// file, not from outside, so the default hasher's protection against chosen keys is not
/// needed, and its cost showed in a 100,000-listing plan.
#[derive(Default, Clone, Copy)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_i64(&mut self, n: i64) {
        self.0 =
            (self.0.rotate_left(5) ^ n.cast_unsigned()).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type IdHash = std::hash::BuildHasherDefault<IdHasher>;

fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Corrupt(format!("{what}: {e}"))
}

/// Renders one listing under the channel's rules. Pure.
pub fn render(input: &ListingInput, rules: &ChannelRules) -> (RenderedListing, Vec<Problem>) {
    // Only what rendering reads is copied (not the mirror).
    let mut copy = ListingInput {
        id: input.id,
        product: input.product,
        variant: input.variant,
        remote_id: None,
        wanted: input.wanted,
        overrides: input.overrides.clone(),
        handle: input.handle.clone(),
        title: input.title.clone(),
        description: input.description.clone(),
        brand: input.brand.clone(),
        category: input.category.clone(),
        options: input.options.clone(),
        variants: input.variants.clone(),
        counter: input.counter,
        mirror: None,
        mirror_text: None,
        mirrored: input.mirrored,
        mirror_digest: None,
    };
    render_taking(&mut copy, rules)
}

/// [`render`] that takes the listing's texts and variants out of `input` instead of copying
/// them, leaving those fields empty: the planner's own path. A plan keeps 100,000 rendered
/// listings, and copying every title, SKU and option value into them (then freeing the loaded
/// ones) was a large part of planning.
pub(crate) fn render_taking(
    input: &mut ListingInput,
    rules: &ChannelRules,
) -> (RenderedListing, Vec<Problem>) {
    let mut problems = Vec::new();
    let overrides = &input.overrides;
    let variants = std::mem::take(&mut input.variants)
        .into_iter()
        .map(|v| {
            let price = match overrides.price {
                Some(p) => {
                    let mut p = p.round_dp(2);
                    p.rescale(2);
                    if let Some(floor) = rules.price.floor(v.cost, v.vat) {
                        if p < floor {
                            problems.push(Problem::new(
                                format!("variants[{}].price", v.sku),
                                ProblemKind::BelowMinimumMargin {
                                    sku: v.sku.clone(),
                                    price: p.to_string(),
                                    floor: floor.to_string(),
                                },
                            ));
                        }
                    }
                    p
                }
                None => rules.price.apply(v.price, v.cost, v.vat),
            };
            RenderedVariant {
                sku: v.sku,
                gtin: v.gtin,
                option_values: v.option_values,
                price,
                stock: rules.stock.apply(v.on_hand),
            }
        })
        .collect();
    let listing = RenderedListing {
        handle: std::mem::take(&mut input.handle),
        title: match &overrides.title {
            Some(t) => t.clone(),
            None => std::mem::take(&mut input.title),
        },
        description: match &overrides.description {
            Some(d) => d.clone(),
            None => std::mem::take(&mut input.description),
        },
        brand: std::mem::take(&mut input.brand),
        category: input.category.take(),
        options: std::mem::take(&mut input.options),
        variants,
        delivery_code: overrides.delivery_code.clone(),
    };
    (listing, problems)
}

/// A variant's option values, stored as a JSON list of texts. The usual plain lists
/// (`[]`, `["250g"]`, `["250g","Bonen"]`: no backslash, quote or control character inside a
/// value) are split directly, which is what the JSON parser would read from them; anything
/// else goes to the parser. Reading 300,000 lists by the parser showed in a plan's load.
fn option_values(text: &str) -> Result<Vec<String>> {
    if text == "[]" {
        return Ok(Vec::new());
    }
    if let Some(inner) = text.strip_prefix("[\"").and_then(|t| t.strip_suffix("\"]")) {
        let values: Vec<&str> = inner.split("\",\"").collect();
        if values
            .iter()
            .all(|v| !v.contains(|c: char| c == '\\' || c == '"' || c < ' '))
        {
            return Ok(values.into_iter().map(str::to_string).collect());
        }
    }
    serde_json::from_str(text).map_err(|e| corrupt("variant options", e))
}

/// One variant from a row whose columns 1-8 are id, sku, gtin, options, price, cost, vat_rate,
/// change_counter.
fn variant_row(r: &rusqlite::Row<'_>, on_hand: i64) -> Result<VariantInput> {
    // Texts only read here are borrowed from the row (no copy): 300,000 variants each had
    // four strings made and dropped again.
    let text =
        |i: usize| -> Result<&str> { Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?) };
    let options = text(4)?;
    let price = text(5)?;
    let vat = text(7)?;
    Ok(VariantInput {
        id: VariantId(r.get(1)?),
        sku: r.get(2)?,
        gtin: r.get(3)?,
        option_values: option_values(options)?,
        price: Decimal::from_str(price).map_err(|e| corrupt("variant price", e))?,
        cost: r
            .get_ref(6)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?
            .map(Decimal::from_str)
            .transpose()
            .map_err(|e| corrupt("variant cost", e))?,
        vat: match vat {
            "reduced" => VatRate::Reduced,
            "zero" => VatRate::Zero,
            _ => VatRate::Standard,
        },
        counter: r.get(8)?,
        on_hand,
    })
}

/// Reads everything about `channel`'s listings that rendering and planning need, with each
/// mirror parsed.
pub fn load(tx: &Transaction<'_>, channel: ChannelId) -> Result<ChannelInput> {
    let mut input = load_texts(tx, channel)?;
    for l in &mut input.listings {
        l.mirror = l.mirror_value()?;
    }
    Ok(input)
}

/// [`load`] without parsing the mirrors (`mirror` is `None`, `mirror_text` holds them): the
/// planner compares most listings against the stored text directly.
pub fn load_texts(tx: &Transaction<'_>, channel: ChannelId) -> Result<ChannelInput> {
    load_with(tx, channel, false)
}

/// [`load_texts`] that leaves the mirror text unread where the mirror has a digest and the
/// listing has no catalog edit waiting (`listings.pending`, schema v10): the planner reads it
/// ([`mirror_text`]) only for a listing whose rendered digest differs all the same (stock moved,
/// rules or mappings changed). An edited listing's text is read here, with all the others,
/// since its digest will most likely differ.
pub(crate) fn load_digests(tx: &Transaction<'_>, channel: ChannelId) -> Result<ChannelInput> {
    load_with(tx, channel, true)
}

/// The stored mirror text of one listing.
pub(crate) fn mirror_text(tx: &Transaction<'_>, listing: ListingId) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT payload FROM listing_mirror WHERE listing_id = ?1")?
        .query_row(params![listing.0], |r| r.get(0))
        .optional()?)
}

/// What [`load_listings`] reads: a channel's listings before [`combine`].
pub(crate) struct ListingsSide {
    channel: ChannelId,
    language: Language,
    rules: ChannelRules,
    listings: Vec<ListingInput>,
}

/// What [`load_catalog`] reads: per listed product id, its variants in position order and its
/// option names in the channel's language.
pub(crate) struct CatalogSide {
    variants: HashMap<i64, Vec<VariantInput>, IdHash>,
    options: HashMap<i64, Vec<String>, IdHash>,
}

fn load_with(tx: &Transaction<'_>, channel: ChannelId, digests: bool) -> Result<ChannelInput> {
    let listings = load_listings(tx, channel, digests)?;
    let catalog = load_catalog(tx, channel)?;
    Ok(combine(listings, catalog))
}

/// The language `channel`'s listings are written in (`channels.settings.language`).
pub(crate) fn channel_language(tx: &Transaction<'_>, channel: ChannelId) -> Result<Language> {
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
    Ok(match settings.get("language").and_then(|l| l.as_str()) {
        Some("en") => Language::En,
        _ => Language::Nl,
    })
}

/// The catalog side of a channel's listings: the variants (with stock) and option names of
/// every listed product. Reads no listing row beyond their product ids, so it can run on a
/// second connection while [`load_listings`] reads the listings (see `plan::plan_in`).
pub(crate) fn load_catalog(tx: &Transaction<'_>, channel: ChannelId) -> Result<CatalogSide> {
    let en = channel_language(tx, channel)? == Language::En;

    // Variants of every listed product, with stock summed over locations, in position order.
    let listed: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM listings WHERE channel_id = ?1")?
        .query_row(params![channel.0], |r| r.get(0))?;
    let products: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM products")?
        .query_row([], |r| r.get(0))?;
    // Maps sized up front: growing them row by row (rehashing 100,000 entries again and
    // again) showed in a plan's profile.
    let listed_n = usize::try_from(listed).unwrap_or(0);
    let sized = || IdHash::default();
    let mut variants: HashMap<i64, Vec<VariantInput>, IdHash> =
        HashMap::with_capacity_and_hasher(listed_n, sized());
    if listed.saturating_mul(4) >= products {
        // Most of the catalog is listed: read variants and stock in one pass each, in table
        // order, and join here. Seeking the stock of each of 300,000 variants and sorting them
        // in SQL took most of a plan's load.
        let mut listed_products: HashSet<i64, IdHash> =
            HashSet::with_capacity_and_hasher(listed_n, sized());
        {
            let mut stmt =
                tx.prepare_cached("SELECT product_id FROM listings WHERE channel_id = ?1")?;
            let mut rows = stmt.query(params![channel.0])?;
            while let Some(r) = rows.next()? {
                listed_products.insert(r.get(0)?);
            }
        }
        // Stock per variant, sorted by variant id; the variants come in id order too, so the
        // two are merged without a lookup per variant.
        let mut on_hand: Vec<(i64, i64)> = Vec::new();
        {
            let mut stmt = tx.prepare_cached("SELECT variant_id, quantity FROM stock")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                on_hand.push((r.get(0)?, r.get(1)?));
            }
        }
        on_hand.sort_unstable_by_key(|(v, _)| *v);
        let mut stock_at = 0;
        let mut by_product: HashMap<i64, Vec<(i64, VariantInput)>, IdHash> =
            HashMap::with_capacity_and_hasher(listed_n, sized());
        let mut stmt = tx.prepare_cached(
            "SELECT product_id, id, sku, gtin, options, price, cost, vat_rate, change_counter,
                    position
             FROM variants ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(1)?;
            let mut stock = 0;
            while let Some((v, q)) = on_hand.get(stock_at) {
                if *v > id {
                    break;
                }
                if *v == id {
                    stock += q;
                }
                stock_at += 1;
            }
            let product: i64 = r.get(0)?;
            if !listed_products.contains(&product) {
                continue;
            }
            let position: i64 = r.get(9)?;
            by_product
                .entry(product)
                // Room for the usual handful of variants without growing twice.
                .or_insert_with(|| Vec::with_capacity(4))
                .push((position, variant_row(r, stock)?));
        }
        for (product, mut vs) in by_product {
            // Variants are mostly made in position order, so mostly already in it.
            if !vs.is_sorted_by_key(|(position, v)| (*position, v.id.0)) {
                vs.sort_by_key(|(position, v)| (*position, v.id.0));
            }
            variants.insert(product, vs.into_iter().map(|(_, v)| v).collect());
        }
    } else {
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
            let stock: i64 = r.get(9)?;
            variants
                .entry(r.get(0)?)
                .or_default()
                .push(variant_row(r, stock)?);
        }
    }
    let mut options: HashMap<i64, Vec<String>, IdHash> =
        HashMap::with_capacity_and_hasher(listed_n, sized());
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
    Ok(CatalogSide { variants, options })
}

/// The listing side of a channel: its language, rules, and every listing with its product's
/// texts and mirror facts, without variants and option names (see [`load_catalog`]), in
/// listing order. `digests`: leave the mirror text unread as [`load_digests`] says.
pub(crate) fn load_listings(
    tx: &Transaction<'_>,
    channel: ChannelId,
    digests: bool,
) -> Result<ListingsSide> {
    let language = channel_language(tx, channel)?;
    let en = language == Language::En;
    let rules = super::rules::load(tx, channel)?;
    let listed: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM listings WHERE channel_id = ?1")?
        .query_row(params![channel.0], |r| r.get(0))?;
    let mut listings = Vec::with_capacity(usize::try_from(listed).unwrap_or(0));
    let mut stmt = tx.prepare_cached(
        "SELECT l.id, l.product_id, l.variant_id, l.remote_id, l.state, l.overrides,
                l.change_counter, p.handle, p.title_nl, p.title_en, p.description_nl,
                p.description_en, p.brand, p.status, p.change_counter, m.remote_category_id,
                CASE WHEN ?2 AND lm.compared_digest IS NOT NULL AND l.pending = 0 THEN NULL
                     ELSE lm.payload END,
                lm.listing_id IS NOT NULL, lm.compared_digest
         FROM listings l
         JOIN products p ON p.id = l.product_id
         LEFT JOIN channel_category_mappings m
                ON m.channel_id = l.channel_id AND m.category_id = p.category_id
         LEFT JOIN listing_mirror lm ON lm.listing_id = l.id
         WHERE l.channel_id = ?1",
    )?;
    let mut rows = stmt.query(params![channel.0, digests])?;
    while let Some(r) = rows.next()? {
        let product: i64 = r.get(1)?;
        let variant: Option<i64> = r.get(2)?;
        let state = r.get_ref(4)?.as_str().map_err(rusqlite::Error::from)?;
        let overrides = r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?;
        let status = r.get_ref(13)?.as_str().map_err(rusqlite::Error::from)?;
        listings.push(ListingInput {
            id: ListingId(r.get(0)?),
            product: ProductId(product),
            variant: variant.map(VariantId),
            remote_id: r.get(3)?,
            wanted: state != "unpublished" && status == "active",
            // Most listings have no overrides: skip the parser for the empty object.
            overrides: if overrides == "{}" {
                Overrides::default()
            } else {
                Overrides::parse(overrides)?
            },
            handle: r.get(7)?,
            title: r.get(if en { 9 } else { 8 })?,
            description: r.get(if en { 11 } else { 10 })?,
            brand: r.get(12)?,
            category: r.get(15)?,
            options: Vec::new(),
            variants: Vec::new(),
            counter: r.get::<_, i64>(6)? + r.get::<_, i64>(14)?,
            mirror: None,
            mirror_text: r.get(16)?,
            mirrored: r.get(17)?,
            // A digest of another length is not one Kanaal wrote: compare the text instead.
            mirror_digest: r
                .get_ref(18)?
                .as_blob_or_null()
                .ok()
                .flatten()
                .and_then(|b| CompareDigest::try_from(b).ok()),
        });
    }
    // In listing order, as the plan lists them. Sorted here rather than by `ORDER BY l.id`:
    // SQLite read the channel's listings through their index and then sorted 100,000 whole
    // rows (titles, descriptions, mirrors) in a temporary B-tree; this sorts ids.
    listings.sort_unstable_by_key(|l| l.id.0);
    Ok(ListingsSide {
        channel,
        language,
        rules,
        listings,
    })
}

/// Hands each listing its variants and option names.
pub(crate) fn combine(side: ListingsSide, catalog: CatalogSide) -> ChannelInput {
    let ListingsSide {
        channel,
        language,
        rules,
        mut listings,
    } = side;
    let CatalogSide {
        mut variants,
        mut options,
    } = catalog;
    let listed_n = listings.len();
    let sized = || IdHash::default();
    // Hand each listing its variants, moving them where no other listing of this channel
    // needs them (cloning 300,000 variants was a large part of a plan): per product, how many
    // listings take all its variants and how many take one.
    let mut whole: HashMap<i64, u32, IdHash> = HashMap::with_capacity_and_hasher(listed_n, sized());
    let mut single: HashMap<i64, u32, IdHash> = HashMap::default();
    let mut taken_options: HashMap<i64, u32, IdHash> =
        HashMap::with_capacity_and_hasher(listed_n, sized());
    for l in &listings {
        let counts = if l.variant.is_none() {
            &mut whole
        } else {
            &mut single
        };
        *counts.entry(l.product.0).or_default() += 1;
    }
    for l in &mut listings {
        let product = l.product.0;
        // The option names move to the product's last listing and are cloned for the others.
        let takers =
            whole.get(&product).copied().unwrap_or(0) + single.get(&product).copied().unwrap_or(0);
        let last_taker = {
            let taken = taken_options.entry(product).or_default();
            *taken += 1;
            *taken == takers
        };
        l.options = if last_taker {
            options.remove(&product).unwrap_or_default()
        } else {
            options.get(&product).cloned().unwrap_or_default()
        };
        let vs: Vec<VariantInput> = match l.variant {
            None => {
                let left = whole.entry(product).or_default();
                *left = left.saturating_sub(1);
                if *left == 0 && single.get(&product).copied().unwrap_or(0) == 0 {
                    variants.remove(&product).unwrap_or_default()
                } else {
                    variants.get(&product).cloned().unwrap_or_default()
                }
            }
            Some(id) => {
                let all = variants.get_mut(&product);
                let found = all
                    .as_ref()
                    .and_then(|all| all.iter().position(|v| v.id == id));
                match (all, found) {
                    (Some(all), Some(i)) if whole.get(&product).copied().unwrap_or(0) == 0 => {
                        vec![all.swap_remove(i)]
                    }
                    (Some(all), Some(i)) => vec![all[i].clone()],
                    _ => Vec::new(),
                }
            }
        };
        l.counter += vs.iter().map(|v| v.counter).sum::<i64>();
        l.variants = vs;
    }
    ChannelInput {
        channel,
        language,
        rules,
        listings,
    }
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::option_values;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Option values read directly are what the JSON parser reads, whatever the texts hold.
        #[test]
        fn option_values_read_as_the_json_parser_reads_them(
            values in proptest::collection::vec("[a-c0-9 ,\\[\\]\"\\\\\u{1}é]{0,5}", 0..4),
        ) {
            let text = serde_json::to_string(&values).unwrap();
            prop_assert_eq!(option_values(&text).unwrap(), values);
        }
    }

    #[test]
    fn a_list_that_is_not_plain_json_goes_to_the_parser() {
        assert_eq!(option_values(r#"[ "a" ]"#).unwrap(), vec!["a".to_string()]);
        assert!(
            option_values(r#"["a","b"#).is_err(),
            "a cut-off list is corrupt"
        );
    }
}
