//! Fellegi–Sunter parameters estimated from the data, without labels.
//!
//! For each field and level the model has m = P(level | same person) and u = P(level |
//! different people); fields are taken as independent within each class (the Fellegi–Sunter
//! assumption). The match probability of a pair with levels γ is
//! λ·m(γ) / (λ·m(γ) + (1−λ)·u(γ)), λ being the chance that two random records are one person.
//!
//! Candidate pairs are not random pairs: every candidate agrees on some blocking key, so a
//! naive EM over them takes "same household" (same address, same surname) for "same person".
//! The estimation therefore follows the scheme Splink uses:
//! - **u** from random pairs, where almost every pair is two different people. The pairs are
//!   drawn deterministically from the records sorted by content, so the result does not depend
//!   on input order.
//! - **m** by expectation–maximisation on the pairs of each blocking rule separately, with u
//!   fixed and the fields that the rule forces to agree left out; the estimates of the rules are
//!   averaged, weighted by how many matches each rule's EM found.
//! - **λ** as the fixed point "expected matches among the candidates / all pairs".
//! - **Housemates' surname u**: the surname levels among the non-matches of the address rule
//!   (different people at one address), used instead of u when the address agrees and the given
//!   names cannot tell the two apart (see [`Model::weight`]).
//! - When the data is too small for any of these (see [`MIN_RANDOM_PAIRS`], [`MIN_MATCHES`],
//!   [`MIN_HOUSEMATES`]), the documented priors of `overlap::priors` stand in.
//!
//! EM works on counts of comparison patterns (a few thousand at most), not on pairs, so it costs
//! the same for a thousand records as for a million. Level 0 (unknown) is no evidence and is left
//! out of every likelihood.

use super::blocking::{RULES, RULE_FIELDS};
use super::compare::{decode, FIELDS};
use super::priors;

/// The estimated model.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Model {
    /// Chance that two random records are the same person.
    pub lambda: f64,
    /// `m[field][level]`, `u[field][level]`; level 0 is unused (1.0).
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    /// u of the surname levels among *different people at one address* (postcode + house
    /// number agree): housemates. Used instead of `u[surname]` when the address agrees; see
    /// [`Model::weight`].
    pub household_u: Vec<f64>,
    /// Which parts came from the documented priors ([`priors`]) because the data was too
    /// small to estimate them.
    pub from_priors: FromPriors,
    /// One EM run per blocking rule that had pairs.
    pub sessions: Vec<Session>,
}

/// One EM run on the pairs of one blocking rule.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Session {
    pub rule: usize,
    pub pairs: u64,
    /// Share of matches among this rule's pairs.
    pub lambda: f64,
    pub iterations: usize,
    pub converged: bool,
    /// The objective EM climbs, before each M step: the log-likelihood of the rule's patterns
    /// plus the log of the Dirichlet prior that the pseudo-counts stand for (EM with a prior
    /// never lowers likelihood + prior; the likelihood alone may dip by a hair).
    pub log_posterior: Vec<f64>,
}

/// Settings for the estimation.
#[derive(Debug, Clone, Copy)]
pub struct EmConfig {
    pub max_iterations: usize,
    /// Stop when no parameter moves more than this in one iteration.
    pub tolerance: f64,
}

impl Default for EmConfig {
    fn default() -> Self {
        EmConfig {
            max_iterations: 300,
            tolerance: 1e-6,
        }
    }
}

/// Added to every level's count, so a level never seen gets a small probability instead of
/// zero (which would make one field a veto).
const PSEUDO_COUNT: f64 = 0.5;

/// Level counts of the sampled random pairs: `u_counts[field][level]`.
pub type LevelCounts = Vec<Vec<u64>>;

pub fn empty_level_counts() -> LevelCounts {
    FIELDS.iter().map(|(_, n)| vec![0; *n]).collect()
}

/// Which parts of a [`Model`] are the documented priors instead of estimates.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FromPriors {
    /// u of every field (too few random pairs).
    pub u: bool,
    /// Fields (by name) whose m is the prior (too few expected matches among the candidates).
    pub m: Vec<&'static str>,
    /// The housemates' surname u (too few different people sharing an address).
    pub household: bool,
}

/// The index of the address and surname fields in [`FIELDS`], and the address level "same
/// postcode + house number".
const ADDRESS: usize = 2;
const SURNAME: usize = 3;
const GIVEN: usize = 4;
const GIVEN_INITIALS_AGREE: u8 = 2;
const SAME_ADDRESS: u8 = 5;
/// The blocking rule on postcode + house number, whose pairs are the housemates.
const ADDRESS_RULE: usize = 2;

/// Fewer random pairs than this and u is the prior: with a handful of records, one pair of
/// namesakes would make "surname equal" look common among strangers.
pub const MIN_RANDOM_PAIRS: u64 = 1_000;
/// Fewer expected matches than this behind a field's m and m is the prior.
pub const MIN_MATCHES: f64 = 20.0;
/// Fewer expected non-matches among the address-blocked pairs and the housemates' surname u
/// is the prior.
pub const MIN_HOUSEMATES: f64 = 20.0;

impl Model {
    /// log2 Bayes factor of a pattern, without the prior.
    ///
    /// Fields are independent given the class, with one exception that matters to a shop:
    /// people at one address often share a surname (a family). Among strangers in general an
    /// equal surname is rare, so counting the address and the surname as independent evidence
    /// would join Jan and Anna de Vries of one house into one customer. When the address
    /// agrees and the given names do not (unknown on one side, or different), the surname is
    /// therefore weighed against how often *housemates* share it ([`Model::household_u`]).
    /// When the given names agree, the surname keeps its ordinary weight: housemates rarely
    /// share a surname *and* a first initial, and counting it as weak there lost many true
    /// pairs (`J. de Vries` / `Jan de Vries`) in the 1M-record benchmark.
    pub fn weight(&self, pattern: u32) -> f64 {
        let levels = decode(pattern);
        // Given names that agree (an initial or more) already tell a person from a housemate;
        // where they cannot (unknown on one side), the surname is weighed as housemates share it.
        let same_address = levels[ADDRESS] == SAME_ADDRESS && levels[GIVEN] < GIVEN_INITIALS_AGREE;
        let mut w = 0.0;
        for (f, &l) in levels.iter().enumerate() {
            if l > 0 {
                let u = if f == SURNAME && same_address {
                    self.household_u[l as usize]
                } else {
                    self.u[f][l as usize]
                };
                w += (self.m[f][l as usize] / u).log2();
            }
        }
        w
    }

    /// P(same person | pattern).
    pub fn probability(&self, pattern: u32) -> f64 {
        let prior = (self.lambda / (1.0 - self.lambda)).log2();
        let w = prior + self.weight(pattern);
        1.0 / (1.0 + (-w).exp2())
    }
}

fn normalise_levels(counts: &[f64]) -> Vec<f64> {
    let mut out = vec![1.0; counts.len()];
    let total: f64 = counts[1..].iter().map(|c| c + PSEUDO_COUNT).sum();
    for l in 1..counts.len() {
        out[l] = (counts[l] + PSEUDO_COUNT) / total;
    }
    out
}

/// u from the level counts of random pairs.
pub fn u_from_random(counts: &LevelCounts) -> Vec<Vec<f64>> {
    counts
        .iter()
        .map(|c| normalise_levels(&c.iter().map(|&x| x as f64).collect::<Vec<_>>()))
        .collect()
}

/// The starting m: leaning to the agreeing levels.
fn initial_m() -> Vec<Vec<f64>> {
    FIELDS
        .iter()
        .map(|(_, n)| {
            let mut mf = vec![1.0; *n];
            for (l, v) in mf.iter_mut().enumerate().skip(1) {
                let rank = (l - 1) as f64 / ((*n - 2) as f64).max(1.0); // 0 = differ, 1 = best
                *v = 0.05 + rank * rank;
            }
            let s: f64 = mf[1..].iter().sum();
            for v in mf.iter_mut().skip(1) {
                *v /= s;
            }
            mf
        })
        .collect()
}

/// EM for m and the rule's λ on one rule's pattern counts, u fixed, `skip` fields left out.
fn session(
    rule: usize,
    counts: &[u64],
    u: &[Vec<f64>],
    skip: &[usize],
    config: EmConfig,
) -> (Session, Vec<Vec<f64>>) {
    let patterns: Vec<(f64, [u8; 6])> = counts
        .iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .map(|(p, &c)| (c as f64, decode(p as u32)))
        .collect();
    let total: f64 = patterns.iter().map(|(c, _)| c).sum();
    let mut m = initial_m();
    let mut lambda = 0.5;
    let mut s = Session {
        rule,
        pairs: total as u64,
        lambda,
        iterations: 0,
        converged: false,
        log_posterior: Vec::new(),
    };
    for iteration in 1..=config.max_iterations {
        let mut acc: Vec<Vec<f64>> = FIELDS.iter().map(|(_, n)| vec![0.0; *n]).collect();
        let mut mass = 0.0;
        let mut ll = 0.0;
        for (count, levels) in &patterns {
            let (mut pm, mut pu) = (lambda, 1.0 - lambda);
            for (f, &l) in levels.iter().enumerate() {
                if l > 0 && !skip.contains(&f) {
                    pm *= m[f][l as usize];
                    pu *= u[f][l as usize];
                }
            }
            let g = pm / (pm + pu);
            ll += count * (pm + pu).ln();
            mass += count * g;
            for (f, &l) in levels.iter().enumerate() {
                if l > 0 {
                    acc[f][l as usize] += count * g;
                }
            }
        }
        for (f, mf) in m.iter().enumerate() {
            if !skip.contains(&f) {
                ll += mf[1..].iter().map(|x| PSEUDO_COUNT * x.ln()).sum::<f64>();
            }
        }
        let new_lambda = (mass / total).clamp(1e-9, 1.0 - 1e-9);
        let mut change = (new_lambda - lambda).abs();
        lambda = new_lambda;
        for (f, a) in acc.iter().enumerate() {
            if skip.contains(&f) {
                continue;
            }
            let new = normalise_levels(a);
            for l in 1..new.len() {
                change = change.max((new[l] - m[f][l]).abs());
            }
            m[f] = new;
        }
        s.iterations = iteration;
        s.log_posterior.push(ll);
        if change < config.tolerance {
            s.converged = true;
            break;
        }
    }
    s.lambda = lambda;
    (s, m)
}

/// Estimates the model. `rule_counts[r][pattern]`: candidate pairs of rule r per pattern;
/// `all_counts[pattern]`: every candidate pair once; `random`: level counts of random pairs;
/// `total_pairs`: n·(n−1)/2 for n records.
pub fn estimate(
    rule_counts: &[Vec<u64>],
    all_counts: &[u64],
    random: &LevelCounts,
    total_pairs: f64,
    config: EmConfig,
) -> Model {
    let mut from_priors = FromPriors::default();
    let random_pairs: u64 = random.first().map_or(0, |c| c.iter().sum());
    let u = if random_pairs < MIN_RANDOM_PAIRS {
        from_priors.u = true;
        priors::u()
    } else {
        u_from_random(random)
    };
    let mut m_sum: Vec<Vec<f64>> = FIELDS.iter().map(|(_, n)| vec![0.0; *n]).collect();
    let mut weight_sum = vec![0.0; FIELDS.len()];
    let mut sessions = Vec::new();
    let mut housemates: Option<Vec<f64>> = None;
    for (rule, counts) in rule_counts.iter().enumerate().take(RULES) {
        if counts.iter().all(|&c| c == 0) {
            continue;
        }
        let skip = RULE_FIELDS[rule];
        let (s, m) = session(rule, counts, &u, skip, config);
        let matches = s.lambda * s.pairs as f64;
        for f in 0..FIELDS.len() {
            if skip.contains(&f) {
                continue;
            }
            for l in 1..FIELDS[f].1 {
                m_sum[f][l] += matches * m[f][l];
            }
            weight_sum[f] += matches;
        }
        if rule == ADDRESS_RULE {
            housemates = Some(non_match_surname_counts(counts, &m, &u, s.lambda, skip));
        }
        sessions.push(s);
    }
    let prior_m = priors::m();
    let m: Vec<Vec<f64>> = (0..FIELDS.len())
        .map(|f| {
            if weight_sum[f] >= MIN_MATCHES {
                let mut v: Vec<f64> = m_sum[f].iter().map(|x| x / weight_sum[f]).collect();
                v[0] = 1.0;
                v
            } else {
                from_priors.m.push(FIELDS[f].0);
                prior_m[f].clone()
            }
        })
        .collect();
    let household_u = match housemates {
        Some(c) if c[1..].iter().sum::<f64>() >= MIN_HOUSEMATES => normalise_levels(&c),
        _ => {
            from_priors.household = true;
            priors::household_u()
        }
    };
    let mut model = Model {
        lambda: 1e-6,
        m,
        u,
        household_u,
        from_priors,
        sessions,
    };
    model.lambda = estimate_lambda(&model, all_counts, total_pairs, config);
    model
}

/// Expected counts of the surname levels among the *non-matches* of the address rule's pairs
/// (different people at one address), by the posterior of the rule's EM, which left the
/// surname out and so does not assume what it measures.
fn non_match_surname_counts(
    counts: &[u64],
    m: &[Vec<f64>],
    u: &[Vec<f64>],
    lambda: f64,
    skip: &[usize],
) -> Vec<f64> {
    let mut acc = vec![0.0; FIELDS[SURNAME].1];
    for (p, &c) in counts.iter().enumerate().filter(|(_, &c)| c > 0) {
        let levels = decode(p as u32);
        let (mut pm, mut pu) = (lambda, 1.0 - lambda);
        for (f, &l) in levels.iter().enumerate() {
            if l > 0 && !skip.contains(&f) {
                pm *= m[f][l as usize];
                pu *= u[f][l as usize];
            }
        }
        let not_same = pu / (pm + pu);
        let l = levels[SURNAME] as usize;
        if l > 0 {
            acc[l] += c as f64 * not_same;
        }
    }
    acc
}

/// λ such that λ · total_pairs equals the expected number of matches among the candidates
/// (pairs outside the blocks are taken to be different people).
fn estimate_lambda(model: &Model, counts: &[u64], total_pairs: f64, config: EmConfig) -> f64 {
    if total_pairs < 1.0 {
        return 0.5;
    }
    let weights: Vec<(f64, f64)> = counts
        .iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .map(|(p, &c)| (c as f64, model.weight(p as u32).exp2()))
        .collect();
    // Climb from below (one expected match among all pairs): the smallest fixed point above
    // zero. When that iteration dies out at zero (large shops, where the start is too small
    // for the first step to grow), come down from the upper bound (every candidate a match)
    // instead.
    let candidates: f64 = weights.iter().map(|(c, _)| c).sum();
    let iterate = |mut lambda: f64| {
        for _ in 0..config.max_iterations * 10 {
            let odds = lambda / (1.0 - lambda);
            let expected: f64 = weights
                .iter()
                .map(|(c, bf)| c * (odds * bf) / (1.0 + odds * bf))
                .sum();
            let new = (expected / total_pairs).clamp(1e-12, 0.5);
            if (new - lambda).abs() <= lambda * 1e-7 {
                return new;
            }
            lambda = new;
        }
        lambda
    };
    let lambda = iterate(1.0 / total_pairs.max(2.0));
    if lambda > 1e-11 {
        return lambda;
    }
    iterate((candidates / total_pairs).clamp(1e-12, 0.5))
}
