//! Export then import is the identity on every field the format models, for random catalogs.
//!
//! A random catalog A is exported and imported into an empty catalog B. Then, for every
//! variant (by SKU), the fields the format models must be equal in A and B, as the catalog
//! stores them; B's export must equal A's byte for byte; and importing it again must change
//! nothing. What a format cannot carry is left out of the comparison by name: Shopify knows
//! only whether a variant is taxed, not the rate; WooCommerce has no cost and no brand, and a
//! compare-at price only when it is above the price (its regular price during a sale).

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use kanaal_core::catalog::csv::{self, Format, Mode};
use kanaal_core::catalog::gtin;
use kanaal_core::catalog::{
    add_category, add_location, insert_product, NewCategory, NewProduct, NewVariant, ProductStatus,
    Source, StockLevel, VariantPrices,
};
use kanaal_core::money::Money;
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

#[derive(Debug, Clone)]
struct GenVariant {
    values: Vec<String>,
    price: i64,
    compare_at: Option<i64>,
    cost: Option<i64>,
    has_gtin: bool,
    vat: VatRate,
    weight: Option<i64>,
    stock: Option<i64>,
}

#[derive(Debug, Clone)]
struct GenProduct {
    title_nl: String,
    title_en: String,
    description: String,
    brand: String,
    category: usize,
    status: ProductStatus,
    tags: Vec<String>,
    options: Vec<String>,
    variants: Vec<GenVariant>,
}

/// Category paths the generator picks from (0 is none).
const CATEGORIES: [&[&str]; 5] = [
    &[],
    &["Koffie"],
    &["Koffie", "Bonen"],
    &["Thee"],
    &["Apparatuur", "Moka's"],
];

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(
        "[a-zA-Z0-9éëüÉ€][a-zA-Z0-9éëüÉ€ ,.;:'\"&()/-]{{0,{max}}}"
    ))
    .unwrap()
    .prop_map(|s| s.trim().to_string())
}

fn description() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Zé0-9 ,.;\"<>/\\\\\n]{0,60}")
        .unwrap()
        .prop_map(|s| s.trim().to_string())
}

fn variant(options: usize) -> impl Strategy<Value = GenVariant> {
    (
        proptest::collection::vec("[a-z0-9][a-z0-9 ,]{0,5}[a-z0-9]", options),
        0i64..100_000,
        proptest::option::of(0i64..200_000),
        proptest::option::of(0i64..50_000),
        any::<bool>(),
        prop_oneof![
            Just(VatRate::Standard),
            Just(VatRate::Reduced),
            Just(VatRate::Zero)
        ],
        proptest::option::of(1i64..50_000),
        proptest::option::of(-5i64..500),
    )
        .prop_map(
            |(values, price, compare_at, cost, has_gtin, vat, weight, stock)| GenVariant {
                values,
                price,
                compare_at,
                cost,
                has_gtin,
                vat,
                weight,
                stock,
            },
        )
}

fn product() -> impl Strategy<Value = GenProduct> {
    (0usize..=3)
        .prop_flat_map(|options| {
            let variants = if options == 0 { 1..=1usize } else { 1..=4usize };
            (
                (
                    text(24),
                    prop_oneof![Just(String::new()), text(24)],
                    description(),
                    prop_oneof![Just(String::new()), text(12)],
                    0usize..CATEGORIES.len(),
                ),
                prop_oneof![
                    Just(ProductStatus::Active),
                    Just(ProductStatus::Draft),
                    Just(ProductStatus::Archived)
                ],
                proptest::collection::vec("[a-z][a-z0-9 ]{0,6}[a-z0-9]", 0..3),
                proptest::collection::vec("[A-Z][a-z]{1,6}", options),
                proptest::collection::vec(variant(options), variants),
            )
        })
        .prop_map(
            |(
                (title_en, title_nl, description, brand, category),
                status,
                tags,
                options,
                variants,
            )| {
                GenProduct {
                    title_nl,
                    title_en,
                    description,
                    brand,
                    category,
                    status,
                    tags,
                    options,
                    variants,
                }
            },
        )
}

/// Builds catalog A from generated products: handles `p000`, SKUs `p000-0`, unique option
/// names and value combinations, unique EANs, stock at the first location.
fn catalog_a(products: &[GenProduct]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write(|tx| {
            let location = add_location(tx, "shop", "Winkel")?;
            let mut ids = vec![None];
            for path in CATEGORIES.iter().skip(1) {
                let mut parent = None;
                for (depth, name) in path.iter().enumerate() {
                    let existing: Option<i64> = tx
                        .query_row(
                            "SELECT id FROM categories WHERE name_nl = ?1",
                            [name],
                            |r| r.get(0),
                        )
                        .ok();
                    parent = Some(match existing {
                        Some(id) => kanaal_core::ids::CategoryId(id),
                        None => add_category(
                            tx,
                            &NewCategory {
                                parent,
                                name_nl: name.to_string(),
                                name_en: format!("{name} (en)"),
                            },
                            depth as i64,
                        )?,
                    });
                }
                ids.push(parent);
            }
            let eur = |cents: i64| Money::eur(Decimal::new(cents, 2));
            for (i, p) in products.iter().enumerate() {
                let new = NewProduct {
                    handle: format!("p{i:03}"),
                    title_nl: p.title_nl.clone(),
                    title_en: p.title_en.clone(),
                    description_nl: p.description.clone(),
                    description_en: String::new(),
                    brand: p.brand.clone(),
                    category: ids[p.category],
                    status: p.status,
                    tags: p.tags.clone(),
                    options: p
                        .options
                        .iter()
                        .enumerate()
                        .map(|(k, o)| (format!("{o}{k}"), format!("{o}{k} (en)")))
                        .collect(),
                    variants: p
                        .variants
                        .iter()
                        .enumerate()
                        .map(|(j, v)| NewVariant {
                            sku: format!("p{i:03}-{j}"),
                            gtin: v
                                .has_gtin
                                .then(|| gtin::complete(&format!("87{:03}{:07}", i, j)).unwrap()),
                            options: v
                                .values
                                .iter()
                                .enumerate()
                                .map(|(k, value)| {
                                    if k == 0 {
                                        format!("{value}{j}")
                                    } else {
                                        value.clone()
                                    }
                                })
                                .collect(),
                            prices: VariantPrices {
                                price: eur(v.price),
                                compare_at: v.compare_at.map(eur),
                                cost: v.cost.map(eur),
                                vat: v.vat,
                            },
                            weight_grams: v.weight,
                            stock: v
                                .stock
                                .map(|quantity| StockLevel { location, quantity })
                                .into_iter()
                                .collect(),
                        })
                        .collect(),
                    images: vec![],
                };
                insert_product(tx, &new, now(), Source::Cli)?;
            }
            Ok(())
        })
        .unwrap();
    (dir, store)
}

/// The fields of one variant and its product that `format` models, as the catalog stores them
/// (texts in Dutch, falling back on English, as the export writes them).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Modelled {
    title: String,
    description: String,
    brand: Option<String>,
    category: Vec<String>,
    status: String,
    tags: String,
    option_names: String,
    options: String,
    price: Decimal,
    compare_at: Option<Decimal>,
    cost: Option<Decimal>,
    gtin: Option<String>,
    vat: String,
    weight: Option<i64>,
    stock: Option<i64>,
}

fn modelled(store: &Store, format: Format) -> BTreeMap<String, Modelled> {
    let dec = |s: Option<String>| s.map(|s| Decimal::from_str(&s).unwrap());
    let pick = |nl: String, en: String| if nl.is_empty() { en } else { nl };
    store
        .read(|tx| {
            let mut categories: HashMap<i64, (Option<i64>, String)> = HashMap::new();
            let mut s = tx.prepare("SELECT id, parent_id, name_nl, name_en FROM categories")?;
            let mut rows = s.query([])?;
            while let Some(r) = rows.next()? {
                categories.insert(r.get(0)?, (r.get(1)?, pick(r.get(2)?, r.get(3)?)));
            }
            let path = |mut id: Option<i64>| {
                let mut path = Vec::new();
                while let Some((parent, name)) = id.and_then(|i| categories.get(&i)) {
                    path.insert(0, name.clone());
                    id = *parent;
                }
                path
            };
            let mut s = tx.prepare(
                "SELECT v.sku, p.title_nl, p.title_en, p.description_nl, p.description_en, p.brand,
                        p.category_id, p.status, p.tags,
                        (SELECT json_group_array(n) FROM (SELECT CASE WHEN name_nl = '' THEN name_en
                                ELSE name_nl END AS n FROM product_options
                                WHERE product_id = p.id ORDER BY position)),
                        v.options, v.price, v.compare_at_price, v.cost, v.gtin, v.vat_rate,
                        v.weight_grams,
                        (SELECT quantity FROM stock WHERE variant_id = v.id ORDER BY location_id LIMIT 1)
                   FROM variants v JOIN products p ON p.id = v.product_id",
            )?;
            let mut rows = s.query([])?;
            let mut out = BTreeMap::new();
            while let Some(r) = rows.next()? {
                let price = dec(r.get(11)?).unwrap();
                let compare_at = dec(r.get(12)?);
                let vat: String = r.get(15)?;
                let woo = format == Format::WooCommerce;
                out.insert(
                    r.get::<_, String>(0)?,
                    Modelled {
                        title: pick(r.get(1)?, r.get(2)?),
                        description: pick(r.get(3)?, r.get(4)?),
                        brand: if woo { None } else { Some(r.get(5)?) },
                        category: path(r.get(6)?),
                        status: r.get(7)?,
                        tags: r.get(8)?,
                        option_names: r.get(9)?,
                        options: r.get(10)?,
                        price,
                        compare_at: if woo {
                            compare_at.filter(|c| *c > price)
                        } else {
                            compare_at
                        },
                        cost: if woo { None } else { dec(r.get(13)?) },
                        gtin: r.get(14)?,
                        vat: if woo || vat == "zero" { vat } else { "taxed".to_string() },
                        weight: r.get(16)?,
                        stock: r.get(17)?,
                    },
                );
            }
            Ok(out)
        })
        .unwrap()
}

fn export_import_export(products: &[GenProduct], format: Format) -> Result<(), TestCaseError> {
    let (_a_dir, a) = catalog_a(products);
    let exported = csv::export(&a, format).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let b = Store::open(dir.path()).unwrap();
    let report = csv::import(
        &b,
        &exported,
        format,
        Mode::AllOrNothing,
        false,
        now(),
        Source::Import,
    )
    .unwrap();
    prop_assert_eq!(
        &report.problems,
        &vec![],
        "Kanaal's own export imports without problems"
    );
    prop_assert_eq!(
        report.created as usize,
        products.len(),
        "one product per product"
    );

    let (in_a, in_b) = (modelled(&a, format), modelled(&b, format));
    prop_assert_eq!(in_a.len(), in_b.len(), "every variant arrived");
    for (sku, fields) in &in_a {
        prop_assert_eq!(
            Some(fields),
            in_b.get(sku),
            "variant {} keeps every modelled field",
            sku
        );
    }

    let again = csv::export(&b, format).unwrap();
    prop_assert_eq!(
        String::from_utf8(again.clone()).unwrap(),
        String::from_utf8(exported).unwrap(),
        "export -> import -> export gives the same file: every modelled field survived"
    );

    let second = csv::import(
        &b,
        &again,
        format,
        Mode::AllOrNothing,
        false,
        now(),
        Source::Import,
    )
    .unwrap();
    prop_assert_eq!(
        (second.created, second.updated),
        (0, 0),
        "importing the export again changes nothing"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn shopify_export_then_import_is_the_identity_on_modelled_fields(
        products in proptest::collection::vec(product(), 1..5)
    ) {
        export_import_export(&products, Format::Shopify)?;
    }

    #[test]
    fn woocommerce_export_then_import_is_the_identity_on_modelled_fields(
        products in proptest::collection::vec(product(), 1..5)
    ) {
        export_import_export(&products, Format::WooCommerce)?;
    }
}
