//! The Insights page's transport types: what crosses IPC (and is generated into
//! `ui/src/lib/bindings.ts`). Money as `Money` (a decimal string), counts as numbers, channels by
//! their kind's code. Built from kanaal-insights' results in [`super::reports`].

use kanaal_core::channel_kind::ChannelGroup;
use kanaal_core::money::Money;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the page asks for: a period (inclusive days, `YYYY-MM-DD`, either end open) and the
/// channels (kind codes; empty means all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightsFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(default)]
    pub channels: Vec<String>,
}

/// A channel as the Insights page names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightsChannel {
    /// The kind's code, the key every report row uses.
    pub kind: String,
    /// The merchant's name(s) for the channel(s) of this kind.
    pub name: String,
    pub group: ChannelGroup,
}

/// One channel in the printable comparison.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonRow {
    pub channel: String,
    #[ts(type = "number")]
    pub orders: u64,
    /// What customers paid for the goods, incl. VAT.
    pub revenue: Money,
    pub fees: Money,
    /// Revenue excl. VAT − cost of goods − fees.
    pub net_contribution: Money,
    /// Fees as a fraction of revenue incl. VAT (`"0.1523"`); null without revenue.
    pub take_rate: Option<String>,
    #[ts(type = "number")]
    pub reviews: u64,
    /// Mean review score, -1..1; null without reviews.
    pub sentiment: Option<f64>,
    /// Aspect codes customers complain about most on this channel, most mentioned first.
    pub top_complaints: Vec<String>,
    /// People (resolved persons) who ordered on this channel in the period.
    #[ts(type = "number")]
    pub customers: u64,
    /// Of those, the people who ordered on no other channel in the period.
    #[ts(type = "number")]
    pub unique_customers: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Every channel in the shop (for the filter), whether or not it has data.
    pub all_channels: Vec<InsightsChannel>,
    pub rows: Vec<ComparisonRow>,
}

/// Fee figures of one group (a channel, a channel's month or product).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeTotals {
    #[ts(type = "number")]
    pub orders: u64,
    #[ts(type = "number")]
    pub units: u64,
    pub revenue_incl_vat: Money,
    pub revenue_excl_vat: Money,
    pub goods_cost: Money,
    pub fees: Money,
    pub net_contribution: Money,
    pub take_rate: Option<String>,
    /// Actual − modelled over the orders the platform reported a fee for.
    pub fee_difference: Money,
    #[ts(type = "number")]
    pub lines_without_cost: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeRow {
    pub channel: String,
    /// The month (`YYYY-MM`) or product (SKU or title); empty on channel rows.
    pub key: String,
    pub totals: FeeTotals,
}

/// Modelled against actual fees for one channel and month.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeCheck {
    pub channel: String,
    pub month: String,
    /// What the fee schedule expected, over all orders.
    pub modelled: Money,
    /// What the platform reported, over the orders it reported a fee for.
    pub actual: Money,
    /// What the schedule expected for those same orders.
    pub modelled_reported: Money,
    #[ts(type = "number")]
    pub orders_reported: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeReport {
    pub channels: Vec<FeeRow>,
    pub months: Vec<FeeRow>,
    pub products: Vec<FeeRow>,
    pub checks: Vec<FeeCheck>,
    /// Per order, where the platform reported the fee: unexpected fees and the largest
    /// differences first.
    pub orders: Vec<FeeOrderCheck>,
    /// Fees counted with VAT on fees as a cost (the merchant uses the KOR).
    pub kor: bool,
    /// Orders left out, with the reason (no fee schedule for the channel on that day).
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AspectScore {
    pub aspect: String,
    pub score: f64,
    #[ts(type = "number")]
    pub mentions: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewChannel {
    pub channel: String,
    #[ts(type = "number")]
    pub reviews: u64,
    pub mean_score: f64,
    #[ts(type = "number")]
    pub positive: u64,
    #[ts(type = "number")]
    pub negative: u64,
    pub mean_rating: Option<f64>,
    pub aspects: Vec<AspectScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewMonth {
    pub channel: String,
    pub month: String,
    #[ts(type = "number")]
    pub reviews: u64,
    pub mean_score: f64,
}

/// An aspect customers complain about on a platform but not in the own webshop.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlatformComplaint {
    pub channel: String,
    pub aspect: String,
    pub score: f64,
    #[ts(type = "number")]
    pub mentions: u64,
    /// The same aspect's mean score in the webshop; null when webshop customers don't mention it.
    pub webshop_score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewToAnswer {
    pub channel: String,
    pub created_at: String,
    pub rating: Option<i32>,
    pub score: f64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewReport {
    pub channels: Vec<ReviewChannel>,
    pub months: Vec<ReviewMonth>,
    pub platform_complaints: Vec<PlatformComplaint>,
    pub worst_recent: Vec<ReviewToAnswer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelSet {
    pub channels: Vec<String>,
    #[ts(type = "number")]
    pub persons: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReachRow {
    pub channel: String,
    #[ts(type = "number")]
    pub persons: u64,
    #[ts(type = "number")]
    pub only_here: u64,
    #[ts(type = "number")]
    pub persons_with_orders: u64,
    #[ts(type = "number")]
    pub repeat_persons: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoveRow {
    pub from: String,
    pub to: String,
    #[ts(type = "number")]
    pub persons: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OverlapView {
    /// Matrix rows and columns, in order.
    pub channels: Vec<String>,
    #[ts(type = "number")]
    pub persons: u64,
    /// `matrix[i][j]`: persons seen on both; the diagonal is the channel's own count.
    #[ts(type = "number[][]")]
    pub matrix: Vec<Vec<u64>>,
    /// Persons per exact combination of channels, largest first (an UpSet chart's bars).
    pub intersections: Vec<ChannelSet>,
    pub reach: Vec<ReachRow>,
    pub movement: Vec<MoveRow>,
    /// Customers not matched to a person yet; each counts as a person of their own.
    #[ts(type = "number")]
    pub unmatched: u64,
}

/// What "recognise customers" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MatchSummary {
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub persons: u64,
    /// Customers whose person changed in this run.
    #[ts(type = "number")]
    pub changed: u64,
}

/// Modelled against charged fees for one order the platform reported a fee for.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeOrderCheck {
    pub channel: String,
    /// The platform's order number.
    pub order: String,
    /// `YYYY-MM-DD`.
    pub placed_on: String,
    /// What the fee schedule expected (in the platform's own terms, as it reports fees).
    pub modelled: Money,
    /// What the platform charged.
    pub charged: Money,
    /// Charged − modelled.
    pub difference: Money,
    /// Charged more than expected beyond rounding: a fee the schedule does not know.
    pub unexpected: bool,
}

/// One version of a channel's fee schedule, its figures written as the form shows them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeScheduleVersion {
    #[ts(type = "number")]
    pub version: i64,
    /// First day it applies, `YYYY-MM-DD`.
    pub effective_from: String,
    /// The first day the next version applies (this one no longer); null for the current one.
    pub effective_until: Option<String>,
    pub source: String,
    /// Kanaal's shipped starting point, not yet saved or changed by the merchant.
    pub shipped_default: bool,
    pub rules: kanaal_insights::fees::edit::ScheduleDraft,
}

/// A channel's fee schedules, newest version first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelFeeSchedules {
    /// The channel kind's code.
    pub channel: String,
    pub versions: Vec<FeeScheduleVersion>,
    /// The date "New version from" starts with (`YYYY-MM-DD`): today by the app's clock, or
    /// the current version's first day when that is later.
    pub new_version_from: String,
}

/// What the fee model says about one order, for the order's dialog on the Orders page.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum OrderFeesView {
    /// The order's fees as the fee report computes them.
    Modelled {
        /// The channel kind's code (the Insights page's filter key).
        channel: String,
        /// `YYYY-MM`, the month the report lists it under.
        month: String,
        /// What the fee schedule expected, in the platform's own terms.
        modelled: Money,
        /// What the platform charged, when it reported it.
        charged: Option<Money>,
        /// Charged − modelled, when the platform reported a fee.
        difference: Option<Money>,
        /// Charged more than expected beyond rounding: a fee the schedule does not know.
        unexpected: bool,
    },
    /// Cancelled orders earn nothing and carry no fee in the analysis.
    Cancelled,
    /// Orders refunded in full earn nothing and carry no fee in the analysis.
    Refunded,
    /// No fee schedule covers the order's channel on its date.
    NoSchedule { reason: String },
}

/// One product on one channel: the price there that earns what the webshop earns.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BreakEvenItem {
    pub channel: String,
    pub product: String,
    pub webshop_price: Money,
    /// The price it last sold at on the channel.
    pub channel_price: Money,
    /// Null when no price on the channel earns what the webshop earns.
    pub break_even: Option<Money>,
    #[ts(type = "number")]
    pub units: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BreakEvenView {
    /// The webshop channel kind prices are compared with; null when the shop has no webshop.
    pub webshop: Option<String>,
    pub items: Vec<BreakEvenItem>,
}

/// A what-if scenario. Percentages as typed (`"20"`, `"5,5"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WhatIf {
    /// Move `percent` % of channel `from`'s orders to channel `to` (at the catalog price when
    /// `to` is a webshop).
    Move {
        from: String,
        to: String,
        percent: String,
    },
    /// Raise `channel`'s prices by `percent` %, selling as many as before.
    Raise { channel: String, percent: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhatIfChannel {
    pub channel: String,
    /// Net contribution per month before and after.
    pub before: Money,
    pub after: Money,
}

/// What a scenario changes, per month (averaged over the months with orders in the period).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhatIfResult {
    /// Months with orders in the period, over which the figures are averaged.
    #[ts(type = "number")]
    pub months: u64,
    pub before: Money,
    pub after: Money,
    /// After − before, per month.
    pub change: Money,
    /// Change over the whole period.
    pub change_in_period: Money,
    pub channels: Vec<WhatIfChannel>,
}
