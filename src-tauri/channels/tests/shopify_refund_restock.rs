//! The Shopify connector against the Shopify sandbox over loopback: which refunded units of
//! an order it reports as cancelled (back on the merchant's shelf). Once part of an order
//! shipped, only units refunded with restock type CANCEL (read from the order's refunds); while
//! nothing shipped, every unit taken off, whatever the restock type.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kanaal_channels::credentials::Secret;
use kanaal_channels::http::HttpConfig;
use kanaal_channels::model::{ChannelOrder, OrderCursor, OrderStatus};
use kanaal_channels::shopify::ShopifyChannel;
use kanaal_channels::Channel;
use kanaal_sandbox::clock::SandboxClock;
use kanaal_sandbox::shopify::bucket::BucketConfig;
use kanaal_sandbox::shopify::{RestockType, Shopify, ShopifyConfig};
use kanaal_sandbox::world::World;
use kanaal_sandbox::Shared;
use std::sync::Arc;
use std::time::Duration;

/// Reads every page from `cursor`: (orders, where to resume).
async fn read_all(
    c: &ShopifyChannel,
    cursor: Option<OrderCursor>,
) -> (Vec<ChannelOrder>, OrderCursor) {
    let mut orders = Vec::new();
    let mut at = cursor;
    loop {
        let page = c.orders_since(at.as_ref()).await.unwrap();
        orders.extend(page.orders);
        match page.next {
            Some(next) => at = Some(next),
            None => return (orders, page.resume_from),
        }
    }
}

#[tokio::test]
async fn after_part_of_an_order_shipped_only_units_refunded_with_cancel_are_back() {
    let epoch = SandboxClock::default_epoch();
    let clock = Arc::new(SandboxClock::new(epoch, 0.0));
    let shared = Shared {
        seed: 13,
        world: Arc::new(World::generate(13, epoch)),
        clock: clock.clone(),
    };
    // A week of new orders arrives, not shipped yet.
    clock.advance(Duration::from_secs(7 * 86_400));
    let mut config = ShopifyConfig::new(13);
    config.bucket = BucketConfig {
        maximum: 100_000.0,
        restore_rate: 100_000.0,
    };
    let shop = Shopify::with_config(&shared, config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = shop.router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let c = ShopifyChannel::new(
        HttpConfig::new("Shopify", &url),
        Secret::new(&shop.config().access_token),
    )
    .unwrap();

    let (all, resume) = read_all(&c, None).await;
    let open: Vec<&ChannelOrder> = all
        .iter()
        .filter(|o| o.status == OrderStatus::Open && o.lines.len() >= 2)
        .collect();
    assert!(open.len() >= 3, "three open orders of 2+ lines");
    let sku = |o: &ChannelOrder, i: usize| o.lines[i].sku.clone().unwrap();
    let (cancel, no_restock, unshipped) = (open[0], open[1], open[2]);

    clock.advance(Duration::from_secs(60));
    // Shipped in part, then a unit of the unshipped line cancelled (it was out).
    shop.fulfil_in_admin(&cancel.remote_id, &sku(cancel, 0), 1, "3SA1")
        .unwrap();
    shop.refund_in_admin_as(&cancel.remote_id, &sku(cancel, 1), 1, RestockType::Cancel)
        .unwrap();
    // Shipped in part, then a unit of the unshipped line refunded without restocking.
    shop.fulfil_in_admin(&no_restock.remote_id, &sku(no_restock, 0), 1, "3SA2")
        .unwrap();
    shop.refund_in_admin_as(
        &no_restock.remote_id,
        &sku(no_restock, 1),
        1,
        RestockType::NoRestock,
    )
    .unwrap();
    // Nothing shipped, a unit refunded without restocking: it never left the shelf.
    shop.refund_in_admin_as(
        &unshipped.remote_id,
        &sku(unshipped, 1),
        1,
        RestockType::NoRestock,
    )
    .unwrap();
    clock.advance(Duration::from_secs(60));

    let (changed, _) = read_all(&c, Some(resume)).await;
    let seen = |o: &ChannelOrder| -> Vec<u32> {
        changed
            .iter()
            .find(|c| c.remote_id == o.remote_id)
            .unwrap_or_else(|| panic!("{} read again", o.remote_id))
            .lines
            .iter()
            .map(|l| l.quantity_cancelled)
            .collect()
    };
    let only_second = |o: &ChannelOrder| {
        (0..o.lines.len())
            .map(|i| u32::from(i == 1))
            .collect::<Vec<_>>()
    };
    assert_eq!(seen(cancel), only_second(cancel), "the CANCEL unit is back");
    assert_eq!(
        seen(no_restock),
        vec![0; no_restock.lines.len()],
        "a NO_RESTOCK unit of a partly shipped order is not"
    );
    assert_eq!(
        seen(unshipped),
        only_second(unshipped),
        "with nothing shipped, every unit taken off is back"
    );
    let shipped = changed
        .iter()
        .find(|o| o.remote_id == cancel.remote_id)
        .unwrap();
    assert!(
        matches!(
            shipped.status,
            OrderStatus::PartlyShipped | OrderStatus::Shipped
        ),
        "{:?}",
        shipped.status
    );
}
