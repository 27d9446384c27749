//! Documented prior m and u values: what the matcher uses when a shop has too few records to
//! estimate them (a handful of customers across three channels gives EM a few pairs, and u from
//! fifteen random pairs would say that strangers often share an e-mail address).
//!
//! Source: the estimates of this crate's own EM on the Dutch synthetic shop
//! (`synth::generate(11, 2000)`, 2,000 persons, each platform's masking), rounded, measured on
//! 2026-11-30. The figures are a believable Dutch customer base, not the merchant's own; they are
//! replaced by the shop's estimates as soon as it has enough data (see the `MIN_*` limits in
//! `em`). The test `the_priors_are_close_to_what_em_estimates_on_the_synthetic_shop` keeps them
//! honest when the comparison levels change.
//!
//! Every row lists levels 1.. of one field of `compare::FIELDS` (level 0, unknown, is never
//! weighed and is stored as 1.0) and sums to 1.

use super::compare::FIELDS;

/// m = P(level | same person), per field, levels 1...
const M: [&[f64]; 6] = [
    &[0.05, 0.95],                     // e-mail: differ, equal
    &[0.03, 0.97],                     // phone: differ, equal
    &[0.01, 0.015, 0.025, 0.03, 0.92], // address: other area .. same postcode + number
    &[0.005, 0.14, 0.03, 0.04, 0.785], // surname: differ, initials, JW .88, JW .95, equal
    &[0.01, 0.07, 0.035, 0.885],       // given name: differ, initial, JW .88, equal
    &[0.2, 0.8],                       // city (only when a postcode is missing): differ, equal
];

/// u = P(level | different people), per field, levels 1...
const U: [&[f64]; 6] = [
    &[0.9997, 0.0003],
    &[0.9997, 0.0003],
    &[0.99898, 0.0003, 0.00002, 0.0001, 0.0006],
    &[0.973, 0.0174, 0.0035, 0.0009, 0.0052],
    &[0.9387, 0.024, 0.0025, 0.0348],
    &[0.8, 0.2],
];

/// The surname levels among different people at one address (housemates; see
/// `em::Model::household_u`): about half of them share a surname.
const HOUSEHOLD_U: [f64; 5] = [0.44, 0.09, 0.02, 0.03, 0.42];

fn with_level_zero(levels: &[f64]) -> Vec<f64> {
    std::iter::once(1.0).chain(levels.iter().copied()).collect()
}

/// The prior m, as `m[field][level]`.
pub fn m() -> Vec<Vec<f64>> {
    M.iter().map(|l| with_level_zero(l)).collect()
}

/// The prior u, as `u[field][level]`.
pub fn u() -> Vec<Vec<f64>> {
    U.iter().map(|l| with_level_zero(l)).collect()
}

/// The prior surname u among housemates, as `[level]`.
pub fn household_u() -> Vec<f64> {
    with_level_zero(&HOUSEHOLD_U)
}

/// Checks the tables' shape against the comparison fields; run by the tests.
pub fn check_shape() -> Result<(), String> {
    for (f, (name, levels)) in FIELDS.iter().enumerate() {
        for (what, row) in [("m", M[f]), ("u", U[f])] {
            if row.len() + 1 != *levels {
                return Err(format!("prior {what} of {name} has {} levels", row.len()));
            }
            let sum: f64 = row.iter().sum();
            if (sum - 1.0).abs() > 1e-9 {
                return Err(format!("prior {what} of {name} sums to {sum}"));
            }
        }
    }
    let sum: f64 = HOUSEHOLD_U.iter().sum();
    if HOUSEHOLD_U.len() + 1 != FIELDS[3].1 || (sum - 1.0).abs() > 1e-9 {
        return Err("prior household u does not match the surname levels".into());
    }
    Ok(())
}
