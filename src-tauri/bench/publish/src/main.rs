//! publish-bench: how long the publish plan takes for a shop-size channel. Builds a catalog of
//! N products × 3 variants (default 100,000) and lists every product on one channel, then
//! measures `publish::plan` in three situations, in this order:
//!
//! - `first_publish`: no mirrors yet, every listing is a create (everything changed);
//! - `nothing_changed`: every listing published (the first plan confirmed and each outbox row
//!   settled as a channel's acceptance settles it: mirror with its digest, counters
//!   subtracted, listing live), no edits since;
//! - `changed_10pct`: the same mirrors, then the title of 10 % of the products edited — the
//!   realistic case issue 5's target (plan <= 2 s for 100k listings) is measured on.
//!
//! Per case: wall time and CPU time of the whole process (all threads), median of the runs; the
//! plan by the straightforward path (every mirror parsed and diffed field by field), which must
//! give the same plan or the bench fails. For the 10 % case also the two halves of a plan
//! (loading, pure planning) and `publish::confirm` of the resulting updates.
//!
//! Run: `cargo run --release -p publish-bench -- [N]`. Prints one JSON object.
//!
//! `--keep DIR` keeps the data file in `DIR`: the first run builds it as above; a later run
//! finds it and measures only the 10 % case again on it (`--runs R` times, default 5), for
//! trying a change without the minutes of set-up.

use chrono::TimeZone;
use kanaal_core::ids::ChannelId;
use kanaal_core::publish::{self, Action, Limits, Plan};
use kanaal_core::store::Store;
use rusqlite::params;
use std::process::ExitCode;
use std::time::Instant;

/// Plans `runs` times; returns the last plan and the median wall and CPU seconds.
fn measure(
    store: &Store,
    channel: ChannelId,
    limits: &Limits,
    runs: usize,
) -> kanaal_core::Result<(Plan, serde_json::Value)> {
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    let mut plan = None;
    for _ in 0..runs {
        let w = Instant::now();
        let c = cpu_time::ProcessTime::now();
        let p = publish::plan_in(store, channel, limits)?;
        cpu.push(c.elapsed().as_secs_f64());
        wall.push(w.elapsed().as_secs_f64());
        plan = Some(p);
    }
    let plan = plan.ok_or(kanaal_core::Error::Cancelled)?;
    // The straightforward path (every mirror parsed, every listing diffed field by field) must
    // give the same plan as the planner's shortcuts.
    let w = Instant::now();
    let parsed = store.read(|tx| publish::render::load(tx, channel))?;
    let full = publish::plan::plan_input(&parsed, limits);
    let straightforward_s = w.elapsed().as_secs_f64();
    if full != plan {
        return Err(kanaal_core::Error::Corrupt(
            "the plan differs from the straightforward full comparison".into(),
        ));
    }
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let count = |a: Action| plan.listings.iter().filter(|l| l.action == a).count();
    let figures = serde_json::json!({
        "create": count(Action::Create),
        "update": count(Action::Update),
        "nothing": count(Action::Nothing),
        "plan_wall_s_median": wall[runs / 2],
        "plan_cpu_s_median": cpu[runs / 2],
        "plan_wall_s_all": wall,
        "straightforward_plan_s": straightforward_s,
    });
    Ok((plan, figures))
}

/// The bench's limits: those of a marketplace like bol.com.
fn limits() -> Limits {
    Limits {
        max_title_chars: Some(150),
        max_options: Some(3),
        ..Limits::default()
    }
}

/// `--keep DIR` on a data file a full run left: the 10 % case again.
fn again(dir: &std::path::Path, runs: usize) -> kanaal_core::Result<serde_json::Value> {
    let store = Store::open(dir)?;
    let channel = ChannelId(
        store.read(|tx| Ok(tx.query_row("SELECT MIN(id) FROM channels", [], |r| r.get(0))?))?,
    );
    let limits = limits();
    let (_, figures) = measure(&store, channel, &limits, runs)?;
    let w = Instant::now();
    let input = store.read(|tx| publish::render::load_texts(tx, channel))?;
    let load_s = w.elapsed().as_secs_f64();
    drop(input);
    Ok(serde_json::json!({ "changed_10pct": figures, "changed_10pct_load_s": load_s }))
}

fn run(n: i64, dir: &std::path::Path) -> kanaal_core::Result<serde_json::Value> {
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
        .single()
        .ok_or(kanaal_core::Error::Cancelled)?;
    let store = Store::open(dir)?;
    let t = Instant::now();
    let channel = store.write(|tx| {
        let channel = kanaal_core::channels::add(tx, "bol", "bol.com", None, now)?;
        tx.execute("INSERT INTO locations (code, name) VALUES ('W', 'Winkel')", [])?;
        let at = "2026-11-30T09:00:00Z";
        let mut product = tx.prepare(
            "INSERT INTO products (id, handle, title_nl, title_en, description_nl, description_en, brand, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'Vers gebrand', 'Freshly roasted', 'Brander', 'active', ?5, ?5)",
        )?;
        let mut option = tx.prepare(
            "INSERT INTO product_options (product_id, position, name_nl, name_en) VALUES (?1, 0, 'Gewicht', 'Weight')",
        )?;
        let mut variant = tx.prepare(
            "INSERT INTO variants (id, product_id, position, sku, gtin, options, price, cost, vat_rate, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, '4.00', 'reduced', ?7, ?7)",
        )?;
        let mut stock = tx.prepare(
            "INSERT INTO stock (variant_id, location_id, quantity, updated_at) VALUES (?1, 1, ?2, ?3)",
        )?;
        let mut listing =
            tx.prepare("INSERT INTO listings (channel_id, product_id) VALUES (?1, ?2)")?;
        for p in 1..=n {
            product.execute(params![p, format!("p{p}"), format!("Koffie {p}"), format!("Coffee {p}"), at])?;
            option.execute(params![p])?;
            for v in 0..3 {
                let id = p * 3 + v;
                variant.execute(params![
                    id,
                    p,
                    v,
                    format!("SKU-{p}-{v}"),
                    format!("[\"{}g\"]", 250 * (v + 1)),
                    format!("{}.95", 8 + v + p % 7),
                    at
                ])?;
                stock.execute(params![id, (p + v) % 40, at])?;
            }
            listing.execute(params![channel.0, p])?;
        }
        Ok(channel)
    })?;
    let limits = limits();
    let setup_s = t.elapsed().as_secs_f64();

    // Everything changed: the first publish, no mirrors.
    let (first, first_figures) = measure(&store, channel, &limits, 3)?;

    // Everything published, as after a full publish: the first plan confirmed into the outbox
    // and every row settled as a channel's acceptance settles it (`publish::after_success`:
    // the mirror with the digest of its compared fields, the counter snapshot subtracted, the
    // listing live). Nothing changed since.
    store.write(|tx| {
        publish::confirm(tx, &first, "bench-first", now)?;
        let rows: Vec<(i64, i64)> = tx
            .prepare("SELECT id, listing_id FROM outbox WHERE batch_id = 'bench-first'")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (row, listing) in rows {
            publish::after_success(tx, row, Some(&format!("R{listing}")), now)?;
        }
        Ok(())
    })?;
    drop(first);
    let (_, nothing_figures) = measure(&store, channel, &limits, 3)?;

    // The realistic case: the titles of 10 % of the products edited since.
    store.write(|tx| {
        tx.execute(
            "UPDATE products SET title_nl = title_nl || ' (nieuw)', change_counter = change_counter + 1 WHERE id % 10 = 0",
            [],
        )?;
        Ok(())
    })?;
    let (plan, changed_figures) = measure(&store, channel, &limits, 5)?;
    // The two halves of a plan: loading (mirrors kept as stored text) and the pure planning.
    let w = Instant::now();
    let input = store.read(|tx| publish::render::load_texts(tx, channel))?;
    let load_s = w.elapsed().as_secs_f64();
    let w = Instant::now();
    let again = publish::plan::plan_input(&input, &limits);
    let pure_s = w.elapsed().as_secs_f64();
    if again != plan {
        return Err(kanaal_core::Error::Corrupt(
            "the plan differs between runs".into(),
        ));
    }
    let w = Instant::now();
    let confirmed = store.write(|tx| publish::confirm(tx, &plan, "bench", now))?;
    let confirm_s = w.elapsed().as_secs_f64();
    Ok(serde_json::json!({
        "listings": plan.listings.len(),
        "variants": n * 3,
        "setup_s": setup_s,
        "first_publish": first_figures,
        "nothing_changed": nothing_figures,
        "changed_10pct": changed_figures,
        "changed_10pct_load_s": load_s,
        "changed_10pct_pure_plan_s": pure_s,
        "confirm_s": confirm_s,
        "confirm_queued": confirmed.queued,
    }))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs = flag("--runs").and_then(|r| r.parse().ok()).unwrap_or(5);
    let result = match flag("--keep").map(std::path::PathBuf::from) {
        Some(dir) if dir.join("kanaal.db").exists() => again(&dir, runs),
        Some(dir) => run(n, &dir),
        None => tempfile::tempdir()
            .map_err(|e| kanaal_core::Error::io("tempdir", e))
            .and_then(|dir| run(n, dir.path())),
    };
    match result {
        Ok(v) => {
            println!("{v}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("publish-bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}
