//! Publishing 1,000 products (three variants each) to the Shopify sandbox the way the app does
//! it, compared with the least time Shopify's cost limit allows (issue 5: at most 1.1 times
//! that, with zero failed calls). The whole path: the products listed on the channel, the plan,
//! the confirm into the outbox, and the outbox worker sending every row through the Shopify
//! connector over loopback HTTP to the sandbox's cost bucket (default size and restore rate,
//! real time), until the outbox is empty.
//!
//! The least time is `(points paid − bucket size) / restore rate`: a client that starts with a
//! full bucket can spend it at once and then no faster than it refills. The sandbox counts the
//! points each call actually paid, so the figure includes every call the path made (the
//! location lookup, each `productSet`), not an assumed cost per product.
//!
//! Run: `cargo bench -p kanaal-sync --bench shopify_publish` (PRODUCTS=n, default 1000). It
//! takes as long as the limit says: about 2 minutes for 1,000 products.

use kanaal_channels::credentials::Secret;
use kanaal_channels::http::HttpConfig;
use kanaal_channels::model::ListingLevel;
use kanaal_channels::shopify::ShopifyChannel;
use kanaal_channels::Channel;
use kanaal_core::catalog::{
    self, NewProduct, NewVariant, ProductStatus, Source, StockLevel, VariantPrices,
};
use kanaal_core::clock::{Clock, SystemClock};
use kanaal_core::money::Money;
use kanaal_core::progress::{CancelToken, NoProgress};
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sandbox::{Sandbox, SandboxConfig};
use kanaal_sync::publish;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(run())
}

fn product(i: usize, location: kanaal_core::ids::LocationId) -> NewProduct {
    let variant = |weight: &str, cents: i64, n: usize| NewVariant {
        sku: format!("B{i}-{n}"),
        gtin: None,
        options: vec![weight.into()],
        prices: VariantPrices {
            price: Money::eur(Decimal::new(cents, 2)),
            compare_at: None,
            cost: None,
            vat: VatRate::Reduced,
        },
        weight_grams: None,
        stock: vec![StockLevel {
            location,
            quantity: 5,
        }],
    };
    NewProduct {
        handle: format!("koffie-{i}"),
        title_nl: format!("Koffie {i}"),
        title_en: format!("Coffee {i}"),
        description_nl: "Vers gebrand.".into(),
        description_en: String::new(),
        brand: "Branderij De Gracht".into(),
        category: None,
        status: ProductStatus::Active,
        tags: vec![],
        options: vec![("Gewicht".into(), "Weight".into())],
        variants: vec![
            variant("250 g", 895, 250),
            variant("500 g", 1695, 500),
            variant("1 kg", 2995, 1000),
        ],
        images: vec![],
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let products: usize = std::env::var("PRODUCTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000);
    let sandbox = Sandbox::start(SandboxConfig {
        seed: 1,
        faults: FaultPlan::none(),
        speed: 1.0,
    })
    .await?;
    let info = sandbox
        .platform("shopify")
        .ok_or("the sandbox has no Shopify")?;
    let connector = ShopifyChannel::new(
        HttpConfig::new("Shopify", &info.base_url),
        Secret::new(&info.credentials["access_token"]),
    )?;
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path())?;
    let clock = SystemClock;
    let now = clock.now();
    let channel = store.write(|tx| {
        let location = catalog::add_location(tx, "winkel", "Winkel")?;
        for i in 0..products {
            catalog::insert_product(tx, &product(i, location), now, Source::Cli)?;
        }
        kanaal_core::channels::add(tx, "shopify", "Webshop", None, now)
    })?;

    let start = Instant::now();
    publish::list_products(&store, channel, ListingLevel::Product, None)?;
    let plan = publish::plan(&store, channel, &connector.limits())?;
    let confirmed = publish::confirm(&store, &plan, &clock)?;
    let planned_s = start.elapsed().as_secs_f64();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let (mut sent, mut failed, mut retried, mut rounds) = (0, 0, 0, 0);
    loop {
        rounds += 1;
        let report = kanaal_sync::drain_outbox(
            &store,
            channel,
            &connector,
            &clock,
            &mut rng,
            &CancelToken::new(),
            &NoProgress,
        )
        .await?;
        sent += report.sent;
        failed += report.failed;
        retried += report.retry_later;
        if report.quiet() || rounds >= 20 {
            break;
        }
    }
    let took = start.elapsed().as_secs_f64();

    let shop = sandbox.shopify();
    let bucket = shop.config().bucket;
    let points = shop.points_spent() as f64;
    let least = ((points - bucket.maximum) / bucket.restore_rate).max(0.0);
    let in_shop = shop.products().len();
    let variants: usize = shop.products().iter().map(|p| p.variants.len()).sum();
    let summary = serde_json::json!({
        "products": products,
        "queued": confirmed.queued,
        "sent": sent,
        "failed_rows": failed,
        "rows_retried_later": retried,
        "throttled_answers": shop.throttled_answers(),
        "drain_rounds": rounds,
        "points_paid": points,
        "bucket_points": bucket.maximum,
        "restore_per_s": bucket.restore_rate,
        "least_s": least,
        "took_s": took,
        "of_which_list_plan_confirm_s": planned_s,
        "ratio": if least > 0.0 { took / least } else { f64::NAN },
        "products_in_shop": in_shop,
        "variants_in_shop": variants,
    });
    println!("{summary}");
    if in_shop != products || variants != products * 3 || failed != 0 {
        return Err(format!("not every product arrived whole: {summary}").into());
    }
    Ok(())
}
