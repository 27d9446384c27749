//! Search on a catalog big enough for every way the grid answers one: few matches (sorted from
//! the index's hits), many (walking the sort order), more than the count goes up to ("10,000+"),
//! words of one or two letters and of three or more, mixed with a filter — each page checked
//! against what reading the whole catalog finds, in the same order. Broad searches by title
//! are answered both by walking the title index in SQL and by walking the title order the
//! store keeps in memory; the kept order must follow every change to the catalog, also one
//! another program makes to the same file.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kanaal_core::catalog::query::SEARCH_COUNT_CAP;
use kanaal_core::catalog::{
    list_products, list_products_with, ProductQuery, ProductStatus, SortKey, StockFilter,
    TitleOrders,
};
use kanaal_core::settings::Language;
use kanaal_core::store::Store;
use rusqlite::Transaction;

/// Just over the count's cap, so a search for a word every product has is capped.
const PRODUCTS: i64 = 10_050;
const KINDS: [&str; 5] = [
    "Koffiekan",
    "Huismelange",
    "Espressobonen",
    "Jasmijnthee",
    "Filterkoffie",
];
const STYLES: [&str; 3] = ["Donker", "Licht", "Crème"];

#[derive(Debug, Clone)]
struct Product {
    id: i64,
    title_nl: String,
    title_en: String,
    brand_tags: String,
    handle: String,
    sku: String,
    status: &'static str,
    stock: i64,
    updated_at: String,
}

fn catalog() -> Vec<Product> {
    (1..=PRODUCTS)
        .map(|i| {
            let rare = if i % 997 == 0 { " Zeldzaam" } else { "" };
            Product {
                id: i,
                title_nl: format!(
                    "{} {}{rare} {i}",
                    KINDS[(i % 5) as usize],
                    STYLES[((i / 5) % 3) as usize]
                ),
                title_en: format!("Pot {i}"),
                brand_tags: format!(
                    "{} [\"vers\"]",
                    if i % 2 == 0 { "Branderij" } else { "Molen" }
                ),
                handle: format!("p-{i}"),
                sku: format!("SKU-{i}"),
                status: if i % 10 == 0 { "draft" } else { "active" },
                stock: i % 4,
                updated_at: format!("2026-11-{:02}T09:00:00.000Z", 1 + (i * 7) % 28),
            }
        })
        .collect()
}

fn store_with(products: &[Product]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO locations (id, code, name) VALUES (1, 'main', 'Winkel')",
                [],
            )?;
            insert(tx, products)
        })
        .unwrap();
    (dir, store)
}

/// Writes `products` (with one variant and its stock each) in `tx`.
fn insert(tx: &Transaction<'_>, products: &[Product]) -> kanaal_core::Result<()> {
    let mut product = tx.prepare(
        "INSERT INTO products (id, handle, title_nl, title_en, brand, tags, status,
                                       created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, '[\"vers\"]', ?6, ?7, ?7)",
    )?;
    let mut variant = tx.prepare(
        "INSERT INTO variants (id, product_id, position, sku, price, created_at, updated_at)
                 VALUES (?1, ?1, 0, ?2, '9.95', 'x', 'x')",
    )?;
    let mut stock = tx.prepare(
        "INSERT INTO stock (variant_id, location_id, quantity, updated_at)
                 VALUES (?1, 1, ?2, 'x')",
    )?;
    for p in products {
        let brand = p.brand_tags.split(' ').next().unwrap_or("");
        product.execute(rusqlite::params![
            p.id,
            p.handle,
            p.title_nl,
            p.title_en,
            brand,
            p.status,
            p.updated_at
        ])?;
        variant.execute(rusqlite::params![p.id, p.sku])?;
        stock.execute(rusqlite::params![p.id, p.stock])?;
    }
    Ok(())
}

/// What the merchant means by the search, read off the whole catalog: every word of three
/// letters or more inside a title, the brand and tags, the handle or the SKU; every shorter
/// word at the start of a title word or of the SKU; case ignored.
fn matches(p: &Product, search: &str) -> bool {
    // Accents do not count either ("creme" finds "Crème"); this catalog has only these.
    let fold = |t: &str| t.to_lowercase().replace(['è', 'é', 'ë'], "e");
    search.split_whitespace().all(|word| {
        let w = fold(word);
        if w.chars().count() >= 3 {
            [
                format!("{} {}", p.title_nl, p.title_en),
                p.brand_tags.clone(),
                p.handle.clone(),
                p.sku.clone(),
            ]
            .iter()
            .any(|text| fold(text).contains(&w))
        } else {
            p.title_nl
                .split_whitespace()
                .chain(p.title_en.split_whitespace())
                .any(|t| t.to_lowercase().starts_with(&w))
                || p.sku.to_lowercase().starts_with(&w)
        }
    })
}

#[test]
fn every_search_page_is_the_page_of_all_matches_in_order_and_the_count_stops_at_the_cap() {
    let products = catalog();
    let (_d, store) = store_with(&products);
    let cases: Vec<(&str, ProductQuery)> = vec![
        // (search, extra filters / sort / paging)
        ("vers", ProductQuery::default()), // every product: capped
        (
            "VERS",
            ProductQuery {
                offset: 9_950,
                ..Default::default()
            },
        ), // the last page of the cap
        ("koffie", ProductQuery::default()), // two kinds, far apart in title order
        (
            "koffie",
            ProductQuery {
                offset: 3_950,
                ..Default::default()
            },
        ),
        (
            "melange",
            ProductQuery {
                descending: true,
                ..Default::default()
            },
        ),
        ("zeldzaam", ProductQuery::default()), // ten products: sorted from the hits
        ("sku-12", ProductQuery::default()),
        ("e", ProductQuery::default()), // one letter: "Espressobonen" starts a title
        (
            "ko",
            ProductQuery {
                offset: 1_000,
                ..Default::default()
            },
        ),
        ("sk", ProductQuery::default()), // every SKU starts so: capped
        ("po 12", ProductQuery::default()),
        ("lange cr", ProductQuery::default()),
        // A third of the catalog, accents and case as typed or not: walked in title order.
        ("CREME", ProductQuery::default()),
        (
            "crème",
            ProductQuery {
                offset: 3_000,
                ..Default::default()
            },
        ),
        ("rème bonen", ProductQuery::default()),
        (
            "vers",
            ProductQuery {
                sort: SortKey::Stock,
                ..Default::default()
            },
        ),
        (
            "vers",
            ProductQuery {
                sort: SortKey::Updated,
                descending: true,
                ..Default::default()
            },
        ),
        (
            "bonen",
            ProductQuery {
                status: Some(ProductStatus::Draft),
                ..Default::default()
            },
        ),
        (
            "vers",
            ProductQuery {
                stock: Some(StockFilter::OutOfStock),
                ..Default::default()
            },
        ),
        ("nergens", ProductQuery::default()),
        // By English title, both ways, also deep: walked in that language's order.
        (
            "vers",
            ProductQuery {
                language: Some(Language::En),
                ..Default::default()
            },
        ),
        (
            "melange",
            ProductQuery {
                language: Some(Language::En),
                descending: true,
                offset: 1_500,
                ..Default::default()
            },
        ),
        (
            "koffie",
            ProductQuery {
                language: Some(Language::En),
                offset: 3_950,
                ..Default::default()
            },
        ),
        (
            "crème",
            ProductQuery {
                descending: true,
                offset: 2_000,
                ..Default::default()
            },
        ),
        // Deep pages of a capped search: in a kept order the rest of the hits is read.
        (
            "vers",
            ProductQuery {
                descending: true,
                offset: 5_000,
                ..Default::default()
            },
        ),
        (
            "vers",
            ProductQuery {
                language: Some(Language::En),
                offset: 2_000,
                ..Default::default()
            },
        ),
    ];
    // Each case twice: walking the title index in SQL, and walking the kept title order
    // (kept from the first case on, as in the app).
    for (search, q) in cases {
        let q = ProductQuery {
            search: Some(search.to_string()),
            limit: 100,
            ..q
        };
        check(&store, None, &products, &q);
        check(&store, Some(store.title_orders()), &products, &q);
    }
}

/// The page and count of `q` (a search, a page of 100) as reading every product in `products`
/// finds them.
fn expected(products: &[Product], q: &ProductQuery) -> (Vec<i64>, usize, bool) {
    let search = q.search.as_deref().unwrap_or("");
    let mut expect: Vec<&Product> = products
        .iter()
        .filter(|p| matches(p, search))
        .filter(|p| q.status.is_none_or(|s| p.status == s.code()))
        .filter(|p| q.stock.is_none() || p.stock <= 0)
        .collect();
    // SQLite's NOCASE folds ASCII letters only.
    let title = |p: &Product| match q.language {
        Some(Language::En) => p.title_en.to_ascii_lowercase(),
        _ => p.title_nl.to_ascii_lowercase(),
    };
    match q.sort {
        SortKey::Title => expect.sort_by_key(|p| (title(p), p.id)),
        SortKey::Updated => expect.sort_by_key(|p| (p.updated_at.clone(), p.id)),
        SortKey::Stock => {}
    }
    if q.descending {
        expect.reverse();
    }
    if q.sort == SortKey::Stock {
        // Least stock first, then by title A to Z.
        expect.sort_by_key(|p| (p.stock, title(p), p.id));
    }
    let page = expect
        .iter()
        .skip(q.offset as usize)
        .take(100)
        .map(|p| p.id)
        .collect();
    let cap = SEARCH_COUNT_CAP as usize;
    (page, expect.len().min(cap), expect.len() > cap)
}

/// Asks `store` for `q`'s page, with the kept title orders `orders` or without, and compares
/// it with [`expected`].
fn check(store: &Store, orders: Option<&TitleOrders>, products: &[Product], q: &ProductQuery) {
    let page = store
        .read(|tx| match orders {
            Some(orders) => list_products_with(tx, q, orders),
            None => list_products(tx, q),
        })
        .unwrap();
    let got: Vec<i64> = page.rows.iter().map(|r| r.id.0).collect();
    let (want, total, capped) = expected(products, q);
    let how = if orders.is_some() {
        "kept order"
    } else {
        "SQL"
    };
    assert_eq!(got, want, "the page for {q:?} ({how})");
    assert_eq!(
        (page.total as usize, page.capped),
        (total, capped),
        "the count for {q:?} ({how})"
    );
}

/// The broad searches the kept title order answers (the search alone, by title, in both
/// languages and directions, shallow and deep).
fn title_searches() -> Vec<ProductQuery> {
    let mut out = Vec::new();
    for language in [None, Some(Language::En)] {
        for descending in [false, true] {
            // A letter or two go to the word index: in a kept order they are checked by asking
            // the index about each product ("p" begins every English title, "ko" a fifth of
            // the Dutch ones), also deep down and together with a longer word.
            for (search, offset) in [
                ("vers", 0),
                ("melange", 0),
                ("koffie", 3_950),
                ("p", 0),
                ("p", 3_950),
                ("ko", 0),
                ("ko melange", 0),
            ] {
                out.push(ProductQuery {
                    search: Some(search.to_string()),
                    language,
                    descending,
                    offset,
                    limit: 100,
                    ..Default::default()
                });
            }
        }
    }
    out
}

/// A product whose titles put it first A to Z in both languages ("Aaa" before every other
/// title) and that every broad search here finds ("vers" in its tags, "melange" and
/// "koffie" in its Dutch title).
fn first_in_order(id: i64) -> Product {
    Product {
        id,
        title_nl: format!("Aaa koffiemelange {id}"),
        title_en: format!("Aaa {id}"),
        brand_tags: "Molen [\"vers\"]".to_string(),
        handle: format!("p-{id}"),
        sku: format!("SKU-{id}"),
        status: "active",
        stock: 1,
        updated_at: "2026-11-01T09:00:00.000Z".to_string(),
    }
}

#[test]
fn the_kept_title_order_follows_every_change_to_the_catalog_from_this_or_another_program() {
    let mut products = catalog();
    let (dir, store) = store_with(&products);
    let every_search = |products: &[Product]| {
        for q in title_searches() {
            check(&store, Some(store.title_orders()), products, &q);
        }
    };
    every_search(&products);

    // A title edit moves a product from the middle of the order to its start (Dutch) and to
    // its end (English).
    let moved = 5_003;
    store
        .write(|tx| {
            tx.execute(
                "UPDATE products SET title_nl = 'Aaa koffiemelange', title_en = 'Zzz' WHERE id = ?1",
                [moved],
            )?;
            Ok(())
        })
        .unwrap();
    let p = products.iter_mut().find(|p| p.id == moved).unwrap();
    p.title_nl = "Aaa koffiemelange".to_string();
    p.title_en = "Zzz".to_string();
    every_search(&products);

    // A product at the start of the order removed.
    store
        .write(|tx| {
            tx.execute("DELETE FROM products WHERE id = ?1", [moved])?;
            Ok(())
        })
        .unwrap();
    products.retain(|p| p.id != moved);
    every_search(&products);

    // Another program (a second store on the same file, as the command line opens) adds
    // products that come first in the order, and renames one.
    let other = Store::open(dir.path()).unwrap();
    let added = [first_in_order(20_001), first_in_order(20_002)];
    other
        .write(|tx| {
            insert(tx, &added)?;
            tx.execute("UPDATE products SET title_en = 'Aaa' WHERE id = 7", [])?;
            Ok(())
        })
        .unwrap();
    drop(other);
    products.extend(added);
    products.iter_mut().find(|p| p.id == 7).unwrap().title_en = "Aaa".to_string();
    every_search(&products);

    // What is walked is the kept order: a change made behind the counter's back (its
    // trigger dropped, as no program does) is not seen by the kept order, only by SQL. The
    // page's rows are sorted by SQL at the end, so the change moves a product off the page.
    let sneaky = rusqlite::Connection::open(store.db_path()).unwrap();
    let trigger: String = sneaky
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'title_order_update'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    sneaky
        .execute_batch(&format!(
            "BEGIN;
             DROP TRIGGER title_order_update;
             UPDATE products SET title_nl = 'Zzz koffiemelange' WHERE id = 20002;
             {trigger};
             COMMIT;"
        ))
        .unwrap();
    let q = ProductQuery {
        search: Some("vers".to_string()),
        limit: 100,
        ..Default::default()
    };
    let on_page = |orders: Option<&TitleOrders>| -> bool {
        let page = store
            .read(|tx| match orders {
                Some(orders) => list_products_with(tx, &q, orders),
                None => list_products(tx, &q),
            })
            .unwrap();
        page.rows.iter().any(|r| r.id.0 == 20_002)
    };
    assert!(!on_page(None), "SQL sees the change");
    assert!(
        on_page(Some(store.title_orders())),
        "the kept order is what the search walked"
    );
    // The next counted change brings it up to date again.
    store
        .write(|tx| {
            tx.execute("UPDATE products SET title_en = 'Pot' WHERE id = 7", [])?;
            Ok(())
        })
        .unwrap();
    assert!(!on_page(Some(store.title_orders())));
}

/// The window warms the kept order after showing a page (`TitleOrders::warm`), so the first
/// search after an edit does not read it: warming keeps the order of the latest titles, and
/// only from a reading connection.
#[test]
fn warming_keeps_the_order_of_the_latest_titles() {
    let products: Vec<Product> = catalog().into_iter().take(3).collect();
    let (_dir, store) = store_with(&products);
    let orders = store.title_orders();
    let kept = || format!("{orders:?}");
    let counter = || -> i64 {
        store
            .read(|tx| Ok(tx.query_row("SELECT n FROM title_order_counter", [], |r| r.get(0))?))
            .unwrap()
    };
    assert!(
        kept().contains("nl (counter, products): None"),
        "{}",
        kept()
    );
    store.read(|tx| orders.warm(tx, None)).unwrap();
    assert!(
        kept().contains(&format!("nl (counter, products): Some(({}, 3))", counter())),
        "{}",
        kept()
    );

    store
        .write(|tx| {
            tx.execute("UPDATE products SET title_nl = 'Aaa' WHERE id = 3", [])?;
            Ok(())
        })
        .unwrap();
    let before_warm = kept();
    assert!(
        !before_warm.contains(&format!("Some(({}, 3))", counter())),
        "{before_warm}"
    );
    // Read inside a write transaction: used, not kept (it could still be rolled back).
    store.write(|tx| orders.warm(tx, None)).unwrap();
    assert_eq!(
        kept(),
        before_warm,
        "an order read while writing is not kept"
    );
    store.read(|tx| orders.warm(tx, None)).unwrap();
    assert!(
        kept().contains(&format!("nl (counter, products): Some(({}, 3))", counter())),
        "{}",
        kept()
    );
    assert!(
        kept().contains("en (counter, products): None"),
        "only the language asked for: {}",
        kept()
    );
}

/// A word of one or two letters that most of a catalog far larger than the count's cap has:
/// in a kept order the products after the last counted hit are checked by asking the word
/// index about each one (reading the rest of the hits would cost more). Each page must be
/// the page of all matches, also where a product up there does not match.
#[test]
fn a_short_word_is_checked_product_by_product_past_the_counted_hits() {
    const MANY: i64 = 5 * SEARCH_COUNT_CAP as i64;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    // Every fifth product is a mug ("Mok"), the others pots ("Pot"): "p" finds four in five.
    // Numbered backwards, so the first pots A to Z are the last products, far past the hits
    // the count reads.
    let title_en = |i: i64| format!("{} {:05}", if i % 5 == 0 { "Mok" } else { "Pot" }, MANY - i);
    store
        .write(|tx| {
            tx.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
                 INSERT INTO products (id, handle, title_nl, title_en, created_at, updated_at)
                 SELECT i, 'p-' || i, 'Koffie ' || i,
                        CASE WHEN i % 5 = 0 THEN 'Mok ' ELSE 'Pot ' END || printf('%05d', ?1 - i),
                        '2026-11-30T09:00:00.000Z', '2026-11-30T09:00:00.000Z'
                   FROM n",
                [MANY],
            )?;
            Ok(())
        })
        .unwrap();
    let mut by_title: Vec<(String, i64)> = (1..=MANY)
        .map(|i| (title_en(i).to_lowercase(), i))
        .collect();
    by_title.sort();
    for (descending, offset) in [(false, 0), (false, 700), (true, 0)] {
        let q = ProductQuery {
            search: Some("p".to_string()),
            language: Some(Language::En),
            descending,
            offset,
            limit: 100,
            ..Default::default()
        };
        let pots = by_title
            .iter()
            .filter(|(t, _)| t.starts_with('p'))
            .map(|(_, i)| *i);
        let want: Vec<i64> = if descending {
            pots.rev().skip(offset as usize).take(100).collect()
        } else {
            pots.skip(offset as usize).take(100).collect()
        };
        for orders in [Some(store.title_orders()), None] {
            let page = store
                .read(|tx| match orders {
                    Some(orders) => list_products_with(tx, &q, orders),
                    None => list_products(tx, &q),
                })
                .unwrap();
            let got: Vec<i64> = page.rows.iter().map(|r| r.id.0).collect();
            assert_eq!(got, want, "{q:?}, kept order: {}", orders.is_some());
            assert!(page.capped, "four in five of {MANY} is past the cap");
        }
    }
}
