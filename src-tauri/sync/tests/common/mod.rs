//! Shared set-up for the sync tests: a store with a few products that the sandbox world also
//! sells (so its orders match), both sandbox channels, and connectors built against them with
//! instant retry waits.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use kanaal_channels::bol::{quick_poll, Bol, BolConfig};
use kanaal_channels::credentials::{Credentials, Secret};
use kanaal_channels::http::{HttpConfig, ManualTimer};
use kanaal_channels::model::{ListingLevel, LiveListing};
use kanaal_channels::shopify::ShopifyChannel;
use kanaal_channels::{Channel, PageCursor};
use kanaal_core::catalog::{
    self, NewProduct, NewVariant, ProductStatus, Source, StockLevel, VariantPrices,
};
use kanaal_core::clock::{Clock, FixedClock};
use kanaal_core::ids::ChannelId;
use kanaal_core::money::Money;
use kanaal_core::progress::{CancelToken, NoProgress};
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sandbox::{Sandbox, SandboxConfig};
use kanaal_sync::publish;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rusqlite::params;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

pub struct Env {
    pub sandbox: Sandbox,
    pub store: Store,
    pub dir: tempfile::TempDir,
    /// The engine's clock (backoff, timestamps); moved forward between rounds.
    pub clock: Arc<FixedClock>,
    pub shop_id: ChannelId,
    pub bol_id: ChannelId,
    pub shopify: ShopifyChannel,
    pub bol: Bol,
    pub rng: ChaCha8Rng,
}

/// World products the catalog holds (by index into the sandbox world's products).
pub const WORLD_PRODUCTS: [usize; 4] = [0, 1, 2, 3];

pub fn shopify_connector(sandbox: &Sandbox, seed: u64) -> ShopifyChannel {
    let info = sandbox.platform("shopify").unwrap();
    let mut http = HttpConfig::new("Shopify", &info.base_url);
    // Real waits: the sandbox's cost bucket refills in real time, so a throttled call must
    // really wait for it. Retries of other failures wait only milliseconds.
    http.retry.base_delay = Duration::from_millis(5);
    http.retry.max_delay = Duration::from_millis(40);
    http.seed = seed;
    http.timeout = Duration::from_secs(5);
    ShopifyChannel::new(http, Secret::new(&info.credentials["access_token"])).unwrap()
}

pub fn bol_connector(sandbox: &Sandbox, seed: u64) -> Bol {
    let info = sandbox.platform("bol").unwrap();
    let mut config = BolConfig::new(
        &info.base_url,
        &info.base_url,
        Arc::new(FixedClock::at(sandbox.clock().now())),
    );
    config.http.timer = Arc::new(ManualTimer::new());
    config.http.seed = seed;
    config.http.timeout = Duration::from_secs(5);
    config.poll = quick_poll();
    let creds = Credentials::new()
        .with("client_id", &info.credentials["client_id"])
        .with("client_secret", &info.credentials["client_secret"]);
    Bol::new(config, &creds).unwrap()
}

/// A store with the world's first products (stock `stock` each) and a two-variant product of
/// its own that no platform sells, plus both sandbox channels.
pub async fn env(seed: u64, faults: FaultPlan, stock: i64) -> Env {
    let sandbox = Sandbox::start(SandboxConfig {
        seed,
        faults,
        speed: 0.0,
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let clock = Arc::new(FixedClock::at(sandbox.clock().now()));
    let (shop_id, bol_id) = seed_store(&store, sandbox.world(), stock, clock.now());
    let shopify = shopify_connector(&sandbox, seed);
    let bol = bol_connector(&sandbox, seed);
    Env {
        sandbox,
        store,
        dir,
        clock,
        shop_id,
        bol_id,
        shopify,
        bol,
        rng: ChaCha8Rng::seed_from_u64(seed),
    }
}

/// Puts the catalog (the world's first products and a two-variant product of its own, `stock`
/// each) and both channels into `store`. Returns (Shopify, bol.com) channel ids.
pub fn seed_store(
    store: &Store,
    world: &kanaal_sandbox::world::World,
    stock: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> (ChannelId, ChannelId) {
    store
        .write(|tx| {
            let loc = catalog::add_location(tx, "winkel", "Winkel")?;
            for &i in &WORLD_PRODUCTS {
                let p = &world.products[i];
                catalog::insert_product(
                    tx,
                    &product(
                        &p.sku.to_lowercase(),
                        &p.title,
                        vec![variant(&p.sku, &p.ean, p.price, vec![], loc, stock)],
                        vec![],
                    ),
                    now,
                    Source::Cli,
                )?;
            }
            let own = product(
                "mok-set",
                "Mokkenset stoneware",
                vec![
                    variant(
                        "MOK-SET-2",
                        &kanaal_sandbox::world::ean13("871900009001"),
                        rust_decimal::Decimal::new(2495, 2),
                        vec!["2 stuks".into()],
                        loc,
                        stock,
                    ),
                    variant(
                        "MOK-SET-4",
                        &kanaal_sandbox::world::ean13("871900009002"),
                        rust_decimal::Decimal::new(4495, 2),
                        vec!["4 stuks".into()],
                        loc,
                        stock,
                    ),
                ],
                vec![("Aantal".into(), "Amount".into())],
            );
            catalog::insert_product(tx, &own, now, Source::Cli)?;
            // Connected before the world's first order, so every one of its sales is a sale to
            // count (shipped history from before a connection takes no stock).
            let connected = now - chrono::Duration::days(365);
            let shop = kanaal_core::channels::add(tx, "shopify", "Webshop", None, connected)?;
            let bol = kanaal_core::channels::add(tx, "bol", "bol.com", None, connected)?;
            Ok((shop, bol))
        })
        .unwrap()
}

fn product(
    handle: &str,
    title: &str,
    variants: Vec<NewVariant>,
    options: Vec<(String, String)>,
) -> NewProduct {
    NewProduct {
        handle: handle.into(),
        title_nl: title.into(),
        title_en: title.into(),
        description_nl: format!("{title}, vers van de branderij."),
        description_en: String::new(),
        brand: "Branderij De Gracht".into(),
        category: None,
        status: ProductStatus::Active,
        tags: vec![],
        options,
        variants,
        images: vec![],
    }
}

fn variant(
    sku: &str,
    ean: &str,
    price: rust_decimal::Decimal,
    options: Vec<String>,
    loc: kanaal_core::ids::LocationId,
    stock: i64,
) -> NewVariant {
    NewVariant {
        sku: sku.into(),
        gtin: Some(ean.into()),
        options,
        prices: VariantPrices {
            price: Money::eur(price),
            compare_at: None,
            cost: None,
            vat: VatRate::Reduced,
        },
        weight_grams: Some(250),
        stock: vec![StockLevel {
            location: loc,
            quantity: stock,
        }],
    }
}

/// An [`env`] with everything published and sent (drained until the outbox is empty), stock
/// 20 per variant.
pub async fn published(seed: u64) -> Env {
    let mut env = env(seed, FaultPlan::none(), 20).await;
    env.publish_and_send().await;
    env
}

/// Every listing `c` shows, all pages read.
pub async fn live_listings(c: &dyn Channel) -> Vec<LiveListing> {
    let mut all = Vec::new();
    let mut page: Option<PageCursor> = None;
    loop {
        let p = c.live_listings(page.as_ref()).await.unwrap();
        all.extend(p.items);
        match p.next {
            Some(n) => page = Some(n),
            None => return all,
        }
    }
}

/// The merchant changes an offer in bol.com's seller tools: a `PUT` on bol's retailer API
/// (`path`, e.g. `/retailer/offers/{id}/price`) with a token of its own, which must succeed.
pub async fn bol_portal_put(sandbox: &Sandbox, path: &str, body: String) {
    let http = reqwest::Client::new();
    let info = sandbox.platform("bol").unwrap();
    let token: serde_json::Value = http
        .post(format!("{}/token", info.urls["login"]))
        .query(&[("grant_type", "client_credentials")])
        .basic_auth(
            &info.credentials["client_id"],
            Some(&info.credentials["client_secret"]),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let media = "application/vnd.retailer.v10+json";
    let r = http
        .put(format!("{}{path}", info.base_url))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .header("accept", media)
        .header("content-type", media)
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success(),
        "bol took the change at {path}: {}",
        r.status()
    );
}

/// The body of bol's offer price update for one unit price.
pub fn bol_price_body(price: &str) -> String {
    format!(r#"{{"pricing":{{"bundlePrices":[{{"quantity":1,"unitPrice":{price}}}]}}}}"#)
}

impl Env {
    pub fn connector(&self, channel: ChannelId) -> &dyn Channel {
        if channel == self.shop_id {
            &self.shopify
        } else {
            &self.bol
        }
    }

    /// Lists every product on both channels, plans and confirms.
    pub fn publish_all(&self) {
        publish::list_products(&self.store, self.shop_id, ListingLevel::Product, None).unwrap();
        publish::list_products(&self.store, self.bol_id, ListingLevel::Variant, None).unwrap();
        for ch in [self.shop_id, self.bol_id] {
            let plan = publish::plan(&self.store, ch, &self.connector(ch).limits()).unwrap();
            publish::confirm(&self.store, &plan, self.clock.as_ref()).unwrap();
        }
    }

    /// Lists, plans and confirms everything and sends it, draining both channels until the
    /// outbox is empty: both channels carry the catalog.
    pub async fn publish_and_send(&mut self) {
        self.publish_all();
        for _ in 0..6 {
            if self.open_rows() == 0 {
                break;
            }
            for ch in [self.shop_id, self.bol_id] {
                self.drain(ch).await;
            }
        }
        assert_eq!(self.open_rows(), 0, "the first publish went out");
    }

    pub async fn drain(&mut self, channel: ChannelId) -> kanaal_sync::DrainReport {
        let connector: &dyn Channel = if channel == self.shop_id {
            &self.shopify
        } else {
            &self.bol
        };
        kanaal_sync::drain_outbox(
            &self.store,
            channel,
            connector,
            self.clock.as_ref(),
            &mut self.rng,
            &CancelToken::new(),
            &NoProgress,
        )
        .await
        .unwrap()
    }

    pub async fn sync(&mut self, channel: ChannelId) -> kanaal_sync::SyncReport {
        let connector: &dyn Channel = if channel == self.shop_id {
            &self.shopify
        } else {
            &self.bol
        };
        kanaal_sync::sync_channel(
            &self.store,
            channel,
            connector,
            self.clock.as_ref(),
            &mut self.rng,
            &CancelToken::new(),
            &NoProgress,
        )
        .await
        .unwrap()
    }

    /// Moves the sandbox's clock and Kanaal's on by `d` together: what the platform does
    /// meanwhile is newer than Kanaal's last look.
    pub fn pass(&self, d: std::time::Duration) {
        self.sandbox.clock().advance(d);
        let d = chrono::Duration::from_std(d).unwrap();
        self.clock.advance(d);
    }

    /// Outbox rows not yet settled (queued, waiting or sending).
    pub fn open_rows(&self) -> i64 {
        self.store
            .read(|tx| {
                Ok(tx.query_row(
                    "SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'waiting', 'sending')",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    }

    /// Stock on hand per SKU.
    pub fn stock(&self) -> BTreeMap<String, i64> {
        self.store
            .read(|tx| {
                let mut stmt = tx.prepare(
                    "SELECT v.sku, COALESCE((SELECT SUM(quantity) FROM stock s WHERE s.variant_id = v.id), 0)
                     FROM variants v",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap()
    }

    /// Sets a channel's stock buffer.
    pub fn set_buffer(&self, channel: ChannelId, buffer: i64) {
        self.store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO channel_rules (channel_id, stock_buffer) VALUES (?1, ?2)
                     ON CONFLICT(channel_id) DO UPDATE SET stock_buffer = excluded.stock_buffer",
                    params![channel.0, buffer],
                )?;
                Ok(())
            })
            .unwrap();
    }

    pub fn buffer(&self, channel: ChannelId) -> i64 {
        self.store
            .read(|tx| {
                Ok(tx
                    .query_row(
                        "SELECT stock_buffer FROM channel_rules WHERE channel_id = ?1",
                        params![channel.0],
                        |r| r.get(0),
                    )
                    .unwrap_or(0))
            })
            .unwrap()
    }

    /// Sets the local stock of a SKU (its one location).
    pub fn set_stock(&self, sku: &str, quantity: i64) {
        self.store
            .write(|tx| {
                tx.execute(
                    "UPDATE stock SET quantity = ?2 WHERE variant_id = (SELECT id FROM variants WHERE sku = ?1)",
                    params![sku, quantity],
                )?;
                Ok(())
            })
            .unwrap();
    }

    /// Units of each catalog SKU the world has sold on `platform` up to the sandbox's now.
    pub fn world_sold(&self, platform: &str) -> BTreeMap<String, i64> {
        let world = self.sandbox.world();
        let mut out = BTreeMap::new();
        for p in world.purchases_on(platform, self.sandbox.clock().now()) {
            for (i, q) in &p.lines {
                if WORLD_PRODUCTS.contains(i) {
                    *out.entry(world.products[*i].sku.clone()).or_insert(0) += i64::from(*q);
                }
            }
        }
        out
    }

    /// Runs publish-free sync rounds on both channels until nothing is left to send, moving the
    /// clock past every backoff between rounds. Returns the number of rounds.
    pub async fn run_until_quiet(&mut self, max_rounds: usize) -> usize {
        for round in 1..=max_rounds {
            let (shop, bol) = (self.shop_id, self.bol_id);
            let a = self.sync(bol).await;
            let b = self.sync(shop).await;
            if a.orders.is_some() && b.orders.is_some() && self.open_rows() == 0 {
                return round;
            }
            self.clock.advance(chrono::Duration::hours(2));
        }
        panic!("did not converge in {max_rounds} rounds");
    }
}
