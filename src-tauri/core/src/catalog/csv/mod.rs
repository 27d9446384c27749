//! Importing and exporting the catalog as the CSV files merchants already have: Shopify's and
//! WooCommerce's product exports, also after a round through Dutch Excel.
//!
//! Why it is built this way:
//! - **Report before commit.** [`parse`] reads a file into a [`Plan`] without touching the
//!   store: the products whose rows are all valid, and a [`RowProblem`] (row as the
//!   spreadsheet shows it, column, value, what to do) for everything else. [`import`] then
//!   checks the plan against the catalog and writes it in one transaction. In
//!   [`Mode::AllOrNothing`] any problem means nothing is written; in [`Mode::ValidRowsOnly`] a
//!   product with any bad row is left out whole, never half. A dry run does all of it, including
//!   the writes, and rolls back, so its report is exactly what the real import would do.
//! - **Re-import updates, never duplicates.** Products are matched by handle (Shopify) or SKU
//!   (WooCommerce) and variants by SKU; only fields that differ are written, each with an audit
//!   row under one batch id and a `change_counter` bump in the same statement. Importing the same
//!   file twice changes nothing the second time.
//! - **Columns the file lacks are kept.** As Shopify does, a column missing from the header
//!   leaves that field as the catalog has it; an empty cell in a present column clears it.
//! - **What CSV cannot carry is said, not guessed.** Images arrive as web addresses; the core
//!   does not download, so a committed import queues them (in its own transaction) for the
//!   downloader to add afterwards ([`crate::picture_queue`]). Shopify says only
//!   whether a variant is taxed, so a new variant gets 21 % and an existing one keeps its rate.
//!
//! Architecture invariant: this module knows the two file formats and the catalog's tables;
//! it knows nothing of the UI, of platform APIs, or of where the bytes came from.

mod apply;
mod columns;
mod decode;
mod fields;
pub mod plan;
pub mod problems;
mod resolve;
mod shopify;
mod snapshot;
mod update;
mod woo;

pub use decode::{read_table, Row as TableRow, Table};
pub use plan::{Plan, PlannedPicture, PlannedProduct, PlannedVariant, Update, VatUpdate};
pub use problems::{ProblemKind, RowProblem, Severity};

use crate::catalog::Source;
use crate::problem::InputProblem;
use crate::settings::Language;
use crate::store::Store;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Which platform's product CSV a file is (or is to be written as).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Recognise the format from the header row (import only).
    Auto,
    Shopify,
    #[serde(rename = "woocommerce")]
    WooCommerce,
}

/// What to do with a file that has problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Any problem: write nothing, report everything.
    AllOrNothing,
    /// Write every product whose rows are all valid; leave out the others whole.
    ValidRowsOnly,
}

/// What an import did (or, for a dry run or a refused all-or-nothing import, what it found).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// The format the file was read as.
    pub format: Format,
    pub dry_run: bool,
    /// `true` when the changes were saved; `false` for a dry run or a refused import.
    pub committed: bool,
    /// Products created (or that would be, in a dry run).
    pub created: u32,
    /// Existing products with at least one changed field or variant.
    pub updated: u32,
    /// Existing products the file matches exactly.
    pub unchanged: u32,
    /// Data rows not imported: bad rows, rows of products left out, notices.
    pub skipped_rows: u32,
    pub categories_created: u32,
    /// Picture addresses in the imported products. The import itself does not download them:
    /// a committed import queues them and the picture download adds them afterwards.
    pub picture_addresses: u32,
    /// The audit batch id of the changes, when they were saved.
    pub batch_id: Option<String>,
    pub problems: Vec<RowProblem>,
}

/// Reads a file into a plan without touching the store. Fails only when the bytes are not a
/// table, or (with [`Format::Auto`]) are neither a Shopify nor a WooCommerce product export.
pub fn parse(bytes: &[u8], format: Format) -> Result<Plan> {
    let grid = decode::read_grid(bytes)?;
    let table = grid.sheet();
    let format = match format {
        Format::Auto => detect(table.headers)?,
        f => f,
    };
    Ok(match format {
        Format::WooCommerce => woo::read(&table),
        Format::Shopify | Format::Auto => shopify::read(&table),
    })
}

fn detect(headers: &[String]) -> Result<Format> {
    if shopify::looks_like(headers) {
        Ok(Format::Shopify)
    } else if woo::looks_like(headers) {
        Ok(Format::WooCommerce)
    } else {
        Err(Error::Input(InputProblem::NotAProductExport))
    }
}

/// Imports a product CSV into the catalog in one transaction and reports what happened.
///
/// `source` is recorded in the audit log (normally [`Source::Import`]). With `dry_run` the
/// import runs completely and is rolled back. Problems in the file are in the report, not an
/// `Err`; an `Err` means the file could not be read at all or the store failed.
pub fn import(
    store: &Store,
    bytes: &[u8],
    format: Format,
    mode: Mode,
    dry_run: bool,
    now: DateTime<Utc>,
    source: Source,
) -> Result<ImportReport> {
    let mut plan = parse(bytes, format)?;
    let mut rolled_back: Option<ImportReport> = None;
    let written = store.write(|tx| {
        // Numbered on the undo stack, so the same file imported twice at one moment (a test's
        // fixed clock, a double click) is still two batches.
        let seq: i64 = tx.query_row(
            "SELECT coalesce(max(seq), 0) + 1 FROM edit_batches",
            [],
            |r| r.get(0),
        )?;
        let batch_id = format!("{}-{seq}", batch_id(bytes, now));
        let stamp = apply::Stamp {
            now,
            source,
            batch_id: &batch_id,
        };
        let outcome = apply::apply(tx, &mut plan, mode, &stamp)?;
        let committed = !dry_run && !outcome.failed;
        let report = report(&plan, &outcome, dry_run, committed, &batch_id);
        if committed {
            let lang = crate::settings::language(tx)?.unwrap_or(Language::Nl);
            undoable(tx, &batch_id, &report, lang, now, source)?;
            crate::picture_queue::enqueue(tx, &plan, &batch_id, now)?;
            Ok(report)
        } else {
            rolled_back = Some(report);
            // Leaving with an error rolls the transaction back.
            Err(Error::Cancelled)
        }
    });
    match (written, rolled_back) {
        (Ok(report), _) => Ok(report),
        (Err(Error::Cancelled), Some(report)) => Ok(report),
        (Err(e), _) => Err(e),
    }
}

/// Puts a committed import on the undo stack as one batch, like a bulk edit: undo takes every
/// change back and removes what it created; a new edit discards what could still be redone.
fn undoable(
    tx: &rusqlite::Transaction<'_>,
    batch_id: &str,
    report: &ImportReport,
    lang: Language,
    now: DateTime<Utc>,
    source: Source,
) -> Result<()> {
    let changes: i64 = tx.query_row(
        "SELECT count(*) FROM audit_log WHERE batch_id = ?1",
        [batch_id],
        |r| r.get(0),
    )?;
    if changes == 0 {
        return Ok(());
    }
    let label = match lang {
        Language::Nl => format!(
            "Import: {} nieuw, {} gewijzigd",
            report.created, report.updated
        ),
        Language::En => format!("Import: {} new, {} changed", report.created, report.updated),
    };
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    tx.execute(
        "UPDATE edit_batches SET state = 'discarded' WHERE state = 'undone'",
        [],
    )?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO edit_batches (id, seq, at, source, label, changes, state, changed_at)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM edit_batches), ?2, ?3, ?4, ?5, 'done', ?2)",
    )?;
    stmt.execute(rusqlite::params![
        batch_id,
        at,
        source.code(),
        label,
        changes
    ])?;
    Ok(())
}

/// Writes the catalog as a product CSV for `format` (UTF-8, comma separated, amounts with a
/// dot), in the shop's language, for the platform to import.
pub fn export(store: &Store, format: Format) -> Result<Vec<u8>> {
    let catalog = store.read(snapshot::load)?;
    match format {
        Format::Shopify => shopify::write(&catalog),
        Format::WooCommerce => woo::write(&catalog),
        Format::Auto => Err(Error::Input(InputProblem::ExportFormatNeeded)),
    }
}

fn report(
    plan: &Plan,
    outcome: &apply::Outcome,
    dry_run: bool,
    committed: bool,
    batch_id: &str,
) -> ImportReport {
    let refused = outcome.failed;
    let count = |n: u32| if refused { 0 } else { n };
    let images: usize = plan.products.iter().map(|p| p.pictures.len()).sum();
    ImportReport {
        format: plan.format,
        dry_run,
        committed,
        created: count(outcome.created),
        updated: count(outcome.updated),
        unchanged: count(outcome.unchanged),
        skipped_rows: if refused {
            plan.data_rows
        } else {
            plan.skipped_rows()
        },
        categories_created: count(outcome.categories_created),
        picture_addresses: count(u32::try_from(images).unwrap_or(u32::MAX)),
        batch_id: committed.then(|| batch_id.to_string()),
        problems: plan.problems.clone(),
    }
}

/// A failure while writing CSV into memory; it cannot come from the catalog's data.
fn write_error(e: ::csv::Error) -> Error {
    Error::Corrupt(format!("writing the CSV file: {e}"))
}

/// A batch id that is the same for one file imported at one moment: the time and a digest of
/// the bytes (the core takes no randomness it is not given).
fn batch_id(bytes: &[u8], now: DateTime<Utc>) -> String {
    let digest = Sha256::digest(bytes);
    let short: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("import-{}-{short}", now.format("%Y%m%dT%H%M%S%.3fZ"))
}
