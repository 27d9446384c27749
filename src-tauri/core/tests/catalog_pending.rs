//! "Changed since last publish": each listing's stored `pending` flag (kept by triggers, read by
//! the grid's filter through an index) always says what the publish engine's counters say — the
//! listing was never published, or its own change counter plus its product's and its listed
//! variants' add up above zero — after any sequence of imports, re-imports, edits, undo and
//! redo, listings made, sent (the snapshot subtracted) and unpublished, variants and products
//! deleted or moved.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use kanaal_core::catalog::csv::{self, Format, Mode};
use kanaal_core::catalog::edit::{self, Change, Field, Target};
use kanaal_core::catalog::{list_products, ProductQuery, Source};
use kanaal_core::ids::{ProductId, VariantId};
use kanaal_core::store::Store;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    /// Import (or re-import with other prices: same handles update) products
    /// `first..first + variants.len()`, each with that many variants at `price`.
    Import {
        first: usize,
        variants: Vec<usize>,
        price: u32,
    },
    /// A new price for the n-th variant, from the grid.
    EditPrice {
        variant: usize,
        cents: u32,
    },
    /// A new title for the n-th product, from the grid.
    EditTitle {
        product: usize,
        title: u8,
    },
    /// List the n-th product on a channel: as a whole, or only its n-th variant.
    List {
        channel: i64,
        product: usize,
        variant: Option<usize>,
    },
    /// The channel confirmed the n-th listing: its counter snapshot is subtracted from the
    /// listing's counter, as `publish::after_success` does, and it is marked published.
    Publish(usize),
    /// The n-th listing is taken off its channel.
    Unpublish(usize),
    DeleteVariant(usize),
    DeleteProduct(usize),
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
            0usize..5,
            prop::collection::vec(1usize..4, 1..4),
            100u32..200
        )
            .prop_map(|(first, variants, price)| Op::Import {
                first,
                variants,
                price
            }),
        (0usize..20, 100u32..3000).prop_map(|(variant, cents)| Op::EditPrice { variant, cents }),
        (0usize..10, 0u8..3).prop_map(|(product, title)| Op::EditTitle { product, title }),
        (1i64..3, 0usize..10, prop::option::of(0usize..20)).prop_map(
            |(channel, product, variant)| Op::List {
                channel,
                product,
                variant
            }
        ),
        (0usize..20).prop_map(Op::Publish),
        (0usize..20).prop_map(Op::Publish),
        (0usize..20).prop_map(Op::Unpublish),
        (0usize..20).prop_map(Op::DeleteVariant),
        (0usize..10).prop_map(Op::DeleteProduct),
        (0usize..20, 0usize..10)
            .prop_map(|(variant, product)| Op::MoveVariant { variant, product }),
        Just(Op::Undo),
        Just(Op::Redo),
    ]
}

fn shopify_csv(first: usize, variants: &[usize], price: u32) -> Vec<u8> {
    let mut out =
        String::from("Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Status\n");
    for (i, n) in variants.iter().enumerate() {
        let p = first + i;
        for j in 0..*n {
            let cents = price + j as u32;
            let price = format!("{}.{:02}", cents / 100, cents % 100);
            if j == 0 {
                let _ = writeln!(out, "p{p},Product {p},Maat,M{j},P{p}-{j},{price},active");
            } else {
                let _ = writeln!(out, "p{p},,,M{j},P{p}-{j},{price},");
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

fn nth(list: Vec<i64>, n: usize) -> Option<i64> {
    (!list.is_empty()).then(|| list[n % list.len()])
}

/// The listing's counter snapshot as the publish engine defines it, summed here in Rust from
/// the rows.
fn snapshot(store: &Store, listing: i64) -> i64 {
    store
        .read(|tx| {
            let (own, product, variant): (i64, i64, Option<i64>) = tx.query_row(
                "SELECT change_counter, product_id, variant_id FROM listings WHERE id = ?1",
                [listing],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let product_counter: i64 = tx.query_row(
                "SELECT change_counter FROM products WHERE id = ?1",
                [product],
                |r| r.get(0),
            )?;
            let mut stmt =
                tx.prepare("SELECT id, change_counter FROM variants WHERE product_id = ?1")?;
            let variants: i64 = stmt
                .query_map([product], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                })?
                .map(Result::unwrap)
                .filter(|(id, _)| variant.is_none_or(|v| v == *id))
                .map(|(_, c)| c)
                .sum();
            Ok(own + product_counter + variants)
        })
        .unwrap()
}

fn apply(store: &Store, op: &Op) {
    match op {
        Op::Import {
            first,
            variants,
            price,
        } => {
            let report = csv::import(
                store,
                &shopify_csv(*first, variants, *price),
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
        Op::EditPrice { variant, cents } => {
            let Some(v) = nth(ids(store, "SELECT id FROM variants ORDER BY id"), *variant) else {
                return;
            };
            let target = Target::Variant(VariantId(v));
            edit_one(
                store,
                target,
                Field::Price,
                format!("{}.{:02}", cents / 100, cents % 100),
            );
        }
        Op::EditTitle { product, title } => {
            let Some(p) = nth(ids(store, "SELECT id FROM products ORDER BY id"), *product) else {
                return;
            };
            let target = Target::Product(ProductId(p));
            edit_one(store, target, Field::TitleNl, format!("Titel {title}"));
        }
        Op::List {
            channel,
            product,
            variant,
        } => {
            let Some(p) = nth(ids(store, "SELECT id FROM products ORDER BY id"), *product) else {
                return;
            };
            let v = variant.and_then(|n| {
                nth(
                    ids(
                        store,
                        &format!("SELECT id FROM variants WHERE product_id = {p} ORDER BY id"),
                    ),
                    n,
                )
            });
            store
                .write(|tx| {
                    Ok(tx.execute(
                        "INSERT OR IGNORE INTO listings (channel_id, product_id, variant_id)
                         VALUES (?1, ?2, ?3)",
                        rusqlite::params![channel, p, v],
                    )?)
                })
                .unwrap();
        }
        Op::Publish(n) => {
            let Some(l) = nth(ids(store, "SELECT id FROM listings ORDER BY id"), *n) else {
                return;
            };
            let snap = snapshot(store, l);
            store
                .write(|tx| {
                    Ok(tx.execute(
                        "UPDATE listings SET change_counter = change_counter - ?2, state = 'live',
                                last_published_at = '2026-11-30T09:00:00Z'
                          WHERE id = ?1",
                        [l, snap],
                    )?)
                })
                .unwrap();
        }
        Op::Unpublish(n) => {
            if let Some(l) = nth(ids(store, "SELECT id FROM listings ORDER BY id"), *n) {
                store
                    .write(|tx| {
                        Ok(tx.execute(
                            "UPDATE listings SET state = 'unpublished' WHERE id = ?1",
                            [l],
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
        // Undo and redo may find nothing to do, or refuse a batch whose rows are gone since.
        Op::Undo => {
            let _ = store.write(|tx| edit::undo(tx, now()));
        }
        Op::Redo => {
            let _ = store.write(|tx| edit::redo(tx, now()));
        }
    }
}

fn edit_one(store: &Store, target: Target, field: Field, new: String) {
    store
        .write(|tx| {
            let old = edit::current(tx, target, field)?;
            edit::apply(
                tx,
                &[Change {
                    target,
                    field,
                    old,
                    new: Some(new),
                }],
                "edit",
                now(),
                Source::Ui,
            )
        })
        .unwrap();
}

/// Each listing's stored flag, and what the counters say.
fn flags(store: &Store) -> (BTreeMap<i64, bool>, BTreeMap<i64, bool>) {
    let listings: Vec<(i64, bool, bool)> = store
        .read(|tx| {
            Ok(tx
                .prepare("SELECT id, pending, last_published_at IS NOT NULL FROM listings")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap();
    let kept = listings.iter().map(|(id, p, _)| (*id, *p)).collect();
    let counted = listings
        .iter()
        .map(|(id, _, published)| (*id, !published || snapshot(store, *id) > 0))
        .collect();
    (kept, counted)
}

/// The products the grid's filter must show: listed (not taken off) with something to send.
fn changed_products(store: &Store, counted: &BTreeMap<i64, bool>) -> BTreeSet<i64> {
    let listings: Vec<(i64, i64, String)> = store
        .read(|tx| {
            Ok(tx
                .prepare("SELECT id, product_id, state FROM listings")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap();
    listings
        .into_iter()
        .filter(|(id, _, state)| counted[id] && state != "unpublished")
        .map(|(_, product, _)| product)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn every_listings_pending_flag_is_what_its_counters_say(ops in prop::collection::vec(op(), 1..16)) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO channels (id, kind, name, created_at)
                     VALUES (1, 'bol', 'bol.com', '2026-11-30T09:00:00Z'),
                            (2, 'shopify', 'Webshop', '2026-11-30T09:00:00Z');",
                )?;
                Ok(())
            })
            .unwrap();
        for op in &ops {
            apply(&store, op);
            let (kept, counted) = flags(&store);
            prop_assert_eq!(&kept, &counted, "after {:?}", op);
            let page = store
                .read(|tx| {
                    list_products(
                        tx,
                        &ProductQuery { changed_since_publish: true, limit: 1000, ..Default::default() },
                    )
                })
                .unwrap();
            let listed: BTreeSet<i64> = page.rows.iter().map(|r| r.id.0).collect();
            prop_assert_eq!(listed, changed_products(&store, &counted), "the filter after {:?}", op);
        }
    }
}
