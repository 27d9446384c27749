//! The merchant's channels as records in the `channels` table: add, list, pause/resume, edit,
//! remove. A record holds the kind, a name, settings (such as the API base URL) and a
//! *reference* to the credentials in the OS keyring — never a secret. Storing and deleting the
//! secret itself is the caller's part (kanaal-channels::credentials), because this crate does
//! not talk to the keyring or the network.

use crate::channel_kind;
use crate::ids::ChannelId;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

/// A channel the merchant has set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRecord {
    pub id: ChannelId,
    /// The kind's code (`bol`, `shopify`); see [`channel_kind`].
    pub kind: String,
    pub name: String,
    /// The API base URL when not the platform's own (the sandbox), else `None`.
    pub base_url: Option<String>,
    /// Name of the keyring entry holding the credentials.
    pub credential_ref: Option<String>,
    /// False while paused: nothing is sent or fetched.
    pub enabled: bool,
    pub created_at: String,
}

/// Who Kanaal is connected as on a channel, as a connection test found it: typed, so the window
/// words it in the merchant's language (the CLI prints [`std::fmt::Display`]'s English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Account {
    /// bol.com: the API client the credentials belong to (bol's API does not tell the
    /// retailer's own name).
    BolClient { client_id: String },
    /// Shopify: the shop's name and its `myshopify.com` domain.
    ShopifyShop { name: String, domain: String },
}

impl std::fmt::Display for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Account::BolClient { client_id } => {
                write!(f, "bol.com retailer with API client {client_id}")
            }
            Account::ShopifyShop { name, domain } => write!(f, "Shopify shop {name} ({domain})"),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Settings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base_url: Option<String>,
}

fn settings_json(base_url: Option<&str>) -> Result<String> {
    serde_json::to_string(&Settings {
        base_url: base_url.map(str::to_string),
    })
    .map_err(|e| Error::Corrupt(e.to_string()))
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid(
            "name",
            "give the channel a name, such as \"bol.com winkel\"",
        ));
    }
    Ok(name.to_string())
}

/// Adds a channel of `kind` named `name`. Names are unique so the CLI can find channels by name.
pub fn add(
    tx: &Transaction<'_>,
    kind: &str,
    name: &str,
    base_url: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ChannelId> {
    if channel_kind::by_code(kind).is_none() {
        let known: Vec<&str> = channel_kind::ALL.iter().map(|k| k.code).collect();
        return Err(Error::invalid(
            "kind",
            format!(
                "'{kind}' is not a channel Kanaal knows; choose one of {}",
                known.join(", ")
            ),
        ));
    }
    let name = check_name(name)?;
    if find(tx, &name)?.is_some() {
        return Err(Error::invalid(
            "name",
            format!("there is already a channel named \"{name}\"; choose another name"),
        ));
    }
    tx.execute(
        "INSERT INTO channels (kind, name, settings, credential_ref, enabled, created_at) VALUES (?1, ?2, ?3, NULL, 1, ?4)",
        params![kind, name, settings_json(base_url)?, now.to_rfc3339()],
    )?;
    Ok(ChannelId(tx.last_insert_rowid()))
}

/// Records where the channel's credentials are kept (a keyring entry name, never the secret).
pub fn set_credential_ref(
    tx: &Transaction<'_>,
    id: ChannelId,
    reference: Option<&str>,
) -> Result<()> {
    let n = tx.execute(
        "UPDATE channels SET credential_ref = ?1 WHERE id = ?2",
        params![reference, id],
    )?;
    if n == 0 {
        return Err(Error::NotFound(format!("Channel {id}")));
    }
    Ok(())
}

/// The columns of one `channels` row, in `COLUMNS` order.
type Row = (
    ChannelId,
    String,
    String,
    String,
    Option<String>,
    bool,
    String,
);

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn record(t: Row) -> Result<ChannelRecord> {
    let settings: Settings =
        serde_json::from_str(&t.3).map_err(|e| Error::Corrupt(format!("channel settings: {e}")))?;
    Ok(ChannelRecord {
        id: t.0,
        kind: t.1,
        name: t.2,
        base_url: settings.base_url,
        credential_ref: t.4,
        enabled: t.5,
        created_at: t.6,
    })
}

const COLUMNS: &str = "id, kind, name, settings, credential_ref, enabled, created_at";

/// Every channel, in the order they were added.
pub fn list(tx: &Transaction<'_>) -> Result<Vec<ChannelRecord>> {
    let mut st = tx.prepare(&format!("SELECT {COLUMNS} FROM channels ORDER BY id"))?;
    let rows = st
        .query_map([], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(record).collect()
}

pub fn get(tx: &Transaction<'_>, id: ChannelId) -> Result<ChannelRecord> {
    let t = tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM channels WHERE id = ?1"),
            params![id],
            row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Channel {id}")))?;
    record(t)
}

/// The channel with this name, if any.
pub fn find(tx: &Transaction<'_>, name: &str) -> Result<Option<ChannelRecord>> {
    let t = tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM channels WHERE name = ?1"),
            params![name.trim()],
            row,
        )
        .optional()?;
    t.map(record).transpose()
}

/// Pauses (false) or resumes (true) a channel.
pub fn set_enabled(tx: &Transaction<'_>, id: ChannelId, enabled: bool) -> Result<()> {
    let n = tx.execute(
        "UPDATE channels SET enabled = ?1 WHERE id = ?2",
        params![enabled, id],
    )?;
    if n == 0 {
        return Err(Error::NotFound(format!("Channel {id}")));
    }
    Ok(())
}

/// Renames a channel and/or changes its base URL (`Some(None)` clears it).
pub fn edit(
    tx: &Transaction<'_>,
    id: ChannelId,
    name: Option<&str>,
    base_url: Option<Option<&str>>,
) -> Result<()> {
    let current = get(tx, id)?;
    let name = match name {
        Some(n) => {
            let n = check_name(n)?;
            if find(tx, &n)?.is_some_and(|c| c.id != id) {
                return Err(Error::invalid(
                    "name",
                    format!("there is already a channel named \"{n}\"; choose another name"),
                ));
            }
            n
        }
        None => current.name,
    };
    let base = base_url.map_or(current.base_url.clone(), |b| b.map(str::to_string));
    tx.execute(
        "UPDATE channels SET name = ?1, settings = ?2 WHERE id = ?3",
        params![name, settings_json(base.as_deref())?, id],
    )?;
    Ok(())
}

/// Removes a channel and everything Kanaal holds for it (listings, rules); returns the record
/// so the caller can delete the keyring entry it names.
pub fn remove(tx: &Transaction<'_>, id: ChannelId) -> Result<ChannelRecord> {
    let r = get(tx, id)?;
    tx.execute("DELETE FROM channels WHERE id = ?1", params![id])?;
    Ok(r)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn channels_are_added_paused_edited_and_removed_with_only_a_reference_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-02T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let id = store
            .write(|tx| add(tx, "bol", "Mijn bol", Some("http://127.0.0.1:9"), now))
            .unwrap();
        store
            .write(|tx| set_credential_ref(tx, id, Some("channel-1-bol")))
            .unwrap();
        assert!(
            store
                .write(|tx| add(tx, "bol", " Mijn bol ", None, now))
                .is_err(),
            "names are unique"
        );
        assert!(
            store.write(|tx| add(tx, "ebay", "x", None, now)).is_err(),
            "unknown kinds refused"
        );

        store.write(|tx| set_enabled(tx, id, false)).unwrap();
        store
            .write(|tx| edit(tx, id, Some("bol.com winkel"), Some(None)))
            .unwrap();
        let all = store.read(list).unwrap();
        assert_eq!(all.len(), 1);
        let c = &all[0];
        assert_eq!(
            (
                c.kind.as_str(),
                c.name.as_str(),
                c.enabled,
                c.base_url.as_deref()
            ),
            ("bol", "bol.com winkel", false, None)
        );
        assert_eq!(c.credential_ref.as_deref(), Some("channel-1-bol"));

        let removed = store.write(|tx| remove(tx, id)).unwrap();
        assert_eq!(
            removed.credential_ref.as_deref(),
            Some("channel-1-bol"),
            "caller learns which secret to delete"
        );
        assert!(store.read(list).unwrap().is_empty());
        assert!(matches!(
            store.write(|tx| set_enabled(tx, id, true)),
            Err(Error::NotFound(_))
        ));
    }
}
