//! With `--demo`, the app runs the platform sandboxes in-process (on 127.0.0.1) and connects the
//! demo shop's channels to them, so a newcomer sees channels work without an account anywhere.
//! Best effort: without a keyring (a bare headless session) the demo shop still opens, only
//! without connected channels, and the reason is printed.
//!
//! The sandbox world starts at the app's own "now", so order times and the ship-by deadlines
//! that follow from them are where the app's clock is (a fixed world start would show every
//! order weeks overdue), and it runs like a shop with a past: older orders were shipped, and
//! bol.com cancels what is not shipped by its expiry date. Where the platforms listen is written
//! to `demo-sandbox.json` in the data folder, so a test can place an order through the bol.com
//! sandbox's control route (`POST /_sandbox/orders`) and read the other platform back.

use crate::AppState;
use kanaal_channels::account;
use kanaal_sync::demo::{self, DEMO_CHANNELS};
use tauri::{AppHandle, Manager, Runtime};

/// Starts the sandboxes and points the demo channels at them (the shared steps live in
/// kanaal-sync's `demo`, which `kanaal demo` uses too). The app keeps the login details in the
/// keyring, so its own sync worker connects these channels like any other.
pub async fn start<R: Runtime>(app: AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(store) = state.store() else { return };
    let sandbox = match demo::start_sandbox(&store, state.clock.as_ref()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Kanaal demo: {e}");
            return;
        }
    };
    for (platform, name) in DEMO_CHANNELS {
        let Some(info) = sandbox.sandbox.platform(platform) else {
            continue;
        };
        let creds = demo::credentials(info);
        let base = info.base_url.clone();
        let store = store.clone();
        let clock = state.clock.clone();
        let kind = platform.to_string();
        let product_names = sandbox.product_names.clone();
        // The keyring and the store block: off the async runtime's threads.
        let done = tauri::async_runtime::spawn_blocking(move || {
            let record =
                account::ensure_channel(&store, &kind, name, &base, &creds, clock.as_ref())?;
            demo::stock_channel(&store, &record, &product_names, clock.as_ref())
        })
        .await;
        match done {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("Kanaal demo: could not connect {name}: {e}"),
            Err(e) => eprintln!("Kanaal demo: connecting {name} stopped: {e}"),
        }
    }
    *state.sandbox.lock().unwrap_or_else(|p| p.into_inner()) = Some(sandbox.sandbox);
}
