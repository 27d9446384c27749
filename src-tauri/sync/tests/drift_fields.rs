//! Drift beyond title and price, against the real sandboxes (issue 5, item 4): every field the
//! channel reads back that Kanaal publishes (description, brand, "was" price, EAN/barcode,
//! whether the listing is on sale), listings removed on the channel with the merchant's two
//! choices ("Put it back" / "Take it off in Kanaal too"), and the hold on updates while a
//! channel cannot be read back (fault injection on bol.com's offer export).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Env;
use kanaal_channels::model::LiveListing;
use kanaal_channels::Channel;
use kanaal_core::catalog::edit::{self, Change, Field, Target};
use kanaal_core::catalog::Source;
use kanaal_core::clock::Clock;
use kanaal_core::drift::{self, DriftKind, Resolution};
use kanaal_core::failure::{Failure, Outage, StoredFailure};
use kanaal_core::ids::{ChannelId, ListingId, ProductId, VariantId};
use kanaal_core::money::Money;
use kanaal_core::publish::{Action, RenderedListing};
use kanaal_sandbox::faults::{Fault, Route};
use kanaal_sync::{publish, remote};
use rusqlite::params;
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::BTreeMap;

/// The listings of a channel: (listing, product, sku of its first variant).
fn listings(env: &Env, ch: ChannelId) -> Vec<(ListingId, ProductId)> {
    env.store
        .read(|tx| {
            let mut stmt = tx
                .prepare("SELECT id, product_id FROM listings WHERE channel_id = ?1 ORDER BY id")?;
            let rows = stmt.query_map(params![ch.0], |r| {
                Ok((ListingId(r.get(0)?), ProductId(r.get(1)?)))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap()
}

/// What the channel last confirmed of a listing, as the rendered listing Kanaal sent.
fn confirmed(env: &Env, l: ListingId) -> RenderedListing {
    let m = env
        .store
        .read(|tx| remote::mirror(tx, l.0))
        .unwrap()
        .unwrap();
    serde_json::from_value(m).unwrap()
}

fn findings(env: &Env, ch: ChannelId) -> BTreeMap<(ListingId, String), drift::Finding> {
    env.store
        .read(|tx| drift::list(tx, Some(ch)))
        .unwrap()
        .into_iter()
        .map(|f| ((f.listing, f.field.clone()), f))
        .collect()
}

fn resolve(env: &Env, l: ListingId, field: &str, r: Resolution) -> kanaal_core::Result<String> {
    let now = env.clock.now();
    env.store
        .write(|tx| drift::resolve(tx, l, field, r, now))
        .map(|r| r.outcome.to_string())
}

fn plan_action(env: &Env, ch: ChannelId, l: ListingId) -> (Action, bool) {
    let plan = publish::plan(&env.store, ch, &env.connector(ch).limits()).unwrap();
    let item = plan.listings.iter().find(|i| i.listing == l).unwrap();
    (item.action, item.blocked())
}

fn publish_channel(env: &Env, ch: ChannelId) {
    let plan = publish::plan(&env.store, ch, &env.connector(ch).limits()).unwrap();
    publish::confirm(&env.store, &plan, env.clock.as_ref()).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_description_brand_was_price_barcode_and_status_are_compared_and_resolved() {
    let mut env = common::published(11).await;
    let shop = env.shop_id;
    let (listing, product) = listings(&env, shop)[0];
    let sent = confirmed(&env, listing);
    let sku = sent.variants[0].sku.clone();
    let published = env
        .store
        .read(|tx| remote::published(tx, listing.0))
        .unwrap()
        .unwrap();
    // The merchant edits the product in the Shopify admin: description, vendor, a "was" price
    // and a new barcode on the first variant, and sets it to draft.
    let mut draft = remote::draft(&sent, None);
    draft.description = "<p>Vers gebrande bonen uit de winkel</p>".into();
    draft.brand = "Huismerk".into();
    draft.variants[0].compare_at_price = Some(Money::eur(Decimal::new(2495, 2)));
    draft.variants[0].gtin = Some("8710000000017".into());
    draft.attributes.insert("status".into(), "DRAFT".into());
    env.shopify
        .update_listing(&published, &draft)
        .await
        .unwrap();

    let report = env.sync(shop).await;
    assert!(report.drift.is_some(), "the channel was read back");
    assert_eq!(
        report.updates_held, None,
        "the read-back worked: nothing waits for it"
    );
    let found = findings(&env, shop);
    let f = |field: &str| found.get(&(listing, field.to_string()));
    let expect = [
        (
            "description",
            json!("<p>Vers gebrande bonen uit de winkel</p>"),
        ),
        ("brand", json!("Huismerk")),
        ("listed", json!("not_for_sale")),
        (
            &*drift::variant_field(&sku, "compare_at_price"),
            json!("24.95"),
        ),
        (&*drift::variant_field(&sku, "gtin"), json!("8710000000017")),
    ];
    for (field, theirs) in &expect {
        let x =
            f(field).unwrap_or_else(|| panic!("{field} changed on Shopify is found: {found:?}"));
        assert_eq!(&x.theirs, theirs, "{field}");
        assert_eq!(x.kind, DriftKind::Remote, "{field} changed on Shopify only");
    }
    assert!(f("title").is_none(), "the title did not change");
    assert!(
        f(&drift::price_field(&sku)).is_none(),
        "the price did not change"
    );
    assert_eq!(
        found.keys().filter(|(l, _)| *l == listing).count(),
        expect.len(),
        "nothing else is reported for the listing (stock is not compared): {found:?}"
    );
    assert!(
        plan_action(&env, shop, listing).1,
        "the listing is held back from publishing until the merchant chose"
    );

    // Adopt the description, the brand and the barcode into the catalog.
    resolve(&env, listing, "description", Resolution::Adopt).unwrap();
    resolve(&env, listing, "brand", Resolution::Adopt).unwrap();
    resolve(
        &env,
        listing,
        &drift::variant_field(&sku, "gtin"),
        Resolution::Adopt,
    )
    .unwrap();
    let variant = env
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT id FROM variants WHERE sku = ?1",
                params![sku],
                |r| r.get(0),
            )?)
        })
        .map(VariantId)
        .unwrap();
    let (description, brand, gtin) = env
        .store
        .read(|tx| {
            Ok((
                edit::current(tx, Target::Product(product), Field::DescriptionNl)?,
                edit::current(tx, Target::Product(product), Field::Brand)?,
                edit::current(tx, Target::Variant(variant), Field::Gtin)?,
            ))
        })
        .unwrap();
    assert_eq!(
        description.as_deref(),
        Some("<p>Vers gebrande bonen uit de winkel</p>")
    );
    assert_eq!(brand.as_deref(), Some("Huismerk"));
    assert_eq!(gtin.as_deref(), Some("8710000000017"));
    // Kanaal sends no "was" price, so it cannot take one over; it says what to do instead.
    let refused = resolve(
        &env,
        listing,
        &drift::variant_field(&sku, "compare_at_price"),
        Resolution::Adopt,
    )
    .unwrap_err();
    assert!(refused.to_string().contains("Keep mine"), "{refused}");
    resolve(
        &env,
        listing,
        &drift::variant_field(&sku, "compare_at_price"),
        Resolution::KeepMine,
    )
    .unwrap();
    // "Put it back" on sale.
    let said = resolve(&env, listing, "listed", Resolution::KeepMine).unwrap();
    assert!(said.contains("back on sale"), "{said}");
    let (action, blocked) = plan_action(&env, shop, listing);
    assert_eq!(
        (action, blocked),
        (Action::Update, false),
        "the whole listing goes out again"
    );
    publish_channel(&env, shop);
    env.run_until_quiet(6).await;

    let now: Vec<LiveListing> = common::live_listings(env.connector(shop))
        .await
        .into_iter()
        .filter(|l| l.remote_id == published.remote_id)
        .collect();
    let first = now.iter().find(|l| l.sku.as_deref() == Some(&sku)).unwrap();
    assert!(now.iter().all(|l| l.for_sale), "back on sale on Shopify");
    assert_eq!(first.compare_at_price, None, "the 'was' price is gone");
    assert_eq!(
        first.description.as_deref(),
        Some("<p>Vers gebrande bonen uit de winkel</p>"),
        "the adopted description stays"
    );
    assert_eq!(first.brand.as_deref(), Some("Huismerk"));
    assert_eq!(first.gtin.as_deref(), Some("8710000000017"));
    let report = env.sync(shop).await;
    assert!(report.drift.is_some());
    assert!(
        findings(&env, shop).keys().all(|(l, _)| *l != listing),
        "nothing left to decide: {:?}",
        findings(&env, shop)
    );
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_removed_on_the_channel_is_put_back_or_taken_off_in_kanaal_too() {
    let mut env = common::published(12).await;
    let bol = env.bol_id;
    let all = listings(&env, bol);
    let (back, off) = (all[0].0, all[1].0);
    let remote_of = |env: &Env, l: ListingId| {
        env.store
            .read(|tx| remote::published(tx, l.0))
            .unwrap()
            .unwrap()
    };
    let (back_remote, off_remote) = (remote_of(&env, back), remote_of(&env, off));
    let ean_back = confirmed(&env, back).variants[0].gtin.clone().unwrap();
    let ean_off = confirmed(&env, off).variants[0].gtin.clone().unwrap();
    // The merchant deletes both offers in the bol.com seller portal.
    env.bol.unpublish_listing(&back_remote).await.unwrap();
    env.bol.unpublish_listing(&off_remote).await.unwrap();
    // A stock change queues stock for every listing: none may go to a removed offer.
    let sku_off = confirmed(&env, off).variants[0].sku.clone();
    env.set_stock(&sku_off, 7);

    let report = env.sync(bol).await;
    let drift_report = report.drift.clone().unwrap();
    assert_eq!(drift_report.missing, 2, "{drift_report:?}");
    let found = findings(&env, bol);
    for l in [back, off] {
        let f = &found[&(l, "listed".to_string())];
        assert_eq!(f.theirs, json!("removed"));
        assert_eq!(f.kind, DriftKind::Remote);
        assert!(
            plan_action(&env, bol, l).1,
            "held back until the merchant chose"
        );
    }
    assert!(
        !report
            .outbox
            .rows
            .iter()
            .any(|r| r.listing_id == Some(off.0)),
        "nothing is sent to an offer that is gone: {:?}",
        report.outbox.rows
    );

    let said = resolve(&env, back, "listed", Resolution::KeepMine).unwrap();
    assert!(said.contains("puts it back"), "{said}");
    let said = resolve(&env, off, "listed", Resolution::Adopt).unwrap();
    assert!(said.contains("taken off"), "{said}");
    assert_eq!(
        plan_action(&env, bol, back),
        (Action::Create, false),
        "put back: created again by the next publish"
    );
    assert_eq!(
        plan_action(&env, bol, off),
        (Action::Nothing, false),
        "taken off in Kanaal too: nothing to send, not even a delete"
    );
    publish_channel(&env, bol);
    env.run_until_quiet(6).await;

    let offers = env.sandbox.bol().offers();
    assert!(
        offers.iter().any(|o| o.ean == ean_back),
        "the offer is back on bol.com"
    );
    assert!(
        !offers.iter().any(|o| o.ean == ean_off),
        "the offer taken off stays off"
    );
    let (state, mirror, open): (String, i64, i64) = env
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT state, (SELECT COUNT(*) FROM listing_mirror WHERE listing_id = l.id),
                        (SELECT COUNT(*) FROM outbox WHERE listing_id = l.id
                         AND state IN ('queued', 'waiting', 'sending'))
                 FROM listings l WHERE id = ?1",
                params![off.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(
        (state.as_str(), mirror, open),
        ("unpublished", 0, 0),
        "unlisted in Kanaal, its copy forgotten, nothing waiting for it"
    );
    let report = env.sync(bol).await;
    assert_eq!(report.drift.unwrap().missing, 0);
    assert!(findings(&env, bol).is_empty(), "{:?}", findings(&env, bol));
    env.sandbox.shutdown().await;
}

/// The merchant changes a price in the bol.com seller portal (bol's retailer API).
async fn bol_portal_price(env: &Env, offer_id: &str, price: &str) {
    common::bol_portal_put(
        &env.sandbox,
        &format!("/retailer/offers/{offer_id}/price"),
        common::bol_price_body(price),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_wait_while_the_channel_cannot_be_checked_and_stock_still_goes() {
    let mut env = common::published(13).await;
    let bol = env.bol_id;
    let (listing, _) = listings(&env, bol)[0];
    let sent = confirmed(&env, listing);
    let sku = sent.variants[0].sku.clone();
    let offer_id = env
        .store
        .read(|tx| remote::published(tx, listing.0))
        .unwrap()
        .unwrap()
        .remote_id;
    let offer = |env: &Env| {
        env.sandbox
            .bol()
            .offers()
            .into_iter()
            .find(|o| o.offer_id == offer_id)
            .unwrap()
    };
    // The merchant changes the price on bol.com after the last check, and edits the catalog
    // price in Kanaal and publishes (an update queued); stock changes too.
    bol_portal_price(&env, &offer_id, "17.25").await;
    env.store
        .write(|tx| {
            let (id,): (i64,) = tx.query_row(
                "SELECT id FROM variants WHERE sku = ?1",
                params![sku],
                |r| Ok((r.get(0)?,)),
            )?;
            let target = Target::Variant(VariantId(id));
            let old = edit::current(tx, target, Field::Price)?;
            edit::apply(
                tx,
                &[Change {
                    target,
                    field: Field::Price,
                    old,
                    new: Some("19.50".into()),
                }],
                "test edit",
                env.clock.now(),
                Source::Ui,
            )?;
            Ok(())
        })
        .unwrap();
    publish_channel(&env, bol);
    env.set_stock(&sku, 3);

    // bol.com's offer export answers 503 for every try of this sync's read-back.
    env.sandbox.faults().inject(
        Route::new(reqwest::Method::POST, "/retailer/offers/export"),
        Fault::Unavailable,
        4,
    );
    let report = env.sync(bol).await;
    assert!(report.drift.is_none(), "the read-back failed");
    let down = Failure::PlatformDown {
        channel: "bol.com".into(),
        detail: Outage::ErrorStatus { status: 503 },
    };
    assert_eq!(
        report.drift_error.as_ref(),
        Some(&down),
        "the cause travels typed (the status as a number) for the window to word"
    );
    assert_eq!(
        env.store
            .read(|tx| drift::unchecked(tx, bol))
            .unwrap()
            .map(|u| u.reason),
        Some(StoredFailure::Channel { failure: down }),
        "the stored reason of the failed check reads back typed"
    );
    assert_eq!(
        report.updates_held.as_deref(),
        Some("bol.com could not be checked for changes; updates wait until it can"),
    );
    assert!(report.outbox.held_unchecked >= 1, "{:?}", report.outbox);
    assert_eq!(
        offer(&env).unit_price.map(|p| p.round_dp(2).to_string()),
        Some("17.25".to_string()),
        "the price changed on bol.com is not overwritten unseen"
    );
    assert!(
        report
            .outbox
            .rows
            .iter()
            .any(|r| r.listing_id == Some(listing.0)
                && r.operation == "set_stock"
                && r.outcome == kanaal_sync::RowOutcome::Done),
        "stock still went out: {:?}",
        report.outbox.rows
    );
    // A publish's drain meanwhile holds the update too (the mark is kept, not only this sync's).
    let drained = env.drain(bol).await;
    assert!(drained.held_unchecked >= 1, "{drained:?}");
    assert_eq!(
        offer(&env).unit_price.map(|p| p.round_dp(2).to_string()),
        Some("17.25".to_string())
    );

    // The channel answers again: the change on bol.com is found (changed on both sides), and
    // the update keeps waiting for the merchant, not for a check.
    let report = env.sync(bol).await;
    assert!(report.drift.is_some(), "{:?}", report.drift_error);
    assert_eq!(report.updates_held, None);
    assert_eq!(report.outbox.held_unchecked, 0);
    let f = &findings(&env, bol)[&(listing, drift::price_field(&sku))];
    assert_eq!(f.kind, DriftKind::Conflict);
    assert_eq!(f.theirs, json!("17.25"));
    assert_eq!(
        offer(&env).unit_price.map(|p| p.round_dp(2).to_string()),
        Some("17.25".to_string())
    );
    // Keep mine: the next round sends Kanaal's price.
    resolve(
        &env,
        listing,
        &drift::price_field(&sku),
        Resolution::KeepMine,
    )
    .unwrap();
    publish_channel(&env, bol);
    env.run_until_quiet(6).await;
    let mine = env
        .store
        .read(|tx| remote::mirror(tx, listing.0))
        .unwrap()
        .and_then(|m| drift::mirror_value(&m, &drift::price_field(&sku)))
        .unwrap();
    let price = offer(&env).unit_price.unwrap();
    assert_eq!(
        drift::price_value(price),
        mine,
        "Kanaal's price went out once the merchant chose, and the channel confirmed it"
    );
    assert_ne!(mine, json!("17.25"));
    env.sandbox.shutdown().await;
}
