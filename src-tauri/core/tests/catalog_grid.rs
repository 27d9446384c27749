//! The catalog grid's search, filters and sort, the product editor's fields (category,
//! pictures with thumbnails) and a product's history — on the demo shop, checked against what
//! a merchant would find by reading the whole list.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeZone;
use kanaal_core::catalog::detail::{product_detail, product_history};
use kanaal_core::catalog::edit::{self, Change, Field, ImageRef, Target};
use kanaal_core::catalog::{
    categories, list_products, matching_ids, ChannelFilter, ProductQuery, ProductRow, SortKey,
    Source, StockFilter,
};
use kanaal_core::clock::FixedClock;
use kanaal_core::demo;
use kanaal_core::ids::{CategoryId, ListingId, ProductId};
use kanaal_core::images;
use kanaal_core::progress::{CancelToken, NoProgress};
use kanaal_core::publish::render::current_counter;
use kanaal_core::store::Store;
use std::collections::{BTreeSet, HashMap};

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn demo_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    demo::load(
        &store,
        &FixedClock::at(now()),
        demo::DEFAULT_SEED,
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    (dir, store)
}

fn rows(store: &Store, q: ProductQuery) -> Vec<ProductRow> {
    let page = store
        .read(|tx| list_products(tx, &ProductQuery { limit: 1000, ..q }))
        .unwrap();
    assert_eq!(
        page.total as usize,
        page.rows.len(),
        "the total counts exactly the matching products"
    );
    page.rows
}

fn ids(rows: &[ProductRow]) -> BTreeSet<i64> {
    rows.iter().map(|r| r.id.0).collect()
}

#[test]
fn search_finds_a_word_inside_a_dutch_compound_and_any_prefix_typed_so_far() {
    let (_d, store) = demo_store();
    let all = rows(&store, ProductQuery::default());
    let search = |s: &str| {
        ids(&rows(
            &store,
            ProductQuery {
                search: Some(s.into()),
                ..Default::default()
            },
        ))
    };
    // "melange" (blend) inside "Huismelange" and "Ontbijtmelange": what a word tokenizer misses.
    let compound: BTreeSet<i64> = all
        .iter()
        .filter(|r| {
            let t = format!("{} {}", r.title_nl, r.title_en).to_lowercase();
            t.split_whitespace()
                .any(|w| w.contains("melange") && !w.starts_with("melange"))
        })
        .map(|r| r.id.0)
        .collect();
    assert!(
        !compound.is_empty(),
        "the demo shop has compounds ending in -melange"
    );
    assert!(
        compound.is_subset(&search("melange")),
        "'melange' finds the products with it inside a longer word"
    );

    // As the merchant types a title letter by letter, the product stays in the results.
    let target = &all[all.len() / 2];
    let word: String = target
        .title_nl
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .to_string();
    for n in 1..=word.chars().count() {
        let prefix: String = word.chars().take(n).collect();
        assert!(
            search(&prefix).contains(&target.id.0),
            "typing '{prefix}' (of '{}') keeps the product in the list",
            target.title_nl
        );
    }

    // Case and accents do not matter; SKUs and EANs are found too.
    let upper = search(&word.to_uppercase());
    assert!(upper.contains(&target.id.0), "search ignores case");
    let sku = target.skus[0].clone();
    assert_eq!(
        search(&sku),
        BTreeSet::from([target.id.0]),
        "a full SKU finds its product only"
    );
    assert!(
        search("\"koffie NEAR(thee*").is_empty(),
        "typed quotes and FTS operators are literal text (found nowhere), never an error"
    );
    assert!(search("zzzqqq").is_empty(), "nonsense finds nothing");
}

#[test]
fn every_filter_lists_exactly_the_products_it_names() {
    let (_d, store) = demo_store();
    let all = rows(&store, ProductQuery::default());
    let filtered = |q: ProductQuery| ids(&rows(&store, q));
    let by = |f: &dyn Fn(&ProductRow) -> bool| -> BTreeSet<i64> {
        all.iter().filter(|r| f(r)).map(|r| r.id.0).collect()
    };

    // Stock: make some products run out and some run low first.
    let first_variants: Vec<_> = all
        .iter()
        .take(6)
        .map(|r| {
            store
                .read(|tx| kanaal_core::catalog::query::variants(tx, r.id))
                .unwrap()
        })
        .collect();
    let mut changes = Vec::new();
    for (i, variants) in first_variants.iter().enumerate() {
        for (j, v) in variants.iter().enumerate() {
            for s in &v.stock {
                // Products 0-2 sold out; 3-5 keep 2 units on their first variant.
                let new = if i >= 3 && j == 0 && s.location == v.stock[0].location {
                    2
                } else {
                    0
                };
                changes.push(Change {
                    target: Target::Variant(v.id),
                    field: Field::Stock(s.location),
                    old: Some(s.quantity.to_string()),
                    new: Some(new.to_string()),
                });
            }
        }
    }
    store
        .write(|tx| edit::apply(tx, &changes, "stock count", now(), Source::Ui))
        .unwrap();
    let all = rows(&store, ProductQuery::default());
    let by_now = |f: &dyn Fn(&ProductRow) -> bool| -> BTreeSet<i64> {
        all.iter().filter(|r| f(r)).map(|r| r.id.0).collect()
    };
    for (filter, expect) in [
        (StockFilter::OutOfStock, by_now(&|r| r.stock_total <= 0)),
        (
            StockFilter::Low,
            by_now(&|r| (1..=5).contains(&r.stock_total)),
        ),
        (StockFilter::InStock, by_now(&|r| r.stock_total > 0)),
    ] {
        assert!(!expect.is_empty(), "{filter:?} has examples");
        assert_eq!(
            filtered(ProductQuery {
                stock: Some(filter),
                ..Default::default()
            }),
            expect,
            "{filter:?}"
        );
    }

    // Status.
    for status in [
        kanaal_core::catalog::ProductStatus::Active,
        kanaal_core::catalog::ProductStatus::Draft,
    ] {
        assert_eq!(
            filtered(ProductQuery {
                status: Some(status),
                ..Default::default()
            }),
            by(&|r| r.status == status)
        );
    }

    // Category: a category with sub-categories lists theirs too.
    let tree = store.read(categories).unwrap();
    let mut below: HashMap<i64, Vec<i64>> = HashMap::new();
    for c in &tree {
        let mut p = c.parent;
        below.entry(c.id.0).or_default().push(c.id.0);
        while let Some(parent) = p {
            below.entry(parent.0).or_default().push(c.id.0);
            p = tree.iter().find(|x| x.id == parent).and_then(|x| x.parent);
        }
    }
    let names: HashMap<i64, String> = tree.iter().map(|c| (c.id.0, c.name_nl.clone())).collect();
    for c in &tree {
        let inside: BTreeSet<&str> = below[&c.id.0].iter().map(|id| names[id].as_str()).collect();
        let expect = by(&|r| r.category_nl.as_deref().is_some_and(|n| inside.contains(n)));
        assert_eq!(
            filtered(ProductQuery {
                category: Some(c.id),
                ..Default::default()
            }),
            expect,
            "category {}",
            c.name_nl
        );
    }

    // Channel presence: list two products on a channel.
    let listed: BTreeSet<i64> = all.iter().take(2).map(|r| r.id.0).collect();
    let channel = store
        .write(|tx| {
            tx.execute(
                "INSERT INTO channels (kind, name, created_at) VALUES ('bol', 'bol.com', 'x')",
                [],
            )?;
            let ch = tx.last_insert_rowid();
            for id in &listed {
                tx.execute(
                    "INSERT INTO listings (channel_id, product_id, state) VALUES (?1, ?2, 'live')",
                    [ch, *id],
                )?;
            }
            Ok(ch)
        })
        .unwrap();
    assert_eq!(
        filtered(ProductQuery {
            channel: Some(ChannelFilter {
                channel,
                listed: true
            }),
            ..Default::default()
        }),
        listed
    );
    let not_listed = filtered(ProductQuery {
        channel: Some(ChannelFilter {
            channel,
            listed: false,
        }),
        ..Default::default()
    });
    assert_eq!(not_listed.len(), all.len() - 2);
    assert!(not_listed.is_disjoint(&listed));

    // Changed since last publish: every product listed and published (each listing takes back
    // its counter snapshot, as a confirmed send does), then one edit.
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO listings (channel_id, product_id, state)
                 SELECT ?1, id, 'live' FROM products
                  WHERE id NOT IN (SELECT product_id FROM listings WHERE channel_id = ?1)",
                [channel],
            )?;
            let ids: Vec<i64> = tx
                .prepare("SELECT id FROM listings")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                let snapshot = current_counter(tx, ListingId(id))?;
                tx.execute(
                    "UPDATE listings SET change_counter = change_counter - ?1,
                            last_published_at = '2026-11-23T09:00:00.000Z' WHERE id = ?2",
                    [snapshot, id],
                )?;
            }
            Ok(())
        })
        .unwrap();
    let changed = || {
        filtered(ProductQuery {
            changed_since_publish: true,
            ..Default::default()
        })
    };
    assert!(changed().is_empty(), "nothing changed since publish");
    let target = &all[10];
    let v = store
        .read(|tx| kanaal_core::catalog::query::variants(tx, target.id))
        .unwrap();
    store
        .write(|tx| {
            edit::apply(
                tx,
                &[Change {
                    target: Target::Variant(v[0].id),
                    field: Field::Price,
                    old: Some(v[0].price.clone()),
                    new: Some("99.00".into()),
                }],
                "price",
                now(),
                Source::Ui,
            )
        })
        .unwrap();
    assert_eq!(changed(), BTreeSet::from([target.id.0]));

    // "Select all that match" takes the filters, not the page.
    let q = ProductQuery {
        stock: Some(StockFilter::InStock),
        limit: 1,
        ..Default::default()
    };
    let all_ids: BTreeSet<i64> = store
        .read(|tx| matching_ids(tx, &q))
        .unwrap()
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(all_ids, by_now(&|r| r.stock_total > 0));
}

#[test]
fn the_grid_sorts_by_title_change_and_stock_both_ways() {
    let (_d, store) = demo_store();
    let sorted = |sort, descending| {
        rows(
            &store,
            ProductQuery {
                sort,
                descending,
                ..Default::default()
            },
        )
    };
    let by_stock = sorted(SortKey::Stock, false);
    assert!(by_stock
        .windows(2)
        .all(|w| w[0].stock_total <= w[1].stock_total));
    let by_stock_desc = sorted(SortKey::Stock, true);
    assert!(by_stock_desc
        .windows(2)
        .all(|w| w[0].stock_total >= w[1].stock_total));
    let titles: Vec<String> = sorted(SortKey::Title, true)
        .iter()
        .map(|r| r.title_nl.to_lowercase())
        .collect();
    let mut expect = titles.clone();
    expect.sort();
    expect.reverse();
    assert_eq!(titles, expect, "Z to A");
    let updated = sorted(SortKey::Updated, false);
    assert!(updated
        .windows(2)
        .all(|w| w[0].updated_at <= w[1].updated_at));

    // Pages join up without gaps or repeats.
    let mut paged = Vec::new();
    for page in 0..10 {
        paged.extend(
            store
                .read(|tx| {
                    list_products(
                        tx,
                        &ProductQuery {
                            sort: SortKey::Stock,
                            offset: page * 7,
                            limit: 7,
                            ..Default::default()
                        },
                    )
                })
                .unwrap()
                .rows
                .into_iter()
                .map(|r| r.id.0),
        );
    }
    assert_eq!(
        paged,
        by_stock.iter().map(|r| r.id.0).collect::<Vec<_>>(),
        "paging through the stock order gives the same order"
    );
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn pictures_from_files_get_thumbnails_order_and_alt_text_and_undo_restores_them() {
    let (dir, store) = demo_store();
    let product = rows(&store, ProductQuery::default())[0].id;
    let big = png(1200, 800);
    let stored = store
        .write(|tx| images::put_picture(tx, dir.path(), &big, now()))
        .unwrap();
    assert_eq!(stored.mime, "image/png");
    assert_eq!((stored.width, stored.height), (Some(1200), Some(800)));
    let thumb = stored
        .thumb
        .clone()
        .expect("a large photo gets a thumbnail");
    let (mime, bytes) = store
        .read(|tx| images::read(tx, dir.path(), &thumb))
        .unwrap()
        .unwrap();
    assert_eq!(
        mime, "image/jpeg",
        "an opaque picture's thumbnail is a JPEG"
    );
    let small = image::load_from_memory(&bytes).unwrap();
    assert_eq!(
        (small.width(), small.height()),
        (320, 213),
        "fits 320 px, keeps the shape"
    );
    let again = store
        .write(|tx| images::put_picture(tx, dir.path(), &big, now()))
        .unwrap();
    assert_eq!(again, stored, "the same picture twice is stored once");

    let not_a_picture = store.write(|tx| images::put_picture(tx, dir.path(), b"hello", now()));
    let msg = not_a_picture.unwrap_err().to_string();
    assert!(msg.contains("PNG, JPEG, WebP or SVG"), "{msg}");

    // Add it in front with alt text, as the editor saves it.
    let before = store.read(|tx| product_detail(tx, product)).unwrap();
    let mut list: Vec<ImageRef> = before
        .pictures
        .iter()
        .map(|p| ImageRef {
            hash: p.hash.clone(),
            alt_nl: p.alt_nl.clone(),
            alt_en: p.alt_en.clone(),
        })
        .collect();
    list.insert(
        0,
        ImageRef {
            hash: stored.hash.clone(),
            alt_nl: "Zak koffie op tafel".into(),
            alt_en: "Bag of coffee on a table".into(),
        },
    );
    let change = Change {
        target: Target::Product(product),
        field: Field::Images,
        old: Some(before.pictures_stored.clone()),
        new: Some(serde_json::to_string(&list).unwrap()),
    };
    store
        .write(|tx| edit::apply(tx, &[change], "pictures", now(), Source::Ui))
        .unwrap();
    let after = store.read(|tx| product_detail(tx, product)).unwrap();
    assert_eq!(after.pictures.len(), before.pictures.len() + 1);
    assert_eq!(after.pictures[0].hash, stored.hash);
    assert_eq!(after.pictures[0].alt_en, "Bag of coffee on a table");
    let grid_row = rows(&store, ProductQuery::default())
        .into_iter()
        .find(|r| r.id == product)
        .unwrap();
    assert_eq!(
        grid_row.image_hash.as_deref(),
        Some(thumb.as_str()),
        "the grid shows the thumbnail, not the 1200 px original"
    );

    store.write(|tx| edit::undo(tx, now())).unwrap();
    let undone = store.read(|tx| product_detail(tx, product)).unwrap();
    assert_eq!(
        undone.pictures, before.pictures,
        "undo restores the picture list"
    );
}

#[test]
fn category_is_an_editable_field_and_history_tells_every_change_with_its_source() {
    let (_d, store) = demo_store();
    let product = rows(&store, ProductQuery::default())[3].id;
    let tree = store.read(categories).unwrap();
    let detail = store.read(|tx| product_detail(tx, product)).unwrap();
    let other = tree
        .iter()
        .find(|c| Some(c.id) != detail.category)
        .unwrap()
        .id;
    let set_category = |old: Option<CategoryId>, new: Option<String>| Change {
        target: Target::Product(product),
        field: Field::Category,
        old: old.map(|c| c.0.to_string()),
        new,
    };
    let missing = store.write(|tx| {
        edit::apply(
            tx,
            &[set_category(detail.category, Some("999999".into()))],
            "category",
            now(),
            Source::Ui,
        )
    });
    assert!(
        missing
            .unwrap_err()
            .to_string()
            .contains("no longer exists"),
        "a category that is not there is refused in words"
    );
    store
        .write(|tx| {
            edit::apply(
                tx,
                &[set_category(detail.category, Some(other.0.to_string()))],
                "Categorie",
                now(),
                Source::Ui,
            )
        })
        .unwrap();
    assert_eq!(
        store
            .read(|tx| product_detail(tx, product))
            .unwrap()
            .category,
        Some(other)
    );

    let v = &detail.variants[0];
    store
        .write(|tx| {
            edit::apply(
                tx,
                &[Change {
                    target: Target::Variant(v.id),
                    field: Field::Price,
                    old: Some(v.price.clone()),
                    new: Some("12.34".into()),
                }],
                "Prijs",
                now(),
                Source::Cli,
            )
        })
        .unwrap();
    store.write(|tx| edit::undo(tx, now())).unwrap();

    let history = store
        .read(|tx| product_history(tx, ProductId(product.0), 100))
        .unwrap();
    let first = &history[0];
    assert_eq!(
        (first.source.as_str(), first.field.as_str()),
        ("undo", "price"),
        "newest first: the undo"
    );
    assert_eq!(first.new.as_deref(), Some(v.price.as_str()));
    assert_eq!(
        first.sku.as_deref(),
        Some(v.sku.as_str()),
        "names the variant"
    );
    assert!(history
        .iter()
        .any(|h| h.source == "cli" && h.new.as_deref() == Some("12.34")));
    assert!(history
        .iter()
        .any(|h| h.field == "category_id" && h.batch.as_deref() == Some("Categorie")));
    assert!(
        history.iter().any(|h| h.source == "demo"),
        "the product's creation by the demo is in its history"
    );
}
