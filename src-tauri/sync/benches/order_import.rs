//! Order import benchmark, Kanaal's side (issue 5 target: 100,000 orders in at most 10 s). A
//! catalog of 1,000 products listed live on two channels; 100,000 orders of one or two lines
//! arrive in pages of 50 (bol.com's page size) and go through the import's batching
//! (`orders::Importer`, as `pull_orders` uses it): each batch of pages is one transaction that
//! stores orders, lines and customers, moves stock, queues stock rows for both channels and
//! saves the cursor. The pages are made in memory, so this measures the store; the channel's
//! part (HTTP and JSON) is measured against the sandbox by the `order_import_http` bench.
//!
//! Run: `cargo bench -p kanaal-sync --bench order_import` (ORDERS=n for another count,
//! BATCH=n orders per transaction; BATCH=50 is one page per transaction, as before batching).

#[path = "order_import_common/mod.rs"]
mod common;

use chrono::{TimeZone, Utc};
use kanaal_channels::model::{ChannelOrder, Customer, OrderCursor, OrderLine, OrderStatus};
use kanaal_core::clock::FixedClock;
use kanaal_core::money::Money;
use kanaal_core::store::Store;
use kanaal_sync::orders::{Importer, BATCH_ORDERS};
use rust_decimal::Decimal;
use std::time::Instant;

const PRODUCTS: usize = 1_000;
const PAGE: usize = 50;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let orders = env_number("ORDERS", 100_000);
    let batch = env_number("BATCH", BATCH_ORDERS);
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path())?;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 1, 12, 0, 0)
        .single()
        .ok_or("time")?;
    let goods: Vec<(String, Option<String>)> =
        (0..PRODUCTS).map(|i| (format!("SKU-{i}"), None)).collect();
    let (_shop, bol) = common::seed(&store, &goods, now, now)?;
    let t = now;
    let order = |n: usize| ChannelOrder {
        remote_id: format!("B-{n}"),
        placed_at: t,
        updated_at: t,
        status: OrderStatus::Open,
        customer: Customer {
            name: Some(format!("Klant {}", n % 5_000)),
            email: Some(format!("klant{}@example.nl", n % 5_000)),
            ..Customer::default()
        },
        lines: (0..1 + n % 2)
            .map(|k| OrderLine {
                remote_id: format!("B-{n}-{k}"),
                sku: Some(format!("SKU-{}", (n * 7 + k * 13) % PRODUCTS)),
                gtin: None,
                title: "x".into(),
                quantity: 1,
                quantity_shipped: 0,
                quantity_cancelled: 0,
                unit_price: Money::eur(Decimal::TEN),
                fee: Some(Money::eur(Decimal::ONE)),
                cancellation_requested: false,
                ship_by: None,
            })
            .collect(),
        total: Money::eur(Decimal::TEN),
        fees: None,
        ship_by: None,
        raw: serde_json::json!({"orderId": n}),
    };
    let clock = FixedClock::at(now);
    let pages = orders.div_ceil(PAGE);
    let start = Instant::now();
    let mut import = Importer::new(&store, bol, &clock).with_batch(batch);
    for page in 0..pages {
        let orders: Vec<ChannelOrder> = (page * PAGE..((page + 1) * PAGE).min(orders))
            .map(order)
            .collect();
        import.page(
            orders,
            OrderCursor(format!("page={page}")),
            page + 1 == pages,
        )?;
    }
    import.flush()?;
    let took = start.elapsed();
    let r = &import.report;
    println!(
        "imported {orders} orders ({} stock moves, {} stock rows queued or rewritten) in {pages} pages of {PAGE}, batches of up to {batch} orders: {:.2} s ({:.0} orders/s)",
        r.stock_moves,
        r.stock_queued,
        took.as_secs_f64(),
        orders as f64 / took.as_secs_f64()
    );
    common::print_phases(&import.phases);
    Ok(())
}
