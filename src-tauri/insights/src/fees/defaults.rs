//! The fee schedules Kanaal ships, one per channel kind, from the public figures in the channel
//! reference. They are data (`data/fees/defaults.json`), each with its date and source, so a
//! merchant can see where a figure comes from and replace it with their own rate card.

use super::schedule::{FeeSchedule, ScheduleError};

const DEFAULTS_JSON: &str = include_str!("../../data/fees/defaults.json");

/// The shipped schedules, validated.
pub fn default_schedules() -> Result<Vec<FeeSchedule>, ScheduleError> {
    let all: Vec<FeeSchedule> =
        serde_json::from_str(DEFAULTS_JSON).map_err(|e| ScheduleError::BadJson {
            channel: "(shipped defaults)".to_string(),
            version: 0,
            reason: e.to_string(),
        })?;
    for s in &all {
        s.validate()?;
    }
    Ok(all)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn every_promised_channel_has_a_dated_sourced_default() {
        let all = default_schedules().unwrap();
        for kind in [
            "shopify",
            "bol",
            "amazon",
            "etsy",
            "thuisbezorgd",
            "ubereats",
        ] {
            let s = all
                .iter()
                .find(|s| s.channel_kind == kind)
                .unwrap_or_else(|| panic!("a default schedule for {kind}"));
            assert!(
                s.source.contains("read 20"),
                "{kind}'s source says when it was read: {}",
                s.source
            );
            assert!(
                kanaal_core::channel_kind::by_code(kind).is_some(),
                "{kind} is a channel kind the store knows"
            );
        }
    }
}
