//! Precision, recall and F1 of a clustering against the truth, counted over pairs of records
//! (the measure Splink and the record-linkage literature report): a pair is predicted when both
//! records got the same person, true when both belong to the same real person.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Scores {
    pub true_positive_pairs: u64,
    pub predicted_pairs: u64,
    pub true_pairs: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Pairwise scores of `predicted` against `truth` (cluster labels per record, same order).
pub fn pairwise<P: std::hash::Hash + Eq, T: std::hash::Hash + Eq>(
    predicted: &[P],
    truth: &[T],
) -> Scores {
    let mut cells: HashMap<(&P, &T), u64> = HashMap::new();
    let mut pred_sizes: HashMap<&P, u64> = HashMap::new();
    let mut true_sizes: HashMap<&T, u64> = HashMap::new();
    for (p, t) in predicted.iter().zip(truth) {
        *cells.entry((p, t)).or_default() += 1;
        *pred_sizes.entry(p).or_default() += 1;
        *true_sizes.entry(t).or_default() += 1;
    }
    let tp: u64 = cells.values().map(|&n| pairs(n)).sum();
    let pp: u64 = pred_sizes.values().map(|&n| pairs(n)).sum();
    let tt: u64 = true_sizes.values().map(|&n| pairs(n)).sum();
    let precision = if pp == 0 { 1.0 } else { tp as f64 / pp as f64 };
    let recall = if tt == 0 { 1.0 } else { tp as f64 / tt as f64 };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Scores {
        true_positive_pairs: tp,
        predicted_pairs: pp,
        true_pairs: tt,
        precision,
        recall,
        f1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_counts_follow_the_definition() {
        // Truth: {0,1,2} {3}; predicted: {0,1} {2,3}.
        let s = pairwise(&[1, 1, 2, 2], &["a", "a", "a", "b"]);
        assert_eq!(s.true_pairs, 3);
        assert_eq!(s.predicted_pairs, 2);
        assert_eq!(s.true_positive_pairs, 1);
        assert!((s.precision - 0.5).abs() < 1e-12);
        assert!((s.recall - 1.0 / 3.0).abs() < 1e-12);
    }
}
