//! Drift and conflicts (issue 5, item 4; DESIGN.md "Sync model"): what a read-back of a channel
//! found changed there since the channel last confirmed a listing (the mirror), and how the
//! merchant resolves it. Owns the `drift_findings` table, the per-field three-way
//! classification, the publish hold on listings with open findings, and the two resolutions.
//! Must not talk to a channel: the read-back itself is kanaal-sync's `drift` module, which
//! hands this module what it saw.
//!
//! Per field, with base = the mirror, mine = rendered from the catalog now, theirs = read back:
//! - theirs == base: unchanged on the channel (mine != base is simply waiting to be published);
//! - theirs == mine: both sides agree (nothing to do);
//! - mine == base: changed only on the channel ([`DriftKind::Remote`], can be adopted);
//! - otherwise: changed on both sides ([`DriftKind::Conflict`], the merchant chooses).
//!
//! A listing with an open finding is held back from publishing ([`hold`]): an update sends the
//! whole listing, so publishing any field of it would silently overwrite the channel's change.
//!
//! Resolutions, each one transaction:
//! - [`Resolution::Adopt`] (take theirs) writes the channel's value into Kanaal as an edit with
//!   source `channel`, on the undo stack. Where it goes, per field, is what a merchant expects:
//!   * price: the listing's price override. A channel price is the catalog price run through
//!     the channel's price rule (markup, .95 ending), so it cannot be turned back into one
//!     catalog price without moving every other channel; and a merchant who changes a price in
//!     the bol.com portal reacts to that marketplace (a competitor, the buy box), not to the
//!     product. Where a listing carries several variants (one override would set them all), the
//!     catalog price of that variant is used instead, but only when the channel's rule leaves
//!     prices as they are; otherwise Kanaal says so and the merchant keeps theirs or changes it.
//!   * title: the catalog title in the channel's language, since a title fixed on a channel
//!     (a typo, a better name) is about the product, and every channel should get it; when the
//!     listing already has its own title override, that override is updated instead.
//! - [`Resolution::KeepMine`] moves the base to theirs (the channel's change has been seen) and
//!   marks the listing for publishing, so the next publish sends mine over it, shown in the plan.
//!   It writes an audit row (no undo batch: nothing in the catalog changes).
//!
//! Fields (see [`FIELD_TITLE`] and friends): the listing's title, description and brand, its
//! place on the channel (`listed`: for sale, not for sale, or removed), and per variant the
//! price, the "was" price (compare-at) and the EAN/barcode. For `listed` the choices read
//! "Take it off in Kanaal too" (adopt: the listing is unlisted in Kanaal and Kanaal forgets the
//! channel's copy) and "Put it back" (keep mine: a removed listing is created again by the next
//! publish, one taken off sale is sent again whole).
//!
//! Stock is not compared: every sale lowers the quantity on the channel by itself, so a
//! read-back differs from the mirror after each order; the stock engine owns that number.
//!
//! A read-back that failed ([`mark_unchecked`]) leaves the channel unchecked until one
//! succeeds ([`record`]): meanwhile the outbox holds that channel's updates (a change made on
//! the channel since the last check would otherwise be overwritten unseen); stock, orders and
//! creates still go out.

use crate::catalog::edit::{self, Change, Field, Target};
use crate::catalog::Source;
use crate::failure::{Failure, StoredFailure, SupersededBy};
use crate::ids::{ChannelId, ListingId, ProductId, VariantId};
use crate::publish::{Overrides, Plan, Problem, ProblemKind};
use crate::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

/// How a field stands between Kanaal, the mirror and the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldState {
    Unchanged,
    /// Changed in Kanaal only: waiting to be published.
    LocalOnly,
    /// Changed on both sides to the same value.
    Agreed,
    RemoteOnly,
    Conflict,
}

/// The kind of a stored finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// Changed only on the channel.
    Remote,
    /// Changed on the channel and in Kanaal.
    Conflict,
}

impl DriftKind {
    pub fn code(self) -> &'static str {
        match self {
            DriftKind::Remote => "remote",
            DriftKind::Conflict => "conflict",
        }
    }
}

/// Classifies one field. `base` is `None` when the mirror does not have the field.
pub fn classify(base: Option<&Value>, mine: &Value, theirs: &Value) -> FieldState {
    let base_is = |v: &Value| base == Some(v);
    match (base_is(theirs), theirs == mine, base_is(mine)) {
        (true, _, true) => FieldState::Unchanged,
        (true, _, false) => FieldState::LocalOnly,
        (false, true, _) => FieldState::Agreed,
        (false, false, true) => FieldState::RemoteOnly,
        (false, false, false) => FieldState::Conflict,
    }
}

/// A price as the comparison sees it: two decimals, as text, so "12.5" equals "12.50".
pub fn price_value(d: Decimal) -> Value {
    let mut d = d.round_dp(2);
    d.rescale(2);
    Value::String(d.to_string())
}

/// The listing's title, description and brand: text fields of the whole listing.
pub const FIELD_TITLE: &str = "title";
pub const FIELD_DESCRIPTION: &str = "description";
pub const FIELD_BRAND: &str = "brand";
/// bol.com's delivery promise of the offer (`24uurs-16`, `1-2d`, ...): the listing's own code
/// when it sets one (`Overrides::delivery_code`), else the channel's setting.
pub const FIELD_DELIVERY_CODE: &str = "delivery_code";
/// Where the listing stands on the channel: [`LISTED_FOR_SALE`] (as Kanaal published it),
/// [`LISTED_NOT_FOR_SALE`] (on hold, a draft) or [`LISTED_REMOVED`] (gone).
pub const FIELD_LISTED: &str = "listed";
pub const LISTED_FOR_SALE: &str = "for_sale";
pub const LISTED_NOT_FOR_SALE: &str = "not_for_sale";
pub const LISTED_REMOVED: &str = "removed";

/// The per-variant fields compared, by the key they have in the mirror and the publish plan.
pub const VARIANT_PRICE: &str = "price";
pub const VARIANT_COMPARE_AT: &str = "compare_at_price";
pub const VARIANT_GTIN: &str = "gtin";

/// The field name of a variant's price, as the publish plan names it.
pub fn price_field(sku: &str) -> String {
    variant_field(sku, VARIANT_PRICE)
}

/// The field name of one variant's `key` (`variants[SKU].gtin`).
pub fn variant_field(sku: &str, key: &str) -> String {
    format!("variants[{sku}].{key}")
}

/// The SKU and key of a variant field name.
pub fn split_variant_field(field: &str) -> Option<(&str, &str)> {
    let rest = field.strip_prefix("variants[")?;
    let end = rest.rfind("].")?;
    Some((&rest[..end], &rest[end + 2..]))
}

fn sku_of_price_field(field: &str) -> Option<&str> {
    split_variant_field(field)
        .filter(|(_, k)| *k == VARIANT_PRICE)
        .map(|(s, _)| s)
}

/// An amount in a payload (text or number) as the comparison sees it; null stays null.
fn money_value(v: &Value) -> Option<Value> {
    let d = match v {
        Value::String(s) => Decimal::from_str(s).ok()?,
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok()?,
        Value::Null => return Some(Value::Null),
        _ => return None,
    };
    Some(price_value(d))
}

/// The value of `field` in a mirror payload (a rendered listing as JSON), normalised. `None`
/// when the mirror does not know the field (an older mirror, a variant not there).
pub fn mirror_value(mirror: &Value, field: &str) -> Option<Value> {
    match field {
        FIELD_TITLE | FIELD_DESCRIPTION | FIELD_BRAND => {
            return mirror.get(field).filter(|v| v.is_string()).cloned()
        }
        // Null: Kanaal sent no code of its own, so the channel's setting went out (the drift
        // check puts that in).
        FIELD_DELIVERY_CODE => {
            return Some(
                mirror
                    .get(field)
                    .filter(|v| v.is_string())
                    .cloned()
                    .unwrap_or(Value::Null),
            )
        }
        // A confirmed listing was published for sale unless a check recorded otherwise.
        FIELD_LISTED => {
            return Some(
                mirror
                    .get(FIELD_LISTED)
                    .filter(|v| v.is_string())
                    .cloned()
                    .unwrap_or_else(|| Value::String(LISTED_FOR_SALE.into())),
            )
        }
        _ => {}
    }
    let (sku, key) = split_variant_field(field)?;
    let v = mirror
        .get("variants")?
        .as_array()?
        .iter()
        .find(|v| v.get("sku").and_then(Value::as_str) == Some(sku))?;
    match key {
        VARIANT_PRICE => money_value(v.get(VARIANT_PRICE)?),
        // Kanaal publishes no "was" price: what it last sent is none, unless keep mine noted
        // the channel's.
        VARIANT_COMPARE_AT => money_value(v.get(VARIANT_COMPARE_AT).unwrap_or(&Value::Null)),
        VARIANT_GTIN => Some(
            v.get(VARIANT_GTIN)
                .filter(|g| g.as_str().is_some_and(|g| !g.is_empty()))
                .cloned()
                .unwrap_or(Value::Null),
        ),
        _ => None,
    }
}

/// Writes `value` into `field` of a mirror payload (keep mine: the base becomes theirs).
fn set_mirror_value(mirror: &mut Value, field: &str, value: &Value) {
    if matches!(
        field,
        FIELD_TITLE | FIELD_DESCRIPTION | FIELD_BRAND | FIELD_LISTED | FIELD_DELIVERY_CODE
    ) {
        mirror[field] = value.clone();
        return;
    }
    let Some((sku, key)) = split_variant_field(field) else {
        return;
    };
    if let Some(vs) = mirror.get_mut("variants").and_then(Value::as_array_mut) {
        for v in vs {
            if v.get("sku").and_then(Value::as_str) == Some(sku) {
                v[key] = value.clone();
            }
        }
    }
}

/// Makes the next publish send the whole listing again although Kanaal's fields did not
/// change (a listing put back on sale, a "was" price to remove): the quantities the mirror
/// says the channel confirmed are forgotten, so the plan shows the stock going out with it.
fn force_update(mirror: &mut Value) {
    if let Some(vs) = mirror.get_mut("variants").and_then(Value::as_array_mut) {
        for v in vs {
            v["stock"] = Value::Null;
        }
    }
}

/// When `channel` could not be read back: the time of the first failure since the last
/// successful check, and why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unchecked {
    pub since: String,
    /// The read-back's failure, typed (a check failed before failures were stored typed reads
    /// back as [`StoredFailure::Other`] with its English text).
    pub reason: StoredFailure,
}

/// Notes that a read-back of `channel` failed: its updates wait until one succeeds. The time
/// of the first failure is kept.
pub fn mark_unchecked(
    tx: &Transaction<'_>,
    channel: ChannelId,
    reason: &Failure,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_cursors (channel_id, stream, cursor, updated_at)
         VALUES (?1, 'drift_unchecked', ?2, ?3)
         ON CONFLICT(channel_id, stream) DO UPDATE SET cursor = excluded.cursor",
        params![channel.0, reason.to_stored(), stamp(now)],
    )?;
    Ok(())
}

/// Whether the last read-back of `channel` failed (and no check succeeded since).
pub fn unchecked(tx: &Transaction<'_>, channel: ChannelId) -> Result<Option<Unchecked>> {
    Ok(tx
        .query_row(
            "SELECT updated_at, cursor FROM sync_cursors
             WHERE channel_id = ?1 AND stream = 'drift_unchecked'",
            params![channel.0],
            |r| {
                Ok(Unchecked {
                    since: r.get(0)?,
                    reason: StoredFailure::read(&r.get::<_, String>(1)?),
                })
            },
        )
        .optional()?)
}

/// What the merchant is told while a channel's updates wait for a read-back.
pub fn unchecked_message(channel_name: &str) -> String {
    format!("{channel_name} could not be checked for changes; updates wait until it can")
}

/// One field the read-back found changed on the channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFinding {
    pub listing: ListingId,
    pub field: String,
    pub kind: DriftKind,
    pub base: Option<Value>,
    pub mine: Value,
    pub theirs: Value,
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn json_text(v: &Value) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Corrupt(e.to_string()))
}

fn parse_json(what: &str, s: &str) -> Result<Value> {
    serde_json::from_str(s).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
}

/// Replaces what is known of `channel`'s drift with the findings of a check that just read the
/// whole channel, and notes when it ran. A finding still there keeps the time it was first seen.
pub fn record(
    tx: &Transaction<'_>,
    channel: ChannelId,
    findings: &[NewFinding],
    now: DateTime<Utc>,
) -> Result<()> {
    let at = stamp(now);
    let mut first_seen: HashMap<(i64, String), String> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT d.listing_id, d.field, d.found_at FROM drift_findings d
             JOIN listings l ON l.id = d.listing_id WHERE l.channel_id = ?1",
        )?;
        let mut rows = stmt.query(params![channel.0])?;
        while let Some(r) = rows.next()? {
            first_seen.insert((r.get(0)?, r.get(1)?), r.get(2)?);
        }
    }
    tx.execute(
        "DELETE FROM drift_findings
         WHERE listing_id IN (SELECT id FROM listings WHERE channel_id = ?1)",
        params![channel.0],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO drift_findings (listing_id, field, kind, base, mine, theirs, found_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for f in findings {
        let found = first_seen
            .get(&(f.listing.0, f.field.clone()))
            .cloned()
            .unwrap_or_else(|| at.clone());
        insert.execute(params![
            f.listing.0,
            f.field,
            f.kind.code(),
            f.base.as_ref().map(json_text).transpose()?,
            json_text(&f.mine)?,
            json_text(&f.theirs)?,
            found
        ])?;
    }
    tx.execute(
        "INSERT INTO sync_cursors (channel_id, stream, cursor, updated_at) VALUES (?1, 'drift', ?2, ?2)
         ON CONFLICT(channel_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
        params![channel.0, at],
    )?;
    // The channel was read back whole: updates held for want of a check may go.
    tx.execute(
        "DELETE FROM sync_cursors WHERE channel_id = ?1 AND stream = 'drift_unchecked'",
        params![channel.0],
    )?;
    Ok(())
}

/// When `channel` was last read back for drift (RFC 3339), if ever.
pub fn last_check(tx: &Transaction<'_>, channel: ChannelId) -> Result<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT updated_at FROM sync_cursors WHERE channel_id = ?1 AND stream = 'drift'",
            params![channel.0],
            |r| r.get(0),
        )
        .optional()?)
}

/// A stored finding, with what the Publish page shows beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub listing: ListingId,
    pub channel: ChannelId,
    pub channel_name: String,
    pub product: ProductId,
    /// The product's catalog title (Dutch), to recognise the listing.
    pub product_title: String,
    /// `title` or `variants[SKU].price`.
    pub field: String,
    pub kind: DriftKind,
    /// What the channel last confirmed; `None` when the mirror did not have the field.
    pub base: Option<Value>,
    pub mine: Value,
    pub theirs: Value,
    pub found_at: String,
}

/// Open findings, of one channel or all, by channel, product and field.
pub fn list(tx: &Transaction<'_>, channel: Option<ChannelId>) -> Result<Vec<Finding>> {
    let mut stmt = tx.prepare_cached(
        "SELECT d.listing_id, l.channel_id, c.name, l.product_id, p.title_nl, d.field, d.kind,
                d.base, d.mine, d.theirs, d.found_at
         FROM drift_findings d
         JOIN listings l ON l.id = d.listing_id
         JOIN channels c ON c.id = l.channel_id
         JOIN products p ON p.id = l.product_id
         WHERE ?1 IS NULL OR l.channel_id = ?1
         ORDER BY c.id, p.title_nl, l.id, d.field",
    )?;
    let mut rows = stmt.query(params![channel.map(|c| c.0)])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(6)?;
        let base: Option<String> = r.get(7)?;
        let mine: String = r.get(8)?;
        let theirs: String = r.get(9)?;
        out.push(Finding {
            listing: ListingId(r.get(0)?),
            channel: ChannelId(r.get(1)?),
            channel_name: r.get(2)?,
            product: ProductId(r.get(3)?),
            product_title: r.get(4)?,
            field: r.get(5)?,
            kind: if kind == "conflict" {
                DriftKind::Conflict
            } else {
                DriftKind::Remote
            },
            base: base.map(|b| parse_json("drift base", &b)).transpose()?,
            mine: parse_json("drift mine", &mine)?,
            theirs: parse_json("drift theirs", &theirs)?,
            found_at: r.get(10)?,
        });
    }
    Ok(out)
}

/// Open findings per channel: (changed on the channel only, changed on both sides).
pub fn counts(tx: &Transaction<'_>) -> Result<BTreeMap<ChannelId, (u32, u32)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT l.channel_id, SUM(d.kind = 'remote'), SUM(d.kind = 'conflict')
         FROM drift_findings d JOIN listings l ON l.id = d.listing_id
         GROUP BY l.channel_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = BTreeMap::new();
    while let Some(r) = rows.next()? {
        out.insert(ChannelId(r.get(0)?), (r.get(1)?, r.get(2)?));
    }
    Ok(out)
}

/// Listings of `channel` with an open finding: not to be updated until the merchant resolved it.
pub fn held_listings(
    tx: &Transaction<'_>,
    channel: ChannelId,
) -> Result<BTreeMap<ListingId, Vec<(String, DriftKind)>>> {
    let mut stmt = tx.prepare_cached(
        "SELECT d.listing_id, d.field, d.kind FROM drift_findings d
         JOIN listings l ON l.id = d.listing_id WHERE l.channel_id = ?1",
    )?;
    let mut rows = stmt.query(params![channel.0])?;
    let mut out: BTreeMap<ListingId, Vec<(String, DriftKind)>> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(2)?;
        let kind = if kind == "conflict" {
            DriftKind::Conflict
        } else {
            DriftKind::Remote
        };
        out.entry(ListingId(r.get(0)?))
            .or_default()
            .push((r.get(1)?, kind));
    }
    Ok(out)
}

/// The problem that holds a listing back from publishing while a finding is open.
pub fn hold_problem(field: &str, kind: DriftKind) -> Problem {
    Problem::new(
        field,
        match kind {
            DriftKind::Conflict => ProblemKind::HeldConflict,
            DriftKind::Remote => ProblemKind::HeldRemoteChange,
        },
    )
}

/// Adds a hold problem to every planned create/update of a listing with an open finding, so
/// confirming the plan queues nothing for it. Unpublishing is not held back.
pub fn hold(tx: &Transaction<'_>, plan: &mut Plan) -> Result<()> {
    let held = held_listings(tx, plan.channel)?;
    if held.is_empty() {
        return Ok(());
    }
    for item in &mut plan.listings {
        if item.action == crate::publish::Action::Unpublish {
            continue;
        }
        if let Some(fields) = held.get(&item.listing) {
            for (field, kind) in fields {
                item.problems.push(hold_problem(field, *kind));
            }
        }
    }
    Ok(())
}

/// How the merchant resolves one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Take theirs: the channel's value becomes Kanaal's.
    Adopt,
    /// Keep mine: publish Kanaal's value over the channel's.
    KeepMine,
}

/// What a resolution did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    /// The undo batch (adopt), `None` for keep mine.
    pub batch: Option<edit::Batch>,
    /// Where the value went: the window words it in the merchant's language, the command line
    /// prints its English sentence ([`Outcome`]'s `Display`).
    pub outcome: Outcome,
}

/// Which text field an adoption wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "DriftTextField"))]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    Title,
    Description,
}

impl TextField {
    fn word(self) -> &'static str {
        match self {
            TextField::Title => "title",
            TextField::Description => "description",
        }
    }
}

/// What a drift choice did, with the data to say it (`channel` is the channel's name as the
/// merchant named it; prices are decimal text to format in the merchant's language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "DriftOutcome"))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Keep mine: Kanaal's value stays; the next publish sends it to the channel.
    KeptMine { channel: String },
    /// Adopt: the catalog's title or description (in the channel's language) now reads as on
    /// the channel; every channel gets it with the next publish.
    CatalogText { field: TextField },
    /// Adopt: the listing's own title or description for this channel now reads as there.
    ListingText { field: TextField, channel: String },
    /// Adopt: the catalog brand is now the channel's.
    CatalogBrand { brand: String },
    /// Adopt: the catalog EAN of the variant is now the channel's.
    CatalogGtin { sku: String, gtin: String },
    /// Adopt: the listing has its own price on this channel; the catalog price and the other
    /// channels are unchanged.
    ListingPrice {
        sku: String,
        price: String,
        channel: String,
    },
    /// Adopt: the catalog price of the variant is now the channel's.
    CatalogPrice { sku: String, price: String },
    /// Adopt: the listing has its own delivery promise (bol.com's delivery code) on this
    /// channel; the channel's setting stays for the other listings.
    ListingDeliveryCode { code: String, channel: String },
    /// "Take it off in Kanaal too": unlisted in Kanaal, nothing more is sent for it there.
    TakenOff { channel: String },
    /// "Put it back" for a listing removed on the channel: created again by the next publish.
    PutBackAsNew { channel: String },
    /// "Put it back" for a listing taken off sale there: the next publish puts it on sale.
    PutBackOnSale { channel: String },
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::KeptMine { channel } => write!(
                f,
                "Kanaal's value is kept; the next publish sends it to {channel}"
            ),
            Outcome::CatalogText { field } => write!(
                f,
                "the catalog {} now reads as on the channel; every channel gets it with the next publish",
                field.word()
            ),
            Outcome::ListingText { field, channel } => write!(
                f,
                "the {} for {channel} now reads as on the channel",
                field.word()
            ),
            Outcome::CatalogBrand { brand } => write!(
                f,
                "the catalog brand is now {brand}; every channel gets it with the next publish"
            ),
            Outcome::CatalogGtin { sku, gtin } => {
                write!(f, "the catalog EAN of {sku} is now {gtin}")
            }
            Outcome::ListingPrice {
                sku,
                price,
                channel,
            } => write!(
                f,
                "{sku} now has its own price {price} on {channel}; the catalog price and other channels are unchanged"
            ),
            Outcome::CatalogPrice { sku, price } => {
                write!(f, "the catalog price of {sku} is now {price}")
            }
            Outcome::ListingDeliveryCode { code, channel } => write!(
                f,
                "this listing now has its own delivery code {code} on {channel}; the other listings keep the channel's setting"
            ),
            Outcome::TakenOff { channel } => write!(
                f,
                "taken off {channel} in Kanaal too; Kanaal sends nothing more for it there (list it again on the product page when you want it back)"
            ),
            Outcome::PutBackAsNew { channel } => write!(
                f,
                "the next publish puts it back on {channel} as a new listing"
            ),
            Outcome::PutBackOnSale { channel } => {
                write!(f, "the next publish puts it back on sale on {channel}")
            }
        }
    }
}

/// Why a drift choice was refused; the finding stays open. The window words it in the
/// merchant's language, the command line prints the English sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "DriftRefusal"))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Refusal {
    /// The finding was resolved meanwhile, or the last check no longer sees it.
    NoLongerOpen,
    /// The channel shows no EAN for the variant: there is nothing to adopt.
    NoEan { channel: String, sku: String },
    /// Kanaal sends no "was" price to the channel, so it cannot take one over.
    CompareAtNotSent { channel: String },
    /// One listing carries several variants and the channel's prices follow a rule, so one
    /// variant's price cannot be taken over.
    PriceByRule { channel: String },
    /// A field Kanaal does not adopt.
    NotAdoptable,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NoLongerOpen => f.write_str(
                "this change on the channel is no longer open (resolved already, or the last check no longer sees it); check the channel again",
            ),
            Refusal::NoEan { channel, sku } => write!(
                f,
                "{channel} shows no EAN for {sku}; Kanaal keeps its EAN. Choose 'Keep mine' to send it again"
            ),
            Refusal::CompareAtNotSent { channel } => write!(
                f,
                "Kanaal does not send a 'was' price to {channel} yet, so it cannot take this one over; choose 'Keep mine' and the next publish removes it there"
            ),
            Refusal::PriceByRule { channel } => write!(
                f,
                "{channel} sells several variants under one listing and sets its prices by a rule, so Kanaal cannot take over one variant's price; change the catalog price yourself, or choose 'Keep mine'"
            ),
            Refusal::NotAdoptable => {
                f.write_str("Kanaal cannot adopt this field from the channel")
            }
        }
    }
}

struct ListingRow {
    channel_name: String,
    product: ProductId,
    variant: Option<VariantId>,
    overrides: String,
    language_en: bool,
    price_rule: String,
}

fn listing_row(tx: &Transaction<'_>, listing: ListingId) -> Result<ListingRow> {
    tx.query_row(
        "SELECT c.name, l.product_id, l.variant_id, l.overrides, c.settings,
                COALESCE((SELECT price_rule FROM channel_rules r WHERE r.channel_id = c.id), '{}')
         FROM listings l JOIN channels c ON c.id = l.channel_id WHERE l.id = ?1",
        params![listing.0],
        |r| {
            let settings: String = r.get(4)?;
            Ok(ListingRow {
                channel_name: r.get(0)?,
                product: ProductId(r.get(1)?),
                variant: r.get::<_, Option<i64>>(2)?.map(VariantId),
                overrides: r.get(3)?,
                language_en: serde_json::from_str::<Value>(&settings)
                    .ok()
                    .and_then(|s| s.get("language").and_then(Value::as_str).map(|l| l == "en"))
                    .unwrap_or(false),
                price_rule: r.get(5)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("Listing {}", listing.0)))
}

/// Resolves the open finding on `field` of `listing`, in the caller's transaction. Refuses when
/// there is no such finding (resolved meanwhile, or a newer check no longer sees it).
pub fn resolve(
    tx: &Transaction<'_>,
    listing: ListingId,
    field: &str,
    resolution: Resolution,
    now: DateTime<Utc>,
) -> Result<Resolved> {
    let found: Option<(String, String)> = tx
        .query_row(
            "SELECT mine, theirs FROM drift_findings WHERE listing_id = ?1 AND field = ?2",
            params![listing.0, field],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((mine, theirs)) = found else {
        return Err(Error::DriftRefused(Refusal::NoLongerOpen));
    };
    let mine = parse_json("drift mine", &mine)?;
    let theirs = parse_json("drift theirs", &theirs)?;
    let row = listing_row(tx, listing)?;
    let now_text = stamp(now);
    let resolved = if field == FIELD_LISTED {
        resolve_listed(tx, listing, &row, &theirs, resolution, &now_text)?
    } else {
        match resolution {
            Resolution::Adopt => {
                // Updates queued before carry the value the merchant just replaced with theirs;
                // sent now they would overwrite the adopted value on the channel. The adoption
                // marks the listing for publishing, so the next publish sends the current state.
                tx.execute(
                    "UPDATE outbox SET state = 'cancelled', updated_at = ?2, last_error = ?3
                 WHERE listing_id = ?1 AND operation = 'update' AND state IN ('queued', 'waiting')",
                    params![
                        listing.0,
                        now_text,
                        StoredFailure::Superseded {
                            by: SupersededBy::AdoptedValue
                        }
                        .to_stored()
                    ],
                )?;
                adopt(tx, listing, &row, field, &theirs, now)?
            }
            Resolution::KeepMine => {
                let mirror: Option<String> = tx
                    .query_row(
                        "SELECT payload FROM listing_mirror WHERE listing_id = ?1",
                        params![listing.0],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(m) = mirror {
                    let mut m = parse_json("listing mirror", &m)?;
                    set_mirror_value(&mut m, field, &theirs);
                    // A field the publish plan does not compare: the whole listing goes again.
                    if split_variant_field(field).is_some_and(|(_, k)| k == VARIANT_COMPARE_AT) {
                        force_update(&mut m);
                    }
                    tx.execute(
                        "UPDATE listing_mirror SET payload = ?2 WHERE listing_id = ?1",
                        params![listing.0, json_text(&m)?],
                    )?;
                }
                tx.execute(
                    "UPDATE listings SET change_counter = change_counter + 1 WHERE id = ?1",
                    params![listing.0],
                )?;
                tx.execute(
                "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
                 VALUES (?1, ?2, NULL, 'listing', ?3, ?4, ?5, ?6)",
                params![
                    now_text,
                    Source::Channel.code(),
                    listing.0,
                    format!("keep_mine:{field}"),
                    json_text(&theirs)?,
                    json_text(&mine)?
                ],
            )?;
                Resolved {
                    batch: None,
                    outcome: Outcome::KeptMine {
                        channel: row.channel_name.clone(),
                    },
                }
            }
        }
    };
    tx.execute(
        "DELETE FROM drift_findings WHERE listing_id = ?1 AND field = ?2",
        params![listing.0, field],
    )?;
    Ok(resolved)
}

fn read_mirror(tx: &Transaction<'_>, listing: ListingId) -> Result<Option<Value>> {
    let m: Option<String> = tx
        .query_row(
            "SELECT payload FROM listing_mirror WHERE listing_id = ?1",
            params![listing.0],
            |r| r.get(0),
        )
        .optional()?;
    m.map(|m| parse_json("listing mirror", &m)).transpose()
}

/// A listing removed on the channel or taken off sale there. Adopt ("Take it off in Kanaal
/// too"): the listing is unlisted in Kanaal and Kanaal forgets the channel's copy, so nothing
/// is sent for it (the channel keeps what the merchant did there). Keep mine ("Put it back"):
/// a removed listing is created again by the next publish; one taken off sale is sent whole
/// again, which puts it back on sale.
fn resolve_listed(
    tx: &Transaction<'_>,
    listing: ListingId,
    row: &ListingRow,
    theirs: &Value,
    resolution: Resolution,
    now_text: &str,
) -> Result<Resolved> {
    let removed = theirs.as_str() == Some(LISTED_REMOVED);
    // Rows queued for the copy on the channel (updates, stock) no longer apply: it is gone,
    // or Kanaal stops managing it, or the next publish sends the listing whole.
    tx.execute(
        "UPDATE outbox SET state = 'cancelled', updated_at = ?2, last_error = ?3
         WHERE listing_id = ?1 AND operation IN ('update', 'set_stock') AND state IN ('queued', 'waiting')",
        params![listing.0, now_text, StoredFailure::Superseded { by: SupersededBy::TakenOffOrPutBack }.to_stored()],
    )?;
    let forget = |tx: &Transaction<'_>| -> Result<()> {
        tx.execute(
            "DELETE FROM listing_mirror WHERE listing_id = ?1",
            params![listing.0],
        )?;
        Ok(())
    };
    let channel = row.channel_name.clone();
    let (audit_new, outcome) = match resolution {
        Resolution::Adopt => {
            forget(tx)?;
            tx.execute(
                "UPDATE listings SET state = 'unpublished', remote_id = NULL,
                        change_counter = change_counter + 1 WHERE id = ?1",
                params![listing.0],
            )?;
            ("unlisted", Outcome::TakenOff { channel })
        }
        Resolution::KeepMine if removed => {
            forget(tx)?;
            tx.execute(
                "UPDATE listings SET state = 'new', remote_id = NULL,
                        change_counter = change_counter + 1 WHERE id = ?1",
                params![listing.0],
            )?;
            ("put_back", Outcome::PutBackAsNew { channel })
        }
        Resolution::KeepMine => {
            if let Some(mut m) = read_mirror(tx, listing)? {
                m[FIELD_LISTED] = theirs.clone();
                force_update(&mut m);
                tx.execute(
                    "UPDATE listing_mirror SET payload = ?2 WHERE listing_id = ?1",
                    params![listing.0, json_text(&m)?],
                )?;
            }
            tx.execute(
                "UPDATE listings SET change_counter = change_counter + 1 WHERE id = ?1",
                params![listing.0],
            )?;
            ("put_back", Outcome::PutBackOnSale { channel })
        }
    };
    tx.execute(
        "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
         VALUES (?1, ?2, NULL, 'listing', ?3, ?4, ?5, ?6)",
        params![
            now_text,
            Source::Channel.code(),
            listing.0,
            FIELD_LISTED,
            json_text(theirs)?,
            json_text(&Value::String(audit_new.into()))?
        ],
    )?;
    Ok(Resolved {
        batch: None,
        outcome,
    })
}

fn adopt(
    tx: &Transaction<'_>,
    listing: ListingId,
    row: &ListingRow,
    field: &str,
    theirs: &Value,
    now: DateTime<Utc>,
) -> Result<Resolved> {
    let mut overrides = Overrides::parse(&row.overrides)?;
    // The undo button shows this label as it was stored, so it is written in the language the
    // merchant chose for the window (as an import's and its pictures' labels are).
    let label = match crate::settings::language(tx)?.unwrap_or(crate::settings::Language::Nl) {
        crate::settings::Language::Nl => {
            format!(
                "{} overgenomen van {}",
                describe_nl(field),
                row.channel_name
            )
        }
        crate::settings::Language::En => {
            format!("Adopted {} from {}", describe(field), row.channel_name)
        }
    };
    if field == FIELD_TITLE || field == FIELD_DESCRIPTION {
        // A text the listing overrides is adopted into the override (only this channel changes);
        // otherwise into the catalog, in the channel's language, so every channel gets it.
        let is_title = field == FIELD_TITLE;
        let what = if is_title { "title" } else { "description" };
        let text_field = if is_title {
            TextField::Title
        } else {
            TextField::Description
        };
        let text = theirs
            .as_str()
            .ok_or_else(|| Error::Corrupt(format!("drift {what} is not text")))?;
        let slot = if is_title {
            &mut overrides.title
        } else {
            &mut overrides.description
        };
        if slot.is_none() {
            let f = match (is_title, row.language_en) {
                (true, true) => Field::TitleEn,
                (true, false) => Field::TitleNl,
                (false, true) => Field::DescriptionEn,
                (false, false) => Field::DescriptionNl,
            };
            let batch = catalog_edit(tx, Target::Product(row.product), f, text, &label, now)?;
            return Ok(Resolved {
                batch,
                outcome: Outcome::CatalogText { field: text_field },
            });
        }
        *slot = Some(text.to_string());
        let batch = write_overrides(tx, listing, &row.overrides, &overrides, &label, now)?;
        return Ok(Resolved {
            batch,
            outcome: Outcome::ListingText {
                field: text_field,
                channel: row.channel_name.clone(),
            },
        });
    }
    if field == FIELD_DELIVERY_CODE {
        // Only this listing on this channel: the code becomes the listing's own.
        let code = theirs
            .as_str()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| Error::Corrupt("drift delivery code is not text".into()))?;
        overrides.delivery_code = Some(code.to_string());
        let batch = write_overrides(tx, listing, &row.overrides, &overrides, &label, now)?;
        return Ok(Resolved {
            batch,
            outcome: Outcome::ListingDeliveryCode {
                code: code.to_string(),
                channel: row.channel_name.clone(),
            },
        });
    }
    if field == FIELD_BRAND {
        let text = theirs
            .as_str()
            .ok_or_else(|| Error::Corrupt("drift brand is not text".into()))?;
        let batch = catalog_edit(
            tx,
            Target::Product(row.product),
            Field::Brand,
            text,
            &label,
            now,
        )?;
        return Ok(Resolved {
            batch,
            outcome: Outcome::CatalogBrand {
                brand: text.to_string(),
            },
        });
    }
    if let Some((sku, key)) = split_variant_field(field) {
        match key {
            VARIANT_GTIN => {
                let Some(gtin) = theirs.as_str().filter(|g| !g.is_empty()) else {
                    return Err(Error::DriftRefused(Refusal::NoEan {
                        channel: row.channel_name.clone(),
                        sku: sku.to_string(),
                    }));
                };
                let variant = variant_by_sku(tx, row.product, sku)?;
                let batch =
                    catalog_edit(tx, Target::Variant(variant), Field::Gtin, gtin, &label, now)?;
                return Ok(Resolved {
                    batch,
                    outcome: Outcome::CatalogGtin {
                        sku: sku.to_string(),
                        gtin: gtin.to_string(),
                    },
                });
            }
            VARIANT_COMPARE_AT => {
                return Err(Error::DriftRefused(Refusal::CompareAtNotSent {
                    channel: row.channel_name.clone(),
                }));
            }
            _ => {}
        }
    }
    let Some(sku) = sku_of_price_field(field) else {
        return Err(Error::DriftRefused(Refusal::NotAdoptable));
    };
    let price = theirs
        .as_str()
        .and_then(|s| Decimal::from_str(s).ok())
        .ok_or_else(|| Error::Corrupt("drift price is not a decimal".into()))?;
    let variants: Vec<(i64, String)> = tx
        .prepare_cached("SELECT id, sku FROM variants WHERE product_id = ?1")?
        .query_map(params![row.product.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if row.variant.is_some() || variants.len() == 1 {
        overrides.price = Some(price);
        let batch = write_overrides(tx, listing, &row.overrides, &overrides, &label, now)?;
        return Ok(Resolved {
            batch,
            outcome: Outcome::ListingPrice {
                sku: sku.to_string(),
                price: price.to_string(),
                channel: row.channel_name.clone(),
            },
        });
    }
    let rule: Option<crate::publish::PriceRule> = serde_json::from_str(&row.price_rule).ok();
    if rule != Some(crate::publish::PriceRule::default()) || overrides.price.is_some() {
        return Err(Error::DriftRefused(Refusal::PriceByRule {
            channel: row.channel_name.clone(),
        }));
    }
    let Some((variant, _)) = variants.iter().find(|(_, s)| s == sku) else {
        return Err(Error::NotFound(format!("Variant {sku}")));
    };
    let target = Target::Variant(VariantId(*variant));
    let old = edit::current(tx, target, Field::Price)?;
    let batch = edit::apply(
        tx,
        &[Change {
            target,
            field: Field::Price,
            old,
            new: Some(price.to_string()),
        }],
        &label,
        now,
        Source::Channel,
    )?;
    Ok(Resolved {
        batch,
        outcome: Outcome::CatalogPrice {
            sku: sku.to_string(),
            price: price.to_string(),
        },
    })
}

/// One catalog field set to the channel's value, as an edit on the undo stack.
fn catalog_edit(
    tx: &Transaction<'_>,
    target: Target,
    field: Field,
    value: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<Option<edit::Batch>> {
    let old = edit::current(tx, target, field)?;
    edit::apply(
        tx,
        &[Change {
            target,
            field,
            old,
            new: Some(value.to_string()),
        }],
        label,
        now,
        Source::Channel,
    )
}

fn variant_by_sku(tx: &Transaction<'_>, product: ProductId, sku: &str) -> Result<VariantId> {
    tx.query_row(
        "SELECT id FROM variants WHERE product_id = ?1 AND sku = ?2",
        params![product.0, sku],
        |r| r.get(0),
    )
    .optional()?
    .map(VariantId)
    .ok_or_else(|| Error::NotFound(format!("Variant {sku}")))
}

/// Writes a listing's overrides as one batch on the undo stack (audit: entity `listing`, field
/// `overrides`, the whole JSON before and after), with source `channel`: the write the
/// product editor's own overrides use too ([`crate::publish::listing_edit`]).
fn write_overrides(
    tx: &Transaction<'_>,
    listing: ListingId,
    old: &str,
    new: &Overrides,
    label: &str,
    now: DateTime<Utc>,
) -> Result<Option<edit::Batch>> {
    crate::publish::listing_edit::write_overrides(
        tx,
        &[crate::publish::listing_edit::OverridesWrite {
            listing,
            old: old.to_string(),
            new: new.clone(),
        }],
        label,
        Source::Channel,
        now,
    )
}

/// A field in plain words, for labels and messages.
pub fn describe(field: &str) -> String {
    match split_variant_field(field) {
        Some((sku, VARIANT_PRICE)) => format!("the price of {sku}"),
        Some((sku, VARIANT_COMPARE_AT)) => format!("the 'was' price of {sku}"),
        Some((sku, VARIANT_GTIN)) => format!("the EAN of {sku}"),
        Some((sku, key)) => format!("{key} of {sku}"),
        None => match field {
            FIELD_LISTED => "whether it is listed".into(),
            FIELD_DELIVERY_CODE => "the delivery code".into(),
            other => other.to_string(),
        },
    }
}

/// [`describe`] in Dutch, for the undo label of an adopted field.
fn describe_nl(field: &str) -> String {
    match split_variant_field(field) {
        Some((sku, VARIANT_PRICE)) => format!("De prijs van {sku}"),
        Some((sku, VARIANT_COMPARE_AT)) => format!("De 'van'-prijs van {sku}"),
        Some((sku, VARIANT_GTIN)) => format!("De EAN van {sku}"),
        Some((sku, key)) => format!("{key} van {sku}"),
        None => match field {
            FIELD_TITLE => "De titel".into(),
            FIELD_DESCRIPTION => "De omschrijving".into(),
            FIELD_BRAND => "Het merk".into(),
            FIELD_LISTED => "Of het te koop staat".into(),
            FIELD_DELIVERY_CODE => "De levertijd".into(),
            other => other.to_string(),
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classify_tells_the_five_cases_apart() {
        let a = json!("A");
        let b = json!("B");
        let c = json!("C");
        assert_eq!(classify(Some(&a), &a, &a), FieldState::Unchanged);
        assert_eq!(classify(Some(&a), &b, &a), FieldState::LocalOnly);
        assert_eq!(classify(Some(&a), &a, &b), FieldState::RemoteOnly);
        assert_eq!(classify(Some(&a), &b, &b), FieldState::Agreed);
        assert_eq!(classify(Some(&a), &b, &c), FieldState::Conflict);
        assert_eq!(
            classify(None, &a, &b),
            FieldState::Conflict,
            "no base: two different values are not silently resolved"
        );
    }

    #[test]
    fn mirror_prices_compare_as_two_decimals() {
        let m = json!({"title": "T", "variants": [{"sku": "A", "price": "12.5"}, {"sku": "B", "price": 3}]});
        assert_eq!(mirror_value(&m, "variants[A].price"), Some(json!("12.50")));
        assert_eq!(mirror_value(&m, "variants[B].price"), Some(json!("3.00")));
        assert_eq!(mirror_value(&m, "title"), Some(json!("T")));
        assert_eq!(mirror_value(&m, "variants[C].price"), None);
    }

    #[test]
    fn every_compared_field_reads_from_the_mirror_with_what_kanaal_sent() {
        let m = json!({
            "title": "T", "description": "D", "brand": "B",
            "variants": [
                {"sku": "A]x", "price": "2", "gtin": "8710000000017"},
                {"sku": "B", "price": "3", "gtin": "", "compare_at_price": "4.5"}
            ]
        });
        assert_eq!(mirror_value(&m, "description"), Some(json!("D")));
        assert_eq!(mirror_value(&m, "brand"), Some(json!("B")));
        assert_eq!(
            mirror_value(&m, "listed"),
            Some(json!("for_sale")),
            "a confirmed listing was published for sale"
        );
        assert_eq!(
            split_variant_field("variants[A]x].gtin"),
            Some(("A]x", "gtin")),
            "a SKU with a bracket is still found"
        );
        assert_eq!(
            mirror_value(&m, "variants[A]x].gtin"),
            Some(json!("8710000000017"))
        );
        assert_eq!(
            mirror_value(&m, "variants[B].gtin"),
            Some(Value::Null),
            "an empty EAN is none"
        );
        assert_eq!(
            mirror_value(&m, "variants[A]x].compare_at_price"),
            Some(Value::Null),
            "Kanaal sends no 'was' price"
        );
        assert_eq!(
            mirror_value(&m, "variants[B].compare_at_price"),
            Some(json!("4.50")),
            "one noted by keep mine is the base"
        );
        let mut m2 = m.clone();
        set_mirror_value(&mut m2, "variants[B].gtin", &json!("123"));
        set_mirror_value(&mut m2, "listed", &json!("not_for_sale"));
        assert_eq!(mirror_value(&m2, "variants[B].gtin"), Some(json!("123")));
        assert_eq!(mirror_value(&m2, "listed"), Some(json!("not_for_sale")));
        force_update(&mut m2);
        assert!(m2["variants"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["stock"].is_null()));
    }
}
