//! A channel's failure goes into SQLite typed and comes back typed, so the window can word it in
//! the merchant's language; text stored by older versions comes back as its text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use kanaal_core::drift;
use kanaal_core::failure::{Failure, Outage, StoredFailure};
use kanaal_core::ids::ChannelId;
use kanaal_core::publish::batch;
use kanaal_core::store::Store;
use rusqlite::params;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap()
}

fn store() -> (tempfile::TempDir, Store, ChannelId) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let bol = store
        .write(|tx| kanaal_core::channels::add(tx, "bol", "bol.com", None, now()))
        .unwrap();
    (dir, store, bol)
}

fn outage_503() -> Failure {
    Failure::PlatformDown {
        channel: "bol.com".into(),
        detail: Outage::ErrorStatus { status: 503 },
    }
}

#[test]
fn a_failed_check_is_kept_typed_and_an_older_text_reason_as_its_text() {
    let (_dir, store, bol) = store();
    store
        .write(|tx| drift::mark_unchecked(tx, bol, &outage_503(), now()))
        .unwrap();
    let unchecked = store.read(|tx| drift::unchecked(tx, bol)).unwrap().unwrap();
    assert_eq!(
        unchecked.reason,
        StoredFailure::Channel {
            failure: outage_503()
        },
        "the 503 comes back as a status, not as an English sentence"
    );

    // A check that failed before failures were stored typed left an English sentence.
    let old = "bol.com is not working right now (it answered with error 503). Kanaal keeps your changes and tries again later.";
    store
        .write(|tx| {
            tx.execute(
                "UPDATE sync_cursors SET cursor = ?2 WHERE channel_id = ?1 AND stream = 'drift_unchecked'",
                params![bol.0, old],
            )?;
            Ok(())
        })
        .unwrap();
    let unchecked = store.read(|tx| drift::unchecked(tx, bol)).unwrap().unwrap();
    assert_eq!(
        unchecked.reason,
        StoredFailure::Other { text: old.into() },
        "an older reason is still shown, as it was stored"
    );
}

#[test]
fn an_outbox_row_failure_reads_back_typed_in_the_batch_and_older_rows_as_text() {
    let (_dir, store, bol) = store();
    let refused = Failure::Rejected {
        channel: "bol.com".into(),
        field: "ean".into(),
        reason: "Unknown EAN 8712345678906.".into(),
    };
    let rows: [(&str, String); 4] = [
        ("waiting", outage_503().to_stored()),
        ("failed", refused.to_stored()),
        ("failed", "Title too long (max 255)".into()),
        (
            "failed",
            r#"{"kind":"throttled","message":"bol.com asks to slow down; Kanaal tries again in 3 seconds."}"#.into(),
        ),
    ];
    store
        .write(|tx| {
            for (i, (state, error)) in rows.iter().enumerate() {
                tx.execute(
                    "INSERT INTO outbox (channel_id, batch_id, operation, payload, idempotency_key, state, last_error, created_at, updated_at)
                     VALUES (?1, 'b1', 'create', '{}', ?2, ?3, ?4, 'x', 'x')",
                    params![bol.0, format!("k{i}"), state, error],
                )?;
            }
            Ok(())
        })
        .unwrap();
    let errors: Vec<Option<StoredFailure>> = store
        .read(|tx| batch::progress(tx, "b1"))
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.error)
        .collect();
    assert_eq!(
        errors,
        vec![
            Some(outage_503().into()),
            Some(refused.into()),
            Some(StoredFailure::Other {
                text: "Title too long (max 255)".into()
            }),
            Some(StoredFailure::Other {
                text: "bol.com asks to slow down; Kanaal tries again in 3 seconds.".into()
            }),
        ],
        "typed rows come back typed (the platform's reason kept); older rows keep their words"
    );
}
