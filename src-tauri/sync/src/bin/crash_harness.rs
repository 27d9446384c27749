//! `kanaal-sync-crash-harness`: the process the crash test kills. It opens a prepared data
//! folder (catalog and a Shopify and a bol.com channel already in it), puts every active product
//! on both channels, confirms the publish plans and runs sync rounds on both channels until
//! nothing is left to send — against sandbox URLs given on the command line, with credentials
//! taken from the environment (never from arguments). Exit 0 when quiet, 1 on an error, 2 when
//! it did not get quiet. Being killed at any moment must leave a folder the next run completes
//! without a duplicate listing, order or stock move; the test checks that.
//!
//! Usage: kanaal-sync-crash-harness DATA_DIR SHOPIFY_URL BOL_URL SANDBOX_NOW [FIRST]
//! Environment: KANAAL_HARNESS_SHOPIFY_TOKEN, KANAAL_HARNESS_BOL_ID, KANAAL_HARNESS_BOL_SECRET.
//! FIRST is `bol` or `shopify`: which channel each round syncs first.

use kanaal_channels::bol::{quick_poll, Bol, BolConfig};
use kanaal_channels::credentials::{Credentials, Secret};
use kanaal_channels::http::HttpConfig;
use kanaal_channels::model::ListingLevel;
use kanaal_channels::shopify::ShopifyChannel;
use kanaal_channels::Channel;
use kanaal_core::clock::{FixedClock, SystemClock};
use kanaal_core::ids::ChannelId;
use kanaal_core::progress::{CancelToken, NoProgress};
use kanaal_core::store::Store;
use kanaal_sync::publish;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

fn channel(store: &Store, kind: &str) -> Result<ChannelId, String> {
    let all = store
        .read(kanaal_core::channels::list)
        .map_err(|e| e.to_string())?;
    all.into_iter()
        .find(|c| c.kind == kind)
        .map(|c| c.id)
        .ok_or_else(|| format!("the data folder has no {kind} channel"))
}

async fn run(args: &[String]) -> Result<bool, String> {
    let [dir, shop_url, bol_url, now, rest @ ..] = args else {
        return Err(
            "usage: kanaal-sync-crash-harness DATA_DIR SHOPIFY_URL BOL_URL SANDBOX_NOW [FIRST]"
                .into(),
        );
    };
    let bol_first = rest.first().is_none_or(|f| f != "shopify");
    let sandbox_now = chrono::DateTime::parse_from_rfc3339(now)
        .map_err(|e| format!("SANDBOX_NOW: {e}"))?
        .with_timezone(&chrono::Utc);
    let store = Store::open(&PathBuf::from(dir)).map_err(|e| e.to_string())?;
    let shop_id = channel(&store, "shopify")?;
    let bol_id = channel(&store, "bol")?;

    let mut http = HttpConfig::new("Shopify", shop_url.as_str());
    http.retry.base_delay = Duration::from_millis(5);
    http.retry.max_delay = Duration::from_millis(40);
    let shopify = ShopifyChannel::new(http, Secret::new(&env("KANAAL_HARNESS_SHOPIFY_TOKEN")?))
        .map_err(|f| f.to_string())?;
    let mut config = BolConfig::new(bol_url, bol_url, Arc::new(FixedClock::at(sandbox_now)));
    config.poll = quick_poll();
    config.http.retry.base_delay = Duration::from_millis(5);
    config.http.retry.max_delay = Duration::from_millis(40);
    let creds = Credentials::new()
        .with("client_id", &env("KANAAL_HARNESS_BOL_ID")?)
        .with("client_secret", &env("KANAAL_HARNESS_BOL_SECRET")?);
    let bol = Bol::new(config, &creds).map_err(|f| f.to_string())?;

    let order: [(ChannelId, &dyn Channel, ListingLevel); 2] = if bol_first {
        [
            (bol_id, &bol, ListingLevel::Variant),
            (shop_id, &shopify, ListingLevel::Product),
        ]
    } else {
        [
            (shop_id, &shopify, ListingLevel::Product),
            (bol_id, &bol, ListingLevel::Variant),
        ]
    };
    let clock = SystemClock;
    for (id, connector, level) in order {
        publish::list_products(&store, id, level, None).map_err(|e| e.to_string())?;
        let plan = publish::plan(&store, id, &connector.limits()).map_err(|e| e.to_string())?;
        publish::confirm(&store, &plan, &clock).map_err(|e| e.to_string())?;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for _ in 0..20 {
        let mut pulled = true;
        for (id, connector, _) in order {
            let r = kanaal_sync::sync_channel(
                &store,
                id,
                connector,
                &clock,
                &mut rng,
                &CancelToken::new(),
                &NoProgress,
            )
            .await
            .map_err(|e| e.to_string())?;
            pulled &= r.orders.is_some();
        }
        let open: i64 = store
            .read(|tx| {
                Ok(tx.query_row(
                    "SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'waiting', 'sending')",
                    [],
                    |r| r.get(0),
                )?)
            })
            .map_err(|e| e.to_string())?;
        if pulled && open == 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("crash harness: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(&args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("crash harness: still something to send after 20 rounds");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("crash harness: {e}");
            ExitCode::FAILURE
        }
    }
}
