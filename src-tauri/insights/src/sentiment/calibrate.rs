//! Per-shop calibration: once a shop has enough reviews with star ratings, a small logistic
//! regression on the lexicon features learns how this shop's customers write (a bakery's
//! "best oké" is praise; a gadget shop's "oké" is not). Deterministic: plain batch gradient
//! descent from zero weights for a fixed number of steps, no randomness, no external ML crate.

use super::scorer::Features;
use super::{Label, Scored};
use serde::{Deserialize, Serialize};

/// Fewest usable reviews (4–5 stars or 1–2 stars) before a calibration is fitted.
pub const MIN_REVIEWS: usize = 30;
/// Fewest reviews of the rarer side: with only happy customers there is nothing to learn.
pub const MIN_PER_SIDE: usize = 5;

const STEPS: usize = 400;
const LEARNING_RATE: f64 = 0.5;
const L2: f64 = 0.01;

/// A fitted calibration: weights over [`Features`], stored per shop as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub weights: [f64; 5],
    pub bias: f64,
    /// How many starred reviews it was fitted on.
    pub fitted_on: usize,
}

fn vector(f: &Features) -> [f64; 5] {
    [
        f.compound,
        (f.positive / 4.0).min(3.0),
        (f.negative / 4.0).min(3.0),
        f.negated.min(3.0),
        (f.sentences / 5.0).min(3.0),
    ]
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Why a calibration was not fitted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalibrationError {
    #[error("Only {have} reviews with a clear star rating (1–2 or 4–5 stars); calibration needs at least {MIN_REVIEWS}. Kanaal keeps using the standard scoring until then.")]
    TooFew { have: usize },
    #[error("Only {have} {side} reviews with stars; calibration needs at least {MIN_PER_SIDE} of each side to learn the difference.")]
    OneSided { side: &'static str, have: usize },
}

/// Fits a calibration on (features, stars) pairs. Three-star reviews are left out: they are
/// neither label.
pub fn fit(samples: &[(Features, u8)]) -> Result<Calibration, CalibrationError> {
    let data: Vec<([f64; 5], f64)> = samples
        .iter()
        .filter(|(_, stars)| *stars != 3 && (1..=5).contains(stars))
        .map(|(f, stars)| (vector(f), if *stars >= 4 { 1.0 } else { 0.0 }))
        .collect();
    if data.len() < MIN_REVIEWS {
        return Err(CalibrationError::TooFew { have: data.len() });
    }
    let pos = data.iter().filter(|(_, y)| *y > 0.5).count();
    let neg = data.len() - pos;
    if pos < MIN_PER_SIDE {
        return Err(CalibrationError::OneSided {
            side: "positive",
            have: pos,
        });
    }
    if neg < MIN_PER_SIDE {
        return Err(CalibrationError::OneSided {
            side: "negative",
            have: neg,
        });
    }
    // Weigh the classes equally, so a shop with mostly happy customers still learns what a
    // complaint looks like.
    let wp = data.len() as f64 / (2.0 * pos as f64);
    let wn = data.len() as f64 / (2.0 * neg as f64);
    let mut w = [0.0; 5];
    let mut b = 0.0;
    let n = data.len() as f64;
    for _ in 0..STEPS {
        let mut gw = [0.0; 5];
        let mut gb = 0.0;
        for (x, y) in &data {
            let z: f64 = w.iter().zip(x).map(|(a, b)| a * b).sum::<f64>() + b;
            let cw = if *y > 0.5 { wp } else { wn };
            let err = (sigmoid(z) - y) * cw;
            for (g, xi) in gw.iter_mut().zip(x) {
                *g += err * xi;
            }
            gb += err;
        }
        for (wi, g) in w.iter_mut().zip(gw) {
            *wi -= LEARNING_RATE * (g / n + L2 * *wi);
        }
        b -= LEARNING_RATE * gb / n;
    }
    Ok(Calibration {
        weights: w,
        bias: b,
        fitted_on: data.len(),
    })
}

impl Calibration {
    /// The calibrated score, -1..1: twice the fitted probability of a happy customer, minus one.
    pub fn adjust(&self, scored: &Scored, f: &Features) -> Scored {
        let x = vector(f);
        let z: f64 = self.weights.iter().zip(x).map(|(a, b)| a * b).sum::<f64>() + self.bias;
        let s = ((2.0 * sigmoid(z) - 1.0) * 1000.0).round() / 1000.0;
        Scored {
            score: s,
            label: Label::of(s),
            ..scored.clone()
        }
    }
}
