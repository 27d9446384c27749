//! The schema and its upgrade ladder (after Mozilla application-services).
//!
//! A fresh data file gets the current schema in one go ([`CURRENT_SQL`]); an older file climbs
//! the ladder one version at a time ([`upgrade_from`]), each step in the same transaction as the
//! version bump, so a crash mid-upgrade leaves the old version intact. The test
//! `every_old_schema_fixture_upgrades_to_the_fresh_schema` keeps the two paths equal: changing
//! `CURRENT_SQL` without adding a step (and a fixture) fails it.
//!
//! A file with a version newer than [`VERSION`] is refused before anything is written to it.

use crate::{Error, Result};
use rusqlite::{Connection, Transaction};
use std::path::Path;

/// The schema version this build writes.
pub const VERSION: i64 = 18;

/// The whole current schema, as a fresh file gets it.
pub const CURRENT_SQL: &str = include_str!("schema.sql");

/// Reads `PRAGMA user_version` without writing anything.
pub fn version_of(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuses files this build must not touch. Runs before any pragma that writes to the file.
pub fn check_openable(conn: &Connection, path: &Path) -> Result<()> {
    let found = version_of(conn)?;
    if found > VERSION {
        return Err(Error::SchemaTooNew {
            path: path.to_path_buf(),
            found,
            known: VERSION,
        });
    }
    if found == 0 {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(Error::NotKanaalData {
                path: path.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Brings the file to [`VERSION`]: creates it fresh, or upgrades step by step.
pub fn init_or_upgrade(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut version = version_of(&tx)?;
    if version == 0 {
        tx.execute_batch(CURRENT_SQL)?;
        version = VERSION;
    }
    while version < VERSION {
        upgrade_from(&tx, version)?;
        version += 1;
    }
    // An upgrade may ask for products to be indexed again (search_pending_products).
    super::search::catch_up(&tx)?;
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(())
}

/// One rung of the ladder: from `version` to `version + 1`.
fn upgrade_from(tx: &Transaction<'_>, version: i64) -> Result<()> {
    // Each step has a fixture of the version it starts from in tests/fixtures/schema_v{N}.sql.
    match version {
        1 => tx.execute_batch(include_str!("migrations/v2.sql"))?,
        2 => tx.execute_batch(include_str!("migrations/v3.sql"))?,
        3 => tx.execute_batch(include_str!("migrations/v4.sql"))?,
        4 => tx.execute_batch(include_str!("migrations/v5.sql"))?,
        5 => tx.execute_batch(include_str!("migrations/v6.sql"))?,
        6 => tx.execute_batch(include_str!("migrations/v7.sql"))?,
        7 => tx.execute_batch(include_str!("migrations/v8.sql"))?,
        8 => tx.execute_batch(include_str!("migrations/v9.sql"))?,
        9 => tx.execute_batch(include_str!("migrations/v10.sql"))?,
        10 => tx.execute_batch(include_str!("migrations/v11.sql"))?,
        11 => tx.execute_batch(include_str!("migrations/v12.sql"))?,
        12 => tx.execute_batch(include_str!("migrations/v13.sql"))?,
        13 => tx.execute_batch(include_str!("migrations/v14.sql"))?,
        14 => tx.execute_batch(include_str!("migrations/v15.sql"))?,
        15 => tx.execute_batch(include_str!("migrations/v16.sql"))?,
        16 => tx.execute_batch(include_str!("migrations/v17.sql"))?,
        17 => tx.execute_batch(include_str!("migrations/v18.sql"))?,
        _ => {
            return Err(Error::Corrupt(format!(
                "no upgrade from data version {version} exists"
            )))
        }
    }
    Ok(())
}
