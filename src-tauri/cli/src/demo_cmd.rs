//! `kanaal demo`: loads the demo shop into an empty data folder, runs the platform sandboxes
//! in-process, publishes the demo catalog to its two sandbox channels and imports the orders
//! their customers placed (kanaal-sync's `demo`, the same steps as the app's `--demo`), then
//! prints the overview and exits; the sandboxes end with the process.
//! It stores no login details anywhere (not in the keyring, never in the data folder): the
//! connectors get the sandbox's credentials in memory, so it also runs where no keyring is.
//! It must not touch a data folder that already holds a shop beyond showing it.

use kanaal_core::clock::{Clock, SystemClock};
use kanaal_core::progress::{CancelToken, ProgressStep};
use kanaal_core::store::Store;
use kanaal_core::{demo, overview, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

pub fn run(store: &Store, seed: u64) -> Result<()> {
    if demo::catalog_is_empty(store)? {
        let progress = |s: ProgressStep| {
            if s.done == s.total {
                eprintln!("Demo shop: {} of {} {} loaded", s.done, s.total, s.stage);
            }
        };
        let loaded = demo::load(store, &SystemClock, seed, &progress, &CancelToken::new())?;
        println!(
            "Loaded the demo shop \"{}\" into {}",
            loaded.shop_name,
            store.dir().display()
        );
        channels(store, seed);
    } else {
        println!(
            "The data folder {} already holds a shop; showing it.",
            store.dir().display()
        );
    }
    let o = store.read(overview::shop_overview)?;
    super::print::overview(&o);
    Ok(())
}

/// Best effort: whatever fails here leaves the loaded catalog and says so in plain words.
fn channels(store: &Store, seed: u64) {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            println!("Only the catalog was loaded: the sandbox channels could not start ({e}).");
            return;
        }
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rt.block_on(async {
        let sandbox = match kanaal_sync::demo::start_sandbox(store, clock.as_ref()).await {
            Ok(s) => s,
            Err(e) => {
                println!("Only the catalog was loaded: {e}.");
                return;
            }
        };
        let runs = kanaal_sync::demo::publish_and_sync(store, &sandbox, clock, &mut rng).await;
        for r in runs {
            println!(
                "{}: {} changes published, {} orders imported, {} order lines moved stock, {} still pending{}{}",
                r.name,
                r.published,
                r.new_orders,
                r.stock_moves,
                r.pending,
                if r.blocked > 0 {
                    format!(", {} listings blocked (see `kanaal publish`)", r.blocked)
                } else {
                    String::new()
                },
                if r.refused > 0 {
                    format!(", {} refused", r.refused)
                } else {
                    String::new()
                }
            );
            if let Some(p) = r.problem {
                println!("  Stopped early: {p}");
            }
        }
        println!("The sandbox channels end with this command; the desktop app's --demo keeps them running.");
    });
}
