//! The Insights page's commands: the one-page channel comparison and the fee, review and overlap
//! reports behind it, for a period and a set of channels.
//!
//! The analyses themselves live in kanaal-insights (fee engine, sentiment scorer, person
//! matching); this module only reads them for a filter, names channels the way the window
//! shows them, and shapes the results into transport types with `Money` and plain counts.
//! Work runs on a blocking thread so the window never waits on scoring or matching.
//!
//! Channels are identified by their kind's code (`bol`, `shopify`): the fee and review analyses
//! group by kind, and the overlap report's channel names are mapped back to their kind here.
//!
//! Fee schedules are edited here too (a new version from a date, checked field by field by
//! kanaal-insights as the merchant types), with the KOR switch, break-even prices and what-ifs,
//! and one order's modelled and charged fees for the Orders page's order dialog.

mod fee_tools;
mod reports;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
mod types;

pub use fee_tools::{
    break_even, check_fee_schedule, fee_schedules, kor, order_fees, save_fee_schedule, set_kor,
    today, what_if,
};
pub use reports::{comparison, fee_report, overlap_report, review_report};
pub use types::*;

use crate::ipc::{IpcError, IpcResult};
use crate::AppState;
use kanaal_core::store::Store;
use std::sync::Arc;
use tauri::State;

/// Resolves which customer records of all channels are the same person (kanaal-insights'
/// matching over keyed hashes, with the shop's key from the OS keyring) and stores the result,
/// so the overlap report counts people instead of records.
#[tauri::command]
pub async fn insights_match_customers(state: State<'_, AppState>) -> IpcResult<MatchSummary> {
    let store: Arc<Store> = state.store()?;
    let clock = state.clock.clone();
    tauri::async_runtime::spawn_blocking(move || -> IpcResult<MatchSummary> {
        let key = kanaal_insights::overlap::keys::load_shop_key().map_err(|e| IpcError {
            code: "internal".into(),
            message: format!(
                "Kanaal could not read its customer-matching key from the system keyring ({e}). \
                 Unlock your keyring (log out and in again) and try again."
            ),
            problem: None,
        })?;
        let r = store.write(|tx| {
            kanaal_insights::overlap::store::resolve_persons(
                tx,
                &key,
                &kanaal_insights::overlap::MatchConfig::default(),
                clock.now(),
            )
        })?;
        Ok(MatchSummary {
            customers: r.customers as u64,
            persons: r.persons as u64,
            changed: r.changed as u64,
        })
    })
    .await
    .map_err(|e| IpcError {
        code: "internal".into(),
        message: format!("Recognising customers stopped: {e}. Try again."),
        problem: None,
    })?
}

/// Runs `work` over the store on a blocking thread.
async fn off_ui<T: Send + 'static>(
    state: &AppState,
    filter: InsightsFilter,
    work: fn(&Store, &InsightsFilter) -> kanaal_core::Result<T>,
) -> IpcResult<T> {
    reports::period(&filter)?;
    let store: Arc<Store> = state.store()?;
    tauri::async_runtime::spawn_blocking(move || work(&store, &filter))
        .await
        .map_err(|e| IpcError {
            code: "internal".into(),
            message: format!("The insights could not be computed: {e}. Try again."),
            problem: None,
        })?
        .map_err(IpcError::from)
}

#[tauri::command]
pub async fn insights_comparison(
    state: State<'_, AppState>,
    filter: InsightsFilter,
) -> IpcResult<Comparison> {
    off_ui(&state, filter, comparison).await
}

#[tauri::command]
pub async fn insights_fees(
    state: State<'_, AppState>,
    filter: InsightsFilter,
) -> IpcResult<FeeReport> {
    off_ui(&state, filter, fee_report).await
}

#[tauri::command]
pub async fn insights_reviews(
    state: State<'_, AppState>,
    filter: InsightsFilter,
) -> IpcResult<ReviewReport> {
    off_ui(&state, filter, review_report).await
}

#[tauri::command]
pub async fn insights_overlap(
    state: State<'_, AppState>,
    filter: InsightsFilter,
) -> IpcResult<OverlapView> {
    off_ui(&state, filter, overlap_report).await
}

/// Runs `work` over the store on a blocking thread.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Store) -> kanaal_core::Result<T> + Send + 'static,
) -> IpcResult<T> {
    let store: Arc<Store> = state.store()?;
    tauri::async_runtime::spawn_blocking(move || work(&store))
        .await
        .map_err(|e| IpcError {
            code: "internal".into(),
            message: format!("The fee figures could not be computed: {e}. Try again."),
            problem: None,
        })?
        .map_err(IpcError::from)
}

/// Every channel's fee schedule versions, newest first; amounts with a decimal comma when
/// `decimalComma` (Dutch).
#[tauri::command]
pub async fn insights_fee_schedules(
    state: State<'_, AppState>,
    decimal_comma: bool,
) -> IpcResult<Vec<ChannelFeeSchedules>> {
    // "New version from" starts at the app's today, not the window's: time is the app's clock.
    let today = today(state.clock.as_ref());
    blocking(&state, move |s| fee_schedules(s, decimal_comma, today)).await
}

/// The fee model's figures for one order (modelled, charged when reported, the difference), for
/// the order's dialog on the Orders page.
#[tauri::command]
pub async fn insights_order_fees(
    state: State<'_, AppState>,
    order: i64,
) -> IpcResult<OrderFeesView> {
    blocking(&state, move |s| order_fees(s, order)).await
}

/// Checks a new schedule version as the merchant types: the fields that are not right.
#[tauri::command]
pub async fn insights_check_fee_schedule(
    state: State<'_, AppState>,
    draft: kanaal_insights::fees::edit::ScheduleDraft,
) -> IpcResult<Vec<kanaal_insights::fees::edit::FieldError>> {
    blocking(&state, move |s| check_fee_schedule(s, &draft)).await
}

/// Saves a new schedule version (older versions keep applying to older orders); the fields
/// that are not right when it cannot be saved.
#[tauri::command]
pub async fn insights_save_fee_schedule(
    state: State<'_, AppState>,
    draft: kanaal_insights::fees::edit::ScheduleDraft,
) -> IpcResult<Vec<kanaal_insights::fees::edit::FieldError>> {
    blocking(&state, move |s| save_fee_schedule(s, &draft)).await
}

#[tauri::command]
pub async fn insights_break_even(
    state: State<'_, AppState>,
    filter: InsightsFilter,
) -> IpcResult<BreakEvenView> {
    off_ui(&state, filter, break_even).await
}

#[tauri::command]
pub async fn insights_what_if(
    state: State<'_, AppState>,
    filter: InsightsFilter,
    scenario: WhatIf,
) -> IpcResult<WhatIfResult> {
    reports::period(&filter)?;
    blocking(&state, move |s| what_if(s, &filter, &scenario)).await
}

/// Whether the merchant uses the KOR (VAT on fees is then a cost).
#[tauri::command]
pub async fn insights_kor(state: State<'_, AppState>) -> IpcResult<bool> {
    blocking(&state, kor).await
}

#[tauri::command]
pub async fn insights_set_kor(state: State<'_, AppState>, on: bool) -> IpcResult<()> {
    blocking(&state, move |s| set_kor(s, on)).await
}
