//! What each channel is worth: net contribution per channel, product and month (price excl. VAT
//! − cost of goods − fees), the effective take rate, how far modelled fees are from what the
//! platform actually charged, the channel price that earns the same as the webshop, and
//! what-if scenarios.
//!
//! Actual fees win over modelled ones: a platform's reported fee for an order line (or for the
//! whole order) replaces the model, and the difference is reported as a finding. Shipping paid
//! by the customer counts towards fee bases where the platform says so, but not towards
//! revenue, because the cost of shipping is not known here.

use super::engine::{order_fees, split_quoted, spread, FeeSettings, LineInput, OrderInput};
use super::schedule::{applicable, FeeSchedule, ScheduleError};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One sold order, from the store or from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Sale {
    pub id: String,
    pub channel_kind: String,
    pub placed_on: NaiveDate,
    pub shipping_incl_vat: Decimal,
    /// The fee the platform reported for the whole order, in the schedule's quoted terms.
    pub fees_reported: Option<Decimal>,
    pub lines: Vec<SaleLine>,
}

/// One line of a sold order.
#[derive(Debug, Clone, PartialEq)]
pub struct SaleLine {
    /// SKU, or the title when the line has none.
    pub product: String,
    pub category: Option<String>,
    pub quantity: u32,
    pub unit_price_incl_vat: Decimal,
    pub vat_rate: Decimal,
    /// Cost of goods per unit, excl. VAT; `None` when the merchant has not entered it.
    pub unit_cost: Option<Decimal>,
    /// The fee the platform reported for this line, in the schedule's quoted terms.
    pub fee_reported: Option<Decimal>,
}

impl SaleLine {
    fn as_input(&self) -> LineInput {
        LineInput {
            quantity: self.quantity,
            unit_price_incl_vat: self.unit_price_incl_vat,
            vat_rate: self.vat_rate,
            category: self.category.clone(),
            commission_reduction: Decimal::ZERO,
        }
    }
}

impl Sale {
    fn as_input(&self) -> OrderInput {
        OrderInput {
            lines: self.lines.iter().map(SaleLine::as_input).collect(),
            shipping_incl_vat: self.shipping_incl_vat,
        }
    }
}

/// The result for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderResult {
    pub id: String,
    pub channel_kind: String,
    pub placed_on: NaiveDate,
    pub month: String,
    /// Modelled fee in the schedule's quoted terms.
    pub modelled: Decimal,
    /// Reported fee in the same terms, when the platform reported one (per order, or the sum of
    /// its lines).
    pub actual: Option<Decimal>,
    /// `actual − modelled`: positive when the platform charged more than the model expected.
    pub difference: Option<Decimal>,
    /// The platform charged more than the model expected, beyond rounding
    /// ([`UNEXPECTED_ABOVE`]): a fee the schedule does not know about, worth a look.
    pub unexpected: bool,
    /// The fee cost used for contribution (actual when known).
    pub fee_cost: Decimal,
    pub revenue_excl_vat: Decimal,
    pub goods_cost: Decimal,
    pub net_contribution: Decimal,
}

/// How much more than modelled a platform may charge for an order before the difference counts
/// as an unexpected fee: a few cents of rounding are not a finding.
pub const UNEXPECTED_ABOVE: Decimal = Decimal::from_parts(5, 0, 0, false, 2);

/// Totals for one group (a channel, a channel's product, a channel's month).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub orders: u64,
    pub units: u64,
    pub revenue_incl_vat: Decimal,
    pub revenue_excl_vat: Decimal,
    pub goods_cost: Decimal,
    pub fees: Decimal,
    pub net_contribution: Decimal,
    /// Fees as a share of what customers paid for the goods (incl. VAT, as platforms quote
    /// their percentages), 4 decimals; `None` without revenue.
    pub take_rate: Option<Decimal>,
    /// Sum of actual − modelled over orders with a reported fee.
    pub fee_difference: Decimal,
    /// Lines without a cost of goods: their contribution is overstated.
    pub lines_without_cost: u64,
}

impl Totals {
    fn finish(&mut self) {
        self.take_rate = (self.revenue_incl_vat > Decimal::ZERO)
            .then(|| (self.fees / self.revenue_incl_vat).round_dp(4));
    }
}

/// The whole analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    pub orders: Vec<OrderResult>,
    pub by_channel: BTreeMap<String, Totals>,
    /// Key: (channel, product).
    pub by_product: BTreeMap<(String, String), Totals>,
    /// Key: (channel, `YYYY-MM`).
    pub by_month: BTreeMap<(String, String), Totals>,
    /// Orders left out, with the reason (no schedule for the channel on that day).
    pub skipped: Vec<String>,
}

fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Per-line figures of one order, with fees already chosen (actual over modelled).
struct LineOutcome {
    product: String,
    units: u64,
    revenue_incl: Decimal,
    revenue_excl: Decimal,
    goods_cost: Decimal,
    fee_cost: Decimal,
    has_cost: bool,
}

/// Analyses `sales` under `schedules`.
pub fn analyse(sales: &[Sale], schedules: &[FeeSchedule], settings: FeeSettings) -> Analysis {
    let mut a = Analysis::default();
    // The monthly subscription is spread over the month's orders on that channel.
    let mut per_month: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, s) in sales.iter().enumerate() {
        per_month
            .entry((s.channel_kind.clone(), month_of(s.placed_on)))
            .or_default()
            .push(i);
    }
    let mut shares = vec![Decimal::ZERO; sales.len()];
    for ((channel, _), idx) in &per_month {
        let Some(first) = idx.first() else { continue };
        let Ok(schedule) = applicable(schedules, channel, sales[*first].placed_on) else {
            continue;
        };
        for (i, share) in idx
            .iter()
            .zip(spread(schedule.rules.subscription_per_month, idx.len()))
        {
            shares[*i] = share;
        }
    }

    for (sale, share) in sales.iter().zip(shares) {
        let schedule = match applicable(schedules, &sale.channel_kind, sale.placed_on) {
            Ok(s) => s,
            Err(e) => {
                a.skipped.push(format!("order {}: {e}", sale.id));
                continue;
            }
        };
        let (result, lines) = evaluate(sale, schedule, share, settings);
        let month = result.month.clone();
        let channel = result.channel_kind.clone();
        add_order(
            a.by_channel.entry(channel.clone()).or_default(),
            &result,
            &lines,
        );
        add_order(
            a.by_month.entry((channel.clone(), month)).or_default(),
            &result,
            &lines,
        );
        for l in &lines {
            let t = a
                .by_product
                .entry((channel.clone(), l.product.clone()))
                .or_default();
            t.orders += 1;
            add_line(t, l);
        }
        a.orders.push(result);
    }
    for t in a
        .by_channel
        .values_mut()
        .chain(a.by_product.values_mut())
        .chain(a.by_month.values_mut())
    {
        t.finish();
    }
    a
}

fn add_order(t: &mut Totals, r: &OrderResult, lines: &[LineOutcome]) {
    t.orders += 1;
    for l in lines {
        add_line(t, l);
    }
    t.fee_difference += r.difference.unwrap_or_default();
}

fn add_line(t: &mut Totals, l: &LineOutcome) {
    t.units += l.units;
    t.revenue_incl_vat += l.revenue_incl;
    t.revenue_excl_vat += l.revenue_excl;
    t.goods_cost += l.goods_cost;
    t.fees += l.fee_cost;
    t.net_contribution += l.revenue_excl - l.goods_cost - l.fee_cost;
    if !l.has_cost {
        t.lines_without_cost += 1;
    }
}

/// Computes one order: modelled fees, actual fees where reported, and contribution per line.
fn evaluate(
    sale: &Sale,
    schedule: &FeeSchedule,
    subscription_share: Decimal,
    settings: FeeSettings,
) -> (OrderResult, Vec<LineOutcome>) {
    let modelled = order_fees(schedule, &sale.as_input(), subscription_share, settings);
    let modelled_quoted = modelled.quoted_total();
    let line_reports: Option<Decimal> = sale
        .lines
        .iter()
        .map(|l| l.fee_reported)
        .collect::<Option<Vec<_>>>()
        .map(|v| v.into_iter().sum());
    // A whole-order report beats a sum of line reports: it includes per-order fees too.
    let actual = sale.fees_reported.or(line_reports);

    // Fee cost per line: the platform's line fee when reported; else the line's share of the
    // reported order fee; else the model.
    let fee_costs: Vec<Decimal> = match (sale.fees_reported, line_reports) {
        (Some(order_fee), _) => {
            let weights: Vec<Decimal> = modelled.lines.iter().map(|l| l.quoted_total).collect();
            let weights = if weights.iter().all(|w| w.is_zero()) {
                sale.lines.iter().map(|l| l.unit_price_incl_vat).collect()
            } else {
                weights
            };
            super::engine::allocate_cents(order_fee, &weights)
                .into_iter()
                .map(|q| split_quoted(schedule, q, settings).cost)
                .collect()
        }
        (None, _) => sale
            .lines
            .iter()
            .zip(&modelled.lines)
            .map(|(l, m)| match l.fee_reported {
                Some(q) => split_quoted(schedule, q, settings).cost,
                None => m.cost,
            })
            .collect(),
    };

    let lines: Vec<LineOutcome> = sale
        .lines
        .iter()
        .zip(fee_costs)
        .map(|(l, fee_cost)| {
            let input = l.as_input();
            let qty = Decimal::from(l.quantity);
            LineOutcome {
                product: l.product.clone(),
                units: u64::from(l.quantity),
                revenue_incl: input.value_incl_vat(),
                revenue_excl: input.value_excl_vat().round_dp(2),
                goods_cost: l.unit_cost.unwrap_or_default() * qty,
                fee_cost,
                has_cost: l.unit_cost.is_some(),
            }
        })
        .collect();
    let revenue_excl_vat: Decimal = lines.iter().map(|l| l.revenue_excl).sum();
    let goods_cost: Decimal = lines.iter().map(|l| l.goods_cost).sum();
    let fee_cost: Decimal = lines.iter().map(|l| l.fee_cost).sum();
    let result = OrderResult {
        id: sale.id.clone(),
        channel_kind: sale.channel_kind.clone(),
        placed_on: sale.placed_on,
        month: month_of(sale.placed_on),
        modelled: modelled_quoted,
        actual,
        difference: actual.map(|a| a - modelled_quoted),
        unexpected: actual.is_some_and(|a| a - modelled_quoted > UNEXPECTED_ABOVE),
        fee_cost,
        revenue_excl_vat,
        goods_cost,
        net_contribution: revenue_excl_vat - goods_cost - fee_cost,
    };
    (result, lines)
}

/// The net contribution of selling one unit at `price_incl_vat` as a one-item order under
/// `schedule` (subscription not included: it does not change with one more sale).
pub fn unit_net(
    schedule: &FeeSchedule,
    price_incl_vat: Decimal,
    vat_rate: Decimal,
    unit_cost: Decimal,
    category: Option<&str>,
    settings: FeeSettings,
) -> Decimal {
    let order = OrderInput {
        lines: vec![LineInput {
            quantity: 1,
            unit_price_incl_vat: price_incl_vat,
            vat_rate,
            category: category.map(str::to_string),
            commission_reduction: Decimal::ZERO,
        }],
        shipping_incl_vat: Decimal::ZERO,
    };
    let fees = order_fees(schedule, &order, Decimal::ZERO, settings);
    (price_incl_vat / (Decimal::ONE + vat_rate)).round_dp(2) - unit_cost - fees.cost()
}

/// What is needed to compare a product across a channel and the webshop.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakEvenInput<'a> {
    pub webshop: &'a FeeSchedule,
    pub channel: &'a FeeSchedule,
    pub webshop_price_incl_vat: Decimal,
    pub vat_rate: Decimal,
    pub unit_cost: Decimal,
    pub category: Option<&'a str>,
}

/// The lowest channel price (incl. VAT, in cents) at which one unit earns at least as much as
/// it does in the webshop at the webshop price. `None` when no price up to 100 times the
/// webshop price gets there (the channel's percentage takes everything).
pub fn break_even_price(input: &BreakEvenInput<'_>, settings: FeeSettings) -> Option<Decimal> {
    let target = unit_net(
        input.webshop,
        input.webshop_price_incl_vat,
        input.vat_rate,
        input.unit_cost,
        input.category,
        settings,
    );
    let net = |cents: i64| {
        unit_net(
            input.channel,
            Decimal::new(cents, 2),
            input.vat_rate,
            input.unit_cost,
            input.category,
            settings,
        )
    };
    let mut hi = (input.webshop_price_incl_vat * Decimal::ONE_HUNDRED)
        .ceil()
        .try_into()
        .unwrap_or(i64::MAX / 4)
        .max(1);
    let cap = hi.saturating_mul(100);
    while net(hi) < target {
        if hi >= cap {
            return None;
        }
        hi = hi.saturating_mul(2).min(cap);
    }
    // Invariant: net(lo) < target <= net(hi). lo = 0 can be below the target too: zero price
    // earns nothing and cost is not negative, unless the target itself is negative.
    let mut lo: i64 = 0;
    if net(lo) >= target {
        return Some(Decimal::ZERO);
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if net(mid) >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(Decimal::new(hi, 2))
}

/// The result of a what-if.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub description: String,
    pub net_before: Decimal,
    pub net_after: Decimal,
    pub change: Decimal,
    /// Per channel: (net before, net after).
    pub per_channel: BTreeMap<String, (Decimal, Decimal)>,
}

fn channel_nets(a: &Analysis) -> BTreeMap<String, Decimal> {
    a.by_channel
        .iter()
        .map(|(k, t)| (k.clone(), t.net_contribution))
        .collect()
}

fn scenario(description: String, before: &Analysis, after: BTreeMap<String, Decimal>) -> Scenario {
    let b = channel_nets(before);
    let mut per_channel = BTreeMap::new();
    for k in b.keys().chain(after.keys()) {
        per_channel.insert(
            k.clone(),
            (
                b.get(k).copied().unwrap_or_default(),
                after.get(k).copied().unwrap_or_default(),
            ),
        );
    }
    let net_before: Decimal = b.values().sum();
    let net_after: Decimal = after.values().sum();
    Scenario {
        description,
        net_before,
        net_after,
        change: net_after - net_before,
        per_channel,
    }
}

/// "Move `fraction` (0..1) of channel `from`'s volume to the webshop `to`": each moved order is
/// sold in the webshop at the webshop price of its products (`webshop_prices`, by product; the
/// channel price when a product has none), with the webshop's fees. Volume is otherwise
/// unchanged: no customer is lost or won.
pub fn move_volume(
    sales: &[Sale],
    schedules: &[FeeSchedule],
    settings: FeeSettings,
    from: &str,
    to: &str,
    fraction: Decimal,
    webshop_prices: &BTreeMap<String, Decimal>,
) -> Result<Scenario, ScheduleError> {
    let fraction = fraction.clamp(Decimal::ZERO, Decimal::ONE);
    let before = analyse(sales, schedules, settings);
    let mut after = channel_nets(&before);
    for sale in sales.iter().filter(|s| s.channel_kind == from) {
        let Some(r) = before
            .orders
            .iter()
            .find(|o| o.id == sale.id && o.channel_kind == from)
        else {
            continue;
        };
        let moved = Sale {
            channel_kind: to.to_string(),
            fees_reported: None,
            lines: sale
                .lines
                .iter()
                .map(|l| SaleLine {
                    unit_price_incl_vat: webshop_prices
                        .get(&l.product)
                        .copied()
                        .unwrap_or(l.unit_price_incl_vat),
                    fee_reported: None,
                    ..l.clone()
                })
                .collect(),
            ..sale.clone()
        };
        let schedule = applicable(schedules, to, sale.placed_on)?;
        let (m, _) = evaluate(&moved, schedule, Decimal::ZERO, settings);
        *after.entry(from.to_string()).or_default() -= fraction * r.net_contribution;
        *after.entry(to.to_string()).or_default() += fraction * m.net_contribution;
    }
    for v in after.values_mut() {
        *v = v.round_dp(2);
    }
    Ok(scenario(
        format!(
            "move {}% of {from} volume to {to}",
            (fraction * Decimal::ONE_HUNDRED).normalize()
        ),
        &before,
        after,
    ))
}

/// "Raise `channel` prices by `percent`": every line's unit price goes up by that percentage
/// (rounded to the cent) with the same volume: the figure is an upper bound, because some
/// customers will buy less. Where the platform reported a fee, the reported fee is moved by the
/// modelled change.
pub fn raise_prices(
    sales: &[Sale],
    schedules: &[FeeSchedule],
    settings: FeeSettings,
    channel: &str,
    percent: Decimal,
) -> Scenario {
    let before = analyse(sales, schedules, settings);
    let factor = Decimal::ONE + percent / Decimal::ONE_HUNDRED;
    let raised: Vec<Sale> = sales
        .iter()
        .map(|s| {
            if s.channel_kind != channel {
                return s.clone();
            }
            let Ok(schedule) = applicable(schedules, &s.channel_kind, s.placed_on) else {
                return s.clone();
            };
            let old = order_fees(schedule, &s.as_input(), Decimal::ZERO, settings);
            let mut n = s.clone();
            for l in &mut n.lines {
                l.unit_price_incl_vat = (l.unit_price_incl_vat * factor).round_dp(2);
            }
            let new = order_fees(schedule, &n.as_input(), Decimal::ZERO, settings);
            n.fees_reported = s
                .fees_reported
                .map(|f| f + new.quoted_total() - old.quoted_total());
            for ((l, o), nw) in n.lines.iter_mut().zip(&old.lines).zip(&new.lines) {
                l.fee_reported = l.fee_reported.map(|f| f + nw.quoted_total - o.quoted_total);
            }
            n
        })
        .collect();
    let after = analyse(&raised, schedules, settings);
    scenario(
        format!("raise {channel} prices by {}%", percent.normalize()),
        &before,
        channel_nets(&after),
    )
}

/// One row of a flat report: the totals of one channel, or of one product or month within it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// `channel`, `product` or `month`.
    pub level: String,
    pub channel: String,
    /// The product or month; empty on channel rows.
    pub key: String,
    #[serde(flatten)]
    pub totals: Totals,
}

impl Analysis {
    /// The analysis as flat rows (channels first, then months, then products), for tables, CSV
    /// and JSON alike.
    pub fn rows(&self) -> Vec<ReportRow> {
        let row = |level: &str, channel: &str, key: &str, t: &Totals| ReportRow {
            level: level.to_string(),
            channel: channel.to_string(),
            key: key.to_string(),
            totals: t.clone(),
        };
        let mut out: Vec<ReportRow> = self
            .by_channel
            .iter()
            .map(|(c, t)| row("channel", c, "", t))
            .collect();
        out.extend(
            self.by_month
                .iter()
                .map(|((c, m), t)| row("month", c, m, t)),
        );
        out.extend(
            self.by_product
                .iter()
                .map(|((c, p), t)| row("product", c, p, t)),
        );
        out
    }
}

/// A product's webshop price and facts, from the catalog (keyed by SKU).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogPrice {
    pub price_incl_vat: Decimal,
    pub vat_rate: Decimal,
    pub unit_cost: Option<Decimal>,
    pub category: Option<String>,
}

/// One product on one channel: the price there that earns what the webshop earns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakEvenRow {
    pub channel: String,
    pub product: String,
    /// The webshop price (the catalog price, incl. VAT).
    pub webshop_price: Decimal,
    /// The price it last sold at on the channel, incl. VAT.
    pub channel_price: Decimal,
    /// The lowest channel price (incl. VAT) that earns at least as much per unit as the webshop
    /// does at its price; `None` when no price does.
    pub break_even: Option<Decimal>,
    /// Units sold on the channel in the sales given.
    pub units: u64,
}

/// For every product sold on a channel other than `webshop_kind`, the channel price that earns
/// per unit what the webshop earns at the catalog price, under each channel's current schedule
/// (the highest version). Products without a catalog price are left out. The cost of goods
/// is the same on both sides, so it does not change the answer; it is used when known.
pub fn break_even_table(
    sales: &[Sale],
    schedules: &[FeeSchedule],
    settings: FeeSettings,
    webshop_kind: &str,
    catalog: &BTreeMap<String, CatalogPrice>,
) -> Vec<BreakEvenRow> {
    let current = |kind: &str| {
        schedules
            .iter()
            .filter(|s| s.channel_kind == kind)
            .max_by_key(|s| s.version)
    };
    let Some(webshop) = current(webshop_kind) else {
        return Vec::new();
    };
    // (channel, product) -> (last price, units); sales come in date order.
    let mut seen: BTreeMap<(String, String), (Decimal, u64)> = BTreeMap::new();
    for sale in sales.iter().filter(|s| s.channel_kind != webshop_kind) {
        for l in &sale.lines {
            let e = seen
                .entry((sale.channel_kind.clone(), l.product.clone()))
                .or_default();
            e.0 = l.unit_price_incl_vat;
            e.1 += u64::from(l.quantity);
        }
    }
    seen.into_iter()
        .filter_map(|((channel, product), (channel_price, units))| {
            let c = catalog.get(&product)?;
            let schedule = current(&channel)?;
            let break_even = break_even_price(
                &BreakEvenInput {
                    webshop,
                    channel: schedule,
                    webshop_price_incl_vat: c.price_incl_vat,
                    vat_rate: c.vat_rate,
                    unit_cost: c.unit_cost.unwrap_or_default(),
                    category: c.category.as_deref(),
                },
                settings,
            );
            Some(BreakEvenRow {
                channel,
                product,
                webshop_price: c.price_incl_vat,
                channel_price,
                break_even,
                units,
            })
        })
        .collect()
}
