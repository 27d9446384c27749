//! The Insights page's commands: the one-page channel comparison and the fee, review and overlap
//! reports behind it, for a period and a set of channels.
//!
//! The analyses themselves live in kanaal-insights (fee engine, sentiment scorer, person
//! matching); this module only reads them for a filter, names channels the way the window
//! shows them, and shapes the results into transport types with `Money` and plain counts.
//! Work runs on a blocking thread so the window never waits on scoring or matching.
//!
//! Channels are identified by their kind's code (`bol`, `shopify`): the fee and review analyses
//! group by kind, and the overlap report's channel names are mapped back to their kind here.

use crate::ipc::{IpcError, IpcResult};
use crate::AppState;
use chrono::{Days, NaiveDate};
use kanaal_core::channel_kind::{self, ChannelGroup};
use kanaal_core::money::Money;
use kanaal_core::store::Store;
use kanaal_insights::fees::{self, FeeSettings, Totals};
use kanaal_insights::overlap::report::OverlapReport;
use kanaal_insights::sentiment::{self, Label, Lang};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use tauri::State;
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
    /// Aspect codes customers complain about most on this channel, worst first.
    pub top_complaints: Vec<String>,
    /// Persons who bought on this channel.
    #[ts(type = "number")]
    pub customers: u64,
    /// Persons only this channel brought.
    #[ts(type = "number")]
    pub unique_customers: u64,
    /// Order lines without a cost of goods: the contribution is overstated by their cost.
    #[ts(type = "number")]
    pub lines_without_cost: u64,
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

/// The period as `[from, to)` days.
fn period(filter: &InsightsFilter) -> IpcResult<(Option<NaiveDate>, Option<NaiveDate>)> {
    let day = |v: &Option<String>, what: &str| -> IpcResult<Option<NaiveDate>> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    IpcError::invalid(format!(
                    "'{s}' is not a date for the {what} of the period: pick a day in the calendar"
                ))
                }),
        }
    };
    let from = day(&filter.from, "start")?;
    let to = day(&filter.to, "end")?;
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(IpcError::invalid(
                "the period ends before it starts: pick an end date on or after the start date",
            ));
        }
    }
    Ok((from, to.and_then(|t| t.checked_add_days(Days::new(1)))))
}

/// The shop's channels by kind, and each channel name's kind.
struct Channels {
    list: Vec<InsightsChannel>,
    kind_of_name: HashMap<String, String>,
    wanted: BTreeSet<String>,
}

impl Channels {
    fn load(store: &Store, filter: &InsightsFilter) -> kanaal_core::Result<Channels> {
        let records = store.read(kanaal_core::channels::list)?;
        let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut kind_of_name = HashMap::new();
        for r in records {
            kind_of_name.insert(r.name.clone(), r.kind.clone());
            names.entry(r.kind).or_default().push(r.name);
        }
        let list = names
            .into_iter()
            .map(|(kind, names)| InsightsChannel {
                group: group_of(&kind),
                name: names.join(", "),
                kind,
            })
            .collect();
        Ok(Channels {
            list,
            kind_of_name,
            wanted: filter.channels.iter().cloned().collect(),
        })
    }

    fn wanted(&self, kind: &str) -> bool {
        self.wanted.is_empty() || self.wanted.contains(kind)
    }

    fn kind_of(&self, name: &str) -> String {
        self.kind_of_name
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }
}

fn group_of(kind: &str) -> ChannelGroup {
    channel_kind::by_code(kind).map_or(ChannelGroup::Marketplace, |k| k.group)
}

fn eur(d: Decimal) -> Money {
    Money::eur(d.round_dp(2))
}

fn totals(t: &Totals) -> FeeTotals {
    FeeTotals {
        orders: t.orders,
        units: t.units,
        revenue_incl_vat: eur(t.revenue_incl_vat),
        revenue_excl_vat: eur(t.revenue_excl_vat),
        goods_cost: eur(t.goods_cost),
        fees: eur(t.fees),
        net_contribution: eur(t.net_contribution),
        take_rate: t.take_rate.map(|r| r.to_string()),
        fee_difference: eur(t.fee_difference),
        lines_without_cost: t.lines_without_cost,
    }
}

/// The fee report for the filter.
pub fn fee_report(store: &Store, filter: &InsightsFilter) -> kanaal_core::Result<FeeReport> {
    let (from, to) =
        period(filter).map_err(|e| kanaal_core::Error::invalid("period", e.message))?;
    let channels = Channels::load(store, filter)?;
    let (sales, schedules) = store.read(|tx| {
        Ok((
            fees::store::load_sales(tx, from, to)?,
            fees::store::load_schedules(tx)?,
        ))
    })?;
    let sales: Vec<_> = sales
        .into_iter()
        .filter(|s| channels.wanted(&s.channel_kind))
        .collect();
    let a = fees::analyse(&sales, &schedules, FeeSettings::default());
    let row = |channel: &str, key: &str, t: &Totals| FeeRow {
        channel: channel.to_string(),
        key: key.to_string(),
        totals: totals(t),
    };
    let mut checks: BTreeMap<(String, String), (Decimal, Decimal, Decimal, u64)> = BTreeMap::new();
    for o in &a.orders {
        let c = checks
            .entry((o.channel_kind.clone(), o.month.clone()))
            .or_default();
        c.0 += o.modelled;
        if let Some(actual) = o.actual {
            c.1 += actual;
            c.2 += o.modelled;
            c.3 += 1;
        }
    }
    Ok(FeeReport {
        channels: a.by_channel.iter().map(|(c, t)| row(c, "", t)).collect(),
        months: a.by_month.iter().map(|((c, m), t)| row(c, m, t)).collect(),
        products: a
            .by_product
            .iter()
            .map(|((c, p), t)| row(c, p, t))
            .collect(),
        checks: checks
            .into_iter()
            .map(|((channel, month), (m, a, mr, n))| FeeCheck {
                channel,
                month,
                modelled: eur(m),
                actual: eur(a),
                modelled_reported: eur(mr),
                orders_reported: n,
            })
            .collect(),
        skipped: a.skipped,
    })
}

fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// How many reviews to list for answering first.
const WORST: usize = 8;

/// The review report for the filter: every review in the period is scored with
/// kanaal-insights' sentiment scorer and summed per channel and per channel and month.
pub fn review_report(store: &Store, filter: &InsightsFilter) -> kanaal_core::Result<ReviewReport> {
    let (from, to) =
        period(filter).map_err(|e| kanaal_core::Error::invalid("period", e.message))?;
    let channels = Channels::load(store, filter)?;
    let rows = store.read(|tx| {
        let mut st = tx.prepare(
            "SELECT c.kind, r.created_at, r.rating, r.title, r.body, r.language
               FROM reviews r JOIN channels c ON c.id = r.channel_id
              WHERE (?1 IS NULL OR substr(r.created_at, 1, 10) >= ?1)
                AND (?2 IS NULL OR substr(r.created_at, 1, 10) < ?2)
              ORDER BY r.created_at DESC, r.id DESC",
        )?;
        let from = from.map(|d| d.to_string());
        let to = to.map(|d| d.to_string());
        let rows = st.query_map((from.as_deref(), to.as_deref()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i32>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row?);
        }
        Ok(out)
    })?;

    #[derive(Default)]
    struct Acc {
        n: u64,
        sum: f64,
        pos: u64,
        neg: u64,
        rating_sum: f64,
        rated: u64,
        aspects: BTreeMap<&'static str, (f64, u64)>,
    }
    let mut per: BTreeMap<String, Acc> = BTreeMap::new();
    let mut per_month: BTreeMap<(String, String), (f64, u64)> = BTreeMap::new();
    let mut recent = Vec::new();
    for (kind, created_at, rating, title, body, language) in rows {
        if !channels.wanted(&kind) {
            continue;
        }
        let text = if title.is_empty() {
            body
        } else {
            format!("{title}. {body}")
        };
        let s = sentiment::score(&text, language.and_then(|l| l.parse::<Lang>().ok()));
        let a = per.entry(kind.clone()).or_default();
        a.n += 1;
        a.sum += s.score;
        a.pos += u64::from(s.label == Label::Positive);
        a.neg += u64::from(s.label == Label::Negative);
        if let Some(r) = rating {
            a.rating_sum += f64::from(r);
            a.rated += 1;
        }
        for x in &s.aspects {
            let e = a.aspects.entry(x.aspect.code()).or_default();
            e.0 += x.score;
            e.1 += 1;
        }
        let month = created_at.get(..7).unwrap_or_default().to_string();
        let m = per_month.entry((kind.clone(), month)).or_default();
        m.0 += s.score;
        m.1 += 1;
        // The worst are picked from the 100 most recent, so old complaints don't crowd out new.
        if recent.len() < 100 {
            recent.push(ReviewToAnswer {
                channel: kind,
                created_at,
                rating,
                score: r3(s.score),
                text,
            });
        }
    }
    recent.sort_by(|a, b| a.score.total_cmp(&b.score));
    recent.retain(|r| r.score <= -sentiment::THRESHOLD);
    recent.truncate(WORST);

    let channels_out: Vec<ReviewChannel> = per
        .into_iter()
        .map(|(channel, a)| ReviewChannel {
            channel,
            reviews: a.n,
            mean_score: r3(a.sum / a.n.max(1) as f64),
            positive: a.pos,
            negative: a.neg,
            mean_rating: (a.rated > 0).then(|| r3(a.rating_sum / a.rated as f64)),
            aspects: a
                .aspects
                .into_iter()
                .map(|(aspect, (s, n))| AspectScore {
                    aspect: aspect.to_string(),
                    score: r3(s / n as f64),
                    mentions: n,
                })
                .collect(),
        })
        .collect();
    let platform_complaints = platform_complaints(&channels_out);
    Ok(ReviewReport {
        months: per_month
            .into_iter()
            .map(|((channel, month), (s, n))| ReviewMonth {
                channel,
                month,
                reviews: n,
                mean_score: r3(s / n.max(1) as f64),
            })
            .collect(),
        channels: channels_out,
        platform_complaints,
        worst_recent: recent,
    })
}

fn is_webshop(kind: &str) -> bool {
    group_of(kind) == ChannelGroup::Webshop
}

/// Aspects with a negative mean score on a platform that the webshop's customers don't complain
/// about (no mentions there, or a mean score above the negative threshold), worst first.
fn platform_complaints(channels: &[ReviewChannel]) -> Vec<PlatformComplaint> {
    let mut webshop: BTreeMap<&str, (f64, u64)> = BTreeMap::new();
    for c in channels.iter().filter(|c| is_webshop(&c.channel)) {
        for a in &c.aspects {
            let e = webshop.entry(&a.aspect).or_default();
            e.0 += a.score * a.mentions as f64;
            e.1 += a.mentions;
        }
    }
    let mut out: Vec<PlatformComplaint> = channels
        .iter()
        .filter(|c| !is_webshop(&c.channel))
        .flat_map(|c| {
            c.aspects.iter().filter_map(|a| {
                let web = webshop
                    .get(a.aspect.as_str())
                    .map(|(s, n)| r3(s / (*n).max(1) as f64));
                let complained = a.score <= -sentiment::THRESHOLD;
                let not_at_home = web.is_none_or(|w| w > -sentiment::THRESHOLD);
                (complained && not_at_home).then(|| PlatformComplaint {
                    channel: c.channel.clone(),
                    aspect: a.aspect.clone(),
                    score: a.score,
                    mentions: a.mentions,
                    webshop_score: web,
                })
            })
        })
        .collect();
    out.sort_by(|a, b| (a.score * a.mentions as f64).total_cmp(&(b.score * b.mentions as f64)));
    out
}

/// The overlap report for the channel filter (over all time: people are matched across their
/// whole history).
pub fn overlap_report(store: &Store, filter: &InsightsFilter) -> kanaal_core::Result<OverlapView> {
    let channels = Channels::load(store, filter)?;
    let (report, unmatched) = store.read(|tx| {
        Ok((
            kanaal_insights::overlap::store::overlap_report(tx)?,
            kanaal_insights::overlap::store::unresolved_customers(tx)?,
        ))
    })?;
    Ok(overlap_view(&report, &channels, unmatched))
}

fn overlap_view(report: &OverlapReport, channels: &Channels, unmatched: u64) -> OverlapView {
    let kinds: Vec<String> = report
        .channels
        .iter()
        .map(|n| channels.kind_of(n))
        .collect();
    let keep: Vec<usize> = (0..kinds.len())
        .filter(|&i| channels.wanted(&kinds[i]))
        .collect();
    let repeat: HashMap<&str, (u64, u64)> = report
        .repeat
        .iter()
        .map(|r| {
            (
                r.channel.as_str(),
                (r.persons_with_orders, r.repeat_persons),
            )
        })
        .collect();
    let wanted_name = |n: &str| channels.wanted(&channels.kind_of(n));
    OverlapView {
        channels: keep.iter().map(|&i| kinds[i].clone()).collect(),
        persons: report.persons,
        matrix: keep
            .iter()
            .map(|&i| keep.iter().map(|&j| report.matrix[i][j]).collect())
            .collect(),
        intersections: report
            .intersections
            .iter()
            .filter(|s| s.channels.iter().any(|c| wanted_name(c)))
            .map(|s| ChannelSet {
                channels: s.channels.iter().map(|c| channels.kind_of(c)).collect(),
                persons: s.persons,
            })
            .collect(),
        reach: report
            .reach
            .iter()
            .filter(|r| wanted_name(&r.channel))
            .map(|r| {
                let (with, rep) = repeat.get(r.channel.as_str()).copied().unwrap_or((0, 0));
                ReachRow {
                    channel: channels.kind_of(&r.channel),
                    persons: r.persons,
                    only_here: r.only_here,
                    persons_with_orders: with,
                    repeat_persons: rep,
                }
            })
            .collect(),
        movement: report
            .movement
            .iter()
            .filter(|m| wanted_name(&m.from) || wanted_name(&m.to))
            .map(|m| MoveRow {
                from: channels.kind_of(&m.from),
                to: channels.kind_of(&m.to),
                persons: m.persons,
            })
            .collect(),
        unmatched,
    }
}

/// How many complaints the comparison lists per channel.
const TOP_COMPLAINTS: usize = 3;

/// The one-page comparison: per channel revenue, fees, contribution, take rate, sentiment, top
/// complaints and (unique) customers, joined from the three reports.
pub fn comparison(store: &Store, filter: &InsightsFilter) -> kanaal_core::Result<Comparison> {
    let all = Channels::load(store, &InsightsFilter::default())?;
    let fees = fee_report(store, filter)?;
    let reviews = review_report(store, filter)?;
    let overlap = overlap_report(store, filter)?;
    let rows = all
        .list
        .iter()
        .filter(|c| filter.channels.is_empty() || filter.channels.contains(&c.kind))
        .map(|c| {
            let f = fees.channels.iter().find(|r| r.channel == c.kind);
            let r = reviews.channels.iter().find(|r| r.channel == c.kind);
            let o = overlap.reach.iter().find(|r| r.channel == c.kind);
            let zero = || eur(Decimal::ZERO);
            let mut complaints: Vec<&AspectScore> = r
                .map(|r| {
                    r.aspects
                        .iter()
                        .filter(|a| a.score <= -sentiment::THRESHOLD)
                        .collect()
                })
                .unwrap_or_default();
            complaints.sort_by(|a, b| {
                (a.score * a.mentions as f64).total_cmp(&(b.score * b.mentions as f64))
            });
            ComparisonRow {
                channel: c.kind.clone(),
                orders: f.map_or(0, |f| f.totals.orders),
                revenue: f.map_or_else(zero, |f| f.totals.revenue_incl_vat.clone()),
                fees: f.map_or_else(zero, |f| f.totals.fees.clone()),
                net_contribution: f.map_or_else(zero, |f| f.totals.net_contribution.clone()),
                take_rate: f.and_then(|f| f.totals.take_rate.clone()),
                reviews: r.map_or(0, |r| r.reviews),
                sentiment: r.map(|r| r.mean_score),
                top_complaints: complaints
                    .into_iter()
                    .take(TOP_COMPLAINTS)
                    .map(|a| a.aspect.clone())
                    .collect(),
                customers: o.map_or(0, |o| o.persons),
                unique_customers: o.map_or(0, |o| o.only_here),
                lines_without_cost: f.map_or(0, |f| f.totals.lines_without_cost),
            }
        })
        .collect();
    Ok(Comparison {
        all_channels: all.list,
        rows,
    })
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

/// Resolves which customer records of all channels are the same person (kanaal-insights'
/// matching over keyed hashes, with the shop's key from the OS keyring) and stores the result,
/// so the overlap report counts people instead of records.
#[tauri::command]
pub async fn insights_match_customers(state: State<'_, AppState>) -> IpcResult<MatchSummary> {
    let store: Arc<Store> = state.store()?;
    let clock = state.clock.clone();
    tauri::async_runtime::spawn_blocking(move || -> IpcResult<MatchSummary> {
        let key = kanaal_insights::overlap::keys::load_shop_key().map_err(|e| IpcError {
            code: "keyring".into(),
            message: format!(
                "Kanaal could not read its customer-matching key from the system keyring ({e}). \
                 Unlock your keyring (log out and in again) and try again."
            ),
        })?;
        let r = store.write(|tx| {
            kanaal_insights::overlap::store::resolve_persons(
                tx,
                &key,
                &kanaal_insights::overlap::MatchConfig::default(),
                clock.now(),
            )
        })?;
        Ok(MatchSummary {
            customers: r.customers as u64,
            persons: r.persons as u64,
            changed: r.changed as u64,
        })
    })
    .await
    .map_err(|e| IpcError {
        code: "internal".into(),
        message: format!("Recognising customers stopped: {e}. Try again."),
    })?
}

/// Runs `work` over the store on a blocking thread.
async fn off_ui<T: Send + 'static>(
    state: &AppState,
    filter: InsightsFilter,
    work: fn(&Store, &InsightsFilter) -> kanaal_core::Result<T>,
) -> IpcResult<T> {
    period(&filter)?;
    let store: Arc<Store> = state.store()?;
    tauri::async_runtime::spawn_blocking(move || work(&store, &filter))
        .await
        .map_err(|e| IpcError {
            code: "internal".into(),
            message: format!("The insights could not be computed: {e}. Try again."),
        })?
        .map_err(IpcError::from)
}

#[tauri::command]
pub async fn insights_comparison(
    state: State<'_, AppState>,
    filter: InsightsFilter,
) -> IpcResult<Comparison> {
    off_ui(&state, filter, comparison).await
}

#[tauri::command]
pub async fn insights_fees(
    state: State<'_, AppState>,
    filter: InsightsFilter,
) -> IpcResult<FeeReport> {
    off_ui(&state, filter, fee_report).await
}

#[tauri::command]
pub async fn insights_reviews(
    state: State<'_, AppState>,
    filter: InsightsFilter,
) -> IpcResult<ReviewReport> {
    off_ui(&state, filter, review_report).await
}

#[tauri::command]
pub async fn insights_overlap(
    state: State<'_, AppState>,
    filter: InsightsFilter,
) -> IpcResult<OverlapView> {
    off_ui(&state, filter, overlap_report).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

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
}
