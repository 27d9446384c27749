//! What both order import benchmarks share: a catalog of products listed live on a Shopify and
//! a bol.com channel (with a mirror, so stock changes are queued for both), and the printout of
//! where the time went.

use chrono::{DateTime, Utc};
use kanaal_core::catalog::{
    self, NewProduct, NewVariant, ProductStatus, Source, StockLevel, VariantPrices,
};
use kanaal_core::ids::ChannelId;
use kanaal_core::money::Money;
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use kanaal_sync::orders::Phases;
use rust_decimal::Decimal;

/// Stock on hand of every variant at the start (large: the benchmark sells a lot).
pub const STOCK: i64 = 1_000_000;

/// Puts one product per (SKU, EAN) into the store, both channels (connected at `connected`),
/// and a live listing with a mirror for every product on both. Returns (Shopify, bol.com).
pub fn seed(
    store: &Store,
    goods: &[(String, Option<String>)],
    now: DateTime<Utc>,
    connected: DateTime<Utc>,
) -> Result<(ChannelId, ChannelId), Box<dyn std::error::Error>> {
    Ok(store.write(|tx| {
        let loc = catalog::add_location(tx, "winkel", "Winkel")?;
        for (i, (sku, ean)) in goods.iter().enumerate() {
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
                        sku: sku.clone(),
                        gtin: ean.clone(),
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
                            quantity: STOCK,
                        }],
                    }],
                    images: vec![],
                },
                now,
                Source::Cli,
            )?;
        }
        let shop = kanaal_core::channels::add(tx, "shopify", "Webshop", None, connected)?;
        let bol = kanaal_core::channels::add(tx, "bol", "bol.com", None, connected)?;
        for ch in [shop, bol] {
            tx.execute(
                "INSERT INTO listings (channel_id, product_id, state, remote_id)
                 SELECT ?1, id, 'live', 'r-' || ?1 || '-' || id FROM products",
                [ch.0],
            )?;
        }
        tx.execute(
            "INSERT INTO listing_mirror (listing_id, payload, fetched_at)
             SELECT l.id, json_object('variants', json_array(json_object('sku', v.sku, 'stock', ?1))),
                    '2026-11-01T00:00:00Z'
             FROM listings l JOIN variants v ON v.product_id = l.product_id",
            [STOCK],
        )?;
        Ok((shop, bol))
    })?)
}

/// Prints each phase's share of the import.
pub fn print_phases(p: &Phases) {
    for (name, d) in [
        ("fetch: HTTP + JSON (the channel)", p.fetch),
        ("dedupe", p.dedupe),
        ("insert orders, lines, customers", p.insert),
        ("known orders", p.known),
        ("stock moves", p.stock_move),
        ("stock queue (both channels)", p.stock_queue),
        ("cursor + commit (fsync)", p.commit),
    ] {
        println!("  {name:<34} {:>7.2} s", d.as_secs_f64());
    }
    println!(
        "  {:<34} {:>7.2} s in {} transactions",
        "store total",
        p.store().as_secs_f64(),
        p.transactions
    );
}
