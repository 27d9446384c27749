//! Throughput of the review scorer on one core (see docs/benchmarks.md). Not a test.
//!
//! Usage: `cargo bench -p kanaal-insights --bench sentiment [-- N]` scores N (default 200,000)
//! short reviews, built deterministically from Dutch and English review phrases, once to warm
//! up and then three times, and prints the best run's reviews per second. Language is detected,
//! not given, so detection is part of the measured work.
//!
//! `-- score FILE LANG` scores each line of FILE (one review per line) and prints one JSON result
//! per line, for the accuracy comparison in scripts/bench-sentiment.sh.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use kanaal_insights::sentiment::{score, Label};
use std::time::Instant;

const OPENINGS: &[&str] = &[
    "Heerlijke koffie",
    "De bezorger was te laat",
    "Snel geleverd",
    "Niet lekker",
    "Great coffee",
    "The courier was late",
    "Fast shipping",
    "Not tasty at all",
    "Echt een aanrader",
    "Doos was kapot",
    "Very good quality",
    "It broke after a week",
];
const MIDDLES: &[&str] = &[
    ", maar de verpakking was slordig",
    " en de klantenservice reageerde vriendelijk",
    ", but the price is too high",
    " and the packaging was great",
    "",
    " 👍",
    "!!",
    ", niet echt de moeite waard",
    " and I would not recommend it",
    ", super vers",
];
const ENDS: &[&str] = &[
    ".",
    " Bestel ik zeker weer.",
    " Never again.",
    " Top service!",
    " :(",
    " Helaas nooit meer.",
    " Would buy again.",
    "",
];

fn reviews(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let a = OPENINGS[i % OPENINGS.len()];
            let b = MIDDLES[(i / OPENINGS.len()) % MIDDLES.len()];
            let c = ENDS[(i / 7) % ENDS.len()];
            format!("{a}{b}{c} #{i}")
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let [cmd, file, lang] = args.as_slice() {
        if cmd == "score" {
            let lang = lang.parse().ok();
            let text = std::fs::read_to_string(file).expect("the review file can be read");
            for line in text.lines() {
                println!("{}", serde_json::to_string(&score(line, lang)).unwrap());
            }
            return;
        }
    }
    let n: usize = std::env::args()
        .skip(1)
        .find(|a| a != "--bench")
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let data = reviews(n);
    let mean_len = data.iter().map(String::len).sum::<usize>() as f64 / n as f64;
    let run = || {
        let t = Instant::now();
        let mut positive = 0usize;
        for r in &data {
            if score(r, None).label == Label::Positive {
                positive += 1;
            }
        }
        (t.elapsed().as_secs_f64(), positive)
    };
    let _ = run(); // warm up: the lexicon is parsed on first use
    let best = (0..3)
        .map(|_| run())
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap();
    println!(
        "sentiment: {n} reviews (mean {mean_len:.0} bytes), best of 3: {:.3} s = {:.0} reviews/s on one core ({} positive)",
        best.0,
        n as f64 / best.0,
        best.1
    );
}
