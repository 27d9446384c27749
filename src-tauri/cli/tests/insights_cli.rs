#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `kanaal reviews score` and `kanaal report fees|reviews` as a merchant's script uses them.

use std::process::{Command, Output};

fn kanaal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kanaal"))
        .args(args)
        .env_remove("KANAAL_DATA_DIR")
        .output()
        .unwrap()
}

#[test]
fn reviews_score_prints_one_json_line_per_row_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reviews.csv");
    // Dutch Excel: semicolons, a byte-order mark.
    std::fs::write(
        &file,
        "\u{feff}channel;rating;text;lang\nbol;1;Kapot aangekomen, waardeloos;nl\nshopify;5;Great coffee, fast delivery!;\nbol;;Ik heb het pakket ontvangen;\n",
    )
    .unwrap();
    let out = kanaal(&["reviews", "score", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one result per row");
    assert_eq!(lines[0]["label"], "negative");
    assert_eq!(lines[0]["lang"], "nl");
    assert_eq!(lines[1]["label"], "positive");
    assert_eq!(lines[1]["lang"], "en", "detected");
    assert_eq!(lines[2]["label"], "neutral");
    let s = lines[0]["score"].as_f64().unwrap();
    assert!((-1.0..0.0).contains(&s), "score in -1..1: {s}");
}

#[test]
fn a_file_without_a_text_column_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "review,stars\nGood,5\n").unwrap();
    let out = kanaal(&["reviews", "score", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("`text` column"));
}

#[test]
fn reports_over_an_empty_store_say_so_and_json_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = kanaal(&["--data-dir", d, "report", "fees"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("No orders"));
    let out = kanaal(&["--data-dir", d, "report", "reviews", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["channels"].as_array().unwrap().len(), 0);
}
