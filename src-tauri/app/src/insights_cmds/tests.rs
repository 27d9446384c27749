//! Tests of the Insights reports over a small store: two channels, a cancelled order, reviews
//! that blame a platform's courier, one customer per channel.

use super::reports::{comparison, fee_report, overlap_report, period, review_report};
use super::types::*;
use kanaal_core::channel_kind::ChannelGroup;
use kanaal_core::store::Store;

/// bol.com and the webshop with one sold order each (plus a cancelled one), reviews that
/// blame bol's courier and praise the webshop, and one customer per channel.
fn shop() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO channels (id, kind, name, created_at) VALUES
                   (1, 'bol', 'bol.com', '2026-01-01T00:00:00Z'),
                   (2, 'shopify', 'Webshop', '2026-01-01T00:00:00Z');
                 INSERT INTO customers (id, channel_id, remote_id, name, postcode, house_number, country) VALUES
                   (1, 1, 'c1', 'Jan de Vries', '1234AB', '1', 'NL'),
                   (2, 2, 'c2', 'Fatima Yilmaz', '5678CD', '2', 'NL');
                 INSERT INTO orders (id, channel_id, remote_id, status, placed_at, updated_at, total, shipping, fees_reported, raw, customer_id) VALUES
                   (1, 1, 'B-1', 'shipped', '2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z', '29.99', NULL, NULL, '{}', 1),
                   (2, 1, 'B-2', 'cancelled', '2026-03-03T10:00:00Z', '2026-03-03T10:00:00Z', '29.99', NULL, NULL, '{}', 1),
                   (3, 2, 'S-1', 'paid', '2026-03-04T10:00:00Z', '2026-03-04T10:00:00Z', '29.99', '0', NULL, '{}', 2);
                 INSERT INTO order_lines (order_id, line_no, sku, title, quantity, unit_price, vat_rate, fee_reported) VALUES
                   (1, 1, 'APR-BLU', 'Linen apron blue', 1, '29.99', 'standard', '5.25'),
                   (2, 1, 'APR-BLU', 'Linen apron blue', 1, '29.99', 'standard', NULL),
                   (3, 1, 'APR-BLU', 'Linen apron blue', 1, '29.99', '21', NULL);
                 INSERT INTO reviews (channel_id, remote_id, rating, title, body, language, created_at) VALUES
                   (1, 'r1', 1, '', 'De bezorging was een ramp, pakket kwam veel te laat en kapot aan', 'nl', '2026-03-05T10:00:00Z'),
                   (1, 'r2', 2, '', 'Slechte bezorger, onbeschoft en te laat', 'nl', '2026-04-06T10:00:00Z'),
                   (2, 'r3', 5, '', 'Lovely apron, great quality, fast delivery', 'en', '2026-03-07T10:00:00Z');",
            )?;
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn filter(from: Option<&str>, to: Option<&str>, channels: &[&str]) -> InsightsFilter {
    InsightsFilter {
        from: from.map(str::to_string),
        to: to.map(str::to_string),
        channels: channels.iter().map(|c| c.to_string()).collect(),
    }
}

#[test]
fn the_comparison_lists_every_channel_with_fees_sentiment_and_customers() {
    let (_dir, store) = shop();
    let c = comparison(&store, &InsightsFilter::default()).unwrap();
    let kinds: Vec<&str> = c.rows.iter().map(|r| r.channel.as_str()).collect();
    assert_eq!(kinds, ["bol", "shopify"], "one row per channel kind");
    let bol = &c.rows[0];
    assert_eq!(bol.orders, 1, "the cancelled order is not counted");
    assert_eq!(bol.revenue.amount.to_string(), "29.99");
    assert_eq!(
        bol.fees.amount.to_string(),
        "4.34",
        "bol's reported commission wins over the model (5.25 incl. VAT)"
    );
    assert!(
        bol.take_rate.is_some(),
        "a channel with revenue has a take rate"
    );
    assert!(
        bol.sentiment.unwrap() < c.rows[1].sentiment.unwrap(),
        "bol's courier complaints score below the webshop's praise"
    );
    assert!(
        bol.top_complaints.iter().any(|a| a == "delivery"),
        "delivery is among bol's top complaints: {:?}",
        bol.top_complaints
    );
    assert_eq!(bol.customers, 1);
    assert_eq!(
        bol.unique_customers, 1,
        "two different people: each unique to their channel"
    );
    assert_eq!(c.all_channels.len(), 2);
    assert_eq!(c.all_channels[1].group, ChannelGroup::Webshop);
}

#[test]
fn the_period_and_channel_filters_narrow_every_report() {
    let (_dir, store) = shop();
    let april = filter(Some("2026-04-01"), Some("2026-04-30"), &[]);
    let c = comparison(&store, &april).unwrap();
    assert!(
        c.rows.iter().all(|r| r.orders == 0),
        "no orders in April: {:?}",
        c.rows
    );
    assert_eq!(
        c.rows.len(),
        2,
        "channels without orders in the period still show"
    );
    let r = review_report(&store, &april).unwrap();
    assert_eq!(r.channels.len(), 1, "only bol has a review in April");
    assert_eq!(r.months[0].month, "2026-04");

    // The last day of the period counts: 4 March is in a period ending on 4 March.
    let to_fourth = filter(Some("2026-03-01"), Some("2026-03-04"), &[]);
    let f = fee_report(&store, &to_fourth).unwrap();
    assert_eq!(f.channels.len(), 2, "the end day is included");

    let only_bol = comparison(&store, &filter(None, None, &["bol"])).unwrap();
    assert_eq!(only_bol.rows.len(), 1);
    assert_eq!(
        only_bol.all_channels.len(),
        2,
        "the filter still offers every channel"
    );
    let o = overlap_report(&store, &filter(None, None, &["bol"])).unwrap();
    assert_eq!(o.channels, ["bol"]);
    assert_eq!(o.matrix, vec![vec![1]]);
}

#[test]
fn a_delivery_complaint_only_on_the_platform_is_reported_as_such() {
    let (_dir, store) = shop();
    let r = review_report(&store, &InsightsFilter::default()).unwrap();
    let delivery: Vec<_> = r
        .platform_complaints
        .iter()
        .filter(|p| p.aspect == "delivery")
        .collect();
    assert_eq!(delivery.len(), 1, "{:?}", r.platform_complaints);
    assert_eq!(delivery[0].channel, "bol");
    assert!(
        delivery[0].webshop_score.unwrap() > 0.0,
        "webshop customers praise the delivery"
    );
    assert!(
        r.worst_recent.iter().all(|w| w.channel == "bol"),
        "only negative reviews are listed to answer first"
    );
    let f = fee_report(&store, &InsightsFilter::default()).unwrap();
    let check = f.checks.iter().find(|c| c.channel == "bol").unwrap();
    assert_eq!(check.orders_reported, 1);
    assert_ne!(
        check.actual, check.modelled_reported,
        "bol charged other than the schedule expected, and it shows"
    );
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused_in_plain_words() {
    let e = period(&filter(Some("2026-05-01"), Some("2026-04-01"), &[])).unwrap_err();
    assert_eq!(e.code, "invalid_input");
    assert!(e.message.contains("ends before it starts"), "{}", e.message);
    let e = period(&filter(Some("1 mei"), None, &[])).unwrap_err();
    assert!(e.message.contains("pick a day"), "{}", e.message);
}
