//! The Publish page's rollback commands: the recent publishes, the preview of rolling one back
//! (the same per-channel shape as a publish preview), and confirming it into the outbox as a
//! batch of its own, which `publish_send` / `publish_progress` then send and follow like any
//! publish. The rollback's rules are kanaal-core's (`publish::rollback`); this module keeps the
//! previewed rollback until it is confirmed and shapes it for the window.

use crate::commands::off_ui_thread;
use crate::ipc::{count, IpcError, IpcResult};
use crate::publish_cmds::{channel_preview, ChannelPreview, PublishStarted};
use crate::AppState;
use kanaal_core::publish::rollback::{self, BatchSummary, RollbackPlan};
use serde::Serialize;
use std::sync::Mutex;
use tauri::State;

/// Publishes shown in the history.
const HISTORY: u32 = 20;

/// The rollback last previewed, kept until confirmed (kanaal-core refuses it if it changed).
#[derive(Default)]
pub struct PreparedRollback(Mutex<Option<(String, RollbackPlan)>>);

impl PreparedRollback {
    fn set(&self, id: String, plan: RollbackPlan) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((id, plan));
    }

    fn take(&self, id: &str) -> Option<RollbackPlan> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match slot.take() {
            Some((kept, plan)) if kept == id => Some(plan),
            other => {
                *slot = other;
                None
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RollbackPreview {
    pub preview_id: String,
    /// The publish being rolled back.
    pub batch_id: String,
    /// The batch the rollback is sent as (follow it with `publish_progress`).
    pub rollback_batch_id: String,
    /// Per channel: what goes back (`create` / `update` / `unpublish`) with the field changes;
    /// listings that cannot be rolled back are `blocked` with the reason as their problem.
    pub channels: Vec<ChannelPreview>,
    pub sendable: u32,
    pub refused: u32,
}

/// The recent publishes and rollbacks, newest first.
#[tauri::command]
pub async fn publish_history(state: State<'_, AppState>) -> IpcResult<Vec<BatchSummary>> {
    Ok(state.store()?.read(|tx| rollback::recent(tx, HISTORY))?)
}

/// What rolling back `batch_id` would send, per channel. Nothing is queued.
#[tauri::command]
pub async fn publish_rollback_prepare(
    state: State<'_, AppState>,
    prepared: State<'_, PreparedRollback>,
    batch_id: String,
) -> IpcResult<RollbackPreview> {
    let store = state.store()?;
    let (plan, channels) = off_ui_thread("Preparing the rollback", move || {
        let plan = store.read(|tx| rollback::plan_rollback(tx, &batch_id))?;
        let mut channels = Vec::new();
        for p in &plan.plans {
            let record = store.read(|tx| kanaal_core::channels::get(tx, p.channel))?;
            channels.push(channel_preview(&record.name, &record.kind, p));
        }
        Ok((plan, channels))
    })
    .await?;
    let preview_id = format!("rollback-preview-{}", state.clock.now().timestamp_millis());
    let out = RollbackPreview {
        preview_id: preview_id.clone(),
        batch_id: plan.batch_id.clone(),
        rollback_batch_id: plan.rollback_batch_id.clone(),
        channels,
        sendable: count(plan.sendable()),
        refused: count(plan.refused()),
    };
    prepared.set(preview_id, plan);
    Ok(out)
}

/// Queues the rollback the preview `preview_id` showed, in one transaction. Send it with
/// `publish_send(job, rollbackBatchId)`.
#[tauri::command]
pub async fn publish_rollback_confirm(
    state: State<'_, AppState>,
    prepared: State<'_, PreparedRollback>,
    preview_id: String,
) -> IpcResult<PublishStarted> {
    let Some(plan) = prepared.take(&preview_id) else {
        return Err(IpcError::invalid(
            "This rollback preview is no longer current. Press Roll back again and check what it shows.",
        ));
    };
    let store = state.store()?;
    let now = state.clock.now();
    let batch_id = plan.rollback_batch_id.clone();
    let confirmed = off_ui_thread("Queueing the rollback", move || {
        store.write(|tx| rollback::confirm_rollback(tx, &plan, now))
    })
    .await?;
    Ok(PublishStarted::new(batch_id, &confirmed))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_rollback_preview_is_confirmed_once_and_only_by_its_own_id() {
        let prepared = PreparedRollback::default();
        let plan = RollbackPlan {
            batch_id: "publish-1".into(),
            rollback_batch_id: rollback::rollback_batch_id("publish-1"),
            plans: Vec::new(),
        };
        prepared.set("r1".into(), plan);
        assert!(
            prepared.take("r0").is_none(),
            "another preview's id is refused"
        );
        assert_eq!(
            prepared.take("r1").map(|p| p.rollback_batch_id),
            Some("rollback-of-publish-1".to_string())
        );
        assert!(prepared.take("r1").is_none(), "and only once");
    }
}
