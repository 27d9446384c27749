//! The reports behind the Insights page, read from the store for a filter: kanaal-insights'
//! fee analysis, sentiment scorer and overlap report, with channels named by kind and results
//! shaped into [`super::types`]. Plain functions over a `Store`, so tests call them directly.

use super::types::*;
use crate::ipc::{IpcError, IpcResult};
use chrono::{Days, NaiveDate};
use kanaal_core::channel_kind::{self, ChannelGroup};
use kanaal_core::money::Money;
use kanaal_core::store::Store;
use kanaal_insights::comparison::Period;
use kanaal_insights::fees::{self, Totals};
use kanaal_insights::overlap::report::OverlapReport;
use kanaal_insights::sentiment::{self, report::ReviewFilter};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The period as `[from, to)` days.
pub(super) fn period(filter: &InsightsFilter) -> IpcResult<(Option<NaiveDate>, Option<NaiveDate>)> {
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
pub(super) struct Channels {
    pub(super) list: Vec<InsightsChannel>,
    kind_of_name: HashMap<String, String>,
    wanted: BTreeSet<String>,
}

impl Channels {
    pub(super) fn load(store: &Store, filter: &InsightsFilter) -> kanaal_core::Result<Channels> {
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

    pub(super) fn wanted(&self, kind: &str) -> bool {
        self.wanted.is_empty() || self.wanted.contains(kind)
    }

    fn kind_of(&self, name: &str) -> String {
        self.kind_of_name
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }
}

pub(super) fn group_of(kind: &str) -> ChannelGroup {
    channel_kind::by_code(kind).map_or(ChannelGroup::Marketplace, |k| k.group)
}

pub(super) fn eur(d: Decimal) -> Money {
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
    let (sales, schedules, settings) = store.read(|tx| {
        Ok((
            fees::store::load_sales(tx, from, to)?,
            fees::store::load_schedules(tx)?,
            fees::store::fee_settings(tx)?,
        ))
    })?;
    let sales: Vec<_> = sales
        .into_iter()
        .filter(|s| channels.wanted(&s.channel_kind))
        .collect();
    let a = fees::analyse(&sales, &schedules, settings);
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
        orders: order_checks(&a.orders),
        kor: settings.kor,
        skipped: a.skipped,
    })
}

/// The orders with a reported fee, unexpected fees first, then by the size of the difference.
fn order_checks(orders: &[fees::OrderResult]) -> Vec<FeeOrderCheck> {
    let mut out: Vec<(Decimal, FeeOrderCheck)> = orders
        .iter()
        .filter_map(|o| {
            let charged = o.actual?;
            let diff = charged - o.modelled;
            let order =
                o.id.strip_prefix(&format!("{}:", o.channel_kind))
                    .unwrap_or(&o.id)
                    .to_string();
            Some((
                diff,
                FeeOrderCheck {
                    channel: o.channel_kind.clone(),
                    order,
                    placed_on: o.placed_on.to_string(),
                    modelled: eur(o.modelled),
                    charged: eur(charged),
                    difference: eur(diff),
                    unexpected: o.unexpected,
                },
            ))
        })
        .collect();
    out.sort_by(|(da, a), (db, b)| {
        b.unexpected
            .cmp(&a.unexpected)
            .then(db.abs().cmp(&da.abs()))
            .then(a.placed_on.cmp(&b.placed_on))
    });
    out.into_iter().map(|(_, c)| c).collect()
}

/// How many reviews to list for answering first.
const WORST: usize = 8;

/// The review report for the filter: kanaal-insights' sentiment report for the period and
/// channels, shaped for the window.
pub fn review_report(store: &Store, filter: &InsightsFilter) -> kanaal_core::Result<ReviewReport> {
    let (from, to) =
        period(filter).map_err(|e| kanaal_core::Error::invalid("period", e.message))?;
    let f = ReviewFilter {
        period: Period { from, to },
        channels: filter.channels.iter().cloned().collect(),
    };
    let r = store.read(|tx| sentiment::report::report(tx, &f, WORST))?;
    Ok(ReviewReport {
        channels: r
            .channels
            .into_iter()
            .map(|c| ReviewChannel {
                channel: c.channel,
                reviews: c.reviews,
                mean_score: c.mean_score,
                positive: c.positive,
                negative: c.negative,
                mean_rating: c.mean_rating,
                aspects: c
                    .aspects
                    .into_iter()
                    .map(|(aspect, (score, mentions))| AspectScore {
                        aspect,
                        score,
                        mentions,
                    })
                    .collect(),
            })
            .collect(),
        months: r
            .months
            .into_iter()
            .map(|m| ReviewMonth {
                channel: m.channel,
                month: m.month,
                reviews: m.reviews,
                mean_score: m.mean_score,
            })
            .collect(),
        platform_complaints: r
            .platform_complaints
            .into_iter()
            .map(|p| PlatformComplaint {
                channel: p.channel,
                aspect: p.aspect,
                score: p.score,
                mentions: p.mentions,
                webshop_score: p.webshop_score,
            })
            .collect(),
        worst_recent: r
            .worst_recent
            .into_iter()
            .map(|w| ReviewToAnswer {
                channel: w.channel,
                created_at: w.created_at,
                rating: w.rating.and_then(|r| i32::try_from(r).ok()),
                score: w.score,
                text: w.text,
            })
            .collect(),
    })
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

/// The one-page comparison: kanaal-insights' `comparison` for the period (revenue, fees,
/// contribution, take rate, sentiment, top complaints, customers and unique customers in the
/// period), one row per channel of the shop (zeros where a channel has no data yet), narrowed
/// to the filter's channels. Unique customers stay unique across *all* channels.
pub fn comparison(store: &Store, filter: &InsightsFilter) -> kanaal_core::Result<Comparison> {
    let (from, to) =
        period(filter).map_err(|e| kanaal_core::Error::invalid("period", e.message))?;
    let channels = Channels::load(store, filter)?;
    let figures = kanaal_insights::comparison::comparison(
        store,
        kanaal_insights::comparison::Period { from, to },
    )?;
    let rows = channels
        .list
        .iter()
        .filter(|c| channels.wanted(&c.kind))
        .map(
            |c| match figures.channels.iter().find(|f| f.channel == c.kind) {
                Some(f) => ComparisonRow {
                    channel: c.kind.clone(),
                    orders: f.orders,
                    revenue: eur(f.revenue_incl_vat),
                    fees: eur(f.fees),
                    net_contribution: eur(f.net_contribution),
                    take_rate: f.take_rate.map(|r| r.to_string()),
                    reviews: f.reviews,
                    sentiment: f.sentiment,
                    top_complaints: f.top_complaints.iter().map(|a| a.aspect.clone()).collect(),
                    customers: f.customers,
                    unique_customers: f.unique_customers,
                },
                None => ComparisonRow {
                    channel: c.kind.clone(),
                    orders: 0,
                    revenue: eur(Decimal::ZERO),
                    fees: eur(Decimal::ZERO),
                    net_contribution: eur(Decimal::ZERO),
                    take_rate: None,
                    reviews: 0,
                    sentiment: None,
                    top_complaints: Vec::new(),
                    customers: 0,
                    unique_customers: 0,
                },
            },
        )
        .collect();
    Ok(Comparison {
        all_channels: channels.list,
        rows,
    })
}
