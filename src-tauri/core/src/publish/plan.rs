//! The publish plan: for each listing of a channel, create / update / unpublish / nothing, with
//! the field-level diff against the mirror (the last state the channel confirmed) and the
//! problems that block it. Pure and deterministic: planning reads, never writes, and the same
//! data always gives the same plan.

use super::problem::{count, ProblemKind};
use super::render::{self, ChannelInput, ListingInput, Problem, RenderedListing};
use super::rules::ChannelRules;
use crate::ids::{ChannelId, ListingId, ProductId, VariantId};
use crate::store::Store;
use crate::Result;
use rusqlite::Transaction;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;

/// A channel's limits as the planner needs them; the caller fills these from the connector's
/// own limits (kanaal-channels `ChannelLimits`), since this crate does not know the platforms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Limits {
    pub max_title_chars: Option<usize>,
    pub max_options: Option<usize>,
    pub max_variants: Option<usize>,
    pub require_gtin: bool,
    pub require_category: bool,
    pub min_price: Option<Decimal>,
    pub max_price: Option<Decimal>,
    /// Stock above this is offered as this much (not a problem: the channel cannot show more).
    pub max_stock: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unpublish,
    Nothing,
}

impl Action {
    /// The outbox `operation` text.
    pub fn code(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Unpublish => "unpublish",
            Action::Nothing => "nothing",
        }
    }
}

/// One field that differs: `variants[SKU].price`, `title`, ... with the mirror's value (`None`
/// when absent there) and the new one (`None` when the field goes away).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedListing {
    pub listing: ListingId,
    pub product: ProductId,
    pub variant: Option<VariantId>,
    pub remote_id: Option<String>,
    pub action: Action,
    /// What will be sent for create/update; `None` for unpublish and for unwanted listings.
    pub rendered: Option<RenderedListing>,
    pub changes: Vec<FieldChange>,
    /// Anything here blocks this listing (only this one) from being sent.
    pub problems: Vec<Problem>,
    /// The listing's change counter when planned; subtracted after a successful send.
    pub counter_snapshot: i64,
}

impl PlannedListing {
    pub fn blocked(&self) -> bool {
        !self.problems.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub channel: ChannelId,
    pub listings: Vec<PlannedListing>,
}

impl Plan {
    /// Listings that will be sent on confirm: an action other than nothing, and no problem.
    pub fn sendable(&self) -> impl Iterator<Item = &PlannedListing> {
        self.listings
            .iter()
            .filter(|l| l.action != Action::Nothing && !l.blocked())
    }
}

/// Plans `channel` against `limits`, reading the store in one transaction.
///
/// Mirrors that Kanaal's own send settled carry a digest of their compared fields; such a
/// listing is recognised as unchanged by digesting its rendered form, and its mirror text is
/// read only when the digests differ (or for an unpublish). The plan is the one [`plan_input`]
/// gives with every mirror read.
pub fn plan(tx: &Transaction<'_>, channel: ChannelId, limits: &Limits) -> Result<Plan> {
    let input = render::load_digests(tx, channel)?;
    plan_loaded(tx, input, limits)
}

/// [`plan`] reading the store on two connections at once, in one snapshot
/// ([`Store::read_split`]): the channel's listings on this thread, the variants and option
/// names of the listed products on another. Loading was most of a 100,000-listing plan, in
/// two halves of about equal cost. The same plan as [`plan`].
pub fn plan_in(store: &Store, channel: ChannelId, limits: &Limits) -> Result<Plan> {
    store.read_split(
        move |tx| render::load_catalog(tx, channel),
        |tx, catalog| {
            let listings = render::load_listings(tx, channel, true)?;
            let input = render::combine(listings, catalog.wait(tx)?);
            plan_loaded(tx, input, limits)
        },
    )
}

/// Plans loaded input; reads a mirror text where a digest did not settle a listing.
fn plan_loaded(tx: &Transaction<'_>, input: ChannelInput, limits: &Limits) -> Result<Plan> {
    let channel = input.channel;
    let rules = input.rules;
    let planned = plan_listings(input.listings, &rules, limits);
    let mut listings = Vec::with_capacity(planned.len());
    for item in planned {
        match item {
            Ok(item) => listings.push(item),
            Err(mut unsettled) => {
                // The digest did not settle it: plan this one on with its mirror text.
                let id = unsettled.listing.id;
                unsettled.listing.mirror_text = render::mirror_text(tx, id)?;
                listings.push(resume(*unsettled));
            }
        }
    }
    let mut plan = Plan { channel, listings };
    // A listing changed on the channel waits for the merchant's choice (crate::drift).
    crate::drift::hold(tx, &mut plan)?;
    Ok(plan)
}

/// Below this many listings a plan runs on one thread (threads cost more than they save).
const PARALLEL_FROM: usize = 20_000;

/// Plans from already-loaded input. Pure: the same input gives the same plan, in listing order,
/// however many threads share the work (listings are planned independently, in chunks).
pub fn plan_input(input: &ChannelInput, limits: &Limits) -> Plan {
    let listings = plan_listings(input.listings.clone(), &input.rules, limits)
        .into_iter()
        .map(|item| item.unwrap_or_else(|unsettled| resume(*unsettled)))
        .collect();
    Plan {
        channel: input.channel,
        listings,
    }
}

/// A listing whose plan needs its mirror text, which the load left unread (its digest did not
/// settle it), with what was worked out so far; [`resume`] finishes it.
struct Unsettled {
    /// The listing, without the texts and variants its rendering took.
    listing: ListingInput,
    /// The rendered listing and its problems; `None` for a listing that is not wanted.
    rendered: Option<(RenderedListing, Vec<Problem>)>,
}

/// Plans each listing, taking it over; `Err` where the mirror text is needed and was left
/// unread.
fn plan_listings(
    listings: Vec<ListingInput>,
    rules: &ChannelRules,
    limits: &Limits,
) -> Vec<std::result::Result<PlannedListing, Box<Unsettled>>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(4);
    if threads > 1 && listings.len() >= PARALLEL_FROM {
        let chunk = listings.len().div_ceil(threads);
        let mut rest = listings.into_iter();
        let mut parts = Vec::with_capacity(threads);
        loop {
            let part: Vec<ListingInput> = rest.by_ref().take(chunk).collect();
            if part.is_empty() {
                break;
            }
            parts.push(part);
        }
        std::thread::scope(|scope| {
            let running: Vec<_> = parts
                .into_iter()
                .map(|part| {
                    scope.spawn(move || {
                        part.into_iter()
                            .map(|l| plan_one(l, rules, limits))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut all = Vec::with_capacity(chunk * threads);
            for part in running {
                match part.join() {
                    Ok(done) => all.extend(done),
                    // A panic in a planning thread is a bug: pass it on as it is.
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            all
        })
    } else {
        listings
            .into_iter()
            .map(|l| plan_one(l, rules, limits))
            .collect()
    }
}

fn unreadable_mirror(e: &crate::Error) -> Problem {
    Problem::new(
        "listing",
        ProblemKind::MirrorUnreadable {
            detail: e.to_string(),
        },
    )
}

/// Finishes an [`Unsettled`] listing whose mirror text was read (or could not be had); a
/// mirror that still cannot be had is reported as unreadable.
fn resume(unsettled: Unsettled) -> PlannedListing {
    let step = match unsettled.rendered {
        None => plan_unwanted(unsettled.listing),
        Some((rendered, problems)) => settle(unsettled.listing, rendered, problems),
    };
    step.unwrap_or_else(|still| {
        let l = still.listing;
        PlannedListing {
            listing: l.id,
            product: l.product,
            variant: l.variant,
            remote_id: l.remote_id,
            action: if l.wanted {
                Action::Update
            } else {
                Action::Unpublish
            },
            rendered: None,
            changes: Vec::new(),
            problems: vec![unreadable_mirror(&crate::Error::Corrupt(
                "the stored copy is missing".into(),
            ))],
            counter_snapshot: l.counter,
        }
    })
}

/// The plan of `l` with no rendering: `action` and `changes` still to fill in.
fn planned(l: ListingInput, action: Action) -> PlannedListing {
    PlannedListing {
        listing: l.id,
        product: l.product,
        variant: l.variant,
        remote_id: l.remote_id,
        action,
        rendered: None,
        changes: Vec::new(),
        problems: Vec::new(),
        counter_snapshot: l.counter,
    }
}

/// Plans one listing, taking it over; `Err` when its mirror text is needed (the digest did
/// not settle it) and was left unread.
fn plan_one(
    mut l: ListingInput,
    rules: &ChannelRules,
    limits: &Limits,
) -> std::result::Result<PlannedListing, Box<Unsettled>> {
    if !l.wanted {
        return plan_unwanted(l);
    }
    let (mut rendered, mut problems) = render::render_taking(&mut l, rules);
    if let Some(max) = limits.max_stock {
        for v in &mut rendered.variants {
            v.stock = v.stock.min(max);
        }
    }
    problems.extend(validate(&rendered, limits));
    settle(l, rendered, problems)
}

/// A listing the merchant does not want on the channel: unpublished if the channel has it.
fn plan_unwanted(l: ListingInput) -> std::result::Result<PlannedListing, Box<Unsettled>> {
    if !l.has_mirror() {
        return Ok(planned(l, Action::Nothing));
    }
    if l.mirror.is_none() && l.mirror_text.is_none() {
        return Err(Box::new(Unsettled {
            listing: l,
            rendered: None,
        }));
    }
    let (changes, problems) = match l.mirror_value() {
        Ok(mirror) => (diff(mirror.as_ref(), None), Vec::new()),
        Err(e) => (Vec::new(), vec![unreadable_mirror(&e)]),
    };
    let mut out = planned(l, Action::Unpublish);
    out.changes = changes;
    out.problems = problems;
    Ok(out)
}

/// Compares a wanted listing's rendering with its mirror.
fn settle(
    l: ListingInput,
    rendered: RenderedListing,
    mut problems: Vec<Problem>,
) -> std::result::Result<PlannedListing, Box<Unsettled>> {
    let mut unreadable = false;
    // Equal digests mean equal compared fields (see `fast`); only a parsed mirror (the
    // straightforward path) is always diffed.
    let same_digest = l.mirror.is_none()
        && l.mirror_digest
            .is_some_and(|d| d == super::fast::digest_rendered(&rendered));
    let changes = match (&l.mirror, &l.mirror_text) {
        (Some(m), _) => diff(Some(m), Some(&rendered)),
        _ if same_digest => Vec::new(),
        (None, None) if l.mirrored => {
            return Err(Box::new(Unsettled {
                listing: l,
                rendered: Some((rendered, problems)),
            }))
        }
        // Most listings are unchanged: compare against the stored text without building a
        // JSON tree of either side (see `fast`).
        (None, Some(text)) if super::fast::unchanged(text, &rendered) => Vec::new(),
        (None, Some(_)) => match l.mirror_value() {
            Ok(m) => diff(m.as_ref(), Some(&rendered)),
            Err(e) => {
                problems.push(unreadable_mirror(&e));
                unreadable = true;
                Vec::new()
            }
        },
        (None, None) => diff(None, Some(&rendered)),
    };
    let action = match (l.has_mirror(), changes.is_empty() && !unreadable) {
        (false, _) => Action::Create,
        (true, true) => Action::Nothing,
        (true, false) => Action::Update,
    };
    let mut out = planned(l, action);
    out.changes = changes;
    out.problems = problems;
    out.rendered = Some(rendered);
    Ok(out)
}

/// Checks a rendered listing against the channel's limits; each problem names the field and
/// says what to change.
pub fn validate(r: &RenderedListing, limits: &Limits) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut problem = |field: String, kind: ProblemKind| out.push(Problem { field, kind });
    let chars = r.title.chars().count();
    if chars == 0 {
        problem("title".into(), ProblemKind::TitleEmpty);
    } else if let Some(max) = limits.max_title_chars.filter(|m| chars > *m) {
        problem(
            "title".into(),
            ProblemKind::TitleTooLong {
                chars: count(chars),
                max: count(max),
            },
        );
    }
    if let Some(max) = limits.max_options.filter(|m| r.options.len() > *m) {
        problem(
            "options".into(),
            ProblemKind::TooManyOptions {
                count: count(r.options.len()),
                max: count(max),
            },
        );
    }
    if r.variants.is_empty() {
        problem("variants".into(), ProblemKind::NoVariants);
    }
    if let Some(max) = limits.max_variants.filter(|m| r.variants.len() > *m) {
        problem(
            "variants".into(),
            ProblemKind::TooManyVariants {
                count: count(r.variants.len()),
                max: count(max),
            },
        );
    }
    if limits.require_category && r.category.is_none() {
        problem("category".into(), ProblemKind::CategoryNotMapped);
    }
    for v in &r.variants {
        if limits.require_gtin && v.gtin.as_deref().is_none_or(str::is_empty) {
            problem(
                format!("variants[{}].gtin", v.sku),
                ProblemKind::MissingGtin { sku: v.sku.clone() },
            );
        }
        if let Some(min) = limits.min_price.filter(|m| v.price < *m) {
            problem(
                format!("variants[{}].price", v.sku),
                ProblemKind::PriceBelowMinimum {
                    sku: v.sku.clone(),
                    price: v.price.to_string(),
                    min: min.to_string(),
                },
            );
        }
        if let Some(max) = limits.max_price.filter(|m| v.price > *m) {
            problem(
                format!("variants[{}].price", v.sku),
                ProblemKind::PriceAboveMaximum {
                    sku: v.sku.clone(),
                    price: v.price.to_string(),
                    max: max.to_string(),
                },
            );
        }
    }
    out
}

/// The fields a listing is compared on, flattened to paths. Prices compare as numbers so
/// "12.5" from a channel equals "12.50"; unknown fields in the mirror are ignored here (they are
/// kept in the mirror itself).
pub(super) fn flatten(v: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for key in ["title", "description", "brand", "category", "options"] {
        out.insert(key.to_string(), v.get(key).cloned().unwrap_or(Value::Null));
    }
    // Compared only where a listing sets one, so listings without it flatten (and digest) as
    // before it existed; one that is set or taken away shows as a change.
    if let Some(code) = v.get("delivery_code").filter(|c| !c.is_null()) {
        out.insert("delivery_code".to_string(), code.clone());
    }
    if let Some(vs) = v.get("variants").and_then(Value::as_array) {
        for variant in vs {
            let sku = variant
                .get("sku")
                .and_then(Value::as_str)
                .unwrap_or_default();
            for key in ["gtin", "option_values", "price", "stock"] {
                let mut val = variant.get(key).cloned().unwrap_or(Value::Null);
                if key == "price" {
                    let parsed = match &val {
                        Value::String(s) => Decimal::from_str(s).ok(),
                        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
                        _ => None,
                    };
                    if let Some(mut d) = parsed {
                        d.rescale(2);
                        val = Value::String(d.to_string());
                    }
                }
                out.insert(format!("variants[{sku}].{key}"), val);
            }
        }
    }
    out
}

/// [`flatten`] of the rendered listing's JSON, built from the typed listing directly (no JSON
/// tree in between: most of a diff's time at 100,000 listings). A property test holds the two
/// equal.
pub(super) fn flatten_rendered(r: &RenderedListing) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let texts = |v: &[String]| Value::Array(v.iter().cloned().map(Value::String).collect());
    out.insert("title".to_string(), Value::String(r.title.clone()));
    out.insert(
        "description".to_string(),
        Value::String(r.description.clone()),
    );
    out.insert("brand".to_string(), Value::String(r.brand.clone()));
    out.insert(
        "category".to_string(),
        r.category.clone().map_or(Value::Null, Value::String),
    );
    out.insert("options".to_string(), texts(&r.options));
    if let Some(code) = &r.delivery_code {
        out.insert("delivery_code".to_string(), Value::String(code.clone()));
    }
    for v in &r.variants {
        let sku = &v.sku;
        out.insert(
            format!("variants[{sku}].gtin"),
            v.gtin.clone().map_or(Value::Null, Value::String),
        );
        out.insert(
            format!("variants[{sku}].option_values"),
            texts(&v.option_values),
        );
        let mut price = v.price;
        price.rescale(2);
        out.insert(
            format!("variants[{sku}].price"),
            Value::String(price.to_string()),
        );
        out.insert(format!("variants[{sku}].stock"), Value::from(v.stock));
    }
    out
}

/// Field-level diff from the mirror's payload to the rendered listing.
pub fn diff(mirror: Option<&Value>, rendered: Option<&RenderedListing>) -> Vec<FieldChange> {
    let old = mirror.map(flatten).unwrap_or_default();
    let new = rendered.map(flatten_rendered).unwrap_or_default();
    let mut out = Vec::new();
    for (field, n) in &new {
        let o = old.get(field);
        if o != Some(n) && !(o.is_none() && n.is_null() && mirror.is_some()) {
            out.push(FieldChange {
                field: field.clone(),
                old: o.cloned(),
                new: Some(n.clone()),
            });
        }
    }
    for (field, o) in &old {
        if !new.contains_key(field) {
            out.push(FieldChange {
                field: field.clone(),
                old: Some(o.clone()),
                new: None,
            });
        }
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}
