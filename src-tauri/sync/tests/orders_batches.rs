//! Batches of pages per transaction change nothing but the speed: the same pages stored one
//! page per transaction and in batches of any size leave the same orders, stock, audit trail,
//! stock rows queued for both channels and cursor. Pages taken but not yet stored (a kill
//! before the batch's commit) leave neither orders nor a moved cursor behind.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use kanaal_channels::model::{ChannelOrder, Customer, OrderCursor, OrderLine, OrderStatus};
use kanaal_core::catalog::{
    self, NewProduct, NewVariant, ProductStatus, Source, StockLevel, VariantPrices,
};
use kanaal_core::clock::FixedClock;
use kanaal_core::ids::ChannelId;
use kanaal_core::money::Money;
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use kanaal_sync::orders::{apply_page, Importer};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// SKUs of the catalog; "D-1" and "D-2" are two variants of one product.
const SKUS: [&str; 5] = ["A-1", "B-1", "C-1", "D-1", "D-2"];
const INITIAL: i64 = 20;

fn variant(sku: &str, loc: kanaal_core::ids::LocationId) -> NewVariant {
    NewVariant {
        sku: sku.into(),
        gtin: None,
        options: vec![sku.into()],
        prices: VariantPrices {
            price: Money::eur(Decimal::TEN),
            compare_at: None,
            cost: None,
            vat: VatRate::Standard,
        },
        weight_grams: None,
        stock: vec![StockLevel {
            location: loc,
            quantity: INITIAL,
        }],
    }
}

/// A catalog on a Shopify channel (listed per product) and a bol.com channel (listed per
/// variant), each listing with a mirror that shows the initial stock. Returns bol.com's id.
fn store() -> (tempfile::TempDir, Store, ChannelId) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    let bol = store
        .write(|tx| {
            let loc = catalog::add_location(tx, "winkel", "Winkel")?;
            let products: [(&str, Vec<&str>); 4] = [
                ("a", vec!["A-1"]),
                ("b", vec!["B-1"]),
                ("c", vec!["C-1"]),
                ("d", vec!["D-1", "D-2"]),
            ];
            for (handle, skus) in products {
                catalog::insert_product(
                    tx,
                    &NewProduct {
                        handle: handle.into(),
                        title_nl: handle.into(),
                        title_en: handle.into(),
                        description_nl: String::new(),
                        description_en: String::new(),
                        brand: String::new(),
                        category: None,
                        status: ProductStatus::Active,
                        tags: vec![],
                        options: vec![("Maat".into(), "Size".into())],
                        variants: skus.iter().map(|s| variant(s, loc)).collect(),
                        images: vec![],
                    },
                    now,
                    Source::Cli,
                )?;
            }
            let shop = kanaal_core::channels::add(tx, "shopify", "Webshop", None, now)?;
            let bol = kanaal_core::channels::add(tx, "bol", "bol.com", None, now)?;
            tx.execute(
                "INSERT INTO listings (channel_id, product_id, state, remote_id)
                 SELECT ?1, id, 'live', 'shop-' || id FROM products",
                [shop.0],
            )?;
            tx.execute(
                "INSERT INTO listings (channel_id, product_id, variant_id, state, remote_id)
                 SELECT ?1, product_id, id, 'live', 'bol-' || id FROM variants",
                [bol.0],
            )?;
            tx.execute(
                "INSERT INTO listing_mirror (listing_id, payload, fetched_at)
                 SELECT l.id, json_object('variants', (SELECT json_group_array(json_object('sku', v.sku, 'stock', ?1))
                                                         FROM variants v WHERE v.product_id = l.product_id
                                                          AND (l.variant_id IS NULL OR v.id = l.variant_id))),
                        '2026-11-01T00:00:00Z'
                   FROM listings l",
                [INITIAL],
            )?;
            Ok(bol)
        })
        .unwrap();
    (dir, store, bol)
}

/// An order's lines: (SKU index, 5 = unknown SKU; quantity).
type Lines = Vec<(usize, u32)>;

fn order(id: usize, lines: &Lines, cancelled: bool) -> ChannelOrder {
    let t = Utc.with_ymd_and_hms(2026, 11, 1, 13, 0, 0).unwrap();
    ChannelOrder {
        remote_id: format!("O-{id}"),
        placed_at: t,
        updated_at: t,
        status: if cancelled {
            OrderStatus::Cancelled
        } else {
            OrderStatus::Open
        },
        customer: Customer {
            name: Some(format!("Klant {}", id % 3)),
            email: Some(format!("klant{}@example.nl", id % 3)),
            ..Customer::default()
        },
        lines: lines
            .iter()
            .enumerate()
            .map(|(n, (sku, q))| OrderLine {
                remote_id: format!("O-{id}-{n}"),
                sku: Some(
                    SKUS.get(*sku)
                        .map_or("ONBEKEND".to_string(), |s| s.to_string()),
                ),
                gtin: None,
                title: "x".into(),
                quantity: *q,
                quantity_shipped: 0,
                quantity_cancelled: 0,
                unit_price: Money::eur(Decimal::TEN),
                fee: None,
                cancellation_requested: false,
                ship_by: None,
            })
            .collect(),
        total: Money::eur(Decimal::TEN),
        fees: None,
        ship_by: None,
        raw: serde_json::json!({"id": id}),
    }
}

/// Everything an import leaves that a merchant or a channel sees (ids left out: they differ
/// with the order of writes, not with what was stored).
#[derive(Debug, PartialEq)]
struct Outcome {
    orders: Vec<(String, String, i64)>,
    lines: Vec<(String, i64, Option<String>, i64)>,
    customers: i64,
    stock: BTreeMap<String, i64>,
    /// Per variant: the sum of the audit trail's moves, and whether each row starts where the
    /// one before it ended.
    audit: BTreeMap<i64, (i64, bool)>,
    /// Unsent stock rows: (channel, listing remote id, payload).
    queued: Vec<(i64, String, String)>,
    cursor: Option<String>,
}

fn outcome(store: &Store) -> Outcome {
    store
        .read(|tx| {
            let all = |sql: &str| -> rusqlite::Result<Vec<Vec<rusqlite::types::Value>>> {
                let mut stmt = tx.prepare(sql)?;
                let n = stmt.column_count();
                let rows = stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())?;
                rows.collect()
            };
            use rusqlite::types::Value as V;
            let text = |v: &V| match v {
                V::Text(t) => Some(t.clone()),
                V::Integer(i) => Some(i.to_string()),
                _ => None,
            };
            let int = |v: &V| match v {
                V::Integer(i) => *i,
                _ => -1,
            };
            let orders =
                all("SELECT remote_id, status, stock_applied FROM orders ORDER BY remote_id")?
                    .iter()
                    .map(|r| (text(&r[0]).unwrap(), text(&r[1]).unwrap(), int(&r[2])))
                    .collect();
            let lines = all(
                "SELECT o.remote_id, l.line_no, l.sku, l.quantity FROM order_lines l
                   JOIN orders o ON o.id = l.order_id ORDER BY o.remote_id, l.line_no",
            )?
            .iter()
            .map(|r| (text(&r[0]).unwrap(), int(&r[1]), text(&r[2]), int(&r[3])))
            .collect();
            let customers = tx.query_row("SELECT COUNT(*) FROM customers", [], |r| r.get(0))?;
            let stock = all(
                "SELECT v.sku, SUM(s.quantity) FROM variants v JOIN stock s ON s.variant_id = v.id
                  GROUP BY v.sku",
            )?
            .iter()
            .map(|r| (text(&r[0]).unwrap(), int(&r[1])))
            .collect();
            let mut audit: BTreeMap<i64, (i64, bool, Option<i64>)> = BTreeMap::new();
            for r in all("SELECT entity_id, old_value, new_value FROM audit_log
                  WHERE entity = 'stock' AND source = 'sync' ORDER BY id")?
            {
                let old: i64 = text(&r[1]).unwrap().parse().unwrap();
                let new: i64 = text(&r[2]).unwrap().parse().unwrap();
                let e = audit.entry(int(&r[0])).or_insert((0, true, None));
                e.0 += new - old;
                e.1 &= e.2.is_none_or(|prev| prev == old);
                e.2 = Some(new);
            }
            let audit = audit
                .into_iter()
                .map(|(k, (d, ok, _))| (k, (d, ok)))
                .collect();
            let queued = all("SELECT o.channel_id, l.remote_id, o.payload FROM outbox o
                   JOIN listings l ON l.id = o.listing_id
                  WHERE o.operation = 'set_stock' AND o.state = 'queued'
                  ORDER BY o.channel_id, l.remote_id")?
            .iter()
            .map(|r| (int(&r[0]), text(&r[1]).unwrap(), text(&r[2]).unwrap()))
            .collect();
            let cursor = tx
                .query_row("SELECT cursor FROM sync_cursors", [], |r| r.get(0))
                .ok();
            Ok(Outcome {
                orders,
                lines,
                customers,
                stock,
                audit,
                queued,
                cursor,
            })
        })
        .unwrap()
}

/// Pages of orders as a channel might send them: orders repeated on later pages, cancelled
/// later (never un-cancelled), lines of unknown SKUs.
fn pages_from(pool: &[Lines], pages: &[Vec<(usize, bool)>]) -> Vec<Vec<ChannelOrder>> {
    let mut cancelled: BTreeMap<usize, bool> = BTreeMap::new();
    pages
        .iter()
        .map(|page| {
            page.iter()
                .map(|(i, c)| {
                    let i = i % pool.len();
                    let was = cancelled.entry(i).or_insert(false);
                    *was |= *c;
                    order(i, &pool[i], *was)
                })
                .collect()
        })
        .collect()
}

fn lines_strategy() -> impl Strategy<Value = Lines> {
    prop::collection::vec((0usize..6, 1u32..4), 1..3)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn batches_of_any_size_store_what_single_pages_store(
        pool in prop::collection::vec(lines_strategy(), 1..10),
        pages in prop::collection::vec(prop::collection::vec((0usize..10, prop::bool::weighted(0.2)), 0..6), 1..8),
        batch in 1usize..20,
    ) {
        let now = Utc.with_ymd_and_hms(2026, 11, 1, 14, 0, 0).unwrap();
        let pages = pages_from(&pool, &pages);

        let (_a, single, bol) = store();
        for (p, orders) in pages.iter().enumerate() {
            single
                .write(|tx| apply_page(tx, bol, orders, &OrderCursor(format!("p{p}")), now))
                .unwrap();
        }

        let (_b, batched, bol_b) = store();
        let clock = FixedClock::at(now);
        let mut import = Importer::new(&batched, bol_b, &clock).with_batch(batch);
        for (p, orders) in pages.iter().enumerate() {
            import
                .page(orders.clone(), OrderCursor(format!("p{p}")), p + 1 == pages.len())
                .unwrap();
        }
        import.flush().unwrap();
        let expected_transactions = import.phases.transactions;
        prop_assert!(expected_transactions <= pages.len());

        let a = outcome(&single);
        let b = outcome(&batched);
        prop_assert!(a.audit.values().all(|(_, chained)| *chained), "audit trail chained: {:?}", a.audit);
        prop_assert!(b.audit.values().all(|(_, chained)| *chained), "audit trail chained: {:?}", b.audit);
        prop_assert_eq!(a, b);
    }
}

#[test]
fn pages_not_yet_stored_leave_no_orders_and_no_cursor() {
    let (_dir, store, bol) = store();
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 14, 0, 0).unwrap();
    let clock = FixedClock::at(now);
    let pages = pages_from(
        &[vec![(0, 1)], vec![(1, 2)], vec![(3, 1), (2, 1)]],
        &[
            vec![(0, false), (1, false)],
            vec![(2, false)],
            vec![(1, true)],
        ],
    );
    {
        // A batch of 100 orders: the first two pages wait in memory; then the process dies.
        let mut import = Importer::new(&store, bol, &clock).with_batch(100);
        import
            .page(pages[0].clone(), OrderCursor("p0".into()), false)
            .unwrap();
        import
            .page(pages[1].clone(), OrderCursor("p1".into()), false)
            .unwrap();
        let seen = outcome(&store);
        assert!(seen.orders.is_empty(), "nothing stored before the commit");
        assert_eq!(seen.cursor, None, "the cursor waits for its orders");
        assert_eq!(seen.stock["A-1"], INITIAL);
    }
    // The next run starts from the saved (absent) cursor and stores everything once.
    let mut import = Importer::new(&store, bol, &clock).with_batch(100);
    for (p, orders) in pages.iter().enumerate() {
        import
            .page(
                orders.clone(),
                OrderCursor(format!("p{p}")),
                p + 1 == pages.len(),
            )
            .unwrap();
    }
    assert_eq!(
        import.phases.transactions, 1,
        "the last page stores the batch"
    );
    let done = outcome(&store);
    assert_eq!(done.cursor.as_deref(), Some("p2"));
    assert_eq!(done.orders.len(), 3);
    // Order 1 (2 x B-1) was cancelled on the last page: its stock went out and came back.
    assert_eq!(done.stock["B-1"], INITIAL);
    assert_eq!(done.stock["A-1"], INITIAL - 1);
    assert_eq!(done.stock["D-1"], INITIAL - 1);
    assert_eq!(done.stock["C-1"], INITIAL - 1);
    assert_eq!(done.stock["D-2"], INITIAL);
    assert_eq!(import.report.cancellations_returned, 1);
    // Both channels get the new quantities: D-1 on bol.com (its own listing) and on the
    // webshop (the product's listing, both variants).
    let queued: Vec<(String, String)> = done
        .queued
        .iter()
        .map(|(_, l, p)| (l.clone(), p.clone()))
        .collect();
    assert!(
        queued
            .iter()
            .any(|(l, p)| l.starts_with("bol-") && p.contains("\"D-1\"") && p.contains("19")),
        "{queued:?}"
    );
    assert!(
        queued
            .iter()
            .any(|(l, p)| l.starts_with("shop-") && p.contains("\"D-1\"")),
        "{queued:?}"
    );
    assert!(
        !queued.iter().any(|(_, p)| p.contains("\"D-2\"")),
        "D-2 did not move: {queued:?}"
    );
}

#[test]
fn a_large_batch_stores_what_single_pages_store() {
    // Enough lines in one batch that the audit rows go out many to a statement.
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 14, 0, 0).unwrap();
    let pool: Vec<Lines> = (0..120)
        .map(|i| {
            if i % 2 == 0 {
                vec![(i % 6, 1)]
            } else {
                vec![(i % 5, 1), ((i + 2) % 5, 2)]
            }
        })
        .collect();
    let sightings: Vec<Vec<(usize, bool)>> = (0..7)
        .map(|p| {
            (0..20)
                .map(|k| ((p * 20 + k) % 120, p == 6 && k % 4 == 0))
                .collect()
        })
        .collect();
    let pages = pages_from(&pool, &sightings);

    let (_a, single, bol) = store();
    for (p, orders) in pages.iter().enumerate() {
        single
            .write(|tx| apply_page(tx, bol, orders, &OrderCursor(format!("p{p}")), now))
            .unwrap();
    }
    let (_b, batched, bol_b) = store();
    let clock = FixedClock::at(now);
    let mut import = Importer::new(&batched, bol_b, &clock);
    for (p, orders) in pages.iter().enumerate() {
        import
            .page(
                orders.clone(),
                OrderCursor(format!("p{p}")),
                p + 1 == pages.len(),
            )
            .unwrap();
    }
    assert_eq!(import.phases.transactions, 1);
    assert!(import.report.stock_moves > 100, "{:?}", import.report);
    let (a, b) = (outcome(&single), outcome(&batched));
    assert!(
        b.audit.values().all(|(_, chained)| *chained),
        "{:?}",
        b.audit
    );
    assert_eq!(a, b);
    // Stock went below the 20 on hand for the best sellers: an oversold item shows as negative.
    assert!(b.stock.values().any(|q| *q < 0), "{:?}", b.stock);
}
