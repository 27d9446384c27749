#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Fee impact: published worked examples recomputed to the cent, VAT on fees, KOR, actual fees
//! beating the model, contribution, break-even and what-if.

use chrono::NaiveDate;
use kanaal_insights::fees::analysis::{move_volume, raise_prices, BreakEvenInput};
use kanaal_insights::fees::defaults::default_schedules;
use kanaal_insights::fees::engine::{
    allocate_cents, commission_per_item, reduction_for, spread, PriceReduction,
};
use kanaal_insights::fees::schedule::applicable;
use kanaal_insights::fees::*;
use rust_decimal::dec;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn schedule(kind: &str) -> FeeSchedule {
    applicable(&default_schedules().unwrap(), kind, d("2026-06-01"))
        .unwrap()
        .clone()
}

fn one_item(price: Decimal, vat: Decimal) -> OrderInput {
    OrderInput {
        lines: vec![LineInput {
            quantity: 1,
            unit_price_incl_vat: price,
            vat_rate: vat,
            category: None,
            commission_reduction: Decimal::ZERO,
        }],
        shipping_incl_vat: Decimal::ZERO,
    }
}

/// bol.com Retailer API, `Commission` schema example: unitPrice 59, fixedAmount 0.99,
/// percentage 15 → totalCostWithoutReduction 9.84; a reduction of 2.99 for prices up to 60 →
/// totalCost 6.85 (all incl. VAT).
#[test]
fn bol_commission_api_example_is_recomputed_to_the_cent() {
    let mut s = schedule("bol");
    s.rules.commission[0].bands[0].fixed_per_item = dec!(0.99);
    s.rules.commission[0].bands[0].percent = dec!(15);
    let without = commission_per_item(&s.rules, None, dec!(59), Decimal::ZERO);
    assert_eq!(
        s.rules.rounding.cents(without),
        dec!(9.84),
        "0.99 + 15% of 59"
    );

    let reductions = [PriceReduction {
        maximum_price: dec!(60),
        cost_reduction: dec!(2.99),
        start: d("2018-01-01"),
        end: d("2018-01-30"),
    }];
    let r = reduction_for(&reductions, dec!(59), d("2018-01-15"));
    assert_eq!(
        r,
        dec!(2.99),
        "59 is within the maximum price, in the period"
    );
    let with = commission_per_item(&s.rules, None, dec!(59), r);
    assert_eq!(s.rules.rounding.cents(with), dec!(6.85), "9.84 - 2.99");
    assert_eq!(
        reduction_for(&reductions, dec!(60.01), d("2018-01-15")),
        Decimal::ZERO,
        "above the maximum price there is no reduction"
    );
    assert_eq!(
        reduction_for(&reductions, dec!(59), d("2018-01-30")),
        Decimal::ZERO,
        "the end date is the first day without the reduction"
    );
}

/// bol.com partner platform example "€1 + 15%" on the reference order item's price of €29.99:
/// 1 + 4.4985 = 5.4985, rounded half up to 5.50 incl. VAT, of which 5.50 / 1.21 = 4.5454… →
/// 4.55 is the fee and 0.95 the Dutch VAT on it.
#[test]
fn bol_default_on_a_29_99_item_costs_5_50_incl_vat_and_4_55_to_a_vat_registered_merchant() {
    let s = schedule("bol");
    let f = order_fees(
        &s,
        &one_item(dec!(29.99), dec!(0.21)),
        Decimal::ZERO,
        FeeSettings::default(),
    );
    assert_eq!(
        f.quoted_total(),
        dec!(5.50),
        "€1 + 15% of €29.99 = €5.4985 → €5.50"
    );
    assert_eq!(
        f.lines[0].excl_vat,
        dec!(4.55),
        "5.50 / 1.21 = 4.5454… → 4.55"
    );
    assert_eq!(
        f.lines[0].vat,
        dec!(0.95),
        "VAT is the rest, so the split adds up"
    );
    assert_eq!(
        f.cost(),
        dec!(4.55),
        "VAT on bol's commission is deductible"
    );
    let kor = order_fees(
        &s,
        &one_item(dec!(29.99), dec!(0.21)),
        Decimal::ZERO,
        FeeSettings { kor: true },
    );
    assert_eq!(
        kor.cost(),
        dec!(5.50),
        "under the KOR the VAT on the fee is a cost"
    );
}

/// Etsy's published structure: 6.5% of the order total incl. shipping, payment 4% + €0.30,
/// listing renewal per sale. A €20 item with €5 shipping: 6.5% of 25 = 1.625 → 1.63 (half up);
/// payment 4% of 25 + 0.30 = 1.30; listing 0.18 → 3.11.
#[test]
fn etsy_fees_on_a_20_euro_item_with_5_euro_shipping() {
    let s = schedule("etsy");
    let mut o = one_item(dec!(20), dec!(0.21));
    o.shipping_incl_vat = dec!(5);
    let f = order_fees(&s, &o, Decimal::ZERO, FeeSettings::default());
    assert_eq!(
        f.lines[0].commission,
        dec!(1.63),
        "6.5% of 25 rounds half up"
    );
    assert_eq!(f.payment, dec!(1.30));
    assert_eq!(f.quoted_total(), dec!(3.11));
    assert_eq!(
        f.cost(),
        dec!(3.11),
        "reverse-charged VAT is declared and deducted"
    );
    let kor = order_fees(&s, &o, Decimal::ZERO, FeeSettings { kor: true });
    assert_eq!(
        kor.cost(),
        dec!(3.76),
        "under the KOR the reverse-charged 21% (0.65) must be paid and cannot be deducted"
    );
}

#[test]
fn thuisbezorgd_takes_14_percent_plus_the_admin_fee_plus_dutch_vat() {
    let s = schedule("thuisbezorgd");
    let mut o = one_item(dec!(12.50), dec!(0.09));
    o.lines[0].quantity = 2;
    o.shipping_incl_vat = dec!(2.50);
    let f = order_fees(&s, &o, Decimal::ZERO, FeeSettings::default());
    // 14% of 27.50 = 3.85, + 0.21 admin fee = 4.06 excl. VAT.
    assert_eq!(f.quoted_total(), dec!(4.06));
    assert_eq!(f.lines[0].vat, dec!(0.85), "21% of 4.06 = 0.8526");
    assert_eq!(f.cost(), dec!(4.06));
}

#[test]
fn amazon_subscription_is_spread_over_the_months_orders_to_the_cent() {
    let parts = spread(dec!(39), 7);
    assert_eq!(
        parts.iter().copied().sum::<Decimal>(),
        dec!(39),
        "parts add up"
    );
    assert!(
        parts.iter().all(|p| *p == dec!(5.57) || *p == dec!(5.58)),
        "{parts:?}"
    );
    let s = schedule("amazon");
    let sales: Vec<Sale> = (0..3)
        .map(|i| sale(&format!("a{i}"), "amazon", "2026-03-10", dec!(20), None))
        .collect();
    let a = analyse(&sales, &[s], FeeSettings::default());
    // Referral 15% of 20 = 3.00 per order, plus 39/3 = 13.00 subscription each.
    assert_eq!(a.by_channel["amazon"].fees, dec!(48.00), "3 × 3.00 + 39.00");
}

fn sale(id: &str, channel: &str, day: &str, price: Decimal, fee: Option<Decimal>) -> Sale {
    Sale {
        id: id.to_string(),
        channel_kind: channel.to_string(),
        placed_on: d(day),
        shipping_incl_vat: Decimal::ZERO,
        fees_reported: None,
        lines: vec![SaleLine {
            product: "KOF-1KG".to_string(),
            category: None,
            quantity: 1,
            unit_price_incl_vat: price,
            vat_rate: dec!(0.09),
            unit_cost: Some(dec!(8)),
            fee_reported: fee,
        }],
    }
}

#[test]
fn a_reported_fee_wins_over_the_model_and_the_difference_is_a_finding() {
    let all = default_schedules().unwrap();
    let sales = vec![
        sale("b1", "bol", "2026-04-02", dec!(21.80), Some(dec!(5.25))),
        sale("b2", "bol", "2026-04-03", dec!(21.80), None),
    ];
    let a = analyse(&sales, &all, FeeSettings::default());
    // Model: 1 + 15% × 21.80 = 4.27 incl. VAT.
    assert_eq!(a.orders[0].modelled, dec!(4.27));
    assert_eq!(a.orders[0].actual, Some(dec!(5.25)));
    assert_eq!(
        a.orders[0].difference,
        Some(dec!(0.98)),
        "bol charged 0.98 more"
    );
    assert_eq!(a.orders[1].difference, None, "no report, no difference");
    // Fee cost: 5.25/1.21 → 4.34 for the reported one; 4.27/1.21 → 3.53 for the modelled.
    assert_eq!(a.orders[0].fee_cost, dec!(4.34));
    assert_eq!(a.orders[1].fee_cost, dec!(3.53));
    let month = &a.by_month[&("bol".to_string(), "2026-04".to_string())];
    assert_eq!(month.fee_difference, dec!(0.98), "per month too");
    // Net: 21.80/1.09 = 20.00 − 8 − fee.
    assert_eq!(a.orders[0].net_contribution, dec!(7.66));
    assert_eq!(
        a.by_channel["bol"].net_contribution,
        dec!(7.66) + dec!(8.47)
    );
    assert_eq!(
        a.by_channel["bol"].take_rate,
        Some(dec!(0.1805)),
        "(4.34+3.53)/43.60"
    );
}

#[test]
fn a_whole_order_fee_report_is_spread_over_its_lines_to_the_cent() {
    let all = default_schedules().unwrap();
    let mut s = sale("u1", "ubereats", "2026-05-01", dec!(10.90), None);
    s.lines.push(SaleLine {
        product: "CROISSANT".to_string(),
        unit_price_incl_vat: dec!(3.27),
        ..s.lines[0].clone()
    });
    s.fees_reported = Some(dec!(4.25));
    let a = analyse(&[s], &all, FeeSettings::default());
    assert_eq!(
        a.orders[0].fee_cost,
        dec!(4.25),
        "Uber's own figure, VAT deductible"
    );
    let by_product: Decimal = a.by_product.values().map(|t| t.fees).sum();
    assert_eq!(
        by_product,
        dec!(4.25),
        "the lines' shares add up to the order's fee"
    );
}

#[test]
fn break_even_bol_price_earns_what_the_webshop_earns() {
    let all = default_schedules().unwrap();
    let web = applicable(&all, "shopify", d("2026-01-01")).unwrap();
    let bol = applicable(&all, "bol", d("2026-01-01")).unwrap();
    let input = BreakEvenInput {
        webshop: web,
        channel: bol,
        webshop_price_incl_vat: dec!(24.95),
        vat_rate: dec!(0.09),
        unit_cost: dec!(9.10),
        category: None,
    };
    let p = break_even_price(&input, FeeSettings::default()).unwrap();
    let net = |sch, price| {
        analysis::unit_net(
            sch,
            price,
            dec!(0.09),
            dec!(9.10),
            None,
            FeeSettings::default(),
        )
    };
    assert!(
        net(bol, p) >= net(web, dec!(24.95)),
        "at {p} bol earns at least the webshop's"
    );
    assert!(
        net(bol, p - dec!(0.01)) < net(web, dec!(24.95)),
        "one cent less does not"
    );
    assert!(
        p > dec!(24.95),
        "bol's commission needs a higher price: {p}"
    );
}

#[test]
fn moving_thuisbezorgd_volume_to_the_webshop_gains_the_fee_difference() {
    let all = default_schedules().unwrap();
    let sales: Vec<Sale> = (0..10)
        .map(|i| {
            sale(
                &format!("t{i}"),
                "thuisbezorgd",
                "2026-02-05",
                dec!(21.80),
                None,
            )
        })
        .collect();
    let none = BTreeMap::new();
    let s = move_volume(
        &sales,
        &all,
        FeeSettings::default(),
        "thuisbezorgd",
        "woocommerce",
        dec!(0.2),
        &none,
    )
    .unwrap();
    // Per order: 14% × 21.80 = 3.05 + 0.21 = 3.26 in fees; WooCommerce models none. 2 orders
    // move: +6.52.
    assert_eq!(s.change, dec!(6.52), "{s:?}");
    assert_eq!(
        s.per_channel["woocommerce"].1,
        dec!(24.00),
        "2 × (20.00 − 8)"
    );

    let r = raise_prices(
        &sales,
        &all,
        FeeSettings::default(),
        "thuisbezorgd",
        dec!(5),
    );
    // 21.80 × 1.05 = 22.89: revenue +1.00 excl. VAT per order (20.00 → 21.00), fee 3.26 → 3.41.
    assert_eq!(r.change, dec!(8.50), "10 × (1.00 − 0.15): {r:?}");
}

#[test]
fn allocation_in_cents_always_adds_up() {
    let parts = allocate_cents(dec!(1.00), &[dec!(1), dec!(1), dec!(1)]);
    assert_eq!(parts, vec![dec!(0.34), dec!(0.33), dec!(0.33)]);
    assert_eq!(
        allocate_cents(dec!(0.05), &[dec!(0), dec!(0)]),
        vec![dec!(0.05), dec!(0)]
    );
}

#[test]
fn a_schedule_with_bands_out_of_order_is_refused_with_a_reason() {
    let mut s = schedule("bol");
    s.rules.commission[0].bands = vec![
        schedule::PriceBand {
            up_to: Some(dec!(20)),
            percent: dec!(10),
            fixed_per_item: dec!(0),
        },
        schedule::PriceBand {
            up_to: Some(dec!(10)),
            percent: dec!(12),
            fixed_per_item: dec!(0),
        },
        schedule::PriceBand {
            up_to: None,
            percent: dec!(12),
            fixed_per_item: dec!(0),
        },
    ];
    let e = s.validate().unwrap_err().to_string();
    assert!(e.contains("must go up"), "{e}");
    // Put the bands in order first, so only the percentage is wrong.
    s.rules.commission[0].bands.swap(0, 1);
    assert!(s.validate().is_ok(), "bands in order are accepted");
    s.rules.commission[0].bands[0].percent = dec!(-1);
    assert!(s.validate().is_err(), "a negative percentage is refused");
}
