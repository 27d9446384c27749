//! The Publish page's "Changed on the channel" commands: the findings of the last drift check
//! per channel (kanaal-core's `drift`), a check of every channel now (kanaal-sync's read-back,
//! also part of "Sync now"), and the merchant's choice per field (Adopt / Keep mine), each one
//! transaction. This module only shapes values for the window; the rules are kanaal-core's.

use crate::commands::off_ui_thread;
use crate::ipc::{count, IpcError, IpcResult};
use crate::AppState;
use kanaal_core::drift::{self, DriftKind, Resolution};
use kanaal_core::failure::StoredFailure;
use kanaal_core::ids::{ChannelId, ListingId, ProductId};
use serde::Serialize;
use serde_json::Value;
use tauri::State;

/// One field changed on a channel, values as text (`money`: the values are amounts to format).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DriftFinding {
    pub listing: ListingId,
    pub channel: ChannelId,
    pub channel_name: String,
    pub product: ProductId,
    pub product_title: String,
    /// The field as kanaal-core names it (`title`, `variants[SKU].price`, `listed`).
    pub field: String,
    /// For the label: `title`, `description`, `brand`, `delivery_code` (bol.com's delivery
    /// promise), `listed` (the listing is removed or
    /// not for sale on the channel: `theirs` is `removed` or `not_for_sale`), or a variant's
    /// `price`, `compare_at_price`, `gtin`.
    pub field_kind: String,
    /// The variant's SKU for a variant field.
    pub sku: Option<String>,
    /// True when Kanaal's value changed too: the merchant must choose.
    pub conflict: bool,
    pub mine: String,
    pub theirs: String,
    /// What the channel last confirmed from Kanaal, if known.
    pub base: Option<String>,
    pub money: bool,
    pub found_at: String,
}

/// Per channel: when it was last checked and how many fields wait for a choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DriftChannel {
    pub channel: ChannelId,
    pub name: String,
    pub last_check: Option<String>,
    pub remote_only: u32,
    pub conflicts: u32,
    /// The last read-back failed: the window says "bol.com could not be checked for changes;
    /// updates wait until it can" in the merchant's language.
    pub unchecked: bool,
    /// Why that read-back failed, typed for the window to word (ui/src/lib/failures.ts).
    pub unchecked_reason: Option<StoredFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DriftOverview {
    pub channels: Vec<DriftChannel>,
    pub findings: Vec<DriftFinding>,
}

/// What a choice did (`outcome`), or why Kanaal could not carry it out (`refusal`; the finding
/// stays open), for the window to word in the merchant's language; and whether it can be
/// undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DriftResolved {
    pub outcome: Option<drift::Outcome>,
    pub refusal: Option<drift::Refusal>,
    pub undoable: bool,
}

/// One channel's read-back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DriftCheck {
    pub channel_name: String,
    pub checked: u32,
    pub remote_only: u32,
    pub conflicts: u32,
    /// Why this channel could not be read back, typed for the window to word.
    pub error: Option<StoredFailure>,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn view(f: drift::Finding) -> DriftFinding {
    let (sku, kind) = match drift::split_variant_field(&f.field) {
        Some((sku, key)) => (Some(sku.to_string()), key.to_string()),
        None => (None, f.field.clone()),
    };
    let money = kind == drift::VARIANT_PRICE || kind == drift::VARIANT_COMPARE_AT;
    DriftFinding {
        listing: f.listing,
        channel: f.channel,
        channel_name: f.channel_name,
        product: f.product,
        product_title: f.product_title,
        field_kind: kind,
        field: f.field,
        sku,
        conflict: f.kind == DriftKind::Conflict,
        mine: text(&f.mine),
        theirs: text(&f.theirs),
        base: f.base.as_ref().map(text),
        money,
        found_at: f.found_at,
    }
}

/// The open findings of every channel, with per-channel counts and the time of the last check.
#[tauri::command]
pub async fn drift_overview(state: State<'_, AppState>) -> IpcResult<DriftOverview> {
    let store = state.store()?;
    off_ui_thread("Reading the changes on the channels", move || {
        store.read(|tx| {
            let counts = drift::counts(tx)?;
            let mut channels = Vec::new();
            for record in kanaal_core::channels::list(tx)?
                .into_iter()
                .filter(|r| r.enabled)
            {
                let (remote_only, conflicts) = counts.get(&record.id).copied().unwrap_or((0, 0));
                let unchecked = drift::unchecked(tx, record.id)?;
                channels.push(DriftChannel {
                    channel: record.id,
                    name: record.name.clone(),
                    last_check: drift::last_check(tx, record.id)?,
                    remote_only,
                    conflicts,
                    unchecked: unchecked.is_some(),
                    unchecked_reason: unchecked.map(|u| u.reason),
                });
            }
            let findings = drift::list(tx, None)?.into_iter().map(view).collect();
            Ok(DriftOverview { channels, findings })
        })
    })
    .await
}

/// Reads every enabled channel back now and stores what changed there.
#[tauri::command]
pub async fn drift_check(state: State<'_, AppState>) -> IpcResult<Vec<DriftCheck>> {
    let store = state.store()?;
    let records = store.read(kanaal_core::channels::list)?;
    let mut out = Vec::new();
    for record in records.into_iter().filter(|r| r.enabled) {
        let mut check = DriftCheck {
            channel_name: record.name.clone(),
            checked: 0,
            remote_only: 0,
            conflicts: 0,
            error: None,
        };
        match kanaal_channels::account::connect(&record, state.clock.clone()) {
            Err(failure) => check.error = Some(failure),
            Ok(connector) => {
                match kanaal_sync::check_drift(
                    &store,
                    record.id,
                    connector.as_ref(),
                    state.clock.as_ref(),
                )
                .await
                {
                    Ok(r) => {
                        check.checked = count(r.checked);
                        check.remote_only = count(r.remote_only);
                        check.conflicts = count(r.conflicts);
                    }
                    Err(e) => check.error = Some(e.shown()),
                }
            }
        }
        out.push(check);
    }
    Ok(out)
}

/// The merchant's choice for one field: `adopt` (take the channel's value) or `keep_mine`
/// (publish Kanaal's value over it).
#[tauri::command]
pub async fn drift_resolve(
    state: State<'_, AppState>,
    listing: i64,
    field: String,
    choice: String,
) -> IpcResult<DriftResolved> {
    let resolution = match choice.as_str() {
        "adopt" => Resolution::Adopt,
        "keep_mine" => Resolution::KeepMine,
        other => {
            return Err(IpcError::invalid(format!(
                "'{other}' is not a choice here: use adopt or keep_mine"
            )))
        }
    };
    let store = state.store()?;
    let now = state.clock.now();
    off_ui_thread("Saving your choice", move || {
        match store.write(|tx| drift::resolve(tx, ListingId(listing), &field, resolution, now)) {
            Ok(r) => Ok(DriftResolved {
                undoable: r.batch.is_some(),
                outcome: Some(r.outcome),
                refusal: None,
            }),
            Err(kanaal_core::Error::DriftRefused(refusal)) => Ok(DriftResolved {
                outcome: None,
                refusal: Some(refusal),
                undoable: false,
            }),
            Err(e) => Err(e),
        }
    })
    .await
}
