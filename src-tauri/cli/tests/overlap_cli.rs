#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `kanaal customers resolve|erase` and `kanaal report overlap` over a data folder, as a
//! merchant's script uses them. Resolving reads the matching key from the system keyring (a
//! real one in CI: scripts/with-keyring.sh).

use kanaal_core::store::Store;
use std::process::{Command, Output};

fn kanaal(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kanaal"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("KANAAL_DATA_DIR")
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Jan ordered first on bol.com, later twice in the webshop; Fatima only in the webshop.
fn shop() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO channels (id, kind, name, created_at) VALUES
                   (1, 'shopify', 'Webshop', '2026-01-01T00:00:00Z'),
                   (2, 'bol', 'bol.com', '2026-01-01T00:00:00Z');
                 INSERT INTO customers (id, channel_id, remote_id, name, email, phone, postcode, house_number, city, country) VALUES
                   (1, 1, 'c1', 'Jan de Vries', 'jan.devries@ziggo.nl', '0612345678', '2511CV', '7', 'Den Haag', 'NL'),
                   (2, 2, 'b1', 'J. de Vries', 'x1y2z3@verkopen.bol.com', NULL, '2511 CV', '7', 'Den Haag', 'NL'),
                   (3, 1, 'c2', 'Fatima El Amrani', 'fatima@gmail.com', '0698765432', '1012AB', '3', 'Amsterdam', 'NL');
                 INSERT INTO orders (channel_id, remote_id, status, placed_at, updated_at, total, customer_id, raw) VALUES
                   (2, 'B-1', 'shipped', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z', '29.99', 2, '{\"shipmentDetails\":{\"firstName\":\"Jan\",\"zipCode\":\"2511CV\"}}'),
                   (1, '1001', 'paid', '2026-04-01T10:00:00Z', '2026-04-01T10:00:00Z', '45.00', 1, '{\"email\":\"jan.devries@ziggo.nl\"}'),
                   (1, '1002', 'paid', '2026-05-01T10:00:00Z', '2026-05-01T10:00:00Z', '22.50', 1, '{}'),
                   (1, '1003', 'paid', '2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z', '12.00', 3, '{}');",
            )?;
            Ok(())
        })
        .unwrap();
    dir
}

#[test]
fn report_overlap_after_resolve_shows_movement_from_bol_to_the_webshop() {
    let dir = shop();
    let before = kanaal(dir.path(), &["report", "overlap", "--format", "json"]);
    assert!(
        String::from_utf8_lossy(&before.stderr).contains("customers resolve"),
        "unmatched customers: the report says what to run"
    );
    let out = ok(&kanaal(dir.path(), &["customers", "resolve"]));
    assert!(out.contains("3 customers are 2 people"), "{out}");

    let r: serde_json::Value = serde_json::from_str(&ok(&kanaal(
        dir.path(),
        &["report", "overlap", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(r["persons"], 2);
    assert_eq!(r["channels"], serde_json::json!(["Webshop", "bol.com"]));
    assert_eq!(r["matrix"][0][1], 1, "Jan is on both channels");
    assert_eq!(
        r["movement"],
        serde_json::json!([{"from": "bol.com", "to": "Webshop", "persons": 1}])
    );
    let csv = ok(&kanaal(
        dir.path(),
        &["report", "overlap", "--format", "csv"],
    ));
    assert!(
        csv.starts_with("measure,channel,other_channel,persons,share\n"),
        "{csv}"
    );
    assert!(csv.contains("movement,bol.com,Webshop,1,"), "{csv}");
    assert!(
        csv.contains("repeat,Webshop,,1,0.5"),
        "Jan ordered twice, Fatima once: {csv}"
    );
    let table = ok(&kanaal(dir.path(), &["report", "overlap"]));
    assert!(table.contains("bol.com -> Webshop: 1 people"), "{table}");
}

#[test]
fn erase_needs_confirmation_and_then_removes_the_customer_on_every_channel() {
    let dir = shop();
    ok(&kanaal(dir.path(), &["customers", "resolve"]));
    let refused = kanaal(dir.path(), &["customers", "erase", "1"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    let out = ok(&kanaal(dir.path(), &["customers", "erase", "1", "--yes"]));
    assert!(
        out.contains("2 customer records"),
        "Jan's webshop and bol.com rows: {out}"
    );
    let store = Store::open(dir.path()).unwrap();
    let (names, raws): (i64, String) = store
        .read(|tx| {
            Ok((
                tx.query_row(
                    "SELECT count(*) FROM customers WHERE name IS NOT NULL",
                    [],
                    |r| r.get(0),
                )?,
                tx.query_row(
                    "SELECT group_concat(raw) FROM orders WHERE customer_id IN (1, 2)",
                    [],
                    |r| r.get(0),
                )?,
            ))
        })
        .unwrap();
    assert_eq!(names, 1, "only Fatima keeps her name");
    assert!(
        !raws.contains("Jan") && !raws.contains("ziggo") && !raws.contains("2511"),
        "{raws}"
    );
}
