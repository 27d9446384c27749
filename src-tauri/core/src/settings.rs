//! The merchant's preferences, kept in the data file so they travel with it.

use crate::Result;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

/// The languages Kanaal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Nl,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        match code {
            "nl" => Some(Language::Nl),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

const LANGUAGE: &str = "language";
const SHOP_NAME: &str = "shop_name";
const KOR: &str = "kor";

/// The language the merchant chose, if any (the UI follows the OS until then).
pub fn language(tx: &Transaction<'_>) -> Result<Option<Language>> {
    Ok(get(tx, LANGUAGE)?.as_deref().and_then(Language::from_code))
}

pub fn set_language(tx: &Transaction<'_>, language: Language) -> Result<()> {
    set(tx, LANGUAGE, language.code())
}

/// The shop's name as shown in the title bar; empty until the merchant (or the demo) sets it.
pub fn shop_name(tx: &Transaction<'_>) -> Result<String> {
    Ok(get(tx, SHOP_NAME)?.unwrap_or_default())
}

pub fn set_shop_name(tx: &Transaction<'_>, name: &str) -> Result<()> {
    set(tx, SHOP_NAME, name)
}

/// Whether the merchant uses the KOR (kleineondernemersregeling, the Dutch small-business
/// scheme): they charge no VAT and deduct none, so VAT on platform fees is a cost to them.
/// Off until the merchant says otherwise.
pub fn kor(tx: &Transaction<'_>) -> Result<bool> {
    Ok(get(tx, KOR)?.as_deref() == Some("true"))
}

pub fn set_kor(tx: &Transaction<'_>, on: bool) -> Result<()> {
    set(tx, KOR, if on { "true" } else { "false" })
}

fn get(tx: &Transaction<'_>, key: &str) -> Result<Option<String>> {
    Ok(tx
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

fn set(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
