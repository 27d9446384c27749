//! `kanaal demo`: the demo shop loaded, published to both in-process sandbox channels and their
//! orders imported, without any OS keyring and without storing a login.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn demo(dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kanaal"))
        .arg("--data-dir")
        .arg(dir)
        .arg("demo")
        .env_remove("KANAAL_DATA_DIR")
        // No D-Bus session, so no secret service: the demo must not need a keyring.
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .unwrap()
}

fn count(db: &rusqlite::Connection, sql: &str, channel: i64) -> i64 {
    db.query_row(sql, [channel], |r| r.get(0)).unwrap()
}

#[test]
fn demo_publishes_to_both_sandbox_channels_and_imports_their_orders_without_a_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let out = demo(dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "kanaal demo failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("orders imported"),
        "the demo says what it imported:\n{stdout}"
    );

    let db = rusqlite::Connection::open(dir.path().join("kanaal.db")).unwrap();
    let mut stmt = db
        .prepare("SELECT id, kind, credential_ref FROM channels ORDER BY kind")
        .unwrap();
    let channels: Vec<(i64, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let kinds: Vec<&str> = channels.iter().map(|c| c.1.as_str()).collect();
    assert_eq!(kinds, ["bol", "shopify"], "both sandbox channels are there");
    for (id, kind, credential_ref) in &channels {
        assert_eq!(
            credential_ref, &None,
            "{kind}: no login is stored for a sandbox that ends with the command"
        );
        let live = count(
            &db,
            "SELECT count(*) FROM listings WHERE channel_id = ?1 AND state = 'live' AND remote_id IS NOT NULL AND pending = 0",
            *id,
        );
        assert!(live > 0, "{kind}: listings confirmed by the channel");
        // Only what the channel cannot take stays behind: bol.com lists a variant by its EAN.
        let unconfirmed = count(
            &db,
            "SELECT count(*) FROM listings l LEFT JOIN variants v ON v.id = l.variant_id
             WHERE l.channel_id = ?1 AND l.state <> 'live'
               AND (l.variant_id IS NULL OR coalesce(v.gtin, '') <> '')",
            *id,
        );
        assert_eq!(
            unconfirmed, 0,
            "{kind}: every listing it can take was confirmed"
        );
        let orders = count(
            &db,
            "SELECT count(*) FROM orders WHERE channel_id = ?1",
            *id,
        );
        assert!(
            orders > 0,
            "{kind}: the sandbox customers' orders were imported"
        );
    }
    let moved: i64 = db
        .query_row(
            "SELECT count(*) FROM orders WHERE stock_applied = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(moved > 0, "open orders moved stock");

    // `kanaal orders list` shows the imported orders, with bol.com's deadline on open ones.
    let listed = Command::new(env!("CARGO_BIN_EXE_kanaal"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["orders", "list", "--format", "json", "--limit", "1000"])
        .env_remove("KANAAL_DATA_DIR")
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).unwrap();
    let in_db: i64 = db
        .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(listed.len() as i64, in_db, "every imported order is listed");
    let bol_open_with_deadline = listed
        .iter()
        .filter(|o| o["channel"].as_str().unwrap_or("").contains("bol") && o["status"] == "open")
        .filter(|o| o["ship_by"].as_str().is_some_and(|t| t.ends_with('Z')))
        .count();
    assert!(
        bol_open_with_deadline > 0,
        "open bol.com orders show their ship-by deadline: {listed:?}"
    );
    let table = Command::new(env!("CARGO_BIN_EXE_kanaal"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["orders", "list"])
        .env_remove("KANAAL_DATA_DIR")
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains("Ship by"), "{table}");
    drop(stmt);
    drop(db);

    // A second run finds the shop and only shows it: no channel added, nothing published again.
    let again = demo(dir.path());
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("already holds a shop"));
    let db = rusqlite::Connection::open(dir.path().join("kanaal.db")).unwrap();
    let n: i64 = db
        .query_row("SELECT count(*) FROM channels", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}
