//! The pictures a product CSV named by web address: after an import the window starts
//! [`fetch_import_pictures`] (a cancellable job whose progress streams over an IPC channel, stage
//! `"pictures"`), shows [`import_pictures_status`] (waiting, waiting for a connection, failed
//! with row and column) and can [`retry_import_pictures`]. The queue lives in kanaal-core, the
//! loop in kanaal-sync, the HTTP in kanaal-channels; these commands only connect them.

use crate::ipc::{IpcError, IpcResult};
use crate::AppState;
use kanaal_channels::pictures::{PictureDownloader, PictureLimits};
use kanaal_core::picture_queue::{self, PictureRun, PictureStatus};
use kanaal_core::progress::ProgressStep;
use tauri::State;

/// One download at a time: a second start (another import finished meanwhile) waits and then
/// takes what is still queued.
static DOWNLOAD: tauri::async_runtime::Mutex<()> = tauri::async_runtime::Mutex::const_new(());

/// Downloads every waiting picture and adds it to its product. `cancel_job(job_id)` stops it;
/// what is done stays, the rest stays queued.
#[tauri::command]
pub async fn fetch_import_pictures(
    state: State<'_, AppState>,
    job_id: String,
    on_progress: tauri::ipc::Channel<ProgressStep>,
) -> IpcResult<PictureRun> {
    if job_id.trim().is_empty() {
        return Err(IpcError::invalid("a job id is needed to be able to cancel"));
    }
    let store = state.store()?;
    let cancel = state.start_job(&job_id);
    let _one = DOWNLOAD.lock().await;
    let downloader = PictureDownloader::new(PictureLimits::default()).map_err(IpcError::invalid);
    let downloader = match downloader {
        Ok(d) => d,
        Err(e) => {
            state.finish_job(&job_id);
            return Err(e);
        }
    };
    let progress = move |step: ProgressStep| {
        // A window that went away cannot receive progress; the work goes on regardless.
        let _ = on_progress.send(step);
    };
    let run = kanaal_sync::pictures::fetch_pictures(
        &store,
        &downloader,
        state.clock.as_ref(),
        &progress,
        &cancel,
    )
    .await;
    state.finish_job(&job_id);
    Ok(run?)
}

/// Where the picture queue stands: waiting, waiting for a connection, done, failed (listed).
#[tauri::command]
pub async fn import_pictures_status(state: State<'_, AppState>) -> IpcResult<PictureStatus> {
    Ok(state.store()?.read(picture_queue::status)?)
}

/// Puts the failed pictures back in the queue; returns how many. The window then starts
/// [`fetch_import_pictures`] again.
#[tauri::command]
pub async fn retry_import_pictures(state: State<'_, AppState>) -> IpcResult<u32> {
    let now = state.clock.now();
    Ok(state
        .store()?
        .write(|tx| picture_queue::retry_failed(tx, now))?)
}
