//! The demo's channels: the platform sandboxes (kanaal-sandbox) run in-process on 127.0.0.1 with
//! the demo catalog's own goods, and the demo shop's channels point at them. Shared by the
//! desktop app's `--demo` and `kanaal demo`, so both connect the same channels the same way.
//! It must not run against a real platform: every address here is one the sandbox just opened.
//!
//! The sandbox world starts at the caller's "now", so order times and the ship-by deadlines
//! that follow from them are where the clock is, and it runs like a shop with a past (bol.com
//! cancels what is not shipped by its expiry date). Where the platforms listen is written to
//! `demo-sandbox.json` in the data folder, so a test can place an order through a sandbox's
//! control route and read the other platform back. That file holds the sandbox's own made-up
//! logins, which open nothing but this in-process sandbox and die with it; a real platform's
//! secret never passes through here.

use crate::{SyncError, SyncOptions};
use kanaal_channels::bol::{Bol, BolConfig};
use kanaal_channels::credentials::Credentials;
use kanaal_channels::Channel;
use kanaal_core::channels::{self, ChannelRecord};
use kanaal_core::clock::Clock;
use kanaal_core::demo;
use kanaal_core::progress::CancelToken;
use kanaal_core::store::Store;
use kanaal_sandbox::{PlatformInfo, Sandbox, SandboxConfig, WorldProduct};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// The demo's channel for each sandbox platform: (platform code, channel name).
pub const DEMO_CHANNELS: [(&str, &str); 2] = [
    ("shopify", "Webshop (sandbox)"),
    ("bol", "bol.com (sandbox)"),
];

/// Reviews the demo imports for each of its channels.
const DEMO_REVIEWS: usize = 40;

/// A running sandbox with what the demo's reviewers write about. It lives as long as this value.
pub struct DemoSandbox {
    pub sandbox: Sandbox,
    /// The demo's products (without their variants), for the reviews.
    pub product_names: Vec<String>,
}

/// Starts the sandboxes with the demo catalog's sellable variants as their goods, so the orders
/// their customers place move real stock and carry real cost prices.
pub async fn start_sandbox(store: &Store, clock: &dyn Clock) -> Result<DemoSandbox, String> {
    let goods: Vec<WorldProduct> = match demo::sellable_variants(store) {
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
    let mut product_names: Vec<String> = goods
        .iter()
        .map(|g| g.title.split(" (").next().unwrap_or(&g.title).to_string())
        .collect();
    product_names.dedup();
    let config = SandboxConfig {
        seed: demo::DEFAULT_SEED,
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start_with_goods_at(config, goods, clock.now())
        .await
        .map_err(|e| format!("the sandbox did not start, so the demo has no channels: {e}"))?;
    sandbox.bol().set_lifelike(true);
    match serde_json::to_string_pretty(sandbox.platforms()) {
        Ok(text) => {
            if let Err(e) = std::fs::write(store.dir().join("demo-sandbox.json"), text) {
                eprintln!("Kanaal demo: could not note where the sandbox listens: {e}");
            }
        }
        Err(e) => eprintln!("Kanaal demo: could not note where the sandbox listens: {e}"),
    }
    Ok(DemoSandbox {
        sandbox,
        product_names,
    })
}

/// The login details a sandbox platform accepts.
pub fn credentials(info: &PlatformInfo) -> Credentials {
    info.credentials
        .iter()
        .fold(Credentials::new(), |c, (k, v)| c.with(k, v.clone()))
}

/// A connector straight to a sandbox platform, with its credentials held in memory only (for a
/// run without an OS keyring: nothing is stored anywhere).
pub fn connector(info: &PlatformInfo, clock: Arc<dyn Clock>) -> Result<Box<dyn Channel>, String> {
    let creds = credentials(info);
    match info.platform {
        "bol" => {
            let login = info.urls.get("login").unwrap_or(&info.base_url);
            let mut config = BolConfig::new(&info.base_url, login, clock);
            // The in-process sandbox settles a change by the next poll; waiting bol.com's real
            // 200 ms before each poll would make publishing the demo's 230 offers take most of
            // a minute.
            config.poll.first_delay = std::time::Duration::from_millis(2);
            let bol = Bol::new(config, &creds).map_err(|f| f.to_string())?;
            Ok(Box::new(bol))
        }
        "shopify" => {
            let http = kanaal_channels::http::HttpConfig::new("Shopify", &info.base_url);
            let shop = kanaal_channels::shopify::ShopifyChannel::from_credentials(http, &creds)
                .map_err(|f| f.to_string())?;
            Ok(Box::new(shop))
        }
        other => Err(format!("the sandbox has no {other} platform")),
    }
}

/// The demo channel `name` for `kind` at `base_url`, without any secret: added, or its address
/// updated (the sandbox gets new ports at every start).
pub fn ensure_channel_without_secret(
    store: &Store,
    kind: &str,
    name: &str,
    base_url: &str,
    clock: &dyn Clock,
) -> kanaal_core::Result<ChannelRecord> {
    store.write(|tx| {
        let id = match channels::find(tx, name)?.filter(|r| r.kind == kind) {
            Some(r) => {
                channels::edit(tx, r.id, None, Some(Some(base_url)))?;
                r.id
            }
            None => channels::add(tx, kind, name, Some(base_url), clock.now())?,
        };
        channels::get(tx, id)
    })
}

/// Puts the demo's active products on a newly connected demo channel (bol.com lists each variant
/// on its own) and imports the reviews its buyers left, as the platform's portal exports them
/// (their ids make a second run import nothing new).
pub fn stock_channel(
    store: &Store,
    record: &ChannelRecord,
    product_names: &[String],
    clock: &dyn Clock,
) -> kanaal_core::Result<()> {
    store.write(|tx| {
        kanaal_core::publish::batch::list_all_active(tx, record.id, record.kind == "bol")?;
        let file = demo::reviews::reviews_csv(
            demo::DEFAULT_SEED,
            &record.kind,
            product_names,
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
}

/// What [`publish_and_sync`] did on one demo channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelRun {
    pub name: String,
    /// Changes (listings, then stock) the channel confirmed.
    pub published: usize,
    /// Listings the channel cannot take as they are (bol.com needs an EAN, for one).
    pub blocked: usize,
    pub new_orders: usize,
    pub stock_moves: usize,
    /// Outbox rows still waiting after the round (to retry later or not due yet).
    pub pending: usize,
    /// Outbox rows the channel refused.
    pub refused: usize,
    /// What went wrong, in plain words (the steps before it were kept).
    pub problem: Option<String>,
}

/// Connects every demo channel to the running sandbox without storing a secret, publishes the
/// active products there and imports the orders its customers placed. For `kanaal demo`, whose
/// sandboxes end with the process.
pub async fn publish_and_sync(
    store: &Store,
    demo: &DemoSandbox,
    clock: Arc<dyn Clock>,
    rng: &mut ChaCha8Rng,
) -> Vec<ChannelRun> {
    let mut runs = Vec::new();
    for (platform, name) in DEMO_CHANNELS {
        let Some(info) = demo.sandbox.platform(platform) else {
            continue;
        };
        let mut run = ChannelRun {
            name: name.to_string(),
            ..ChannelRun::default()
        };
        if let Err(e) = one_channel(store, demo, info, name, clock.clone(), rng, &mut run).await {
            run.problem = Some(e);
        }
        runs.push(run);
    }
    runs
}

async fn one_channel(
    store: &Store,
    demo: &DemoSandbox,
    info: &PlatformInfo,
    name: &str,
    clock: Arc<dyn Clock>,
    rng: &mut ChaCha8Rng,
    run: &mut ChannelRun,
) -> Result<(), String> {
    let text = |e: SyncError| e.to_string();
    let record =
        ensure_channel_without_secret(store, info.platform, name, &info.base_url, clock.as_ref())
            .map_err(|e| e.to_string())?;
    stock_channel(store, &record, &demo.product_names, clock.as_ref())
        .map_err(|e| e.to_string())?;
    let connector = connector(info, clock.clone())?;
    let plan = crate::publish::plan(store, record.id, &connector.limits()).map_err(text)?;
    let confirmed = crate::publish::confirm(store, &plan, clock.as_ref()).map_err(text)?;
    run.blocked = confirmed.blocked;
    let cancel = CancelToken::new();
    let sent = crate::drain_outbox(
        store,
        record.id,
        connector.as_ref(),
        clock.as_ref(),
        rng,
        &cancel,
        &|_| {},
    )
    .await
    .map_err(text)?;
    run.published = sent.sent + sent.adopted;
    let report = crate::sync_channel_with(
        store,
        record.id,
        connector.as_ref(),
        clock.as_ref(),
        rng,
        &cancel,
        &|_| {},
        SyncOptions { check_drift: false },
    )
    .await
    .map_err(text)?;
    if let Some(o) = &report.orders {
        run.new_orders = o.new_orders;
        run.stock_moves = o.stock_moves;
    }
    run.published += report.outbox.sent + report.outbox.adopted;
    run.pending = report.outbox.retry_later + report.outbox.not_due;
    run.refused = sent.failed + report.outbox.failed;
    if let Some(e) = report.orders_error {
        return Err(format!("orders could not be read: {e}"));
    }
    Ok(())
}
