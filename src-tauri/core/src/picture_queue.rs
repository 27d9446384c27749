//! Pictures to fetch: the queue between a product CSV that names pictures by web address and
//! the product's picture list.
//!
//! The core does no network I/O. It owns the *state* of the download: a committed import queues
//! every address ([`enqueue`], in the import's transaction); a downloader outside the core
//! (kanaal-sync with kanaal-channels' HTTP client) takes the [`waiting`] jobs, hands each
//! downloaded file to [`store_fetched`] or a [`FetchFailure`] to [`record_failure`], and after a
//! product's last picture calls [`attach`], which adds the product's fetched pictures to it in
//! one edit (on the undo stack, like pictures added from files in the editor).
//!
//! Why it is built this way:
//! - **Crash-safe, no doubles.** A row goes `waiting` → `fetched` (picture stored, hash known)
//!   → `done` (in the product's list), each step one transaction. A crash before `fetched` costs
//!   one download again; a crash after it is finished by [`attach_all_fetched`] at the next run
//!   without downloading. A picture already in the product (same content hash) is not added
//!   twice, and a re-import of the same file queues nothing new (one row per product and
//!   address).
//! - **File order.** A picture is placed before the first picture of the same product that the
//!   file lists later, so retried pictures still land where the file put them.
//! - **Undo and redo take the queue along.** Each row remembers the import that queued it
//!   first. Undoing that import moves its rows aside ([`set_aside`], before undo removes the
//!   products it created) so nothing is fetched for an import that is gone; redo puts them back
//!   as they were ([`restore`], after the products are back). Pictures already attached are
//!   restored by the ordinary history: they are an edit of their own on the undo stack. Rows
//!   queued before schema v12 had no import; the v18 upgrade gave them theirs where the data
//!   tells it exactly (store/migrations/v18.sql); undo does not move the rows it could not tell.
//! - **Offline is not a failure.** No connection leaves the row `waiting`, marked so that the UI
//!   can say how many pictures wait for a connection; a real failure (404, not a picture, too
//!   large) is `failed`, with the row and column to check, until the merchant retries.
//!
//! Must not: download, know HTTP, or know the UI.

use crate::catalog::csv::Plan;
use crate::catalog::edit::{self, Change, Field, ImageRef, Target};
use crate::catalog::Source;
use crate::ids::ProductId;
use crate::images::{self, StoredPicture};
use crate::settings::Language;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// Why a picture could not be fetched. Stored with the row (JSON) and shown to the merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FetchFailure {
    /// The server could not be reached: no internet connection, or the name does not resolve.
    /// The picture stays queued for the next try.
    Offline { detail: String },
    /// The server did not answer (completely) within the time limit.
    Timeout { seconds: u64 },
    /// The server answered with an HTTP error (404 not found, 403 forbidden, 500 …).
    Status { status: u16 },
    /// The address gives something other than a picture (a web page, text).
    NotAPicture { content_type: String },
    /// The file is larger than Kanaal takes.
    TooLarge { limit_mb: u64 },
    /// The file is not a picture Kanaal can read, or it is damaged.
    Unreadable { detail: String },
    /// The cell is not a web address (http or https).
    BadAddress { detail: String },
}

impl FetchFailure {
    /// `true` when trying again with a connection may work and the row stays `waiting`.
    pub fn waits_for_connection(&self) -> bool {
        matches!(self, FetchFailure::Offline { .. })
    }

    /// What went wrong and what to do, naming the spreadsheet cell.
    pub fn explain(&self, row: u32, column: &str) -> String {
        let at = format!("row {row}, column {column}");
        match self {
            FetchFailure::Offline { .. } => format!(
                "the picture's server could not be reached (no internet connection?): it stays \
                 queued and is fetched when you are online again ({at})"
            ),
            FetchFailure::Timeout { seconds } => format!(
                "the picture's server did not answer within {seconds} seconds: try again later, \
                 or check the link in {at}"
            ),
            FetchFailure::Status { status: 404 | 410 } => {
                format!("the address gives 404 (not found): check the link in {at}")
            }
            FetchFailure::Status {
                status: status @ (401 | 403),
            } => format!(
                "the server refuses the picture (error {status}): make the picture public, or \
                 check the link in {at}"
            ),
            FetchFailure::Status { status } if *status >= 500 => format!(
                "the picture's server has a problem (error {status}): try again later ({at})"
            ),
            FetchFailure::Status { status } => {
                format!("the address gives error {status}: check the link in {at}")
            }
            FetchFailure::NotAPicture { content_type } => format!(
                "the address gives a web page or text ({content_type}), not a picture: use the \
                 link of the picture itself in {at}"
            ),
            FetchFailure::TooLarge { limit_mb } => format!(
                "the picture is larger than {limit_mb} MB: make it smaller and change the link \
                 in {at}"
            ),
            FetchFailure::Unreadable { detail } => {
                format!("{detail} (the picture in {at})")
            }
            FetchFailure::BadAddress { detail } => format!(
                "this is not a web address ({detail}): write a link starting with https:// in \
                 {at}"
            ),
        }
    }
}

/// One picture to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureJob {
    pub id: i64,
    pub product: ProductId,
    pub url: String,
    pub row: u32,
    pub column: String,
}

/// A picture that could not be fetched, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PictureFailure {
    pub product: ProductId,
    pub product_title: String,
    pub url: String,
    pub row: u32,
    pub column: String,
    pub failure: FetchFailure,
    /// [`FetchFailure::explain`], in English (the UI words it from `failure` itself).
    pub message: String,
}

/// Where the queue stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PictureStatus {
    /// Pictures not fetched yet (including those waiting for a connection).
    pub waiting: u32,
    /// Of `waiting`: those the last try found no connection for.
    pub waiting_for_connection: u32,
    /// Added to their product (or already there).
    pub done: u32,
    /// Failed; listed in `failures` (at most [`FAILURES_LISTED`]).
    pub failed: u32,
    pub failures: Vec<PictureFailure>,
}

/// What one download run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PictureRun {
    /// Pictures the run took on.
    pub total: u32,
    /// Added to a product.
    pub added: u32,
    /// Already in the product (the same picture): not added again.
    pub already_there: u32,
    /// Failed in this run; the details are in `failures`.
    pub failed: u32,
    /// Left queued because there was no connection.
    pub waiting_for_connection: u32,
    pub cancelled: bool,
    pub failures: Vec<PictureFailure>,
}

/// At most this many failures are listed in a [`PictureStatus`].
pub const FAILURES_LISTED: usize = 500;

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Queues the pictures of every product in a committed import's plan. A product is found by
/// its first variant's SKU, which the import has just written. Idempotent: an address already
/// queued for the product is not queued again; a failed one is tried again (the file may have
/// a fixed link), a fetched or done one is left as it is. A row remembers `batch_id`, the import
/// that queued it first, for undo. Returns the rows newly waiting.
pub fn enqueue(
    tx: &Transaction<'_>,
    plan: &Plan,
    batch_id: &str,
    now: DateTime<Utc>,
) -> Result<u32> {
    let now = stamp(now);
    let mut find = tx.prepare_cached("SELECT product_id FROM variants WHERE sku = ?1")?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO picture_fetches
             (product_id, url, position, alt, row_number, column_name, state, queued_at,
              updated_at, batch_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'waiting', ?7, ?7, ?8)
         ON CONFLICT (product_id, url) DO UPDATE SET
             position = excluded.position, alt = excluded.alt,
             row_number = excluded.row_number, column_name = excluded.column_name,
             state = 'waiting', failure = NULL, updated_at = excluded.updated_at
         WHERE picture_fetches.state IN ('waiting', 'failed')",
    )?;
    let mut queued = 0;
    for p in plan.products.iter().filter(|p| !p.pictures.is_empty()) {
        let Some(sku) = p.variants.first().map(|v| v.sku.as_str()) else {
            continue;
        };
        let product: Option<i64> = find.query_row([sku], |r| r.get(0)).optional()?;
        let Some(product) = product else { continue };
        for (position, picture) in p.pictures.iter().enumerate() {
            queued += insert.execute(params![
                product,
                picture.url,
                position as i64,
                picture.alt,
                picture.row,
                picture.column,
                now,
                batch_id
            ])?;
        }
    }
    Ok(u32::try_from(queued).unwrap_or(u32::MAX))
}

/// The pictures still to download, product by product in file order.
pub fn waiting(tx: &Transaction<'_>) -> Result<Vec<PictureJob>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, product_id, url, row_number, column_name FROM picture_fetches
          WHERE state = 'waiting' ORDER BY product_id, position",
    )?;
    let jobs = stmt
        .query_map([], |r| {
            Ok(PictureJob {
                id: r.get(0)?,
                product: r.get(1)?,
                url: r.get(2)?,
                row: r.get(3)?,
                column: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(jobs)
}

/// Stores a downloaded file for job `id` exactly as a picture chosen from a file (content
/// addressed, with a thumbnail) and marks the row `fetched`. A file Kanaal cannot take (not a
/// picture, damaged, too large) is recorded as the row's failure and returned as `Err`.
pub fn store_fetched(
    tx: &Transaction<'_>,
    data_dir: &Path,
    id: i64,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<std::result::Result<StoredPicture, FetchFailure>> {
    let stored = if bytes.len() > images::MAX_PICTURE_BYTES {
        Err(FetchFailure::TooLarge {
            limit_mb: (images::MAX_PICTURE_BYTES / (1024 * 1024)) as u64,
        })
    } else {
        match images::put_picture(tx, data_dir, bytes, now) {
            Ok(p) => Ok(p),
            Err(Error::Input(problem)) => Err(FetchFailure::Unreadable {
                detail: problem.message(),
            }),
            Err(e) => return Err(e),
        }
    };
    match &stored {
        Ok(picture) => {
            tx.execute(
                "UPDATE picture_fetches SET state = 'fetched', image_hash = ?1, failure = NULL,
                        attempts = attempts + 1, updated_at = ?2
                  WHERE id = ?3 AND state = 'waiting'",
                params![picture.hash, stamp(now), id],
            )?;
        }
        Err(failure) => record_failure(tx, id, failure, now)?,
    }
    Ok(stored)
}

/// Records why job `id` failed: `waiting` again when there was no connection, else `failed`.
pub fn record_failure(
    tx: &Transaction<'_>,
    id: i64,
    failure: &FetchFailure,
    now: DateTime<Utc>,
) -> Result<()> {
    let json = serde_json::to_string(failure).map_err(|e| Error::Corrupt(e.to_string()))?;
    let state = if failure.waits_for_connection() {
        "waiting"
    } else {
        "failed"
    };
    tx.execute(
        "UPDATE picture_fetches SET state = ?1, failure = ?2, attempts = attempts + 1,
                updated_at = ?3
          WHERE id = ?4 AND state = 'waiting'",
        params![state, json, stamp(now), id],
    )?;
    Ok(())
}

/// Marks every waiting picture not tried yet as waiting for a connection (a run that found no
/// connection stops early instead of trying each address); returns how many wait now.
pub fn mark_waiting_offline(
    tx: &Transaction<'_>,
    failure: &FetchFailure,
    now: DateTime<Utc>,
) -> Result<u32> {
    let json = serde_json::to_string(failure).map_err(|e| Error::Corrupt(e.to_string()))?;
    tx.execute(
        "UPDATE picture_fetches SET failure = ?1, updated_at = ?2
          WHERE state = 'waiting' AND failure IS NULL",
        params![json, stamp(now)],
    )?;
    let n: i64 = tx.query_row(
        "SELECT count(*) FROM picture_fetches WHERE state = 'waiting'",
        [],
        |r| r.get(0),
    )?;
    Ok(count(n))
}

/// What [`attach`] did for one product.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attached {
    pub added: u32,
    pub already_there: u32,
}

/// Adds `product`'s fetched pictures to its picture list, each before the first picture the
/// file lists after it, as one undoable edit; marks them `done`. A picture the product already
/// shows (same content) is not added again.
pub fn attach(tx: &Transaction<'_>, product: ProductId, now: DateTime<Utc>) -> Result<Attached> {
    let mut stmt = tx.prepare_cached(
        "SELECT position, alt, image_hash, state FROM picture_fetches
          WHERE product_id = ?1 AND state IN ('fetched', 'done') AND image_hash IS NOT NULL
          ORDER BY position",
    )?;
    let rows: Vec<(i64, String, String, String)> = stmt
        .query_map([product], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if !rows.iter().any(|r| r.3 == "fetched") {
        return Ok(Attached::default());
    }
    let target = Target::Product(product);
    let old = edit::current(tx, target, Field::Images)?;
    let mut list = edit::image_refs(tx, product)?;
    // Where each queued picture sits in the file, to keep the file's order among them.
    let mut file_position: HashMap<String, i64> = rows
        .iter()
        .filter(|r| r.3 == "done")
        .map(|r| (r.2.clone(), r.0))
        .collect();
    let mut done = Attached::default();
    for (position, alt, hash, _) in rows.iter().filter(|r| r.3 == "fetched") {
        if list.iter().any(|i| &i.hash == hash) {
            done.already_there += 1;
            continue;
        }
        let at = list
            .iter()
            .position(|i| file_position.get(&i.hash).is_some_and(|p| p > position))
            .unwrap_or(list.len());
        list.insert(
            at,
            ImageRef {
                hash: hash.clone(),
                alt_nl: alt.clone(),
                alt_en: alt.clone(),
            },
        );
        file_position.insert(hash.clone(), *position);
        done.added += 1;
    }
    if done.added > 0 {
        let new = serde_json::to_string(&list).map_err(|e| Error::Corrupt(e.to_string()))?;
        let label = match crate::settings::language(tx)?.unwrap_or(Language::Nl) {
            Language::Nl => format!("Afbeeldingen uit import: {}", done.added),
            Language::En => format!("Pictures from import: {}", done.added),
        };
        let change = Change {
            target,
            field: Field::Images,
            old,
            new: Some(new),
        };
        edit::apply(tx, &[change], &label, now, Source::Import)?;
    }
    tx.execute(
        "UPDATE picture_fetches SET state = 'done', updated_at = ?1
          WHERE product_id = ?2 AND state = 'fetched'",
        params![stamp(now), product],
    )?;
    Ok(done)
}

/// Finishes what a crash or a cancel left: attaches every product's fetched pictures.
pub fn attach_all_fetched(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<Attached> {
    let products: Vec<ProductId> = tx
        .prepare_cached(
            "SELECT DISTINCT product_id FROM picture_fetches WHERE state = 'fetched'
              ORDER BY product_id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut all = Attached::default();
    for p in products {
        let a = attach(tx, p, now)?;
        all.added += a.added;
        all.already_there += a.already_there;
    }
    Ok(all)
}

/// The columns [`set_aside`] and [`restore`] move, in both tables' order.
const MOVED: &str = "id, batch_id, product_id, url, position, alt, row_number, column_name, \
                     state, attempts, failure, image_hash, queued_at, updated_at";

/// `true` while picture `id` is still queued to be downloaded: not fetched, failed or set aside
/// by an undo since the list of waiting pictures was read.
pub fn is_waiting(tx: &Transaction<'_>, id: i64) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM picture_fetches WHERE id = ?1 AND state = 'waiting')",
        [id],
        |r| r.get(0),
    )?)
}

/// Undo of import `batch_id`: moves the pictures it queued out of the queue (whatever their
/// state), so none is fetched or attached for an import that is undone. Call it before undo
/// removes what the import created. Returns how many rows were moved.
pub fn set_aside(tx: &Transaction<'_>, batch_id: &str) -> Result<u32> {
    forget_discarded(tx)?;
    tx.execute(
        &format!(
            "INSERT INTO picture_fetches_undone ({MOVED})
             SELECT {MOVED} FROM picture_fetches WHERE batch_id = ?1"
        ),
        [batch_id],
    )?;
    let n = tx.execute(
        "DELETE FROM picture_fetches WHERE batch_id = ?1",
        [batch_id],
    )?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Redo of import `batch_id`: puts the pictures [`set_aside`] moved back in the queue with
/// their ids and states. Call it after redo put the products back. A row whose product is gone,
/// or whose address a later import queued again for the product, stays out. Returns how many
/// rows are back.
pub fn restore(tx: &Transaction<'_>, batch_id: &str) -> Result<u32> {
    let n = tx.execute(
        &format!(
            "INSERT OR IGNORE INTO picture_fetches ({MOVED})
             SELECT {MOVED} FROM picture_fetches_undone u
              WHERE u.batch_id = ?1
                AND EXISTS (SELECT 1 FROM products p WHERE p.id = u.product_id)
              ORDER BY u.id"
        ),
        [batch_id],
    )?;
    tx.execute(
        "DELETE FROM picture_fetches_undone WHERE batch_id = ?1",
        [batch_id],
    )?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Drops what was set aside for imports that can no longer be redone (a new edit discarded
/// them), so the table does not grow.
fn forget_discarded(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "DELETE FROM picture_fetches_undone WHERE batch_id IN
           (SELECT id FROM edit_batches WHERE state = 'discarded')",
        [],
    )?;
    Ok(())
}

/// Puts every failed picture back in the queue (after the merchant fixed a link or a server);
/// returns how many.
pub fn retry_failed(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<u32> {
    let n = tx.execute(
        "UPDATE picture_fetches SET state = 'waiting', failure = NULL, updated_at = ?1
          WHERE state = 'failed'",
        [stamp(now)],
    )?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The failure of job `id`, for the run's report.
pub fn failure_of(tx: &Transaction<'_>, id: i64) -> Result<Option<PictureFailure>> {
    let mut stmt = tx.prepare_cached(
        "SELECT f.product_id, p.title_en, f.url, f.row_number, f.column_name, f.failure
           FROM picture_fetches f JOIN products p ON p.id = f.product_id
          WHERE f.id = ?1 AND f.failure IS NOT NULL",
    )?;
    let row = stmt.query_row([id], read_failure).optional()?;
    row.transpose()
}

type FailureRow = Result<PictureFailure>;

fn read_failure(r: &rusqlite::Row<'_>) -> rusqlite::Result<FailureRow> {
    let product: ProductId = r.get(0)?;
    let product_title: String = r.get(1)?;
    let url: String = r.get(2)?;
    let row: u32 = r.get(3)?;
    let column: String = r.get(4)?;
    let json: String = r.get(5)?;
    Ok(serde_json::from_str::<FetchFailure>(&json)
        .map_err(|e| Error::Corrupt(format!("a picture download's failure: {e}")))
        .map(|failure| PictureFailure {
            product,
            product_title,
            url,
            message: failure.explain(row, &column),
            row,
            column,
            failure,
        }))
}

/// Where the queue stands, with the failures listed by row.
pub fn status(tx: &Transaction<'_>) -> Result<PictureStatus> {
    let (waiting, offline, done, failed): (i64, i64, i64, i64) = tx.query_row(
        "SELECT coalesce(sum(state = 'waiting'), 0),
                coalesce(sum(state = 'waiting' AND failure IS NOT NULL), 0),
                coalesce(sum(state IN ('fetched', 'done')), 0),
                coalesce(sum(state = 'failed'), 0)
           FROM picture_fetches",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let mut stmt = tx.prepare_cached(
        "SELECT f.product_id, p.title_en, f.url, f.row_number, f.column_name, f.failure
           FROM picture_fetches f JOIN products p ON p.id = f.product_id
          WHERE f.state = 'failed' ORDER BY f.row_number, f.id LIMIT ?1",
    )?;
    let failures = stmt
        .query_map([FAILURES_LISTED as i64], read_failure)?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    Ok(PictureStatus {
        waiting: count(waiting),
        waiting_for_connection: count(offline),
        done: count(done),
        failed: count(failed),
        failures,
    })
}
