//! The comparison vector of a pair of records: for each field, how well they agree, as a level.
//! Level 0 always means "unknown on at least one side" and carries no evidence either way.
//!
//! Every comparison is symmetric (compare(a, b) == compare(b, a)); the property tests check it.

use super::prepare::Prepared;

/// The fields compared, with their number of levels (including level 0, unknown).
pub const FIELDS: &[(&str, usize)] = &[
    ("email", 3),   // unknown, differ, equal
    ("phone", 3),   // unknown, differ, equal
    ("address", 6), // unknown, other area, same area, same postcode other number, same postcode, same postcode + number
    ("surname", 6), // unknown, differ, initials agree, Jaro-Winkler >= 0.88, >= 0.95, equal
    ("given", 5),   // unknown, differ, initials agree, Jaro-Winkler >= 0.88, equal
    ("city", 3),    // unknown, differ, equal
];

/// How many distinct comparison vectors there are.
pub fn pattern_count() -> usize {
    FIELDS.iter().map(|(_, n)| n).product()
}

/// The levels of one pair, encoded as one number (mixed radix over [`FIELDS`]).
pub fn pattern(a: &Prepared, b: &Prepared) -> u32 {
    let levels = [
        email(a, b),
        exact(a.phone, b.phone),
        address(a, b),
        surname(a, b),
        given(a, b),
        city(a, b),
    ];
    encode(&levels)
}

/// A given name or initial that disagrees, with no own e-mail address or phone number in
/// common: two people, whatever else agrees. Housemates share an address and often a surname,
/// and in a small shop (where any two records are quite likely one person) the address alone
/// would otherwise outweigh "Jan" against "Anna". Only an identifier of one person can: the
/// same person registered under a nickname with their own e-mail address.
pub fn different_given_name_without_identifier(pattern: u32) -> bool {
    let levels = decode(pattern);
    levels[4] == 1 && levels[0] != 2 && levels[1] != 2
}

pub fn encode(levels: &[u8]) -> u32 {
    let mut code = 0u32;
    for (i, (_, n)) in FIELDS.iter().enumerate() {
        code = code * (*n as u32) + u32::from(levels[i]);
    }
    code
}

/// The level of each field in an encoded pattern.
pub fn decode(mut code: u32) -> [u8; 6] {
    let mut out = [0u8; 6];
    for i in (0..FIELDS.len()).rev() {
        let n = FIELDS[i].1 as u32;
        out[i] = (code % n) as u8;
        code /= n;
    }
    out
}

fn exact(a: Option<u64>, b: Option<u64>) -> u8 {
    match (a, b) {
        (Some(x), Some(y)) if x == y => 2,
        (Some(_), Some(_)) => 1,
        _ => 0,
    }
}

/// The city only when a postcode is missing on one side: with both postcodes known the city
/// repeats what the postcode said, and counting it twice would make neighbours look alike.
fn city(a: &Prepared, b: &Prepared) -> u8 {
    if a.area.is_some() && b.area.is_some() {
        return 0;
    }
    exact(a.city, b.city)
}

/// A relay alias can only be compared with another alias of the same channel; an own address
/// against a relay alias is unknown, not a disagreement (the same person has both).
fn email(a: &Prepared, b: &Prepared) -> u8 {
    if a.relay_scope != b.relay_scope {
        return 0;
    }
    exact(a.email, b.email)
}

fn address(a: &Prepared, b: &Prepared) -> u8 {
    if let (Some(x), Some(y)) = (a.postcode, b.postcode) {
        if x == y {
            return match (a.address, b.address) {
                (Some(p), Some(q)) if p == q => 5,
                (Some(_), Some(_)) => 3,
                _ => 4,
            };
        }
    }
    match (a.area, b.area) {
        (Some(x), Some(y)) if x == y => 2,
        (Some(_), Some(_)) => 1,
        _ => 0,
    }
}

fn surname(a: &Prepared, b: &Prepared) -> u8 {
    match (&a.surname, &b.surname) {
        (Some(x), Some(y)) => name_similarity(x, y),
        _ => match (a.surname_initial, b.surname_initial) {
            (Some(x), Some(y)) if x == y => 2,
            (Some(_), Some(_)) => 1,
            _ => 0,
        },
    }
}

fn given(a: &Prepared, b: &Prepared) -> u8 {
    match (&a.given, &b.given) {
        (Some(x), Some(y)) => {
            let level = name_similarity(x, y);
            // The given-name scale has no ">= 0.95" step: equal is 4, close is 3.
            match level {
                5 => 4,
                4 | 3 => 3,
                l => l,
            }
        }
        _ => match (a.initial, b.initial) {
            (Some(x), Some(y)) if x == y => 2,
            (Some(_), Some(_)) => 1,
            _ => 0,
        },
    }
}

/// 5 equal, 4 Jaro-Winkler >= 0.95, 3 >= 0.88, 1 otherwise.
fn name_similarity(x: &str, y: &str) -> u8 {
    if x == y {
        return 5;
    }
    let jw = strsim::jaro_winkler(x, y);
    if jw >= 0.95 {
        4
    } else if jw >= 0.88 {
        3
    } else {
        1
    }
}

/// Level counts over about `wanted` pairs of records drawn without randomness: the records are
/// ordered by a hash of their content (so the input order does not matter) and each is paired
/// with the one a fixed offset further on, for a few offsets.
pub fn random_pair_levels(records: &[Prepared], wanted: usize) -> super::em::LevelCounts {
    let mut counts = super::em::empty_level_counts();
    let n = records.len();
    if n < 2 {
        return counts;
    }
    let mut order: Vec<(u64, u32)> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (content_hash(r), i as u32))
        .collect();
    order.sort_unstable();
    let all_pairs = n * (n - 1) / 2;
    let wanted = wanted.min(all_pairs);
    let rounds = wanted.div_ceil(n).max(1);
    let mut taken = 0;
    'rounds: for round in 0..rounds {
        // Far-apart partners in the content order: neighbours in it need not be strangers.
        let offset = 1 + (n / 2 + round * 7919 + round * round * 104_729) % (n - 1);
        for k in 0..n {
            if taken >= wanted {
                break 'rounds;
            }
            let a = &records[order[k].1 as usize];
            let b = &records[order[(k + offset) % n].1 as usize];
            let levels = decode(pattern(a, b));
            for (f, &l) in levels.iter().enumerate() {
                counts[f][l as usize] += 1;
            }
            taken += 1;
        }
    }
    counts
}

fn content_hash(r: &Prepared) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |x: u64| {
        h ^= x;
        h = h.wrapping_mul(0x0000_0100_0000_01b3).rotate_left(17);
    };
    for v in [
        r.email,
        r.relay_scope,
        r.phone,
        r.address,
        r.postcode,
        r.area,
        r.surname_key,
        r.given_key,
        r.city,
    ] {
        eat(v.unwrap_or(0));
    }
    eat(u64::from(r.house_number.unwrap_or(0)));
    eat(u64::from(r.initial.map_or(0, u32::from)));
    eat(u64::from(r.surname_initial.map_or(0, u32::from)));
    // splitmix64's finaliser, so that similar records do not sort next to each other.
    h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}
