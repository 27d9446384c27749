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
