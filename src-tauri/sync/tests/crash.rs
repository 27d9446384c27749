//! Crash test: the sandbox runs in this process; the publish + sync harness runs as a child
//! process and is killed with SIGKILL at seeded random moments, then started again. After every
//! kill: the database passes `PRAGMA integrity_check`, no listing exists twice on the sandbox,
//! no order is stored twice, and stock has moved exactly once per stored order line. At the end
//! an uninterrupted run completes, and the channels show exactly the intended state.
//!
//! Rounds: 200 by default; set KANAAL_CRASH_ROUNDS for a longer run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use kanaal_core::store::Store;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sandbox::{Sandbox, SandboxConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Duration;

const STOCK: i64 = 500;

fn harness(sandbox: &Sandbox, dir: &std::path::Path, first: &str) -> Command {
    let shop = sandbox.platform("shopify").unwrap();
    let bol = sandbox.platform("bol").unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_kanaal-sync-crash-harness"));
    c.arg(dir)
        .arg(&shop.base_url)
        .arg(&bol.base_url)
        .arg(sandbox.clock().now().to_rfc3339())
        .arg(first)
        .env(
            "KANAAL_HARNESS_SHOPIFY_TOKEN",
            &shop.credentials["access_token"],
        )
        .env("KANAAL_HARNESS_BOL_ID", &bol.credentials["client_id"])
        .env(
            "KANAAL_HARNESS_BOL_SECRET",
            &bol.credentials["client_secret"],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// The invariants that must hold whenever the harness is dead, whatever it was doing.
fn check(sandbox: &Sandbox, dir: &std::path::Path, round: usize) {
    let store = Store::open(dir).unwrap();
    let (integrity, orders, distinct, moved): (String, i64, i64, BTreeMap<String, (i64, i64)>) =
        store
            .read(|tx| {
                let integrity: String =
                    tx.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
                let (orders, distinct) = tx.query_row(
                    "SELECT COUNT(*), COUNT(DISTINCT channel_id || '/' || remote_id) FROM orders",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                // Per SKU: stock on hand, and units of stored orders whose stock was moved.
                let mut stmt = tx.prepare(
                    "SELECT v.sku,
                            COALESCE((SELECT SUM(quantity) FROM stock s WHERE s.variant_id = v.id), 0),
                            COALESCE((SELECT SUM(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
                                      WHERE l.variant_id = v.id AND o.stock_applied = 1), 0)
                     FROM variants v",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
                let moved = rows.collect::<rusqlite::Result<_>>()?;
                Ok((integrity, orders, distinct, moved))
            })
            .unwrap();
    assert_eq!(integrity, "ok", "round {round}: database integrity");
    assert_eq!(orders, distinct, "round {round}: no order stored twice");
    for (sku, (on_hand, sold)) in &moved {
        assert_eq!(
            *on_hand,
            STOCK - sold,
            "round {round}: stock of {sku} moved exactly once per stored line"
        );
    }
    assert!(
        sandbox.shopify().products_created() <= 5,
        "round {round}: no Shopify product created twice"
    );
    let offers = sandbox.bol().offers();
    let eans: std::collections::BTreeSet<_> = offers.iter().map(|o| o.ean.clone()).collect();
    assert_eq!(
        eans.len(),
        offers.len(),
        "round {round}: no EAN offered twice"
    );
    assert!(offers.len() <= 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_sync_at_random_moments_loses_and_repeats_nothing() {
    let rounds: usize = std::env::var("KANAAL_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let sandbox = Sandbox::start(SandboxConfig {
        seed: 51,
        faults: FaultPlan::none(),
        speed: 0.0,
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        common::seed_store(&store, sandbox.world(), STOCK, sandbox.clock().now());
    }
    let mut rng = ChaCha8Rng::seed_from_u64(0x6b69_6c6c);
    let mut killed = 0;
    for round in 0..rounds {
        let first = if rng.random_bool(0.5) {
            "bol"
        } else {
            "shopify"
        };
        let mut child = harness(&sandbox, dir.path(), first).spawn().unwrap();
        let wait = Duration::from_millis(rng.random_range(0..150));
        tokio::time::sleep(wait).await;
        // kill() sends SIGKILL on Unix; a child that already finished is left as it is.
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        }
        let status = child.wait().unwrap();
        if status.success() || status.code().is_some() {
            // It ran to the end on its own: it must have ended well.
            let mut err = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            assert!(status.success(), "round {round}: the harness failed: {err}");
        }
        check(&sandbox, dir.path(), round);
    }
    assert!(
        killed > rounds / 2,
        "most runs were really killed ({killed} of {rounds})"
    );

    // A last run without interruption finishes the work.
    let out = tokio::task::spawn_blocking({
        let mut c = harness(&sandbox, dir.path(), "bol");
        move || c.output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "the final run ends quiet: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    check(&sandbox, dir.path(), rounds);
    assert_eq!(sandbox.shopify().products_created(), 5);
    assert_eq!(sandbox.bol().offers().len(), 6);
    let store = Store::open(dir.path()).unwrap();
    let bol_orders: i64 = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT COUNT(*) FROM orders o JOIN channels c ON c.id = o.channel_id WHERE c.kind = 'bol'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let now = sandbox.clock().now();
    assert_eq!(
        bol_orders,
        sandbox.world().purchases_on("bol", now).count() as i64,
        "every bol.com order imported, once"
    );
}
