//! Connecting the merchant's channels: the steps that touch both the store and the keyring, so
//! the desktop app and the CLI do them the same way. The secret goes to the OS keyring, only
//! its reference to SQLite; removing a channel deletes its secret too.

use crate::bol::{Bol, BolConfig};
use crate::channel::Channel;
use crate::credentials::{self, CredentialRef, Credentials};
use crate::model::{ChannelLimits, ConnectionInfo};
use crate::Failure;
use kanaal_core::channels::{self, ChannelRecord};
use kanaal_core::clock::Clock;
use kanaal_core::failure::{ConnectProblem, StoredFailure};
use kanaal_core::ids::ChannelId;
use kanaal_core::store::Store;
use kanaal_core::{Error, Result};
use std::sync::Arc;

/// The credential fields a channel kind needs, in the order to ask for them.
pub fn credential_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "bol" => &["client_id", "client_secret"],
        "shopify" => &["access_token"],
        _ => &[],
    }
}

fn keyring_error(e: credentials::CredentialError) -> Error {
    Error::invalid("credentials", e.to_string())
}

/// Adds a channel: the record (with a credential reference) and the secret in the keyring, both
/// or neither.
pub fn add_channel(
    store: &Store,
    kind: &str,
    name: &str,
    base_url: Option<&str>,
    creds: &Credentials,
    clock: &dyn Clock,
) -> Result<ChannelRecord> {
    for field in credential_fields(kind) {
        if creds
            .get(field)
            .is_none_or(|s| s.expose().trim().is_empty())
        {
            return Err(Error::invalid(
                *field,
                format!("{field} is needed to connect this channel"),
            ));
        }
    }
    if let Some(url) = base_url {
        crate::http::check_base_url(kind, url)
            .map_err(|f| Error::invalid("base URL", f.to_string()))?;
    }
    store.write(|tx| {
        let id = channels::add(tx, kind, name, base_url, clock.now())?;
        let reference = CredentialRef::for_channel(id.0, kind);
        channels::set_credential_ref(tx, id, Some(&reference.0))?;
        // Written last: if the keyring refuses, the transaction (and the record) is rolled back.
        credentials::store(&reference, creds).map_err(keyring_error)?;
        channels::get(tx, id)
    })
}

/// Makes sure the channel named `name` is a `kind` channel at `base_url` with `creds`: adds it,
/// or updates the address and the secret of the one there. For the demo, whose sandbox gets new
/// ports (and so a new address) at every start.
pub fn ensure_channel(
    store: &Store,
    kind: &str,
    name: &str,
    base_url: &str,
    creds: &Credentials,
    clock: &dyn Clock,
) -> Result<ChannelRecord> {
    let existing = store.read(|tx| channels::find(tx, name))?;
    let Some(record) = existing.filter(|r| r.kind == kind) else {
        return add_channel(store, kind, name, Some(base_url), creds, clock);
    };
    store.write(|tx| {
        channels::edit(tx, record.id, None, Some(Some(base_url)))?;
        let reference = CredentialRef::for_channel(record.id.0, kind);
        channels::set_credential_ref(tx, record.id, Some(&reference.0))?;
        credentials::store(&reference, creds).map_err(keyring_error)?;
        channels::get(tx, record.id)
    })
}

/// Removes a channel and deletes its secret from the keyring.
pub fn remove_channel(store: &Store, id: ChannelId) -> Result<ChannelRecord> {
    let record = store.write(|tx| channels::remove(tx, id))?;
    if let Some(r) = &record.credential_ref {
        credentials::delete(&CredentialRef(r.clone())).map_err(keyring_error)?;
    }
    Ok(record)
}

/// What a platform of this kind accepts (listing level, longest title, allowed attribute values),
/// without a login: the limits are the platform's, the same for every account. `None` for a
/// kind Kanaal has no connector for.
pub fn limits_of(kind: &str) -> Option<ChannelLimits> {
    match kind {
        "bol" => Some(crate::bol::limits()),
        "shopify" => Some(crate::shopify::limits()),
        _ => None,
    }
}

/// A live connector for a channel record, with its credentials from the keyring. Fails typed
/// (the window words it; `Display` gives the CLI's English).
pub fn connect(
    record: &ChannelRecord,
    clock: Arc<dyn Clock>,
) -> std::result::Result<Box<dyn Channel>, StoredFailure> {
    let not_connected = |problem| StoredFailure::NotConnected {
        channel: record.name.clone(),
        problem,
    };
    let reference = record
        .credential_ref
        .clone()
        .ok_or_else(|| not_connected(ConnectProblem::NoLogin))?;
    let creds = credentials::load(&CredentialRef(reference)).map_err(|e| {
        not_connected(match e {
            credentials::CredentialError::Missing => ConnectProblem::NoLogin,
            credentials::CredentialError::Keyring(error) => {
                ConnectProblem::KeyringUnavailable { error }
            }
            credentials::CredentialError::Damaged => ConnectProblem::LoginDamaged,
        })
    })?;
    match record.kind.as_str() {
        "bol" => {
            let api = record.base_url.as_deref().unwrap_or(crate::bol::API_BASE);
            let login = record.base_url.as_deref().unwrap_or(crate::bol::LOGIN_BASE);
            let bol = Bol::new(BolConfig::new(api, login, clock), &creds)?;
            Ok(Box::new(bol))
        }
        "shopify" => {
            // Every shop has its own address (https://<shop>.myshopify.com); there is no default.
            let base = record
                .base_url
                .as_deref()
                .ok_or_else(|| not_connected(ConnectProblem::NoShopAddress))?;
            let http = crate::http::HttpConfig::new("Shopify", base);
            let shop = crate::shopify::ShopifyChannel::from_credentials(http, &creds)?;
            Ok(Box::new(shop))
        }
        other => Err(not_connected(ConnectProblem::UnsupportedKind {
            platform: other.to_string(),
        })),
    }
}

/// Makes one cheap authenticated call and explains the outcome in plain words.
pub async fn test_connection(
    record: &ChannelRecord,
    clock: Arc<dyn Clock>,
) -> std::result::Result<ConnectionInfo, String> {
    let channel = connect(record, clock).map_err(|f| f.to_string())?;
    channel.check_connection().await.map_err(|f| explain(&f))
}

/// A failure of a connection test, in words that say what to do.
pub fn explain(f: &Failure) -> String {
    match f {
        Failure::BadCredentials { channel } => format!(
            "{channel} did not accept the login details. Check the client id and secret (or access token) in the {channel} seller settings and add the channel again."
        ),
        Failure::NetworkDown { channel } => {
            format!("Kanaal could not reach {channel}. Check the internet connection (and the base URL, if you set one).")
        }
        other => other.to_string(),
    }
}
