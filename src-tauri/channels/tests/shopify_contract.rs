//! Contract tests: the Shopify connector against the Shopify sandbox, over real HTTP on
//! loopback. Every operation of the `Channel` trait, the cost-bucket throttling, each failure
//! kind, and the promise that a publish or stock call under injected faults either happens once
//! or fails with the right kind — never a duplicate product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use kanaal_channels::credentials::Secret;
use kanaal_channels::http::HttpConfig;
use kanaal_channels::model::{
    CancelReason, Cancellation, Carrier, ListingDraft, OrderStatus, Shipment, StockTarget,
    StockUpdate, VariantDraft,
};
use kanaal_channels::shopify::ShopifyChannel;
use kanaal_channels::{Channel, Failure};
use kanaal_core::money::Money;
use kanaal_sandbox::clock::SandboxClock;
use kanaal_sandbox::faults::{Fault, FaultPlan, Route};
use kanaal_sandbox::shopify::bucket::BucketConfig;
use kanaal_sandbox::shopify::{Shopify, ShopifyConfig};
use kanaal_sandbox::world::World;
use kanaal_sandbox::{Sandbox, SandboxConfig, Shared};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn connector(base_url: &str, token: &str) -> ShopifyChannel {
    let mut http = HttpConfig::new("Shopify", base_url);
    http.retry.base_delay = Duration::from_millis(5);
    http.retry.max_delay = Duration::from_millis(40);
    ShopifyChannel::new(http, Secret::new(token)).unwrap()
}

async fn sandbox(faults: FaultPlan) -> (Sandbox, ShopifyChannel) {
    let sb = Sandbox::start(SandboxConfig {
        seed: 5,
        faults,
        speed: 0.0,
    })
    .await
    .unwrap();
    let info = sb.platform("shopify").unwrap().clone();
    let c = connector(&info.base_url, &info.credentials["access_token"]);
    (sb, c)
}

/// A Shopify sandbox alone, with its own bucket settings (no fault layer).
async fn shop_with_bucket(bucket: BucketConfig) -> (Shopify, String, String) {
    let epoch = SandboxClock::default_epoch();
    let shared = Shared {
        seed: 5,
        world: Arc::new(World::generate(5, epoch)),
        clock: Arc::new(SandboxClock::new(epoch, 0.0)),
    };
    let mut config = ShopifyConfig::new(5);
    config.bucket = bucket;
    let shop = Shopify::with_config(&shared, config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = shop.router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let token = shop.config().access_token.clone();
    (shop, url, token)
}

fn eur(cents: i64) -> Money {
    Money::eur(Decimal::new(cents, 2))
}

fn draft(handle: &str, options: &[&str], variants: &[(&str, &[&str], u32)]) -> ListingDraft {
    ListingDraft {
        handle: handle.into(),
        title: format!("Koffie {handle}"),
        description: "<p>Vers gebrand in Amsterdam.</p>".into(),
        brand: "Branderij De Gracht".into(),
        options: options.iter().map(|s| s.to_string()).collect(),
        variants: variants
            .iter()
            .map(|(sku, values, stock)| VariantDraft {
                sku: sku.to_string(),
                gtin: Some("8719000001007".into()),
                option_values: values.iter().map(|s| s.to_string()).collect(),
                price: eur(895),
                compare_at_price: None,
                stock: *stock,
                weight_grams: Some(250),
            })
            .collect(),
        attributes: BTreeMap::new(),
    }
}

fn two_weights(handle: &str) -> ListingDraft {
    draft(
        handle,
        &["Gewicht"],
        &[
            (&format!("{handle}-250"), &["250 g"], 4),
            (&format!("{handle}-1000"), &["1 kg"], 2),
        ],
    )
}

#[tokio::test]
async fn publishing_updating_and_unpublishing_a_product_round_trips() {
    let (sb, c) = sandbox(FaultPlan::none()).await;
    let info = c.check_connection().await.unwrap();
    assert!(
        matches!(&info.account, kanaal_core::channels::Account::ShopifyShop { name, domain }
            if name.contains("Branderij") && domain.ends_with(".myshopify.com")),
        "connection test names the shop and its domain: {:?}",
        info.account
    );

    let published = c.create_listing(&two_weights("espresso")).await.unwrap();
    assert!(published.remote_id.starts_with("gid://shopify/Product/"));
    assert_eq!(published.variants.len(), 2);
    assert!(published.variants[0].extra["inventory_item_id"]
        .starts_with("gid://shopify/InventoryItem/"));
    let shop = sb.shopify().products();
    assert_eq!(
        shop[0].variants,
        vec![
            (Some("espresso-250".into()), 4),
            (Some("espresso-1000".into()), 2)
        ]
    );

    // Full replace: dropping the 1 kg variant removes it; the 250 g one keeps its id.
    let smaller = draft("espresso", &["Gewicht"], &[("espresso-250", &["250 g"], 6)]);
    let updated = c.update_listing(&published, &smaller).await.unwrap();
    assert_eq!(updated.remote_id, published.remote_id);
    assert_eq!(updated.variants.len(), 1);
    assert_eq!(
        updated.variants[0].remote_id, published.variants[0].remote_id,
        "variant id kept"
    );
    assert_eq!(
        sb.shopify().products()[0].variants,
        vec![(Some("espresso-250".into()), 6)]
    );

    // Read-back for drift shows what is live.
    let live = c.live_listings(None).await.unwrap();
    assert_eq!(live.items.len(), 1);
    assert_eq!(live.items[0].stock, Some(6));
    assert_eq!(live.items[0].price, Some(eur(895)));
    assert!(live.items[0].for_sale);

    c.unpublish_listing(&updated).await.unwrap();
    assert_eq!(sb.shopify().products()[0].status, "DRAFT");
    let live = c.live_listings(None).await.unwrap();
    assert!(
        !live.items[0].for_sale,
        "an unpublished product is not for sale"
    );
    assert_eq!(sb.shopify().products_created(), 1);
}

#[tokio::test]
async fn a_fourth_option_is_refused_before_anything_is_sent() {
    let (sb, c) = sandbox(FaultPlan::none()).await;
    let d = draft(
        "te-veel",
        &["Gewicht", "Maling", "Branding", "Verpakking"],
        &[("X", &["a", "b", "c", "d"], 1)],
    );
    let err = c.create_listing(&d).await.unwrap_err();
    assert!(
        matches!(&err, Failure::Rejected { field, .. } if field == "options"),
        "{err:?}"
    );
    assert!(sb.shopify().products().is_empty());
}

#[tokio::test]
async fn shopifys_user_errors_come_back_as_rejections_naming_the_field() {
    let (_sb, c) = sandbox(FaultPlan::none()).await;
    c.create_listing(&two_weights("espresso")).await.unwrap();
    let other = c.create_listing(&two_weights("filter")).await.unwrap();
    // Renaming "filter" to the handle "espresso" collides with the other product.
    let err = c
        .update_listing(&other, &two_weights("espresso"))
        .await
        .unwrap_err();
    match err {
        Failure::Rejected { field, reason, .. } => {
            assert_eq!(field, "handle");
            assert!(reason.contains("HANDLE_NOT_UNIQUE"), "{reason}");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn stock_is_set_with_compare_and_set_and_a_repeat_is_applied_once() {
    let (sb, c) = sandbox(FaultPlan::none()).await;
    let p = c.create_listing(&two_weights("espresso")).await.unwrap();
    let target = StockTarget {
        listing_remote_id: p.remote_id.clone(),
        variant: p.variants[0].clone(),
    };
    let update = StockUpdate {
        quantity: 9,
        expected_current: Some(4),
        idempotency_key: "outbox-1".into(),
    };
    c.set_stock(&target, &update).await.unwrap();
    assert_eq!(sb.shopify().products()[0].variants[0].1, 9);
    // The same outbox row sent again (say, after a crash) returns the first result.
    c.set_stock(&target, &update).await.unwrap();
    assert_eq!(sb.shopify().products()[0].variants[0].1, 9);

    // Someone sold two in the Shopify admin: the expected 9 is stale.
    assert!(sb.shopify().set_stock_in_admin("espresso-250", 7));
    let stale = StockUpdate {
        quantity: 3,
        expected_current: Some(9),
        idempotency_key: "outbox-2".into(),
    };
    let err = c.set_stock(&target, &stale).await.unwrap_err();
    match &err {
        Failure::Rejected { field, reason, .. } => {
            assert_eq!(field, "stock");
            assert!(reason.contains("CHANGE_FROM_QUANTITY_STALE"), "{reason}");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(
        sb.shopify().products()[0].variants[0].1,
        7,
        "nothing overwritten"
    );
}

#[tokio::test]
async fn orders_are_read_by_cursor_with_lines_and_customer_fields_then_shipped_and_cancelled() {
    let (sb, c) = sandbox(FaultPlan::none()).await;
    let mut orders = Vec::new();
    let mut cursor = None;
    loop {
        let page = c.orders_since(cursor.as_ref()).await.unwrap();
        orders.extend(page.orders);
        match page.next {
            Some(n) => cursor = Some(n),
            None => {
                cursor = Some(page.resume_from);
                break;
            }
        }
    }
    assert!(
        orders.len() > 30,
        "two months of webshop orders: {}",
        orders.len()
    );
    let o = orders
        .iter()
        .find(|o| o.status == OrderStatus::Open)
        .expect("a recent order is still open");
    assert!(o.customer.email.as_deref().is_some_and(|e| e.contains('@')));
    assert!(o.customer.postcode.is_some() && o.customer.house_number.is_some());
    assert_eq!(o.customer.country.as_deref(), Some("NL"));
    assert!(!o.lines.is_empty());
    let line_total: Decimal = o
        .lines
        .iter()
        .map(|l| l.unit_price.amount * Decimal::from(l.quantity))
        .sum();
    assert!(o.total.amount >= line_total, "total includes the lines");

    // Nothing new since the cursor: an empty page (orders updated in the last second again).
    let again = c.orders_since(cursor.as_ref()).await.unwrap();
    assert!(
        again.orders.len() <= 2,
        "only the boundary second is read again: {}",
        again.orders.len()
    );

    let shipment = Shipment {
        order_remote_id: o.remote_id.clone(),
        lines: Vec::new(),
        carrier: Carrier::PostNl,
        tracking: "3SGRAC000000001".into(),
        reference: "ship-1".into(),
    };
    c.mark_shipped(&shipment).await.unwrap();
    // Sent again: recognised by its tracking code, not shipped twice.
    c.mark_shipped(&shipment).await.unwrap();
    sb.clock().advance(Duration::from_secs(5));
    let page = c.orders_since(cursor.as_ref()).await.unwrap();
    let shipped = page
        .orders
        .iter()
        .find(|x| x.remote_id == o.remote_id)
        .expect("the shipped order changed");
    assert_eq!(shipped.status, OrderStatus::Shipped);
    assert!(shipped
        .lines
        .iter()
        .all(|l| l.quantity_shipped == l.quantity));

    let open: Vec<_> = orders
        .iter()
        .filter(|x| x.status == OrderStatus::Open && x.remote_id != o.remote_id)
        .collect();
    let cancel = Cancellation {
        order_remote_id: open[0].remote_id.clone(),
        lines: Vec::new(),
        reason: CancelReason::OutOfStock,
    };
    c.cancel_order(&cancel).await.unwrap();
    c.cancel_order(&cancel).await.unwrap();
    let partial = Cancellation {
        lines: vec!["x".into()],
        ..cancel
    };
    assert!(matches!(
        c.cancel_order(&partial).await,
        Err(Failure::Unsupported { .. })
    ));
}

#[tokio::test]
async fn payouts_carry_the_fees_shopify_actually_kept() {
    let (_sb, c) = sandbox(FaultPlan::none()).await;
    let payouts = c
        .payouts(
            NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        )
        .await
        .unwrap();
    assert!(payouts.len() >= 4, "weekly payouts: {}", payouts.len());
    for p in &payouts {
        assert!(
            p.fees.amount > Decimal::ZERO,
            "Shopify Payments keeps a fee"
        );
        assert_eq!(
            p.gross.amount - p.fees.amount,
            p.net.amount,
            "net is gross minus fees"
        );
        assert!(p.period_start <= p.period_end);
        // The same fees per order: what the sync engine puts next to each order.
        let per_order = c.payout_fees(p).await.unwrap();
        assert_eq!(
            per_order.iter().map(|f| f.amount.amount).sum::<Decimal>(),
            p.fees.amount,
            "{}: the fees per order add up to the payout's",
            p.remote_id
        );
        assert!(
            per_order.iter().all(|f| f
                .order_remote_id
                .as_deref()
                .is_some_and(|o| o.starts_with("gid://shopify/Order/"))),
            "each fee names its order: {per_order:?}"
        );
    }
    assert!(matches!(
        c.expected_fee("8719000001007", eur(895)).await,
        Err(Failure::Unsupported { .. })
    ));
    assert!(matches!(
        c.ratings("8719000001007").await,
        Err(Failure::Unsupported { .. })
    ));
}

#[tokio::test]
async fn an_exhausted_cost_bucket_is_waited_out_exactly_without_failed_calls() {
    // 30 points, 100 back per second: three 10-point mutations at once, then one per 0.1 s.
    let (shop, url, token) = shop_with_bucket(BucketConfig {
        maximum: 30.0,
        restore_rate: 100.0,
    })
    .await;
    let c = connector(&url, &token);
    let start = Instant::now();
    for i in 0..10 {
        c.create_listing(&draft(&format!("p{i}"), &[], &[(&format!("P{i}"), &[], 1)]))
            .await
            .unwrap();
    }
    let took = start.elapsed();
    // 10 productSets + 1 location lookup (3 points) = 103 points; 30 in the bucket at the start.
    let minimum = Duration::from_secs_f64((103.0 - 30.0) / 100.0);
    assert!(
        took >= minimum.mul_f64(0.9),
        "the bucket is honest: {took:?} < {minimum:?}"
    );
    assert!(
        took <= minimum.mul_f64(1.5) + Duration::from_millis(150),
        "waits are exact, not padded: {took:?}"
    );
    assert_eq!(shop.products().len(), 10);
    assert_eq!(shop.products_created(), 10);
}

#[tokio::test]
async fn the_bucket_size_and_restore_rate_are_learned_from_shopify_not_assumed() {
    // A bucket far from the common 2000 points: 60 points, 40 back per second. After an idle
    // moment a client that assumed a bigger bucket would believe it holds more than 60 and
    // send a burst of calls at once that Shopify must refuse; one that learned the size from
    // `throttleStatus` holds back the calls the bucket cannot pay yet and is never refused.
    let (shop, url, token) = shop_with_bucket(BucketConfig {
        maximum: 60.0,
        restore_rate: 40.0,
    })
    .await;
    let c = Arc::new(connector(&url, &token));
    // One product first: the connection learns the bucket and the shop's location.
    c.create_listing(&draft("first", &[], &[("F", &[], 1)]))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let start = Instant::now();
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..8 {
        let c = c.clone();
        burst.spawn(async move {
            c.create_listing(&draft(&format!("q{i}"), &[], &[(&format!("Q{i}"), &[], 1)]))
                .await
        });
    }
    while let Some(done) = burst.join_next().await {
        done.unwrap().unwrap();
    }
    assert_eq!(
        shop.throttled_answers(),
        0,
        "no call was sent that the bucket could not pay"
    );
    // 8 productSets of 10 points from a bucket of at most 60 that refills 40 a second.
    let minimum = Duration::from_secs_f64((80.0 - 60.0) / 40.0);
    assert!(
        start.elapsed() >= minimum.mul_f64(0.9),
        "waited for the real restore rate: {:?}",
        start.elapsed()
    );
    assert_eq!(shop.products_created(), 9);
}

#[tokio::test]
async fn a_throttled_answer_is_waited_out_and_sent_again() {
    let (shop, url, token) = shop_with_bucket(BucketConfig {
        maximum: 40.0,
        restore_rate: 50.0,
    })
    .await;
    let a = connector(&url, &token);
    let b = connector(&url, &token);
    b.check_connection().await.unwrap(); // b believes the bucket is nearly full
    for i in 0..4 {
        a.create_listing(&draft(&format!("a{i}"), &[], &[(&format!("A{i}"), &[], 1)]))
            .await
            .unwrap();
    }
    // b's model is stale: its call is THROTTLED, then waited out and repeated.
    let start = Instant::now();
    b.create_listing(&draft("b", &[], &[("B", &[], 1)]))
        .await
        .unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(100),
        "it had to wait: {:?}",
        start.elapsed()
    );
    assert_eq!(shop.products().len(), 5);
}

#[tokio::test]
async fn a_wait_longer_than_the_connection_allows_is_reported_as_throttled() {
    let (_shop, url, token) = shop_with_bucket(BucketConfig {
        maximum: 20.0,
        restore_rate: 1.0,
    })
    .await;
    let mut http = HttpConfig::new("Shopify", &url);
    http.retry.max_throttle_wait = Duration::from_millis(200);
    let c = ShopifyChannel::new(http, Secret::new(&token)).unwrap();
    c.create_listing(&draft("a", &[], &[("A", &[], 1)]))
        .await
        .unwrap();
    let err = c
        .create_listing(&draft("b", &[], &[("B", &[], 1)]))
        .await
        .unwrap_err();
    assert!(matches!(err, Failure::Throttled { .. }), "{err:?}");
    assert!(err.is_transient());
}

#[tokio::test]
async fn each_failure_kind_is_reported_as_the_merchant_can_act_on_it() {
    let (sb, c) = sandbox(FaultPlan::none()).await;
    let url = sb.platform("shopify").unwrap().base_url.clone();

    let bad = connector(&url, "shpat_not_the_token");
    assert!(matches!(
        bad.check_connection().await,
        Err(Failure::BadCredentials { .. })
    ));

    // Server errors on every attempt: the platform is down.
    sb.faults().inject(Route::any(), Fault::Unavailable, 4);
    let err = c.check_connection().await.unwrap_err();
    assert!(matches!(err, Failure::PlatformDown { .. }), "{err:?}");

    // A 429 once is waited out (Retry-After) and the call succeeds.
    sb.faults().inject(
        Route::any(),
        Fault::Throttle {
            retry_after_secs: 1,
        },
        1,
    );
    c.check_connection().await.unwrap();

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let off = connector(&dead, "x");
    assert!(matches!(
        off.check_connection().await,
        Err(Failure::NetworkDown { .. })
    ));
}

#[tokio::test]
async fn under_twenty_percent_faults_a_publish_or_stock_call_happens_once_or_fails_rightly() {
    let (sb, c) = sandbox(FaultPlan::rate(0.2)).await;
    let mut published = Vec::new();
    for i in 0..25 {
        let d = two_weights(&format!("blend-{i}"));
        match c.create_listing(&d).await {
            Ok(p) => published.push((d, p)),
            Err(e) => assert!(
                e.is_transient(),
                "only transient failures under faults: {e:?}"
            ),
        }
    }
    // The engine sends failed publishes again; a lost answer must not leave a second product.
    for i in 0..25 {
        let d = two_weights(&format!("blend-{i}"));
        if !published.iter().any(|(x, _)| x.handle == d.handle) {
            if let Ok(p) = c.create_listing(&d).await {
                published.push((d, p));
            }
        }
    }
    let products = sb.shopify().products();
    let mut handles: Vec<_> = products.iter().map(|p| p.handle.clone()).collect();
    handles.sort();
    handles.dedup();
    assert_eq!(handles.len(), products.len(), "never a duplicate product");
    assert!(products.len() <= 25);
    assert_eq!(
        sb.shopify().products_created() as usize,
        products.len(),
        "each product created once"
    );

    for (n, (_, p)) in published.iter().enumerate() {
        let target = StockTarget {
            listing_remote_id: p.remote_id.clone(),
            variant: p.variants[0].clone(),
        };
        let update = StockUpdate {
            quantity: 20 + n as u32,
            expected_current: Some(4),
            idempotency_key: format!("stock-{n}"),
        };
        match c.set_stock(&target, &update).await {
            Ok(()) => {}
            Err(e) => {
                assert!(e.is_transient(), "{e:?}");
                // Sent again later with the same key: applied once, never refused as stale.
                let mut again = Ok(());
                for _ in 0..5 {
                    again = c.set_stock(&target, &update).await;
                    if again.is_ok() {
                        break;
                    }
                }
                again.unwrap();
            }
        }
        let shop = sb.shopify().products();
        let stock = shop.iter().find(|x| x.gid == p.remote_id).unwrap().variants[0].1;
        assert_eq!(stock, 20 + n as i64);
    }
    assert!(!sb.faults().injected().is_empty(), "faults were injected");
}
