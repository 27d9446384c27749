//! Downloading the pictures a product CSV named, from the command line: after `kanaal catalog
//! import` (unless `--no-pictures`) and with `kanaal catalog pictures` (to try again later).
//! Prints progress to stderr and every failure with its row and column; Ctrl+C stops the
//! download and keeps what is done. The work itself is kanaal-sync's [`fetch_pictures`].

use kanaal_channels::pictures::{PictureDownloader, PictureLimits};
use kanaal_core::clock::{Clock, SystemClock};
use kanaal_core::picture_queue::{self, PictureRun};
use kanaal_core::progress::{CancelToken, ProgressStep};
use kanaal_core::store::Store;
use kanaal_core::{Error, Result};
use kanaal_sync::pictures::fetch_pictures;
use std::io::Write;

/// How to show a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Table,
    Json,
    /// Nothing (after an import that printed its report as JSON: stdout stays one document).
    Quiet,
}

/// Downloads every waiting picture (after putting failed ones back in the queue when
/// `retry_failed`), printing progress and the result.
pub fn fetch(store: &Store, retry_failed: bool, output: Output) -> Result<PictureRun> {
    let json = output != Output::Table;
    if retry_failed {
        store.write(|tx| picture_queue::retry_failed(tx, SystemClock.now()))?;
    }
    let waiting = store.read(picture_queue::status)?.waiting;
    if waiting == 0 && !json {
        return Ok(PictureRun::default());
    }
    let downloader = PictureDownloader::new(PictureLimits::default())
        .map_err(|m| Error::invalid("pictures", m))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::invalid("pictures", format!("could not start downloading: {e}")))?;
    let cancel = CancelToken::new();
    let progress = |step: ProgressStep| {
        if !json && step.total > 0 {
            eprint!("\rPictures: {} of {} downloaded", step.done, step.total);
            let _ = std::io::stderr().flush();
        }
    };
    let run = runtime.block_on(async {
        let stop = cancel.clone();
        let ctrl_c = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.cancel();
            }
        });
        let run = fetch_pictures(store, &downloader, &SystemClock, &progress, &cancel).await;
        ctrl_c.abort();
        run
    })?;
    if output == Output::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&run).map_err(|e| Error::Corrupt(e.to_string()))?
        );
    } else if output == Output::Table {
        eprintln!();
        print(&run);
    }
    Ok(run)
}

fn print(run: &PictureRun) {
    let mut line = format!("Pictures: {} added", run.added);
    if run.already_there > 0 {
        line.push_str(&format!(", {} already there", run.already_there));
    }
    if run.failed > 0 {
        line.push_str(&format!(", {} failed", run.failed));
    }
    println!("{line}.");
    for f in &run.failures {
        println!("  {} ({}): {}", f.product_title, f.url, f.message);
    }
    if run.waiting_for_connection > 0 {
        println!(
            "{} pictures wait for a connection: run `kanaal catalog pictures` when you are online.",
            run.waiting_for_connection
        );
    }
    if run.cancelled {
        println!("Stopped: the pictures not downloaded yet stay queued; `kanaal catalog pictures` continues.");
    }
    if run.failed > 0 {
        println!("Fix the links in the file and import it again, or run `kanaal catalog pictures --retry-failed`.");
    }
}
