//! Editing fee schedules: the form a merchant fills in for "a new version from <date>", checked
//! field by field, and turned into a [`FeeSchedule`] only when every field is right.
//!
//! A draft holds what the merchant typed, as text (`"15"`, `"1,50"`, `"€ 0,30"`), so the check
//! can name the field that is wrong and say why, while they type. Amounts take a decimal comma
//! or point; percentages are from 0 to below 100; money has at most two decimals (cents); price
//! bands must go up without overlapping; the new version may not start before the current one.
//!
//! Errors come as a code (for the window to translate), the field's path in the draft, and an
//! English sentence for logs and the CLI. This module decides no fee and touches no store.

use super::schedule::{
    Basis, CommissionRule, FeeRules, FeeSchedule, FeeVat, PaymentFee, PriceBand, VatTreatment,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What the merchant fills in. Amounts and percentages are text as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ScheduleDraft {
    pub channel_kind: String,
    /// `YYYY-MM-DD`: the first day the new version applies.
    pub effective_from: String,
    /// Where the figures come from (the merchant's rate card, a dashboard page, with a date).
    pub source: String,
    pub commission: Vec<DraftCommission>,
    /// Commission percentages are taken of the price incl. VAT (else excl. VAT).
    pub commission_incl_vat: bool,
    /// The shipping the customer paid counts towards the commission basis.
    pub commission_incl_shipping: bool,
    /// Lowest commission per item; empty for none.
    pub minimum_per_item: String,
    pub fixed_per_order: String,
    pub listing_per_item: String,
    pub fulfilment_per_item: String,
    pub fulfilment_per_order: String,
    /// Payment fee as a percentage of what the customer paid, and a fixed amount per order;
    /// both empty for no payment fee.
    pub payment_percent: String,
    pub payment_fixed: String,
    /// A monthly subscription, spread over that month's orders.
    pub subscription_per_month: String,
    pub fee_vat: VatTreatment,
    /// The amounts above already include the VAT on the fee (bol.com quotes them so).
    pub quoted_incl_vat: bool,
    pub notes: String,
}

/// One category's commission (no category: the fallback for all others).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DraftCommission {
    /// Empty for the fallback rule.
    pub category: String,
    pub bands: Vec<DraftBand>,
}

/// One price band: applies up to and including `up_to` (empty: no upper end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DraftBand {
    pub up_to: String,
    pub percent: String,
    pub fixed_per_item: String,
}

/// A field that is not right, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    /// The field's path in the draft: `effectiveFrom`, `fixedPerOrder`,
    /// `commission.0.bands.1.percent`, `commission.2.category`.
    pub field: String,
    /// What is wrong, for the window to word: `required`, `not_a_number`, `negative`,
    /// `percent_range`, `too_many_decimals`, `bands_overlap`, `open_band_not_last`,
    /// `no_bands`, `no_fallback`, `duplicate_category`, `not_a_date`, `before_current`,
    /// `no_source`.
    pub code: String,
    /// The same in English, naming the field.
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Reads an amount as a merchant types it (`1,50`, `1.50`, `€ 1,50`, `15 %`, `1.234,56`), with
/// the catalog's reader of typed amounts. `None` when it is not a number.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let t = text.trim().trim_end_matches('%');
    kanaal_core::money::Money::parse_amount(t).ok()
}

/// Writes an amount the way the draft shows it: decimal comma in Dutch, point in English,
/// trailing zeros of cents kept for money.
pub fn format_amount(v: Decimal, decimal_comma: bool, money: bool) -> String {
    let s = if money {
        format!("{:.2}", v.round_dp(2))
    } else {
        v.normalize().to_string()
    };
    if decimal_comma {
        s.replace('.', ",")
    } else {
        s
    }
}

struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn fail(&mut self, field: &str, code: &str, message: String) {
        self.errors.push(FieldError {
            field: field.to_string(),
            code: code.to_string(),
            message,
        });
    }

    /// A number that must be there, at least 0, with at most `dp` decimals.
    fn number(&mut self, field: &str, label: &str, text: &str, dp: u32) -> Option<Decimal> {
        if text.trim().is_empty() {
            self.fail(
                field,
                "required",
                format!("{label}: fill in an amount (0 if there is none)"),
            );
            return None;
        }
        let Some(v) = parse_amount(text) else {
            self.fail(
                field,
                "not_a_number",
                format!(
                    "{label}: '{}' is not a number; type for example 1,50",
                    text.trim()
                ),
            );
            return None;
        };
        if v.is_sign_negative() && !v.is_zero() {
            self.fail(
                field,
                "negative",
                format!("{label}: fees are never below 0"),
            );
            return None;
        }
        if v.normalize().scale() > dp {
            self.fail(
                field,
                "too_many_decimals",
                format!("{label}: use at most {dp} decimals"),
            );
            return None;
        }
        Some(v.normalize())
    }

    /// Money: cents at most; empty means zero.
    fn money_or_zero(&mut self, field: &str, label: &str, text: &str) -> Option<Decimal> {
        if text.trim().is_empty() {
            return Some(Decimal::ZERO);
        }
        self.number(field, label, text, 2)
    }

    /// A percentage from 0 to below 100, at most 4 decimals.
    fn percent(&mut self, field: &str, label: &str, text: &str) -> Option<Decimal> {
        let v = self.number(field, label, text, 4)?;
        if v >= Decimal::ONE_HUNDRED {
            self.fail(
                field,
                "percent_range",
                format!("{label}: a percentage is from 0 to below 100"),
            );
            return None;
        }
        Some(v)
    }
}

/// Checks a draft against the channel's current version (the one it replaces, if any) and
/// gives the new version, numbered after `latest_version`, or every field that is not right.
pub fn check(
    draft: &ScheduleDraft,
    current: Option<&FeeSchedule>,
    latest_version: i64,
) -> Result<FeeSchedule, Vec<FieldError>> {
    let mut c = Checker { errors: Vec::new() };
    let from = match NaiveDate::parse_from_str(draft.effective_from.trim(), "%Y-%m-%d") {
        Ok(d) => {
            if let Some(cur) = current.filter(|cur| d < cur.effective_from) {
                c.fail(
                    "effectiveFrom",
                    "before_current",
                    format!(
                        "Effective from: the new version cannot start before the current one ({}); older orders keep the fees of their day",
                        cur.effective_from
                    ),
                );
            }
            Some(d)
        }
        Err(_) => {
            c.fail(
                "effectiveFrom",
                "not_a_date",
                "Effective from: pick the first day the new fees apply".to_string(),
            );
            None
        }
    };
    if draft.source.trim().is_empty() {
        c.fail(
            "source",
            "no_source",
            "Source: say where the figures come from (e.g. 'bol.com dashboard, read 1 March 2026')"
                .to_string(),
        );
    }

    let mut commission = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, rule) in draft.commission.iter().enumerate() {
        let category = rule.category.trim();
        let key = category.to_lowercase();
        if seen.contains(&key) {
            c.fail(
                &format!("commission.{i}.category"),
                "duplicate_category",
                format!(
                    "Commission, category '{}': there is already a rule for it",
                    if category.is_empty() {
                        "all others"
                    } else {
                        category
                    }
                ),
            );
        }
        seen.push(key);
        let label = if category.is_empty() {
            "Commission (all other categories)".to_string()
        } else {
            format!("Commission for {category}")
        };
        if rule.bands.is_empty() {
            c.fail(
                &format!("commission.{i}.bands"),
                "no_bands",
                format!("{label}: add at least one price band"),
            );
        }
        let mut bands = Vec::new();
        let mut last: Option<Decimal> = None;
        for (j, b) in rule.bands.iter().enumerate() {
            let f = |name: &str| format!("commission.{i}.bands.{j}.{name}");
            let band_label = format!("{label}, band {}", j + 1);
            let up_to = if b.up_to.trim().is_empty() {
                if j + 1 != rule.bands.len() {
                    c.fail(
                        &f("upTo"),
                        "open_band_not_last",
                        format!("{band_label}: only the last band may have no upper price"),
                    );
                }
                None
            } else {
                let v = c.number(&f("upTo"), &format!("{band_label}, up to"), &b.up_to, 2);
                if let (Some(v), Some(l)) = (v, last) {
                    if v <= l {
                        c.fail(
                            &f("upTo"),
                            "bands_overlap",
                            format!(
                                "{band_label}: it must start above the band before it (up to {l}), so bands do not overlap"
                            ),
                        );
                    }
                }
                if v.is_some() {
                    last = v;
                }
                v
            };
            let percent = c.percent(
                &f("percent"),
                &format!("{band_label}, percentage"),
                &b.percent,
            );
            let fixed = c.money_or_zero(
                &f("fixedPerItem"),
                &format!("{band_label}, fixed amount per item"),
                &b.fixed_per_item,
            );
            if let (Some(percent), Some(fixed_per_item)) = (percent, fixed) {
                bands.push(PriceBand {
                    up_to,
                    percent,
                    fixed_per_item,
                });
            }
        }
        commission.push(CommissionRule {
            category: (!category.is_empty()).then(|| category.to_string()),
            bands,
        });
    }
    if !draft.commission.is_empty()
        && !draft
            .commission
            .iter()
            .any(|r| r.category.trim().is_empty())
    {
        c.fail(
            "commission",
            "no_fallback",
            "Commission: add a rule without a category, for all other categories".to_string(),
        );
    }

    let minimum_per_item = if draft.minimum_per_item.trim().is_empty() {
        None
    } else {
        c.number(
            "minimumPerItem",
            "Minimum commission per item",
            &draft.minimum_per_item,
            2,
        )
    };
    let fixed_per_order = c.money_or_zero(
        "fixedPerOrder",
        "Fixed fee per order",
        &draft.fixed_per_order,
    );
    let listing_per_item = c.money_or_zero(
        "listingPerItem",
        "Listing fee per item",
        &draft.listing_per_item,
    );
    let fulfilment_per_item = c.money_or_zero(
        "fulfilmentPerItem",
        "Fulfilment per item",
        &draft.fulfilment_per_item,
    );
    let fulfilment_per_order = c.money_or_zero(
        "fulfilmentPerOrder",
        "Fulfilment per order",
        &draft.fulfilment_per_order,
    );
    let subscription_per_month = c.money_or_zero(
        "subscriptionPerMonth",
        "Subscription per month",
        &draft.subscription_per_month,
    );
    let payment =
        if draft.payment_percent.trim().is_empty() && draft.payment_fixed.trim().is_empty() {
            None
        } else {
            let percent = if draft.payment_percent.trim().is_empty() {
                Some(Decimal::ZERO)
            } else {
                c.percent(
                    "paymentPercent",
                    "Payment fee percentage",
                    &draft.payment_percent,
                )
            };
            let fixed = c.money_or_zero(
                "paymentFixed",
                "Payment fee per order",
                &draft.payment_fixed,
            );
            percent
                .zip(fixed)
                .map(|(percent, fixed_per_order)| PaymentFee {
                    percent,
                    fixed_per_order,
                })
        };

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let (Some(effective_from), Some(fixed_per_order), Some(listing_per_item)) =
        (from, fixed_per_order, listing_per_item)
    else {
        return Err(c.errors);
    };
    let (Some(fulfilment_per_item), Some(fulfilment_per_order), Some(subscription_per_month)) = (
        fulfilment_per_item,
        fulfilment_per_order,
        subscription_per_month,
    ) else {
        return Err(c.errors);
    };
    let base = current.map(|s| &s.rules);
    let schedule = FeeSchedule {
        channel_kind: draft.channel_kind.clone(),
        version: latest_version + 1,
        effective_from,
        effective_to: None,
        source: draft.source.trim().to_string(),
        rules: FeeRules {
            currency: base.map_or_else(|| "EUR".to_string(), |b| b.currency.clone()),
            commission,
            commission_basis: Basis {
                incl_vat: draft.commission_incl_vat,
                incl_shipping: draft.commission_incl_shipping,
            },
            minimum_per_item,
            fixed_per_order,
            listing_per_item,
            fulfilment_per_item,
            fulfilment_per_order,
            payment,
            subscription_per_month,
            fee_vat: FeeVat {
                treatment: draft.fee_vat,
                quoted_incl_vat: draft.quoted_incl_vat,
            },
            rounding: base.map(|b| b.rounding).unwrap_or_default(),
            notes: draft.notes.trim().to_string(),
        },
    };
    // The schedule's own rules (checked again when saved) back up the field checks.
    schedule.validate().map_err(|e| {
        vec![FieldError {
            field: String::new(),
            code: "invalid".to_string(),
            message: e.to_string(),
        }]
    })?;
    Ok(schedule)
}

/// The draft for "a new version from `from`": a copy of `s` with amounts written with a
/// decimal comma (`decimal_comma`) or point.
pub fn draft_of(s: &FeeSchedule, from: NaiveDate, decimal_comma: bool) -> ScheduleDraft {
    let money = |v: Decimal| format_amount(v, decimal_comma, true);
    let pct = |v: Decimal| format_amount(v, decimal_comma, false);
    let r = &s.rules;
    ScheduleDraft {
        channel_kind: s.channel_kind.clone(),
        effective_from: from.to_string(),
        source: s.source.clone(),
        commission: r
            .commission
            .iter()
            .map(|c| DraftCommission {
                category: c.category.clone().unwrap_or_default(),
                bands: c
                    .bands
                    .iter()
                    .map(|b| DraftBand {
                        up_to: b.up_to.map(money).unwrap_or_default(),
                        percent: pct(b.percent),
                        fixed_per_item: money(b.fixed_per_item),
                    })
                    .collect(),
            })
            .collect(),
        commission_incl_vat: r.commission_basis.incl_vat,
        commission_incl_shipping: r.commission_basis.incl_shipping,
        minimum_per_item: r.minimum_per_item.map(money).unwrap_or_default(),
        fixed_per_order: money(r.fixed_per_order),
        listing_per_item: money(r.listing_per_item),
        fulfilment_per_item: money(r.fulfilment_per_item),
        fulfilment_per_order: money(r.fulfilment_per_order),
        payment_percent: r
            .payment
            .as_ref()
            .map(|p| pct(p.percent))
            .unwrap_or_default(),
        payment_fixed: r
            .payment
            .as_ref()
            .map(|p| money(p.fixed_per_order))
            .unwrap_or_default(),
        subscription_per_month: money(r.subscription_per_month),
        fee_vat: r.fee_vat.treatment,
        quoted_incl_vat: r.fee_vat.quoted_incl_vat,
        notes: r.notes.clone(),
    }
}
