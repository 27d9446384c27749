//! `kanaal channel rules`: a channel's price and stock rules shown, set the Dutch way, refused in
//! plain words with nothing changed, and the channel's listings waiting for the next publish.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn kanaal(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kanaal"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("KANAAL_DATA_DIR")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn rules_are_shown_set_and_refused_with_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let out = kanaal(dir.path(), &["demo"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let db = rusqlite::Connection::open(dir.path().join("kanaal.db")).unwrap();
    let (bol, name): (i64, String) = db
        .query_row(
            "SELECT id, name FROM channels WHERE kind = 'bol'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let pending = || -> i64 {
        db.query_row(
            "SELECT COUNT(*) FROM listings WHERE channel_id = ?1 AND pending = 1",
            [bol],
            |r| r.get(0),
        )
        .unwrap()
    };
    let listed: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM listings WHERE channel_id = ?1",
            [bol],
            |r| r.get(0),
        )
        .unwrap();
    // The demo published all but what bol.com cannot take.
    assert!(pending() < listed, "{} of {listed} pending", pending());

    let out = kanaal(dir.path(), &["channel", "rules", &name]);
    let (stdout, _) = text(&out);
    assert!(out.status.success());
    assert!(stdout.contains("markup          0 %"), "{stdout}");
    assert!(stdout.contains("share of stock  all"), "{stdout}");

    let out = kanaal(
        dir.path(),
        &[
            "channel",
            "rules",
            &name,
            "--markup",
            "15",
            "--fixed",
            "0,50",
            "--ending",
            ".95",
            "--min-margin",
            "20",
            "--buffer",
            "2",
            "--max",
            "50",
            "--share",
            "80",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for line in [
        "markup          15 %",
        "fixed markup    € 0.50",
        "ending          up to .95",
        "minimum margin  20 % over cost",
        "stock buffer    2",
        "maximum shown   50",
        "share of stock  80 %",
        "go out with the next publish",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    let stored: (String, i64, Option<i64>, Option<String>) = db
        .query_row(
            "SELECT price_rule, stock_buffer, stock_max, stock_share FROM channel_rules WHERE channel_id = ?1",
            [bol],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (stored.1, stored.2, stored.3.as_deref()),
        (2, Some(50), Some("0.8"))
    );
    assert!(
        pending() > 0,
        "bol.com's listings wait for the next publish"
    );

    // A negative buffer is refused in plain words; nothing changes.
    let out = kanaal(dir.path(), &["channel", "rules", &name, "--buffer", "-2"]);
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("the buffer cannot be negative"), "{stderr}");
    let buffer: i64 = db
        .query_row(
            "SELECT stock_buffer FROM channel_rules WHERE channel_id = ?1",
            [bol],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(buffer, 2);

    // An empty value removes one rule and keeps the others.
    let out = kanaal(dir.path(), &["channel", "rules", &name, "--max", ""]);
    let (stdout, _) = text(&out);
    assert!(out.status.success());
    assert!(stdout.contains("maximum shown   no maximum"), "{stdout}");
    assert!(stdout.contains("markup          15 %"), "{stdout}");
}
