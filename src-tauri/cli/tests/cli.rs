//! The `kanaal` command as a merchant or a script runs it.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn kanaal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kanaal"))
        .args(args)
        .env_remove("KANAAL_DATA_DIR")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

#[test]
fn help_lists_every_command_with_a_line_of_help() {
    let out = kanaal(&["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for cmd in ["demo", "catalog", "info", "--data-dir"] {
        assert!(help.contains(cmd), "--help mentions {cmd}:\n{help}");
    }
}

#[test]
fn demo_loads_once_and_prints_the_shop_and_catalog_list_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = kanaal(&["--data-dir", d, "demo"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(summary.contains("Branderij De Gracht"), "{summary}");
    assert!(
        summary.contains("Winkel Oudegracht") && summary.contains("Magazijn"),
        "stock per location:\n{summary}"
    );
    assert!(summary.contains("€ "), "money the Dutch way:\n{summary}");

    let again = kanaal(&["--data-dir", d, "demo"]);
    assert!(again.status.success(), "running the demo twice is fine");
    assert!(text(&again.stdout).contains("already holds a shop"));

    let json = kanaal(&["--data-dir", d, "catalog", "list", "--format", "json"]);
    assert!(json.status.success());
    let page: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        page["total"].as_u64().unwrap() >= 60,
        "64 demo products listed"
    );
    assert_eq!(
        page["rows"].as_array().unwrap().len() as u64,
        page["total"].as_u64().unwrap()
    );

    let table = kanaal(&[
        "--data-dir",
        d,
        "catalog",
        "list",
        "--search",
        "espresso domtoren",
    ]);
    let t = text(&table.stdout);
    assert!(
        t.contains("Espresso Domtoren") && t.contains("1 of 1 products"),
        "{t}"
    );
}

#[test]
fn errors_go_to_stderr_with_a_failing_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let out = kanaal(&["--data-dir", file.to_str().unwrap(), "info"]);
    assert!(!out.status.success(), "a file is not a data folder");
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err = text(&out.stderr);
    assert!(
        err.starts_with("kanaal: ") && err.contains("not-a-folder"),
        "names the folder: {err}"
    );

    let bad = kanaal(&["catalog", "list", "--status", "sold"]);
    assert_eq!(bad.status.code(), Some(2), "bad arguments exit 2");
    assert!(
        text(&bad.stderr).contains("draft, active or archived"),
        "says what is allowed"
    );
}

#[test]
fn a_csv_exported_for_shopify_imports_back_unchanged_and_bad_files_import_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("shop");
    let d = d.to_str().unwrap();
    assert!(kanaal(&["--data-dir", d, "demo"]).status.success());
    let file = dir.path().join("export.csv");
    let f = file.to_str().unwrap();
    let out = kanaal(&[
        "--data-dir",
        d,
        "catalog",
        "export",
        f,
        "--format",
        "shopify",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let again = kanaal(&["--data-dir", d, "catalog", "import", f]);
    let report = text(&again.stdout);
    assert!(again.status.success(), "{report}{}", text(&again.stderr));
    assert!(
        report.contains("0 new, 0 updated"),
        "re-import changes nothing: {report}"
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Handle,Title,Variant SKU,Variant Price\nkoffie,Koffie,K-1,twaalf\n",
    )
    .unwrap();
    let fresh = dir.path().join("fresh");
    let out = kanaal(&[
        "--data-dir",
        fresh.to_str().unwrap(),
        "catalog",
        "import",
        bad.to_str().unwrap(),
    ]);
    assert!(!out.status.success(), "a file with a bad row fails");
    let report = text(&out.stdout);
    assert!(
        report.contains("twaalf") && report.contains("Variant Price"),
        "names the cell: {report}"
    );
    assert!(
        text(&out.stderr).contains("--valid-only"),
        "says what to do"
    );
    let list = kanaal(&[
        "--data-dir",
        fresh.to_str().unwrap(),
        "catalog",
        "list",
        "--format",
        "json",
    ]);
    let page: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(page["total"], 0, "nothing was half-imported");
}
