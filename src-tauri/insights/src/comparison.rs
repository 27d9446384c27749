//! The one-page channel comparison: per channel, in one period, what it sold, what it cost in
//! fees, what it left the merchant, what its customers say and how many people only it brought.
//! This is the function behind the UI's comparison page (and anything else that wants the whole
//! picture in one call); it composes the three analyses and adds no rules of its own.
//!
//! Channels are grouped by kind (`bol`, `shopify`, …), as the fee schedules are. Reads the store
//! in one snapshot; writes nothing.

use crate::fees::{self, FeeSettings};
use crate::sentiment::{self, Lang};
use chrono::{DateTime, NaiveDate};
use kanaal_core::store::Store;
use kanaal_core::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The days to compare: `[from, to)`; a missing bound is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Period {
    fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day < t)
    }
}

/// The comparison of all channels with orders, reviews or customers in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelComparison {
    pub period: Period,
    /// Sorted by channel kind.
    pub channels: Vec<ChannelFigures>,
    /// Distinct people who ordered in the period, over all channels.
    pub customers: u64,
}

/// One channel's row on the comparison page. Money is in the shop's currency (EUR).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelFigures {
    /// The channel kind (`bol`, `shopify`, …).
    pub channel: String,
    /// The name the merchant gave the channel (the first one, if several share a kind).
    pub name: String,
    /// Orders placed in the period (cancelled ones left out).
    pub orders: u64,
    /// What customers paid, incl. VAT.
    pub revenue_incl_vat: Decimal,
    pub revenue_excl_vat: Decimal,
    /// Fees the channel keeps (actual where the platform reported them, else modelled), excl.
    /// deductible VAT.
    pub fees: Decimal,
    /// Revenue excl. VAT − cost of goods − fees.
    pub net_contribution: Decimal,
    /// Fees / revenue incl. VAT, 4 decimals; `None` without revenue.
    pub take_rate: Option<Decimal>,
    /// Mean review sentiment, -1..1 (3 decimals); `None` without reviews in the period.
    pub sentiment: Option<f64>,
    /// Reviews written in the period.
    pub reviews: u64,
    /// The aspects customers complain about most on this channel, most mentioned first (at
    /// most three).
    pub top_complaints: Vec<Complaint>,
    /// Distinct people (resolved persons) who ordered on this channel in the period.
    pub customers: u64,
    /// Of those, the people who ordered on no other channel in the period: the reach only this
    /// channel brought.
    pub unique_customers: u64,
}

/// An aspect that reviews on a channel are negative about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Complaint {
    /// The aspect code: `delivery`, `packaging`, `price`, `product_quality`, `taste`, `service`.
    pub aspect: String,
    /// Reviews with a negative score on this aspect.
    pub mentions: u64,
    /// Their mean aspect score (negative), 3 decimals.
    pub mean_score: f64,
}

fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn day(what: &str, v: &str) -> Result<NaiveDate> {
    DateTime::parse_from_rfc3339(v)
        .map(|d| d.date_naive())
        .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
        .map_err(|_| Error::Corrupt(format!("{what} '{v}'")))
}

#[derive(Default)]
struct Reviews {
    n: u64,
    sum: f64,
    complaints: BTreeMap<&'static str, (u64, f64)>,
}

/// The channel comparison for `period`, from the store's orders, fee schedules, reviews and
/// resolved persons (run `overlap::store::resolve_persons` first for people to be counted as
/// people; an unresolved customer counts as a person of their own). Fees follow the
/// merchant's VAT position in the store's settings (under the KOR, VAT on fees is a cost; see
/// [`FeeSettings`]).
pub fn comparison(store: &Store, period: Period) -> Result<ChannelComparison> {
    store.read(|tx| {
        let sales = fees::store::load_sales(tx, period.from, period.to)?;
        let schedules = fees::store::load_schedules(tx)?;
        let settings: FeeSettings = fees::store::fee_settings(tx)?;
        let analysis = fees::analyse(&sales, &schedules, settings);

        let mut names: BTreeMap<String, String> = BTreeMap::new();
        {
            let mut st = tx.prepare("SELECT kind, name FROM channels ORDER BY id")?;
            let rows =
                st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (kind, name) = row?;
                names.entry(kind).or_insert(name);
            }
        }

        let mut reviews: BTreeMap<String, Reviews> = BTreeMap::new();
        {
            let mut st = tx.prepare(
                "SELECT c.kind, r.created_at, r.title, r.body, r.language
                   FROM reviews r JOIN channels c ON c.id = r.channel_id",
            )?;
            let rows = st.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?;
            for row in rows {
                let (kind, created, title, body, language) = row?;
                if !period.contains(day("review date", &created)?) {
                    continue;
                }
                let text = if title.is_empty() {
                    body
                } else {
                    format!("{title}. {body}")
                };
                let s = sentiment::score(&text, language.and_then(|l| l.parse::<Lang>().ok()));
                let acc = reviews.entry(kind).or_default();
                acc.n += 1;
                acc.sum += s.score;
                for a in s.aspects.iter().filter(|a| a.score < 0.0) {
                    let e = acc.complaints.entry(a.aspect.code()).or_default();
                    e.0 += 1;
                    e.1 += a.score;
                }
            }
        }

        // People per channel: who ordered where in the period. A buyer whose order was refunded
        // in full still counts (unlike in the fee figures above): the channel did bring that
        // person to the shop, which is what reach and overlap are about; only a cancelled order,
        // which never became a purchase, is left out. Same rule as the overlap report.
        let mut channels_of: HashMap<i64, BTreeSet<String>> = HashMap::new();
        {
            let mut st = tx.prepare(
                "SELECT c.kind, o.placed_at, coalesce(cu.person_id, -cu.id)
                   FROM orders o
                   JOIN channels c ON c.id = o.channel_id
                   JOIN customers cu ON cu.id = o.customer_id
                  WHERE lower(o.status) NOT IN ('cancelled', 'canceled')",
            )?;
            let rows = st.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?;
            for row in rows {
                let (kind, placed, person) = row?;
                if period.contains(day("order date", &placed)?) {
                    channels_of.entry(person).or_default().insert(kind);
                }
            }
        }
        let mut people: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for set in channels_of.values() {
            for kind in set {
                let e = people.entry(kind.as_str()).or_default();
                e.0 += 1;
                e.1 += u64::from(set.len() == 1);
            }
        }

        let kinds: BTreeSet<&str> = analysis
            .by_channel
            .keys()
            .map(String::as_str)
            .chain(reviews.keys().map(String::as_str))
            .chain(people.keys().copied())
            .collect();
        let channels = kinds
            .into_iter()
            .map(|kind| {
                let t = analysis.by_channel.get(kind).cloned().unwrap_or_default();
                let r = reviews.get(kind);
                let mut top: Vec<Complaint> = r
                    .map(|r| {
                        r.complaints
                            .iter()
                            .map(|(a, (n, sum))| Complaint {
                                aspect: (*a).to_string(),
                                mentions: *n,
                                mean_score: r3(sum / *n as f64),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                top.sort_by(|a, b| {
                    b.mentions
                        .cmp(&a.mentions)
                        .then(a.mean_score.total_cmp(&b.mean_score))
                });
                top.truncate(3);
                let (customers, unique) = people.get(kind).copied().unwrap_or_default();
                ChannelFigures {
                    channel: kind.to_string(),
                    name: names.get(kind).cloned().unwrap_or_else(|| kind.to_string()),
                    orders: t.orders,
                    revenue_incl_vat: t.revenue_incl_vat,
                    revenue_excl_vat: t.revenue_excl_vat,
                    fees: t.fees,
                    net_contribution: t.net_contribution,
                    take_rate: t.take_rate,
                    sentiment: r.filter(|r| r.n > 0).map(|r| r3(r.sum / r.n as f64)),
                    reviews: r.map_or(0, |r| r.n),
                    top_complaints: top,
                    customers,
                    unique_customers: unique,
                }
            })
            .collect();
        Ok(ChannelComparison {
            period,
            channels,
            customers: channels_of.len() as u64,
        })
    })
}
