//! Customer overlap: which records from different channels are the same person, and what that
//! says about each channel (overlap, unique reach, movement to the webshop, repeat rate).
//!
//! The matching pipeline, in order:
//! 1. `prepare`: normalise each record (`normalize`), drop masked values and relay addresses
//!    across channels (`masking`), and replace identifiers by keyed hashes (`keys`).
//! 2. `blocking`: candidate pairs that share at least one blocking key.
//! 3. `compare`: a comparison vector (a level per field) for every candidate pair.
//! 4. `em`: Fellegi–Sunter m/u parameters estimated from the pattern counts, no labels.
//! 5. `cluster`: pairs whose match probability reaches the threshold are joined into persons,
//!    except pairs whose given names disagree with no e-mail or phone in common (housemates;
//!    see `compare::different_given_name_without_identifier`).
//!
//! A shop with only a handful of records gives EM too little to go on; then the documented
//! `priors` stand in for the estimates (`em::Model::from_priors` says which).
//!
//! Invariants: the result does not depend on the order of the input records; a relay e-mail
//! or a proxy phone never links records of two channels; raw identifiers are never written by
//! this module (names are held in memory during a run only; see `keys`).

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod em;
pub mod eval;
pub mod keys;
pub mod masking;
pub mod normalize;
pub mod prepare;
pub mod priors;
pub mod report;
pub mod store;
pub mod synth;

pub use keys::{load_or_create_key, MatchKey};
pub use prepare::CustomerRecord;

use std::time::Instant;

/// How many random pairs estimate u (the level frequencies among different people): 40 per
/// record, at least 20,000 and at most 400,000 (beyond that the estimates no longer move).
pub fn random_pairs(records: usize) -> usize {
    (records * 40).clamp(20_000, 400_000)
}

/// Settings of one matching run.
#[derive(Debug, Clone, Copy)]
pub struct MatchConfig {
    /// Pairs with P(same person) at or above this are joined.
    pub threshold: f64,
    pub blocking: blocking::BlockConfig,
    pub em: em::EmConfig,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            threshold: 0.5,
            blocking: blocking::BlockConfig::default(),
            em: em::EmConfig::default(),
        }
    }
}

/// The outcome of a matching run.
#[derive(Debug, Clone)]
pub struct Matching {
    /// For each input record, in input order, its person number (1-based, numbered by first
    /// appearance).
    pub person: Vec<u32>,
    pub model: em::Model,
    pub stats: Stats,
}

/// Sizes and timings of a run, for the benchmark and for the curious.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Stats {
    pub records: usize,
    pub candidate_pairs: usize,
    pub matched_pairs: usize,
    pub persons: usize,
    pub prepare_ms: u128,
    pub blocking_ms: u128,
    pub compare_ms: u128,
    pub em_ms: u128,
    pub cluster_ms: u128,
}

/// Resolves persons among `records`. `key` is the shop's matching key (see
/// [`load_or_create_key`]).
pub fn match_records(records: &[CustomerRecord], key: &MatchKey, config: &MatchConfig) -> Matching {
    let t = Instant::now();
    let mut prepared = par_map(records, |r| prepare::prepare(r, key));
    prepare::drop_shared_values(&mut prepared);
    let prepare_ms = t.elapsed().as_millis();
    match_prepared(&prepared, config, prepare_ms)
}

/// Steps 2–5 on records already prepared.
pub fn match_prepared(
    prepared: &[prepare::Prepared],
    config: &MatchConfig,
    prepare_ms: u128,
) -> Matching {
    let t = Instant::now();
    let pairs = blocking::candidate_pairs(prepared, config.blocking);
    let blocking_ms = t.elapsed().as_millis();

    let t = Instant::now();
    let patterns: Vec<u32> = par_map(&pairs, |c| {
        compare::pattern(&prepared[c.i as usize], &prepared[c.j as usize])
    });
    let mut all_counts = vec![0u64; compare::pattern_count()];
    let mut rule_counts = vec![vec![0u64; compare::pattern_count()]; blocking::RULES];
    for (c, &p) in pairs.iter().zip(&patterns) {
        all_counts[p as usize] += 1;
        for (r, counts) in rule_counts.iter_mut().enumerate() {
            if c.rules & (1 << r) != 0 {
                counts[p as usize] += 1;
            }
        }
    }
    let random = compare::random_pair_levels(prepared, random_pairs(prepared.len()));
    let compare_ms = t.elapsed().as_millis();

    let t = Instant::now();
    let n = prepared.len() as f64;
    let model = em::estimate(
        &rule_counts,
        &all_counts,
        &random,
        n * (n - 1.0) / 2.0,
        config.em,
    );
    let accept: Vec<bool> = (0..all_counts.len() as u32)
        .map(|p| {
            all_counts[p as usize] > 0
                && model.probability(p) >= config.threshold
                && !compare::different_given_name_without_identifier(p)
        })
        .collect();
    let em_ms = t.elapsed().as_millis();

    let t = Instant::now();
    let mut uf = cluster::UnionFind::new(prepared.len());
    let mut matched_pairs = 0;
    for (c, &p) in pairs.iter().zip(&patterns) {
        if accept[p as usize] {
            uf.union(c.i, c.j);
            matched_pairs += 1;
        }
    }
    let person = uf.numbering();
    let cluster_ms = t.elapsed().as_millis();
    let persons = person.iter().copied().max().unwrap_or(0) as usize;
    Matching {
        person,
        model,
        stats: Stats {
            records: prepared.len(),
            candidate_pairs: pairs.len(),
            matched_pairs,
            persons,
            prepare_ms,
            blocking_ms,
            compare_ms,
            em_ms,
            cluster_ms,
        },
    }
}

/// Maps `f` over `items` on all cores (in order). The work per item is tiny and uniform, so
/// equal chunks per thread are enough.
fn par_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 || items.len() < 10_000 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    let parts: Vec<Vec<U>> = std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<U>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    parts.into_iter().flatten().collect()
}
