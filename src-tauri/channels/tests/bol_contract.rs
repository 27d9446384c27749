//! Contract tests: the bol.com connector against the bol.com sandbox, over real HTTP on
//! loopback. Every operation of the `Channel` trait, the throttling path (429 + Retry-After),
//! every failure kind, a create whose answer is lost, and at the end every request body the
//! sandbox accepted is checked against bol's OpenAPI document.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kanaal_channels::bol::{quick_poll, Bol, BolConfig};
use kanaal_channels::credentials::Credentials;
use kanaal_channels::http::ManualTimer;
use kanaal_channels::model::*;
use kanaal_channels::{Channel, Failure};
use kanaal_core::clock::FixedClock;
use kanaal_core::money::Money;
use kanaal_sandbox::faults::{Fault, Route};
use kanaal_sandbox::{Sandbox, SandboxConfig};
use reqwest::Method;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

struct Fixture {
    sandbox: Sandbox,
    timer: Arc<ManualTimer>,
    bol: Bol,
}

fn connector(
    sandbox: &Sandbox,
    timer: Arc<ManualTimer>,
    secret: Option<&str>,
    base: Option<&str>,
) -> Bol {
    let info = sandbox.platform("bol").unwrap();
    let base = base.unwrap_or(&info.base_url);
    let clock = Arc::new(FixedClock::at(sandbox.clock().now()));
    let mut config = BolConfig::new(base, base, clock);
    config.http.timer = timer;
    config.http.seed = 3;
    config.poll = quick_poll();
    let creds = Credentials::new()
        .with("client_id", &info.credentials["client_id"])
        .with(
            "client_secret",
            secret.unwrap_or(&info.credentials["client_secret"]),
        );
    Bol::new(config, &creds).unwrap()
}

async fn fixture() -> Fixture {
    let sandbox = Sandbox::start(SandboxConfig {
        seed: 7,
        speed: 0.0,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let timer = Arc::new(ManualTimer::new());
    let bol = connector(&sandbox, timer.clone(), None, None);
    Fixture {
        sandbox,
        timer,
        bol,
    }
}

fn draft(ean: &str, sku: &str, title: &str, price: i64, stock: u32) -> ListingDraft {
    ListingDraft {
        handle: sku.to_lowercase(),
        title: title.into(),
        description: String::new(),
        brand: "Kanaal Koffie".into(),
        options: vec![],
        variants: vec![VariantDraft {
            sku: sku.into(),
            gtin: Some(ean.into()),
            option_values: vec![],
            price: Money::eur(Decimal::new(price, 2)),
            compare_at_price: None,
            stock,
            weight_grams: None,
        }],
        attributes: BTreeMap::new(),
    }
}

/// Checks each accepted request body against the schema bol's OpenAPI document gives for it.
fn assert_bodies_match_openapi(sandbox: &Sandbox) {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../sandbox/spec/bol-retailer.json");
    let spec: serde_json::Value = serde_json::from_slice(&std::fs::read(dir).unwrap()).unwrap();
    let bodies = sandbox.bol().accepted_bodies();
    assert!(!bodies.is_empty(), "the run sent bodies to check");
    for (method, route, body) in bodies {
        let op = &spec["paths"][&route][method.to_lowercase()];
        let reference = op["requestBody"]["content"]["application/vnd.retailer.v10+json"]["schema"]
            ["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("the spec has a JSON body for {method} {route}"));
        let schema = serde_json::json!({"$ref": reference, "components": spec["components"]});
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&schema)
            .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {route} sent a body bol's OpenAPI refuses: {errors:?}\n{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_works_against_the_sandbox_and_sends_what_the_openapi_allows() {
    let f = fixture().await;
    let products = f.sandbox.world().products.clone();
    let p = &products[0];

    let info = f.bol.check_connection().await.unwrap();
    assert!(
        matches!(&info.account, kanaal_core::channels::Account::BolClient { client_id } if !client_id.is_empty()),
        "connection test names the API client: {:?}",
        info.account
    );

    // Publish: create, then update content, price and stock.
    let created = f
        .bol
        .create_listing(&draft(&p.ean, &p.sku, &p.title, 1195, 7))
        .await
        .unwrap();
    let offers = f.sandbox.bol().offers();
    assert_eq!(offers.len(), 1, "one offer made");
    assert_eq!(
        offers[0].offer_id, created.remote_id,
        "the returned id is bol's offer id"
    );
    assert_eq!(
        (offers[0].unit_price, offers[0].stock),
        (Some(Decimal::new(1195, 2)), 7)
    );
    assert_eq!(
        offers[0].reference.as_deref(),
        Some(p.sku.as_str()),
        "SKU goes into bol's reference"
    );

    let updated = f
        .bol
        .update_listing(&created, &draft(&p.ean, &p.sku, "Nieuwe titel", 1250, 4))
        .await
        .unwrap();
    assert_eq!(updated.remote_id, created.remote_id);
    let o = &f.sandbox.bol().offers()[0];
    assert_eq!(
        (o.title.as_deref(), o.unit_price, o.stock),
        (Some("Nieuwe titel"), Some(Decimal::new(1250, 2)), 4),
        "update reached bol"
    );

    let target = StockTarget {
        listing_remote_id: created.remote_id.clone(),
        variant: created.variants[0].clone(),
    };
    f.bol
        .set_stock(
            &target,
            &StockUpdate {
                quantity: 12,
                expected_current: Some(4),
                idempotency_key: "k1".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(f.sandbox.bol().offers()[0].stock, 12, "stock set");

    // Read back for drift checks.
    let live = f.bol.live_listings(None).await.unwrap();
    assert_eq!(live.items.len(), 1);
    assert_eq!(
        live.items[0].price,
        Some(Money::eur(Decimal::new(1250, 2))),
        "price read back exactly"
    );
    assert_eq!(live.items[0].stock, Some(12));
    assert_eq!(live.items[0].sku.as_deref(), Some(p.sku.as_str()));

    // Orders: the world's bol purchases so far, with bol's masking.
    let page = f.bol.orders_since(None).await.unwrap();
    assert!(!page.orders.is_empty(), "open orders arrive");
    for o in &page.orders {
        assert!(
            o.customer
                .email
                .as_deref()
                .unwrap()
                .ends_with("@verkopen.bol.com"),
            "relay e-mail only"
        );
        assert!(
            o.customer.email_is_relay && o.customer.phone.is_none(),
            "bol masks the customer"
        );
        assert!(
            o.fees.unwrap().amount > Decimal::ZERO,
            "commission comes with the order"
        );
        assert_eq!(
            o.total.amount,
            o.lines
                .iter()
                .map(|l| l.unit_price.amount * Decimal::from(l.quantity))
                .sum::<Decimal>()
        );
    }

    // Ship one order with carrier and tracking; cancel another.
    let first = &page.orders[0];
    let shipment = Shipment {
        order_remote_id: first.remote_id.clone(),
        lines: vec![],
        carrier: Carrier::PostNl,
        tracking: "3SABCD1234567".into(),
        reference: "KANAAL-1".into(),
    };
    f.bol.mark_shipped(&shipment).await.unwrap();
    let shipments = f.sandbox.bol().shipments();
    assert_eq!(shipments.len(), 1);
    assert_eq!(
        (
            shipments[0].transporter_code.as_deref(),
            shipments[0].track_and_trace.as_deref()
        ),
        (Some("TNT"), Some("3SABCD1234567")),
        "PostNL is bol's TNT"
    );
    f.bol.mark_shipped(&shipment).await.unwrap();
    assert_eq!(
        f.sandbox.bol().shipments().len(),
        1,
        "shipping the same shipment again changes nothing"
    );

    let second = &page.orders[1];
    f.bol
        .cancel_order(&Cancellation {
            order_remote_id: second.remote_id.clone(),
            lines: vec![],
            reason: CancelReason::OutOfStock,
        })
        .await
        .unwrap();
    assert!(f
        .sandbox
        .bol()
        .cancellations()
        .iter()
        .all(|(_, r)| r == "OUT_OF_STOCK"));
    assert_eq!(
        f.sandbox.bol().cancellations().len(),
        second.lines.len(),
        "every open line cancelled"
    );

    // The next sync, a minute later, sees exactly the two changed orders.
    f.sandbox.clock().advance(Duration::from_secs(60));
    let later = connector(&f.sandbox, f.timer.clone(), None, None);
    let changed = later.orders_since(Some(&page.resume_from)).await.unwrap();
    let statuses: BTreeMap<_, _> = changed
        .orders
        .iter()
        .map(|o| (o.remote_id.clone(), o.status))
        .collect();
    assert_eq!(
        statuses.get(&first.remote_id),
        Some(&OrderStatus::Shipped),
        "shipment seen: {statuses:?}"
    );
    assert_eq!(
        statuses.get(&second.remote_id),
        Some(&OrderStatus::Cancelled),
        "cancellation seen"
    );

    // Fees and ratings.
    let fee = f
        .bol
        .expected_fee(&p.ean, Money::eur(Decimal::new(2000, 2)))
        .await
        .unwrap();
    assert_eq!(
        fee.total.amount,
        Decimal::new(399, 2),
        "€0.99 + 15% of €20.00"
    );
    let ratings = f.bol.ratings(&p.ean).await.unwrap();
    assert!(
        ratings
            .counts
            .iter()
            .any(|(stars, n)| *stars == 5 && *n > 0),
        "ratings read: {ratings:?}"
    );

    // bol.com has no review texts and no category tree Kanaal maps to: said plainly.
    assert!(matches!(
        f.bol.reviews(None).await,
        Err(Failure::Unsupported { .. })
    ));
    assert!(matches!(
        f.bol.categories().await,
        Err(Failure::Unsupported { .. })
    ));

    // Unpublish, twice.
    f.bol.unpublish_listing(&created).await.unwrap();
    assert!(f.sandbox.bol().offers().is_empty(), "offer deleted");
    f.bol.unpublish_listing(&created).await.unwrap();

    assert_eq!(
        f.bol.tokens_fetched(),
        1,
        "one token reused for every call until it expires"
    );
    f.sandbox.clock().advance(Duration::from_secs(300));
    f.bol.check_connection().await.unwrap();
    assert_eq!(
        f.bol.tokens_fetched(),
        2,
        "an expired token is refused by bol and fetched again once"
    );

    assert_bodies_match_openapi(&f.sandbox);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out_for_retry_after_and_a_long_one_is_reported_as_throttled() {
    let f = fixture().await;
    f.sandbox.bol().set_pending_polls(0);
    f.sandbox.faults().inject(
        Route::new(Method::GET, "/retailer/orders"),
        Fault::Throttle {
            retry_after_secs: 3,
        },
        1,
    );
    f.bol.orders_since(None).await.unwrap();
    assert!(
        f.timer.sleeps().contains(&Duration::from_secs(3)),
        "waited Retry-After: {:?}",
        f.timer.sleeps()
    );

    f.sandbox.faults().inject(
        Route::new(Method::GET, "/retailer/orders"),
        Fault::Throttle {
            retry_after_secs: 600,
        },
        1,
    );
    let err = f.bol.orders_since(None).await.unwrap_err();
    assert_eq!(
        err,
        Failure::Throttled {
            channel: "bol.com".into(),
            retry_after: Duration::from_secs(600)
        },
        "long waits go back to the caller"
    );
    assert!(err.is_transient());

    // bol's own rate-limit headers: with the window used up the connector waits, not hammers.
    f.timer.advance(Duration::from_secs(600));
    f.sandbox.bol().set_rate_limit(1);
    f.bol
        .expected_fee(&f.sandbox.world().products[0].ean, Money::eur(Decimal::TEN))
        .await
        .unwrap();
    let err = f
        .bol
        .expected_fee(&f.sandbox.world().products[0].ean, Money::eur(Decimal::TEN))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Failure::Throttled { .. }),
        "an exhausted window is throttled before sending: {err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_failure_kind_comes_out_of_the_matching_platform_answer() {
    let f = fixture().await;
    let p = f.sandbox.world().products[1].clone();

    let wrong = connector(&f.sandbox, f.timer.clone(), Some("not-the-secret"), None);
    assert_eq!(
        wrong.check_connection().await.unwrap_err(),
        Failure::BadCredentials {
            channel: "bol.com".into()
        }
    );

    let mut bad_ean = p.ean.clone();
    bad_ean.replace_range(12..13, if bad_ean.ends_with('0') { "1" } else { "0" });
    match f
        .bol
        .create_listing(&draft(&bad_ean, "X-1", "Koffie", 1000, 1))
        .await
        .unwrap_err()
    {
        Failure::Rejected { field, reason, .. } => {
            assert_eq!(
                field, "gtin",
                "bol's violation name mapped to Kanaal's field"
            );
            assert!(reason.contains(&bad_ean), "bol's reason kept: {reason}");
        }
        other => panic!("wrong EAN check digit must be rejected, got {other:?}"),
    }
    match f
        .bol
        .create_listing(&draft(&p.ean, "X-2", "Koffie", -100, 1))
        .await
        .unwrap_err()
    {
        Failure::Rejected { field, .. } => {
            assert_eq!(field, "price", "a negative price never leaves Kanaal")
        }
        other => panic!("negative price must be rejected, got {other:?}"),
    }
    assert!(
        f.sandbox.bol().offers().is_empty(),
        "nothing was made from rejected listings"
    );

    f.sandbox.faults().inject(
        Route::new(Method::GET, "/retailer/commission"),
        Fault::Unavailable,
        10,
    );
    let err = f
        .bol
        .expected_fee(&p.ean, Money::eur(Decimal::TEN))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Failure::PlatformDown { .. }),
        "503 after every retry: {err:?}"
    );

    let closed = kanaal_sandbox::bind_loopback(None).unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let offline = connector(&f.sandbox, f.timer.clone(), None, Some(&url));
    assert_eq!(
        offline.check_connection().await.unwrap_err(),
        Failure::NetworkDown {
            channel: "bol.com".into()
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_whose_answer_is_lost_is_found_instead_of_made_twice() {
    let f = fixture().await;
    let p = f.sandbox.world().products[2].clone();
    f.sandbox
        .faults()
        .inject(Route::new(Method::POST, "/retailer/offers"), Fault::Lost, 1);
    let listing = f
        .bol
        .create_listing(&draft(&p.ean, &p.sku, &p.title, 1095, 3))
        .await
        .unwrap();
    let offers = f.sandbox.bol().offers();
    assert_eq!(offers.len(), 1, "exactly one offer");
    assert_eq!(
        offers[0].offer_id, listing.remote_id,
        "the lost offer was found"
    );

    // Sending the create again (the outbox retries) adopts the existing offer.
    let again = f
        .bol
        .create_listing(&draft(&p.ean, &p.sku, &p.title, 1095, 3))
        .await
        .unwrap();
    assert_eq!(again.remote_id, listing.remote_id);
    assert_eq!(f.sandbox.bol().offers().len(), 1, "still one offer");
}

/// Reads every page of an order sync from `cursor`.
async fn sync_all(bol: &Bol, cursor: Option<&OrderCursor>) -> (Vec<ChannelOrder>, OrderCursor) {
    let mut page = bol.orders_since(cursor).await.unwrap();
    let mut orders = std::mem::take(&mut page.orders);
    let resume = page.resume_from.clone();
    let mut guard = 0;
    while let Some(next) = page.next.clone() {
        page = bol.orders_since(Some(&next)).await.unwrap();
        assert_eq!(
            page.resume_from, resume,
            "every page says where the next sync starts"
        );
        orders.append(&mut page.orders);
        guard += 1;
        assert!(guard < 200, "paging ends");
    }
    (orders, resume)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_placed_and_handled_during_a_pause_of_hours_are_still_seen() {
    let f = fixture().await;
    let t0 = f.sandbox.clock().now();
    let (_, resume) = sync_all(&f.bol, None).await;

    // While Kanaal is closed for hours, two new bol orders come in; one is shipped and the
    // other cancelled (in the seller dashboard, say) before Kanaal syncs again. Neither is
    // open any more, and both changed more than an hour before the next sync.
    let new: Vec<_> = f
        .sandbox
        .world()
        .purchases
        .iter()
        .filter(|p| p.platform == "bol" && p.placed_at > t0)
        .take(2)
        .cloned()
        .collect();
    let handled_at = new[1].placed_at + chrono::Duration::minutes(10);
    f.sandbox
        .clock()
        .advance((handled_at - t0).to_std().unwrap());
    let dashboard = connector(&f.sandbox, f.timer.clone(), None, None);
    let (open, _) = sync_all(&dashboard, None).await;
    let fresh: Vec<&ChannelOrder> = open.iter().filter(|o| o.placed_at > t0).collect();
    assert_eq!(fresh.len(), 2, "the two new orders are open: {fresh:?}");
    dashboard
        .mark_shipped(&Shipment {
            order_remote_id: fresh[0].remote_id.clone(),
            lines: vec![],
            carrier: Carrier::Dhl,
            tracking: "JVGL0001".into(),
            reference: "DASHBOARD-1".into(),
        })
        .await
        .unwrap();
    dashboard
        .cancel_order(&Cancellation {
            order_remote_id: fresh[1].remote_id.clone(),
            lines: vec![],
            reason: CancelReason::OutOfStock,
        })
        .await
        .unwrap();
    f.sandbox.clock().advance(Duration::from_secs(5 * 3600));
    let pause = f.sandbox.clock().now() - t0;
    assert!(
        pause > chrono::Duration::hours(5),
        "a pause of hours: {pause}"
    );

    let later = connector(&f.sandbox, f.timer.clone(), None, None);
    let (seen, next) = sync_all(&later, Some(&resume)).await;
    let status = |id: &str| seen.iter().find(|o| o.remote_id == id).map(|o| o.status);
    assert_eq!(
        status(&fresh[0].remote_id),
        Some(OrderStatus::Shipped),
        "the order shipped during the pause is seen"
    );
    assert_eq!(
        status(&fresh[1].remote_id),
        Some(OrderStatus::Cancelled),
        "the order cancelled during the pause is seen"
    );
    assert_ne!(next, resume, "the cursor moved on");

    // A minute later the next sync starts where this one did: nothing new, nothing skipped.
    f.sandbox.clock().advance(Duration::from_secs(60));
    let after = connector(&f.sandbox, f.timer.clone(), None, None);
    let (again, _) = sync_all(&after, Some(&next)).await;
    assert!(again.is_empty(), "nothing changed since: {again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payouts_are_bols_monthly_invoices_with_the_fees_per_order() {
    let f = fixture().await;
    let world = f.sandbox.world().clone();
    let dutch = |t: chrono::DateTime<chrono::Utc>| (t + chrono::Duration::hours(1)).date_naive();
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();

    // An open November order is cancelled now, before November's invoice is issued.
    let (open, _) = sync_all(&f.bol, None).await;
    let november = open
        .iter()
        .find(|o| dutch(o.placed_at) >= date("2026-11-01"))
        .expect("an open November order");
    f.bol
        .cancel_order(&Cancellation {
            order_remote_id: november.remote_id.clone(),
            lines: vec![],
            reason: CancelReason::OutOfStock,
        })
        .await
        .unwrap();
    let october_order = open
        .iter()
        .find(|o| (date("2026-10-01")..date("2026-11-01")).contains(&dutch(o.placed_at)))
        .expect("an October order");

    // A month later: the September, October and November invoices are out (issued on the
    // first of the next month); four months are asked, so more than bol's 31-day window.
    f.sandbox
        .clock()
        .advance(Duration::from_secs(30 * 24 * 3600));
    let bol = connector(&f.sandbox, f.timer.clone(), None, None);
    let payouts = bol
        .payouts(date("2026-09-01"), date("2026-12-31"))
        .await
        .unwrap();
    let periods: Vec<_> = payouts
        .iter()
        .map(|p| (p.period_start.to_string(), p.period_end.to_string()))
        .collect();
    assert_eq!(
        periods,
        [
            ("2026-09-01".to_string(), "2026-09-30".to_string()),
            ("2026-10-01".into(), "2026-10-31".into()),
            ("2026-11-01".into(), "2026-11-30".into()),
        ],
        "one payout per monthly invoice, each once"
    );

    for p in &payouts {
        // What was sold on bol in the month (but not the cancelled order), and the fee bol's
        // commission endpoint gives for each item.
        let mut gross = Decimal::ZERO;
        let mut fees = Decimal::ZERO;
        let mut orders = std::collections::BTreeSet::new();
        for purchase in world.purchases.iter().filter(|x| {
            x.platform == "bol" && (p.period_start..=p.period_end).contains(&dutch(x.placed_at))
        }) {
            if purchase.placed_at == november.placed_at {
                continue;
            }
            orders.insert(purchase.id);
            for (product, q) in &purchase.lines {
                let product = &world.products[*product];
                let fee = bol
                    .expected_fee(&product.ean, Money::eur(product.price))
                    .await
                    .unwrap();
                gross += product.price * Decimal::from(*q);
                fees += fee.total.amount * Decimal::from(*q);
            }
        }
        assert_eq!(p.gross.amount, gross, "{}: sales", p.remote_id);
        assert_eq!(
            p.fees.amount, fees,
            "{}: commission actually kept",
            p.remote_id
        );
        assert_eq!(p.net.amount, gross - fees);

        let per_order = bol.payout_fees(p).await.unwrap();
        assert!(per_order
            .iter()
            .all(|l| l.kind == "COMMISSION" && l.order_remote_id.is_some()));
        assert_eq!(
            per_order.iter().map(|l| l.amount.amount).sum::<Decimal>(),
            p.fees.amount,
            "the fees per order add up to the payout's"
        );
        let billed: std::collections::BTreeSet<_> = per_order
            .iter()
            .filter_map(|l| l.order_remote_id.clone())
            .collect();
        assert_eq!(
            billed.len(),
            orders.len(),
            "{}: every order billed once",
            p.remote_id
        );
        assert!(
            !billed.contains(&november.remote_id),
            "a cancelled order is not billed"
        );
    }
    // The actual fee of an October order is the commission bol stated on the order.
    let october = payouts
        .iter()
        .find(|p| p.period_start == date("2026-10-01"))
        .unwrap();
    let on_invoice: Decimal = bol
        .payout_fees(october)
        .await
        .unwrap()
        .iter()
        .filter(|l| l.order_remote_id.as_deref() == Some(october_order.remote_id.as_str()))
        .map(|l| l.amount.amount)
        .sum();
    assert_eq!(Some(Money::eur(on_invoice)), october_order.fees);

    assert!(
        matches!(
            bol.payouts(date("2026-10-01"), date("2026-09-01")).await,
            Err(Failure::Rejected { .. })
        ),
        "a period that ends before it starts is refused before anything is sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_limits_kanaal_checks_are_the_ones_bol_enforces() {
    let f = fixture().await;
    let limits = f.bol.limits();
    let p = f.sandbox.world().products[3].clone();
    // At the edges bol allows: a 500-character title, € 9,999.00, 999 in stock. Accepted
    // by the check and by bol.
    let edge = draft(&p.ean, &p.sku, &"k".repeat(500), 999_900, 999);
    assert!(limits.check(&edge).is_empty(), "{:?}", limits.check(&edge));
    f.bol.create_listing(&edge).await.unwrap();
    let o = &f.sandbox.bol().offers()[0];
    assert_eq!(
        (o.unit_price, o.stock),
        (Some(Decimal::new(999_900, 2)), 999)
    );

    // One past each edge, and no EAN at all: refused by the check, naming the field, before
    // anything is sent.
    let q = f.sandbox.world().products[4].clone();
    let mut no_ean = draft(&q.ean, &q.sku, "Koffie", 1000, 1);
    no_ean.variants[0].gtin = None;
    for (bad, field) in [
        (draft(&q.ean, &q.sku, &"k".repeat(501), 1000, 1), "title"),
        (draft(&q.ean, &q.sku, "Koffie", 1_000_000, 1), "price"),
        (draft(&q.ean, &q.sku, "Koffie", 1000, 1000), "stock"),
        (no_ean, "gtin"),
    ] {
        assert!(
            limits.check(&bad).iter().any(|p| p.field.contains(field)),
            "{field}: {:?}",
            limits.check(&bad)
        );
        match f.bol.create_listing(&bad).await.unwrap_err() {
            Failure::Rejected { field: f2, .. } => assert!(f2.contains(field), "{f2}"),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert_eq!(f.sandbox.bol().offers().len(), 1, "nothing else was made");
    assert!(
        limits.supports.payouts && limits.supports.ratings && !limits.supports.reviews,
        "bol.com gives invoices and ratings, no review texts"
    );

    // A product without ratings on bol: an empty list, not an error.
    let none = f.bol.ratings("8712345678906").await.unwrap();
    assert!(none.counts.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_after_more_than_three_months_reads_what_bol_still_keeps() {
    let f = fixture().await;
    let (_, resume) = sync_all(&f.bol, None).await;
    // Kanaal was not opened for 100 days: bol keeps 3 months of changes, the sync asks for
    // no older date (bol would refuse it) and still ends with a cursor that moved on.
    f.sandbox
        .clock()
        .advance(Duration::from_secs(100 * 24 * 3600));
    let later = connector(&f.sandbox, f.timer.clone(), None, None);
    let (seen, next) = sync_all(&later, Some(&resume)).await;
    assert_ne!(next, resume);
    let cutoff = f.sandbox.clock().now() - chrono::Duration::days(92);
    assert!(
        seen.iter().all(|o| o.updated_at >= cutoff),
        "only what bol still keeps"
    );
    assert!(
        seen.iter()
            .any(|o| o.placed_at > f.sandbox.clock().now() - chrono::Duration::days(75)),
        "the orders of the pause within the 3 months are read"
    );
}
