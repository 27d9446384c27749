#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `kanaal reviews import FILE --channel N` as a merchant uses it on a portal export.

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

#[test]
fn a_bad_row_stops_the_import_with_its_row_and_valid_only_imports_the_rest_once() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path())
        .unwrap()
        .write(|tx| {
            tx.execute_batch("INSERT INTO channels (id, kind, name, created_at) VALUES (3, 'bol', 'bol.com', '2026-01-01T00:00:00Z');")?;
            Ok(())
        })
        .unwrap();
    let file = dir.path().join("reviews.csv");
    std::fs::write(&file, "id;rating;text\nr1;5;Top koffie\nr2;zes;Goed\n").unwrap();
    let f = file.to_str().unwrap();

    let out = kanaal(dir.path(), &["reviews", "import", f, "--channel", "3"]);
    assert!(!out.status.success(), "a bad row: nothing imported");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("rating") && stdout.contains("1 to 5"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--valid-only"));

    let out = kanaal(
        dir.path(),
        &[
            "reviews",
            "import",
            f,
            "--channel",
            "3",
            "--valid-only",
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["imported"], 1);
    assert_eq!(r["bad"][0]["row"], 3);

    let out = kanaal(
        dir.path(),
        &[
            "reviews",
            "import",
            f,
            "--channel",
            "3",
            "--valid-only",
            "--format",
            "json",
        ],
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (r["imported"].as_u64(), r["already_present"].as_u64()),
        (Some(0), Some(1)),
        "re-import adds nothing"
    );
}
