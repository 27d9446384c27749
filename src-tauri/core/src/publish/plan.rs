//! The publish plan: for each listing of a channel, create / update / unpublish / nothing, with
//! the field-level diff against the mirror (the last state the channel confirmed) and the
//! problems that block it. Pure and deterministic: planning reads, never writes, and the same
//! data always gives the same plan.

use super::render::{self, ChannelInput, ListingInput, Problem, RenderedListing};
use crate::ids::{ChannelId, ListingId, ProductId, VariantId};
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
pub fn plan(tx: &Transaction<'_>, channel: ChannelId, limits: &Limits) -> Result<Plan> {
    Ok(plan_input(&render::load(tx, channel)?, limits))
}

/// Plans from already-loaded input. Pure.
pub fn plan_input(input: &ChannelInput, limits: &Limits) -> Plan {
    Plan {
        channel: input.channel,
        listings: input
            .listings
            .iter()
            .map(|l| plan_one(l, input, limits))
            .collect(),
    }
}

fn plan_one(l: &ListingInput, input: &ChannelInput, limits: &Limits) -> PlannedListing {
    let mut out = PlannedListing {
        listing: l.id,
        product: l.product,
        variant: l.variant,
        remote_id: l.remote_id.clone(),
        action: Action::Nothing,
        rendered: None,
        changes: Vec::new(),
        problems: Vec::new(),
        counter_snapshot: l.counter,
    };
    if !l.wanted {
        if let Some(mirror) = &l.mirror {
            out.action = Action::Unpublish;
            out.changes = diff(Some(mirror), None);
        }
        return out;
    }
    let (mut rendered, mut problems) = render::render(l, &input.rules);
    if let Some(max) = limits.max_stock {
        for v in &mut rendered.variants {
            v.stock = v.stock.min(max);
        }
    }
    problems.extend(validate(&rendered, limits));
    let changes = diff(l.mirror.as_ref(), Some(&rendered));
    out.action = match (&l.mirror, changes.is_empty()) {
        (None, _) => Action::Create,
        (Some(_), true) => Action::Nothing,
        (Some(_), false) => Action::Update,
    };
    out.changes = changes;
    out.problems = problems;
    out.rendered = Some(rendered);
    out
}

/// Checks a rendered listing against the channel's limits; each problem names the field and
/// says what to change.
pub fn validate(r: &RenderedListing, limits: &Limits) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut problem = |field: String, message: String| out.push(Problem { field, message });
    let chars = r.title.chars().count();
    if chars == 0 {
        problem(
            "title".into(),
            "the title is empty; give the product a title".into(),
        );
    } else if let Some(max) = limits.max_title_chars.filter(|m| chars > *m) {
        problem(
            "title".into(),
            format!("the title has {chars} characters and this channel allows {max}; shorten it or set a shorter title for this channel"),
        );
    }
    if let Some(max) = limits.max_options.filter(|m| r.options.len() > *m) {
        problem(
            "options".into(),
            format!("the product has {} options and this channel allows {max}; remove an option or list the variants separately", r.options.len()),
        );
    }
    if r.variants.is_empty() {
        problem(
            "variants".into(),
            "the listing has no variants to sell; add a variant or remove the listing".into(),
        );
    }
    if let Some(max) = limits.max_variants.filter(|m| r.variants.len() > *m) {
        problem(
            "variants".into(),
            format!(
                "the product has {} variants and this channel allows {max}; split the product",
                r.variants.len()
            ),
        );
    }
    if limits.require_category && r.category.is_none() {
        problem("category".into(), "the product's category is not mapped to a category of this channel; map it under channel settings".into());
    }
    for v in &r.variants {
        if limits.require_gtin && v.gtin.as_deref().is_none_or(str::is_empty) {
            problem(
                format!("variants[{}].gtin", v.sku),
                format!(
                    "variant {} has no EAN, and this channel lists products by EAN; add the EAN",
                    v.sku
                ),
            );
        }
        if let Some(min) = limits.min_price.filter(|m| v.price < *m) {
            problem(
                format!("variants[{}].price", v.sku),
                format!(
                    "the price {} is below this channel's minimum of {min}",
                    v.price
                ),
            );
        }
        if let Some(max) = limits.max_price.filter(|m| v.price > *m) {
            problem(
                format!("variants[{}].price", v.sku),
                format!(
                    "the price {} is above this channel's maximum of {max}",
                    v.price
                ),
            );
        }
    }
    out
}

/// The fields a listing is compared on, flattened to paths. Prices compare as numbers so
/// "12.5" from a channel equals "12.50"; unknown fields in the mirror are ignored here (they are
/// kept in the mirror itself).
fn flatten(v: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for key in ["title", "description", "brand", "category", "options"] {
        out.insert(key.to_string(), v.get(key).cloned().unwrap_or(Value::Null));
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

/// Every field of the rendered listing `r` is in the mirror `m` with the same value; `flatten`
/// reads nothing else, so the diff would be empty.
fn same_sent_fields(m: &Value, r: &Value) -> bool {
    match (m.as_object(), r.as_object()) {
        (Some(m), Some(r)) => r.iter().all(|(k, v)| m.get(k) == Some(v)),
        _ => false,
    }
}

/// Field-level diff from the mirror's payload to the rendered listing.
pub fn diff(mirror: Option<&Value>, rendered: Option<&RenderedListing>) -> Vec<FieldChange> {
    let rendered = rendered.and_then(|r| serde_json::to_value(r).ok());
    // Fast path: most listings are unchanged and their mirror holds exactly what was sent,
    // plus keys the comparison ignores (the sync engine keeps the channel's ids under `remote`).
    if let (Some(m), Some(r)) = (mirror, &rendered) {
        if m == r || same_sent_fields(m, r) {
            return Vec::new();
        }
    }
    let old = mirror.map(flatten).unwrap_or_default();
    let new = rendered.as_ref().map(flatten).unwrap_or_default();
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
