#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Properties of the fee engine that must hold for any price: fees are never negative, more
//! expensive never means a lower fee within one price band, the parts of a split add up, and a
//! break-even price really breaks even.

use chrono::NaiveDate;
use kanaal_insights::fees::analysis::{unit_net, BreakEvenInput};
use kanaal_insights::fees::defaults::default_schedules;
use kanaal_insights::fees::engine::allocate_cents;
use kanaal_insights::fees::schedule::{applicable, PriceBand};
use kanaal_insights::fees::*;
use proptest::prelude::*;
use rust_decimal::{dec, Decimal};

const KINDS: &[&str] = &[
    "shopify",
    "woocommerce",
    "bol",
    "amazon",
    "etsy",
    "thuisbezorgd",
    "ubereats",
];

fn sched(kind: &str) -> FeeSchedule {
    let all = default_schedules().unwrap();
    applicable(&all, kind, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
        .unwrap()
        .clone()
}

/// bol with a realistic banded table: cheaper items pay a lower fixed fee.
fn banded_bol() -> FeeSchedule {
    let mut s = sched("bol");
    s.rules.commission[0].bands = vec![
        PriceBand {
            up_to: Some(dec!(10)),
            percent: dec!(5),
            fixed_per_item: dec!(0.20),
        },
        PriceBand {
            up_to: Some(dec!(20)),
            percent: dec!(12),
            fixed_per_item: dec!(0.60),
        },
        PriceBand {
            up_to: None,
            percent: dec!(15),
            fixed_per_item: dec!(1.00),
        },
    ];
    s
}

fn cents() -> impl Strategy<Value = Decimal> {
    (1i64..50_000).prop_map(|c| Decimal::new(c, 2))
}

fn order(price: Decimal, qty: u32, shipping: Decimal) -> OrderInput {
    OrderInput {
        lines: vec![LineInput {
            quantity: qty,
            unit_price_incl_vat: price,
            vat_rate: dec!(0.21),
            category: None,
            commission_reduction: Decimal::ZERO,
        }],
        shipping_incl_vat: shipping,
    }
}

proptest! {
    #[test]
    fn fees_are_never_negative_and_split_adds_up(
        k in 0usize..KINDS.len(), price in cents(), qty in 1u32..20, ship in 0i64..1000, kor: bool,
        reduction in 0i64..2000,
    ) {
        let s = sched(KINDS[k]);
        let mut o = order(price, qty, Decimal::new(ship, 2));
        o.lines[0].commission_reduction = Decimal::new(reduction, 2);
        let f = order_fees(&s, &o, Decimal::ZERO, FeeSettings { kor });
        for l in &f.lines {
            prop_assert!(l.quoted_total >= Decimal::ZERO, "{} fee {} < 0", KINDS[k], l.quoted_total);
            prop_assert!(l.cost >= Decimal::ZERO);
            prop_assert!(l.vat >= Decimal::ZERO);
            prop_assert_eq!(l.quoted_total.round_dp(2), l.quoted_total, "whole cents");
            if kor { prop_assert_eq!(l.cost, l.excl_vat + l.vat) } else { prop_assert_eq!(l.cost, l.excl_vat) }
        }
    }

    #[test]
    fn within_a_band_a_higher_price_never_lowers_the_fee(a in cents(), b in cents(), k in 0usize..KINDS.len()) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        for s in [sched(KINDS[k]), banded_bol()] {
            let band = |p: Decimal| s.rules.commission.first().map(|c| c.bands.iter().position(|b| b.up_to.is_none_or(|u| p <= u)));
            prop_assume!(band(lo) == band(hi));
            let f = |p| order_fees(&s, &order(p, 1, Decimal::ZERO), Decimal::ZERO, FeeSettings::default()).quoted_total();
            prop_assert!(f(lo) <= f(hi), "{}: fee at {lo} = {} > fee at {hi} = {}", s.channel_kind, f(lo), f(hi));
        }
    }

    #[test]
    fn a_break_even_price_really_breaks_even(
        web in 100i64..20_000, cost_pct in 0i64..90, k in 2usize..KINDS.len(), kor: bool, banded: bool,
    ) {
        let webshop = sched("shopify");
        let channel = if banded { banded_bol() } else { sched(KINDS[k]) };
        let web_price = Decimal::new(web, 2);
        let cost = (web_price * Decimal::new(cost_pct, 2) / dec!(1.21)).round_dp(2);
        let input = BreakEvenInput { webshop: &webshop, channel: &channel, webshop_price_incl_vat: web_price, vat_rate: dec!(0.21), unit_cost: cost, category: None };
        let settings = FeeSettings { kor };
        let p = break_even_price(&input, settings).unwrap();
        let target = unit_net(&webshop, web_price, dec!(0.21), cost, None, settings);
        prop_assert!(unit_net(&channel, p, dec!(0.21), cost, None, settings) >= target, "at {p}");
        if p > Decimal::ZERO {
            prop_assert!(unit_net(&channel, p - dec!(0.01), dec!(0.21), cost, None, settings) < target, "one cent below {p}");
        }
    }

    #[test]
    fn allocation_adds_up_to_the_cent(total in 0i64..1_000_000, weights in prop::collection::vec(0i64..10_000, 1..12)) {
        let total = Decimal::new(total, 2);
        let w: Vec<Decimal> = weights.into_iter().map(Decimal::from).collect();
        let parts = allocate_cents(total, &w);
        prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), total);
        prop_assert!(parts.iter().all(|p| *p >= Decimal::ZERO));
    }
}
