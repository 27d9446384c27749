//! Sentiment per channel over the store's reviews: how many, how positive, which aspects
//! customers praise or complain about on each channel, and the worst recent reviews to answer
//! first. Reads `reviews` joined with `channels`; parameterised SQL only.

use super::{score, Aspect, Label, Lang};
use kanaal_core::Result;
use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewReport {
    pub channels: Vec<ChannelSentiment>,
    pub worst_recent: Vec<WorstReview>,
}

fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Scores every review in the store and sums up per channel; `worst` is how many of the most
/// negative reviews of the last 100 to list.
pub fn review_report(tx: &Transaction<'_>, worst: usize) -> Result<ReviewReport> {
    let mut st = tx.prepare(
        "SELECT c.kind, r.remote_id, r.created_at, r.rating, r.title, r.body, r.language
           FROM reviews r JOIN channels c ON c.id = r.channel_id
          ORDER BY r.created_at DESC, r.id DESC",
    )?;
    let rows = st.query_map([], |r| {
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
    let mut recent: Vec<WorstReview> = Vec::new();
    for row in rows {
        let (channel, remote_id, created_at, rating, title, body, language) = row?;
        let text = if title.is_empty() {
            body
        } else {
            format!("{title}. {body}")
        };
        let lang = language.and_then(|l| l.parse::<Lang>().ok());
        let s = score(&text, lang);
        let a = per.entry(channel.clone()).or_insert(Acc {
            n: 0,
            sum: 0.0,
            pos: 0,
            neg: 0,
            rating_sum: 0.0,
            rated: 0,
            aspects: BTreeMap::new(),
        });
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
        if recent.len() < 100 {
            recent.push(WorstReview {
                channel,
                remote_id,
                created_at,
                rating,
                score: s.score,
                text,
            });
        }
    }
    recent.sort_by(|a, b| a.score.total_cmp(&b.score));
    recent.retain(|r| r.score < 0.0);
    recent.truncate(worst);
    let channels = per
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
    Ok(ReviewReport {
        channels,
        worst_recent: recent,
    })
}
