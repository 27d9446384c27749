//! Under faults and after crashes the engine converges to exactly the intended remote state:
//! - with 20% of calls hit by 429 + Retry-After, 5xx, slow answers, dropped connections and
//!   "done but the answer lost", a publish followed by sync rounds until quiet leaves one product
//!   per catalog product on Shopify and one offer per EAN on bol.com with the right price and
//!   stock, every order imported once and stock moved once per line;
//! - a row left in 'sending' by a crash after the channel made the change is adopted, not made
//!   a second time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::env;
use kanaal_core::publish::RenderedListing;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sync::remote;
use kanaal_sync::RowOutcome;
use std::collections::BTreeMap;

fn count(e: &common::Env, sql: &str) -> i64 {
    e.store
        .read(|tx| Ok(tx.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_20_percent_faults_publish_and_sync_converge_to_exactly_the_intended_state() {
    for seed in [41u64, 42] {
        let initial = 30;
        let mut e = env(seed, FaultPlan::rate(0.2), initial).await;
        e.publish_all();
        let rounds = e.run_until_quiet(40).await;
        assert!(
            e.sandbox.faults().injected().len() > 10,
            "seed {seed}: the run really met faults"
        );

        // Stock: every order line moved once.
        let stock = e.stock();
        let bol_sold = e.world_sold("bol");
        let shop_sold = e.world_sold("shopify");
        for &i in &common::WORLD_PRODUCTS {
            let sku = &e.sandbox.world().products[i].sku;
            let sold = bol_sold.get(sku).unwrap_or(&0) + shop_sold.get(sku).unwrap_or(&0);
            assert_eq!(stock[sku], initial - sold, "seed {seed}: stock of {sku}");
        }
        // Orders: each once (the UNIQUE key would refuse a second copy; count against the world).
        let now = e.sandbox.clock().now();
        let bol_orders = e.sandbox.world().purchases_on("bol", now).count() as i64;
        assert_eq!(
            count(
                &e,
                &format!(
                    "SELECT COUNT(*) FROM orders WHERE channel_id = {}",
                    e.bol_id.0
                )
            ),
            bol_orders,
            "seed {seed}: every bol.com order once"
        );
        assert_eq!(
            count(&e, "SELECT COUNT(*) FROM orders WHERE stock_applied = 1"),
            count(
                &e,
                "SELECT COUNT(*) FROM orders WHERE status != 'cancelled'"
            )
        );

        // Shopify: five products, none made twice, stock as the catalog says.
        assert_eq!(
            e.sandbox.shopify().products_created(),
            5,
            "seed {seed}: no duplicate product"
        );
        let shown: BTreeMap<String, i64> = e
            .sandbox
            .shopify()
            .products()
            .into_iter()
            .flat_map(|p| p.variants)
            .filter_map(|(s, q)| Some((s?, q)))
            .collect();
        let expect: BTreeMap<String, i64> = stock
            .iter()
            .map(|(s, q)| (s.clone(), (*q).max(0)))
            .collect();
        assert_eq!(shown, expect, "seed {seed}: Shopify stock");

        // bol.com: one offer per EAN, price and stock as intended.
        let offers = e.sandbox.bol().offers();
        assert_eq!(
            offers.len(),
            6,
            "seed {seed}: one offer per variant: {offers:?}"
        );
        let skus: std::collections::BTreeSet<_> =
            offers.iter().filter_map(|o| o.reference.clone()).collect();
        assert_eq!(skus.len(), 6, "seed {seed}: no EAN offered twice");
        for o in &offers {
            let sku = o.reference.clone().unwrap();
            assert_eq!(
                i64::from(o.stock),
                expect[&sku],
                "seed {seed}: bol stock of {sku}"
            );
        }
        let world = e.sandbox.world().clone();
        for &i in &common::WORLD_PRODUCTS {
            let p = &world.products[i];
            let o = offers.iter().find(|o| o.ean == p.ean).unwrap();
            assert_eq!(
                o.unit_price,
                Some(p.price),
                "seed {seed}: price of {}",
                p.sku
            );
        }
        // The outbox settled every row: nothing failed, nothing left behind.
        assert_eq!(
            count(&e, "SELECT COUNT(*) FROM outbox WHERE state = 'failed'"),
            0
        );
        assert!(rounds >= 1);
        let integrity: String = e
            .store
            .read(|tx| Ok(tx.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(integrity, "ok");
    }
}

/// Marks the queued create row of the listing holding `sku` as 'sending' (a crash during the
/// call) after making the change on the channel directly (the call went through).
async fn crash_after_create(e: &common::Env, channel: kanaal_core::ids::ChannelId, sku: &str) {
    let (id, payload): (i64, String) = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT o.id, o.payload FROM outbox o WHERE o.channel_id = ?1 AND o.operation = 'create'
                   AND json_extract(o.payload, '$.listing.variants[0].sku') = ?2",
                rusqlite::params![channel.0, sku],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let rendered: RenderedListing = serde_json::from_value(payload["listing"].clone()).unwrap();
    let connector = e.connector(channel);
    connector
        .create_listing(&remote::draft(&rendered, connector.limits().max_stock))
        .await
        .unwrap();
    e.store
        .write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'sending', attempts = 1 WHERE id = ?1",
                [id],
            )?;
            Ok(())
        })
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_left_sending_by_a_crash_is_adopted_not_created_twice() {
    let mut e = env(43, FaultPlan::none(), 9).await;
    e.publish_all();
    let sku = e.sandbox.world().products[0].sku.clone();
    crash_after_create(&e, e.bol_id, &sku).await;
    crash_after_create(&e, e.shop_id, &sku).await;
    assert_eq!(e.sandbox.bol().offers().len(), 1);
    assert_eq!(e.sandbox.shopify().products_created(), 1);

    let bol = e.drain(e.bol_id).await;
    let adopted: Vec<_> = bol
        .rows
        .iter()
        .filter(|r| r.outcome == RowOutcome::Adopted)
        .collect();
    assert_eq!(
        adopted.len(),
        1,
        "bol.com: the offer found by EAN is adopted: {bol:?}"
    );
    assert_eq!(bol.sent + bol.adopted, 6);
    let offers = e.sandbox.bol().offers();
    assert_eq!(offers.len(), 6, "one offer per EAN, none twice");
    let offer = offers
        .iter()
        .find(|o| o.reference.as_deref() == Some(sku.as_str()))
        .unwrap();
    let remote: String = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT l.remote_id FROM listings l JOIN variants v ON v.id = l.variant_id
                 WHERE l.channel_id = ?1 AND v.sku = ?2",
                rusqlite::params![e.bol_id.0, sku],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(
        remote, offer.offer_id,
        "the listing knows the adopted offer"
    );

    let shop = e.drain(e.shop_id).await;
    assert_eq!(shop.sent + shop.adopted, 5, "{shop:?}");
    assert_eq!(
        e.sandbox.shopify().products_created(),
        5,
        "Shopify: the repeated create found its product by handle"
    );
    assert_eq!(
        count(&e, "SELECT COUNT(*) FROM outbox WHERE state != 'done'"),
        0
    );
}
