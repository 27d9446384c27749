//! Review sentiment: an offline Dutch and English lexicon scorer, no model download.
//!
//! A review is split into sentences and words; each word's valence comes from the lexicons
//! (VADER for English, Pattern for Dutch, plus Kanaal's review additions), adjusted the way VADER
//! does it and extended for Dutch:
//! - negation scope (`niet`, `geen`, `nooit`, `not`, `never`, `n't`): a sentiment word within
//!   three words after a negation is turned around (× -0.74), until a comma or a contrast word;
//! - boosters and diminishers (`heel`, `erg`, `super`, `beetje`, `very`, `slightly`) within
//!   three words before;
//! - contrast (`maar`, `but`): words before it count half, words after it one and a half;
//! - emphasis: `!` (up to four), a word in capitals in a text that is not all capitals, emoji;
//! - Dutch inflection and compounds (`mooie` → `mooi`, `klantvriendelijk` → `vriendelijk`,
//!   `supersnel` → boosted `snel`) and spelling variants (`suuuper`, accents).
//!
//! Each sentence is also tagged with the aspects it mentions (see [`aspects`]), so a review gets
//! a score per aspect. A per-shop [`calibrate::Calibration`], fitted on the shop's star ratings,
//! can adjust the score.
//!
//! Invariants: no I/O at run time, no network, deterministic; scoring one short review takes a
//! few microseconds (see `benches/sentiment.rs`).

pub mod aspects;
pub mod calibrate;
pub mod import;
pub mod lang;
pub mod lexicon;
pub mod report;
mod scorer;

pub use aspects::Aspect;
pub use scorer::{features, score, Features};

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The review languages the scorer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" | "nl-nl" | "nl_nl" | "nl-be" | "dutch" | "nederlands" => Ok(Lang::Nl),
            "en" | "en-gb" | "en-us" | "en_gb" | "en_us" | "english" | "engels" => Ok(Lang::En),
            other => Err(format!(
                "'{other}' is not a language Kanaal scores: use nl or en, or leave it empty to detect it"
            )),
        }
    }
}

/// Positive, negative or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Positive,
    Negative,
    Neutral,
}

/// A score at or above this is positive, at or below its negative is negative (VADER's own
/// documented threshold on the same -1..1 scale).
pub const THRESHOLD: f64 = 0.05;

impl Label {
    pub fn of(score: f64) -> Label {
        if score >= THRESHOLD {
            Label::Positive
        } else if score <= -THRESHOLD {
            Label::Negative
        } else {
            Label::Neutral
        }
    }
}

/// The sentiment of one aspect in a review.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AspectScore {
    pub aspect: Aspect,
    pub score: f64,
}

/// The result of scoring a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// -1 (very negative) to 1 (very positive), 3 decimals.
    pub score: f64,
    pub label: Label,
    pub lang: Lang,
    pub aspects: Vec<AspectScore>,
}
