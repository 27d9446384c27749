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
use kanaal_channels::credentials::Credentials;
use kanaal_core::demo;
use kanaal_sandbox::{Sandbox, SandboxConfig, WorldProduct};
use tauri::{AppHandle, Manager, Runtime};

/// The demo's channel for each sandbox platform: (platform code, channel name).
const DEMO_CHANNELS: [(&str, &str); 2] = [
    ("shopify", "Webshop (sandbox)"),
    ("bol", "bol.com (sandbox)"),
];

/// Reviews the demo imports for each of its channels.
const DEMO_REVIEWS: usize = 40;

/// Starts the sandboxes and points the demo channels at them.
pub async fn start<R: Runtime>(app: AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(store) = state.store() else { return };
    // The sandboxes' customers buy the demo catalog's own variants, so the orders that arrive
    // move real stock and carry real cost prices.
    let goods = match demo::sellable_variants(&store) {
        Ok(v) => v
            .into_iter()
            .map(|v| WorldProduct {
                sku: v.sku,
                ean: v.ean,
                title: v.title,
                price: v.price,
            })
            .collect(),
        Err(e) => {
            eprintln!("Kanaal demo: reading the catalog for the sandbox failed ({e}); its customers buy its own list");
            Vec::new()
        }
    };
    // What the demo's reviewers write about: the products, without their variants.
    let mut product_names: Vec<String> = goods
        .iter()
        .map(|g: &WorldProduct| g.title.split(" (").next().unwrap_or(&g.title).to_string())
        .collect();
    product_names.dedup();
    let sandbox = match Sandbox::start_with_goods_at(
        SandboxConfig {
            seed: demo::DEFAULT_SEED,
            ..SandboxConfig::default()
        },
        goods,
        state.clock.now(),
    )
    .await
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Kanaal demo: the sandbox did not start, so the demo has no channels: {e}");
            return;
        }
    };
    sandbox.bol().set_lifelike(true);
    match serde_json::to_string_pretty(sandbox.platforms()) {
        Ok(text) => {
            if let Err(e) = std::fs::write(store.dir().join("demo-sandbox.json"), text) {
                eprintln!("Kanaal demo: could not note where the sandbox listens: {e}");
            }
        }
        Err(e) => eprintln!("Kanaal demo: could not note where the sandbox listens: {e}"),
    }
    for (platform, name) in DEMO_CHANNELS {
        let Some(info) = sandbox.platform(platform) else {
            continue;
        };
        let creds = info
            .credentials
            .iter()
            .fold(Credentials::new(), |c, (k, v)| c.with(k, v.clone()));
        let base = info.base_url.clone();
        let store = store.clone();
        let clock = state.clock.clone();
        let kind = platform.to_string();
        let product_names = product_names.clone();
        // The keyring and the store block: off the async runtime's threads.
        let done = tauri::async_runtime::spawn_blocking(move || {
            let record =
                account::ensure_channel(&store, &kind, name, &base, &creds, clock.as_ref())?;
            // A newly connected demo channel carries the demo's active products, so Publish has
            // something to show; bol.com lists each variant on its own.
            store.write(|tx| {
                kanaal_core::publish::batch::list_all_active(tx, record.id, kind == "bol")?;
                // And the reviews its buyers left, as the platform's portal exports them (the
                // ids make a second start import nothing new).
                let file = demo::reviews::reviews_csv(
                    demo::DEFAULT_SEED,
                    &kind,
                    &product_names,
                    DEMO_REVIEWS,
                    clock.now(),
                );
                kanaal_insights::sentiment::import::import_reviews(
                    tx,
                    record.id.0,
                    &file,
                    kanaal_insights::sentiment::import::Mode::AllOrNothing,
                    clock.now(),
                )?;
                Ok(())
            })
        })
        .await;
        match done {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => eprintln!("Kanaal demo: could not connect {name}: {e}"),
            Err(e) => eprintln!("Kanaal demo: connecting {name} stopped: {e}"),
        }
    }
    *state.sandbox.lock().unwrap_or_else(|p| p.into_inner()) = Some(sandbox);
}
