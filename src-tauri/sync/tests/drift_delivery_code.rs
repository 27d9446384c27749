//! bol.com's delivery promise per listing, against the real sandbox: the merchant changes an
//! offer's delivery code in bol's seller tools, the drift check (bol's offer export,
//! `fulfilmentDeliveryCode`) shows it as changed on the channel, and the merchant's two choices
//! work: adopt gives the listing its own code (and the next publish keeps it on bol.com), keep
//! mine puts the channel's setting back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Env;
use kanaal_core::clock::Clock;
use kanaal_core::drift::{self, DriftKind, Resolution};
use kanaal_core::ids::{ChannelId, ListingId};
use kanaal_core::publish::{Action, Overrides};
use kanaal_sync::{publish, remote};
use rusqlite::params;
use serde_json::json;

/// The delivery code bol.com's offer export shows for an offer.
async fn live_code(env: &Env, offer: &str) -> Option<String> {
    common::live_listings(env.connector(env.bol_id))
        .await
        .into_iter()
        .find(|l| l.remote_id == offer)
        .and_then(|l| l.delivery_code)
}

/// Two bol.com listings with their offer ids.
fn bol_offers(env: &Env) -> Vec<(ListingId, String)> {
    env.store
        .read(|tx| {
            let ids: Vec<i64> = tx
                .prepare("SELECT id FROM listings WHERE channel_id = ?1 ORDER BY id")?
                .query_map(params![env.bol_id.0], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut out = Vec::new();
            for id in ids {
                if let Some(p) = remote::published(tx, id)? {
                    out.push((ListingId(id), p.remote_id));
                }
            }
            Ok(out)
        })
        .unwrap()
}

/// The merchant changes an offer's delivery code in bol.com's seller tools (bol's retailer API).
async fn bol_portal_code(env: &Env, offer_id: &str, code: &str) {
    let body = json!({"fulfilment": {"method": "FBR", "deliveryCode": code}});
    common::bol_portal_put(
        &env.sandbox,
        &format!("/retailer/offers/{offer_id}"),
        body.to_string(),
    )
    .await;
}

fn overrides(env: &Env, l: ListingId) -> Overrides {
    let text: String = env
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT overrides FROM listings WHERE id = ?1",
                params![l.0],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    Overrides::parse(&text).unwrap()
}

fn plan_action(env: &Env, ch: ChannelId, l: ListingId) -> (Action, Vec<String>) {
    let plan = publish::plan(&env.store, ch, &env.connector(ch).limits()).unwrap();
    let item = plan.listings.iter().find(|i| i.listing == l).unwrap();
    (
        item.action,
        item.changes.iter().map(|c| c.field.clone()).collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_code_changed_on_bol_is_adopted_into_the_listing_or_put_back() {
    let mut env = common::published(31).await;
    let bol = env.bol_id;
    let offers = bol_offers(&env);
    assert!(offers.len() >= 2, "{offers:?}");
    let (adopted, adopted_offer) = offers[0].clone();
    let (kept, kept_offer) = offers[1].clone();
    assert_eq!(
        live_code(&env, &adopted_offer).await.as_deref(),
        Some("1-2d"),
        "published with the channel's setting"
    );
    let report = env.sync(bol).await;
    assert_eq!(report.drift.unwrap().remote_only, 0, "nothing changed yet");

    bol_portal_code(&env, &adopted_offer, "24uurs-16").await;
    bol_portal_code(&env, &kept_offer, "3-5d").await;
    let report = env.sync(bol).await;
    assert_eq!(report.drift.unwrap().remote_only, 2);
    let found = env.store.read(|tx| drift::list(tx, Some(bol))).unwrap();
    let code_of = |l: ListingId| {
        found
            .iter()
            .find(|f| f.listing == l && f.field == drift::FIELD_DELIVERY_CODE)
            .unwrap_or_else(|| panic!("a delivery code finding for {l:?}: {found:?}"))
    };
    let f = code_of(adopted);
    assert_eq!(f.kind, DriftKind::Remote);
    assert_eq!(f.base, Some(json!("1-2d")), "Kanaal sent the setting");
    assert_eq!(f.theirs, json!("24uurs-16"));
    assert_eq!(code_of(kept).theirs, json!("3-5d"));

    let now = env.clock.now();
    let said = env
        .store
        .write(|tx| {
            drift::resolve(
                tx,
                adopted,
                drift::FIELD_DELIVERY_CODE,
                Resolution::Adopt,
                now,
            )
        })
        .unwrap();
    assert_eq!(
        said.outcome,
        drift::Outcome::ListingDeliveryCode {
            code: "24uurs-16".into(),
            channel: env
                .store
                .read(|tx| Ok(tx.query_row(
                    "SELECT name FROM channels WHERE id = ?1",
                    params![bol.0],
                    |r| r.get::<_, String>(0)
                )?))
                .unwrap(),
        }
    );
    assert_eq!(
        overrides(&env, adopted).delivery_code.as_deref(),
        Some("24uurs-16"),
        "the listing has its own code now"
    );
    env.store
        .write(|tx| {
            drift::resolve(
                tx,
                kept,
                drift::FIELD_DELIVERY_CODE,
                Resolution::KeepMine,
                now,
            )
        })
        .unwrap();
    assert_eq!(overrides(&env, kept).delivery_code, None);
    let (action, fields) = plan_action(&env, bol, kept);
    assert_eq!(action, Action::Update, "keep mine sends the setting again");
    assert!(fields.contains(&"delivery_code".to_string()), "{fields:?}");

    let plan = publish::plan(&env.store, bol, &env.connector(bol).limits()).unwrap();
    publish::confirm(&env.store, &plan, env.clock.as_ref()).unwrap();
    env.run_until_quiet(6).await;
    assert_eq!(
        live_code(&env, &adopted_offer).await.as_deref(),
        Some("24uurs-16"),
        "the adopted code stays on bol.com"
    );
    assert_eq!(
        live_code(&env, &kept_offer).await.as_deref(),
        Some("1-2d"),
        "keep mine put the channel's setting back"
    );
    let report = env.sync(bol).await;
    let drift = report.drift.unwrap();
    assert_eq!(
        (drift.remote_only, drift.conflicts, drift.local_only),
        (0, 0, 0),
        "bol.com and Kanaal agree again"
    );
    assert_eq!(
        plan_action(&env, bol, adopted).0,
        Action::Nothing,
        "the listing's own code is what bol.com confirmed"
    );
    env.sandbox.shutdown().await;
}
