//! Product images as content-addressed files in the data folder: `images/ab/abcdef….svg`, named
//! by the SHA-256 of their bytes. The same picture stored twice is one file; a file is written
//! to a temporary name and renamed, so a crash never leaves half an image under a real name.

use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Image kinds Kanaal stores, by MIME type and file extension.
const KINDS: [(&str, &str); 4] = [
    ("image/svg+xml", "svg"),
    ("image/png", "png"),
    ("image/jpeg", "jpg"),
    ("image/webp", "webp"),
];

/// The folder inside the data folder that holds image files.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("images")
}

fn extension(mime: &str) -> Result<&'static str> {
    KINDS
        .iter()
        .find(|(m, _)| *m == mime)
        .map(|(_, e)| *e)
        .ok_or_else(|| {
            Error::invalid(
                "image",
                format!("{mime} pictures are not supported: use PNG, JPEG, WebP or SVG"),
            )
        })
}

/// `true` for a string that can be an image hash (64 lower-case hex digits); keeps paths safe.
pub fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Path of the stored file for `hash` with `mime`.
pub fn path_of(data_dir: &Path, hash: &str, mime: &str) -> Result<PathBuf> {
    if !is_hash(hash) {
        return Err(Error::invalid(
            "image",
            format!("'{hash}' is not an image id"),
        ));
    }
    Ok(dir(data_dir)
        .join(&hash[..2])
        .join(format!("{hash}.{}", extension(mime)?)))
}

/// Stores `bytes` (if not already there) and records it; returns the hash.
pub fn put(
    tx: &Transaction<'_>,
    data_dir: &Path,
    bytes: &[u8],
    mime: &str,
    size: Option<(u32, u32)>,
    now: DateTime<Utc>,
) -> Result<String> {
    let hash = hex(&Sha256::digest(bytes));
    let path = path_of(data_dir, &hash, mime)?;
    if !path.exists() {
        let parent = path.parent().unwrap_or(data_dir);
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let tmp = path.with_extension("partial");
        std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
    }
    tx.execute(
        "INSERT INTO images (hash, mime, bytes, width, height, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (hash) DO NOTHING",
        params![
            hash,
            mime,
            bytes.len() as i64,
            size.map(|s| s.0),
            size.map(|s| s.1),
            now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        ],
    )?;
    Ok(hash)
}

/// Reads a stored image: its MIME type and bytes, or `None` when unknown.
pub fn read(
    tx: &Transaction<'_>,
    data_dir: &Path,
    hash: &str,
) -> Result<Option<(String, Vec<u8>)>> {
    if !is_hash(hash) {
        return Ok(None);
    }
    let mime: Option<String> = tx
        .query_row("SELECT mime FROM images WHERE hash = ?1", [hash], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(mime) = mime else { return Ok(None) };
    let path = path_of(data_dir, hash, &mime)?;
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    Ok(Some((mime, bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
