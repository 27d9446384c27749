//! Blocking: which pairs of records are compared at all. Comparing every pair of a million
//! records is 5·10¹¹ comparisons; blocking compares only pairs that agree on at least one cheap
//! key, and takes the union over several keys so that a typo in one field (a surname) does not
//! hide a pair that agrees on another (the e-mail, the address).
//!
//! Keys (each a keyed hash, or a mix of two):
//! 1. e-mail; 2. phone; 3. postcode + house number; 4. surname + first initial;
//! 5. surname + postcode area; 6. given name + postcode.
//!
//! A block larger than [`BlockConfig::max_block`] is skipped as a whole (a very common surname
//! with a common initial): the other keys still find its true pairs, and skipping whole blocks
//! keeps the result independent of record order.

use super::prepare::Prepared;

#[derive(Debug, Clone, Copy)]
pub struct BlockConfig {
    pub max_block: usize,
}

impl Default for BlockConfig {
    fn default() -> Self {
        BlockConfig { max_block: 100 }
    }
}

/// Mixes two 64-bit keys (and a rule number) into one block key (splitmix64 finaliser).
fn mix(rule: u64, a: u64, b: u64) -> u64 {
    let mut z = a ^ b.rotate_left(29) ^ rule.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// How many blocking rules there are (bits of [`Candidate::rules`]).
pub const RULES: usize = 6;

/// The comparison fields (indices into `compare::FIELDS`) each rule forces to agree, or makes
/// agree among different people too: when m is estimated from one rule's pairs, these fields
/// would mislead EM and are left out.
pub const RULE_FIELDS: [&[usize]; RULES] = [
    &[0], // e-mail
    &[1], // phone
    // Postcode + house number: the city follows the postcode, and people at one address often
    // share a surname (a household), so surname agreement there says little about *one* person.
    &[2, 5, 3],
    &[3, 4],    // surname + initial
    &[3, 2, 5], // surname + postcode area
    &[4, 2, 5], // given name + postcode
];

fn block_keys(p: &Prepared, out: &mut Vec<(u64, u8)>) {
    if let Some(e) = p.email {
        out.push((mix(1, e, 0), 0));
    }
    if let Some(ph) = p.phone {
        out.push((mix(2, ph, 0), 1));
    }
    if let Some(a) = p.address {
        out.push((mix(3, a, 0), 2));
    }
    if let (Some(s), Some(i)) = (p.surname_key, p.initial) {
        out.push((mix(4, s, u64::from(i)), 3));
    }
    if let (Some(s), Some(a)) = (p.surname_key, p.area) {
        out.push((mix(5, s, a), 4));
    }
    if let (Some(g), Some(pc)) = (p.given_key, p.postcode) {
        out.push((mix(6, g, pc), 5));
    }
}

/// A pair of records to compare, `i < j`, with the rules (bit r = rule r) that proposed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub i: u32,
    pub j: u32,
    pub rules: u8,
}

/// The candidate pairs, sorted by `(i, j)`, each once.
pub fn candidate_pairs(records: &[Prepared], config: BlockConfig) -> Vec<Candidate> {
    let mut entries: Vec<(u64, u32, u8)> = Vec::with_capacity(records.len() * 5);
    let mut keys = Vec::with_capacity(RULES);
    for (i, p) in records.iter().enumerate() {
        keys.clear();
        block_keys(p, &mut keys);
        entries.extend(keys.iter().map(|&(k, rule)| (k, i as u32, rule)));
    }
    entries.sort_unstable();
    // (i << 32 | j) << 8 | rule bit: sorting brings a pair's entries together.
    let mut pairs: Vec<(u64, u8)> = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let key = entries[start].0;
        let mut end = start + 1;
        while end < entries.len() && entries[end].0 == key {
            end += 1;
        }
        let block = &entries[start..end];
        if block.len() <= config.max_block {
            for (x, &(_, i, rule)) in block.iter().enumerate() {
                for &(_, j, _) in &block[x + 1..] {
                    if i != j {
                        let packed = (u64::from(i.min(j)) << 32) | u64::from(i.max(j));
                        pairs.push((packed, 1u8 << rule));
                    }
                }
            }
        }
        start = end;
    }
    pairs.sort_unstable_by_key(|p| p.0);
    let mut out: Vec<Candidate> = Vec::with_capacity(pairs.len());
    for (packed, bit) in pairs {
        let (i, j) = ((packed >> 32) as u32, packed as u32);
        match out.last_mut() {
            Some(last) if last.i == i && last.j == j => last.rules |= bit,
            _ => out.push(Candidate { i, j, rules: bit }),
        }
    }
    out
}
