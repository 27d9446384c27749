//! Creating many products at once: the import's new products written after the others, with
//! the per-row insert triggers out of the way and their work done once for exactly these rows.
//!
//! Why: a first import of 100,000 products made 700,000 single-row statements, each firing the
//! insert triggers (search notes, stock totals re-summed, listings' pending flags). A statement
//! that fires a trigger is also one SQLite must be able to undo on its own, so it copied every
//! page it touched into the statement journal and looked up, for every new variant, the rows
//! of other tables that could point at it. Here the triggers in [`QUIET`] are dropped
//! inside the import's transaction (and savepoint) and created again from their own stored SQL
//! right after, so a crash or an error brings them back with everything else: each product is
//! written with its stock total, the new products are noted for the search index in one
//! statement, the title order's counter is bumped once by their number, and no listing can
//! point at a product id that did not exist yet (foreign keys), so no listing's pending flag
//! can change. Measured in docs/benchmarks.md.
//!
//! What is written is exactly what the one-product-at-a-time path writes (the tests below
//! compare the two on random files, also with a product the database refuses); only variant
//! ids may be numbered in another order when the same file also adds variants to existing
//! products. Validation is the same ([`write::validate`]), and on any error the caller rolls
//! back to its savepoint and writes the products one at a time after all, so a refused
//! product is found and reported exactly as before.
//!
//! Must not be used for products that already exist, nor outside the import's savepoint.

use super::Writer;
use crate::catalog::write::{self, NewProduct};
use crate::store::search::{self, NewTexts};
use crate::{Error, Result};
use rusqlite::{params, Transaction};

impl Writer<'_, '_> {
    /// Creates `products` (none of which the catalog has yet) with the insert triggers in
    /// [`QUIET`] dropped, doing their work itself, and with one audit row each under the
    /// import's batch, as [`write::insert_product_in_batch`] does for one. On an error the
    /// caller must roll back to its savepoint (which also brings the triggers back).
    /// Returns the first new product's id; the others follow in order.
    pub(super) fn create_many(&mut self, new: &[NewProduct]) -> Result<i64> {
        if new.is_empty() {
            return Ok(0);
        }
        for product in new {
            write::validate(product)?;
        }
        let tx = self.tx;
        let first: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM products", [], |r| {
                r.get(0)
            })?;
        let variant: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM variants", [], |r| {
            r.get(0)
        })?;
        let quiet = take_triggers(tx)?;
        // A CHECK with an IN list of three values (products.status, variants.vat_rate) makes
        // SQLite build a small temporary table for every row it checks, which was a fifth of
        // these inserts. The values written here are the enums' own codes, so the checks are
        // off while writing them. Changing the setting expires every prepared statement, so
        // any statement prepared meanwhile checks again once it is back on.
        tx.execute_batch("PRAGMA ignore_check_constraints = ON")?;
        let written = self.insert_all(new, first, variant);
        tx.execute_batch("PRAGMA ignore_check_constraints = OFF")?;
        written?;
        for sql in &quiet {
            tx.execute_batch(sql)?;
        }
        // What title_order_insert would have counted, one for each product (so the counter
        // ends where the one-product-at-a-time path leaves it).
        tx.execute(
            "UPDATE title_order_counter SET n = n + ?1",
            [i64::try_from(new.len()).unwrap_or(i64::MAX)],
        )?;
        // What search_product_insert and search_variant_insert would have noted is indexed by
        // [`index_created`] once the savepoint is released. No listing can point at a product
        // that did not exist yet (foreign keys), so pending_variant_insert would have changed
        // nothing.
        Ok(first)
    }

    /// The inserts of [`Writer::create_many`]: products numbered from `first`, variants after
    /// `variant`.
    fn insert_all(&self, new: &[NewProduct], first: i64, mut variant: i64) -> Result<()> {
        let tx = self.tx;
        let mut insert_product = tx.prepare_cached(
            "INSERT INTO products (id, handle, title_nl, title_en, description_nl, description_en,
                                   brand, category_id, status, tags, created_at, updated_at,
                                   stock_total)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
        )?;
        let mut insert_option = tx.prepare_cached(
            "INSERT INTO product_options (product_id, position, name_nl, name_en)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut insert_variant = tx.prepare_cached(INSERT_VARIANT)?;
        let mut insert_stock = tx.prepare_cached(
            "INSERT INTO stock (variant_id, location_id, quantity, updated_at)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut audit = tx.prepare_cached(
            "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value,
                                    new_value)
             VALUES (?1, ?2, ?3, 'product', ?4, 'created', NULL, ?5)",
        )?;
        let now = self.now_text.as_str();
        let source = self.stamp.source.code();
        for (id, p) in (first..).zip(new) {
            // What stock_total_insert would have summed, row by row.
            let stock_total: i64 = p
                .variants
                .iter()
                .flat_map(|v| v.stock.iter())
                .map(|s| s.quantity)
                .sum();
            insert_product.execute(params![
                id,
                p.handle,
                p.title_nl,
                p.title_en,
                p.description_nl,
                p.description_en,
                p.brand,
                p.category,
                p.status.code(),
                json(&p.tags)?,
                now,
                stock_total
            ])?;
            for (pos, (nl, en)) in p.options.iter().enumerate() {
                insert_option.execute(params![id, pos as i64, nl, en])?;
            }
            for (pos, v) in p.variants.iter().enumerate() {
                variant += 1;
                let pr = &v.prices;
                insert_variant.execute(params![
                    variant,
                    id,
                    pos as i64,
                    v.sku,
                    v.gtin,
                    json(&v.options)?,
                    pr.price.amount_text(),
                    pr.compare_at.map(|m| m.amount_text()),
                    pr.cost.map(|m| m.amount_text()),
                    pr.price.currency.as_str(),
                    pr.vat.code(),
                    v.weight_grams,
                    now
                ])?;
                for s in &v.stock {
                    insert_stock.execute(params![variant, s.location, s.quantity, now])?;
                }
            }
            audit.execute(params![now, source, self.stamp.batch_id, id, p.handle])?;
        }
        Ok(())
    }
}

/// Indexes for search the products [`Writer::create_many`] created, numbered from `first` in
/// the order of `new`: what `store::search::catch_up` would have done for them had the
/// triggers noted them. Must be called after the import's savepoint is released (the
/// full-text index writes its pending data to disk at every savepoint).
pub(super) fn index_created(tx: &Transaction<'_>, first: i64, new: &[NewProduct]) -> Result<()> {
    let mut tags = Vec::with_capacity(new.len());
    for p in new {
        tags.push(json(&p.tags)?);
    }
    let texts: Vec<NewTexts<'_>> = (first..)
        .zip(new.iter().zip(&tags))
        .map(|(id, (p, tags))| NewTexts {
            id,
            title_nl: &p.title_nl,
            title_en: &p.title_en,
            brand: &p.brand,
            tags,
            handle: &p.handle,
            codes: p
                .variants
                .iter()
                .map(|v| (v.sku.as_str(), v.gtin.as_deref()))
                .collect(),
        })
        .collect();
    search::index_new(tx, &texts)
}

const INSERT_VARIANT: &str = "INSERT INTO variants (id, product_id, position, sku, gtin, options,
                                price, compare_at_price, cost, currency, vat_rate,
                                weight_grams, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)";

/// The insert triggers whose work [`Writer::create_many`] does itself.
const QUIET: [&str; 5] = [
    "search_product_insert",
    "search_variant_insert",
    "pending_variant_insert",
    "stock_total_insert",
    "title_order_insert",
];

/// Drops the triggers in [`QUIET`] and returns their SQL, to create them again.
fn take_triggers(tx: &Transaction<'_>) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for name in QUIET {
        let sql: String = tx.query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
            [name],
            |r| r.get(0),
        )?;
        tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
        out.push(sql);
    }
    Ok(out)
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Corrupt(e.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    //! The bulk path against the one-product-at-a-time path: the same files, imported both
    //! ways into the same catalogs, must leave the same catalog, history, search index and
    //! report.

    use super::super::{apply_with, Stamp, Writes};
    use super::{INSERT_VARIANT, QUIET};
    use crate::catalog::csv::{self, Format, Mode};
    use crate::catalog::Source;
    use crate::store::Store;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    const HEADER: &str = "Handle,Title,Vendor,Type,Tags,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Variant Barcode,Status";

    /// A product: handle number, title word, category, variants (SKU number, stock, cents,
    /// EAN number), status.
    type Product = (
        u8,
        &'static str,
        &'static str,
        Vec<(u8, Option<u8>, u16, bool)>,
        bool,
    );

    fn file(products: &[Product]) -> Vec<u8> {
        let mut out = format!("{HEADER}\n");
        for (handle, title, category, variants, draft) in products {
            for (i, (sku, stock, cents, ean)) in variants.iter().enumerate() {
                let first = |s: &str| if i == 0 { s.to_string() } else { String::new() };
                let barcode = if *ean {
                    crate::catalog::gtin::complete(&format!(
                        "871234{:06}",
                        u32::from(*sku) * 10 + i as u32
                    ))
                    .unwrap()
                } else {
                    String::new()
                };
                out.push_str(&format!(
                    "p{handle},{},{},{},{},{},{}g,S{sku},{},{},{}.{:02},{barcode},{}\n",
                    first(&format!("{title} {handle}")),
                    first("Brandpunt"),
                    first(category),
                    first("\"vers, koffie\""),
                    first("Gewicht"),
                    250 * (i + 1),
                    250 * (i + 1),
                    stock.map(|s| s.to_string()).unwrap_or_default(),
                    cents / 100,
                    cents % 100,
                    first(if *draft { "draft" } else { "active" }),
                ));
            }
        }
        out.into_bytes()
    }

    fn products() -> impl Strategy<Value = Vec<Product>> {
        prop::collection::vec(
            (
                0u8..30,
                prop::sample::select(vec!["Huismelange", "Crème Brûlée", "Jasmijnthee"]),
                prop::sample::select(vec!["Koffie > Bonen", "Thee", "", "Nieuw > Binnen"]),
                // SKUs and EANs from small ranges, so products of a file (and of two files)
                // share some: the plan or the database then refuses a product.
                prop::collection::vec(
                    (
                        0u8..40,
                        prop::option::of(0u8..30),
                        1u16..9000,
                        any::<bool>(),
                    ),
                    1..4,
                ),
                any::<bool>(),
            ),
            1..10,
        )
    }

    /// Every catalog table by its natural keys (variant ids may be numbered in another order),
    /// the history without variant ids, both search indexes' stored texts and the title
    /// order's counter.
    fn dump(store: &Store) -> Vec<String> {
        const QUERIES: [&str; 10] = [
            "SELECT id, parent_id, name_nl, name_en, position FROM categories ORDER BY id",
            "SELECT id, code, name FROM locations ORDER BY id",
            "SELECT * FROM products ORDER BY id",
            "SELECT * FROM product_options ORDER BY product_id, position",
            "SELECT product_id, position, sku, gtin, options, price, compare_at_price, cost,
                    currency, vat_rate, weight_grams, created_at, updated_at, change_counter
               FROM variants ORDER BY sku",
            "SELECT v.sku, s.location_id, s.quantity, s.updated_at
               FROM stock s JOIN variants v ON v.id = s.variant_id ORDER BY v.sku, s.location_id",
            "SELECT at, source, batch_id, entity,
                    CASE WHEN entity = 'variant' THEN NULL ELSE entity_id END,
                    field, old_value, new_value
               FROM audit_log ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
            "SELECT rowid, titles, brand_tags, handle, codes FROM catalog_search ORDER BY rowid",
            "SELECT rowid, titles, skus FROM catalog_words ORDER BY rowid",
            "SELECT 'title order counter', n FROM title_order_counter",
        ];
        store
            .read(|tx| {
                let mut out = Vec::new();
                for q in QUERIES {
                    let mut stmt = tx.prepare(q)?;
                    let n = stmt.column_count();
                    let mut rows = stmt.query([])?;
                    while let Some(r) = rows.next()? {
                        let values: Vec<rusqlite::types::Value> =
                            (0..n).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
                        out.push(format!("{values:?}"));
                    }
                }
                let pending: i64 =
                    tx.query_row("SELECT count(*) FROM search_pending_products", [], |r| {
                        r.get(0)
                    })?;
                out.push(format!("search notes left: {pending}"));
                Ok(out)
            })
            .unwrap()
    }

    fn import(store: &Store, bytes: &[u8], mode: Mode, writes: Writes, minute: u32) -> String {
        let mut plan = csv::parse(bytes, Format::Shopify).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 10, minute, 0).unwrap();
        let batch_id = format!("import-{minute}");
        let stamp = Stamp {
            now,
            source: Source::Import,
            batch_id: &batch_id,
        };
        // A refused all-or-nothing import is rolled back, as `csv::import` does.
        let result = store.write(|tx| {
            let outcome = apply_with(tx, &mut plan, mode, &stamp, writes)?;
            let seen = format!("{outcome:?} {:?}", plan.problems);
            if outcome.failed {
                Err(crate::Error::Cancelled)
            } else {
                Ok(seen)
            }
        });
        match result {
            Ok(seen) => seen,
            Err(crate::Error::Cancelled) => format!("refused: {:?}", plan.problems),
            Err(e) => panic!("the import failed: {e}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn bulk_writes_the_same_as_one_product_at_a_time(
            first in products(),
            second in products(),
            all_or_nothing in any::<bool>(),
            refused in 0u8..40,
        ) {
            let mode = if all_or_nothing { Mode::AllOrNothing } else { Mode::ValidRowsOnly };
            let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
            let bulk = Store::open(dirs[0].path()).unwrap();
            let per_row = Store::open(dirs[1].path()).unwrap();
            // The database refuses one SKU, as it would a value the plan's checks let
            // through: the bulk path then writes one product at a time after all, and must
            // report and leave out the same product.
            for store in [&bulk, &per_row] {
                store
                    .write(|tx| {
                        tx.execute_batch(&format!(
                            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.variants
                             WHEN new.sku = 'S{refused}'
                             BEGIN SELECT RAISE(ABORT, 'refused'); END"
                        ))?;
                        Ok(())
                    })
                    .unwrap();
            }
            for (minute, products) in [(1, &first), (2, &second)] {
                let bytes = file(products);
                let a = import(&bulk, &bytes, mode, Writes::Bulk, minute);
                let b = import(&per_row, &bytes, mode, Writes::PerRow, minute);
                prop_assert_eq!(a, b);
                prop_assert_eq!(dump(&bulk), dump(&per_row));
            }
        }
    }

    #[test]
    fn the_schema_checks_values_again_after_a_bulk_import() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let bytes = file(&[(
            1,
            "Huismelange",
            "Thee",
            vec![(1, Some(3), 500, true)],
            false,
        )]);
        let seen = import(&store, &bytes, Mode::AllOrNothing, Writes::Bulk, 1);
        assert!(seen.contains("created: 1"), "{seen}");
        // The bulk path wrote without CHECK constraints; on the same connection they hold
        // again, also for the very statement it prepared and kept.
        let bad_vat = store.write(|tx| {
            tx.prepare_cached(INSERT_VARIANT)?
                .execute(rusqlite::params![
                    1000,
                    1,
                    5,
                    "S-new",
                    None::<String>,
                    "[]",
                    "1.00",
                    None::<String>,
                    None::<String>,
                    "EUR",
                    "high",
                    None::<i64>,
                    "2026-11-30T10:00:00.000Z"
                ])?;
            Ok(())
        });
        assert!(
            bad_vat.is_err(),
            "a VAT rate the schema does not know was stored"
        );
        let bad_status = store.write(|tx| {
            tx.execute("UPDATE products SET status = 'sold' WHERE id = 1", [])?;
            Ok(())
        });
        assert!(
            bad_status.is_err(),
            "a status the schema does not know was stored"
        );
    }

    #[test]
    fn the_triggers_the_bulk_path_quiets_exist() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let found: i64 = store
            .read(|tx| {
                let list = QUIET.map(|n| format!("'{n}'")).join(",");
                Ok(tx.query_row(
                    &format!(
                        "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN ({list})"
                    ),
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(found, QUIET.len() as i64);
    }
}
