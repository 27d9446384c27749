#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Fee impact and review sentiment over a real store: orders, lines, reviews and a stored fee
//! schedule inserted directly, as the order and review sync will write them.

use kanaal_core::store::Store;
use kanaal_insights::fees::store::{load_sales, load_schedules, save_schedule};
use kanaal_insights::fees::{analyse, FeeSettings};
use kanaal_insights::sentiment::report::review_report;
use rust_decimal::dec;

fn store_with_orders() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO channels (id, kind, name, created_at) VALUES
                   (1, 'bol', 'bol.com', '2026-01-01T00:00:00Z'),
                   (2, 'shopify', 'Webshop', '2026-01-01T00:00:00Z');
                 INSERT INTO orders (id, channel_id, remote_id, status, placed_at, updated_at, total, shipping, fees_reported, raw) VALUES
                   (1, 1, 'B-1', 'shipped', '2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z', '29.99', NULL, NULL, '{}'),
                   (2, 1, 'B-2', 'cancelled', '2026-03-03T10:00:00Z', '2026-03-03T10:00:00Z', '29.99', NULL, NULL, '{}'),
                   (3, 2, 'S-1', 'paid', '2026-03-04T10:00:00Z', '2026-03-04T10:00:00Z', '29.99', '0', NULL, '{}');
                 INSERT INTO order_lines (order_id, line_no, sku, title, quantity, unit_price, vat_rate, fee_reported) VALUES
                   (1, 1, 'APR-BLU', 'Linen apron blue', 1, '29.99', 'standard', '5.25'),
                   (2, 1, 'APR-BLU', 'Linen apron blue', 1, '29.99', 'standard', NULL),
                   (3, 1, 'APR-BLU', 'Linen apron blue', 1, '29.99', '21', NULL);
                 INSERT INTO reviews (channel_id, remote_id, rating, title, body, language, created_at) VALUES
                   (1, 'r1', 1, '', 'Pakket kwam kapot aan en de bezorger was onbeschoft', 'nl', '2026-03-05T10:00:00Z'),
                   (1, 'r2', 5, 'Top', 'Mooie schort, snel geleverd', 'nl', '2026-03-06T10:00:00Z'),
                   (2, 'r3', 5, '', 'Lovely apron, great quality', NULL, '2026-03-07T10:00:00Z');",
            )?;
            Ok(())
        })
        .unwrap();
    (dir, store)
}

#[test]
fn the_fee_report_uses_the_stores_orders_and_bols_reported_commission() {
    let (_dir, store) = store_with_orders();
    let (sales, schedules) = store
        .read(|tx| Ok((load_sales(tx, None, None)?, load_schedules(tx)?)))
        .unwrap();
    assert_eq!(sales.len(), 2, "the cancelled order is left out");
    let a = analyse(&sales, &schedules, FeeSettings::default());
    let bol = &a.by_channel["bol"];
    // Reported 5.25 incl. VAT wins over the modelled 5.50: cost 5.25 / 1.21 = 4.34.
    assert_eq!(bol.fees, dec!(4.34));
    assert_eq!(
        bol.fee_difference,
        dec!(-0.25),
        "bol charged 0.25 less than the model"
    );
    assert_eq!(bol.revenue_excl_vat, dec!(24.79), "29.99 / 1.21");
    assert_eq!(
        bol.lines_without_cost, 1,
        "no cost of goods known: flagged, not guessed"
    );
    let web = &a.by_channel["shopify"];
    assert_eq!(web.fees, dec!(0.60), "2% of 29.99");
    assert_eq!(a.rows().iter().filter(|r| r.level == "channel").count(), 2);
}

#[test]
fn a_stored_schedule_replaces_the_default_and_versions_are_not_overwritten() {
    let (_dir, store) = store_with_orders();
    let mut s = store
        .read(load_schedules)
        .unwrap()
        .into_iter()
        .find(|s| s.channel_kind == "bol")
        .unwrap();
    s.version = 2;
    s.source = "my bol dashboard, read 2026-03-01".to_string();
    s.rules.commission[0].bands[0].percent = dec!(10);
    store.write(|tx| save_schedule(tx, &s)).unwrap();
    let again = store.write(|tx| save_schedule(tx, &s));
    assert!(
        again.unwrap_err().to_string().contains("new version"),
        "a version is history, not edited in place"
    );
    let loaded = store.read(load_schedules).unwrap();
    let bol: Vec<_> = loaded.iter().filter(|x| x.channel_kind == "bol").collect();
    assert_eq!(
        bol.len(),
        1,
        "the stored schedule stands in for the default"
    );
    assert_eq!(bol[0].rules.commission[0].bands[0].percent, dec!(10));
}

#[test]
fn the_review_report_tells_which_channel_has_the_complaints() {
    let (_dir, store) = store_with_orders();
    let r = store.read(|tx| review_report(tx, 5)).unwrap();
    let bol = r.channels.iter().find(|c| c.channel == "bol").unwrap();
    assert_eq!(bol.reviews, 2);
    assert_eq!(bol.negative, 1);
    assert!(bol.aspects.contains_key("delivery"), "{:?}", bol.aspects);
    let shop = r.channels.iter().find(|c| c.channel == "shopify").unwrap();
    assert_eq!(shop.negative, 0);
    assert_eq!(
        r.worst_recent.len(),
        1,
        "only the negative review is listed to answer"
    );
    assert_eq!(r.worst_recent[0].remote_id, "r1");
}

#[test]
fn one_orders_fees_match_the_report_and_a_cancelled_order_has_none() {
    use kanaal_insights::fees::store::{order_fees_of, OrderFees};
    let (_dir, store) = store_with_orders();
    let settings = FeeSettings::default();
    let (bol, cancelled, webshop, missing) = store
        .read(|tx| {
            Ok((
                order_fees_of(tx, 1, settings)?,
                order_fees_of(tx, 2, settings)?,
                order_fees_of(tx, 3, settings)?,
                order_fees_of(tx, 99, settings)?,
            ))
        })
        .unwrap();
    let report = store
        .read(|tx| {
            Ok(analyse(
                &load_sales(tx, None, None)?,
                &load_schedules(tx)?,
                settings,
            ))
        })
        .unwrap();
    let Some(OrderFees::Modelled(bol)) = bol else {
        panic!("bol's order is modelled: {bol:?}");
    };
    let in_report = report.orders.iter().find(|o| o.id == "bol:B-1").unwrap();
    assert_eq!(
        &bol, in_report,
        "the order screen shows the report's own figures"
    );
    assert_eq!(bol.actual, Some(dec!(5.25)), "bol reported its commission");
    assert_eq!(bol.difference, Some(dec!(5.25) - bol.modelled));
    assert_eq!(cancelled, Some(OrderFees::Cancelled));
    let Some(OrderFees::Modelled(webshop)) = webshop else {
        panic!("the webshop order is modelled: {webshop:?}");
    };
    assert_eq!(
        webshop.actual, None,
        "no fee was reported for the webshop order"
    );
    assert_eq!(missing, None, "an unknown order id is not an error");
}

#[test]
fn an_order_refunded_in_full_is_no_sale_and_its_screen_says_so() {
    use kanaal_insights::fees::store::{order_fees_of, OrderFees};
    let (_dir, store) = store_with_orders();
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO orders (id, channel_id, remote_id, status, placed_at, updated_at, total, shipping, fees_reported, raw) VALUES
                   (4, 2, 'S-2', 'refunded', '2026-03-05T10:00:00Z', '2026-03-06T10:00:00Z', '59.98', '0', NULL, '{}');
                 INSERT INTO order_lines (order_id, line_no, sku, title, quantity, unit_price, vat_rate, fee_reported) VALUES
                   (4, 1, 'APR-BLU', 'Linen apron blue', 2, '29.99', '21', NULL);",
            )?;
            Ok(())
        })
        .unwrap();
    let settings = FeeSettings::default();
    let (sales, schedules, refunded) = store
        .read(|tx| {
            Ok((
                load_sales(tx, None, None)?,
                load_schedules(tx)?,
                order_fees_of(tx, 4, settings)?,
            ))
        })
        .unwrap();
    assert!(
        sales.iter().all(|s| s.id != "shopify:S-2"),
        "the refunded order is left out of the sales"
    );
    let a = analyse(&sales, &schedules, settings);
    let web = &a.by_channel["shopify"];
    assert_eq!(web.fees, dec!(0.60), "only the paid order's 2% of 29.99");
    assert_eq!(
        web.revenue_excl_vat,
        dec!(24.79),
        "29.99 / 1.21, nothing refunded"
    );
    assert_eq!(refunded, Some(OrderFees::Refunded));
}
