//! Order import benchmark, end to end over loopback HTTP: the bol.com sandbox holds ORDERS
//! orders (placed through its control hook) of one to two lines of 1,000 products that the
//! catalog also holds, listed live on two channels; `pull_orders` reads them as Kanaal does
//! (pages of 50 order ids, then each order's details, bol.com's API shape) and stores them in
//! batches. The printout splits the time into the channel's part (HTTP, JSON) and the store's.
//!
//! The sandbox answers every orders call by walking all its orders, so its own time grows with
//! the square of the count: keep ORDERS in the thousands (default 2,000) and read the per-order
//! figures. The rate limit is lifted (bol.com's real one is far lower; see docs/benchmarks.md).
//!
//! Run: `cargo bench -p kanaal-sync --bench order_import_http` (ORDERS=n, BATCH=n).

#[path = "order_import_common/mod.rs"]
mod common;

use kanaal_channels::bol::{quick_poll, Bol, BolConfig};
use kanaal_channels::credentials::Credentials;
use kanaal_channels::http::ManualTimer;
use kanaal_core::clock::FixedClock;
use kanaal_core::store::Store;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sandbox::world::WorldProduct;
use kanaal_sandbox::{Sandbox, SandboxConfig};
use kanaal_sync::orders::pull_orders_timed;
use rust_decimal::Decimal;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PRODUCTS: usize = 1_000;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let orders = env_number("ORDERS", 2_000);
    let goods: Vec<WorldProduct> = (0..PRODUCTS)
        .map(|i| WorldProduct {
            sku: format!("SKU-{i}"),
            ean: kanaal_sandbox::world::ean13(&format!("87190{i:07}")),
            title: format!("Product {i}"),
            price: Decimal::TEN,
        })
        .collect();
    let sandbox = Sandbox::start_with_goods(
        SandboxConfig {
            seed: 5,
            faults: FaultPlan::none(),
            speed: 0.0,
        },
        goods.clone(),
    )
    .await?;
    let now = sandbox.clock().now();
    for n in 0..orders {
        let a = &goods[(n * 7) % PRODUCTS].sku;
        let b = &goods[(n * 7 + 13) % PRODUCTS].sku;
        let lines: Vec<(&str, u32)> = if n % 2 == 0 {
            vec![(a, 1)]
        } else {
            vec![(a, 1), (b, 1)]
        };
        sandbox.bol().place_order(&lines)?;
    }
    sandbox.bol().set_rate_limit(u32::MAX);

    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path())?;
    let catalog: Vec<(String, Option<String>)> = goods
        .iter()
        .map(|g| (g.sku.clone(), Some(g.ean.clone())))
        .collect();
    // Connected long before the world's first order: every sale counts.
    let (_shop, bol_id) = common::seed(&store, &catalog, now, now - chrono::Duration::days(365))?;

    let info = sandbox.platform("bol").ok_or("no bol sandbox")?;
    let mut config = BolConfig::new(
        &info.base_url,
        &info.base_url,
        Arc::new(FixedClock::at(now)),
    );
    config.http.timer = Arc::new(ManualTimer::new());
    config.http.timeout = Duration::from_secs(30);
    config.poll = quick_poll();
    let creds = Credentials::new()
        .with("client_id", &info.credentials["client_id"])
        .with("client_secret", &info.credentials["client_secret"]);
    let bol = Bol::new(config, &creds)?;
    let clock = FixedClock::at(now);

    let start = Instant::now();
    let (report, phases) = pull_orders_timed(&store, bol_id, &bol, &clock).await?;
    let took = start.elapsed();
    let n = report.new_orders.max(1) as f64;
    println!(
        "imported {} orders ({} stock moves, {} unknown lines) from the bol.com sandbox over HTTP in {} pages: {:.2} s ({:.0} orders/s); channel {:.0} µs/order, store {:.0} µs/order",
        report.new_orders,
        report.stock_moves,
        report.unknown_lines,
        report.pages,
        took.as_secs_f64(),
        n / took.as_secs_f64(),
        phases.fetch.as_secs_f64() * 1e6 / n,
        phases.store().as_secs_f64() * 1e6 / n,
    );
    common::print_phases(&phases);
    sandbox.shutdown().await;
    Ok(())
}
