//! Product images as content-addressed files in the data folder: `images/ab/abcdef….svg`, named
//! by the SHA-256 of their bytes. The same picture stored twice is one file; a file is written
//! to a temporary name and renamed, so a crash never leaves half an image under a real name.

use crate::problem::InputProblem;
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
            Error::Input(InputProblem::PictureType {
                mime: mime.to_string(),
            })
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

/// The largest picture file Kanaal takes in (a phone photo is 3–12 MB).
pub const MAX_PICTURE_BYTES: usize = 40 * 1024 * 1024;

/// The longest side of a thumbnail, in pixels: sharp in the grid and the editor on a 2× screen.
pub const THUMB_SIZE: u32 = 320;

/// A picture as stored: the original and, for a raster picture larger than a thumbnail, the
/// small copy lists show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct StoredPicture {
    pub hash: String,
    /// The thumbnail's hash; `None` for an SVG or a picture already thumbnail-sized.
    pub thumb: Option<String>,
    pub mime: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    (head.starts_with("<svg") || head.starts_with("<?xml")) && head.contains("<svg")
}

/// Takes in a picture file the merchant chose (PNG, JPEG, WebP or SVG, recognised by its
/// content, not its name): stores it content-addressed and, for a large raster picture, a
/// thumbnail beside it. Storing the same picture twice stores it once.
pub fn put_picture(
    tx: &Transaction<'_>,
    data_dir: &Path,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<StoredPicture> {
    if bytes.len() > MAX_PICTURE_BYTES {
        let megabytes = |n: usize| u32::try_from(n / (1024 * 1024)).unwrap_or(u32::MAX);
        return Err(Error::Input(InputProblem::PictureTooLarge {
            megabytes: megabytes(bytes.len()),
            max_megabytes: megabytes(MAX_PICTURE_BYTES),
        }));
    }
    if looks_like_svg(bytes) {
        let hash = put(tx, data_dir, bytes, "image/svg+xml", None, now)?;
        return Ok(StoredPicture {
            hash,
            thumb: None,
            mime: "image/svg+xml".into(),
            width: None,
            height: None,
        });
    }
    let unreadable = || Error::Input(InputProblem::NotAPicture);
    let format = image::guess_format(bytes).map_err(|_| unreadable())?;
    let mime = match format {
        image::ImageFormat::Png => "image/png",
        image::ImageFormat::Jpeg => "image/jpeg",
        image::ImageFormat::WebP => "image/webp",
        _ => return Err(unreadable()),
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    // A hostile or broken file must not make the app allocate gigabytes.
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader.decode().map_err(|e| {
        Error::Input(InputProblem::PictureDamaged {
            detail: e.to_string(),
        })
    })?;
    let (width, height) = (picture.width(), picture.height());
    let hash = put(tx, data_dir, bytes, mime, Some((width, height)), now)?;
    let mut thumb = None;
    if width.max(height) > THUMB_SIZE {
        let small = picture.thumbnail(THUMB_SIZE, THUMB_SIZE);
        let mut out = std::io::Cursor::new(Vec::new());
        // Photos compress well as JPEG; keep PNG where the picture is see-through.
        let (thumb_mime, result) = if small.color().has_alpha() {
            (
                "image/png",
                small.write_to(&mut out, image::ImageFormat::Png),
            )
        } else {
            let rgb = image::DynamicImage::ImageRgb8(small.to_rgb8());
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
            ("image/jpeg", rgb.write_with_encoder(encoder))
        };
        result.map_err(|e| Error::Corrupt(format!("making a thumbnail: {e}")))?;
        let bytes = out.into_inner();
        let t = put(
            tx,
            data_dir,
            &bytes,
            thumb_mime,
            Some((small.width(), small.height())),
            now,
        )?;
        tx.execute(
            "UPDATE images SET thumb_hash = ?1 WHERE hash = ?2",
            params![t, hash],
        )?;
        thumb = Some(t);
    }
    Ok(StoredPicture {
        hash,
        thumb,
        mime: mime.into(),
        width: Some(width),
        height: Some(height),
    })
}
