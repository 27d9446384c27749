//! The demo shop: believable, reproducible, and loaded all-or-nothing.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeZone;
use kanaal_core::catalog::{gtin, list_products, ProductQuery};
use kanaal_core::clock::FixedClock;
use kanaal_core::demo::{self, shop};
use kanaal_core::progress::{CancelToken, NoProgress, ProgressStep};
use kanaal_core::store::Store;
use kanaal_core::{images, overview, Error};
use std::collections::HashSet;
use std::sync::Mutex;

fn clock() -> FixedClock {
    FixedClock::at(chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap())
}

#[test]
fn the_demo_shop_is_a_believable_roaster_with_lunchroom() {
    let products = shop::generate(demo::DEFAULT_SEED);
    assert!(products.len() >= 60, "60+ products, got {}", products.len());
    let variants: Vec<_> = products.iter().flat_map(|p| &p.variants).collect();
    assert!(
        products
            .iter()
            .any(|p| p.options.len() == 2 && p.variants.len() == 9),
        "coffee comes in sizes × grinds"
    );

    let skus: HashSet<_> = variants.iter().map(|v| &v.sku).collect();
    assert_eq!(skus.len(), variants.len(), "every SKU is unique");
    let eans: Vec<_> = variants.iter().filter_map(|v| v.gtin.as_ref()).collect();
    assert!(eans.len() > 200, "retail goods carry EANs");
    for e in &eans {
        assert_eq!(gtin::problem(e), None, "EAN {e} has a valid check digit");
        assert!(e.starts_with("87"), "Dutch GS1 prefix: {e}");
    }
    assert_eq!(
        eans.iter().collect::<HashSet<_>>().len(),
        eans.len(),
        "EANs unique"
    );

    for v in &variants {
        if let Some(cost) = v.cost {
            assert!(
                cost.amount < v.price.amount,
                "{} costs less than it sells for",
                v.sku
            );
        }
        assert!(
            v.stock.iter().all(|q| *q >= 0),
            "{} has no negative stock",
            v.sku
        );
    }
    for p in &products {
        assert!(
            !p.title_nl.is_empty() && !p.title_en.is_empty(),
            "{} in both languages",
            p.handle
        );
        assert!(!p.description_nl.is_empty() && !p.description_en.is_empty());
        assert!(p.svg.starts_with("<svg"), "{} has a picture", p.handle);
    }
    assert_eq!(
        products
            .iter()
            .map(|p| &p.svg)
            .collect::<HashSet<_>>()
            .len(),
        products.len(),
        "every product has its own picture"
    );
}

#[test]
fn the_same_seed_gives_the_same_shop_and_another_seed_another() {
    let a = shop::generate(7);
    let b = shop::generate(7);
    let c = shop::generate(8);
    let prices = |p: &[shop::DemoProduct]| -> Vec<String> {
        p.iter()
            .flat_map(|p| {
                p.variants
                    .iter()
                    .map(|v| format!("{}={}/{:?}", v.sku, v.price.amount, v.gtin))
            })
            .collect()
    };
    assert_eq!(prices(&a), prices(&b), "reproducible from the seed");
    assert_ne!(prices(&a), prices(&c), "the seed matters");
}

#[test]
fn loading_the_demo_fills_the_store_and_reports_progress() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(demo::catalog_is_empty(&store).unwrap());
    let steps = Mutex::new(Vec::new());
    let record = |s: ProgressStep| steps.lock().unwrap().push(s);
    let summary = demo::load(
        &store,
        &clock(),
        demo::DEFAULT_SEED,
        &record,
        &CancelToken::new(),
    )
    .unwrap();

    assert!(summary.products >= 60);
    assert_eq!(summary.locations, 2, "shop and warehouse");
    let steps = steps.into_inner().unwrap();
    let last = steps.last().unwrap();
    assert_eq!(
        (last.done, last.total),
        (u64::from(summary.products), u64::from(summary.products))
    );
    assert!(
        steps.windows(2).all(|w| w[0].done <= w[1].done),
        "progress only goes forward"
    );

    let page = store
        .read(|tx| {
            list_products(
                tx,
                &ProductQuery {
                    limit: 1000,
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(page.total, summary.products, "every product is listed");
    let with_image = page.rows.iter().filter(|r| r.image_hash.is_some()).count();
    assert_eq!(with_image, page.rows.len(), "every product shows a picture");
    let hash = page.rows[0].image_hash.clone().unwrap();
    let (mime, bytes) = store
        .read(|tx| images::read(tx, store.dir(), &hash))
        .unwrap()
        .unwrap();
    assert_eq!(mime, "image/svg+xml");
    assert!(bytes.starts_with(b"<svg"), "the stored file is the picture");

    let o = store.read(overview::shop_overview).unwrap();
    assert_eq!(o.shop_name, shop::SHOP_NAME);
    assert_eq!(o.stock_units, summary.stock_units, "stock adds up");
    assert_eq!(o.locations.len(), 2);
    assert!(
        o.categories.iter().all(|c| c.margin_pct.is_some()),
        "every category has a margin"
    );
}

#[test]
fn the_demo_is_only_loaded_into_an_empty_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    demo::load(&store, &clock(), 1, &NoProgress, &CancelToken::new()).unwrap();
    let err = demo::load(&store, &clock(), 1, &NoProgress, &CancelToken::new()).unwrap_err();
    assert!(
        matches!(err, Error::CatalogNotEmpty { .. }),
        "never loaded twice: {err}"
    );
}

#[test]
fn cancelling_the_demo_load_leaves_the_data_folder_empty() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let cancel = CancelToken::new();
    // Cancel half-way, from the progress callback, as the UI's Cancel button would.
    let stop_half_way = |s: ProgressStep| {
        if s.done == s.total / 2 {
            cancel.cancel();
        }
    };
    let err = demo::load(&store, &clock(), 1, &stop_half_way, &cancel).unwrap_err();
    assert!(
        matches!(err, Error::Cancelled),
        "reported as cancelled: {err}"
    );
    assert!(
        demo::catalog_is_empty(&store).unwrap(),
        "no half-loaded shop"
    );
    let locations: i64 = store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM locations", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(locations, 0, "nothing of the demo was kept");
    // And the demo can still be loaded afterwards.
    demo::load(&store, &clock(), 1, &NoProgress, &CancelToken::new()).unwrap();
}
