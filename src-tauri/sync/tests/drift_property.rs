//! Drift and conflicts against the real sandbox (issue 5, item 4): random interleavings of
//! local edits, edits made on the channel through the platform's own API (as a merchant in the
//! bol.com or Shopify portal would), publishes, syncs and the merchant's choices never lose an
//! edit and never resolve a change made on both sides without the merchant.
//!
//! Three fields are followed: the bol.com price of one product (edited remotely with bol's
//! `PUT /retailer/offers/{id}/price`), and its Shopify title and description (edited with
//! `productUpdate`; the description lands in the catalog when adopted, like the title).
//! A model keeps, per field, Kanaal's value (mine), the base (what the channel last confirmed
//! from Kanaal) and the channel edit not yet decided on. Checked after every step:
//! - the catalog (and the listing's override) holds exactly what the merchant edited or adopted;
//! - an undecided channel edit is still on the channel (the outbox never overwrote it);
//! - after a sync, the stored finding is exactly what the three-way comparison at the time of
//!   the check says (changed on the channel only / on both sides / none);
//!   and at the end, after the merchant keeps their values, both channels show Kanaal's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Env;
use kanaal_core::catalog::edit::{self, Change, Field, Target};
use kanaal_core::catalog::Source;
use kanaal_core::clock::Clock;
use kanaal_core::drift::{self, price_value, DriftKind, Resolution};
use kanaal_core::ids::{ChannelId, ListingId, VariantId};
use kanaal_core::publish::Overrides;
use kanaal_sync::{publish, remote};
use proptest::prelude::*;
use rusqlite::params;
use serde_json::{json, Value};

const PRICES: [&str; 4] = ["10.00", "11.50", "12.95", "14.00"];
const TITLES: [&str; 3] = ["Koffie A", "Koffie B", "Koffie C"];
const DESCRIPTIONS: [&str; 3] = ["Vers gebrand", "<p>Zacht en rond</p>", "Biologisch"];

/// A followed field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    BolPrice,
    ShopTitle,
    ShopDescription,
}

impl Which {
    const ALL: [Which; 3] = [Which::BolPrice, Which::ShopTitle, Which::ShopDescription];
    fn bol(self) -> bool {
        self == Which::BolPrice
    }
}

#[derive(Debug, Clone)]
enum Op {
    LocalPrice(usize),
    LocalTitle(usize),
    RemotePrice(usize),
    RemoteTitle(usize),
    LocalDescription(usize),
    RemoteDescription(usize),
    Publish(bool),
    Sync(bool),
    Resolve(Which, bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0..PRICES.len()).prop_map(Op::LocalPrice),
        1 => (0..TITLES.len()).prop_map(Op::LocalTitle),
        1 => (0..PRICES.len()).prop_map(Op::RemotePrice),
        1 => (0..TITLES.len()).prop_map(Op::RemoteTitle),
        1 => (0..DESCRIPTIONS.len()).prop_map(Op::LocalDescription),
        1 => (0..DESCRIPTIONS.len()).prop_map(Op::RemoteDescription),
        1 => any::<bool>().prop_map(Op::Publish),
        2 => any::<bool>().prop_map(Op::Sync),
        1 => (0..3usize, any::<bool>()).prop_map(|(w, a)| Op::Resolve(Which::ALL[w], a)),
    ]
}

/// One followed field: Kanaal's value, the base, and a channel edit not decided on yet.
#[derive(Debug, Clone)]
struct FieldModel {
    mine: Value,
    base: Value,
    undecided: Option<Value>,
}

struct World {
    env: Env,
    http: reqwest::Client,
    variant: VariantId,
    product: kanaal_core::ids::ProductId,
    bol_listing: ListingId,
    shop_listing: ListingId,
    offer_id: String,
    product_gid: String,
    price_field: String,
    catalog_price: Value,
    bol_override: Option<Value>,
    price: FieldModel,
    title: FieldModel,
    description: FieldModel,
}

impl World {
    async fn new(seed: u64) -> World {
        let env = common::published(seed).await;
        let sku = env.sandbox.world().products[0].sku.clone();
        let (variant, product, bol_listing, shop_listing) = env
            .store
            .read(|tx| {
                let (v, p): (i64, i64) = tx.query_row(
                    "SELECT id, product_id FROM variants WHERE sku = ?1",
                    params![sku],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                let bol: i64 = tx.query_row(
                    "SELECT id FROM listings WHERE channel_id = ?1 AND variant_id = ?2",
                    params![env.bol_id.0, v],
                    |r| r.get(0),
                )?;
                let shop: i64 = tx.query_row(
                    "SELECT id FROM listings WHERE channel_id = ?1 AND product_id = ?2",
                    params![env.shop_id.0, p],
                    |r| r.get(0),
                )?;
                Ok((
                    VariantId(v),
                    kanaal_core::ids::ProductId(p),
                    ListingId(bol),
                    ListingId(shop),
                ))
            })
            .unwrap();
        let remote_id = |l: ListingId| {
            env.store
                .read(|tx| remote::published(tx, l.0))
                .unwrap()
                .unwrap()
                .remote_id
        };
        let offer_id = remote_id(bol_listing);
        let product_gid = remote_id(shop_listing);
        let mut w = World {
            http: reqwest::Client::new(),
            variant,
            product,
            bol_listing,
            shop_listing,
            offer_id,
            product_gid,
            price_field: drift::price_field(&sku),
            catalog_price: Value::Null,
            bol_override: None,
            price: FieldModel {
                mine: Value::Null,
                base: Value::Null,
                undecided: None,
            },
            title: FieldModel {
                mine: Value::Null,
                base: Value::Null,
                undecided: None,
            },
            description: FieldModel {
                mine: Value::Null,
                base: Value::Null,
                undecided: None,
            },
            env,
        };
        let p = w.remote_price();
        let t = w.remote_title();
        w.catalog_price = p.clone();
        w.price = FieldModel {
            mine: p.clone(),
            base: p,
            undecided: None,
        };
        w.title = FieldModel {
            mine: t.clone(),
            base: t,
            undecided: None,
        };
        let d = w.remote_description().await;
        w.description = FieldModel {
            mine: d.clone(),
            base: d,
            undecided: None,
        };
        w
    }

    /// The description as the Shopify admin shows it (Admin GraphQL `product`).
    async fn remote_description(&self) -> Value {
        let info = self.env.sandbox.platform("shopify").unwrap();
        let r: Value = self
            .http
            .post(&info.urls["graphql"])
            .header("X-Shopify-Access-Token", &info.credentials["access_token"])
            .json(&json!({
                "query": "query P($id: ID!) { product(id: $id) { descriptionHtml } }",
                "variables": {"id": self.product_gid},
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let d = &r["data"]["product"]["descriptionHtml"];
        assert!(d.is_string(), "the product is on Shopify: {r}");
        d.clone()
    }

    async fn remote(&self, which: Which) -> Value {
        match which {
            Which::BolPrice => self.remote_price(),
            Which::ShopTitle => self.remote_title(),
            Which::ShopDescription => self.remote_description().await,
        }
    }

    fn remote_price(&self) -> Value {
        let o = self
            .env
            .sandbox
            .bol()
            .offers()
            .into_iter()
            .find(|o| o.offer_id == self.offer_id)
            .expect("the offer is on bol.com");
        price_value(o.unit_price.unwrap())
    }

    fn remote_title(&self) -> Value {
        let p = self
            .env
            .sandbox
            .shopify()
            .products()
            .into_iter()
            .find(|p| p.gid == self.product_gid)
            .expect("the product is on Shopify");
        Value::String(p.title)
    }

    /// The merchant changes the price in the bol.com seller portal (bol's retailer API).
    async fn bol_portal_price(&self, price: &str) {
        common::bol_portal_put(
            &self.env.sandbox,
            &format!("/retailer/offers/{}/price", self.offer_id),
            common::bol_price_body(price),
        )
        .await;
    }

    /// The merchant renames the product in the Shopify admin (Admin GraphQL `productUpdate`).
    async fn shopify_admin_title(&self, title: &str) {
        self.shopify_admin(json!({"id": self.product_gid, "title": title}))
            .await;
    }

    /// The merchant rewrites the description in the Shopify admin.
    async fn shopify_admin_description(&self, text: &str) {
        self.shopify_admin(json!({"id": self.product_gid, "descriptionHtml": text}))
            .await;
    }

    async fn shopify_admin(&self, product: Value) {
        let info = self.env.sandbox.platform("shopify").unwrap();
        let r: Value = self
            .http
            .post(&info.urls["graphql"])
            .header("X-Shopify-Access-Token", &info.credentials["access_token"])
            .json(&json!({
                "query": "mutation U($p: ProductUpdateInput!) { productUpdate(product: $p) { product { id title } userErrors { field message } } }",
                "variables": {"p": product},
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            r["data"]["productUpdate"]["userErrors"],
            json!([]),
            "Shopify took the change: {r}"
        );
    }

    fn findings(&self, channel: ChannelId) -> Vec<drift::Finding> {
        self.env
            .store
            .read(|tx| drift::list(tx, Some(channel)))
            .unwrap()
    }

    fn model_field(&mut self, which: Which) -> (&mut FieldModel, ListingId, String, ChannelId) {
        match which {
            Which::BolPrice => {
                let f = self.price_field.clone();
                (&mut self.price, self.bol_listing, f, self.env.bol_id)
            }
            Which::ShopTitle => (
                &mut self.title,
                self.shop_listing,
                "title".into(),
                self.env.shop_id,
            ),
            Which::ShopDescription => (
                &mut self.description,
                self.shop_listing,
                "description".into(),
                self.env.shop_id,
            ),
        }
    }

    fn catalog_edit(&self, target: Target, field: Field, new: &str) {
        self.env
            .store
            .write(|tx| {
                let old = edit::current(tx, target, field)?;
                edit::apply(
                    tx,
                    &[Change {
                        target,
                        field,
                        old,
                        new: Some(new.to_string()),
                    }],
                    "test edit",
                    self.env.clock.now(),
                    Source::Ui,
                )?;
                Ok(())
            })
            .unwrap();
    }

    async fn step(&mut self, op: &Op) {
        match *op {
            Op::LocalPrice(i) => {
                self.catalog_edit(Target::Variant(self.variant), Field::Price, PRICES[i]);
                self.catalog_price = json!(PRICES[i]);
                if self.bol_override.is_none() {
                    self.price.mine = json!(PRICES[i]);
                }
                agree(&mut self.price);
            }
            Op::LocalTitle(i) => {
                self.catalog_edit(Target::Product(self.product), Field::TitleNl, TITLES[i]);
                self.title.mine = json!(TITLES[i]);
                agree(&mut self.title);
            }
            Op::RemotePrice(i) => {
                if self.remote_price() != json!(PRICES[i]) {
                    self.bol_portal_price(PRICES[i]).await;
                    self.price.undecided = Some(json!(PRICES[i]));
                    agree(&mut self.price);
                }
            }
            Op::RemoteTitle(i) => {
                if self.remote_title() != json!(TITLES[i]) {
                    self.shopify_admin_title(TITLES[i]).await;
                    self.title.undecided = Some(json!(TITLES[i]));
                    agree(&mut self.title);
                }
            }
            Op::LocalDescription(i) => {
                self.catalog_edit(
                    Target::Product(self.product),
                    Field::DescriptionNl,
                    DESCRIPTIONS[i],
                );
                self.description.mine = json!(DESCRIPTIONS[i]);
                agree(&mut self.description);
            }
            Op::RemoteDescription(i) => {
                if self.remote_description().await != json!(DESCRIPTIONS[i]) {
                    self.shopify_admin_description(DESCRIPTIONS[i]).await;
                    self.description.undecided = Some(json!(DESCRIPTIONS[i]));
                    agree(&mut self.description);
                }
            }
            Op::Publish(bol) => {
                let ch = if bol {
                    self.env.bol_id
                } else {
                    self.env.shop_id
                };
                let limits = self.env.connector(ch).limits();
                let plan = publish::plan(&self.env.store, ch, &limits).unwrap();
                let listing = if bol {
                    self.bol_listing
                } else {
                    self.shop_listing
                };
                let open = !self.findings(ch).is_empty();
                let item = plan.listings.iter().find(|l| l.listing == listing).unwrap();
                assert_eq!(
                    item.blocked(),
                    open,
                    "a listing with a change on the channel is held back from publishing, and only then"
                );
                publish::confirm(&self.env.store, &plan, self.env.clock.as_ref()).unwrap();
            }
            Op::Sync(bol) => self.sync(bol).await,
            Op::Resolve(which, adopt) => {
                let (_, listing, field, ch) = self.model_field(which);
                let Some(f) = self
                    .findings(ch)
                    .into_iter()
                    .find(|f| f.listing == listing && f.field == field)
                else {
                    return;
                };
                let resolution = if adopt {
                    Resolution::Adopt
                } else {
                    Resolution::KeepMine
                };
                let now = self.env.clock.now();
                self.env
                    .store
                    .write(|tx| drift::resolve(tx, listing, &field, resolution, now))
                    .unwrap();
                let theirs = f.theirs.clone();
                if adopt && which.bol() {
                    self.bol_override = Some(theirs.clone());
                }
                let (m, ..) = self.model_field(which);
                if adopt {
                    m.mine = theirs;
                } else {
                    m.base = theirs;
                }
                m.undecided = None;
            }
        }
        self.check_store();
        self.check_channels().await;
    }

    async fn sync(&mut self, bol: bool) {
        let which: Vec<Which> = Which::ALL.into_iter().filter(|w| w.bol() == bol).collect();
        let mut expected = Vec::new();
        for &w in &which {
            let remote = self.remote(w).await;
            let (m, ..) = self.model_field(w);
            let kind = match drift::classify(Some(&m.base), &m.mine, &remote) {
                drift::FieldState::RemoteOnly => Some(DriftKind::Remote),
                drift::FieldState::Conflict => Some(DriftKind::Conflict),
                _ => None,
            };
            expected.push((kind, m.mine.clone(), m.base.clone(), remote));
        }
        let ch = if bol {
            self.env.bol_id
        } else {
            self.env.shop_id
        };
        let report = self.env.sync(ch).await;
        assert!(report.drift.is_some(), "the sync read the channel back");
        for (&w, (expected, mine, base, remote)) in which.iter().zip(expected) {
            let (_, listing, field, ch) = self.model_field(w);
            let found = self
                .findings(ch)
                .into_iter()
                .find(|f| f.listing == listing && f.field == field);
            match (expected, &found) {
                (None, None) => {}
                (Some(kind), Some(f)) => {
                    assert_eq!(f.kind, kind, "{field}: base {base}, mine {mine}, theirs {remote}");
                    assert_eq!(f.theirs, remote);
                    assert_eq!(f.mine, mine);
                    assert_eq!(f.base.as_ref(), Some(&base));
                }
                _ => panic!(
                    "{field}: base {base}, mine {mine}, theirs {remote}: expected {expected:?}, stored {found:?}"
                ),
            }
            // What the outbox sent for the listing is what the channel confirmed: the new base.
            let sent = report.outbox.rows.iter().any(|r| {
                r.listing_id == Some(listing.0)
                    && matches!(r.operation.as_str(), "create" | "update")
                    && matches!(
                        r.outcome,
                        kanaal_sync::RowOutcome::Done | kanaal_sync::RowOutcome::Adopted
                    )
            });
            if sent {
                let now = self.remote(w).await;
                let (m, ..) = self.model_field(w);
                m.base = now;
            }
        }
    }

    /// The catalog and the override hold exactly what the merchant edited or adopted.
    fn check_store(&self) {
        let (price, title, description, overrides) = self
            .env
            .store
            .read(|tx| {
                let price = edit::current(tx, Target::Variant(self.variant), Field::Price)?;
                let title = edit::current(tx, Target::Product(self.product), Field::TitleNl)?;
                let description =
                    edit::current(tx, Target::Product(self.product), Field::DescriptionNl)?;
                let o: String = tx.query_row(
                    "SELECT overrides FROM listings WHERE id = ?1",
                    params![self.bol_listing.0],
                    |r| r.get(0),
                )?;
                Ok((price, title, description, Overrides::parse(&o)?))
            })
            .unwrap();
        assert_eq!(
            json!(price.unwrap()),
            self.catalog_price,
            "catalog price kept"
        );
        assert_eq!(json!(title.unwrap()), self.title.mine, "catalog title kept");
        assert_eq!(
            json!(description.unwrap_or_default()),
            self.description.mine,
            "catalog description kept"
        );
        assert_eq!(
            overrides.price.map(price_value),
            self.bol_override,
            "bol.com price override kept"
        );
    }

    /// A channel edit the merchant has not decided on is still on the channel.
    async fn check_channels(&self) {
        if let Some(v) = &self.price.undecided {
            assert_eq!(
                &self.remote_price(),
                v,
                "the price changed on bol.com was overwritten"
            );
        }
        if let Some(v) = &self.title.undecided {
            assert_eq!(
                &self.remote_title(),
                v,
                "the title changed on Shopify was overwritten"
            );
        }
        if let Some(v) = &self.description.undecided {
            assert_eq!(
                &self.remote_description().await,
                v,
                "the description changed on Shopify was overwritten"
            );
        }
    }
}

/// Both sides now hold the same value: nothing is left to decide for this field.
fn agree(m: &mut FieldModel) {
    if m.undecided.as_ref() == Some(&m.mine) {
        m.undecided = None;
    }
}

async fn run(seed: u64, ops: Vec<Op>) {
    let mut w = World::new(seed).await;
    for op in &ops {
        w.step(op).await;
    }
    // The merchant keeps their values for whatever is still open; two rounds of publish and
    // sync then bring both channels to Kanaal's values.
    for _ in 0..3 {
        for bol in [true, false] {
            for which in Which::ALL.into_iter().filter(|x| x.bol() == bol) {
                w.step(&Op::Resolve(which, false)).await;
            }
            w.step(&Op::Publish(bol)).await;
            w.step(&Op::Sync(bol)).await;
        }
    }
    assert_eq!(
        w.remote_price(),
        w.price.mine,
        "bol.com ends with Kanaal's price"
    );
    assert_eq!(
        w.remote_title(),
        w.title.mine,
        "Shopify ends with Kanaal's title"
    );
    assert_eq!(
        w.remote_description().await,
        w.description.mine,
        "Shopify ends with Kanaal's description"
    );
    w.env.sandbox.shutdown().await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, max_shrink_iters: 16, ..ProptestConfig::default() })]

    #[test]
    fn local_and_channel_edits_are_never_lost_nor_silently_merged(
        seed in 1u64..1000,
        ops in proptest::collection::vec(op(), 1..10),
    ) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(run(seed, ops));
    }
}

/// A fixed interleaving that must meet every case: a price changed on both sides is a conflict,
/// the publish holds it, keep mine sends Kanaal's, and adopt puts theirs in the override.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflict_waits_for_the_merchant_and_both_choices_work() {
    let ops = vec![
        Op::LocalPrice(0),
        Op::RemotePrice(1),
        Op::Publish(true),
        Op::Sync(true),
        Op::Sync(true),
        Op::Resolve(Which::BolPrice, false),
        Op::Publish(true),
        Op::Sync(true),
        Op::RemotePrice(2),
        Op::Sync(true),
        Op::Resolve(Which::BolPrice, true),
        Op::RemoteDescription(1),
        Op::Sync(false),
        Op::Resolve(Which::ShopDescription, true),
        Op::LocalDescription(2),
        Op::RemoteDescription(0),
        Op::Sync(false),
        Op::Resolve(Which::ShopDescription, false),
        Op::RemoteTitle(1),
        Op::LocalTitle(2),
        Op::Sync(false),
        Op::Resolve(Which::ShopTitle, true),
        Op::Publish(false),
        Op::Sync(false),
    ];
    let mut w = World::new(7).await;
    for op in &ops {
        w.step(op).await;
    }
    assert_eq!(
        w.bol_override,
        Some(json!("12.95")),
        "adopted into the bol.com override"
    );
    assert_eq!(w.remote_price(), json!("12.95"));
    assert_eq!(
        w.title.mine,
        json!("Koffie B"),
        "Shopify's title adopted into the catalog"
    );
    assert_eq!(w.remote_title(), json!("Koffie B"));
    assert_eq!(
        w.remote_description().await,
        json!("Biologisch"),
        "the description kept in Kanaal over a change on both sides went out"
    );
    // Adopting is an edit like any other: on the undo stack, with the channel as its source.
    let (undone, title, source) = w
        .env
        .store
        .write(|tx| {
            let b = edit::undo(tx, w.env.clock.now())?.unwrap();
            let title = edit::current(tx, Target::Product(w.product), Field::TitleNl)?;
            let source: String = tx.query_row(
                "SELECT source FROM audit_log WHERE batch_id = ?1 AND source <> 'undo'",
                params![b.id],
                |r| r.get(0),
            )?;
            Ok((b, title, source))
        })
        .unwrap();
    // The undo button's label is in the window's language (Dutch until the merchant chooses).
    assert!(
        undone.label.starts_with("De titel overgenomen van"),
        "{undone:?}"
    );
    assert_eq!(
        title.as_deref(),
        Some("Koffie C"),
        "undo brings the merchant's title back"
    );
    assert_eq!(source, "channel");
    w.env.sandbox.shutdown().await;
}
