//! Listing and writing the catalog.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeZone;
use kanaal_core::catalog::{
    add_location, insert_product, list_products, NewProduct, NewVariant, ProductQuery,
    ProductStatus, Source, StockLevel, VariantPrices,
};
use kanaal_core::money::Money;
use kanaal_core::settings::Language;
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use kanaal_core::Error;
use rust_decimal::Decimal;

fn eur(s: &str) -> Money {
    Money::eur(Money::parse_amount(s).unwrap())
}

fn product(handle: &str, nl: &str, en: &str, prices: &[&str], gtin: Option<&str>) -> NewProduct {
    NewProduct {
        handle: handle.to_string(),
        title_nl: nl.to_string(),
        title_en: en.to_string(),
        description_nl: String::new(),
        description_en: String::new(),
        brand: String::new(),
        category: None,
        status: ProductStatus::Active,
        tags: vec![],
        options: if prices.len() > 1 {
            vec![("Maat".into(), "Size".into())]
        } else {
            vec![]
        },
        variants: prices
            .iter()
            .enumerate()
            .map(|(i, p)| NewVariant {
                sku: format!("{handle}-{i}"),
                gtin: gtin.map(str::to_string),
                options: if prices.len() > 1 {
                    vec![format!("m{i}")]
                } else {
                    vec![]
                },
                prices: VariantPrices {
                    price: eur(p),
                    compare_at: None,
                    cost: None,
                    vat: VatRate::Reduced,
                },
                weight_grams: None,
                stock: vec![],
            })
            .collect(),
        images: vec![],
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn store_with(products: &[NewProduct]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write(|tx| {
            for p in products {
                insert_product(tx, p, now(), Source::Cli)?;
            }
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn list(store: &Store, q: ProductQuery) -> Vec<String> {
    store
        .read(|tx| list_products(tx, &ProductQuery { limit: 100, ..q }))
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.handle)
        .collect()
}

#[test]
fn price_ranges_compare_amounts_not_text() {
    let (_d, store) = store_with(&[product(
        "koffie",
        "Koffie",
        "Coffee",
        &["9.50", "12.00", "100.00"],
        None,
    )]);
    let row = &store
        .read(|tx| {
            list_products(
                tx,
                &ProductQuery {
                    limit: 10,
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .rows[0];
    assert_eq!(
        row.price_min.unwrap().amount,
        Decimal::new(950, 2),
        "9.50 is the lowest, though '9.50' > '100.00' as text"
    );
    assert_eq!(row.price_max.unwrap().amount, Decimal::new(10000, 2));
    assert_eq!(row.variant_count, 3);
}

#[test]
fn search_matches_all_words_in_either_language_and_skus() {
    let (_d, store) = store_with(&[
        product(
            "thee-earl",
            "Earl Grey thee",
            "Earl Grey tea",
            &["6.50"],
            None,
        ),
        product("thee-groen", "Groene thee", "Green tea", &["7.50"], None),
        product(
            "koffie",
            "Koffiebonen",
            "Coffee beans",
            &["9.95"],
            Some("8712345000011"),
        ),
    ]);
    let q = |s: &str| {
        list(
            &store,
            ProductQuery {
                search: Some(s.to_string()),
                ..Default::default()
            },
        )
    };
    assert_eq!(q("thee"), vec!["thee-earl", "thee-groen"], "Dutch word");
    assert_eq!(
        q("green TEA"),
        vec!["thee-groen"],
        "English words, any case, all must match"
    );
    assert_eq!(q("koffie-0"), vec!["koffie"], "by SKU");
    assert_eq!(q("871234500"), vec!["koffie"], "by EAN");
    assert!(
        q("100%").is_empty(),
        "a % typed by the user is a literal, not a wildcard"
    );
}

#[test]
fn the_list_sorts_by_the_titles_of_the_chosen_language() {
    let (_d, store) = store_with(&[
        product("a", "Appeltaart", "Dutch apple pie", &["4"], None),
        product("b", "Bagel", "Bagel", &["5"], None),
    ]);
    assert_eq!(list(&store, ProductQuery::default()), vec!["a", "b"]);
    let en = list(
        &store,
        ProductQuery {
            language: Some(Language::En),
            ..Default::default()
        },
    );
    assert_eq!(
        en,
        vec!["b", "a"],
        "Bagel before Dutch apple pie in English"
    );
}

#[test]
fn a_wrong_ean_is_refused_with_the_field_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let err = store
        .write(|tx| {
            insert_product(
                tx,
                &product("x", "X", "X", &["1"], Some("8712345000018")),
                now(),
                Source::Ui,
            )
        })
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(
        err,
        Error::Input(kanaal_core::problem::InputProblem::GtinCheckDigit { expected: 1, .. })
    ));
    assert!(
        msg.contains("EAN") && msg.contains("should be 1"),
        "names field and fix: {msg}"
    );
}

#[test]
fn duplicate_skus_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut b = product("b", "B", "B", &["1"], None);
    b.variants[0].sku = "a-0".to_string();
    let err = store
        .write(|tx| {
            insert_product(
                tx,
                &product("a", "A", "A", &["1"], None),
                now(),
                Source::Import,
            )?;
            insert_product(tx, &b, now(), Source::Import)
        })
        .unwrap_err();
    assert!(
        err.to_string().contains("SKU 'a-0'"),
        "names the SKU: {err}"
    );
    assert!(
        list(&store, ProductQuery::default()).is_empty(),
        "all-or-nothing"
    );
}

#[test]
fn every_created_product_is_audited_with_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write(|tx| {
            let loc = add_location(tx, "W", "Winkel")?;
            let mut p = product("a", "A", "A", &["1"], None);
            p.variants[0].stock = vec![StockLevel {
                location: loc,
                quantity: 4,
            }];
            insert_product(tx, &p, now(), Source::Import)
        })
        .unwrap();
    let (source, at): (String, String) = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT source, at FROM audit_log WHERE entity = 'product'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(source, "import");
    assert_eq!(
        at, "2026-11-23T09:00:00.000Z",
        "time comes from the injected clock"
    );
    let row = &store
        .read(|tx| {
            list_products(
                tx,
                &ProductQuery {
                    limit: 1,
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .rows[0];
    assert_eq!(row.stock_total, 4);
}
