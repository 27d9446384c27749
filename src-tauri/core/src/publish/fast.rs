//! The planner's shortcut for unchanged listings: compares a rendered listing with the mirror's
//! stored text by reading that text into borrowed, typed fields, instead of building a JSON
//! tree of both sides and flattening them ([`super::plan::diff`]). At 100,000 listings that
//! tree building was most of a plan's time.
//!
//! Invariant (checked by a property test against `diff`): [`unchanged`] answers `true` only
//! when `diff` would find no change. Anything it cannot read plainly (a price stored as a
//! number, a missing field, an odd shape) answers `false`, and the planner takes the full
//! comparison. Must not decide anything else about a plan.

use super::render::RenderedListing;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::borrow::Cow;
use std::str::FromStr;

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
            "[A-C]{1,2}",
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
        )
            .prop_map(|(title, description, brand, category, options, variants)| {
                RenderedListing {
                    handle: "h".into(),
                    title,
                    description,
                    brand,
                    category,
                    options,
                    variants,
                }
            })
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
            _ => v["variants"] = json!([]),
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
            changes in proptest::collection::vec((0u8..14, 0usize..3), 0..3),
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
