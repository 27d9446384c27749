//! What the resolved persons say about each channel: the overlap matrix, the exclusive
//! intersections for an UpSet chart, unique reach, movement between channels and repeat rate.
//!
//! Pure functions over (channel, person) memberships and dated orders; the store and the CLI
//! feed them. Counts are of persons, never of records or orders, unless a name says otherwise.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One customer record's channel and resolved person.
#[derive(Debug, Clone)]
pub struct Membership {
    pub channel: String,
    pub person: u32,
}

/// One order of a person on a channel.
#[derive(Debug, Clone)]
pub struct PersonOrder {
    pub channel: String,
    pub person: u32,
    pub placed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlapReport {
    /// Channels in the order of the matrix rows and columns (sorted by name).
    pub channels: Vec<String>,
    /// Distinct persons over all channels.
    pub persons: u64,
    /// `matrix[i][j]`: persons seen on both channel i and channel j; the diagonal is the
    /// channel's own count of persons.
    pub matrix: Vec<Vec<u64>>,
    /// Persons per exact combination of channels (each person counted once, in the one set of
    /// channels they use): the bars of an UpSet chart, largest first.
    pub intersections: Vec<Intersection>,
    pub reach: Vec<Reach>,
    /// Persons whose first order was on `from` and who later ordered on `to`.
    pub movement: Vec<Movement>,
    pub repeat: Vec<Repeat>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intersection {
    pub channels: Vec<String>,
    pub persons: u64,
}

/// Unique reach: the persons only this channel brought.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reach {
    pub channel: String,
    pub persons: u64,
    pub only_here: u64,
    /// only_here / persons (0 when the channel has no persons).
    pub unique_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Movement {
    pub from: String,
    pub to: String,
    pub persons: u64,
}

/// Repeat rate: of the persons who ordered on a channel, the share who ordered there again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Repeat {
    pub channel: String,
    pub persons_with_orders: u64,
    pub repeat_persons: u64,
    pub rate: f64,
}

/// Builds the report. `orders` may be empty (when matching files that carry no orders); then
/// movement and repeat rate are empty too.
pub fn build(memberships: &[Membership], orders: &[PersonOrder]) -> OverlapReport {
    let mut channels_of: HashMap<u32, BTreeSet<&str>> = HashMap::new();
    for m in memberships {
        channels_of.entry(m.person).or_default().insert(&m.channel);
    }
    for o in orders {
        channels_of.entry(o.person).or_default().insert(&o.channel);
    }
    let channels: Vec<String> = channels_of
        .values()
        .flatten()
        .copied()
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .map(str::to_string)
        .collect();
    let index: HashMap<&str, usize> = channels
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let n = channels.len();
    let mut matrix = vec![vec![0u64; n]; n];
    let mut sets: BTreeMap<Vec<usize>, u64> = BTreeMap::new();
    for set in channels_of.values() {
        let idx: Vec<usize> = set.iter().filter_map(|c| index.get(c).copied()).collect();
        for &i in &idx {
            for &j in &idx {
                matrix[i][j] += 1;
            }
        }
        *sets.entry(idx).or_default() += 1;
    }
    let mut intersections: Vec<Intersection> = sets
        .iter()
        .map(|(idx, &persons)| Intersection {
            channels: idx.iter().map(|&i| channels[i].clone()).collect(),
            persons,
        })
        .collect();
    intersections.sort_by(|a, b| b.persons.cmp(&a.persons).then(a.channels.cmp(&b.channels)));
    let reach = channels
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let persons = matrix[i][i];
            let only_here = sets.get(&vec![i]).copied().unwrap_or(0);
            Reach {
                channel: c.clone(),
                persons,
                only_here,
                unique_share: if persons == 0 {
                    0.0
                } else {
                    only_here as f64 / persons as f64
                },
            }
        })
        .collect();

    // Orders per person in time order (ties broken by channel name, for a stable result).
    let mut by_person: HashMap<u32, Vec<&PersonOrder>> = HashMap::new();
    for o in orders {
        by_person.entry(o.person).or_default().push(o);
    }
    let mut moves: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut per_channel: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for list in by_person.values_mut() {
        list.sort_by(|a, b| {
            a.placed_at
                .cmp(&b.placed_at)
                .then(a.channel.cmp(&b.channel))
        });
        if let Some(first) = list.first() {
            let later: BTreeSet<&str> = list
                .iter()
                .filter(|o| o.placed_at > first.placed_at && o.channel != first.channel)
                .map(|o| o.channel.as_str())
                .collect();
            for to in later {
                *moves
                    .entry((first.channel.clone(), to.to_string()))
                    .or_default() += 1;
            }
        }
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for o in list.iter() {
            *counts.entry(&o.channel).or_default() += 1;
        }
        for (c, k) in counts {
            let e = per_channel.entry(c).or_default();
            e.0 += 1;
            if k >= 2 {
                e.1 += 1;
            }
        }
    }
    let movement = moves
        .into_iter()
        .map(|((from, to), persons)| Movement { from, to, persons })
        .collect();
    let repeat = per_channel
        .into_iter()
        .map(|(c, (with, rep))| Repeat {
            channel: c.to_string(),
            persons_with_orders: with,
            repeat_persons: rep,
            rate: if with == 0 {
                0.0
            } else {
                rep as f64 / with as f64
            },
        })
        .collect();
    OverlapReport {
        channels,
        persons: channels_of.len() as u64,
        matrix,
        intersections,
        reach,
        movement,
        repeat,
    }
}
