//! The "Prices and stock" panel's commands as the window calls them (Tauri's mock runtime, the
//! app's real configuration): a channel's rules read as form text, the example price computed
//! by kanaal-core, a refusal that crosses typed, and a saved rule read back.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::TimeZone;
use kanaal_app::AppState;
use kanaal_core::clock::FixedClock;
use kanaal_core::store::Store;
use serde_json::{json, Value};
use std::sync::Arc;
use tauri::test::{mock_builder, MockRuntime};
use tauri::WebviewWindow;

struct App {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    bol: i64,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 30, 20, 0, 0)
        .unwrap();
    let bol = store
        .write(|tx| kanaal_core::channels::add(tx, "bol", "bol.com", None, now))
        .unwrap();
    let app = kanaal_app::setup(
        mock_builder(),
        AppState::with_store(store, Arc::new(FixedClock::at(now))),
    )
    .build(tauri::generate_context!("tauri.conf.json"))
    .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    App {
        _dir: dir,
        _app: app,
        window,
        bol: bol.0,
    }
}

fn call(app: &App, cmd: &str, args: Value) -> Result<Value, Value> {
    common::call_on(&app.window, cmd, args)
}

fn form(markup: &str, ending: &str, buffer: &str) -> Value {
    json!({
        "markupPercent": markup, "markupFixed": "", "ending": ending, "minMarginPercent": "",
        "buffer": buffer, "max": "", "sharePercent": ""
    })
}

#[test]
fn the_panel_reads_shows_an_example_refuses_and_saves() {
    let app = app();
    let view = call(&app, "channel_rules", json!({ "channel": app.bol })).unwrap();
    assert_eq!(view["name"], "bol.com");
    assert_eq!(view["rules"], form("", "cent", ""), "no rules yet");

    // Typed the Dutch way; the price is kanaal-core's: 12,40 + 15 % = 14,26, up to 14,95.
    let example = call(
        &app,
        "rule_example",
        json!({ "rules": form("15", ".95", ""), "price": "12,40", "cost": null }),
    )
    .unwrap();
    assert_eq!(
        example,
        json!({ "price": "12.40", "channelPrice": "14.95" })
    );

    let refused = call(
        &app,
        "set_channel_rules",
        json!({ "channel": app.bol, "rules": form("15", ".95", "-2") }),
    )
    .unwrap_err();
    assert_eq!(
        refused["problem"],
        json!({ "kind": "rule_below_zero", "field": "buffer" })
    );
    let view = call(&app, "channel_rules", json!({ "channel": app.bol })).unwrap();
    assert_eq!(view["rules"], form("", "cent", ""), "nothing saved");

    call(
        &app,
        "set_channel_rules",
        json!({ "channel": app.bol, "rules": form("15", ".95", "2") }),
    )
    .unwrap();
    let view = call(&app, "channel_rules", json!({ "channel": app.bol })).unwrap();
    assert_eq!(view["rules"], form("15", ".95", "2"));

    let gone = call(
        &app,
        "set_channel_rules",
        json!({ "channel": app.bol + 99, "rules": form("15", ".95", "2") }),
    )
    .unwrap_err();
    assert_eq!(gone["code"], "not_found", "{gone}");
}
