//! Fetching the pictures a product CSV named by web address: the loop between the core's queue
//! (`kanaal_core::picture_queue`, the state) and the downloader (`kanaal_channels::pictures`,
//! the HTTP). The desktop app and `kanaal catalog import` both run it.
//!
//! Each step is one store transaction (picture stored → row `fetched`; a product's pictures
//! attached → rows `done`), so a kill at any point loses no picture and adds none twice: the
//! next run first attaches what was fetched, then downloads what is still waiting.
//!
//! With no connection the run stops after a few addresses in a row could not be reached and
//! leaves the rest queued, marked as waiting for a connection, instead of trying each one.

use kanaal_channels::pictures::{DownloadError, PictureDownloader};
use kanaal_core::clock::Clock;
use kanaal_core::ids::ProductId;
use kanaal_core::picture_queue::{self, FetchFailure, PictureRun};
use kanaal_core::progress::{CancelToken, Progress, ProgressStep};
use kanaal_core::store::Store;
use kanaal_core::Result;

/// The progress stage the UI words as "Pictures: 34 of 120 downloaded".
pub const STAGE: &str = "pictures";

/// Addresses in a row that cannot be reached before the run decides there is no connection.
const OFFLINE_STREAK: u32 = 3;

/// Downloads every waiting picture, product by product, and adds each product's pictures to
/// it. Cancelling keeps what is done (pictures already downloaded are attached) and leaves the
/// rest queued.
pub async fn fetch_pictures(
    store: &Store,
    downloader: &PictureDownloader,
    clock: &dyn Clock,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<PictureRun> {
    let mut run = PictureRun::default();
    // What a crash or a cancel left between `fetched` and `done`.
    let leftover = store.write(|tx| picture_queue::attach_all_fetched(tx, clock.now()))?;
    run.added += leftover.added;
    run.already_there += leftover.already_there;

    let jobs = store.read(picture_queue::waiting)?;
    run.total = u32::try_from(jobs.len()).unwrap_or(u32::MAX);
    let report = |done: usize| {
        progress.report(ProgressStep {
            stage: STAGE.to_string(),
            done: done as u64,
            total: jobs.len() as u64,
        })
    };
    report(0);
    let mut offline_streak = 0;
    let mut current: Option<ProductId> = None;
    for (index, job) in jobs.iter().enumerate() {
        if current.is_some_and(|p| p != job.product) {
            attach(store, clock, current, &mut run)?;
        }
        current = Some(job.product);
        // The list was read when the run began; an undo since may have set this picture
        // aside with its import, and then it must not be downloaded (nor stored unattached).
        if !store.read(|tx| picture_queue::is_waiting(tx, job.id))? {
            report(index + 1);
            continue;
        }
        let failure = match downloader.get(&job.url, cancel).await {
            Err(DownloadError::Cancelled) => {
                run.cancelled = true;
                break;
            }
            Err(DownloadError::Failed(f)) => {
                store.write(|tx| picture_queue::record_failure(tx, job.id, &f, clock.now()))?;
                Some(f)
            }
            Ok(bytes) => store
                .write(|tx| {
                    picture_queue::store_fetched(tx, store.dir(), job.id, &bytes, clock.now())
                })?
                .err(),
        };
        match failure {
            Some(f @ FetchFailure::Offline { .. }) => {
                offline_streak += 1;
                if offline_streak >= OFFLINE_STREAK {
                    report(index + 1);
                    run.waiting_for_connection = store
                        .write(|tx| picture_queue::mark_waiting_offline(tx, &f, clock.now()))?;
                    break;
                }
            }
            Some(_) => {
                offline_streak = 0;
                run.failed += 1;
                if let Some(listed) = store.read(|tx| picture_queue::failure_of(tx, job.id))? {
                    run.failures.push(listed);
                }
            }
            None => offline_streak = 0,
        }
        report(index + 1);
    }
    attach(store, clock, current, &mut run)?;
    if run.waiting_for_connection == 0 {
        run.waiting_for_connection = store.read(picture_queue::status)?.waiting_for_connection;
    }
    Ok(run)
}

fn attach(
    store: &Store,
    clock: &dyn Clock,
    product: Option<ProductId>,
    run: &mut PictureRun,
) -> Result<()> {
    if let Some(p) = product {
        let done = store.write(|tx| picture_queue::attach(tx, p, clock.now()))?;
        run.added += done.added;
        run.already_there += done.already_there;
    }
    Ok(())
}
