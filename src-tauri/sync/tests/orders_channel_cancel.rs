//! Cancellations made on the channel itself while the order stays open, against the sandboxes
//! over HTTP: bol.com cancels units of one order item (the customer cancelled through bol) and
//! the customer asks to cancel another (`cancellationRequest`), Shopify has a line refunded in
//! its admin (`currentQuantity` goes down). The import records the cancelled units on the line,
//! puts exactly those units back on the shelf once — also when Kanaal cancels the rest of the
//! line afterwards, or Kanaal's own cancel came first — queues the new availability for the
//! other channel, and the inbox shows the request. Per-line deadlines: the order's ship-by is
//! its earliest open line's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::env;
use kanaal_channels::model::{
    CancelReason, ChannelOrder, Customer, OrderCursor, OrderLine, OrderStatus,
};
use kanaal_core::clock::Clock;
use kanaal_core::ids::OrderId;
use kanaal_core::money::Money;
use kanaal_core::orders::{self, cancel, Deadline, OrderQuery};
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sync::pull_orders;
use rust_decimal::Decimal;

fn order_id(e: &common::Env, remote: &str) -> i64 {
    e.store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT id FROM orders WHERE remote_id = ?1",
                [remote],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

/// The channel's id of line `no` of order `order`.
fn remote_line(e: &common::Env, order: i64, no: u32) -> String {
    e.store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT remote_line_id FROM order_lines WHERE order_id = ?1 AND line_no = ?2",
                rusqlite::params![order, no],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

fn queued_stock_for(
    e: &common::Env,
    channel: kanaal_core::ids::ChannelId,
    sku: &str,
    quantity: i64,
) -> bool {
    e.store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE channel_id = ?1 AND operation = 'set_stock'
                   AND state = 'queued' AND payload LIKE '%' || ?2 || '%')",
                rusqlite::params![
                    channel.0,
                    format!("{{\"quantity\":{quantity},\"sku\":\"{sku}\"}}")
                ],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bol_units_cancelled_on_bol_come_back_once_and_a_customer_request_is_shown() {
    let mut e = env(51, FaultPlan::none(), 50).await;
    e.publish_and_send().await;
    pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    let world = e.sandbox.world().products.clone();
    let (a, b) = (world[0].sku.clone(), world[1].sku.clone());
    let before = e.stock();

    let remote = e.sandbox.bol().place_order(&[(&a, 3), (&b, 1)]).unwrap();
    pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    let order = order_id(&e, &remote);
    assert_eq!(e.stock()[&a], before[&a] - 3);

    // The customer cancels one of the three A's through bol; the rest of the order stays open.
    e.sandbox
        .bol()
        .cancel_item(&remote_line(&e, order, 1), Some(1))
        .unwrap();
    let pulled = pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(pulled.updated_orders, 1, "{pulled:?}");
    assert_eq!(
        e.stock()[&a],
        before[&a] - 2,
        "exactly the cancelled unit is back"
    );
    assert_eq!(e.stock()[&b], before[&b] - 1);
    assert!(
        queued_stock_for(&e, e.shop_id, &a, before[&a] - 2),
        "A's new availability is queued for Shopify"
    );
    let now = e.clock.now();
    let detail = e
        .store
        .read(|tx| orders::detail(tx, OrderId(order), now))
        .unwrap();
    assert_eq!(detail.row.status, "open");
    assert!(detail.row.needs_shipping);
    assert_eq!(detail.row.lines_cancelled, 1);
    assert_eq!(detail.lines[0].cancelled, 1);
    assert_eq!(detail.lines[1].cancelled, 0);

    // Reading the same order again moves nothing.
    pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(e.stock()[&a], before[&a] - 2);

    // The customer asks to cancel B: the inbox shows it, and the merchant answers with one
    // click (reason "requested by customer").
    e.sandbox
        .bol()
        .request_cancellation(&remote_line(&e, order, 2))
        .unwrap();
    pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    let page = e
        .store
        .read(|tx| {
            orders::list(
                tx,
                &OrderQuery {
                    search: remote.clone(),
                    ..Default::default()
                },
                now,
            )
        })
        .unwrap();
    assert_eq!(page.rows[0].cancel_requests, 1);
    let detail = e
        .store
        .read(|tx| orders::detail(tx, OrderId(order), now))
        .unwrap();
    assert!(!detail.lines[0].cancel_requested);
    assert!(detail.lines[1].cancel_requested);
    e.store
        .write(|tx| {
            cancel::queue_cancel(
                tx,
                OrderId(order),
                &[2],
                orders::cancel::CancelReason::RequestedByCustomer,
                now,
            )
        })
        .unwrap();
    let report = e.drain(e.bol_id).await;
    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!(
        e.sandbox.bol().cancellations().last().unwrap().1,
        "REQUESTED_BY_CUSTOMER"
    );
    assert_eq!(e.stock()[&b], before[&b], "B is back on the shelf");

    // Kanaal cancels the two A's left: only those two come back, not the one bol cancelled.
    e.store
        .write(|tx| cancel::queue_cancel(tx, OrderId(order), &[1], CancelReason::OutOfStock, now))
        .unwrap();
    let report = e.drain(e.bol_id).await;
    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!(e.stock()[&a], before[&a], "all three A's back, each once");
    pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(e.stock()[&a], before[&a]);
    assert_eq!(e.stock()[&b], before[&b]);
    let detail = e
        .store
        .read(|tx| orders::detail(tx, OrderId(order), now))
        .unwrap();
    assert_eq!(detail.row.status, "cancelled");
    assert_eq!(detail.row.cancel_requests, 0, "the request was answered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_kanaal_cancelled_first_is_not_returned_again_when_bol_reports_it() {
    let mut e = env(52, FaultPlan::none(), 50).await;
    pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    let world = e.sandbox.world().products.clone();
    let (a, b) = (world[2].sku.clone(), world[3].sku.clone());
    let before = e.stock();
    let remote = e.sandbox.bol().place_order(&[(&a, 2), (&b, 1)]).unwrap();
    pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    let order = order_id(&e, &remote);
    let now = e.clock.now();
    e.store
        .write(|tx| cancel::queue_cancel(tx, OrderId(order), &[1], CancelReason::OutOfStock, now))
        .unwrap();
    let report = e.drain(e.bol_id).await;
    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!(e.stock()[&a], before[&a], "returned on bol's confirmation");
    // The import then reads line 1 cancelled on bol while the order stays open.
    let pulled = pull_orders(&e.store, e.bol_id, &e.bol, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(pulled.stock_queued, 0, "nothing moved: {pulled:?}");
    assert_eq!(e.stock()[&a], before[&a], "not returned twice");
    assert_eq!(e.stock()[&b], before[&b] - 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopify_line_refunded_in_the_admin_returns_its_units_and_the_order_stays_open() {
    let e = env(53, FaultPlan::none(), 50).await;
    pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    // An open Shopify order with a line of a product the catalog knows.
    let (order, remote, sku, quantity): (i64, String, String, i64) = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT o.id, o.remote_id, l.sku, l.quantity FROM orders o
                   JOIN order_lines l ON l.order_id = o.id
                  WHERE o.channel_id = ?1 AND o.status = 'open' AND o.stock_applied = 1
                    AND l.variant_id IS NOT NULL
                  ORDER BY o.id, l.line_no LIMIT 1",
                [e.shop_id.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?)
        })
        .unwrap();
    let before = e.stock()[&sku];
    e.sandbox
        .clock()
        .advance(std::time::Duration::from_secs(60));
    e.sandbox
        .shopify()
        .refund_in_admin(&remote, &sku, 1)
        .unwrap();
    e.clock.advance(chrono::Duration::minutes(1));
    pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(e.stock()[&sku], before + 1, "the refunded unit is back");
    let now = e.clock.now();
    let detail = e
        .store
        .read(|tx| orders::detail(tx, OrderId(order), now))
        .unwrap();
    assert_eq!(detail.row.status, "open");
    let line = detail
        .lines
        .iter()
        .find(|l| l.sku.as_deref() == Some(sku.as_str()))
        .unwrap();
    assert_eq!(line.cancelled, 1);
    assert_eq!(i64::from(line.quantity), quantity);
    // Refunding more than is open is refused by Shopify, and a repeated pull moves nothing.
    assert!(e
        .sandbox
        .shopify()
        .refund_in_admin(&remote, &sku, 99)
        .is_err());
    pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(e.stock()[&sku], before + 1);
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
}

fn line(id: &str, sku: &str, cancelled: u32, ship_by: Option<DateTime<Utc>>) -> OrderLine {
    OrderLine {
        remote_id: id.into(),
        sku: Some(sku.into()),
        gtin: None,
        title: sku.into(),
        quantity: 2,
        quantity_shipped: 0,
        quantity_cancelled: cancelled,
        unit_price: Money::eur(Decimal::TEN),
        fee: None,
        cancellation_requested: false,
        ship_by: ship_by.filter(|_| cancelled < 2),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_line_keeps_its_own_deadline_and_the_order_shows_the_earliest_open_one() {
    let e = env(54, FaultPlan::none(), 50).await;
    let world = e.sandbox.world().products.clone();
    let (a, b) = (world[0].sku.clone(), world[1].sku.clone());
    let order = |cancelled_b: u32| ChannelOrder {
        remote_id: "R-1".into(),
        placed_at: at(1, 9),
        updated_at: at(1, 9),
        status: OrderStatus::Open,
        customer: Customer::default(),
        lines: vec![
            line("i1", &a, 0, Some(at(3, 23))),
            line("i2", &b, cancelled_b, Some(at(2, 23))),
        ],
        total: Money::eur(Decimal::from(40)),
        fees: None,
        ship_by: Some(if cancelled_b < 2 {
            at(2, 23)
        } else {
            at(3, 23)
        }),
        raw: serde_json::json!({}),
    };
    let now = at(2, 12);
    e.store
        .write(|tx| {
            kanaal_sync::orders::apply_page(
                tx,
                e.bol_id,
                &[order(0)],
                &OrderCursor("p1".into()),
                now,
            )
        })
        .unwrap();
    let id = OrderId(order_id(&e, "R-1"));
    let detail = e.store.read(|tx| orders::detail(tx, id, now)).unwrap();
    assert_eq!(detail.row.ship_by.as_deref(), Some("2026-12-02T23:00:00Z"));
    assert_eq!(detail.row.deadline, Deadline::DueSoon);
    assert_eq!(
        detail.lines[0].ship_by.as_deref(),
        Some("2026-12-03T23:00:00Z")
    );
    assert_eq!(detail.lines[0].deadline, Deadline::Ok);
    assert_eq!(detail.lines[1].deadline, Deadline::DueSoon);

    // bol cancels the line with the earliest deadline: the order's deadline moves to the next.
    e.store
        .write(|tx| {
            kanaal_sync::orders::apply_page(
                tx,
                e.bol_id,
                &[order(2)],
                &OrderCursor("p2".into()),
                now,
            )
        })
        .unwrap();
    let detail = e.store.read(|tx| orders::detail(tx, id, now)).unwrap();
    assert_eq!(detail.row.ship_by.as_deref(), Some("2026-12-03T23:00:00Z"));
    assert_eq!(detail.row.deadline, Deadline::Ok);
    assert_eq!(
        detail.lines[1].ship_by, None,
        "a cancelled line has no deadline"
    );
    assert_eq!(detail.lines[1].deadline, Deadline::None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_kanaal_cancelled_no_longer_sets_the_orders_deadline() {
    let e = env(55, FaultPlan::none(), 50).await;
    let world = e.sandbox.world().products.clone();
    let (a, b) = (world[0].sku.clone(), world[1].sku.clone());
    let placed = ChannelOrder {
        remote_id: "R-2".into(),
        placed_at: at(1, 9),
        updated_at: at(1, 9),
        status: OrderStatus::Open,
        customer: Customer::default(),
        lines: vec![
            line("j1", &a, 0, Some(at(3, 23))),
            line("j2", &b, 0, Some(at(2, 23))),
        ],
        total: Money::eur(Decimal::from(40)),
        fees: None,
        ship_by: Some(at(2, 23)),
        raw: serde_json::json!({}),
    };
    let now = at(2, 12);
    e.store
        .write(|tx| {
            kanaal_sync::orders::apply_page(tx, e.bol_id, &[placed], &OrderCursor("p1".into()), now)
        })
        .unwrap();
    let id = order_id(&e, "R-2");
    let early_line: u32 = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT line_no FROM order_lines WHERE order_id = ?1 AND remote_line_id = 'j2'",
                [id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    // What the outbox does once bol.com confirms Kanaal's cancel of that line.
    e.store
        .write(|tx| {
            let mut moved = std::collections::HashSet::new();
            kanaal_sync::orders::return_cancelled(tx, id, Some(&[early_line]), now, &mut moved)
                .map(|_| ())
        })
        .unwrap();
    let detail = e
        .store
        .read(|tx| orders::detail(tx, OrderId(id), now))
        .unwrap();
    assert_eq!(
        detail.row.ship_by.as_deref(),
        Some("2026-12-03T23:00:00Z"),
        "the inbox shows the deadline of the line still to ship, not the cancelled one's"
    );
    assert_eq!(detail.row.deadline, Deadline::Ok);
}

/// The units per SKU of a stored order.
fn order_lines(e: &common::Env, order: i64) -> Vec<(String, u32)> {
    e.store
        .read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT sku, sum(quantity) FROM order_lines WHERE order_id = ?1
                  GROUP BY sku ORDER BY min(line_no)",
            )?;
            let rows = stmt.query_map([order], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap()
}

fn needs_shipping_ids(e: &common::Env) -> Vec<i64> {
    let now = e.clock.now();
    e.store
        .read(|tx| {
            orders::list(
                tx,
                &OrderQuery {
                    needs_shipping: true,
                    limit: 1000,
                    ..Default::default()
                },
                now,
            )
        })
        .unwrap()
        .rows
        .iter()
        .map(|r| r.id.0)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopify_order_refunded_in_full_leaves_the_work_to_ship_and_returns_its_stock_once() {
    let mut e = env(56, FaultPlan::none(), 50).await;
    e.publish_and_send().await;
    // A week of new orders arrives, not yet shipped.
    e.pass(std::time::Duration::from_secs(7 * 86_400));
    pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    // An open Shopify order of two or more units, at least one of a product the catalog knows.
    let (order, remote): (i64, String) = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT o.id, o.remote_id FROM orders o
                  WHERE o.channel_id = ?1 AND o.status = 'open' AND o.stock_applied = 1
                    AND (SELECT sum(l.quantity) FROM order_lines l WHERE l.order_id = o.id) >= 2
                    AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id
                                  AND l.variant_id IS NOT NULL)
                  ORDER BY o.id LIMIT 1",
                [e.shop_id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    let lines = order_lines(&e, order);
    let before = e.stock();
    assert!(needs_shipping_ids(&e).contains(&order));

    // One unit of a known product refunded: a partial refund, the order still to ship.
    let first = &lines
        .iter()
        .find(|(sku, _)| before.contains_key(sku))
        .unwrap()
        .0;
    e.sandbox
        .clock()
        .advance(std::time::Duration::from_secs(60));
    e.sandbox
        .shopify()
        .refund_in_admin(&remote, first, 1)
        .unwrap();
    e.clock.advance(chrono::Duration::minutes(1));
    pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    let now = e.clock.now();
    let detail = e
        .store
        .read(|tx| orders::detail(tx, OrderId(order), now))
        .unwrap();
    assert_eq!(detail.row.status, "open", "a partial refund keeps it open");
    assert!(detail.row.needs_shipping);
    assert_eq!(e.stock()[first], before[first] + 1);

    // Every other unit refunded too: nothing is left to send, and the order is not cancelled.
    e.sandbox
        .clock()
        .advance(std::time::Duration::from_secs(60));
    e.sandbox.shopify().refund_all_in_admin(&remote).unwrap();
    e.clock.advance(chrono::Duration::minutes(1));
    let pulled = pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(pulled.updated_orders, 1, "{pulled:?}");
    assert_eq!(pulled.cancellations_returned, 0, "{pulled:?}");
    let now = e.clock.now();
    let detail = e
        .store
        .read(|tx| orders::detail(tx, OrderId(order), now))
        .unwrap();
    assert_eq!(detail.row.status, "refunded");
    assert!(!detail.row.needs_shipping, "nothing left to ship");
    assert_eq!(detail.row.deadline, Deadline::None);
    assert!(detail.lines.iter().all(|l| l.cancelled == l.quantity));
    assert!(
        !needs_shipping_ids(&e).contains(&order),
        "it left the orders to ship"
    );
    for (sku, quantity) in lines.iter().filter(|(sku, _)| before.contains_key(sku)) {
        assert_eq!(
            e.stock()[sku],
            before[sku] + i64::from(*quantity),
            "{sku}: every unit back, once"
        );
        assert!(
            queued_stock_for(&e, e.bol_id, sku, before[sku] + i64::from(*quantity)),
            "{sku}: the new availability is queued for bol.com"
        );
    }
    // "Mark shipped" and "Cancel" are no longer offered, and refused if asked.
    let shipped = e.store.write(|tx| {
        orders::shipping::queue_shipment(tx, OrderId(order), "postnl", "3SKAAN0000001", now)
    });
    assert!(shipped.is_err(), "{shipped:?}");
    let cancelled = e
        .store
        .write(|tx| cancel::queue_cancel(tx, OrderId(order), &[], CancelReason::OutOfStock, now));
    assert!(cancelled.is_err(), "{cancelled:?}");

    // Reading it again moves nothing.
    e.clock.advance(chrono::Duration::minutes(1));
    let again = pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(again.stock_queued, 0, "{again:?}");
    for (sku, quantity) in lines.iter().filter(|(sku, _)| before.contains_key(sku)) {
        assert_eq!(e.stock()[sku], before[sku] + i64::from(*quantity));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_first_seen_refunded_in_full_takes_no_stock_and_is_not_to_ship() {
    let e = env(57, FaultPlan::none(), 50).await;
    let world = e.sandbox.world().products.clone();
    let a = world[0].sku.clone();
    let before = e.stock();
    let refunded = ChannelOrder {
        remote_id: "R-3".into(),
        placed_at: at(1, 9),
        updated_at: at(1, 10),
        status: OrderStatus::Refunded,
        customer: Customer::default(),
        lines: vec![line("k1", &a, 2, None)],
        total: Money::eur(Decimal::from(20)),
        fees: None,
        ship_by: None,
        raw: serde_json::json!({}),
    };
    let now = at(2, 12);
    let report = e
        .store
        .write(|tx| {
            kanaal_sync::orders::apply_page(
                tx,
                e.shop_id,
                std::slice::from_ref(&refunded),
                &OrderCursor("p1".into()),
                now,
            )
        })
        .unwrap();
    assert_eq!(report.stock_moves, 0, "{report:?}");
    assert_eq!(e.stock()[&a], before[&a]);
    let id = OrderId(order_id(&e, "R-3"));
    let detail = e.store.read(|tx| orders::detail(tx, id, now)).unwrap();
    assert_eq!(detail.row.status, "refunded");
    assert!(!detail.row.needs_shipping);
    // The same page again changes nothing.
    e.store
        .write(|tx| {
            kanaal_sync::orders::apply_page(
                tx,
                e.shop_id,
                &[refunded],
                &OrderCursor("p2".into()),
                now,
            )
        })
        .unwrap();
    assert_eq!(e.stock()[&a], before[&a]);
}
