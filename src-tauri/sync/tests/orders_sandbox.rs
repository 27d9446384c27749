//! Order import against both sandbox channels over HTTP: a repeated pull imports nothing twice
//! and moves stock once per line; a product that sells out on bol.com goes to 0 on Shopify
//! within one sync; lines whose SKU the catalog does not know are kept and flagged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::env;
use kanaal_core::clock::Clock;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sync::pull_orders;

fn count(e: &common::Env, sql: &str) -> i64 {
    e.store
        .read(|tx| Ok(tx.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pulling_twice_imports_each_order_once_and_moves_stock_once_per_line() {
    let e = env(31, FaultPlan::none(), 100).await;
    let before = e.stock();
    let first = pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    assert!(
        first.new_orders > 10,
        "the sandbox has bol orders: {first:?}"
    );
    let orders = count(&e, "SELECT COUNT(*) FROM orders");
    let lines = count(&e, "SELECT COUNT(*) FROM order_lines");
    let after_first = e.stock();

    // A second pull (cursor saved; and one from scratch, as after a lost cursor) adds nothing.
    let second = pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(second.new_orders, 0, "{second:?}");
    e.store
        .write(|tx| {
            tx.execute("DELETE FROM sync_cursors", [])?;
            Ok(())
        })
        .unwrap();
    let third = pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(third.new_orders, 0);
    assert!(third.unchanged_orders >= first.new_orders);
    assert_eq!(count(&e, "SELECT COUNT(*) FROM orders"), orders);
    assert_eq!(count(&e, "SELECT COUNT(*) FROM order_lines"), lines);
    assert_eq!(e.stock(), after_first, "stock moved by the first pull only");

    // Exactly what the world sold on bol.com, once.
    let sold = e.world_sold("bol");
    assert!(!sold.is_empty());
    for (sku, q) in &sold {
        assert_eq!(after_first[sku], before[sku] - q, "{sku}");
    }
    assert_eq!(after_first["MOK-SET-2"], 100, "unsold product untouched");
    assert_eq!(
        count(&e, "SELECT COUNT(*) FROM orders WHERE stock_applied = 1"),
        orders
    );

    // Lines of products the catalog does not have are kept, without a variant, and flagged.
    assert!(first.unknown_lines > 0);
    assert_eq!(
        count(
            &e,
            "SELECT COUNT(*) FROM order_lines WHERE variant_id IS NULL"
        ) as usize,
        first.unknown_lines
    );
    let world = e.sandbox.world();
    assert!(first.unknown_skus.iter().all(|s| world.products[4..]
        .iter()
        .any(|p| &p.sku == s || &p.ean == s)));
    // Customers as bol shows them: e-mail is a relay, phone hidden.
    let masked: String = e
        .store
        .read(|tx| {
            Ok(
                tx.query_row("SELECT masked_fields FROM customers LIMIT 1", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    assert!(
        masked.contains("email") && masked.contains("phone"),
        "{masked}"
    );
    assert_eq!(
        count(
            &e,
            "SELECT COUNT(*) FROM orders WHERE raw = '' OR raw = 'null'"
        ),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_sold_out_on_bol_shows_zero_on_shopify_after_one_sync() {
    let mut e = env(32, FaultPlan::none(), 50).await;
    e.publish_and_send().await;
    // Stock of the best seller on bol.com is exactly what bol.com has sold of it.
    let sold = e.world_sold("bol");
    let (sku, q) = sold.iter().max_by_key(|(_, q)| **q).unwrap();
    e.set_stock(sku, *q);
    let queued = kanaal_sync::queue_stock(&e.store, e.clock.as_ref()).unwrap();
    assert_eq!(queued, 2, "the lower stock goes to both channels");
    e.drain(e.shop_id).await;
    e.drain(e.bol_id).await;
    let shown = |e: &common::Env| {
        e.sandbox
            .shopify()
            .products()
            .iter()
            .flat_map(|p| p.variants.clone())
            .find(|(s, _)| s.as_deref() == Some(sku.as_str()))
            .unwrap()
            .1
    };
    assert_eq!(shown(&e), *q);

    let pulled = pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    assert!(pulled.stock_queued >= 1);
    assert_eq!(e.stock()[sku], 0, "sold out");
    let queued: String = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT o.payload FROM outbox o WHERE o.channel_id = ?1 AND o.operation = 'set_stock'
                   AND o.state = 'queued' AND o.payload LIKE '%' || ?2 || '%'",
                rusqlite::params![e.shop_id.0, sku],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert!(
        queued.contains(&format!("{{\"quantity\":0,\"sku\":\"{sku}\"}}")),
        "0 queued for Shopify: {queued}"
    );
    let report = e.sync(e.shop_id).await;
    assert!(report.outbox.sent >= 1, "{report:?}");
    assert_eq!(shown(&e), 0, "Shopify shows the product as sold out");
    let offer = e
        .sandbox
        .bol()
        .offers()
        .into_iter()
        .find(|o| o.reference.as_deref() == Some(sku.as_str()))
        .unwrap();
    assert_eq!(offer.stock, *q as u32, "bol.com not yet synced");
    e.sync(e.bol_id).await;
    let offer = e
        .sandbox
        .bol()
        .offers()
        .into_iter()
        .find(|o| o.reference.as_deref() == Some(sku.as_str()))
        .unwrap();
    assert_eq!(offer.stock, 0, "and bol.com after its own sync");
    // Only stock rows, one per listing: nothing piled up.
    assert_eq!(e.open_rows(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_orders_are_imported_with_customer_and_fees_and_stock_queued_for_bol() {
    let mut e = env(33, FaultPlan::none(), 40).await;
    e.publish_and_send().await;
    let report = e.sync(e.shop_id).await;
    let pulled = report
        .orders
        .clone()
        .unwrap_or_else(|| panic!("{report:?}"));
    assert!(pulled.new_orders > 5, "{pulled:?}");
    let sold = e.world_sold("shopify");
    let stock = e.stock();
    for (sku, q) in &sold {
        assert_eq!(stock[sku], 40 - q, "{sku}");
    }
    // Shopify shares the customer's e-mail and phone: nothing masked there.
    let masked: i64 = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT COUNT(*) FROM customers WHERE channel_id = ?1 AND masked_fields LIKE '%email%'",
                [e.shop_id.0],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(masked, 0);
    let r = e.sync(e.bol_id).await;
    assert!(r.outbox.sent >= sold.len(), "{r:?}");
    for (sku, q) in &sold {
        let offer = e
            .sandbox
            .bol()
            .offers()
            .into_iter()
            .find(|o| o.reference.as_deref() == Some(sku.as_str()))
            .unwrap();
        let bol_sold = e.world_sold("bol").get(sku).copied().unwrap_or(0);
        assert_eq!(i64::from(offer.stock), 40 - q - bol_sold, "{sku}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mark_shipped_reaches_bol_with_carrier_and_tracking_and_the_order_shows_shipped() {
    let mut e = env(33, FaultPlan::none(), 100).await;
    pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    let (order, remote): (i64, String) = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT id, remote_id FROM orders WHERE channel_id = ?1 AND status = 'open' ORDER BY id LIMIT 1",
                [e.bol_id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    e.store
        .write(|tx| {
            kanaal_core::orders::shipping::queue_shipment(
                tx,
                kanaal_core::ids::OrderId(order),
                "postnl",
                "3S-ABCD-1234567",
                e.clock.now(),
            )
        })
        .unwrap();
    let report = e.drain(e.bol_id).await;
    assert_eq!(
        report.failed, 0,
        "the shipment is sent, not refused: {report:?}"
    );
    let shipped: Vec<_> = e
        .sandbox
        .bol()
        .shipments()
        .into_iter()
        .filter(|s| s.order_id == remote)
        .collect();
    assert_eq!(shipped.len(), 1, "bol.com has one shipment for the order");
    assert_eq!(
        shipped[0].transporter_code.as_deref(),
        Some("TNT"),
        "PostNL is bol's TNT"
    );
    assert_eq!(shipped[0].track_and_trace.as_deref(), Some("3SABCD1234567"));
    let status: String = e
        .store
        .read(|tx| {
            Ok(
                tx.query_row("SELECT status FROM orders WHERE id = ?1", [order], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    assert_eq!(status, "shipped", "the inbox shows it shipped at once");
}
