//! The reports behind the Insights page, read from the store for a filter: kanaal-insights'
//! fee analysis, sentiment scorer and overlap report, with channels named by kind and results
//! shaped into [`super::types`]. Plain functions over a `Store`, so tests call them directly.

use super::types::*;
use crate::ipc::{IpcError, IpcResult};
use chrono::{Days, NaiveDate};
use kanaal_core::channel_kind::{self, ChannelGroup};
use kanaal_core::money::Money;
use kanaal_core::store::Store;
use kanaal_insights::fees::{self, FeeSettings, Totals};
use kanaal_insights::overlap::report::OverlapReport;
use kanaal_insights::sentiment::{self, Label, Lang};
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
