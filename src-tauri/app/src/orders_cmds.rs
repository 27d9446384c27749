//! The Orders page's commands: the inbox across channels with filters, one order in full,
//! "mark shipped" and "cancel" (validated and queued in kanaal-core; the outbox carries them to
//! the channel).

use crate::ipc::IpcResult;
use crate::AppState;
use kanaal_core::ids::OrderId;
use kanaal_core::orders::cancel::{self, CancelReason};
use kanaal_core::orders::{self, shipping, InboxPage, OrderDetail, OrderQuery};
use tauri::State;

#[tauri::command]
pub async fn order_inbox(state: State<'_, AppState>, query: OrderQuery) -> IpcResult<InboxPage> {
    let now = state.clock.now();
    Ok(state.store()?.read(|tx| orders::list(tx, &query, now))?)
}

/// The order statuses present, for the status filter.
#[tauri::command]
pub async fn order_statuses(state: State<'_, AppState>) -> IpcResult<Vec<String>> {
    Ok(state.store()?.read(orders::statuses)?)
}

#[tauri::command]
pub async fn order_detail(state: State<'_, AppState>, order: i64) -> IpcResult<OrderDetail> {
    let now = state.clock.now();
    Ok(state
        .store()?
        .read(|tx| orders::detail(tx, OrderId(order), now))?)
}

/// Queues "mark shipped" with carrier and tracking code; refused in plain words when either is
/// not valid or the order is not waiting to be shipped.
#[tauri::command]
pub async fn mark_shipped(
    state: State<'_, AppState>,
    order: i64,
    carrier: String,
    tracking: String,
) -> IpcResult<()> {
    let now = state.clock.now();
    state.store()?.write(|tx| {
        shipping::queue_shipment(tx, OrderId(order), &carrier, &tracking, now).map(|_| ())
    })?;
    Ok(())
}

/// Queues "cancel" for the whole order (no `lines`) or for the lines with those numbers, with a
/// reason from the channel's own list; refused in plain words when the channel cannot cancel
/// single lines (Shopify) or the order is no longer open. The stock goes back once the channel
/// confirmed.
#[tauri::command]
pub async fn cancel_order(
    state: State<'_, AppState>,
    order: i64,
    lines: Vec<u32>,
    reason: CancelReason,
) -> IpcResult<()> {
    let now = state.clock.now();
    state
        .store()?
        .write(|tx| cancel::queue_cancel(tx, OrderId(order), &lines, reason, now).map(|_| ()))?;
    Ok(())
}
