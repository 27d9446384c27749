//! "Sync now": for every enabled channel, the sync engine (kanaal-sync) pulls new orders by
//! cursor (moving stock once per line), queues the new stock for every channel and sends the
//! channel's outbox. A cancellable job; progress streams over an IPC channel.

use crate::ipc::{count, IpcError, IpcResult};
use crate::AppState;
use kanaal_core::clock::Clock;
use kanaal_core::failure::StoredFailure;
use kanaal_core::progress::ProgressStep;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use tauri::State;

/// One outbox worker at a time: "Sync now" and a publish's send both drain outboxes, and two
/// workers on one channel would both take the same row.
pub(crate) static WORKER: tauri::async_runtime::Mutex<()> =
    tauri::async_runtime::Mutex::const_new(());

/// The worker's backoff jitter, seeded at the edge from the injected clock.
pub(crate) fn rng(clock: &dyn Clock) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(clock.now().timestamp_millis().unsigned_abs())
}

/// What one channel's sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelSync {
    pub channel_name: String,
    pub new_orders: u32,
    pub updated_orders: u32,
    /// Changes sent to the channel (listings, stock, shipments).
    pub sent: u32,
    pub failed: u32,
    /// Why this channel could not be synced (fully), typed for the window to word.
    pub error: Option<StoredFailure>,
    /// Its last read-back failed, so its updates wait until it can be checked for changes;
    /// the window says so in the merchant's language.
    pub updates_held: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncSummary {
    pub channels: Vec<ChannelSync>,
    pub cancelled: bool,
}

/// Syncs every enabled channel now.
#[tauri::command]
pub async fn sync_now(
    state: State<'_, AppState>,
    job_id: String,
    on_progress: tauri::ipc::Channel<ProgressStep>,
) -> IpcResult<SyncSummary> {
    if job_id.trim().is_empty() {
        return Err(IpcError::invalid("a job id is needed to be able to cancel"));
    }
    let store = state.store()?;
    let records = store.read(kanaal_core::channels::list)?;
    let cancel = state.start_job(&job_id);
    let _worker = WORKER.lock().await;
    let progress = move |step: ProgressStep| {
        let _ = on_progress.send(step);
    };
    let mut summary = SyncSummary::default();
    for record in records.into_iter().filter(|r| r.enabled) {
        let mut out = ChannelSync {
            channel_name: record.name.clone(),
            new_orders: 0,
            updated_orders: 0,
            sent: 0,
            failed: 0,
            error: None,
            updates_held: false,
        };
        match kanaal_channels::account::connect(&record, state.clock.clone()) {
            Err(failure) => out.error = Some(failure),
            Ok(connector) => {
                let mut rng = rng(state.clock.as_ref());
                match kanaal_sync::sync_channel(
                    &store,
                    record.id,
                    connector.as_ref(),
                    state.clock.as_ref(),
                    &mut rng,
                    &cancel,
                    &progress,
                )
                .await
                {
                    Ok(r) => {
                        if let Some(o) = &r.orders {
                            out.new_orders = count(o.new_orders);
                            out.updated_orders = count(o.updated_orders);
                        }
                        // The drift read-back's failure is shown too (its last findings hold),
                        // with what it means: the channel's updates wait for a check.
                        out.error = r
                            .orders_error
                            .clone()
                            .or_else(|| r.drift_error.clone())
                            .map(StoredFailure::from);
                        out.updates_held = r.updates_held.is_some();
                        out.sent = count(r.outbox.sent + r.outbox.adopted);
                        out.failed = count(r.outbox.failed);
                        if r.outbox.cancelled {
                            summary.cancelled = true;
                        }
                    }
                    Err(kanaal_sync::SyncError::Store(kanaal_core::Error::Cancelled)) => {
                        summary.cancelled = true;
                    }
                    Err(e) => out.error = Some(e.shown()),
                }
            }
        }
        summary.channels.push(out);
        if summary.cancelled {
            break;
        }
    }
    state.finish_job(&job_id);
    let new_customers = summary
        .channels
        .iter()
        .any(|c| c.new_orders + c.updated_orders > 0);
    if new_customers && !summary.cancelled {
        // New orders bring new customer records: recognise the same people across channels
        // now, so Insights counts people rather than records. Best effort: without the key
        // (a locked keyring) Insights offers "Recognise customers" itself and says why.
        let clock = state.clock.clone();
        let matched = tauri::async_runtime::spawn_blocking(move || -> Result<(), String> {
            let key = kanaal_insights::overlap::keys::load_shop_key().map_err(|e| e.to_string())?;
            store
                .write(|tx| {
                    kanaal_insights::overlap::store::resolve_persons(
                        tx,
                        &key,
                        &kanaal_insights::overlap::MatchConfig::default(),
                        clock.now(),
                    )
                })
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .await;
        match matched {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("Kanaal: customers were not matched after the sync: {e}"),
            Err(e) => eprintln!("Kanaal: matching customers after the sync stopped: {e}"),
        }
    }
    Ok(summary)
}
