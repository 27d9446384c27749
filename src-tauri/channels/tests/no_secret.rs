//! A channel's secret goes to the OS keyring and nowhere else: after adding a bol.com channel,
//! testing the connection and using it against the sandbox, neither the SQLite files nor the
//! log output contain the secret (plain or as the Basic-auth header it is sent in).
//! Needs the real Secret Service: run inside scripts/with-keyring.sh.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64_probe::encode;
use kanaal_channels::account;
use kanaal_channels::credentials::{self, CredentialRef, Credentials};
use kanaal_core::clock::SystemClock;
use kanaal_core::store::Store;
use kanaal_sandbox::{Sandbox, SandboxConfig};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Basic auth's base64, written out here so the test does not trust the code it checks.
mod base64_probe {
    pub fn encode(bytes: &[u8]) -> String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in bytes.chunks(3) {
            let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= c.len() {
                    out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn no_secret_reaches_the_database_file_or_the_logs() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (secret, client_id, db_files) = rt.block_on(async {
        let sandbox = Sandbox::start(SandboxConfig {
            seed: 21,
            speed: 0.0,
            ..SandboxConfig::default()
        })
        .await
        .unwrap();
        let info = sandbox.platform("bol").unwrap().clone();
        let secret = info.credentials["client_secret"].clone();
        let client_id = info.credentials["client_id"].clone();
        let store = Store::open(dir.path()).unwrap();
        let creds = Credentials::new()
            .with("client_id", &client_id)
            .with("client_secret", &secret);
        let record = account::add_channel(
            &store,
            "bol",
            "Mijn bol.com",
            Some(&info.base_url),
            &creds,
            &SystemClock,
        )
        .unwrap();
        tracing::info!(?record, ?creds, "channel added");

        let reference = CredentialRef(record.credential_ref.clone().unwrap());
        assert_eq!(
            credentials::load(&reference).unwrap(),
            creds,
            "the secret is in the keyring"
        );

        let connected = account::test_connection(&record, Arc::new(SystemClock))
            .await
            .unwrap();
        tracing::info!(?connected, "tested");
        let channel = account::connect(&record, Arc::new(SystemClock)).unwrap();
        channel.orders_since(None).await.unwrap();
        let wrong = Credentials::new()
            .with("client_id", &client_id)
            .with("client_secret", "wrong");
        credentials::store(&reference, &wrong).unwrap();
        let explained = account::test_connection(&record, Arc::new(SystemClock))
            .await
            .unwrap_err();
        tracing::warn!(%explained, "test failed as expected");
        assert!(
            explained.contains("did not accept the login details"),
            "plain words: {explained}"
        );
        credentials::store(&reference, &creds).unwrap();

        let files: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("kanaal.db")
            })
            .collect();
        drop(store);
        account_cleanup(&reference);
        sandbox.shutdown().await;
        (secret, client_id, files)
    });

    let basic = encode(format!("{client_id}:{secret}").as_bytes());
    assert!(!db_files.is_empty(), "the database file exists");
    for f in &db_files {
        let bytes = std::fs::read(f).unwrap_or_default();
        assert!(
            !contains(&bytes, &secret),
            "secret found in {}",
            f.display()
        );
        assert!(
            !contains(&bytes, &basic),
            "basic-auth header found in {}",
            f.display()
        );
        if f.extension().is_none() {
            assert!(
                contains(&bytes, "channel-1-bol"),
                "the reference (not the secret) is stored in {}",
                f.display()
            );
        }
    }
    let log = logs.0.lock().unwrap().clone();
    assert!(
        contains(&log, "sending"),
        "the connector's logging was captured"
    );
    assert!(!contains(&log, &secret), "secret found in the logs");
    assert!(
        !contains(&log, &basic),
        "basic-auth header found in the logs"
    );
}

fn account_cleanup(reference: &CredentialRef) {
    credentials::delete(reference).unwrap();
    assert!(matches!(
        credentials::load(reference),
        Err(credentials::CredentialError::Missing)
    ));
}
