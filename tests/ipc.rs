//! The commands as the window calls them: through Tauri's IPC (mock runtime), with the app's real
//! configuration and capabilities, on a real data folder.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::TimeZone;
use kanaal_app::AppState;
use kanaal_core::clock::FixedClock;
use kanaal_core::store::Store;
use serde_json::{json, Value};
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

struct App {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let clock = Arc::new(FixedClock::at(
        chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    ));
    let app = kanaal_app::setup(mock_builder(), AppState::with_store(store, clock))
        .build(tauri::generate_context!("tauri.conf.json"))
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    App {
        _dir: dir,
        _app: app,
        window,
    }
}

fn call(app: &App, cmd: &str, args: Value) -> Result<Value, Value> {
    common::call_on(&app.window, cmd, args)
}

fn load_demo(app: &App) -> Value {
    call(
        app,
        "load_demo",
        json!({ "jobId": "job-1", "onProgress": "__CHANNEL__:7" }),
    )
    .expect("the demo loads through IPC")
}

#[test]
fn a_fresh_data_folder_offers_the_demo_and_loading_it_fills_the_catalog() {
    let app = app();
    let info = call(&app, "app_info", json!({})).unwrap();
    assert_eq!(
        info["catalogEmpty"], true,
        "an empty folder is reported empty, so the UI offers the demo"
    );
    assert_eq!(
        info["language"],
        Value::Null,
        "no language chosen yet: the UI follows the OS"
    );

    let summary = load_demo(&app);
    assert!(summary["products"].as_u64().unwrap() >= 60, "{summary}");

    let page = call(&app, "list_products", json!({ "query": { "search": null, "status": null, "language": "nl", "offset": 0, "limit": 200 } })).unwrap();
    assert_eq!(
        page["total"], summary["products"],
        "the catalog lists every demo product"
    );
    let first = &page["rows"][0];
    assert!(
        first["priceMin"]["amount"].is_string(),
        "money crosses IPC as a decimal string, never a float: {first}"
    );
    assert_eq!(
        call(&app, "app_info", json!({})).unwrap()["catalogEmpty"],
        false
    );
}

#[test]
fn the_chosen_language_is_remembered() {
    let app = app();
    call(&app, "set_language", json!({ "language": "en" })).unwrap();
    assert_eq!(call(&app, "app_info", json!({})).unwrap()["language"], "en");
    let err = call(&app, "set_language", json!({ "language": "fr" })).unwrap_err();
    assert!(
        err.to_string().contains("fr"),
        "an unknown language is refused: {err}"
    );
}

#[test]
fn errors_cross_as_code_and_message() {
    let app = app();
    load_demo(&app);
    let err = call(
        &app,
        "load_demo",
        json!({ "jobId": "job-2", "onProgress": "__CHANNEL__:8" }),
    )
    .unwrap_err();
    assert_eq!(
        err["code"], "catalog_not_empty",
        "the UI can branch on the code: {err}"
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("empty data folder"),
        "and show the message: {err}"
    );
}

#[test]
fn every_page_has_its_data() {
    let app = app();
    load_demo(&app);
    let o = call(&app, "shop_overview", json!({})).unwrap();
    assert_eq!(o["shopName"], "Branderij De Gracht");
    assert_eq!(
        o["locations"].as_array().unwrap().len(),
        2,
        "stock in two locations"
    );
    let ch = call(&app, "list_channels", json!({})).unwrap();
    assert!(
        ch["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kind"] == "bol"),
        "bol.com is offered"
    );
    let orders = call(&app, "list_orders", json!({ "offset": 0, "limit": 50 })).unwrap();
    assert_eq!(orders["total"], 0, "no channel, no orders yet");
}

#[test]
fn cancelling_an_unknown_job_says_it_had_finished() {
    let app = app();
    assert_eq!(
        call(&app, "cancel_job", json!({ "jobId": "nope" })).unwrap(),
        false
    );
}

#[test]
fn a_bulk_price_edit_previewed_applied_and_undone_through_ipc() {
    let app = app();
    load_demo(&app);
    let page = call(&app, "list_products", json!({ "query": { "search": "Domtoren", "status": null, "language": "nl", "offset": 0, "limit": 10 } })).unwrap();
    let product = page["rows"][0]["id"].clone();
    let op = json!({ "op": "price_factor", "factor": "1.10" });
    let preview = call(
        &app,
        "bulk_preview",
        json!({ "products": [product], "op": op }),
    )
    .unwrap();
    let rows = preview.as_array().unwrap();
    assert_eq!(
        rows.len(),
        9,
        "every variant of the coffee is previewed: {preview}"
    );
    assert!(
        rows[0]["sku"].as_str().unwrap().starts_with("KOF-ESPDOM"),
        "rows are named: {}",
        rows[0]
    );
    let changes: Vec<Value> = rows.iter().map(|r| r["change"].clone()).collect();
    let batch = call(
        &app,
        "apply_changes",
        json!({ "changes": changes, "label": "Prijs +10%" }),
    )
    .unwrap();
    assert_eq!(batch["changes"], 9, "{batch}");

    let variants = call(&app, "product_variants", json!({ "product": product })).unwrap();
    assert_eq!(
        variants[0]["price"], rows[0]["change"]["new"],
        "the new price is stored"
    );
    assert_eq!(
        call(&app, "undo_state", json!({})).unwrap()["undo"]["label"],
        "Prijs +10%"
    );
    call(&app, "undo", json!({})).unwrap();
    let variants = call(&app, "product_variants", json!({ "product": product })).unwrap();
    assert_eq!(
        variants[0]["price"], rows[0]["change"]["old"],
        "undo restores the old price"
    );
    assert_eq!(
        call(&app, "undo_state", json!({})).unwrap()["redo"]["label"],
        "Prijs +10%"
    );
}

fn call_raw(
    app: &App,
    cmd: &str,
    body: &[u8],
    headers: &[(&'static str, &str)],
) -> Result<Value, Value> {
    let mut map = tauri::http::HeaderMap::new();
    for (k, v) in headers {
        map.insert(*k, v.parse().unwrap());
    }
    let req = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Raw(body.to_vec()),
        headers: map,
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(&app.window, req).map(|b| b.deserialize::<Value>().unwrap())
}

#[test]
fn a_dropped_csv_is_checked_first_and_imported_whole_on_confirm() {
    let app = app();
    let file =
        "Handle;Title;Variant SKU;Variant Price\nkoffie;Koffie;K-1;12,50\nthee;Thee;T-1;twaalf\n";
    let check = call_raw(
        &app,
        "import_catalog",
        file.as_bytes(),
        &[("x-kanaal-dry-run", "true")],
    )
    .unwrap();
    assert_eq!(
        check["committed"], false,
        "a dry run saves nothing: {check}"
    );
    assert_eq!(
        check["problems"][0]["row"], 3,
        "the bad row is named as the spreadsheet shows it"
    );
    assert_eq!(check["problems"][0]["column"], "Variant Price");

    let refused = call_raw(&app, "import_catalog", file.as_bytes(), &[]).unwrap();
    assert_eq!(
        refused["committed"], false,
        "with a bad row nothing is imported by default"
    );
    let page = call(&app, "list_products", json!({ "query": { "search": null, "status": null, "language": "nl", "offset": 0, "limit": 10 } })).unwrap();
    assert_eq!(page["total"], 0, "nothing half-written");

    let valid = call_raw(
        &app,
        "import_catalog",
        file.as_bytes(),
        &[("x-kanaal-mode", "valid_rows_only")],
    )
    .unwrap();
    assert_eq!(
        (valid["committed"].clone(), valid["created"].clone()),
        (json!(true), json!(1)),
        "{valid}"
    );
    let err = call_raw(
        &app,
        "import_catalog",
        b"x",
        &[("x-kanaal-format", "excel")],
    )
    .unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("excel"), "{err}");
}
