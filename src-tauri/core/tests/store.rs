//! The data file: versioned schema, upgrades, and refusing files this build must not touch.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use kanaal_core::catalog::{edit, list_products, ProductQuery};
use kanaal_core::picture_queue;
use kanaal_core::store::{schema, Store, DB_FILE};
use kanaal_core::Error;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::Path;

/// Everything about a database's structure that an upgrade must get right, as comparable text.
fn structure(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut tables: Vec<(String, String)> = conn
        .prepare(
            "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables.retain(|(t, _)| t == "table");
    for (_, table) in tables {
        let mut facts = Vec::new();
        for pragma in ["table_info", "foreign_key_list", "index_list"] {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM pragma_{pragma}(?1)"))
                .unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([&table], |r| {
                    let vals: Vec<String> = (0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect();
                    Ok(format!("{pragma}: {}", vals.join(" | ")))
                })
                .unwrap();
            facts.extend(rows.map(Result::unwrap));
        }
        // Index columns and CHECK constraints live in the SQL text of indexes and tables.
        let mut stmt = conn
            .prepare("SELECT coalesce(sql, '') FROM sqlite_schema WHERE tbl_name = ?1 AND type = 'index' ORDER BY name")
            .unwrap();
        facts.extend(
            stmt.query_map([&table], |r| r.get::<_, String>(0))
                .unwrap()
                .map(|s| format!("index sql: {}", s.unwrap())),
        );
        out.insert(table, facts);
    }
    // Triggers keep derived data (search notes, stock totals): their text must match too.
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
        .unwrap();
    out.insert(
        "triggers".to_string(),
        stmt.query_map([], |r| {
            Ok(format!(
                "{}: {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect(),
    );
    out.insert(
        "user_version".to_string(),
        vec![schema::version_of(conn).unwrap().to_string()],
    );
    out
}

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn every_old_schema_fixture_upgrades_to_the_fresh_schema() {
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = Store::open(fresh_dir.path()).unwrap();
    let fresh_structure = structure(&Connection::open(fresh.db_path()).unwrap());

    for version in 1..=schema::VERSION {
        let sql = std::fs::read_to_string(fixture_dir().join(format!("schema_v{version}.sql")))
            .unwrap_or_else(|_| {
                panic!("a fixture for data version {version} must exist in tests/fixtures")
            });
        let dir = tempfile::tempdir().unwrap();
        Connection::open(dir.path().join(DB_FILE))
            .unwrap()
            .execute_batch(&sql)
            .unwrap();

        let store = Store::open(dir.path()).unwrap();
        let upgraded = structure(&Connection::open(store.db_path()).unwrap());
        assert_eq!(
            upgraded, fresh_structure,
            "a version-{version} file upgraded must have exactly the structure of a fresh file"
        );
        let kept: String = store
            .read(|tx| {
                Ok(tx.query_row(
                    "SELECT price FROM variants WHERE sku = 'KOF-HUIS-250'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(kept, "8.95", "upgrading keeps the merchant's data");
        let stock_total: i64 = store
            .read(|tx| {
                Ok(tx.query_row(
                    "SELECT stock_total FROM products WHERE handle = 'huismelange'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(
            stock_total, 12,
            "a version-{version} file upgraded knows each product's stock in all"
        );
        for typed in ["melange", "KOF-HUIS", "hu", "kof-h"] {
            let found = store
                .read(|tx| {
                    list_products(
                        tx,
                        &ProductQuery {
                            search: Some(typed.into()),
                            limit: 10,
                            ..Default::default()
                        },
                    )
                })
                .unwrap();
            assert_eq!(
                found
                    .rows
                    .iter()
                    .map(|r| r.handle.as_str())
                    .collect::<Vec<_>>(),
                ["huismelange"],
                "a version-{version} file upgraded finds its product by '{typed}'"
            );
        }
        // The counter the kept title order is checked against (v17): one row, which a title
        // edit bumps.
        let counter = |store: &Store| -> i64 {
            store
                .read(|tx| Ok(tx.query_row("SELECT n FROM title_order_counter", [], |r| r.get(0))?))
                .unwrap()
        };
        let before = counter(&store);
        store
            .write(|tx| {
                tx.execute("UPDATE products SET title_en = 'Blend' WHERE id = 1", [])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(
            counter(&store),
            before + 1,
            "a version-{version} file upgraded counts title changes"
        );
    }
}

/// The pictures waiting to be downloaded, by file name and queue row id.
fn waiting_pictures(store: &Store) -> Vec<(String, i64)> {
    let mut jobs: Vec<(String, i64)> = store
        .read(picture_queue::waiting)
        .unwrap()
        .into_iter()
        .map(|j| (j.url.rsplit('/').next().unwrap().to_string(), j.id))
        .collect();
    jobs.sort();
    jobs
}

fn names(jobs: &[(String, i64)]) -> Vec<&str> {
    jobs.iter().map(|(n, _)| n.as_str()).collect()
}

/// Undo or redo one step; returns its label.
fn step(store: &Store, undo: bool) -> String {
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap();
    store
        .write(|tx| {
            if undo {
                edit::undo(tx, at)
            } else {
                edit::redo(tx, at)
            }
        })
        .unwrap()
        .expect("a step to take")
        .label
}

#[test]
fn pictures_queued_before_v12_go_aside_with_their_import_after_the_upgrade() {
    // A version-11 file as the version-11 program left it (see the data file's head): an import
    // at 10:00 queued kan.png for the jug and two pictures for the mug it created; one at 11:00
    // changed nothing but queued kan-zij.png; one at 12:00 queued kan-boven.png and was undone.
    let dir = tempfile::tempdir().unwrap();
    let store = upgraded_v11_with(dir.path(), "pictures_queued_v11.sql");

    let before = waiting_pictures(&store);
    assert_eq!(
        names(&before),
        ["kan-zij.png", "kan.png", "mok-voor.png", "mok-zij.jpg"],
        "after the upgrade, the picture of the import undone before it no longer waits"
    );
    assert!(
        step(&store, false).starts_with("Import: 0 nieuw"),
        "redo of 12:00"
    );
    assert_eq!(
        names(&waiting_pictures(&store)),
        [
            "kan-boven.png",
            "kan-zij.png",
            "kan.png",
            "mok-voor.png",
            "mok-zij.jpg"
        ],
        "redo of the import undone before the upgrade queues its picture again"
    );
    step(&store, true);
    assert!(
        step(&store, true).starts_with("Import: 1 nieuw, 1"),
        "undo of 10:00"
    );
    assert_eq!(
        names(&waiting_pictures(&store)),
        ["kan-zij.png"],
        "undo of an import queued before v12 takes its pictures out of the queue (also the jug's, \
         which the undo keeps); only the picture of the import that was no undo step stays"
    );

    assert!(
        step(&store, false).starts_with("Import: 1 nieuw, 1"),
        "redo of 10:00"
    );
    assert_eq!(
        waiting_pictures(&store),
        before,
        "redo puts the jug's and the mug's pictures back, as the same queue rows"
    );
}

/// A version-11 file made from `schema_v11.sql` and the frozen data file `data`, opened (and so
/// upgraded) by this build.
fn upgraded_v11_with(dir: &Path, data: &str) -> Store {
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    for file in ["schema_v11.sql", data] {
        conn.execute_batch(&std::fs::read_to_string(fixture_dir().join(file)).unwrap())
            .unwrap();
    }
    drop(conn);
    Store::open(dir).unwrap()
}

#[test]
fn pictures_of_two_imports_at_one_moment_are_left_as_they_were() {
    // Two version-11 imports at the same millisecond (a fixed clock): which of the two queued a
    // picture cannot be told, so the upgrade gives none of them an import, and undo leaves them
    // queued as the version-11 program did (the mug's picture goes with the mug undo removes).
    let dir = tempfile::tempdir().unwrap();
    let store = upgraded_v11_with(dir.path(), "pictures_same_moment_v11.sql");
    let unattributed: i64 = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT count(*) FROM picture_fetches WHERE batch_id IS NULL",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(unattributed, 3, "no picture is given a guessed import");
    assert!(step(&store, true).starts_with("Import: 1 nieuw, 1"));
    assert_eq!(
        names(&waiting_pictures(&store)),
        ["kan-zij.png", "kan.png"],
        "the jug's pictures stay queued through the undo, as before the upgrade"
    );
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('keep me');")
            .unwrap();
        c.pragma_update(None, "user_version", schema::VERSION + 1)
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();

    let err = Store::open(dir.path()).unwrap_err();
    assert!(matches!(err, Error::SchemaTooNew { .. }), "refused: {err}");
    let msg = err.to_string();
    assert!(msg.contains("newer version of Kanaal"), "says why: {msg}");
    assert!(
        msg.contains("Install the latest Kanaal"),
        "says what to do: {msg}"
    );

    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "not a byte of the file changed"
    );
    assert!(
        !dir.path().join("kanaal.db-wal").exists(),
        "no write-ahead log was started"
    );
}

#[test]
fn a_database_that_is_not_kanaals_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    Connection::open(dir.path().join(DB_FILE))
        .unwrap()
        .execute_batch("CREATE TABLE contacts (name TEXT);")
        .unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert!(
        matches!(err, Error::NotKanaalData { .. }),
        "foreign file refused: {err}"
    );
}

#[test]
fn the_store_uses_wal_foreign_keys_and_durable_commits() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (mode, fk, sync): (String, i64, i64) = store
        .write(|tx| {
            Ok((
                tx.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                tx.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
                tx.query_row("PRAGMA synchronous", [], |r| r.get(0))?,
            ))
        })
        .unwrap();
    assert_eq!(mode, "wal", "readers do not block the writer");
    assert_eq!(fk, 1, "foreign keys are enforced");
    assert_eq!(
        sync, 2,
        "synchronous=FULL: a confirmed order survives a power cut"
    );

    let err = store
        .write(|tx| {
            tx.execute(
                "INSERT INTO stock (variant_id, location_id, quantity, updated_at) VALUES (999, 999, 1, 'x')",
                [],
            )?;
            Ok(())
        })
        .unwrap_err();
    assert!(
        matches!(err, Error::Database(_)),
        "stock for a missing variant is refused"
    );
}

#[test]
fn readers_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let r = store.read(|tx| {
        tx.execute("INSERT INTO settings (key, value) VALUES ('a', 'b')", [])?;
        Ok(())
    });
    assert!(r.is_err(), "a read connection is query-only");
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let r: kanaal_core::Result<()> = store.write(|tx| {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('half', 'done')",
            [],
        )?;
        Err(Error::Cancelled)
    });
    assert!(r.is_err());
    let n: i64 = store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM settings", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(n, 0, "the transaction rolled back whole");
}

#[test]
fn reopening_a_current_file_keeps_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store
            .write(|tx| kanaal_core::settings::set_shop_name(tx, "De Gracht"))
            .unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let name = store.read(kanaal_core::settings::shop_name).unwrap();
    assert_eq!(name, "De Gracht", "settings survive a restart");
}
