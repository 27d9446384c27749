//! The fee engine: what one order costs the merchant on one platform, per order line, exact to
//! the cent and rounded as the platform rounds.
//!
//! Amounts are computed in the schedule's own terms first (bol.com quotes incl. VAT, Amazon
//! excl.), rounded where the platform rounds, and only then split into the fee without VAT and
//! the VAT on it. What a fee *costs* depends on the merchant: a VAT-registered merchant deducts
//! the VAT, a merchant under the KOR (small-business scheme) cannot, and must even pay the VAT
//! that is reverse-charged on fees from abroad.
//!
//! This module does no I/O and knows no store: it takes plain inputs and returns amounts.

use super::schedule::{CommissionRule, FeeRules, FeeSchedule, RoundingPer, VatTreatment};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The Dutch standard VAT rate that applies to platform fees.
const FEE_VAT: Decimal = Decimal::from_parts(21, 0, 0, false, 2);

/// The merchant's VAT position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeSettings {
    /// Under the KOR (kleineondernemersregeling) the merchant charges no VAT and deducts none,
    /// so VAT on fees is a real cost.
    pub kor: bool,
}

/// One order line as the engine needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct LineInput {
    pub quantity: u32,
    /// Price per unit as the customer paid it, incl. VAT.
    pub unit_price_incl_vat: Decimal,
    /// The product's VAT rate as a fraction (0.21, 0.09, 0).
    pub vat_rate: Decimal,
    /// Category name used to pick a commission rule; `None` uses the fallback rule.
    pub category: Option<String>,
    /// A per-item reduction of the commission the platform granted (bol.com's price-point
    /// reduction), in the schedule's quoted terms.
    pub commission_reduction: Decimal,
}

/// One order as the engine needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderInput {
    pub lines: Vec<LineInput>,
    /// Shipping the customer paid, incl. VAT.
    pub shipping_incl_vat: Decimal,
}

impl OrderInput {
    /// What the customer paid for the goods, incl. VAT, without shipping.
    pub fn goods_incl_vat(&self) -> Decimal {
        self.lines.iter().map(LineInput::value_incl_vat).sum()
    }
}

impl LineInput {
    pub fn value_incl_vat(&self) -> Decimal {
        self.unit_price_incl_vat * Decimal::from(self.quantity)
    }

    /// The line's revenue without VAT, unrounded.
    pub fn value_excl_vat(&self) -> Decimal {
        self.value_incl_vat() / (Decimal::ONE + self.vat_rate)
    }
}

/// The fees of one order line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFees {
    /// Commission for all items of the line, in the schedule's quoted terms.
    pub commission: Decimal,
    /// Listing renewals and fulfilment per item.
    pub per_item_other: Decimal,
    /// This line's share of per-order fees (fixed fee, payment, fulfilment per order) and of
    /// the monthly subscription.
    pub order_share: Decimal,
    /// Sum of the above, in quoted terms.
    pub quoted_total: Decimal,
    /// The fee without VAT.
    pub excl_vat: Decimal,
    /// VAT on the fee: charged by the platform or reverse-charged to the merchant.
    pub vat: Decimal,
    /// What the fee costs the merchant after deducting what VAT can be deducted.
    pub cost: Decimal,
}

/// Fees of one order, per line, plus the order-level parts before they were spread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFees {
    pub lines: Vec<LineFees>,
    pub fixed_per_order: Decimal,
    pub payment: Decimal,
    pub fulfilment_per_order: Decimal,
    pub subscription_share: Decimal,
}

impl OrderFees {
    /// The order's total fee cost to the merchant.
    pub fn cost(&self) -> Decimal {
        self.lines.iter().map(|l| l.cost).sum()
    }

    /// The order's total fee in the schedule's quoted terms (comparable to what the platform
    /// reports).
    pub fn quoted_total(&self) -> Decimal {
        self.lines.iter().map(|l| l.quoted_total).sum()
    }
}

/// Commission per item for a unit price on the schedule's basis, unrounded, before reductions
/// and the minimum. `None` when the schedule has no commission.
pub fn commission_rate_for<'a>(
    rules: &'a FeeRules,
    category: Option<&str>,
    basis_price: Decimal,
) -> Option<(&'a CommissionRule, Decimal, Decimal)> {
    let rule = category
        .and_then(|c| {
            rules.commission.iter().find(|r| {
                r.category
                    .as_deref()
                    .is_some_and(|rc| rc.eq_ignore_ascii_case(c))
            })
        })
        .or_else(|| rules.commission.iter().find(|r| r.category.is_none()))?;
    let band = rule
        .bands
        .iter()
        .find(|b| b.up_to.is_none_or(|u| basis_price <= u))
        .or(rule.bands.last())?;
    Some((rule, band.percent, band.fixed_per_item))
}

/// The commission for one item at `basis_price`, rounded as the platform rounds when it rounds
/// per item, never below zero and never below the schedule's minimum.
pub fn commission_per_item(
    rules: &FeeRules,
    category: Option<&str>,
    basis_price: Decimal,
    reduction: Decimal,
) -> Decimal {
    let Some((_, percent, fixed)) = commission_rate_for(rules, category, basis_price) else {
        return Decimal::ZERO;
    };
    let raw = fixed + basis_price * percent / Decimal::ONE_HUNDRED - reduction;
    let floored = raw.max(rules.minimum_per_item.unwrap_or(Decimal::ZERO));
    floored.max(Decimal::ZERO)
}

/// Computes the fees of one order under `schedule`. `subscription_share` is this order's part
/// of the month's subscription (see [`spread`]); pass zero when not spreading.
pub fn order_fees(
    schedule: &FeeSchedule,
    order: &OrderInput,
    subscription_share: Decimal,
    settings: FeeSettings,
) -> OrderFees {
    let r = &schedule.rules;
    let goods = order.goods_incl_vat();
    let weights: Vec<Decimal> = order.lines.iter().map(LineInput::value_incl_vat).collect();
    let shipping_shares = allocate_exact(order.shipping_incl_vat, &weights);

    let mut lines: Vec<LineFees> = order
        .lines
        .iter()
        .zip(&shipping_shares)
        .map(|(l, ship)| {
            let qty = Decimal::from(l.quantity);
            let commission = if l.quantity == 0 {
                Decimal::ZERO
            } else {
                let mut unit = l.unit_price_incl_vat;
                if r.commission_basis.incl_shipping {
                    unit += ship / qty;
                }
                if !r.commission_basis.incl_vat {
                    unit /= Decimal::ONE + l.vat_rate;
                }
                let per_item =
                    commission_per_item(r, l.category.as_deref(), unit, l.commission_reduction);
                match r.rounding.per {
                    RoundingPer::Item => r.rounding.cents(per_item) * qty,
                    RoundingPer::Line => r.rounding.cents(per_item * qty),
                }
            };
            let per_item_other = r
                .rounding
                .cents((r.listing_per_item + r.fulfilment_per_item) * qty);
            LineFees {
                commission,
                per_item_other,
                ..LineFees::default()
            }
        })
        .collect();

    let paid = goods + order.shipping_incl_vat;
    let payment = r
        .payment
        .as_ref()
        .map(|p| {
            r.rounding
                .cents(paid * p.percent / Decimal::ONE_HUNDRED + p.fixed_per_order)
        })
        .unwrap_or_default();
    let order_level = r.fixed_per_order + r.fulfilment_per_order + payment + subscription_share;
    for (line, share) in lines.iter_mut().zip(allocate_cents(order_level, &weights)) {
        line.order_share = share;
    }
    for line in &mut lines {
        line.quoted_total = line.commission + line.per_item_other + line.order_share;
        split_vat(line, schedule, settings);
    }
    OrderFees {
        lines,
        fixed_per_order: r.fixed_per_order,
        payment,
        fulfilment_per_order: r.fulfilment_per_order,
        subscription_share,
    }
}

/// Splits a line's quoted fee into fee without VAT and VAT, and works out its cost.
fn split_vat(line: &mut LineFees, schedule: &FeeSchedule, settings: FeeSettings) {
    let s = split_quoted(schedule, line.quoted_total, settings);
    line.excl_vat = s.excl_vat;
    line.vat = s.vat;
    line.cost = s.cost;
}

/// A fee amount split by VAT.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeSplit {
    pub excl_vat: Decimal,
    pub vat: Decimal,
    pub cost: Decimal,
}

/// Splits an amount in the schedule's quoted terms (a modelled fee, or one the platform
/// reported) into the fee without VAT and the VAT on it, and says what it costs the merchant.
pub fn split_quoted(schedule: &FeeSchedule, quoted: Decimal, settings: FeeSettings) -> FeeSplit {
    let r = &schedule.rules;
    let (excl_vat, vat) = match r.fee_vat.treatment {
        VatTreatment::DutchVat if r.fee_vat.quoted_incl_vat => {
            let excl = r.rounding.cents(quoted / (Decimal::ONE + FEE_VAT));
            (excl, quoted - excl)
        }
        VatTreatment::DutchVat | VatTreatment::ReverseCharge => {
            (quoted, r.rounding.cents(quoted * FEE_VAT))
        }
        VatTreatment::Exempt => (quoted, Decimal::ZERO),
    };
    // A VAT-registered merchant deducts VAT charged on fees and declares and deducts
    // reverse-charged VAT in the same return; under the KOR neither can be deducted.
    let cost = if settings.kor {
        excl_vat + vat
    } else {
        excl_vat
    };
    FeeSplit {
        excl_vat,
        vat,
        cost,
    }
}

/// A commission reduction the platform grants when the price is at or below a maximum, in a
/// period (bol.com's `reductions[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceReduction {
    pub maximum_price: Decimal,
    pub cost_reduction: Decimal,
    pub start: chrono::NaiveDate,
    /// The first day the reduction is no longer valid (bol.com: "the end date from which the
    /// commission reduction is not valid anymore").
    pub end: chrono::NaiveDate,
}

/// The reduction that applies to a unit price on a day: the largest of those whose price and
/// period fit; zero when none does.
pub fn reduction_for(
    reductions: &[PriceReduction],
    unit_price: Decimal,
    day: chrono::NaiveDate,
) -> Decimal {
    reductions
        .iter()
        .filter(|r| unit_price <= r.maximum_price && r.start <= day && day < r.end)
        .map(|r| r.cost_reduction)
        .max()
        .unwrap_or(Decimal::ZERO)
}

/// Splits `total` over `weights` in exact cents (largest remainder), so the parts add up to the
/// total to the cent. With no positive weight the whole amount goes to the first part.
pub fn allocate_cents(total: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
    if weights.is_empty() {
        return Vec::new();
    }
    let cents = (total * Decimal::ONE_HUNDRED).round_dp_with_strategy(0, RoundingStrategy::ToZero);
    let sum: Decimal = weights.iter().filter(|w| **w > Decimal::ZERO).sum();
    let mut out = vec![Decimal::ZERO; weights.len()];
    if sum <= Decimal::ZERO {
        out[0] = total;
        return out;
    }
    let mut rema: Vec<(usize, Decimal)> = Vec::with_capacity(weights.len());
    let mut given = Decimal::ZERO;
    for (i, w) in weights.iter().enumerate() {
        let exact = cents * w.max(&Decimal::ZERO) / sum;
        let floor = exact.floor();
        out[i] = floor;
        given += floor;
        rema.push((i, exact - floor));
    }
    // Hand the leftover cents to the largest remainders; ties go to the earlier line.
    rema.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut left = cents - given;
    for (i, _) in rema {
        if left <= Decimal::ZERO {
            break;
        }
        out[i] += Decimal::ONE;
        left -= Decimal::ONE;
    }
    // Sub-cent rest of `total` (only when the caller passed more than two decimals).
    let rest = total - cents / Decimal::ONE_HUNDRED;
    let mut parts: Vec<Decimal> = out.into_iter().map(|c| c / Decimal::ONE_HUNDRED).collect();
    parts[0] += rest;
    parts
}

/// Splits an amount in proportion to weights without rounding (for bases such as shipping that
/// are not charged as such).
fn allocate_exact(total: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
    let sum: Decimal = weights.iter().sum();
    if sum <= Decimal::ZERO {
        let mut v = vec![Decimal::ZERO; weights.len()];
        if let Some(first) = v.first_mut() {
            *first = total;
        }
        return v;
    }
    weights.iter().map(|w| total * w / sum).collect()
}

/// Spreads a monthly amount (a subscription) over `orders` orders in exact cents; the parts add
/// up to the amount.
pub fn spread(amount: Decimal, orders: usize) -> Vec<Decimal> {
    allocate_cents(amount, &vec![Decimal::ONE; orders])
}
