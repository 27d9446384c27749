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

fn bol_draft(store: &Store, from: &str) -> kanaal_insights::fees::edit::ScheduleDraft {
    let all = super::fee_schedules(store, true, day("2026-05-01")).unwrap();
    let bol = all.iter().find(|c| c.channel == "bol").unwrap();
    let mut d = bol.versions[0].rules.clone();
    d.effective_from = from.to_string();
    d.source = "bol.com dashboard, read 2026-03-03".to_string();
    d
}

#[test]
fn a_new_bol_version_changes_the_fees_of_later_orders_only_and_keeps_the_old_one_listed() {
    let (_dir, store) = shop();
    let all = super::fee_schedules(&store, true, day("2026-05-01")).unwrap();
    let bol = all.iter().find(|c| c.channel == "bol").unwrap();
    assert_eq!(bol.versions.len(), 1);
    assert!(bol.versions[0].shipped_default);
    assert_eq!(
        bol.versions[0].rules.commission[0].bands[0].fixed_per_item, "1,00",
        "Dutch decimal comma"
    );

    // A typo is named by field, nothing saved.
    let mut d = bol_draft(&store, "2026-03-03");
    d.commission[0].bands[0].percent = "1O".into();
    let errors = super::check_fee_schedule(&store, &d).unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "commission.0.bands.0.percent");
    assert_eq!(errors[0].code, "not_a_number");
    assert_eq!(super::save_fee_schedule(&store, &d).unwrap(), errors);

    // The saved version: bol's order of 2 March (reported fee) is unaffected; the modelled fee
    // of a later order would be. The order before the date keeps version 1.
    let before = fee_report(&store, &InsightsFilter::default()).unwrap();
    d.commission[0].bands[0].percent = "8".into();
    assert!(super::save_fee_schedule(&store, &d).unwrap().is_empty());
    let after = fee_report(&store, &InsightsFilter::default()).unwrap();
    assert_eq!(
        before.checks, after.checks,
        "the order of 2 March keeps the fees of its day"
    );
    let all = super::fee_schedules(&store, false, day("2026-05-01")).unwrap();
    let bol = all.iter().find(|c| c.channel == "bol").unwrap();
    let versions: Vec<(i64, &str, Option<&str>)> = bol
        .versions
        .iter()
        .map(|v| {
            (
                v.version,
                v.effective_from.as_str(),
                v.effective_until.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [
            (2, "2026-03-03", None),
            (1, "2025-01-01", Some("2026-03-03"))
        ]
    );
    assert!(!bol.versions[0].shipped_default);
    assert_eq!(bol.versions[0].rules.commission[0].bands[0].percent, "8");
}

#[test]
fn the_kor_switch_costs_exactly_the_vat_on_fees() {
    let (_dir, store) = shop();
    assert!(!super::kor(&store).unwrap());
    let before = fee_report(&store, &InsightsFilter::default()).unwrap();
    super::set_kor(&store, true).unwrap();
    let after = fee_report(&store, &InsightsFilter::default()).unwrap();
    assert!(after.kor && !before.kor);
    let bol = |r: &FeeReport| {
        r.channels
            .iter()
            .find(|c| c.channel == "bol")
            .unwrap()
            .totals
            .clone()
    };
    // bol reported 5.25 incl. 21 % VAT: 4.34 + 0.91 VAT.
    assert_eq!(bol(&before).fees.amount.to_string(), "4.34");
    assert_eq!(bol(&after).fees.amount.to_string(), "5.25");
    assert_eq!(
        bol(&before).net_contribution.amount - bol(&after).net_contribution.amount,
        rust_decimal::Decimal::new(91, 2),
        "net contribution drops by exactly the VAT on the fee"
    );
    let c = comparison(&store, &InsightsFilter::default()).unwrap();
    assert_eq!(
        c.rows[0].fees.amount.to_string(),
        "5.25",
        "the comparison follows too"
    );
}

#[test]
fn per_order_the_charged_fee_is_set_against_the_modelled_one() {
    let (_dir, store) = shop();
    let f = fee_report(&store, &InsightsFilter::default()).unwrap();
    assert_eq!(f.orders.len(), 1, "only bol reported a fee");
    let o = &f.orders[0];
    assert_eq!(o.order, "B-1");
    assert_eq!(o.placed_on, "2026-03-02");
    assert_eq!(o.charged.amount.to_string(), "5.25");
    assert_eq!(o.modelled.amount.to_string(), "5.50");
    assert_eq!(o.difference.amount.to_string(), "-0.25");
    assert!(!o.unexpected, "charging less is not an unexpected fee");
}

#[test]
fn break_even_and_what_ifs_answer_per_month() {
    let (_dir, store) = shop();
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO products (id, handle, status, title_nl, title_en, created_at, updated_at)
                   VALUES (1, 'schort', 'active', 'Schort', 'Apron', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                 INSERT INTO variants (product_id, position, sku, price, cost, created_at, updated_at)
                   VALUES (1, 1, 'APR-BLU', '29.99', '10.00', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
            )?;
            Ok(())
        })
        .unwrap();
    let be = super::break_even(&store, &InsightsFilter::default()).unwrap();
    assert_eq!(be.webshop.as_deref(), Some("shopify"));
    assert_eq!(be.items.len(), 1);
    let item = &be.items[0];
    assert_eq!(item.channel, "bol");
    let price = item.break_even.as_ref().unwrap().amount;
    assert!(
        price > item.webshop_price.amount,
        "bol's commission asks a higher price than the webshop's: {price}"
    );

    let moved = super::what_if(
        &store,
        &InsightsFilter::default(),
        &WhatIf::Move {
            from: "bol".into(),
            to: "shopify".into(),
            percent: "100".into(),
        },
    )
    .unwrap();
    assert_eq!(moved.months, 1, "all orders in March");
    assert!(
        moved.change.amount > rust_decimal::Decimal::ZERO,
        "selling bol's order in the webshop earns more"
    );
    let raised = super::what_if(
        &store,
        &InsightsFilter::default(),
        &WhatIf::Raise {
            channel: "bol".into(),
            percent: "5".into(),
        },
    )
    .unwrap();
    assert!(raised.change.amount > rust_decimal::Decimal::ZERO);
    let bad = super::what_if(
        &store,
        &InsightsFilter::default(),
        &WhatIf::Raise {
            channel: "bol".into(),
            percent: "veel".into(),
        },
    )
    .unwrap_err();
    assert!(bad.to_string().contains("not a percentage"), "{bad}");
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn a_new_schedule_version_starts_on_the_apps_today_not_before_the_current_one() {
    let (_dir, store) = shop();
    let at = |today: &str| {
        let all = super::fee_schedules(&store, true, day(today)).unwrap();
        let bol = all.iter().find(|c| c.channel == "bol").unwrap();
        (
            bol.new_version_from.clone(),
            bol.versions[0].effective_from.clone(),
        )
    };
    let (from, current) = at("2031-07-15");
    assert_eq!(
        from, "2031-07-15",
        "after the current version began: the app's today"
    );
    let (from, _) = at("2000-01-01");
    assert_eq!(
        from, current,
        "never before the current version's first day"
    );
    // The app's clock decides the day, whatever the machine's date is.
    let clock = kanaal_core::clock::FixedClock::at(
        chrono::DateTime::parse_from_rfc3339("2031-07-15T12:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc),
    );
    assert_eq!(super::today(&clock), day("2031-07-15"));
}

#[test]
fn an_orders_dialog_gets_the_reports_modelled_and_charged_fee() {
    let (_dir, store) = shop();
    let report = fee_report(&store, &InsightsFilter::default()).unwrap();
    let line = &report.orders[0];
    let OrderFeesView::Modelled {
        channel,
        month,
        modelled,
        charged,
        difference,
        unexpected,
    } = super::order_fees(&store, 1).unwrap()
    else {
        panic!("bol's shipped order is modelled");
    };
    assert_eq!((channel.as_str(), month.as_str()), ("bol", "2026-03"));
    assert_eq!(
        modelled, line.modelled,
        "the same figure as the Insights fee section"
    );
    assert_eq!(charged, Some(line.charged));
    assert_eq!(difference, Some(line.difference));
    assert_eq!(unexpected, line.unexpected);
    let OrderFeesView::Modelled {
        charged,
        difference,
        ..
    } = super::order_fees(&store, 3).unwrap()
    else {
        panic!("the webshop order is modelled");
    };
    assert_eq!(
        (charged, difference),
        (None, None),
        "no fee reported: nothing to set against"
    );
    assert_eq!(
        super::order_fees(&store, 2).unwrap(),
        OrderFeesView::Cancelled
    );
    store
        .write(|tx| {
            tx.execute("UPDATE orders SET status = 'refunded' WHERE id = 3", [])?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        super::order_fees(&store, 3).unwrap(),
        OrderFeesView::Refunded,
        "an order refunded in full is no sale on its screen either"
    );
    let err = super::order_fees(&store, 42).unwrap_err();
    assert!(err.to_string().contains("not in this shop"), "{err}");
}
