//! Publishing the catalog to both sandbox channels over HTTP: after one confirm and one drain
//! each channel shows exactly the intended listings (read back through the connectors), the
//! mirror keeps the channel's ids, and publishing again sends nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::env;
use kanaal_channels::Channel;
use kanaal_core::publish::Action;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sync::publish;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_puts_exactly_the_catalog_on_both_channels_and_repeating_sends_nothing() {
    let mut e = env(21, FaultPlan::none(), 7).await;
    e.set_buffer(e.shop_id, 2);
    e.publish_all();

    let shop = e.drain(e.shop_id).await;
    let bol = e.drain(e.bol_id).await;
    assert_eq!(shop.sent, 5, "five products to Shopify: {shop:?}");
    assert_eq!(bol.sent, 6, "six variants (offers) to bol.com: {bol:?}");
    assert!(shop.quiet() && bol.quiet());

    // Shopify: one product per catalog product, each variant's stock after the 2-unit buffer.
    assert_eq!(
        e.sandbox.shopify().products_created(),
        5,
        "no duplicate product"
    );
    let products = e.sandbox.shopify().products();
    assert_eq!(products.len(), 5);
    let set = products.iter().find(|p| p.handle == "mok-set").unwrap();
    assert_eq!(
        set.variants,
        vec![(Some("MOK-SET-2".into()), 5), (Some("MOK-SET-4".into()), 5)],
        "both variants, 7 on hand minus the buffer of 2"
    );
    let shop_live = common::live_listings(&e.shopify).await;
    let by_sku: BTreeMap<_, _> = shop_live
        .iter()
        .filter_map(|l| Some((l.sku.clone()?, l)))
        .collect();
    let world = e.sandbox.world().clone();
    for &i in &common::WORLD_PRODUCTS {
        let p = &world.products[i];
        let l = by_sku
            .get(&p.sku)
            .unwrap_or_else(|| panic!("{} live on Shopify", p.sku));
        assert_eq!(l.title.as_deref(), Some(p.title.as_str()));
        assert_eq!(l.price.map(|m| m.amount), Some(p.price));
        assert_eq!(l.stock, Some(5));
    }

    // bol.com: one offer per EAN, price and full stock (no buffer there).
    let offers = e.sandbox.bol().offers();
    assert_eq!(offers.len(), 6, "one offer per variant, none twice");
    let bol_live = common::live_listings(&e.bol).await;
    assert_eq!(bol_live.len(), 6);
    for &i in &common::WORLD_PRODUCTS {
        let p = &world.products[i];
        let l = bol_live
            .iter()
            .find(|l| l.gtin.as_deref() == Some(p.ean.as_str()))
            .unwrap();
        assert_eq!(l.price.map(|m| m.amount), Some(p.price));
        assert_eq!(l.stock, Some(7));
        assert_eq!(l.sku.as_deref(), Some(p.sku.as_str()));
    }
    let mok4 = bol_live
        .iter()
        .find(|l| l.sku.as_deref() == Some("MOK-SET-4"))
        .unwrap();
    assert_eq!(mok4.price.map(|m| m.amount), Some(Decimal::new(4495, 2)));

    // Every listing is live with the channel's id in the row and in the mirror.
    let (live_rows, with_remote): (i64, i64) = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT COUNT(*), SUM(json_extract(m.payload, '$.remote.remote_id') = l.remote_id)
                 FROM listings l JOIN listing_mirror m ON m.listing_id = l.id WHERE l.state = 'live'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!((live_rows, with_remote), (11, 11));

    // Nothing changed: the next plan is empty and a drain sends nothing.
    for ch in [e.shop_id, e.bol_id] {
        let plan = publish::plan(&e.store, ch, &e.connector(ch).limits()).unwrap();
        assert!(
            plan.listings.iter().all(|l| l.action == Action::Nothing),
            "nothing to send after a publish: {:?}",
            plan.listings
                .iter()
                .filter(|l| l.action != Action::Nothing)
                .collect::<Vec<_>>()
        );
    }
    assert_eq!(
        kanaal_sync::queue_stock(&e.store, e.clock.as_ref()).unwrap(),
        0
    );
    let again = e.drain(e.shop_id).await;
    assert_eq!(again.sent + again.adopted, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_edit_is_sent_as_an_update_and_a_refused_one_fails_with_the_channels_reason() {
    let mut e = env(22, FaultPlan::none(), 3).await;
    e.publish_all();
    e.drain(e.bol_id).await;
    // Change a price in the catalog: the plan shows it, the drain sends an update.
    e.store
        .write(|tx| {
            tx.execute(
                "UPDATE variants SET price = '13.45', change_counter = change_counter + 1 WHERE sku = 'MOK-SET-2'",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    let plan = publish::plan(&e.store, e.bol_id, &e.bol.limits()).unwrap();
    let changed: Vec<_> = plan
        .listings
        .iter()
        .filter(|l| l.action == Action::Update)
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].changes[0].field, "variants[MOK-SET-2].price");
    publish::confirm(&e.store, &plan, e.clock.as_ref()).unwrap();
    let r = e.drain(e.bol_id).await;
    assert_eq!(r.sent, 1, "{r:?}");
    let offer = e
        .sandbox
        .bol()
        .offers()
        .into_iter()
        .find(|o| o.reference.as_deref() == Some("MOK-SET-2"))
        .unwrap();
    assert_eq!(offer.unit_price, Some(Decimal::new(1345, 2)));

    // A price bol.com refuses (over its maximum) is blocked by the plan before sending...
    e.store
        .write(|tx| {
            tx.execute(
                "UPDATE variants SET price = '12000.00', change_counter = change_counter + 1 WHERE sku = 'MOK-SET-4'",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    let plan = publish::plan(&e.store, e.bol_id, &e.bol.limits()).unwrap();
    let blocked: Vec<_> = plan.listings.iter().filter(|l| l.blocked()).collect();
    assert_eq!(blocked.len(), 1);
    assert!(
        matches!(
            blocked[0].problems[0].kind,
            kanaal_core::publish::ProblemKind::PriceAboveMaximum { .. }
        ),
        "{:?}",
        blocked[0].problems
    );
    assert!(blocked[0].problems[0].message().contains("maximum"));
    let c = publish::confirm(&e.store, &plan, e.clock.as_ref()).unwrap();
    assert_eq!(
        (c.queued, c.blocked),
        (0, 1),
        "a blocked listing is not queued"
    );

    // ...and one the channel itself refuses (a queued price under bol.com's minimum) fails with
    // bol's reason per field, the listing marked rejected, and is not retried.
    let (listing, payload): (i64, String) = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT o.listing_id, o.payload FROM outbox o JOIN listings l ON l.id = o.listing_id
                 JOIN variants v ON v.id = l.variant_id WHERE v.sku = 'MOK-SET-4' AND o.operation = 'create'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    let mut payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
    payload["listing"]["variants"][0]["price"] = serde_json::json!("0.50");
    e.store
        .write(|tx| {
            tx.execute(
                "INSERT INTO outbox (channel_id, listing_id, batch_id, operation, payload, idempotency_key, state, created_at, updated_at)
                 VALUES (?1, ?2, 'test', 'update', ?3, 'test-reject', 'queued', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                rusqlite::params![e.bol_id.0, listing, payload.to_string()],
            )?;
            Ok(())
        })
        .unwrap();
    let r = e.drain(e.bol_id).await;
    assert_eq!((r.failed, r.retry_later), (1, 0), "{r:?}");
    assert!(r.rows[0].message.as_deref().unwrap().contains("bol.com"));
    let (state, error, listing_state): (String, String, String) = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT o.state, o.last_error, l.state FROM outbox o JOIN listings l ON l.id = o.listing_id
                 WHERE o.idempotency_key = 'test-reject'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(state, "failed");
    assert_eq!(listing_state, "rejected");
    let error: serde_json::Value = serde_json::from_str(&error).unwrap();
    assert_eq!(error["kind"], "rejected");
    let fields = error["fields"].as_object().unwrap();
    assert_eq!(
        fields.len(),
        1,
        "the refused field with its reason: {error}"
    );
    assert!(
        fields
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .contains("0.50"),
        "{error}"
    );
    let again = e.drain(e.bol_id).await;
    assert_eq!(again.rows.len(), 0, "a refused row is not sent again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_leaves_rows_visibly_waiting_with_backoff_and_they_go_out_when_it_is_over() {
    let mut e = env(23, FaultPlan::parse("503:1").unwrap(), 4).await;
    e.publish_all();
    let down = e.drain(e.bol_id).await;
    assert_eq!(
        (down.retry_later, down.sent, down.failed),
        (6, 0, 0),
        "{down:?}"
    );
    let now = {
        use kanaal_core::clock::Clock;
        e.clock.now()
    };
    let rows: Vec<(String, i64, String, String)> = e
        .store
        .read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT state, attempts, next_attempt_at, last_error FROM outbox WHERE channel_id = ?1",
            )?;
            let rows = stmt.query_map([e.bol_id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert_eq!(rows.len(), 6);
    for (state, attempts, next, error) in &rows {
        assert_eq!(
            (state.as_str(), *attempts),
            ("waiting", 1),
            "kept, visibly waiting"
        );
        let next = chrono::DateTime::parse_from_rfc3339(next).unwrap();
        assert!(next > now, "retried later, not now");
        let error: serde_json::Value = serde_json::from_str(error).unwrap();
        assert_eq!(error["kind"], "platform_down", "{error}");
        assert!(error["message"]
            .as_str()
            .unwrap()
            .contains("tries again later"));
    }

    // Before the wait is over nothing is sent; once it is and bol.com is back, everything goes.
    let early = e.drain(e.bol_id).await;
    assert_eq!(early.sent + early.retry_later, 0, "{early:?}");
    e.sandbox.faults().set_plan(FaultPlan::none());
    e.clock.advance(chrono::Duration::hours(2));
    let back = e.drain(e.bol_id).await;
    assert_eq!(back.sent, 6, "{back:?}");
    assert_eq!(e.sandbox.bol().offers().len(), 6);

    // A cancelled drain sends nothing and leaves the rows queued.
    let cancel = kanaal_core::progress::CancelToken::new();
    cancel.cancel();
    let r = kanaal_sync::drain_outbox(
        &e.store,
        e.shop_id,
        &e.shopify,
        e.clock.as_ref(),
        &mut e.rng,
        &cancel,
        &kanaal_core::progress::NoProgress,
    )
    .await
    .unwrap();
    assert!(r.cancelled && r.sent == 0);
    assert_eq!(e.open_rows(), 5, "Shopify's five rows still queued");
}
