//! Importing reviews from a CSV file (a platform portal's export, or a merchant's own list) into
//! the store's `reviews` table, for one channel.
//!
//! Columns (header names, any order, `,` or `;` as Dutch Excel saves): `text` (required),
//! optional `lang`, `rating` (1–5 stars), `date`, `author`, `id`, `title`; `channel` and unknown
//! columns are ignored (the channel is chosen by the caller). Every bad row is reported with its
//! row number (the header is row 1), the column and what to do; nothing is written when any row
//! is bad unless the caller asks to import the valid rows only. A review is keyed by (channel,
//! `id`), or by a hash of its content when the file has no id, so importing the same file twice
//! adds nothing the second time. This module writes only `reviews`.

use super::lang;
use super::Lang;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use kanaal_core::catalog::csv::read_table;
use kanaal_core::{Error, Result};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// What to do when some rows are bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Import nothing when any row is bad.
    AllOrNothing,
    /// Import the good rows, report the bad ones.
    ValidOnly,
}

/// One bad row: where, and what the merchant should do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadRow {
    /// Row number in the file; the header is row 1.
    pub row: u64,
    pub column: String,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Data rows in the file.
    pub rows: u64,
    /// New reviews written.
    pub imported: u64,
    /// Rows already in the store (same channel and id, or same content).
    pub already_present: u64,
    pub bad: Vec<BadRow>,
    /// Whether anything was written (false when all-or-nothing met a bad row).
    pub committed: bool,
}

struct Review {
    remote_id: String,
    rating: Option<i64>,
    title: String,
    body: String,
    language: Option<String>,
    author: Option<String>,
    created_at: String,
}

/// Imports `bytes` (a CSV file) as reviews of channel `channel_id`, in the caller's
/// transaction. `now` dates reviews whose file has no `date`.
pub fn import_reviews(
    tx: &Transaction<'_>,
    channel_id: i64,
    bytes: &[u8],
    mode: Mode,
    now: DateTime<Utc>,
) -> Result<ImportReport> {
    let exists: Option<i64> = tx
        .query_row(
            "SELECT id FROM channels WHERE id = ?1",
            params![channel_id],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        return Err(Error::invalid(
            "channel",
            format!("there is no channel {channel_id}; `kanaal channel list` shows the numbers"),
        ));
    }
    // The catalog's reader: BOM, UTF-8 or Windows-1252 (Dutch Excel), `,`/`;`/tab, spreadsheet
    // row numbers.
    let table = read_table(bytes)?;
    let headers = &table.headers;
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let Some(text_col) = col("text") else {
        return Err(Error::invalid(
            "file",
            "there is no `text` column: the first row must name the columns, one of them `text`",
        ));
    };
    let cols = (
        col("lang"),
        col("rating"),
        col("date"),
        col("author"),
        col("id"),
        col("title"),
    );
    let mut report = ImportReport::default();
    let mut good: Vec<Review> = Vec::new();
    let mut ids_seen: HashMap<String, u64> = HashMap::new();
    for rec in &table.rows {
        let row = u64::from(rec.number);
        report.rows += 1;
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.cells.get(c))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let mut bad = |column: &str, message: String| {
            report.bad.push(BadRow {
                row,
                column: column.into(),
                message,
            })
        };
        let body = get(Some(text_col)).to_string();
        let title = get(cols.5).to_string();
        let mut ok = true;
        if body.is_empty() && title.is_empty() {
            bad(
                "text",
                "the review text is empty; fill it in or delete the row".into(),
            );
            ok = false;
        }
        let language = match get(cols.0) {
            "" => {
                let lower = format!("{title} {body}").to_lowercase();
                lang::detect(lower.split_whitespace()).map(|l| l.code().to_string())
            }
            l => match l.parse::<Lang>() {
                Ok(l) => Some(l.code().to_string()),
                Err(_) => {
                    bad("lang", format!("'{l}' is not a language Kanaal scores; write nl or en, or leave it empty to detect it"));
                    ok = false;
                    None
                }
            },
        };
        let rating = match get(cols.1) {
            "" => None,
            r => match parse_stars(r) {
                Some(s) => Some(s),
                None => {
                    bad("rating", format!("'{r}' is not a star rating; write a whole number from 1 to 5, or leave it empty"));
                    ok = false;
                    None
                }
            },
        };
        let created_at = match get(cols.2) {
            "" => now.to_rfc3339(),
            d => match parse_date(d) {
                Some(d) => d.to_rfc3339(),
                None => {
                    bad("date", format!("'{d}' is not a date Kanaal reads; write it as 2026-03-05 or 05-03-2026"));
                    ok = false;
                    String::new()
                }
            },
        };
        let author = Some(get(cols.3).to_string()).filter(|a| !a.is_empty());
        let id = get(cols.4).to_string();
        if !id.is_empty() {
            if let Some(first) = ids_seen.insert(id.clone(), row) {
                bad("id", format!("id '{id}' is also on row {first}; give each review its own id, or delete the duplicate"));
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        let remote_id = if id.is_empty() {
            content_id(&title, &body, rating, get(cols.2), author.as_deref())
        } else {
            id
        };
        good.push(Review {
            remote_id,
            rating,
            title,
            body,
            language,
            author,
            created_at,
        });
    }
    if !report.bad.is_empty() && mode == Mode::AllOrNothing {
        return Ok(report);
    }
    let mut st = tx.prepare(
        "INSERT INTO reviews (channel_id, remote_id, rating, title, body, language, author, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (channel_id, remote_id) DO NOTHING",
    )?;
    for r in &good {
        let n = st.execute(params![
            channel_id,
            r.remote_id,
            r.rating,
            r.title,
            r.body,
            r.language,
            r.author,
            r.created_at
        ])?;
        if n == 1 {
            report.imported += 1;
        } else {
            report.already_present += 1;
        }
    }
    report.committed = true;
    Ok(report)
}

/// `sha256:` and 16 hex digits of the review's content: the key of a review without an id.
fn content_id(
    title: &str,
    body: &str,
    rating: Option<i64>,
    date: &str,
    author: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    for part in [
        title,
        body,
        &rating.map(|r| r.to_string()).unwrap_or_default(),
        date,
        author.unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let d = h.finalize();
    let hex: String = d[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Stars 1–5, also written as `4.0`, `4,0` or `4/5`.
fn parse_stars(s: &str) -> Option<i64> {
    let s = s.strip_suffix("/5").unwrap_or(s).trim().replace(',', ".");
    let x: f64 = s.parse().ok()?;
    (x.fract() == 0.0 && (1.0..=5.0).contains(&x)).then_some(x as i64)
}

/// RFC 3339, `2026-03-05`, `2026-03-05 14:30`, Dutch `05-03-2026` or `05/03/2026`.
fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc());
        }
    }
    for f in ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return d.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
        }
    }
    None
}
