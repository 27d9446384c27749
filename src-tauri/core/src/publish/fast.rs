//! The planner's shortcut for unchanged listings: compares a rendered listing with the mirror's
//! stored text by reading that text into borrowed, typed fields, instead of building a JSON
//! tree of both sides and flattening them ([`super::plan::diff`]). At 100,000 listings that
//! tree building was most of a plan's time.
//!
//! Invariant (checked by a property test against `diff`): [`unchanged`] answers `true` only
//! when `diff` would find no change. Anything it cannot read plainly (a price stored as a
//! number, a missing field, an odd shape) answers `false`, and the planner takes the full
//! comparison. Must not decide anything else about a plan.
//!
//! The digest (schema v14): when Kanaal's own send settles a listing, the mirror keeps a SHA-256
//! of the fields `diff` compares ([`mirror_digest`]: only for a payload that reads as a rendered
//! listing whose flattened fields are exactly what `diff` sees in the payload); the planner
//! digests the rendered listing ([`digest_rendered`]) and, when the two match, knows the listing
//! is unchanged without reading the mirror text at all. Equal digests mean equal compared fields
//! (barring a SHA-256 collision), so `diff` would find no change; unequal digests only send the
//! planner to the mirror text.

use super::render::RenderedListing;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::str::FromStr;

/// A digest of a listing's compared fields.
pub type CompareDigest = [u8; 32];

/// Feeds one text, length-prefixed so that no two sequences of texts feed the same bytes.
fn text(h: &mut Sha256, t: &str) {
    h.update((t.len() as u64).to_le_bytes());
    h.update(t.as_bytes());
}

fn opt_text(h: &mut Sha256, t: Option<&str>) {
    match t {
        None => h.update([0]),
        Some(t) => {
            h.update([1]);
            text(h, t);
        }
    }
}

fn texts(h: &mut Sha256, ts: &[String]) {
    h.update((ts.len() as u64).to_le_bytes());
    for t in ts {
        text(h, t);
    }
}

/// The digest of the fields `diff` compares, in the listing's own order: title, description,
/// brand, category, option names, then per variant its SKU, EAN, option values, price as `diff`
/// compares it (to the cent) and stock. Equal digests mean equal fields in equal order, so the
/// flattened fields `diff` compares are equal too.
pub fn digest_rendered(r: &RenderedListing) -> CompareDigest {
    let mut h = Sha256::new();
    text(&mut h, &r.title);
    text(&mut h, &r.description);
    text(&mut h, &r.brand);
    opt_text(&mut h, r.category.as_deref());
    texts(&mut h, &r.options);
    h.update((r.variants.len() as u64).to_le_bytes());
    for v in &r.variants {
        text(&mut h, &v.sku);
        opt_text(&mut h, v.gtin.as_deref());
        texts(&mut h, &v.option_values);
        let mut price = v.price;
        price.rescale(2);
        text(&mut h, &price.to_string());
        h.update(v.stock.to_le_bytes());
    }
    // Fed only when set, so the digests stored before the field existed still match.
    if let Some(code) = &r.delivery_code {
        h.update([2]);
        text(&mut h, code);
    }
    h.finalize().into()
}

/// The digest of a mirror payload as stored, for the planner to compare with
/// [`digest_rendered`]: the payload read as a rendered listing, and only when `diff` would
/// compare exactly that listing's fields (else `None`, and the planner reads the text).
pub fn mirror_digest(payload: &str) -> Option<CompareDigest> {
    let value: Value = serde_json::from_str(payload).ok()?;
    let typed: RenderedListing = serde_json::from_value(value.clone()).ok()?;
    (super::plan::flatten(&value) == super::plan::flatten_rendered(&typed))
        .then(|| digest_rendered(&typed))
}

/// The compared fields of a mirror; other keys (the channel's ids under `remote`, the handle)
/// are skipped, as `diff` skips them.
#[derive(Deserialize)]
struct MirrorView<'a> {
    #[serde(borrow)]
    title: Option<Cow<'a, str>>,
    #[serde(borrow)]
    description: Option<Cow<'a, str>>,
    #[serde(borrow)]
    brand: Option<Cow<'a, str>>,
    #[serde(borrow)]
    category: Option<Cow<'a, str>>,
    #[serde(borrow)]
    options: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    variants: Option<Vec<VariantView<'a>>>,
    #[serde(borrow)]
    delivery_code: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct VariantView<'a> {
    #[serde(borrow)]
    sku: Cow<'a, str>,
    #[serde(borrow)]
    gtin: Option<Cow<'a, str>>,
    #[serde(borrow)]
    option_values: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    price: Option<Cow<'a, str>>,
    stock: Option<u64>,
}

fn same_list(m: Option<&Vec<Cow<'_, str>>>, r: &[String]) -> bool {
    m.is_some_and(|m| m.len() == r.len() && m.iter().zip(r).all(|(a, b)| a == b))
}

/// Prices compare as `diff` compares them: both rescaled to cents.
fn same_price(m: Option<&str>, r: Decimal) -> bool {
    let Some(Ok(mut m)) = m.map(Decimal::from_str) else {
        return false;
    };
    let mut r = r;
    m.rescale(2);
    r.rescale(2);
    m == r && m.to_string() == r.to_string()
}

/// True when the mirror text `mirror` holds every compared field of `r` with the same value,
/// so the listing needs nothing. False when unsure.
pub fn unchanged(mirror: &str, r: &RenderedListing) -> bool {
    let Ok(m) = serde_json::from_str::<MirrorView<'_>>(mirror) else {
        return false;
    };
    let Some(variants) = m.variants.as_ref() else {
        return false;
    };
    m.title.as_deref() == Some(r.title.as_str())
        && m.description.as_deref() == Some(r.description.as_str())
        && m.brand.as_deref() == Some(r.brand.as_str())
        && m.category.as_deref() == r.category.as_deref()
        && same_list(m.options.as_ref(), &r.options)
        && m.delivery_code.as_deref() == r.delivery_code.as_deref()
        && variants.len() == r.variants.len()
        && variants.iter().zip(&r.variants).all(|(mv, rv)| {
            mv.sku == rv.sku.as_str()
                && mv.gtin.as_deref() == rv.gtin.as_deref()
                && same_list(mv.option_values.as_ref(), &rv.option_values)
                && same_price(mv.price.as_deref(), rv.price)
                && mv.stock == Some(u64::from(rv.stock))
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::publish::plan::diff;
    use crate::publish::render::RenderedVariant;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-c]{1,3}",
            Just("é \"q\"".to_string())
        ]
    }

    fn listing() -> impl Strategy<Value = RenderedListing> {
        let variant = (
            "[A-C\\]]{1,2}",
            proptest::option::of("[0-9]{2}"),
            proptest::collection::vec(word(), 0..2),
            (0i64..3000, 0u32..3),
            0u32..5,
        )
            .prop_map(|(sku, gtin, option_values, (cents, scale), stock)| {
                RenderedVariant {
                    sku,
                    gtin,
                    option_values,
                    price: Decimal::new(cents * 10i64.pow(scale), 2 + scale),
                    stock,
                }
            });
        (
            word(),
            word(),
            word(),
            proptest::option::of(word()),
            proptest::collection::vec(word(), 0..2),
            proptest::collection::vec(variant, 0..3),
            proptest::option::of(prop_oneof![
                Just("1-2d".to_string()),
                Just("24uurs-16".to_string())
            ]),
        )
            .prop_map(
                |(title, description, brand, category, options, variants, delivery_code)| {
                    RenderedListing {
                        handle: "h".into(),
                        title,
                        description,
                        brand,
                        category,
                        options,
                        variants,
                        delivery_code,
                    }
                },
            )
    }

    /// Changes a mirror the way channels, older versions and adopted edits do.
    fn mutate(v: &mut Value, how: u8, pick: usize) {
        let variants = v["variants"].as_array().map_or(0, Vec::len);
        let i = if variants == 0 { 0 } else { pick % variants };
        match how {
            0 => v["title"] = json!("other"),
            1 => {
                if let Some(o) = v.as_object_mut() {
                    o.remove("description");
                }
            }
            2 => v["category"] = Value::Null,
            3 => v["options"] = json!(["x"]),
            4 if variants > 0 => v["variants"][i]["price"] = json!(12.5),
            5 if variants > 0 => v["variants"][i]["price"] = json!("12.5"),
            6 if variants > 0 => v["variants"][i]["stock"] = json!(99),
            7 if variants > 0 => v["variants"][i]["gtin"] = Value::Null,
            8 if variants > 0 => {
                if let Some(o) = v["variants"][i].as_object_mut() {
                    o.remove("option_values");
                }
            }
            9 => v["remote"] = json!({"remote_id": "gid://1", "variants": []}),
            10 if variants > 0 => v["variants"][i]["sku"] = json!("ZZ"),
            11 => {
                if let Some(vs) = v["variants"].as_array_mut() {
                    vs.reverse();
                }
            }
            12 => v["brand"] = json!(7),
            13 => v["variants"] = json!([]),
            // Keep mine on a delivery code changed on bol.com writes it into the mirror.
            _ => v["delivery_code"] = json!("24uurs-12"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The shortcut says "unchanged" only where the full comparison finds no change, and
        /// it does say so for a mirror that holds exactly what was sent (with the channel's
        /// ids beside it).
        #[test]
        fn the_shortcut_never_hides_a_change_the_full_diff_sees(
            r in listing(),
            changes in proptest::collection::vec((0u8..15, 0usize..3), 0..3),
        ) {
            let mut mirror = serde_json::to_value(&r).unwrap();
            let exact = mirror.clone();
            mirror["remote"] = json!({"remote_id": "x"});
            prop_assert!(
                unchanged(&mirror.to_string(), &r),
                "a mirror of exactly what was sent is unchanged"
            );
            prop_assert!(diff(Some(&exact), Some(&r)).is_empty());
            for (how, pick) in changes {
                mutate(&mut mirror, how, pick);
            }
            if unchanged(&mirror.to_string(), &r) {
                prop_assert!(
                    diff(Some(&mirror), Some(&r)).is_empty(),
                    "shortcut said unchanged, diff says {:?}",
                    diff(Some(&mirror), Some(&r))
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// A mirror of exactly what was sent has the rendered listing's digest; a mirror whose
        /// digest still equals it after channels and older versions changed it is one the
        /// full diff finds unchanged.
        #[test]
        fn equal_digests_mean_the_full_diff_finds_no_change(
            r in listing(),
            changes in proptest::collection::vec((0u8..15, 0usize..3), 0..3),
        ) {
            let d = digest_rendered(&r);
            let mut mirror = serde_json::to_value(&r).unwrap();
            prop_assert_eq!(Some(d), mirror_digest(&mirror.to_string()));
            for (how, pick) in changes {
                mutate(&mut mirror, how, pick);
            }
            if mirror_digest(&mirror.to_string()) == Some(d) {
                prop_assert!(
                    diff(Some(&mirror), Some(&r)).is_empty(),
                    "equal digests but diff says {:?}",
                    diff(Some(&mirror), Some(&r))
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// The diff flattens a rendered listing without building its JSON first; that must
        /// give exactly what flattening its JSON gives.
        #[test]
        fn flattening_the_typed_listing_equals_flattening_its_json(r in listing()) {
            let json = serde_json::to_value(&r).unwrap();
            prop_assert_eq!(
                crate::publish::plan::flatten_rendered(&r),
                crate::publish::plan::flatten(&json)
            );
        }
    }

    #[test]
    fn a_price_change_in_the_stored_text_is_seen() {
        let r = RenderedListing {
            handle: "h".into(),
            title: "Koffie".into(),
            description: String::new(),
            brand: String::new(),
            category: None,
            options: vec![],
            delivery_code: None,
            variants: vec![RenderedVariant {
                sku: "A".into(),
                gtin: None,
                option_values: vec![],
                price: Decimal::new(1295, 2),
                stock: 3,
            }],
        };
        let text = serde_json::to_string(&r).unwrap();
        assert!(unchanged(&text, &r));
        let changed = text.replace("12.95", "13.95");
        assert!(!unchanged(&changed, &r), "a new price is a change");
        let same_value = text.replace("12.95", "12.950");
        assert!(
            unchanged(&same_value, &r),
            "12.950 and 12.95 are the same price, as diff compares them"
        );
    }
}
