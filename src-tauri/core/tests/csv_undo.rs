//! Undoing and redoing a CSV import: one step on the undo stack, like a bulk edit. Undo puts
//! every changed value back and removes what the import created (products, variants,
//! categories, the stock location); redo brings it all back with the same ids. Compared on a
//! dump of every catalog table, so any value undo forgets fails the test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use kanaal_core::catalog::csv::{self, Format, Mode};
use kanaal_core::catalog::{edit, Source};
use kanaal_core::store::Store;
use kanaal_core::Error;
use proptest::prelude::*;

const SHOPIFY: &[u8] = include_bytes!("fixtures/csv/shopify_products.csv");

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn empty_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn import(store: &Store, bytes: &[u8], when: DateTime<Utc>) -> csv::ImportReport {
    let r = csv::import(
        store,
        bytes,
        Format::Auto,
        Mode::AllOrNothing,
        false,
        when,
        Source::Import,
    )
    .unwrap();
    assert!(r.committed, "the test file imports: {:?}", r.problems);
    r
}

fn undo(store: &Store, when: DateTime<Utc>) -> Option<edit::Batch> {
    store.write(|tx| edit::undo(tx, when)).unwrap()
}

fn redo(store: &Store, when: DateTime<Utc>) -> Option<edit::Batch> {
    store.write(|tx| edit::redo(tx, when)).unwrap()
}

/// Every catalog table as text, in key order, without the bookkeeping columns undo itself
/// moves (times of change and the publish counters).
fn dump(store: &Store) -> String {
    const TABLES: [(&str, &str); 7] = [
        ("categories", "id"),
        ("locations", "id"),
        ("products", "id"),
        ("product_options", "product_id, position"),
        ("product_images", "product_id, position"),
        ("variants", "id"),
        ("stock", "variant_id, location_id"),
    ];
    const SKIP: [&str; 3] = ["updated_at", "change_counter", "created_at"];
    store
        .read(|tx| {
            let mut out = String::new();
            for (table, key) in TABLES {
                let mut stmt = tx.prepare(&format!("SELECT * FROM {table} ORDER BY {key}"))?;
                let names: Vec<String> =
                    stmt.column_names().iter().map(|s| s.to_string()).collect();
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    out.push_str(table);
                    for (i, name) in names.iter().enumerate() {
                        if SKIP.contains(&name.as_str()) {
                            continue;
                        }
                        let v: rusqlite::types::Value = r.get(i)?;
                        out.push_str(&format!(" {name}={v:?}"));
                    }
                    out.push('\n');
                }
            }
            Ok(out)
        })
        .unwrap()
}

#[test]
fn undoing_an_import_into_an_empty_catalog_empties_it_and_redo_brings_it_back() {
    let (_dir, store) = empty_store();
    let empty = dump(&store);
    let report = import(&store, SHOPIFY, at(0));
    assert!(report.created >= 3, "the file creates products: {report:?}");
    let imported = dump(&store);

    let undone = undo(&store, at(1)).expect("the import is on the undo stack");
    assert!(
        undone.label.starts_with("Import"),
        "labelled as an import: {}",
        undone.label
    );
    assert_eq!(
        dump(&store),
        empty,
        "undo removes every product, variant, category and location the import made"
    );
    let search_hits: i64 = store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM catalog_search", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(search_hits, 0, "and search no longer finds them");

    redo(&store, at(2)).expect("the import can be redone");
    assert_eq!(
        dump(&store),
        imported,
        "redo brings every row back, with the same ids"
    );
}

#[test]
fn undo_refuses_to_remove_a_product_that_a_channel_lists() {
    let (_dir, store) = empty_store();
    import(&store, SHOPIFY, at(0));
    let before = dump(&store);
    store
        .write(|tx| {
            let channel = kanaal_core::channels::add(tx, "bol", "bol.com", None, at(1))?;
            tx.execute(
                "INSERT INTO listings (channel_id, product_id) SELECT ?1, min(id) FROM products",
                [channel.0],
            )?;
            Ok(())
        })
        .unwrap();
    let err = store.write(|tx| edit::undo(tx, at(2))).unwrap_err();
    match &err {
        Error::Input(problem) => assert!(
            problem.to_string().contains("listed on a channel")
                && problem.to_string().contains("archived"),
            "says why and what to do instead: {problem}"
        ),
        other => panic!("a plain refusal, not {other:?}"),
    }
    assert_eq!(dump(&store), before, "nothing was undone halfway");
}

// --- random catalogs, re-imported with random changes --------------------------------------

const HEADER: &str = "Handle,Title,Body (HTML),Vendor,Type,Tags,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Variant Compare At Price,Variant Barcode,Cost per item,Status";

#[derive(Debug, Clone)]
struct Variant {
    value: String,
    sku: String,
    grams: u32,
    qty: u32,
    cents: u32,
}

#[derive(Debug, Clone)]
struct Product {
    handle: String,
    title: String,
    vendor: String,
    category: String,
    option: String,
    status: &'static str,
    variants: Vec<Variant>,
}

fn file(products: &[Product]) -> Vec<u8> {
    let mut out = String::from(HEADER);
    out.push('\n');
    for p in products {
        for (i, v) in p.variants.iter().enumerate() {
            let first = i == 0;
            let cell = |s: &str| if first { s.to_string() } else { String::new() };
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{}.{:02},,,,{}\n",
                p.handle,
                cell(&p.title),
                cell("<p>Vers gebrand</p>"),
                cell(&p.vendor),
                cell(&p.category),
                cell("koffie"),
                cell(&p.option),
                v.value,
                v.sku,
                v.grams,
                v.qty,
                v.cents / 100,
                v.cents % 100,
                cell(p.status),
            ));
        }
    }
    out.into_bytes()
}

fn catalog() -> impl Strategy<Value = Vec<Product>> {
    prop::collection::vec(
        (
            prop::sample::select(vec!["Koffie > Bonen", "Koffie > Gemalen", "Thee", ""]),
            prop::collection::vec((1u32..40, 100u32..5000), 1..4),
            any::<bool>(),
        ),
        1..5,
    )
    .prop_map(|ps| {
        ps.into_iter()
            .enumerate()
            .map(|(i, (category, vs, draft))| Product {
                handle: format!("product-{i}"),
                title: format!("Product {i}"),
                vendor: "Brandpunt".to_string(),
                category: category.to_string(),
                option: "Gewicht".to_string(),
                status: if draft { "draft" } else { "active" },
                variants: vs
                    .into_iter()
                    .enumerate()
                    .map(|(j, (qty, cents))| Variant {
                        value: format!("{}g", 250 * (j + 1)),
                        sku: format!("P{i}-V{j}"),
                        grams: 250 * (j as u32 + 1),
                        qty,
                        cents,
                    })
                    .collect(),
            })
            .collect()
    })
}

/// One change a merchant's second file can carry.
#[derive(Debug, Clone)]
enum Change {
    Price(usize, u32),
    Stock(usize, u32),
    Title(usize),
    Category(usize, &'static str),
    OptionName(usize),
    Status(usize),
    NewVariant(usize),
    NewProduct,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (any::<usize>(), 100u32..9000).prop_map(|(i, c)| Change::Price(i, c)),
        (any::<usize>(), 0u32..99).prop_map(|(i, q)| Change::Stock(i, q)),
        any::<usize>().prop_map(Change::Title),
        (
            any::<usize>(),
            prop::sample::select(vec!["Thee > Groen", "Koffie > Bonen", "Cadeaus", ""])
        )
            .prop_map(|(i, c)| Change::Category(i, c)),
        any::<usize>().prop_map(Change::OptionName),
        any::<usize>().prop_map(Change::Status),
        any::<usize>().prop_map(Change::NewVariant),
        Just(Change::NewProduct),
    ]
}

fn apply(mut products: Vec<Product>, changes: &[Change]) -> Vec<Product> {
    for (n, c) in changes.iter().enumerate() {
        let len = products.len();
        match c {
            Change::Price(i, cents) => {
                let p = &mut products[i % len];
                let v = i / len % p.variants.len();
                p.variants[v].cents = *cents;
            }
            Change::Stock(i, qty) => {
                let p = &mut products[i % len];
                let v = i / len % p.variants.len();
                p.variants[v].qty = *qty;
            }
            Change::Title(i) => products[i % len].title = format!("Nieuwe naam {n}"),
            Change::Category(i, c) => products[i % len].category = c.to_string(),
            Change::OptionName(i) => products[i % len].option = "Maat".to_string(),
            Change::Status(i) => {
                let p = &mut products[i % len];
                p.status = if p.status == "draft" {
                    "active"
                } else {
                    "draft"
                };
            }
            Change::NewVariant(i) => {
                let p = &mut products[i % len];
                let j = p.variants.len();
                p.variants.push(Variant {
                    value: format!("{}g", 250 * (j + 1)),
                    sku: format!("{}-extra-{n}", p.handle),
                    grams: 250 * (j as u32 + 1),
                    qty: 7,
                    cents: 1295,
                });
            }
            Change::NewProduct => products.push(Product {
                handle: format!("nieuw-{n}"),
                title: format!("Nieuw {n}"),
                vendor: "Brandpunt".to_string(),
                category: "Nieuw > Binnen".to_string(),
                option: "Gewicht".to_string(),
                status: "active",
                variants: vec![Variant {
                    value: "250g".to_string(),
                    sku: format!("NEW-{n}"),
                    grams: 250,
                    qty: 3,
                    cents: 999,
                }],
            }),
        }
    }
    products
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Import, re-import with random changes, undo (back to exactly the first import), redo
    /// (exactly the second), undo both (empty again).
    #[test]
    fn undo_and_redo_of_a_reimport_restore_every_value(
        first in catalog(),
        changes in prop::collection::vec(change(), 1..8),
    ) {
        let (_dir, store) = empty_store();
        let empty = dump(&store);
        import(&store, &file(&first), at(0));
        let after_first = dump(&store);
        let second = apply(first.clone(), &changes);
        import(&store, &file(&second), at(1));
        let after_second = dump(&store);
        if after_second == after_first {
            // A re-import that changes nothing is not a step on the undo stack: undo takes
            // the first import back.
            prop_assert!(undo(&store, at(2)).is_some());
            prop_assert_eq!(dump(&store), empty, "undo takes the first import back");
            return Ok(());
        }

        let undone = undo(&store, at(2));
        if after_second != after_first {
            prop_assert!(undone.is_some(), "a re-import that changed something can be undone");
        }
        prop_assert_eq!(dump(&store), after_first.clone(), "undo restores the first import exactly");
        if undone.is_some() {
            redo(&store, at(3));
            prop_assert_eq!(dump(&store), after_second, "redo restores the second import exactly");
            undo(&store, at(4));
            prop_assert_eq!(dump(&store), after_first, "undo again");
        }
        undo(&store, at(5));
        prop_assert_eq!(dump(&store), empty, "and undoing the first import empties the catalog");
    }
}
