//! A Shopify order shipped in part, then a unit of a line that was never shipped refunded in
//! the Shopify admin ("that item was out, we refunded it"), against the sandbox over HTTP.
//! Refunded with restock type CANCEL, the unit never left the shelf: the next import puts it
//! back in Kanaal's stock exactly once, and queues the new availability for the other channel.
//! Refunded with NO_RESTOCK (the merchant chose not to restock), nothing moves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::env;
use kanaal_core::clock::Clock;
use kanaal_core::ids::OrderId;
use kanaal_core::orders;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sandbox::shopify::RestockType;
use kanaal_sync::pull_orders;

/// Open Shopify orders with stock taken, of two or more lines, at least one of them of a
/// product the catalog knows: (order id, remote id, SKU of a known line to refund, SKU of
/// another line to ship).
fn orders_to_split(e: &common::Env) -> Vec<(i64, String, String, String)> {
    e.store
        .read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT o.id, o.remote_id, k.sku,
                        (SELECT s.sku FROM order_lines s WHERE s.order_id = o.id AND s.id <> k.id
                          ORDER BY s.line_no LIMIT 1)
                   FROM orders o
                   JOIN order_lines k ON k.id = (SELECT id FROM order_lines l WHERE l.order_id = o.id
                                                   AND l.variant_id IS NOT NULL ORDER BY l.line_no LIMIT 1)
                  WHERE o.channel_id = ?1 AND o.status = 'open' AND o.stock_applied = 1
                    AND (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) >= 2
                  ORDER BY o.id",
            )?;
            let rows = stmt.query_map([e.shop_id.0], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap()
}

fn cancelled_on_line(e: &common::Env, order: i64, sku: &str) -> u32 {
    let now = e.clock.now();
    e.store
        .read(|tx| orders::detail(tx, OrderId(order), now))
        .unwrap()
        .lines
        .iter()
        .find(|l| l.sku.as_deref() == Some(sku))
        .unwrap()
        .cancelled
}

fn queued_stock_for(e: &common::Env, sku: &str, quantity: i64) -> bool {
    e.store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE channel_id = ?1 AND operation = 'set_stock'
                   AND state = 'queued' AND payload LIKE '%' || ?2 || '%')",
                rusqlite::params![
                    e.bol_id.0,
                    format!("{{\"quantity\":{quantity},\"sku\":\"{sku}\"}}")
                ],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

/// Moves both clocks on a minute, so the change is newer than the last import.
fn tick(e: &common::Env) {
    e.pass(std::time::Duration::from_secs(60));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_cancelled_from_an_unshipped_line_of_a_partly_shipped_order_comes_back_once() {
    let mut e = env(58, FaultPlan::none(), 50).await;
    e.publish_and_send().await;
    // A week of new orders arrives, not yet shipped.
    e.pass(std::time::Duration::from_secs(7 * 86_400));
    pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    let candidates = orders_to_split(&e);
    assert!(
        candidates.len() >= 2,
        "two open orders of 2+ lines: {candidates:?}"
    );
    let (order, remote, refunded, shipped) = candidates[0].clone();
    let (other, other_remote, other_refunded, other_shipped) = candidates[1].clone();

    // The merchant ships one line of each order in the Shopify admin.
    tick(&e);
    let shop = e.sandbox.shopify();
    shop.fulfil_in_admin(&remote, &shipped, 1, "3SKAAN0000001")
        .unwrap();
    shop.fulfil_in_admin(&other_remote, &other_shipped, 1, "3SKAAN0000002")
        .unwrap();
    tick(&e);
    pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    let before = e.stock();

    // One unit of the unshipped line was out: refunded with restock type CANCEL.
    tick(&e);
    shop.refund_in_admin_as(&remote, &refunded, 1, RestockType::Cancel)
        .unwrap();
    tick(&e);
    let pulled = pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    let after = e.stock();
    assert_eq!(
        after[&refunded],
        before[&refunded] + 1,
        "the cancelled unit is back on the shelf"
    );
    for (sku, q) in &before {
        if *sku != refunded {
            assert_eq!(after[sku], *q, "{sku} did not move");
        }
    }
    assert_eq!(cancelled_on_line(&e, order, &refunded), 1);
    assert!(pulled.stock_queued > 0, "{pulled:?}");
    assert!(
        queued_stock_for(&e, &refunded, after[&refunded]),
        "the new availability is queued for bol.com"
    );
    let now = e.clock.now();
    let detail = e
        .store
        .read(|tx| orders::detail(tx, OrderId(order), now))
        .unwrap();
    assert_ne!(detail.row.status, "cancelled");
    assert_ne!(detail.row.status, "refunded");

    // The next import moves nothing.
    tick(&e);
    let again = pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(again.stock_queued, 0, "{again:?}");
    assert_eq!(e.stock(), after, "stock moved once");

    // The other order's unshipped unit refunded without restocking: nothing comes back.
    tick(&e);
    shop.refund_in_admin_as(&other_remote, &other_refunded, 1, RestockType::NoRestock)
        .unwrap();
    tick(&e);
    let no_restock = pull_orders(&e.store, e.shop_id, &e.shopify, e.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(no_restock.stock_queued, 0, "{no_restock:?}");
    assert_eq!(e.stock(), after, "a refund without restock moves no stock");
    assert_eq!(cancelled_on_line(&e, other, &other_refunded), 0);
}
