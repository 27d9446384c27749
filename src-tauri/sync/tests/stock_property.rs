//! Property: whatever order pages arrive — repeated, overlapping, with orders cancelled later —
//! local stock ends at the initial stock minus the lines of the distinct orders that are not
//! cancelled, each order is stored once, and lines of unknown SKUs move nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use kanaal_channels::model::{ChannelOrder, Customer, OrderCursor, OrderLine, OrderStatus};
use kanaal_core::catalog::{
    self, NewProduct, NewVariant, ProductStatus, Source, StockLevel, VariantPrices,
};
use kanaal_core::money::Money;
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use kanaal_sync::orders::apply_page;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const SKUS: [&str; 3] = ["A-1", "B-1", "C-1"];
const INITIAL: i64 = 50;

fn store() -> (tempfile::TempDir, Store, kanaal_core::ids::ChannelId) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    let channel = store
        .write(|tx| {
            let loc = catalog::add_location(tx, "winkel", "Winkel")?;
            for sku in SKUS {
                catalog::insert_product(
                    tx,
                    &NewProduct {
                        handle: sku.to_lowercase(),
                        title_nl: sku.into(),
                        title_en: sku.into(),
                        description_nl: String::new(),
                        description_en: String::new(),
                        brand: String::new(),
                        category: None,
                        status: ProductStatus::Active,
                        tags: vec![],
                        options: vec![],
                        variants: vec![NewVariant {
                            sku: sku.into(),
                            gtin: None,
                            options: vec![],
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
                        }],
                        images: vec![],
                    },
                    now,
                    Source::Cli,
                )?;
            }
            kanaal_core::channels::add(tx, "bol", "bol.com", None, now)
        })
        .unwrap();
    (dir, store, channel)
}

/// An order's lines: (SKU index, 3 = unknown SKU; quantity).
type Lines = Vec<(usize, u32)>;

fn order(id: usize, lines: &Lines, cancelled: bool) -> ChannelOrder {
    let t = Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap();
    ChannelOrder {
        remote_id: format!("O-{id}"),
        placed_at: t,
        updated_at: t,
        status: if cancelled {
            OrderStatus::Cancelled
        } else {
            OrderStatus::Open
        },
        customer: Customer::default(),
        lines: lines
            .iter()
            .enumerate()
            .map(|(n, (sku, q))| OrderLine {
                remote_id: format!("O-{id}-{n}"),
                sku: Some(
                    SKUS.get(*sku)
                        .map_or("UNKNOWN-9".to_string(), |s| s.to_string()),
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

#[test]
fn shipped_history_from_before_the_connection_takes_no_stock_again() {
    let (_dir, store, channel) = store();
    // The channel was connected at 12:00; the orders below were placed at 10:00.
    let mut shipped_before = order(1, &vec![(0, 2)], false);
    shipped_before.status = OrderStatus::Shipped;
    let open_before = order(2, &vec![(1, 3)], false);
    let mut shipped_after = order(3, &vec![(2, 4)], false);
    shipped_after.status = OrderStatus::Shipped;
    shipped_after.placed_at = Utc.with_ymd_and_hms(2026, 11, 1, 13, 0, 0).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 14, 0, 0).unwrap();
    store
        .write(|tx| {
            apply_page(
                tx,
                channel,
                &[shipped_before, open_before, shipped_after],
                &OrderCursor("c".into()),
                now,
            )
        })
        .unwrap();
    let stock = |sku: &str| -> i64 {
        store
            .read(|tx| {
                Ok(tx.query_row(
                    "SELECT s.quantity FROM stock s JOIN variants v ON v.id = s.variant_id WHERE v.sku = ?1",
                    [sku],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    };
    assert_eq!(
        stock("A-1"),
        INITIAL,
        "shipped before the connection: already gone from the count"
    );
    assert_eq!(
        stock("B-1"),
        INITIAL - 3,
        "open from before the connection: still leaves the shelf"
    );
    assert_eq!(
        stock("C-1"),
        INITIAL - 4,
        "shipped after the connection: a sale to count"
    );
}

#[test]
fn a_status_change_does_not_bring_an_erased_customer_back_into_the_order() {
    let (_dir, store, channel) = store();
    let mut o = order(7, &vec![(0, 1)], false);
    o.customer.name = Some("Jan de Vries".into());
    o.raw = serde_json::json!({"id": 7, "name": "Jan de Vries"});
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 14, 0, 0).unwrap();
    store
        .write(|tx| apply_page(tx, channel, &[o.clone()], &OrderCursor("a".into()), now))
        .unwrap();
    // Erased as kanaal-insights does it: the customer renamed, the order's copy scrubbed.
    store
        .write(|tx| {
            tx.execute(
                "UPDATE customers SET remote_id = 'erased-' || id, name = NULL",
                [],
            )?;
            tx.execute("UPDATE orders SET raw = '{\"id\":7}'", [])?;
            Ok(())
        })
        .unwrap();
    o.status = OrderStatus::Shipped;
    store
        .write(|tx| apply_page(tx, channel, &[o], &OrderCursor("b".into()), now))
        .unwrap();
    let (status, raw): (String, String) = store
        .read(|tx| {
            Ok(tx.query_row("SELECT status, raw FROM orders", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
        })
        .unwrap();
    assert_eq!(status, "shipped", "the status change is taken");
    assert!(!raw.contains("Jan"), "but the erased name stays out: {raw}");
}

fn lines_strategy() -> impl Strategy<Value = Lines> {
    prop::collection::vec((0usize..4, 1u32..4), 1..3)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn stock_moves_once_per_distinct_live_order_line(
        pool in prop::collection::vec(lines_strategy(), 1..8),
        // Each page: (order index into the pool, cancelled in this sighting?).
        pages in prop::collection::vec(prop::collection::vec((0usize..8, prop::bool::weighted(0.25)), 0..6), 1..8),
        repeat in prop::collection::vec(any::<bool>(), 8),
    ) {
        let (_dir, store, channel) = store();
        let now = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
        // Platforms do not un-cancel: once cancelled, later sightings are cancelled too.
        let mut cancelled: BTreeMap<usize, bool> = BTreeMap::new();
        for (p, page) in pages.iter().enumerate() {
            let orders: Vec<ChannelOrder> = page
                .iter()
                .map(|(i, c)| {
                    let i = i % pool.len();
                    let was = cancelled.entry(i).or_insert(false);
                    *was |= *c;
                    order(i, &pool[i], *was)
                })
                .collect();
            let times = if repeat[p % repeat.len()] { 2 } else { 1 };
            for _ in 0..times {
                store
                    .write(|tx| apply_page(tx, channel, &orders, &OrderCursor(format!("p{p}")), now))
                    .unwrap();
            }
        }
        let mut expected: BTreeMap<&str, i64> = SKUS.iter().map(|s| (*s, INITIAL)).collect();
        for (i, c) in &cancelled {
            if !c {
                for (sku, q) in &pool[*i] {
                    if let Some(s) = SKUS.get(*sku) {
                        *expected.get_mut(s).unwrap() -= i64::from(*q);
                    }
                }
            }
        }
        let actual: BTreeMap<String, i64> = store
            .read(|tx| {
                let mut stmt = tx.prepare(
                    "SELECT v.sku, SUM(s.quantity) FROM variants v JOIN stock s ON s.variant_id = v.id GROUP BY v.sku",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        for (sku, q) in &expected {
            prop_assert_eq!(actual[*sku], *q, "stock of {}", sku);
        }
        let (orders, applied): (i64, i64) = store
            .read(|tx| Ok(tx.query_row(
                "SELECT COUNT(*), COALESCE(SUM(stock_applied), 0) FROM orders", [], |r| Ok((r.get(0)?, r.get(1)?)))?))
            .unwrap();
        prop_assert_eq!(orders as usize, cancelled.len(), "each order stored once");
        prop_assert_eq!(applied as usize, cancelled.values().filter(|c| !**c).count());
        let cursor: String = store
            .read(|tx| Ok(tx.query_row("SELECT cursor FROM sync_cursors", [], |r| r.get(0))?))
            .unwrap();
        prop_assert_eq!(cursor, format!("p{}", pages.len() - 1), "the cursor of the last page");
    }
}
