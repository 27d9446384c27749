//! Editing with history: every change audited, undo/redo exact and across restarts.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeZone;
use kanaal_core::catalog::bulk::{self, BulkOp};
use kanaal_core::catalog::edit::{self, Change, Field, Target};
use kanaal_core::catalog::{
    add_location, insert_product, NewProduct, NewVariant, ProductStatus, Source, StockLevel,
    VariantPrices,
};
use kanaal_core::ids::{LocationId, ProductId, VariantId};
use kanaal_core::money::Money;
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

/// A small shop: 3 products × 2 variants, stock at one location.
fn shop() -> (tempfile::TempDir, Store, Vec<VariantId>, LocationId) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let loc = store
        .write(|tx| {
            let loc = add_location(tx, "W", "Winkel")?;
            for p in 0..3 {
                let variants = (0..2)
                    .map(|v| NewVariant {
                        sku: format!("P{p}-V{v}"),
                        gtin: None,
                        options: vec![format!("{v}")],
                        prices: VariantPrices {
                            price: Money::eur(Decimal::new(895 + 100 * (p * 2 + v), 2)),
                            compare_at: None,
                            cost: None,
                            vat: VatRate::Reduced,
                        },
                        weight_grams: None,
                        stock: vec![StockLevel {
                            location: loc,
                            quantity: 5,
                        }],
                    })
                    .collect();
                insert_product(
                    tx,
                    &NewProduct {
                        handle: format!("p{p}"),
                        title_nl: format!("Product {p}"),
                        title_en: format!("Product {p}"),
                        description_nl: String::new(),
                        description_en: String::new(),
                        brand: String::new(),
                        category: None,
                        status: ProductStatus::Active,
                        tags: vec![],
                        options: vec![("Maat".into(), "Size".into())],
                        variants,
                        images: vec![],
                    },
                    now(),
                    Source::Cli,
                )?;
            }
            Ok(loc)
        })
        .unwrap();
    let ids = store
        .read(|tx| {
            let mut s = tx.prepare("SELECT id FROM variants ORDER BY id")?;
            let v = s
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<VariantId>>>()?;
            Ok(v)
        })
        .unwrap();
    (dir, store, ids, loc)
}

/// Everything an edit can touch, as comparable text.
fn snapshot(store: &Store) -> Vec<String> {
    store
        .read(|tx| {
            let mut s = tx.prepare(
                "SELECT 'v' || v.id || ' ' || v.sku || ' ' || v.price || ' ' || coalesce(v.cost, '-') || ' '
                        || coalesce((SELECT group_concat(location_id || ':' || quantity) FROM stock WHERE variant_id = v.id), '-')
                   FROM variants v
                 UNION ALL
                 SELECT 'p' || id || ' ' || title_nl || ' ' || status || ' ' || tags FROM products
                 ORDER BY 1",
            )?;
            let rows = s.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })
        .unwrap()
}

fn counter(store: &Store, v: VariantId) -> i64 {
    store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT change_counter FROM variants WHERE id = ?1",
                [v],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

fn set(store: &Store, target: Target, field: Field, new: &str) -> Option<edit::Batch> {
    store
        .write(|tx| {
            let old = edit::current(tx, target, field)?;
            edit::apply(
                tx,
                &[Change {
                    target,
                    field,
                    old,
                    new: Some(new.to_string()),
                }],
                "edit",
                now(),
                Source::Ui,
            )
        })
        .unwrap()
}

#[test]
fn a_price_edit_is_audited_bumps_the_counter_and_undoes_across_a_restart() {
    let (dir, store, v, _) = shop();
    let before = snapshot(&store);
    let c0 = counter(&store, v[0]);
    set(&store, Target::Variant(v[0]), Field::Price, "12,50").unwrap();
    assert_eq!(
        counter(&store, v[0]),
        c0 + 1,
        "the publish engine sees the edit"
    );
    let (old, new): (String, String) = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT old_value, new_value FROM audit_log WHERE field = 'price' AND source = 'ui'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(
        (old.as_str(), new.as_str()),
        ("8.95", "12.50"),
        "typed 12,50 stored as 12.50"
    );
    drop(store);

    let store = Store::open(dir.path()).unwrap();
    let undone = store.write(|tx| edit::undo(tx, now())).unwrap();
    assert!(undone.is_some(), "the edit can be undone after a restart");
    assert_eq!(
        snapshot(&store),
        before,
        "undo restores the exact prior value"
    );
    assert!(
        counter(&store, v[0]) > c0 + 1,
        "undoing is itself a change to publish"
    );
    store.write(|tx| edit::redo(tx, now())).unwrap().unwrap();
    let price = store
        .read(|tx| edit::current(tx, Target::Variant(v[0]), Field::Price))
        .unwrap();
    assert_eq!(price.as_deref(), Some("12.50"), "redo re-applies it");
}

#[test]
fn a_stale_preview_is_refused_and_nothing_is_written() {
    let (_d, store, v, _) = shop();
    let preview = store
        .read(|tx| {
            bulk::preview(
                tx,
                &v,
                &BulkOp::PriceFactor {
                    factor: Decimal::new(110, 2),
                },
            )
        })
        .unwrap();
    set(&store, Target::Variant(v[3]), Field::Price, "1.00");
    let before = snapshot(&store);
    let err = store
        .write(|tx| edit::apply(tx, &preview, "+10%", now(), Source::Ui))
        .unwrap_err();
    assert!(err.to_string().contains("preview again"), "{err}");
    assert_eq!(snapshot(&store), before, "all-or-nothing");
}

#[test]
fn bulk_plus_ten_percent_previews_every_row_and_undoes_at_once() {
    let (_d, store, v, _) = shop();
    let before = snapshot(&store);
    let op = BulkOp::PriceFactor {
        factor: Decimal::new(110, 2),
    };
    let preview = store.read(|tx| bulk::preview(tx, &v, &op)).unwrap();
    assert_eq!(
        preview.len(),
        v.len(),
        "every selected variant is in the preview"
    );
    assert_eq!(preview[0].old.as_deref(), Some("8.95"));
    assert_eq!(
        preview[0].new.as_deref(),
        Some("9.84"),
        "old -> new shown before applying"
    );
    let batch = store
        .write(|tx| edit::apply(tx, &preview, "Prijs +10%", now(), Source::Ui))
        .unwrap()
        .unwrap();
    assert_eq!(batch.changes as usize, v.len());

    store.write(|tx| edit::undo(tx, now())).unwrap();
    assert_eq!(snapshot(&store), before, "one undo restores all rows");
    set(
        &store,
        Target::Product(ProductId(1)),
        Field::TitleNl,
        "Nieuw",
    );
    assert!(
        store.read(edit::undo_state).unwrap().redo.is_none(),
        "a new edit ends the redo"
    );
}

#[test]
fn bad_values_name_the_field_and_what_to_do() {
    let (_d, store, v, _) = shop();
    let err = store
        .write(|tx| {
            edit::apply(
                tx,
                &[Change {
                    target: Target::Variant(v[0]),
                    field: Field::Price,
                    old: Some("8.95".into()),
                    new: Some("-1".into()),
                }],
                "x",
                now(),
                Source::Ui,
            )
        })
        .unwrap_err();
    assert!(
        err.to_string().starts_with("price: cannot be below zero"),
        "{err}"
    );
    let dup = store
        .write(|tx| {
            let old = edit::current(tx, Target::Variant(v[0]), Field::Sku)?;
            edit::apply(
                tx,
                &[Change {
                    target: Target::Variant(v[0]),
                    field: Field::Sku,
                    old,
                    new: Some("P1-V1".into()),
                }],
                "x",
                now(),
                Source::Ui,
            )
        })
        .unwrap_err();
    assert!(dup.to_string().contains("already used"), "{dup}");
}

#[derive(Debug, Clone)]
enum Step {
    Price(usize, u32),
    Stock(usize, i64),
    Title(usize, String),
    BulkFactor(Vec<usize>, u32),
    Tag(usize, String),
    Undo,
    Redo,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0usize..6, 0u32..10_000).prop_map(|(v, c)| Step::Price(v, c)),
        (0usize..6, -8i64..8).prop_map(|(v, d)| Step::Stock(v, d)),
        (0usize..3, "[a-z]{1,6}").prop_map(|(p, t)| Step::Title(p, t)),
        (proptest::collection::vec(0usize..6, 1..6), 50u32..200)
            .prop_map(|(v, f)| Step::BulkFactor(v, f)),
        (0usize..6, "[a-z]{1,4}").prop_map(|(v, t)| Step::Tag(v, t)),
        Just(Step::Undo),
        Just(Step::Redo),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Undo and redo walk exactly through the states the merchant saw, whatever the edits.
    #[test]
    fn undo_and_redo_restore_exact_prior_states(steps in proptest::collection::vec(step(), 1..24)) {
        let (_d, store, v, loc) = shop();
        // The model: states that undo can return to, and states redo can go forward to.
        let mut past = vec![snapshot(&store)];
        let mut future: Vec<Vec<String>> = Vec::new();
        for s in steps {
            let batch = match s {
                Step::Undo => {
                    let b = store.write(|tx| edit::undo(tx, now())).unwrap();
                    prop_assert_eq!(b.is_some(), past.len() > 1, "undo available exactly when there is history");
                    if b.is_some() {
                        future.push(past.pop().unwrap());
                    }
                    prop_assert_eq!(&snapshot(&store), past.last().unwrap(), "undo returns to the prior state");
                    continue;
                }
                Step::Redo => {
                    let b = store.write(|tx| edit::redo(tx, now())).unwrap();
                    prop_assert_eq!(b.is_some(), !future.is_empty(), "redo available exactly after an undo");
                    if b.is_some() {
                        past.push(future.pop().unwrap());
                    }
                    prop_assert_eq!(&snapshot(&store), past.last().unwrap(), "redo returns to the undone state");
                    continue;
                }
                Step::Price(i, cents) => set(&store, Target::Variant(v[i]), Field::Price, &Decimal::new(i64::from(cents), 2).to_string()),
                Step::Title(p, t) => set(&store, Target::Product(ProductId(p as i64 + 1)), Field::TitleNl, &t),
                Step::Stock(i, d) => {
                    let changes = store.read(|tx| bulk::preview(tx, &[v[i]], &BulkOp::StockDelta { location: loc, units: d })).unwrap();
                    store.write(|tx| edit::apply(tx, &changes, "stock", now(), Source::Ui)).unwrap()
                }
                Step::BulkFactor(sel, f) => {
                    let sel: Vec<VariantId> = sel.into_iter().map(|i| v[i]).collect();
                    let op = BulkOp::PriceFactor { factor: Decimal::new(i64::from(f), 2) };
                    let changes = store.read(|tx| bulk::preview(tx, &sel, &op)).unwrap();
                    store.write(|tx| edit::apply(tx, &changes, "bulk", now(), Source::Ui)).unwrap()
                }
                Step::Tag(i, t) => {
                    let changes = store.read(|tx| bulk::preview(tx, &[v[i]], &BulkOp::AddTag { tag: t })).unwrap();
                    store.write(|tx| edit::apply(tx, &changes, "tag", now(), Source::Ui)).unwrap()
                }
            };
            if batch.is_some() {
                past.push(snapshot(&store));
                future.clear();
            }
            prop_assert_eq!(&snapshot(&store), past.last().unwrap());
        }
        // Undo everything: back to the start.
        while store.write(|tx| edit::undo(tx, now())).unwrap().is_some() {}
        prop_assert_eq!(snapshot(&store), past[0].clone(), "undoing all edits gives the original catalog");
    }
}

#[test]
fn stock_at_a_location_without_a_stock_row_reads_as_zero_and_can_be_set() {
    let (_d, store, v, _) = shop();
    let other = store.write(|tx| add_location(tx, "M", "Magazijn")).unwrap();
    let target = Target::Variant(v[0]);
    let seen = store
        .read(|tx| edit::current(tx, target, Field::Stock(other)))
        .unwrap();
    assert_eq!(
        seen.as_deref(),
        Some("0"),
        "the grid shows 0 and the edit must agree"
    );
    set(&store, target, Field::Stock(other), "7").unwrap();
    store.write(|tx| edit::undo(tx, now())).unwrap();
    let back = store
        .read(|tx| edit::current(tx, target, Field::Stock(other)))
        .unwrap();
    assert_eq!(back.as_deref(), Some("0"), "undo returns to none in stock");
}
