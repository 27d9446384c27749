//! The merchant's choice of products per channel (`publish::set_listed`), through the plan and
//! the sandbox channels: a product put on is created at the next publish, one taken off is
//! unpublished there (or simply left out if it was never sent), and one put back comes back as
//! the same remote product, never as a second copy. bol.com gets one listing per variant.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::env;
use kanaal_channels::model::ListingLevel;
use kanaal_core::failure::{StoredFailure, SupersededBy};
use kanaal_core::ids::{ChannelId, ProductId};
use kanaal_core::problem::InputProblem;
use kanaal_core::publish::{Action, Plan};
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sync::publish;
use rusqlite::params;

fn product(e: &common::Env, handle: &str) -> ProductId {
    e.store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT id FROM products WHERE handle = ?1",
                params![handle],
                |r| r.get(0).map(ProductId),
            )?)
        })
        .unwrap()
}

fn plan(e: &common::Env, channel: ChannelId) -> Plan {
    publish::plan(&e.store, channel, &e.connector(channel).limits()).unwrap()
}

/// (action, product) of every listing the plan would send something for.
fn sent(plan: &Plan) -> Vec<(Action, ProductId)> {
    plan.listings
        .iter()
        .filter(|l| l.action != Action::Nothing)
        .map(|l| (l.action, l.product))
        .collect()
}

fn set(e: &common::Env, channel: ChannelId, products: Option<&[ProductId]>, listed: bool) -> usize {
    let level = e.connector(channel).limits().listing_level;
    publish::set_listed(&e.store, channel, level, products, listed, e.clock.as_ref()).unwrap()
}

async fn publish_and_drain(e: &mut common::Env, channel: ChannelId) {
    let p = plan(e, channel);
    publish::confirm(&e.store, &p, e.clock.as_ref()).unwrap();
    let r = e.drain(channel).await;
    assert!(r.quiet(), "the publish went out: {r:?}");
    assert_eq!(e.open_rows(), 0);
}

fn listing_states(e: &common::Env, channel: ChannelId, p: ProductId) -> Vec<String> {
    e.store
        .read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT state FROM listings WHERE channel_id = ?1 AND product_id = ?2 ORDER BY id",
            )?;
            let rows = stmt.query_map(params![channel.0, p.0], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_on_creates_take_off_unpublishes_and_put_back_brings_the_same_shopify_product_back() {
    let mut e = env(41, FaultPlan::none(), 5).await;
    let shop = e.shop_id;
    let set_id = product(&e, "mok-set");

    assert!(
        sent(&plan(&e, shop)).is_empty(),
        "nothing on the channel yet"
    );
    assert_eq!(set(&e, shop, Some(&[set_id]), true), 1);
    assert_eq!(
        sent(&plan(&e, shop)),
        vec![(Action::Create, set_id)],
        "only the chosen product is created, once"
    );
    assert_eq!(set(&e, shop, Some(&[set_id]), true), 0, "already on it");
    publish_and_drain(&mut e, shop).await;
    assert_eq!(e.sandbox.shopify().products_created(), 1);

    // Take it off: the next publish unpublishes it; nothing is sent before that.
    assert_eq!(set(&e, shop, Some(&[set_id]), false), 1);
    assert_eq!(listing_states(&e, shop, set_id), ["unpublished"]);
    assert_eq!(e.open_rows(), 0, "taking off sends nothing by itself");
    assert_eq!(sent(&plan(&e, shop)), vec![(Action::Unpublish, set_id)]);
    assert_eq!(set(&e, shop, Some(&[set_id]), false), 0, "already off");
    publish_and_drain(&mut e, shop).await;
    let products = e.sandbox.shopify().products();
    assert_eq!(products.len(), 1);
    assert_ne!(products[0].status, "ACTIVE", "off sale in the shop");
    assert!(
        sent(&plan(&e, shop)).is_empty(),
        "off, and nothing more to do"
    );

    // Put it back: planned once, and the shop's own product comes back on sale.
    assert_eq!(set(&e, shop, Some(&[set_id]), true), 1);
    let back = sent(&plan(&e, shop));
    assert_eq!(back.len(), 1, "planned exactly once: {back:?}");
    assert!(matches!(back[0], (Action::Create | Action::Update, p) if p == set_id));
    publish_and_drain(&mut e, shop).await;
    let products = e.sandbox.shopify().products();
    assert_eq!(products.len(), 1, "never a second copy in the shop");
    assert_eq!(e.sandbox.shopify().products_created(), 1);
    assert_eq!(products[0].status, "ACTIVE", "on sale again");
    assert_eq!(listing_states(&e, shop, set_id), ["live"]);
    assert!(
        sent(&plan(&e, shop)).is_empty(),
        "settled after the publish"
    );

    // Every change was written to the history, as the window's.
    let audited: i64 = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT COUNT(*) FROM audit_log
                  WHERE entity = 'listing' AND source = 'ui' AND field = 'state'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(audited, 2, "taken off once and put back once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_never_sent_just_leaves_the_plan_and_one_taken_off_unsent_stays_as_it_is() {
    let mut e = env(42, FaultPlan::none(), 5).await;
    let shop = e.shop_id;
    let set_id = product(&e, "mok-set");
    let other = product(&e, &e.sandbox.world().products[0].sku.to_lowercase());

    // Never published: taking it off removes it from the plan, nothing to unpublish.
    set(&e, shop, Some(&[set_id, other]), true);
    set(&e, shop, Some(&[set_id]), false);
    assert_eq!(sent(&plan(&e, shop)), vec![(Action::Create, other)]);
    publish_and_drain(&mut e, shop).await;

    // Published, then taken off and put back before the next publish: the shop still has it
    // as it was, so there is nothing to send for it.
    set(&e, shop, Some(&[other]), false);
    assert_eq!(sent(&plan(&e, shop)), vec![(Action::Unpublish, other)]);
    set(&e, shop, Some(&[other]), true);
    assert!(
        sent(&plan(&e, shop)).is_empty(),
        "back as it was: {:?}",
        sent(&plan(&e, shop))
    );
    assert_eq!(listing_states(&e, shop, other), ["live"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bol_gets_one_listing_per_variant() {
    let e = env(43, FaultPlan::none(), 5).await;
    let set_id = product(&e, "mok-set");
    assert_eq!(set(&e, e.bol_id, Some(&[set_id]), true), 1, "one product");
    let p = plan(&e, e.bol_id);
    let creates: Vec<_> = p
        .listings
        .iter()
        .filter(|l| l.action == Action::Create)
        .collect();
    assert_eq!(creates.len(), 2, "an offer per variant");
    assert!(creates
        .iter()
        .all(|l| l.product == set_id && l.variant.is_some()));
    assert_ne!(creates[0].variant, creates[1].variant);

    set(&e, e.bol_id, Some(&[set_id]), false);
    assert_eq!(
        listing_states(&e, e.bol_id, set_id),
        ["unpublished", "unpublished"],
        "both variants off"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn putting_on_everything_adds_only_active_products_not_on_the_channel_yet() {
    let e = env(44, FaultPlan::none(), 5).await;
    let shop = e.shop_id;
    let world: Vec<ProductId> = (0..4)
        .map(|i| product(&e, &e.sandbox.world().products[i].sku.to_lowercase()))
        .collect();
    let set_id = product(&e, "mok-set");
    e.store
        .write(|tx| {
            tx.execute(
                "UPDATE products SET status = 'draft' WHERE id = ?1",
                params![world[3].0],
            )?;
            Ok(())
        })
        .unwrap();
    set(&e, shop, Some(&[world[0]]), true);
    set(&e, shop, Some(&[world[1]]), true);
    set(&e, shop, Some(&[world[1]]), false);
    assert_eq!(
        publish::count_not_listed(&e.store, shop).unwrap(),
        2,
        "world[2] and the set: not the listed one, not the one taken off, not the draft"
    );

    assert_eq!(set(&e, shop, None, true), 2);
    let mut created: Vec<ProductId> = sent(&plan(&e, shop))
        .into_iter()
        .filter(|(a, _)| *a == Action::Create)
        .map(|(_, p)| p)
        .collect();
    created.sort();
    let mut expected = vec![world[0], world[2], set_id];
    expected.sort();
    assert_eq!(created, expected, "the taken-off one stays off");
    assert_eq!(listing_states(&e, shop, world[1]), ["unpublished"]);
    assert!(listing_states(&e, shop, world[3]).is_empty(), "no draft");
    assert_eq!(publish::count_not_listed(&e.store, shop).unwrap(), 0);
    assert_eq!(set(&e, shop, None, true), 0, "nothing left to add");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taking_everything_off_at_once_is_refused_typed() {
    let e = env(45, FaultPlan::none(), 5).await;
    set(&e, e.shop_id, None, true);
    let err = publish::set_listed(
        &e.store,
        e.shop_id,
        ListingLevel::Product,
        None,
        false,
        e.clock.as_ref(),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        kanaal_core::Error::Input(InputProblem::ChooseProductsToTakeOff)
    ));
    let off: i64 = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT COUNT(*) FROM listings WHERE state = 'unpublished'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(off, 0, "nothing was taken off");
}

/// The outbox rows of `product`'s listings on `channel`: (operation, state, stored failure).
fn rows_of(
    e: &common::Env,
    channel: ChannelId,
    p: ProductId,
) -> Vec<(String, String, Option<String>)> {
    e.store
        .read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT o.operation, o.state, o.last_error FROM outbox o
                   JOIN listings l ON l.id = o.listing_id
                  WHERE l.channel_id = ?1 AND l.product_id = ?2 ORDER BY o.id",
            )?;
            let rows = stmt.query_map(params![channel.0, p.0], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taking_off_stops_a_queued_create_and_putting_back_stops_a_queued_unpublish() {
    let mut e = env(43, FaultPlan::none(), 5).await;
    let shop = e.shop_id;
    let set_id = product(&e, "mok-set");
    set(&e, shop, Some(&[set_id]), true);
    // Published: the create is queued, not sent yet.
    publish::confirm(&e.store, &plan(&e, shop), e.clock.as_ref()).unwrap();
    assert_eq!(rows_of(&e, shop, set_id)[0].1, "queued");

    // Taken off before the worker got to it: the create never goes out.
    set(&e, shop, Some(&[set_id]), false);
    let rows = rows_of(&e, shop, set_id);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str()),
        ("create", "cancelled")
    );
    assert_eq!(
        StoredFailure::read(rows[0].2.as_deref().unwrap()),
        StoredFailure::Superseded {
            by: SupersededBy::TakenOffOrPutBack
        },
        "the row says why it was not sent"
    );
    let r = e.drain(shop).await;
    assert!(r.quiet(), "{r:?}");
    assert_eq!(
        e.sandbox.shopify().products_created(),
        0,
        "nothing reached the shop"
    );
    assert!(
        sent(&plan(&e, shop)).is_empty(),
        "and nothing is left to do"
    );

    // On the shop, then taken off with the unpublish queued, then put back before it is sent:
    // the unpublish never goes out and the product stays on sale.
    set(&e, shop, Some(&[set_id]), true);
    publish_and_drain(&mut e, shop).await;
    assert_eq!(e.sandbox.shopify().products()[0].status, "ACTIVE");
    set(&e, shop, Some(&[set_id]), false);
    publish::confirm(&e.store, &plan(&e, shop), e.clock.as_ref()).unwrap();
    set(&e, shop, Some(&[set_id]), true);
    let last = rows_of(&e, shop, set_id).pop().unwrap();
    assert_eq!(
        (last.0.as_str(), last.1.as_str()),
        ("unpublish", "cancelled")
    );
    let r = e.drain(shop).await;
    assert!(r.quiet(), "{r:?}");
    assert_eq!(
        e.sandbox.shopify().products()[0].status,
        "ACTIVE",
        "still on sale"
    );
    assert_eq!(listing_states(&e, shop, set_id), ["live"]);
    assert!(sent(&plan(&e, shop)).is_empty(), "nothing left to do");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_already_tried_goes_out_but_the_product_stays_off_and_the_next_publish_unpublishes_it(
) {
    let mut e = env(44, FaultPlan::none(), 5).await;
    let shop = e.shop_id;
    let set_id = product(&e, "mok-set");
    set(&e, shop, Some(&[set_id]), true);
    publish::confirm(&e.store, &plan(&e, shop), e.clock.as_ref()).unwrap();
    // The first try's answer was lost: the row waits to be tried again, and the shop may have
    // the product already. Taking it off now cannot stop that row.
    e.store
        .write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'waiting', attempts = 1, next_attempt_at = NULL",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    set(&e, shop, Some(&[set_id]), false);
    assert_eq!(
        rows_of(&e, shop, set_id)[0].1,
        "waiting",
        "a tried row is left to settle"
    );
    let r = e.drain(shop).await;
    assert!(r.quiet(), "{r:?}");
    assert_eq!(
        e.sandbox.shopify().products_created(),
        1,
        "the create went out"
    );
    // Before the change the sender made it 'live' again, and the merchant's choice was lost.
    assert_eq!(
        listing_states(&e, shop, set_id),
        ["unpublished"],
        "still off in Kanaal"
    );
    assert_eq!(sent(&plan(&e, shop)), vec![(Action::Unpublish, set_id)]);
    publish_and_drain(&mut e, shop).await;
    assert_ne!(
        e.sandbox.shopify().products()[0].status,
        "ACTIVE",
        "off sale in the shop"
    );
}
