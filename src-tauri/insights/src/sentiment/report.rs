//! Sentiment per channel over the store's reviews: how many, how positive, which aspects
//! customers praise or complain about on each channel, tone per channel and month, the
//! complaints made on a platform that webshop customers don't make, and the worst recent
//! reviews to answer first. For a period and a set of channels. Reads `reviews` joined with
//! `channels`; parameterised SQL only.

use super::{score, Aspect, Label, Lang, THRESHOLD};
use crate::comparison::Period;
use kanaal_core::channel_kind::{self, ChannelGroup};
use kanaal_core::Result;
use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Sentiment of one channel's reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelSentiment {
    pub channel: String,
    pub reviews: u64,
    /// Mean score, -1..1, 3 decimals.
    pub mean_score: f64,
    pub positive: u64,
    pub negative: u64,
    /// Mean star rating of the reviews that have one.
    pub mean_rating: Option<f64>,
    /// Mean score per aspect mentioned, with how many reviews mention it.
    pub aspects: BTreeMap<String, (f64, u64)>,
}

/// A review worth answering soon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorstReview {
    pub channel: String,
    pub remote_id: String,
    pub created_at: String,
    pub rating: Option<i64>,
    pub score: f64,
    pub text: String,
}

/// Review tone of one channel in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthSentiment {
    pub channel: String,
    /// `YYYY-MM`.
    pub month: String,
    pub reviews: u64,
    /// Mean score, -1..1, 3 decimals.
    pub mean_score: f64,
}

/// An aspect customers complain about on a platform but not in the own webshop: most often
/// what the platform does (its delivery), not what the merchant does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformComplaint {
    pub channel: String,
    pub aspect: String,
    /// Mean aspect score on the platform (at or below the negative threshold).
    pub score: f64,
    pub mentions: u64,
    /// The same aspect's mean score in the webshop; `None` when webshop customers don't
    /// mention it.
    pub webshop_score: Option<f64>,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewReport {
    /// By channel kind.
    pub channels: Vec<ChannelSentiment>,
    /// By channel kind, then month.
    pub months: Vec<MonthSentiment>,
    /// Worst first.
    pub platform_complaints: Vec<PlatformComplaint>,
    /// The most negative of the 100 most recent reviews, worst first; only reviews that score
    /// negative.
    pub worst_recent: Vec<WorstReview>,
}

/// Which reviews to report on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewFilter {
    /// Reviews written in the period (by their date).
    pub period: Period,
    /// Channel kinds; empty means all.
    pub channels: BTreeSet<String>,
}

fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The report over all reviews in the store; `worst` is how many of the most negative of the
/// 100 most recent reviews to list.
pub fn review_report(tx: &Transaction<'_>, worst: usize) -> Result<ReviewReport> {
    report(tx, &ReviewFilter::default(), worst)
}

/// The report for `filter`: every review in it is scored and summed per channel and per
/// channel and month.
pub fn report(tx: &Transaction<'_>, filter: &ReviewFilter, worst: usize) -> Result<ReviewReport> {
    let mut st = tx.prepare(
        "SELECT c.kind, r.remote_id, r.created_at, r.rating, r.title, r.body, r.language
           FROM reviews r JOIN channels c ON c.id = r.channel_id
          WHERE (?1 IS NULL OR substr(r.created_at, 1, 10) >= ?1)
            AND (?2 IS NULL OR substr(r.created_at, 1, 10) < ?2)
          ORDER BY r.created_at DESC, r.id DESC",
    )?;
    let from = filter.period.from.map(|d| d.to_string());
    let to = filter.period.to.map(|d| d.to_string());
    let rows = st.query_map((from.as_deref(), to.as_deref()), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<i64>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    #[derive(Default)]
    struct Acc {
        n: u64,
        sum: f64,
        pos: u64,
        neg: u64,
        rating_sum: f64,
        rated: u64,
        aspects: BTreeMap<Aspect, (f64, u64)>,
    }
    let mut per: BTreeMap<String, Acc> = BTreeMap::new();
    let mut per_month: BTreeMap<(String, String), (f64, u64)> = BTreeMap::new();
    let mut recent: Vec<WorstReview> = Vec::new();
    for row in rows {
        let (channel, remote_id, created_at, rating, title, body, language) = row?;
        if !filter.channels.is_empty() && !filter.channels.contains(&channel) {
            continue;
        }
        let text = if title.is_empty() {
            body
        } else {
            format!("{title}. {body}")
        };
        let lang = language.and_then(|l| l.parse::<Lang>().ok());
        let s = score(&text, lang);
        let a = per.entry(channel.clone()).or_default();
        a.n += 1;
        a.sum += s.score;
        a.pos += u64::from(s.label == Label::Positive);
        a.neg += u64::from(s.label == Label::Negative);
        if let Some(r) = rating {
            a.rating_sum += r as f64;
            a.rated += 1;
        }
        for x in &s.aspects {
            let e = a.aspects.entry(x.aspect).or_insert((0.0, 0));
            e.0 += x.score;
            e.1 += 1;
        }
        let month = created_at.get(..7).unwrap_or_default().to_string();
        let m = per_month.entry((channel.clone(), month)).or_default();
        m.0 += s.score;
        m.1 += 1;
        // The worst are picked from the 100 most recent, so old complaints don't crowd out new.
        if recent.len() < 100 {
            recent.push(WorstReview {
                channel,
                remote_id,
                created_at,
                rating,
                score: r3(s.score),
                text,
            });
        }
    }
    recent.sort_by(|a, b| a.score.total_cmp(&b.score));
    // A neutral review (just below zero) is not one to answer first.
    recent.retain(|r| r.score <= -THRESHOLD);
    recent.truncate(worst);
    let channels: Vec<ChannelSentiment> = per
        .into_iter()
        .map(|(channel, a)| ChannelSentiment {
            channel,
            reviews: a.n,
            mean_score: r3(a.sum / a.n.max(1) as f64),
            positive: a.pos,
            negative: a.neg,
            mean_rating: (a.rated > 0).then(|| r3(a.rating_sum / a.rated as f64)),
            aspects: a
                .aspects
                .into_iter()
                .map(|(k, (s, n))| (k.code().to_string(), (r3(s / n as f64), n)))
                .collect(),
        })
        .collect();
    let platform_complaints = platform_complaints(&channels);
    Ok(ReviewReport {
        months: per_month
            .into_iter()
            .map(|((channel, month), (s, n))| MonthSentiment {
                channel,
                month,
                reviews: n,
                mean_score: r3(s / n.max(1) as f64),
            })
            .collect(),
        channels,
        platform_complaints,
        worst_recent: recent,
    })
}

fn is_webshop(kind: &str) -> bool {
    channel_kind::by_code(kind).is_some_and(|k| k.group == ChannelGroup::Webshop)
}

/// Aspects with a negative mean score on a platform that the webshop's customers don't
/// complain about (no mentions there, or a mean score above the negative threshold), worst
/// first (score times mentions).
fn platform_complaints(channels: &[ChannelSentiment]) -> Vec<PlatformComplaint> {
    let mut webshop: BTreeMap<&str, (f64, u64)> = BTreeMap::new();
    for c in channels.iter().filter(|c| is_webshop(&c.channel)) {
        for (aspect, (score, n)) in &c.aspects {
            let e = webshop.entry(aspect).or_default();
            e.0 += score * *n as f64;
            e.1 += n;
        }
    }
    let mut out: Vec<PlatformComplaint> = channels
        .iter()
        .filter(|c| !is_webshop(&c.channel))
        .flat_map(|c| {
            c.aspects.iter().filter_map(|(aspect, (score, n))| {
                let web = webshop
                    .get(aspect.as_str())
                    .map(|(s, m)| r3(s / (*m).max(1) as f64));
                let complained = *score <= -THRESHOLD;
                let not_at_home = web.is_none_or(|w| w > -THRESHOLD);
                (complained && not_at_home).then(|| PlatformComplaint {
                    channel: c.channel.clone(),
                    aspect: aspect.clone(),
                    score: *score,
                    mentions: *n,
                    webshop_score: web,
                })
            })
        })
        .collect();
    out.sort_by(|a, b| (a.score * a.mentions as f64).total_cmp(&(b.score * b.mentions as f64)));
    out
}
