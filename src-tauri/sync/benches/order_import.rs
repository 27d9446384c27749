//! Order import benchmark (issue 5 target: 100,000 orders in at most 10 s). A catalog of 1,000
//! products listed live on two channels; 100,000 orders of one or two lines arrive in pages of
//! 50 (bol.com's page size), each page one transaction that stores orders, lines and customer,
//! moves stock, queues stock rows for both channels and saves the cursor.
//!
//! Run: `cargo bench -p kanaal-sync --bench order_import` (ORDERS=n for another count).

use chrono::{TimeZone, Utc};
use kanaal_channels::model::{ChannelOrder, Customer, OrderCursor, OrderLine, OrderStatus};
use kanaal_core::catalog::{
    self, NewProduct, NewVariant, ProductStatus, Source, StockLevel, VariantPrices,
};
use kanaal_core::money::Money;
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use kanaal_sync::orders::apply_page;
use rust_decimal::Decimal;
use std::time::Instant;

const PRODUCTS: usize = 1_000;
const PAGE: usize = 50;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let orders: usize = std::env::var("ORDERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path())?;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 1, 12, 0, 0)
        .single()
        .ok_or("time")?;
    let (shop, bol) = store.write(|tx| {
        let loc = catalog::add_location(tx, "winkel", "Winkel")?;
        for i in 0..PRODUCTS {
            catalog::insert_product(
                tx,
                &NewProduct {
                    handle: format!("p-{i}"),
                    title_nl: format!("Product {i}"),
                    title_en: format!("Product {i}"),
                    description_nl: String::new(),
                    description_en: String::new(),
                    brand: String::new(),
                    category: None,
                    status: ProductStatus::Active,
                    tags: vec![],
                    options: vec![],
                    variants: vec![NewVariant {
                        sku: format!("SKU-{i}"),
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
                            quantity: 1_000_000,
                        }],
                    }],
                    images: vec![],
                },
                now,
                Source::Cli,
            )?;
        }
        let shop = kanaal_core::channels::add(tx, "shopify", "Webshop", None, now)?;
        let bol = kanaal_core::channels::add(tx, "bol", "bol.com", None, now)?;
        for ch in [shop, bol] {
            tx.execute(
                "INSERT INTO listings (channel_id, product_id, state, remote_id)
                 SELECT ?1, id, 'live', 'r-' || ?1 || '-' || id FROM products",
                [ch.0],
            )?;
        }
        tx.execute(
            "INSERT INTO listing_mirror (listing_id, payload, fetched_at)
             SELECT l.id, json_object('variants', json_array(json_object('sku', v.sku, 'stock', 1000000))), '2026-11-01T00:00:00Z'
             FROM listings l JOIN variants v ON v.product_id = l.product_id",
            [],
        )?;
        Ok((shop, bol))
    })?;
    let _ = shop;
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
    let start = Instant::now();
    let mut lines = 0;
    let mut queued = 0;
    for page in 0..orders.div_ceil(PAGE) {
        let batch: Vec<ChannelOrder> = (page * PAGE..((page + 1) * PAGE).min(orders))
            .map(order)
            .collect();
        let r = store
            .write(|tx| apply_page(tx, bol, &batch, &OrderCursor(format!("page={page}")), now))?;
        lines += r.stock_moves;
        queued += r.stock_queued;
    }
    let took = start.elapsed();
    println!(
        "imported {orders} orders ({lines} stock moves, {queued} stock rows queued or rewritten) in {} pages: {:.2} s ({:.0} orders/s)",
        orders.div_ceil(PAGE),
        took.as_secs_f64(),
        orders as f64 / took.as_secs_f64()
    );
    Ok(())
}
