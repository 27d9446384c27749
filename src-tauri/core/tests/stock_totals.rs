//! Each product's stock in all (`products.stock_total`, kept by triggers; the grid filters and
//! sorts by it) always equals the sum of its variants' stock at every location — after any
//! sequence of imports and re-imports, stock edits (set, cleared), sales, undo and redo, and variants
//! or products deleted (an import taken back deletes what it created).

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use kanaal_core::catalog::csv::{self, Format, Mode};
use kanaal_core::catalog::edit::{self, Change, Field, Target};
use kanaal_core::catalog::{add_location, list_products, ProductQuery, SortKey, Source};
use kanaal_core::ids::{LocationId, VariantId};
use kanaal_core::store::Store;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    /// Import (or re-import: same handles update) products `first..first + stocks.len()`, each
    /// with one variant per stock figure.
    Import {
        first: usize,
        stocks: Vec<Vec<i64>>,
    },
    /// Set (or with `None` clear) the stock of the n-th variant at the n-th location.
    SetStock {
        variant: usize,
        location: usize,
        quantity: Option<i64>,
    },
    /// Orders take `n` units from the n-th variant's stock rows, as the order sync does (it may
    /// go below zero: a sale the shop could not cover).
    Sell {
        variant: usize,
        n: i64,
    },
    DeleteVariant(usize),
    DeleteProduct(usize),
    /// A variant moves to another product.
    MoveVariant {
        variant: usize,
        product: usize,
    },
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (
            0usize..6,
            prop::collection::vec(prop::collection::vec(0i64..30, 1..4), 1..4)
        )
            .prop_map(|(first, stocks)| Op::Import { first, stocks }),
        (0usize..20, 0usize..2, prop::option::weighted(0.8, 0i64..50)).prop_map(
            |(variant, location, quantity)| Op::SetStock {
                variant,
                location,
                quantity
            }
        ),
        (0usize..20, 1i64..40).prop_map(|(variant, n)| Op::Sell { variant, n }),
        (0usize..20).prop_map(Op::DeleteVariant),
        (0usize..10).prop_map(Op::DeleteProduct),
        (0usize..20, 0usize..10)
            .prop_map(|(variant, product)| Op::MoveVariant { variant, product }),
        Just(Op::Undo),
        Just(Op::Redo),
    ]
}

fn shopify_csv(first: usize, stocks: &[Vec<i64>]) -> Vec<u8> {
    let mut out = String::from(
        "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price,Status\n",
    );
    for (i, variants) in stocks.iter().enumerate() {
        let p = first + i;
        for (j, stock) in variants.iter().enumerate() {
            if j == 0 {
                let _ = writeln!(
                    out,
                    "p{p},Product {p},Maat,M{j},P{p}-{j},{stock},9.95,active"
                );
            } else {
                let _ = writeln!(out, "p{p},,,M{j},P{p}-{j},{stock},9.95,");
            }
        }
    }
    out.into_bytes()
}

fn ids(store: &Store, sql: &str) -> Vec<i64> {
    store
        .read(|tx| {
            Ok(tx
                .prepare(sql)?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?)
        })
        .unwrap()
}

fn apply(store: &Store, op: &Op) {
    let nth = |list: Vec<i64>, n: usize| -> Option<i64> {
        (!list.is_empty()).then(|| list[n % list.len()])
    };
    match op {
        Op::Import { first, stocks } => {
            // Valid products only: after a variant moved, its SKU belongs to another product
            // and a re-import leaves that product out (and writes the rest).
            let report = csv::import(
                store,
                &shopify_csv(*first, stocks),
                Format::Shopify,
                Mode::ValidRowsOnly,
                false,
                now(),
                Source::Import,
            )
            .unwrap();
            assert!(
                report.committed,
                "the valid products are written: {report:?}"
            );
        }
        Op::SetStock {
            variant,
            location,
            quantity,
        } => {
            let Some(v) = nth(ids(store, "SELECT id FROM variants ORDER BY id"), *variant) else {
                return;
            };
            let Some(l) = nth(
                ids(store, "SELECT id FROM locations ORDER BY id"),
                *location,
            ) else {
                return;
            };
            let target = Target::Variant(VariantId(v));
            let field = Field::Stock(LocationId(l));
            store
                .write(|tx| {
                    let old = edit::current(tx, target, field)?;
                    edit::apply(
                        tx,
                        &[Change {
                            target,
                            field,
                            old,
                            new: quantity.map(|q| q.to_string()),
                        }],
                        "stock",
                        now(),
                        Source::Ui,
                    )
                })
                .unwrap();
        }
        Op::Sell { variant, n } => {
            if let Some(v) = nth(ids(store, "SELECT id FROM variants ORDER BY id"), *variant) {
                store
                    .write(|tx| {
                        Ok(tx.execute(
                            "UPDATE stock SET quantity = quantity - ?1 WHERE variant_id = ?2",
                            [*n, v],
                        )?)
                    })
                    .unwrap();
            }
        }
        Op::DeleteVariant(n) => {
            if let Some(v) = nth(ids(store, "SELECT id FROM variants ORDER BY id"), *n) {
                store
                    .write(|tx| Ok(tx.execute("DELETE FROM variants WHERE id = ?1", [v])?))
                    .unwrap();
            }
        }
        Op::DeleteProduct(n) => {
            if let Some(p) = nth(ids(store, "SELECT id FROM products ORDER BY id"), *n) {
                store
                    .write(|tx| Ok(tx.execute("DELETE FROM products WHERE id = ?1", [p])?))
                    .unwrap();
            }
        }
        Op::MoveVariant { variant, product } => {
            let v = nth(ids(store, "SELECT id FROM variants ORDER BY id"), *variant);
            let p = nth(ids(store, "SELECT id FROM products ORDER BY id"), *product);
            if let (Some(v), Some(p)) = (v, p) {
                store
                    .write(|tx| {
                        Ok(tx.execute(
                            "UPDATE variants SET product_id = ?1, position = 1000 + id WHERE id = ?2",
                            [p, v],
                        )?)
                    })
                    .unwrap();
            }
        }
        // Undo and redo may find nothing to do, or refuse a batch whose rows are gone since:
        // either way the totals must still be right.
        Op::Undo => {
            let _ = store.write(|tx| edit::undo(tx, now()));
        }
        Op::Redo => {
            let _ = store.write(|tx| edit::redo(tx, now()));
        }
    }
}

/// Every product's kept total and the sum counted from the stock rows.
fn totals(store: &Store) -> (BTreeMap<i64, i64>, BTreeMap<i64, i64>) {
    store
        .read(|tx| {
            let mut kept = BTreeMap::new();
            let mut summed = BTreeMap::new();
            let mut stmt = tx.prepare("SELECT id, stock_total FROM products")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                kept.insert(r.get(0)?, r.get(1)?);
                summed.insert(r.get(0)?, 0);
            }
            let mut stmt = tx.prepare(
                "SELECT v.product_id, s.quantity FROM stock s JOIN variants v ON v.id = s.variant_id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                *summed.entry(r.get(0)?).or_insert(0) += r.get::<_, i64>(1)?;
            }
            Ok((kept, summed))
        })
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_products_stock_total_is_the_sum_of_its_stock(ops in prop::collection::vec(op(), 1..14)) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // A second location, so totals add up over locations too.
        store.write(|tx| add_location(tx, "magazijn", "Magazijn")).unwrap();
        for op in &ops {
            apply(&store, op);
            let (kept, summed) = totals(&store);
            prop_assert_eq!(kept, summed, "after {:?}", op);
        }
        // And the grid's stock order is that total's order.
        let page = store
            .read(|tx| list_products(tx, &ProductQuery { sort: SortKey::Stock, limit: 1000, ..Default::default() }))
            .unwrap();
        let (_, summed) = totals(&store);
        let listed: Vec<i64> = page.rows.iter().map(|r| r.stock_total).collect();
        let expect: Vec<i64> = page.rows.iter().map(|r| summed[&r.id.0]).collect();
        prop_assert_eq!(&listed, &expect);
        prop_assert!(listed.windows(2).all(|w| w[0] <= w[1]));
    }
}
