//! Benchmark: publishing N products (two variants each) to the Shopify sandbox at its default
//! cost bucket, compared with the least time that bucket allows. Run:
//! `cargo bench -p kanaal-channels --bench shopify_publish -- 1000` (N defaults to 1000).
//!
//! The bucket is real time, so this takes as long as the limit says (about 80 s for 1000).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use kanaal_channels::credentials::Secret;
use kanaal_channels::http::HttpConfig;
use kanaal_channels::model::{ListingDraft, VariantDraft};
use kanaal_channels::shopify::ShopifyChannel;
use kanaal_channels::Channel;
use kanaal_core::money::Money;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sandbox::shopify::bucket::BucketConfig;
use kanaal_sandbox::{Sandbox, SandboxConfig};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::time::Instant;

fn variant(sku: String, value: &str, cents: i64) -> VariantDraft {
    VariantDraft {
        sku,
        gtin: None,
        option_values: vec![value.into()],
        price: Money::eur(Decimal::new(cents, 2)),
        compare_at_price: None,
        stock: 3,
        weight_grams: None,
    }
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let sb = Sandbox::start(SandboxConfig {
            seed: 1,
            faults: FaultPlan::none(),
            speed: 1.0,
        })
        .await
        .unwrap();
        let info = sb.platform("shopify").unwrap().clone();
        let c = ShopifyChannel::new(
            HttpConfig::new("Shopify", &info.base_url),
            Secret::new(info.credentials["access_token"].clone()),
        )
        .unwrap();
        let start = Instant::now();
        let mut failed = 0;
        for i in 0..n {
            let d = ListingDraft {
                handle: format!("bench-{i}"),
                title: format!("Koffie {i}"),
                description: String::new(),
                brand: "Branderij De Gracht".into(),
                options: vec!["Gewicht".into()],
                variants: vec![
                    variant(format!("B{i}-250"), "250 g", 895),
                    variant(format!("B{i}-1000"), "1 kg", 2995),
                ],
                attributes: BTreeMap::new(),
            };
            if c.create_listing(&d).await.is_err() {
                failed += 1;
            }
        }
        let took = start.elapsed().as_secs_f64();
        // Points spent: one 10-point productSet per product plus the 3-point location lookup.
        let bucket = BucketConfig::default();
        let points = (n * 10 + 3) as f64;
        let minimum = ((points - bucket.maximum) / bucket.restore_rate).max(0.0);
        println!(
            "shopify publish: {n} products in {took:.2} s; the bucket ({} points, {}/s) allows {minimum:.2} s at best; ratio {:.3}; failed calls {failed}; products in the shop {}",
            bucket.maximum,
            bucket.restore_rate,
            if minimum > 0.0 { took / minimum } else { f64::NAN },
            sb.shopify().products().len()
        );
    });
}
