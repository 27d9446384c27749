//! What Kanaal keeps of a listing's life on a channel, and the translation between Kanaal's
//! rendered listing and a connector's draft. The channel's ids (listing id, per-variant ids and
//! the extra ids a connector needs later, such as Shopify's inventory item) are kept in the
//! listing mirror under the key `remote`, beside what the channel confirmed; the planner ignores
//! keys it does not compare, so they never show up as a change.
//!
//! Must not: talk to a channel or decide what to send.

use kanaal_channels::model::{
    ChannelLimits, ListingDraft, PublishedListing, PublishedVariant, VariantDraft,
};
use kanaal_core::money::Money;
use kanaal_core::publish::{Limits, RenderedListing};
use kanaal_core::{Error, Result};
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The planner's limits from a connector's own.
pub fn limits(c: &ChannelLimits) -> Limits {
    Limits {
        max_title_chars: Some(c.max_title_chars),
        max_options: c.max_options,
        max_variants: c.max_variants,
        require_gtin: c.required_fields.contains(&"gtin"),
        require_category: c.required_fields.contains(&"category"),
        min_price: c.min_price,
        max_price: c.max_price,
        max_stock: c.max_stock,
    }
}

/// The connector's draft for a rendered listing. Prices are euros: the catalog keeps one
/// currency per shop today.
pub fn draft(r: &RenderedListing, max_stock: Option<u32>) -> ListingDraft {
    let mut attributes = BTreeMap::new();
    if let Some(c) = &r.category {
        attributes.insert("category".to_string(), c.clone());
    }
    // The listing's own delivery promise; without it the connector sends its setting.
    if let Some(code) = &r.delivery_code {
        attributes.insert("delivery_code".to_string(), code.clone());
    }
    ListingDraft {
        handle: r.handle.clone(),
        title: r.title.clone(),
        description: r.description.clone(),
        brand: r.brand.clone(),
        options: r.options.clone(),
        variants: r
            .variants
            .iter()
            .map(|v| VariantDraft {
                sku: v.sku.clone(),
                gtin: v.gtin.clone(),
                option_values: v.option_values.clone(),
                price: Money::eur(v.price),
                compare_at_price: None,
                stock: max_stock.map_or(v.stock, |m| v.stock.min(m)),
                weight_grams: None,
            })
            .collect(),
        attributes,
    }
}

/// A published listing as JSON for the mirror's `remote` key.
pub fn to_json(p: &PublishedListing) -> Value {
    json!({
        "remote_id": p.remote_id,
        "variants": p.variants.iter().map(|v| json!({
            "sku": v.sku,
            "remote_id": v.remote_id,
            "extra": v.extra,
        })).collect::<Vec<_>>(),
    })
}

/// Reads back what [`to_json`] wrote; `None` when the shape is not there.
pub fn from_json(v: &Value) -> Option<PublishedListing> {
    let remote_id = v.get("remote_id")?.as_str()?.to_string();
    let variants = v
        .get("variants")?
        .as_array()?
        .iter()
        .filter_map(|x| {
            Some(PublishedVariant {
                sku: x.get("sku")?.as_str()?.to_string(),
                remote_id: x.get("remote_id")?.as_str()?.to_string(),
                extra: x
                    .get("extra")
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect();
    Some(PublishedListing {
        remote_id,
        variants,
    })
}

/// The mirror payload of a listing, if the channel ever confirmed it.
pub fn mirror(tx: &Transaction<'_>, listing: i64) -> Result<Option<Value>> {
    let raw: Option<String> = tx
        .query_row(
            "SELECT payload FROM listing_mirror WHERE listing_id = ?1",
            params![listing],
            |r| r.get(0),
        )
        .optional()?;
    raw.map(|s| serde_json::from_str(&s))
        .transpose()
        .map_err(|e| Error::Corrupt(format!("listing mirror {listing}: {e}")))
}

/// Writes a mirror payload back (the row must exist).
pub fn save_mirror(tx: &Transaction<'_>, listing: i64, payload: &Value, at: &str) -> Result<()> {
    let text = serde_json::to_string(payload).map_err(|e| Error::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO listing_mirror (listing_id, payload, fetched_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(listing_id) DO UPDATE SET payload = excluded.payload, fetched_at = excluded.fetched_at",
        params![listing, text, at],
    )?;
    Ok(())
}

/// Where the listing lives on its channel: the ids kept in the mirror, else what the listing
/// row knows (its remote id; a channel that lists per variant uses it for the variant too).
pub fn published(tx: &Transaction<'_>, listing: i64) -> Result<Option<PublishedListing>> {
    if let Some(p) = mirror(tx, listing)?
        .as_ref()
        .and_then(|m| m.get("remote"))
        .and_then(from_json)
    {
        return Ok(Some(p));
    }
    let row: Option<Option<String>> = tx
        .query_row(
            "SELECT remote_id FROM listings WHERE id = ?1",
            params![listing],
            |r| r.get(0),
        )
        .optional()?;
    Ok(row.flatten().map(|remote_id| PublishedListing {
        remote_id,
        variants: Vec::new(),
    }))
}

/// The quantity per SKU the channel last confirmed (from the mirror).
pub fn confirmed_stock(mirror: &Value) -> BTreeMap<String, i64> {
    mirror
        .get("variants")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            Some((
                v.get("sku")?.as_str()?.to_string(),
                v.get("stock")?.as_i64()?,
            ))
        })
        .collect()
}

/// Sets the confirmed quantity of `sku` in a mirror payload.
pub fn set_confirmed_stock(mirror: &mut Value, sku: &str, quantity: u32) {
    if let Some(vs) = mirror.get_mut("variants").and_then(Value::as_array_mut) {
        for v in vs {
            if v.get("sku").and_then(Value::as_str) == Some(sku) {
                v["stock"] = json!(quantity);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn published_ids_round_trip_through_the_mirror_json() {
        let p = PublishedListing {
            remote_id: "gid://shopify/Product/1".into(),
            variants: vec![PublishedVariant {
                sku: "A-1".into(),
                remote_id: "gid://shopify/ProductVariant/2".into(),
                extra: BTreeMap::from([(
                    "inventory_item_id".to_string(),
                    "gid://shopify/InventoryItem/3".to_string(),
                )]),
            }],
        };
        assert_eq!(from_json(&to_json(&p)), Some(p));
        assert_eq!(
            from_json(&json!({"variants": []})),
            None,
            "no id, no listing"
        );
    }

    #[test]
    fn confirmed_stock_is_read_and_set_per_sku() {
        let mut m = json!({"variants": [{"sku": "A", "stock": 3}, {"sku": "B", "stock": 0}]});
        set_confirmed_stock(&mut m, "B", 7);
        let s = confirmed_stock(&m);
        assert_eq!(s.get("A"), Some(&3));
        assert_eq!(s.get("B"), Some(&7));
    }
}
