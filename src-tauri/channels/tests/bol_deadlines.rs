//! The ship-by deadline bol.com enforces, read by the connector from the sandbox: every open
//! order carries the moment bol cancels it (the start of the earliest `expiryDate` of its open
//! items, in Dutch time); in the demo's lifelike world the deadlines follow the world's own
//! start, so a world started "now" has no open order overdue; an order placed through the
//! sandbox's control route arrives with its deadline, and bol cancels it once the expiry date
//! has passed unshipped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use kanaal_channels::bol::{quick_poll, Bol, BolConfig};
use kanaal_channels::credentials::Credentials;
use kanaal_channels::http::ManualTimer;
use kanaal_channels::model::{ChannelOrder, OrderCursor, OrderStatus};
use kanaal_channels::Channel;
use kanaal_core::clock::FixedClock;
use kanaal_sandbox::{Sandbox, SandboxConfig};
use std::sync::Arc;

fn connector(sandbox: &Sandbox) -> Bol {
    let info = sandbox.platform("bol").unwrap();
    let clock = Arc::new(FixedClock::at(sandbox.clock().now()));
    let mut config = BolConfig::new(&info.base_url, &info.base_url, clock);
    config.http.timer = Arc::new(ManualTimer::new());
    config.poll = quick_poll();
    let creds = Credentials::new()
        .with("client_id", &info.credentials["client_id"])
        .with("client_secret", &info.credentials["client_secret"]);
    Bol::new(config, &creds).unwrap()
}

/// Every order a sync from `cursor` reads (all pages), and where the next sync starts.
async fn sync_from(
    sandbox: &Sandbox,
    cursor: Option<OrderCursor>,
) -> (Vec<ChannelOrder>, OrderCursor) {
    let bol = connector(sandbox);
    let mut page = bol.orders_since(cursor.as_ref()).await.unwrap();
    let mut all = std::mem::take(&mut page.orders);
    while let Some(next) = page.next.clone() {
        page = bol.orders_since(Some(&next)).await.unwrap();
        all.append(&mut page.orders);
    }
    (all, page.resume_from)
}

/// Every open order (the first sync of a new connection reads the open ones).
async fn open_orders(sandbox: &Sandbox) -> Vec<ChannelOrder> {
    sync_from(sandbox, None).await.0
}

async fn lifelike(epoch: DateTime<Utc>) -> Sandbox {
    let sandbox = Sandbox::start_with_goods_at(
        SandboxConfig {
            seed: 12,
            speed: 0.0,
            ..SandboxConfig::default()
        },
        Vec::new(),
        epoch,
    )
    .await
    .unwrap();
    sandbox.bol().set_lifelike(true);
    sandbox
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_world_started_now_has_deadlines_ahead_and_history_already_shipped() {
    // Any moment will do: the world follows it (the demo passes the app's clock).
    let epoch = Utc.with_ymd_and_hms(2027, 3, 17, 15, 30, 0).unwrap();
    let sandbox = lifelike(epoch).await;
    let open = open_orders(&sandbox).await;
    assert!(!open.is_empty(), "the last two days' orders are still open");
    for o in &open {
        assert!(
            o.placed_at >= epoch - chrono::Duration::days(2),
            "only recent orders are open; older ones were shipped: {}",
            o.placed_at
        );
        let ship_by = o.ship_by.expect("every open bol order has a deadline");
        assert!(
            ship_by > epoch,
            "no open order is overdue at the start: {ship_by} for one placed {}",
            o.placed_at
        );
        assert!(
            ship_by - o.placed_at <= chrono::Duration::days(3)
                && ship_by - o.placed_at >= chrono::Duration::days(1),
            "the deadline is a few days after the order: {} -> {ship_by}",
            o.placed_at
        );
    }
    let world_recent = sandbox
        .world()
        .purchases
        .iter()
        .filter(|p| p.platform == "bol" && p.placed_at <= epoch)
        .filter(|p| p.placed_at >= epoch - chrono::Duration::days(2))
        .count();
    assert_eq!(open.len(), world_recent, "every recent world order is open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_placed_order_arrives_with_its_deadline_and_expires_unshipped() {
    let epoch = Utc.with_ymd_and_hms(2026, 11, 10, 9, 0, 0).unwrap();
    let sandbox = lifelike(epoch).await;
    let product = sandbox.world().products[0].clone();
    let base = sandbox.platform("bol").unwrap().base_url.clone();
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/_sandbox/orders"))
        .json(&serde_json::json!({"sku": product.sku, "quantity": 2}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = answer["orderId"]
        .as_str()
        .expect("the order id")
        .to_string();
    let unknown = reqwest::Client::new()
        .post(format!("{base}/_sandbox/orders"))
        .json(&serde_json::json!({"sku": "NOT-IN-THE-WORLD"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 400, "an unknown product is refused");

    let (open, resume) = sync_from(&sandbox, None).await;
    let placed = open
        .iter()
        .find(|o| o.remote_id == id)
        .expect("the placed order");
    assert_eq!(placed.placed_at, epoch);
    assert_eq!(placed.lines.len(), 1);
    assert_eq!(placed.lines[0].quantity, 2);
    assert_eq!(placed.lines[0].sku.as_deref(), Some(product.sku.as_str()));
    // Placed Tuesday 10 November 10:00 Dutch time: the expiry date is Friday the 13th, so it
    // must leave before Friday 00:00 in the Netherlands (Thursday 23:00 UTC).
    assert_eq!(
        placed.ship_by,
        Some(Utc.with_ymd_and_hms(2026, 11, 12, 23, 0, 0).unwrap())
    );

    // Four days later, not shipped: bol has cancelled it, and the next sync reads that.
    sandbox
        .clock()
        .advance(std::time::Duration::from_secs(4 * 24 * 3600));
    let (changed, _) = sync_from(&sandbox, Some(resume)).await;
    let expired = changed
        .iter()
        .find(|o| o.remote_id == id)
        .expect("the expired order is among the changes");
    assert_eq!(expired.status, OrderStatus::Cancelled);
    assert_eq!(expired.ship_by, None, "nothing left to ship, no deadline");
    assert!(
        open_orders(&sandbox)
            .await
            .iter()
            .all(|o| o.remote_id != id),
        "and it is no longer open"
    );
}
