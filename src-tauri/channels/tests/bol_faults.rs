//! Under the sandbox with 20% of calls hit by a fault (429, 500, 503, slow, dropped, or "done
//! but the answer lost"), each connector call either succeeds once or fails with a transient
//! kind — and never leaves a duplicate offer or shipment behind. Sending the failed calls again
//! once the faults stop completes them, still without duplicates.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kanaal_channels::bol::{quick_poll, Bol, BolConfig};
use kanaal_channels::credentials::Credentials;
use kanaal_channels::http::ManualTimer;
use kanaal_channels::model::*;
use kanaal_channels::Channel;
use kanaal_core::clock::FixedClock;
use kanaal_core::money::Money;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sandbox::{Sandbox, SandboxConfig};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;

fn draft(ean: &str, sku: &str, price: Decimal) -> ListingDraft {
    ListingDraft {
        handle: sku.to_lowercase(),
        title: format!("Product {sku}"),
        description: String::new(),
        brand: String::new(),
        options: vec![],
        variants: vec![VariantDraft {
            sku: sku.into(),
            gtin: Some(ean.into()),
            option_values: vec![],
            price: Money::eur(price),
            compare_at_price: None,
            stock: 5,
            weight_grams: None,
        }],
        attributes: BTreeMap::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_20_percent_faults_calls_succeed_once_or_fail_transiently_and_never_duplicate() {
    for seed in [11u64, 12, 13] {
        let sandbox = Sandbox::start(SandboxConfig {
            seed,
            faults: FaultPlan::rate(0.2),
            speed: 0.0,
        })
        .await
        .unwrap();
        let info = sandbox.platform("bol").unwrap().clone();
        let mut config = BolConfig::new(
            &info.base_url,
            &info.base_url,
            Arc::new(FixedClock::at(sandbox.clock().now())),
        );
        config.http.timer = Arc::new(ManualTimer::new());
        config.http.seed = seed;
        config.poll = quick_poll();
        let creds = Credentials::new()
            .with("client_id", &info.credentials["client_id"])
            .with("client_secret", &info.credentials["client_secret"]);
        let bol = Bol::new(config, &creds).unwrap();

        let products = sandbox.world().products.clone();
        let mut pending = Vec::new();
        for p in &products {
            match bol.create_listing(&draft(&p.ean, &p.sku, p.price)).await {
                Ok(listing) => {
                    let same: Vec<_> = sandbox
                        .bol()
                        .offers()
                        .into_iter()
                        .filter(|o| o.ean == p.ean)
                        .collect();
                    assert_eq!(
                        same.len(),
                        1,
                        "seed {seed}: a successful create leaves exactly one offer for {}",
                        p.ean
                    );
                    assert_eq!(
                        same[0].offer_id, listing.remote_id,
                        "seed {seed}: and returns its id"
                    );
                }
                Err(e) => {
                    assert!(
                        e.is_transient(),
                        "seed {seed}: faults must give a transient failure, got {e:?}"
                    );
                    let n = sandbox
                        .bol()
                        .offers()
                        .iter()
                        .filter(|o| o.ean == p.ean)
                        .count();
                    assert!(n <= 1, "seed {seed}: never two offers for {}", p.ean);
                    pending.push(p.clone());
                }
            }
        }

        // Ship a few orders under faults, each once with its own reference.
        let orders = loop {
            match bol.orders_since(None).await {
                Ok(page) => break page.orders,
                Err(e) => assert!(e.is_transient(), "seed {seed}: {e:?}"),
            }
        };
        let mut unshipped = Vec::new();
        for (i, o) in orders.iter().take(6).enumerate() {
            let s = Shipment {
                order_remote_id: o.remote_id.clone(),
                lines: vec![],
                carrier: Carrier::Dhl,
                tracking: format!("JVGL{i:08}"),
                reference: format!("KANAAL-{seed}-{i}"),
            };
            if let Err(e) = bol.mark_shipped(&s).await {
                assert!(
                    e.is_transient(),
                    "seed {seed}: shipping under faults fails transiently, got {e:?}"
                );
                unshipped.push(s);
            }
        }

        // Cancel a few others under faults: a lost answer is found cancelled on the retry.
        let mut uncancelled = Vec::new();
        for o in orders.iter().skip(6).take(4) {
            let c = Cancellation {
                order_remote_id: o.remote_id.clone(),
                lines: vec![],
                reason: CancelReason::OutOfStock,
            };
            if let Err(e) = bol.cancel_order(&c).await {
                assert!(
                    e.is_transient(),
                    "seed {seed}: cancelling under faults fails transiently, got {e:?}"
                );
                uncancelled.push(c);
            }
        }
        // Reads under faults: payouts (invoices) and the order sync succeed or fail transiently.
        let from = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let to = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        if let Err(e) = bol.payouts(from, to).await {
            assert!(e.is_transient(), "seed {seed}: payouts under faults: {e:?}");
        }
        let faults_hit = sandbox.faults().injected().len();
        assert!(
            faults_hit > 5,
            "seed {seed}: the run really met faults ({faults_hit})"
        );

        // The outbox sends the failed calls again once the platform behaves.
        sandbox.faults().set_plan(FaultPlan::none());
        for p in &pending {
            bol.create_listing(&draft(&p.ean, &p.sku, p.price))
                .await
                .unwrap();
        }
        for s in &unshipped {
            bol.mark_shipped(s).await.unwrap();
        }
        for c in &uncancelled {
            bol.cancel_order(c).await.unwrap();
        }
        let cancelled: Vec<String> = sandbox
            .bol()
            .cancellations()
            .into_iter()
            .map(|(item, _)| item)
            .collect();
        let lines: usize = orders.iter().skip(6).take(4).map(|o| o.lines.len()).sum();
        let mut distinct = cancelled.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(
            (cancelled.len(), distinct.len()),
            (lines, lines),
            "seed {seed}: every line of the four orders cancelled exactly once"
        );
        let payouts = bol.payouts(from, to).await.unwrap();
        assert_eq!(
            payouts.len(),
            2,
            "seed {seed}: September and October invoices"
        );
        let offers = sandbox.bol().offers();
        assert_eq!(
            offers.len(),
            products.len(),
            "seed {seed}: one offer per product, no more, no less"
        );
        let shipments = sandbox.bol().shipments();
        let mut refs: Vec<_> = shipments
            .iter()
            .filter_map(|s| s.reference.clone())
            .collect();
        refs.sort();
        refs.dedup();
        assert_eq!(
            refs.len(),
            shipments.len(),
            "seed {seed}: no shipment made twice"
        );
        assert_eq!(
            shipments.len(),
            orders.len().min(6),
            "seed {seed}: every order shipped once"
        );
        sandbox.shutdown().await;
    }
}
