//! Rolling back a publish batch against both sandbox channels over HTTP: publish, change
//! prices, publish again, roll the second publish back, and each channel shows the first prices
//! again (read back through the connectors). A rollback killed mid-way resumes from its outbox
//! rows and creates nothing twice; a listing published again after the batch is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{env, Env};
use kanaal_channels::model::LiveListing;
use kanaal_channels::Channel;
use kanaal_core::clock::Clock;
use kanaal_core::ids::ChannelId;
use kanaal_core::publish::{rollback, Action};
use kanaal_core::store::Store;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sync::publish;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

async fn prices(c: &dyn Channel) -> BTreeMap<String, Decimal> {
    let mut all = Vec::<LiveListing>::new();
    let mut page = None;
    loop {
        let p = c.live_listings(page.as_ref()).await.unwrap();
        all.extend(p.items);
        match p.next {
            Some(n) => page = Some(n),
            None => break,
        }
    }
    all.into_iter()
        .filter_map(|l| Some((l.sku?, l.price?.amount)))
        .collect()
}

/// Publishes what the plan of `channel` shows now; returns the batch id.
fn publish_now(e: &Env, channel: ChannelId) -> String {
    e.clock.advance(chrono::Duration::minutes(1));
    let plan = publish::plan(&e.store, channel, &e.connector(channel).limits()).unwrap();
    publish::confirm(&e.store, &plan, e.clock.as_ref()).unwrap();
    e.store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT batch_id FROM outbox WHERE channel_id = ?1 ORDER BY id DESC LIMIT 1",
                [channel.0],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

fn raise_all_prices(e: &Env) {
    e.store
        .write(|tx| {
            tx.execute(
                "UPDATE variants SET price = printf('%.2f', price + 3),
                        change_counter = change_counter + 1",
                [],
            )?;
            Ok(())
        })
        .unwrap();
}

/// Publish, raise every price, publish again: returns (first prices per channel, the second
/// batch per channel).
async fn two_publishes(e: &mut Env) -> ([BTreeMap<String, Decimal>; 2], [String; 2]) {
    e.publish_and_send().await;
    let first = [prices(&e.shopify).await, prices(&e.bol).await];
    assert_eq!(first[1].len(), 6, "six offers on bol.com: {first:?}");
    raise_all_prices(e);
    let second = [publish_now(e, e.shop_id), publish_now(e, e.bol_id)];
    let shop = e.drain(e.shop_id).await;
    let bol = e.drain(e.bol_id).await;
    assert_eq!((shop.sent, bol.sent), (5, 6), "{shop:?} {bol:?}");
    let now = [prices(&e.shopify).await, prices(&e.bol).await];
    for (before, after) in first.iter().zip(&now) {
        for (sku, p) in before {
            assert_eq!(
                after.get(sku),
                Some(&(p + Decimal::from(3))),
                "the second publish raised {sku} on the channel"
            );
        }
    }
    (first, second)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolling_back_the_second_publish_puts_the_first_prices_back_on_both_channels() {
    let mut e = env(41, FaultPlan::none(), 7).await;
    let (first, second) = two_publishes(&mut e).await;
    let created = e.sandbox.shopify().products_created();

    for (i, (channel, batch)) in [(e.shop_id, &second[0]), (e.bol_id, &second[1])]
        .into_iter()
        .enumerate()
    {
        let preview = e
            .store
            .read(|tx| rollback::plan_rollback(tx, batch))
            .unwrap();
        assert_eq!(preview.plans.len(), 1, "one channel in this batch");
        assert_eq!(preview.refused(), 0, "nothing blocks this rollback");
        let items = &preview.plans[0].listings;
        assert_eq!(items.len(), [5, 6][i]);
        assert!(
            items.iter().all(|l| l.action == Action::Update),
            "an update is rolled back by an update"
        );
        let price = items[0]
            .changes
            .iter()
            .find(|c| c.field.ends_with(".price"))
            .expect("the preview shows the price going back");
        let (old, new) = (
            price.old.as_ref().unwrap().as_str().unwrap(),
            price.new.as_ref().unwrap().as_str().unwrap(),
        );
        assert_eq!(
            old.parse::<Decimal>().unwrap() - new.parse::<Decimal>().unwrap(),
            Decimal::from(3),
            "old = the raised price, new = the first price"
        );
        let now = e.clock.now();
        let c = e
            .store
            .write(|tx| rollback::confirm_rollback(tx, &preview, now))
            .unwrap();
        assert_eq!(c.queued, items.len());
        let again = e
            .store
            .write(|tx| rollback::confirm_rollback(tx, &preview, now));
        assert!(
            again.is_err() || again.unwrap().queued == 0,
            "confirming the same rollback twice queues nothing twice"
        );
        let progress = e
            .store
            .read(|tx| kanaal_core::publish::batch::progress(tx, &preview.rollback_batch_id))
            .unwrap();
        assert_eq!(progress.channels[0].queued as usize, items.len());
        let r = e.drain(channel).await;
        assert_eq!(r.sent, items.len(), "{r:?}");
        let progress = e
            .store
            .read(|tx| kanaal_core::publish::batch::progress(tx, &preview.rollback_batch_id))
            .unwrap();
        assert!(progress.finished, "the rollback is a batch that finishes");
    }

    assert_eq!(
        [prices(&e.shopify).await, prices(&e.bol).await],
        first,
        "both channels show the first prices again"
    );
    assert_eq!(
        e.sandbox.shopify().products_created(),
        created,
        "a rollback of updates creates no product"
    );
    // The catalog keeps the raised prices: the listings wait to be published again.
    let plan = publish::plan(&e.store, e.bol_id, &e.bol.limits()).unwrap();
    assert_eq!(
        plan.listings
            .iter()
            .filter(|l| l.action == Action::Update)
            .count(),
        6,
        "the catalog's prices differ from the channel again"
    );
    assert!(
        plan.listings.iter().all(|l| l.counter_snapshot > 0),
        "every rolled-back listing waits to be published again"
    );

    // The same batch again: every listing was rolled back already.
    let twice = e
        .store
        .read(|tx| rollback::plan_rollback(tx, &second[1]))
        .unwrap();
    assert_eq!(twice.sendable(), 0);
    assert_eq!(twice.refused(), 6, "each listing says why");
    assert_eq!(
        twice.plans[0].listings[0].problems[0].kind,
        kanaal_core::publish::ProblemKind::RollbackPublishedAgain
    );
    assert!(twice.plans[0].listings[0].problems[0]
        .message()
        .contains("published again"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rollback_killed_mid_way_resumes_from_its_outbox_rows() {
    let mut e = env(42, FaultPlan::none(), 7).await;
    let (first, second) = two_publishes(&mut e).await;

    // The first publish created the listings; the second changed them since: refused.
    let first_batch: String = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT batch_id FROM outbox WHERE channel_id = ?1 ORDER BY id LIMIT 1",
                [e.bol_id.0],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let refused = e
        .store
        .read(|tx| rollback::plan_rollback(tx, &first_batch))
        .unwrap();
    assert_eq!(refused.sendable(), 0, "published again after: refused");

    // Roll back the second batch on bol.com, then "kill" the worker during the first call: the
    // row is left 'sending', as SIGKILL leaves it, and the store is opened afresh.
    let preview = e
        .store
        .read(|tx| rollback::plan_rollback(tx, &second[1]))
        .unwrap();
    let now = e.clock.now();
    e.store
        .write(|tx| rollback::confirm_rollback(tx, &preview, now))
        .unwrap();
    e.store
        .write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'sending', attempts = 1
                  WHERE id = (SELECT MIN(id) FROM outbox WHERE batch_id = ?1)",
                [&preview.rollback_batch_id],
            )?;
            Ok(())
        })
        .unwrap();
    e.store = Store::open(e.dir.path()).unwrap();
    let open: i64 = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT COUNT(*) FROM outbox WHERE batch_id = ?1 AND state IN ('queued', 'sending')",
                [&preview.rollback_batch_id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(open, 6, "the rollback's rows survive the restart");
    let r = e.drain(e.bol_id).await;
    assert_eq!(r.sent + r.adopted, 6, "{r:?}");
    assert_eq!(
        prices(&e.bol).await,
        first[1],
        "bol.com has the first prices"
    );
    assert_eq!(e.sandbox.bol().offers().len(), 6, "no offer made twice");
}

fn statuses(e: &Env) -> BTreeMap<String, String> {
    e.sandbox
        .shopify()
        .products()
        .into_iter()
        .map(|p| (p.handle, p.status))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolling_back_a_first_publish_takes_it_off_and_rolling_that_back_puts_it_back() {
    let mut e = env(43, FaultPlan::none(), 7).await;
    e.publish_all();
    e.drain(e.shop_id).await;
    let first = prices(&e.shopify).await;
    let batch: String = e
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT batch_id FROM outbox WHERE channel_id = ?1 ORDER BY id LIMIT 1",
                [e.shop_id.0],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let preview = e
        .store
        .read(|tx| rollback::plan_rollback(tx, &batch))
        .unwrap();
    let items = &preview.plans[0].listings;
    assert_eq!(items.len(), 5);
    assert!(
        items.iter().all(|l| l.action == Action::Unpublish),
        "a create is undone by taking the listing off"
    );
    let now = e.clock.now();
    e.store
        .write(|tx| rollback::confirm_rollback(tx, &preview, now))
        .unwrap();
    let r = e.drain(e.shop_id).await;
    assert_eq!(r.sent, 5, "{r:?}");
    assert!(
        statuses(&e).values().all(|s| s == "DRAFT"),
        "every product is off the shop: {:?}",
        statuses(&e)
    );

    // Rolling back the rollback re-activates them with the same values.
    e.clock.advance(chrono::Duration::minutes(1));
    let back = e
        .store
        .read(|tx| rollback::plan_rollback(tx, &preview.rollback_batch_id))
        .unwrap();
    assert!(
        back.plans[0]
            .listings
            .iter()
            .all(|l| l.action == Action::Create && !l.blocked()),
        "an unpublish is undone by creating again: {:?}",
        back.plans[0].listings
    );
    let now = e.clock.now();
    e.store
        .write(|tx| rollback::confirm_rollback(tx, &back, now))
        .unwrap();
    let r = e.drain(e.shop_id).await;
    assert_eq!(r.sent + r.adopted, 5, "{r:?}");
    assert!(
        statuses(&e).values().all(|s| s == "ACTIVE"),
        "{:?}",
        statuses(&e)
    );
    assert_eq!(prices(&e.shopify).await, first, "with the prices they had");
    assert_eq!(
        e.sandbox.shopify().products_created(),
        5,
        "re-created by handle: no second product"
    );
}
