//! Fee schedules: what a platform charges, as versioned data with an effective period and a
//! source. A schedule is plain serde JSON (the store's `fee_schedules.rules` column holds
//! [`FeeRules`]); the merchant can edit it, and the defaults in `data/fees/defaults.json` are only
//! a starting point, each marked with the date and source of its figures.
//!
//! This module only describes fees; computing them is `engine`'s job.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// One version of one platform's fees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeSchedule {
    /// The channel kind code (`bol`, `amazon`, `shopify`, ...), as in `channels.kind`.
    pub channel_kind: String,
    pub version: i64,
    /// First day the schedule applies (inclusive).
    pub effective_from: NaiveDate,
    /// First day it no longer applies (exclusive); `None` while it is current.
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
    /// Where the figures come from, with the date they were read: a merchant must be able to
    /// check them against the platform's own rate card.
    pub source: String,
    pub rules: FeeRules,
}

impl FeeSchedule {
    /// Whether the schedule applies on `day`.
    pub fn applies_on(&self, day: NaiveDate) -> bool {
        day >= self.effective_from && self.effective_to.is_none_or(|to| day < to)
    }
}

/// The rules of one schedule. Every amount is in the schedule's currency; whether amounts and
/// the results of percentages include VAT is said by `fee_vat.quoted_incl_vat`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeRules {
    #[serde(default = "eur")]
    pub currency: String,
    /// Commission per sold item, by category; the rule without a category is the fallback.
    #[serde(default)]
    pub commission: Vec<CommissionRule>,
    /// What the commission percentage is taken of.
    #[serde(default)]
    pub commission_basis: Basis,
    /// Lowest commission per item (e.g. Amazon Handmade's €0.30), before VAT on the fee.
    #[serde(default)]
    pub minimum_per_item: Option<Decimal>,
    /// A fixed fee per order (e.g. Thuisbezorgd's administration fee for online payment).
    #[serde(default)]
    pub fixed_per_order: Decimal,
    /// A fee per sold item that renews a listing (Etsy's listing fee on each sale).
    #[serde(default)]
    pub listing_per_item: Decimal,
    /// Fulfilment or delivery costs the platform charges per item and per order (FBB/FBA,
    /// platform couriers).
    #[serde(default)]
    pub fulfilment_per_item: Decimal,
    #[serde(default)]
    pub fulfilment_per_order: Decimal,
    /// Payment processing on the order total the customer paid (incl. VAT and shipping).
    #[serde(default)]
    pub payment: Option<PaymentFee>,
    /// A monthly subscription, spread over that month's orders on the channel.
    #[serde(default)]
    pub subscription_per_month: Decimal,
    /// VAT treatment of the fees.
    pub fee_vat: FeeVat,
    /// How the platform rounds.
    #[serde(default)]
    pub rounding: Rounding,
    /// Free text shown beside the schedule: what is an assumption, what is verified.
    #[serde(default)]
    pub notes: String,
}

fn eur() -> String {
    "EUR".to_string()
}

/// Commission for one category (or the fallback), in price bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommissionRule {
    /// The merchant's category name or the platform's; `None` is the fallback rule.
    #[serde(default)]
    pub category: Option<String>,
    /// Bands in ascending order of `up_to`; the last one may be open (`up_to: null`).
    pub bands: Vec<PriceBand>,
}

/// One price band: applies to unit prices (on the commission basis) up to and including
/// `up_to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceBand {
    #[serde(default)]
    pub up_to: Option<Decimal>,
    /// Percentage, e.g. `15` for 15 %.
    pub percent: Decimal,
    /// Fixed amount per item in this band.
    #[serde(default)]
    pub fixed_per_item: Decimal,
}

/// What a percentage is taken of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Basis {
    /// Of the price including VAT (bol.com, Amazon, Etsy) or without.
    pub incl_vat: bool,
    /// Whether the order's shipping charge counts too (Amazon and Etsy: yes; bol.com: no).
    pub incl_shipping: bool,
}

impl Default for Basis {
    fn default() -> Self {
        Basis {
            incl_vat: true,
            incl_shipping: false,
        }
    }
}

/// Payment processing: a percentage of what the customer paid plus a fixed amount per order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentFee {
    pub percent: Decimal,
    #[serde(default)]
    pub fixed_per_order: Decimal,
}

/// How VAT applies to a platform's fees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeVat {
    pub treatment: VatTreatment,
    /// Whether the published amounts already include that VAT (bol.com publishes its
    /// commission including 21 % VAT for Dutch sellers).
    #[serde(default)]
    pub quoted_incl_vat: bool,
}

/// Who charges VAT on the fee, which decides what the fee really costs the merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum VatTreatment {
    /// A Dutch company charges 21 % Dutch VAT on its invoice (bol.com, Thuisbezorgd).
    DutchVat,
    /// A company abroad invoices without VAT; the merchant declares 21 % under the reverse
    /// charge (Amazon EU in Luxembourg, Etsy and Shopify in Ireland).
    ReverseCharge,
    /// No VAT at all (payment services are exempt).
    Exempt,
}

/// Where and how amounts are rounded to cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    pub mode: RoundingMode,
    /// Round the fee of one item and multiply by the quantity (`item`), or round the fee of the
    /// whole order line once (`line`).
    pub per: RoundingPer,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            mode: RoundingMode::HalfUp,
            per: RoundingPer::Item,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// 0.005 goes up to 0.01: what invoices and most platforms use.
    HalfUp,
    /// 0.005 goes to the even cent (banker's rounding).
    HalfEven,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingPer {
    Item,
    Line,
}

impl Rounding {
    /// Rounds an amount to cents the way this platform does.
    pub fn cents(&self, amount: Decimal) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        amount.round_dp_with_strategy(2, strategy)
    }
}

/// A reason a schedule cannot be used, in words for the merchant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("The fee schedule for {channel} (version {version}) could not be read: {reason}. Check the JSON against an example from the defaults.")]
    BadJson {
        channel: String,
        version: i64,
        reason: String,
    },
    #[error("The fee schedule for {channel} (version {version}) is not usable: {reason}.")]
    Invalid {
        channel: String,
        version: i64,
        reason: String,
    },
    #[error("No fee schedule for {channel} applies on {day}. Add one that starts on or before that day.")]
    NoneApplies { channel: String, day: NaiveDate },
}

impl FeeSchedule {
    /// Checks what serde cannot: bands in order, no negative fees, a period that is not empty.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        let bad = |reason: String| ScheduleError::Invalid {
            channel: self.channel_kind.clone(),
            version: self.version,
            reason,
        };
        if let Some(to) = self.effective_to {
            if to <= self.effective_from {
                return Err(bad(format!(
                    "it ends ({to}) on or before it starts ({})",
                    self.effective_from
                )));
            }
        }
        let r = &self.rules;
        let amounts = [
            ("fixed_per_order", r.fixed_per_order),
            ("listing_per_item", r.listing_per_item),
            ("fulfilment_per_item", r.fulfilment_per_item),
            ("fulfilment_per_order", r.fulfilment_per_order),
            ("subscription_per_month", r.subscription_per_month),
            ("minimum_per_item", r.minimum_per_item.unwrap_or_default()),
        ];
        for (name, v) in amounts {
            if v.is_sign_negative() && !v.is_zero() {
                return Err(bad(format!(
                    "{name} is negative ({v}); fees are never below 0"
                )));
            }
        }
        if let Some(p) = &r.payment {
            if p.percent < Decimal::ZERO || p.fixed_per_order < Decimal::ZERO {
                return Err(bad("the payment fee is negative".to_string()));
            }
        }
        if !r.commission.iter().any(|c| c.category.is_none()) && !r.commission.is_empty() {
            return Err(bad(
                "no commission rule without a category: add one as the fallback".to_string(),
            ));
        }
        for c in &r.commission {
            let label = c.category.as_deref().unwrap_or("(fallback)");
            if c.bands.is_empty() {
                return Err(bad(format!("commission for {label} has no price bands")));
            }
            let mut last: Option<Decimal> = None;
            for (i, b) in c.bands.iter().enumerate() {
                if b.percent < Decimal::ZERO
                    || b.percent >= Decimal::ONE_HUNDRED
                    || b.fixed_per_item < Decimal::ZERO
                {
                    return Err(bad(format!(
                        "commission for {label}, band {}: the percentage must be from 0 to below 100 and the fixed amount not negative",
                        i + 1
                    )));
                }
                match (b.up_to, i + 1 == c.bands.len()) {
                    (None, false) => {
                        return Err(bad(format!(
                            "commission for {label}: only the last band may be open-ended"
                        )))
                    }
                    (Some(u), _) => {
                        if last.is_some_and(|l| u <= l) {
                            return Err(bad(format!(
                                "commission for {label}: price bands must go up ({u} after {})",
                                last.unwrap_or_default()
                            )));
                        }
                        last = Some(u);
                    }
                    (None, true) => {}
                }
            }
        }
        Ok(())
    }

    /// Reads the stored form (`fee_schedules` row) back into a schedule.
    pub fn from_row(
        channel_kind: &str,
        version: i64,
        effective_from: NaiveDate,
        effective_to: Option<NaiveDate>,
        source: &str,
        rules_json: &str,
    ) -> Result<FeeSchedule, ScheduleError> {
        let rules: FeeRules =
            serde_json::from_str(rules_json).map_err(|e| ScheduleError::BadJson {
                channel: channel_kind.to_string(),
                version,
                reason: e.to_string(),
            })?;
        let s = FeeSchedule {
            channel_kind: channel_kind.to_string(),
            version,
            effective_from,
            effective_to,
            source: source.to_string(),
            rules,
        };
        s.validate()?;
        Ok(s)
    }
}

/// Picks the schedule for `channel_kind` that applies on `day`; with several (an overlap after
/// an edit), the highest version wins.
pub fn applicable<'a>(
    schedules: &'a [FeeSchedule],
    channel_kind: &str,
    day: NaiveDate,
) -> Result<&'a FeeSchedule, ScheduleError> {
    schedules
        .iter()
        .filter(|s| s.channel_kind == channel_kind && s.applies_on(day))
        .max_by_key(|s| s.version)
        .ok_or_else(|| ScheduleError::NoneApplies {
            channel: channel_kind.to_string(),
            day,
        })
}
