//! Channel secrets in the OS keyring (Secret Service on Linux, via the `keyring` crate with its
//! real backend), never in SQLite, logs or argv. SQLite holds only a [`CredentialRef`]: the
//! name of the keyring entry. A channel's credentials (bol.com: client id + secret; Shopify:
//! access token) are stored together as one entry.
//!
//! [`Secret`] hides its value from `Debug` and `Display`, so a secret printed by mistake shows
//! as `[hidden]`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The keyring service name all Kanaal entries share.
pub const SERVICE: &str = "kanaal";

/// A secret value. Read it with [`Secret::expose`] at the moment it is sent, nowhere else.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[hidden]")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[hidden]")
    }
}

/// The credentials of one channel, by field name ("client_id", "client_secret",
/// "access_token"; each connector documents its names).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials(BTreeMap<String, Secret>);

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Credentials {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn with(mut self, field: &str, value: impl Into<String>) -> Self {
        self.0.insert(field.to_string(), Secret::new(value));
        self
    }
    pub fn get(&self, field: &str) -> Option<&Secret> {
        self.0.get(field)
    }
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// The name of a keyring entry; this is what SQLite stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CredentialRef(pub String);

impl CredentialRef {
    /// The reference for a channel row, e.g. `channel-3-bol`.
    pub fn for_channel(channel_id: i64, kind: &str) -> Self {
        Self(format!("channel-{channel_id}-{kind}"))
    }
}

/// What can go wrong with the keyring, in words the merchant can act on.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("No login details are saved for this channel. Connect the channel again.")]
    Missing,
    #[error(
        "The system keyring could not be used ({0}). Unlock your keyring (on Linux: the \
         Secret Service, e.g. GNOME Keyring or KWallet) and try again."
    )]
    Keyring(String),
    #[error("The saved login details are damaged. Connect the channel again.")]
    Damaged,
}

fn entry(reference: &CredentialRef) -> Result<keyring::Entry, CredentialError> {
    keyring::Entry::new(SERVICE, &reference.0).map_err(keyring_error)
}

fn keyring_error(e: keyring::Error) -> CredentialError {
    match e {
        keyring::Error::NoEntry => CredentialError::Missing,
        // The keyring's own messages never contain the secret.
        other => CredentialError::Keyring(other.to_string()),
    }
}

/// Saves (or replaces) a channel's credentials.
pub fn store(reference: &CredentialRef, credentials: &Credentials) -> Result<(), CredentialError> {
    let text = serde_json::to_string(credentials).map_err(|_| CredentialError::Damaged)?;
    entry(reference)?.set_password(&text).map_err(keyring_error)
}

/// Reads a channel's credentials.
pub fn load(reference: &CredentialRef) -> Result<Credentials, CredentialError> {
    let text = entry(reference)?.get_password().map_err(keyring_error)?;
    serde_json::from_str(&text).map_err(|_| CredentialError::Damaged)
}

/// Deletes a channel's credentials; deleting what is not there succeeds.
pub fn delete(reference: &CredentialRef) -> Result<(), CredentialError> {
    match entry(reference)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_or_display() {
        let c = Credentials::new().with("client_secret", "s3cr3t-value");
        let shown = format!(
            "{c:?} {:?} {}",
            c.get("client_secret").unwrap(),
            c.get("client_secret").unwrap()
        );
        assert!(
            !shown.contains("s3cr3t-value"),
            "secret leaked into formatting: {shown}"
        );
        assert!(
            shown.contains("client_secret"),
            "field names are fine to show: {shown}"
        );
    }

    /// Needs the real Secret Service: run inside scripts/with-keyring.sh.
    #[test]
    fn credentials_round_trip_through_the_os_keyring_and_delete_removes_them() {
        let r = CredentialRef(format!("test-roundtrip-{}", std::process::id()));
        let c = Credentials::new()
            .with("client_id", "id-1")
            .with("client_secret", "secret-1");
        store(&r, &c).unwrap();
        assert_eq!(load(&r).unwrap(), c, "what is stored is what comes back");
        delete(&r).unwrap();
        assert!(
            matches!(load(&r), Err(CredentialError::Missing)),
            "deleted entry is gone"
        );
        delete(&r).unwrap();
    }
}
