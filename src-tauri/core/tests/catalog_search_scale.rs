//! Search on a catalog big enough for every way the grid answers one: few matches (sorted from
//! the index's hits), many (walking the sort order), more than the count goes up to ("10,000+"),
//! words of one or two letters and of three or more, mixed with a filter — each page checked
//! against what reading the whole catalog finds, in the same order.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kanaal_core::catalog::query::SEARCH_COUNT_CAP;
use kanaal_core::catalog::{list_products, ProductQuery, ProductStatus, SortKey, StockFilter};
use kanaal_core::store::Store;

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
        })
        .unwrap();
    (dir, store)
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
    ];
    for (search, q) in cases {
        let q = ProductQuery {
            search: Some(search.to_string()),
            limit: 100,
            ..q
        };
        let mut expect: Vec<&Product> = products
            .iter()
            .filter(|p| matches(p, search))
            .filter(|p| q.status.is_none_or(|s| p.status == s.code()))
            .filter(|p| q.stock.is_none() || p.stock <= 0)
            .collect();
        let title = |p: &Product| p.title_nl.to_ascii_lowercase();
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
        let page = store.read(|tx| list_products(tx, &q)).unwrap();
        let got: Vec<i64> = page.rows.iter().map(|r| r.id.0).collect();
        let want: Vec<i64> = expect
            .iter()
            .skip(q.offset as usize)
            .take(100)
            .map(|p| p.id)
            .collect();
        assert_eq!(got, want, "the page for '{search}' ({q:?})");
        let cap = SEARCH_COUNT_CAP as usize;
        assert_eq!(
            (page.total as usize, page.capped),
            (expect.len().min(cap), expect.len() > cap),
            "the count for '{search}'"
        );
    }
}
