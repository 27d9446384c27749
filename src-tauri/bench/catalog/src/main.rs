//! catalog-bench: measures the catalog at the scale the catalog issue names — 100,000 products
//! with 300,000 variants — on a real SQLite file in a temporary folder:
//!
//! - import of a Shopify product CSV of that size (one transaction),
//! - search as the merchant types (every prefix of real title words; p50/p95/max),
//! - opening the grid's first page, plain and with each filter and sort,
//! - a bulk edit of 10,000 variants (preview and apply) and its undo,
//! - the size of the data file.
//!
//! Usage: `cargo run --release -p catalog-bench -- [--products N] [--seed S] [--json] [--keep DIR]
//! [--only import|search|pages|bulk] [--verbose]`. With `--keep DIR` and a data file already in
//! `DIR` (from an earlier `--keep` run), the import is skipped and that file is measured again;
//! `--only` runs one phase (the others still set up what it needs); `--verbose` prints every
//! search query's time.
//! Figures and how to read them: docs/benchmarks.md. This binary only measures; it asserts
//! nothing, so a slow machine is reported, not failed.

use chrono::TimeZone;
use kanaal_core::catalog::bulk::{self, BulkOp};
use kanaal_core::catalog::csv::{self, Format, Mode};
use kanaal_core::catalog::edit;
use kanaal_core::catalog::gtin;
use kanaal_core::catalog::{
    list_products_with, ProductQuery, ProductStatus, SortKey, Source, StockFilter, TitleOrders,
};
use kanaal_core::ids::ProductId;
use kanaal_core::store::Store;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const ORIGINS: [&str; 12] = [
    "Ethiopië",
    "Colombia",
    "Brazilië",
    "Guatemala",
    "Honduras",
    "Sumatra",
    "Kenia",
    "Peru",
    "Rwanda",
    "Burundi",
    "Nicaragua",
    "Mexico",
];
const KINDS: [&str; 10] = [
    "Huismelange",
    "Espressobonen",
    "Filterkoffie",
    "Ontbijtmelange",
    "Cafeïnevrij",
    "Jasmijnthee",
    "Rooibosthee",
    "Handmolen",
    "Koffiekan",
    "Chocoladereep",
];
const STYLES: [&str; 10] = [
    "Biologisch",
    "Donker",
    "Licht",
    "Fruitig",
    "Zacht",
    "Krachtig",
    "Nachtwacht",
    "Zomer",
    "Winter",
    "Reserve",
];
const WEIGHTS: [(&str, u32, &str); 3] = [
    ("250 g", 250, "1.00"),
    ("500 g", 500, "1.85"),
    ("1 kg", 1000, "3.40"),
];

fn ean(n: u64) -> String {
    let body = format!("87{:010}", n % 10_000_000_000);
    gtin::complete(&body).unwrap_or(body)
}

/// A Shopify product CSV with `products` products of three weights each.
fn shopify_csv(products: usize, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = String::with_capacity(products * 3 * 200);
    out.push_str("Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Variant Compare At Price,Variant Taxable,Variant Barcode,Cost per item,Status\n");
    for p in 0..products {
        let title = format!(
            "{} {} {} nr. {}",
            KINDS[rng.random_range(0..KINDS.len())],
            ORIGINS[rng.random_range(0..ORIGINS.len())],
            STYLES[rng.random_range(0..STYLES.len())],
            p + 1
        );
        let handle = format!("product-{p}");
        let base_cents: u32 = rng.random_range(350..4500);
        let status = if rng.random_bool(0.9) {
            "active"
        } else {
            "draft"
        };
        for (i, (weight, grams, factor)) in WEIGHTS.iter().enumerate() {
            let factor: Decimal = factor.parse().unwrap_or(Decimal::ONE);
            let price = (Decimal::new(i64::from(base_cents), 2) * factor).round_dp(2);
            let cost = (price * Decimal::new(4, 1)).round_dp(2);
            let stock: u32 = rng.random_range(0..40);
            if i == 0 {
                let _ = writeln!(
                    out,
                    "{handle},{title},<p>{title}: vers gebrand.</p>,Branderij,Koffie,\"koffie, vers\",TRUE,Gewicht,{weight},P{p}-{grams},{grams},{stock},{price},,TRUE,{},{cost},{status}",
                    ean((p * 3 + i) as u64)
                );
            } else {
                let _ = writeln!(
                    out,
                    "{handle},,,,,,,,{weight},P{p}-{grams},{grams},{stock},{price},,TRUE,{},{cost},",
                    ean((p * 3 + i) as u64)
                );
            }
        }
    }
    out.into_bytes()
}

struct Stats {
    p50: Duration,
    p95: Duration,
    max: Duration,
    n: usize,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    Stats {
        p50: at(0.5),
        p95: at(0.95),
        max: v.last().copied().unwrap_or_default(),
        n: v.len(),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f` and returns its result and the time it took. With `CATALOG_BENCH_CLOCK=cpu` the
/// time is the thread's CPU time instead of wall time: on a machine shared with other work
/// (two cores, a compiler running) CPU time shows what the code costs, wall time what a user
/// would wait on an idle machine only.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    if std::env::var("CATALOG_BENCH_CLOCK").as_deref() == Ok("cpu") {
        let start = cpu_time::ThreadTime::now();
        let out = f();
        return (out, start.elapsed());
    }
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn median_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| timed(&mut f).1).collect();
    times.sort();
    times[runs / 2]
}

fn run() -> Result<(), String> {
    let mut products = 100_000usize;
    let mut seed = 7u64;
    let mut json = false;
    // Where to build the data file instead of a temporary folder (kept afterwards, to look at
    // query plans with `sqlite3 DIR/kanaal.db`).
    let mut keep: Option<String> = None;
    let mut only: Option<String> = None;
    let mut verbose = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--products" => {
                products = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--products N")?
            }
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).ok_or("--seed S")?,
            "--json" => json = true,
            "--keep" => keep = Some(args.next().ok_or("--keep DIR")?),
            "--only" => only = Some(args.next().ok_or("--only import|search|pages|bulk")?),
            "--verbose" => verbose = true,
            other => {
                return Err(format!(
                    "unknown argument {other}; see the comment at the top of main.rs"
                ))
            }
        }
    }
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
        .single()
        .ok_or("clock")?;
    let temp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = match &keep {
        Some(d) => std::path::PathBuf::from(d),
        None => temp.path().to_path_buf(),
    };
    let phase = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let reuse = keep.is_some() && dir.join(kanaal_core::store::DB_FILE).exists();
    let store = Store::open(&dir).map_err(|e| e.to_string())?;
    let file = shopify_csv(products, seed);
    let mut figures: Vec<(String, f64, String)> = Vec::new();
    let mut note = |name: &str, value: f64, unit: &str| {
        if !json {
            println!("{name:<48} {value:>10.1} {unit}");
        }
        figures.push((name.to_string(), value, unit.to_string()));
    };
    note("CSV file", file.len() as f64 / 1e6, "MB");

    // Import.
    let only_import = std::env::var_os("CATALOG_BENCH_IMPORT_ONLY").is_some()
        || only.as_deref() == Some("import");
    if reuse && !only_import {
        note("import: skipped, measuring the kept data file", 0.0, "");
    } else {
        let (_, parse_time) = timed(|| csv::parse(&file, Format::Shopify));
        note(
            "import: reading and checking the file",
            parse_time.as_secs_f64(),
            "s",
        );
        let (report, import_time) = timed(|| {
            csv::import(
                &store,
                &file,
                Format::Shopify,
                Mode::AllOrNothing,
                false,
                now,
                Source::Import,
            )
        });
        let report = report.map_err(|e| e.to_string())?;
        if !report.committed || report.created as usize != products {
            return Err(format!(
                "the import did not create every product: {report:?}"
            ));
        }
        note("import (products created)", report.created as f64, "");
        note("import time", import_time.as_secs_f64(), "s");
        // The import leaves copying its write-ahead log into the data file to a background
        // connection; wait for it (wall time) so it does not disturb what is measured next.
        let started = Instant::now();
        store.wait_for_checkpoint();
        note(
            "import: background checkpoint after it (wall)",
            started.elapsed().as_secs_f64(),
            "s",
        );
        if only_import {
            return Ok(());
        }
    }

    // Closing the store folds the write-ahead log into the file: the figure is what the
    // folder holds afterwards. Then open it again, as the app would.
    drop(store);
    let store = Store::open(&dir).map_err(|e| e.to_string())?;
    let wal = store.db_path().with_extension("db-wal");
    let size = [store.db_path().to_path_buf(), wal]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum::<u64>();
    note(
        "data file size (with its write-ahead log)",
        size as f64 / 1e6,
        "MB",
    );

    // Every product listed on two channels and published, then one in a hundred edited since:
    // what "changed since publish" has to look through in a shop that sells on channels.
    let listed: bool = store
        .read(|tx| Ok(tx.query_row("SELECT EXISTS (SELECT 1 FROM listings)", [], |r| r.get(0))?))
        .map_err(|e| e.to_string())?;
    if !listed {
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO channels (id, kind, name, created_at)
                 VALUES (1, 'bol', 'bol.com', '2026-11-30T09:00:00Z'),
                        (2, 'shopify', 'Webshop', '2026-11-30T09:00:00Z');
                 INSERT INTO listings (channel_id, product_id, state, last_published_at)
                 SELECT c.id, p.id, 'live', '2026-11-30T09:00:00Z' FROM products p, channels c;
                 -- What a confirmed send leaves: the counters add up to nothing to send.
                 UPDATE listings SET change_counter =
                        - (SELECT change_counter FROM products WHERE id = listings.product_id)
                        - (SELECT sum(change_counter) FROM variants
                            WHERE product_id = listings.product_id);
                 UPDATE products SET change_counter = change_counter + 1 WHERE id % 100 = 0;",
                )?;
                Ok(())
            })
            .map_err(|e| e.to_string())?;
    }

    // Search as you type: every prefix of real words, Dutch and English, plus SKUs and EANs.
    let words = [
        "koffie",
        "melange",
        "ethiopië",
        "jasmijnthee",
        "biologisch",
        "nachtwacht",
        "espressobonen",
        "p4711-500",
        "8700000",
    ];
    let mut all = Vec::new();
    let mut short = Vec::new();
    for w in words.iter().filter(|_| phase("search")) {
        for n in 1..=w.chars().count() {
            let prefix: String = w.chars().take(n).collect();
            let q = ProductQuery {
                search: Some(prefix),
                limit: 100,
                ..Default::default()
            };
            let t = median_of(3, || {
                store.read(|tx| list_products_with(tx, &q, store.title_orders()))
            });
            if verbose {
                println!(
                    "  search {:<16} {:>8.2} ms",
                    q.search.as_deref().unwrap_or(""),
                    ms(t)
                );
            }
            if n < 3 {
                short.push(t);
            } else {
                all.push(t);
            }
        }
    }
    if phase("search") {
        let s = stats(all);
        note(
            &format!("search, 3+ letters typed: p50 ({} queries)", s.n),
            ms(s.p50),
            "ms",
        );
        note("search, 3+ letters typed: p95", ms(s.p95), "ms");
        note("search, 3+ letters typed: max", ms(s.max), "ms");
        let s = stats(short);
        note(
            &format!("search, 1-2 letters typed: p50 ({} queries)", s.n),
            ms(s.p50),
            "ms",
        );
        note("search, 1-2 letters typed: p95", ms(s.p95), "ms");
        // The grid keeps the catalog's title order in memory; the first broad search after a
        // title changed (or after opening) reads it again, as with a fresh one here.
        let q = ProductQuery {
            search: Some("melange".to_string()),
            limit: 100,
            ..Default::default()
        };
        let t = median_of(3, || {
            let fresh = TitleOrders::default();
            store.read(|tx| list_products_with(tx, &q, &fresh))
        });
        note("search 'melange', first after a title change", ms(t), "ms");
    }

    // Opening the grid: the first page of 100 rows, plain and with each filter and sort.
    let pages: [(&str, ProductQuery); 7] = [
        ("page open: all, by name", ProductQuery::default()),
        (
            "page open: status active",
            ProductQuery {
                status: Some(ProductStatus::Active),
                ..Default::default()
            },
        ),
        (
            "page open: out of stock",
            ProductQuery {
                stock: Some(StockFilter::OutOfStock),
                ..Default::default()
            },
        ),
        (
            "page open: changed since publish",
            ProductQuery {
                changed_since_publish: true,
                ..Default::default()
            },
        ),
        (
            "page open: sorted by stock",
            ProductQuery {
                sort: SortKey::Stock,
                ..Default::default()
            },
        ),
        (
            "page open: sorted by last change, Z-A",
            ProductQuery {
                sort: SortKey::Updated,
                descending: true,
                ..Default::default()
            },
        ),
        (
            "page open: scrolled to row 90,000",
            ProductQuery {
                offset: 90_000.min(products as u32),
                ..Default::default()
            },
        ),
    ];
    for (name, q) in pages.into_iter().filter(|_| phase("pages")) {
        let q = ProductQuery { limit: 100, ..q };
        let t = median_of(5, || {
            store.read(|tx| list_products_with(tx, &q, store.title_orders()))
        });
        note(name, ms(t), "ms");
    }

    // Bulk edit of 10,000 variants: +10 % on the prices of 3,334 products.
    if phase("bulk") {
        let ids: Vec<ProductId> = (1..=3334i64).map(ProductId).collect();
        let op = BulkOp::PriceFactor {
            factor: Decimal::new(110, 2),
        };
        let (changes, preview_time) = timed(|| {
            store.read(|tx| {
                let variants = bulk::variants_of(tx, &ids)?;
                bulk::preview(tx, &variants, &op)
            })
        });
        let changes = changes.map_err(|e| e.to_string())?;
        note("bulk edit: variants changed", changes.len() as f64, "");
        note("bulk edit: preview", ms(preview_time), "ms");
        let (applied, apply_time) =
            timed(|| store.write(|tx| edit::apply(tx, &changes, "Prijs +10 %", now, Source::Ui)));
        applied.map_err(|e| e.to_string())?;
        note("bulk edit: apply (one transaction)", ms(apply_time), "ms");
        let (undone, undo_time) = timed(|| store.write(|tx| edit::undo(tx, now)));
        undone.map_err(|e| e.to_string())?;
        note("undo of that bulk edit", ms(undo_time), "ms");
    }

    if json {
        let list: Vec<_> = figures
            .iter()
            .map(|(n, v, u)| serde_json::json!({"name": n, "value": v, "unit": u}))
            .collect();
        println!("{}", serde_json::Value::Array(list));
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("catalog-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
