#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The one-page channel comparison over a store with orders, reviews and customers on two
//! channels (bol.com and the Shopify webshop).

use chrono::NaiveDate;
use kanaal_core::store::Store;
use kanaal_insights::{comparison, Period};
use rust_decimal::dec;

/// Jan buys on bol.com and in the webshop, Piet only on bol.com, Fatima only in the webshop
/// (persons already resolved). One webshop order falls in April, outside March.
fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO channels (id, kind, name, created_at) VALUES
                   (1, 'bol', 'bol.com', '2026-01-01T00:00:00Z'),
                   (2, 'shopify', 'Webshop', '2026-01-01T00:00:00Z');
                 INSERT INTO persons (id, created_at) VALUES (1, 'x'), (2, 'x'), (3, 'x');
                 INSERT INTO customers (id, channel_id, remote_id, person_id) VALUES
                   (1, 1, 'b-jan', 1), (2, 2, 's-jan', 1), (3, 1, 'b-piet', 2), (4, 2, 's-fatima', 3);
                 INSERT INTO orders (id, channel_id, remote_id, status, placed_at, updated_at, total, shipping, fees_reported, customer_id, raw) VALUES
                   (1, 1, 'B-1', 'shipped', '2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z', '29.99', NULL, NULL, 1, '{}'),
                   (2, 1, 'B-2', 'shipped', '2026-03-03T10:00:00Z', '2026-03-03T10:00:00Z', '29.99', NULL, NULL, 3, '{}'),
                   (3, 1, 'B-3', 'cancelled', '2026-03-04T10:00:00Z', '2026-03-04T10:00:00Z', '29.99', NULL, NULL, 3, '{}'),
                   (4, 2, 'S-1', 'paid', '2026-03-05T10:00:00Z', '2026-03-05T10:00:00Z', '29.99', '0', NULL, 2, '{}'),
                   (5, 2, 'S-2', 'paid', '2026-03-06T10:00:00Z', '2026-03-06T10:00:00Z', '29.99', '0', NULL, 4, '{}'),
                   (6, 2, 'S-3', 'paid', '2026-04-06T10:00:00Z', '2026-04-06T10:00:00Z', '29.99', '0', NULL, 4, '{}');
                 INSERT INTO order_lines (order_id, line_no, sku, title, quantity, unit_price, vat_rate, fee_reported) VALUES
                   (1, 1, 'APR', 'Linen apron', 1, '29.99', 'standard', '5.25'),
                   (2, 1, 'APR', 'Linen apron', 1, '29.99', 'standard', '5.25'),
                   (3, 1, 'APR', 'Linen apron', 1, '29.99', 'standard', NULL),
                   (4, 1, 'APR', 'Linen apron', 1, '29.99', '21', NULL),
                   (5, 1, 'APR', 'Linen apron', 1, '29.99', '21', NULL),
                   (6, 1, 'APR', 'Linen apron', 1, '29.99', '21', NULL);
                 INSERT INTO reviews (channel_id, remote_id, rating, title, body, language, created_at) VALUES
                   (1, 'r1', 1, '', 'Pakket kwam kapot aan en de bezorger was onbeschoft', 'nl', '2026-03-05T10:00:00Z'),
                   (1, 'r2', 2, '', 'De levering duurde veel te lang', 'nl', '2026-03-07T10:00:00Z'),
                   (2, 'r3', 5, '', 'Lovely apron, great quality', NULL, '2026-03-07T10:00:00Z'),
                   (2, 'r4', 1, '', 'Terrible, it broke after one wash', NULL, '2026-04-07T10:00:00Z');",
            )?;
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn march() -> Period {
    Period {
        from: NaiveDate::from_ymd_opt(2026, 3, 1),
        to: NaiveDate::from_ymd_opt(2026, 4, 1),
    }
}

#[test]
fn the_comparison_shows_each_channels_money_sentiment_and_reach_for_the_period() {
    let (_d, store) = store();
    let c = comparison(&store, march()).unwrap();
    let names: Vec<&str> = c.channels.iter().map(|x| x.channel.as_str()).collect();
    assert_eq!(names, ["bol", "shopify"]);
    let (bol, web) = (&c.channels[0], &c.channels[1]);
    assert_eq!(bol.name, "bol.com");
    assert_eq!(bol.orders, 2, "the cancelled order is left out");
    assert_eq!(bol.revenue_incl_vat, dec!(59.98));
    assert_eq!(bol.revenue_excl_vat, dec!(49.58), "2 x 29.99 / 1.21");
    assert_eq!(
        bol.fees,
        dec!(8.68),
        "bol's reported 5.25 incl. VAT per order, VAT deducted"
    );
    assert_eq!(
        bol.net_contribution,
        dec!(40.90),
        "no cost of goods known: revenue - fees"
    );
    assert_eq!(bol.take_rate, Some(dec!(0.1447)));
    assert_eq!(web.orders, 2, "the April order is outside March");
    assert!(
        web.take_rate.unwrap() < bol.take_rate.unwrap(),
        "the webshop keeps more: {:?} vs {:?}",
        web.take_rate,
        bol.take_rate
    );

    assert_eq!(bol.reviews, 2);
    assert!(
        bol.sentiment.unwrap() < 0.0,
        "bol.com's reviews are negative"
    );
    assert_eq!(
        bol.top_complaints.first().map(|x| x.aspect.as_str()),
        Some("delivery"),
        "both bol.com complaints are about delivery: {:?}",
        bol.top_complaints
    );
    assert_eq!(bol.top_complaints[0].mentions, 2);
    assert_eq!(web.reviews, 1, "the April review is outside March");
    assert!(web.sentiment.unwrap() > 0.0);
    assert!(web.top_complaints.is_empty(), "no complaints in March");

    assert_eq!(c.customers, 3, "Jan, Piet and Fatima");
    assert_eq!(
        (bol.customers, bol.unique_customers),
        (2, 1),
        "Piet only on bol.com"
    );
    assert_eq!(
        (web.customers, web.unique_customers),
        (2, 1),
        "Fatima only in the webshop"
    );
}

#[test]
fn an_open_period_covers_everything_and_the_result_serialises_for_the_ui() {
    let (_d, store) = store();
    let c = comparison(&store, Period::default()).unwrap();
    let web = c.channels.iter().find(|x| x.channel == "shopify").unwrap();
    assert_eq!((web.orders, web.reviews), (3, 2));
    assert_eq!(
        web.top_complaints[0].aspect, "product_quality",
        "{:?}",
        web.top_complaints
    );
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(
        json["channels"][0]["fees"], "8.68",
        "money crosses as an exact string"
    );
    assert_eq!(json["channels"][0]["unique_customers"], 1);
    let back: kanaal_insights::ChannelComparison = serde_json::from_value(json).unwrap();
    assert_eq!(back, c, "what the UI receives is the whole comparison");
}

#[test]
fn an_empty_store_compares_no_channels() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let c = comparison(&store, march()).unwrap();
    assert!(c.channels.is_empty());
    assert_eq!(c.customers, 0);
}

#[test]
fn an_order_refunded_in_full_earns_nothing_but_its_buyer_was_reached() {
    let (_d, store) = store();
    // A new webshop buyer, Kees, whose only order (March) was refunded in full.
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO persons (id, created_at) VALUES (4, 'x');
                 INSERT INTO customers (id, channel_id, remote_id, person_id) VALUES (5, 2, 's-kees', 4);
                 INSERT INTO orders (id, channel_id, remote_id, status, placed_at, updated_at, total, shipping, fees_reported, customer_id, raw) VALUES
                   (7, 2, 'S-4', 'refunded', '2026-03-08T10:00:00Z', '2026-03-09T10:00:00Z', '89.97', '0', NULL, 5, '{}');
                 INSERT INTO order_lines (order_id, line_no, sku, title, quantity, unit_price, vat_rate, fee_reported) VALUES
                   (7, 1, 'APR', 'Linen apron', 3, '29.99', '21', NULL);",
            )?;
            Ok(())
        })
        .unwrap();
    let c = comparison(&store, march()).unwrap();
    let web = c.channels.iter().find(|x| x.channel == "shopify").unwrap();
    assert_eq!(web.orders, 2, "the refunded order is not a sale");
    assert_eq!(
        web.revenue_incl_vat,
        dec!(59.98),
        "money paid back is not turnover"
    );
    assert_eq!(
        web.fees,
        dec!(1.20),
        "2% of 2 x 29.99: no fee for the refund"
    );
    assert_eq!(
        c.customers, 4,
        "Kees bought in the webshop, then got his money back"
    );
    assert_eq!(
        (web.customers, web.unique_customers),
        (3, 2),
        "the webshop reached Kees"
    );
}
