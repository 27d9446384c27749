#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Editing fee schedules as a merchant does: a new version from a date, checked field by field
//! (Dutch decimal commas, percentages, bands, dates), saved next to the old one so older orders
//! keep their fees; and the KOR setting, under which VAT on fees is a cost.

use chrono::NaiveDate;
use kanaal_core::store::Store;
use kanaal_insights::comparison::{comparison, Period};
use kanaal_insights::fees::edit::{check, draft_of, parse_amount, ScheduleDraft};
use kanaal_insights::fees::engine::split_quoted;
use kanaal_insights::fees::store::{
    current, fee_settings, load_sales, load_schedules, save_new_version, SaveError,
};
use kanaal_insights::fees::{analyse, FeeSchedule, FeeSettings};
use rust_decimal::dec;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// bol.com and the webshop; one bol order in March and one in May (no fee reported, so the
/// model decides), one webshop order.
fn shop() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO channels (id, kind, name, created_at) VALUES
                   (1, 'bol', 'bol.com', '2026-01-01T00:00:00Z'),
                   (2, 'shopify', 'Webshop', '2026-01-01T00:00:00Z');
                 INSERT INTO orders (id, channel_id, remote_id, status, placed_at, updated_at, total, shipping, fees_reported, raw) VALUES
                   (1, 1, 'B-MAR', 'shipped', '2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z', '29.99', NULL, NULL, '{}'),
                   (2, 1, 'B-MAY', 'shipped', '2026-05-02T10:00:00Z', '2026-05-02T10:00:00Z', '29.99', NULL, NULL, '{}'),
                   (3, 2, 'S-1', 'paid', '2026-03-04T10:00:00Z', '2026-03-04T10:00:00Z', '29.99', '0', NULL, '{}');
                 INSERT INTO order_lines (order_id, line_no, sku, title, quantity, unit_price, vat_rate, fee_reported) VALUES
                   (1, 1, 'APR-BLU', 'Linen apron blue', 1, '29.99', 'standard', NULL),
                   (2, 1, 'APR-BLU', 'Linen apron blue', 1, '29.99', 'standard', NULL),
                   (3, 1, 'APR-BLU', 'Linen apron blue', 1, '29.99', 'standard', NULL);",
            )?;
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn bol_now(store: &Store) -> FeeSchedule {
    let all = store.read(load_schedules).unwrap();
    current(&all, "bol").unwrap().clone()
}

fn bol_draft(store: &Store, from: &str) -> ScheduleDraft {
    let mut d = draft_of(&bol_now(store), day(from), true);
    d.source = "bol.com verkoopdashboard, gelezen 1 april 2026".to_string();
    d
}

fn fields(draft: &ScheduleDraft, cur: &FeeSchedule) -> Vec<(String, String)> {
    check(draft, Some(cur), cur.version)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

#[test]
fn amounts_are_read_with_a_dutch_decimal_comma_and_written_back_with_one() {
    assert_eq!(parse_amount("1,50"), Some(dec!(1.50)));
    assert_eq!(parse_amount("€ 0,30"), Some(dec!(0.30)));
    assert_eq!(parse_amount("12,5 %"), Some(dec!(12.5)));
    assert_eq!(parse_amount("1.234,56"), Some(dec!(1234.56)));
    assert_eq!(parse_amount("twaalf"), None);
    let (_dir, store) = shop();
    let d = bol_draft(&store, "2026-04-01");
    assert_eq!(
        d.commission[0].bands[0].fixed_per_item, "1,00",
        "the copy shows bol's €1 fixed fee in Dutch"
    );
    assert_eq!(d.commission[0].bands[0].percent, "15");
    // The copy of the current version is valid as it is.
    let cur = bol_now(&store);
    let s = check(&d, Some(&cur), cur.version).unwrap();
    assert_eq!(s.version, cur.version + 1);
    assert_eq!(s.rules.commission, cur.rules.commission);
}

#[test]
fn each_wrong_field_is_named_with_the_reason() {
    let (_dir, store) = shop();
    let cur = bol_now(&store);

    let mut d = bol_draft(&store, "2026-04-01");
    d.commission[0].bands[0].percent = "150".into();
    assert_eq!(
        fields(&d, &cur),
        [(
            "commission.0.bands.0.percent".to_string(),
            "percent_range".to_string()
        )]
    );
    let msg = check(&d, Some(&cur), cur.version).unwrap_err()[0]
        .message
        .clone();
    assert!(
        msg.contains("percentage") && msg.contains("0 to below 100"),
        "{msg}"
    );

    let mut d = bol_draft(&store, "2026-04-01");
    d.commission[0].bands[0].percent = "-1".into();
    d.fixed_per_order = "1,5x".into();
    d.payment_fixed = "0,305".into();
    assert_eq!(
        fields(&d, &cur),
        [
            (
                "commission.0.bands.0.percent".to_string(),
                "negative".to_string()
            ),
            ("fixedPerOrder".to_string(), "not_a_number".to_string()),
            ("paymentFixed".to_string(), "too_many_decimals".to_string()),
        ]
    );

    // Bands that overlap: the second ends at or below the first.
    let mut d = bol_draft(&store, "2026-04-01");
    let open = d.commission[0].bands[0].clone();
    d.commission[0].bands = vec![
        kanaal_insights::fees::edit::DraftBand {
            up_to: "20,00".into(),
            ..open.clone()
        },
        kanaal_insights::fees::edit::DraftBand {
            up_to: "15,00".into(),
            ..open.clone()
        },
        open.clone(),
    ];
    assert_eq!(
        fields(&d, &cur),
        [(
            "commission.0.bands.1.upTo".to_string(),
            "bands_overlap".to_string()
        )]
    );
    // An open band before the last.
    d.commission[0].bands = vec![open.clone(), open];
    assert_eq!(
        fields(&d, &cur),
        [(
            "commission.0.bands.0.upTo".to_string(),
            "open_band_not_last".to_string()
        )]
    );

    // A date before the current version, and no source.
    let mut d = bol_draft(&store, "2024-12-31");
    d.source = "  ".into();
    assert_eq!(
        fields(&d, &cur),
        [
            ("effectiveFrom".to_string(), "before_current".to_string()),
            ("source".to_string(), "no_source".to_string()),
        ]
    );
    // A category rule needs the fallback next to it, once.
    let mut d = bol_draft(&store, "2026-04-01");
    d.commission[0].category = "Keuken".into();
    assert_eq!(
        fields(&d, &cur),
        [("commission".to_string(), "no_fallback".to_string())]
    );
    let mut d = bol_draft(&store, "2026-04-01");
    d.commission.push(d.commission[0].clone());
    assert_eq!(
        fields(&d, &cur),
        [(
            "commission.1.category".to_string(),
            "duplicate_category".to_string()
        )]
    );
}

#[test]
fn an_order_before_the_new_version_keeps_the_old_fees_and_one_after_gets_the_new() {
    let (_dir, store) = shop();
    let fees_of = |store: &Store| {
        let (sales, schedules) = store
            .read(|tx| Ok((load_sales(tx, None, None)?, load_schedules(tx)?)))
            .unwrap();
        let a = analyse(&sales, &schedules, FeeSettings::default());
        let of = |id: &str| a.orders.iter().find(|o| o.id == id).unwrap().modelled;
        (of("bol:B-MAR"), of("bol:B-MAY"))
    };
    // Shipped default: €1 + 15% of 29.99 = 5.4985 → 5.50 per item, incl. VAT.
    assert_eq!(fees_of(&store), (dec!(5.50), dec!(5.50)));

    let mut d = bol_draft(&store, "2026-04-01");
    d.commission[0].bands[0].percent = "10".into();
    d.commission[0].bands[0].fixed_per_item = "0,50".into();
    let saved = store.write(|tx| Ok(save_new_version(tx, &d))).unwrap();
    let saved = saved.unwrap();
    assert_eq!(saved.version, 2);

    // March (before 1 April) keeps €1 + 15%; May gets €0.50 + 10% of 29.99 = 3.499 → 3.50.
    assert_eq!(fees_of(&store), (dec!(5.50), dec!(3.50)));
    let all = store.read(load_schedules).unwrap();
    let bol: Vec<_> = all.iter().filter(|s| s.channel_kind == "bol").collect();
    assert_eq!(bol.len(), 2, "the shipped default is kept as version 1");
    assert_eq!(
        current(&all, "bol").unwrap().source,
        "bol.com verkoopdashboard, gelezen 1 april 2026"
    );

    // A third version cannot start before the second.
    let d = bol_draft(&store, "2026-03-15");
    match store.write(|tx| Ok(save_new_version(tx, &d))).unwrap() {
        Err(SaveError::Fields(f)) => assert_eq!(f[0].code, "before_current"),
        other => panic!("refused with the field named: {other:?}"),
    }
    assert_eq!(
        store
            .read(load_schedules)
            .unwrap()
            .iter()
            .filter(|s| s.channel_kind == "bol")
            .count(),
        2,
        "nothing saved"
    );
}

#[test]
fn under_the_kor_net_contribution_drops_by_exactly_the_vat_on_fees() {
    let (_dir, store) = shop();
    let whole = Period::default();
    let before = comparison(&store, whole).unwrap();
    assert!(!store.read(fee_settings).unwrap().kor, "off until chosen");
    store
        .write(|tx| kanaal_core::settings::set_kor(tx, true))
        .unwrap();
    assert!(store.read(fee_settings).unwrap().kor);
    let after = comparison(&store, whole).unwrap();

    let schedules = store.read(load_schedules).unwrap();
    let sales = store.read(|tx| load_sales(tx, None, None)).unwrap();
    let modelled = analyse(&sales, &schedules, FeeSettings::default());
    for (b, a) in before.channels.iter().zip(&after.channels) {
        let s = current(&schedules, &b.channel).unwrap();
        // VAT on each order's fee, as the engine splits it.
        let vat: rust_decimal::Decimal = modelled
            .orders
            .iter()
            .filter(|o| o.channel_kind == b.channel)
            .map(|o| split_quoted(s, o.modelled, FeeSettings::default()).vat)
            .sum();
        assert!(
            vat > rust_decimal::Decimal::ZERO,
            "{} has VAT on its fees",
            b.channel
        );
        assert_eq!(
            b.net_contribution - a.net_contribution,
            vat,
            "{}: under the KOR, the VAT on fees becomes a cost",
            b.channel
        );
        assert_eq!(a.fees - b.fees, vat);
    }
    // bol.com: 5.50 incl. VAT per order → 4.55 + 0.95 VAT; two orders.
    let bol = after.channels.iter().find(|c| c.channel == "bol").unwrap();
    let bol_before = before.channels.iter().find(|c| c.channel == "bol").unwrap();
    assert_eq!(bol_before.fees, dec!(9.10));
    assert_eq!(bol.fees, dec!(11.00));
}
