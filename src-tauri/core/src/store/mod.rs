//! The SQLite store: one data file in the data folder, one writer connection and a few readers.
//!
//! WAL mode lets the UI read while a sync writes. All writes go through [`Store::write`], one
//! `IMMEDIATE` transaction at a time, with `synchronous=FULL` so that a confirmed order or outbox
//! row survives a power cut (WAL with FULL syncs the log on every commit). Readers are
//! `query_only`. Every statement in the code base is parameterised.
//!
//! This module must not know about the UI or about any channel's wire format.

pub mod schema;
pub(crate) mod search;

use crate::{Error, Result};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The file name of the database inside the data folder.
pub const DB_FILE: &str = "kanaal.db";

/// How many idle reader connections to keep.
const MAX_IDLE_READERS: usize = 4;

/// Page cache of the writing connection, in KiB (negative: SQLite's "KiB, not pages").
const WRITER_CACHE_KIB: i64 = -65_536;
/// Prepared statements the writer keeps (see `Store::open`).
const WRITER_STATEMENTS: usize = 128;
/// Page cache of each reading connection, in KiB: the grid's searches and sorts over a large
/// catalog read the same index pages again and again.
const READER_CACHE_KIB: i64 = -16_384;

/// The open data folder: database plus content-addressed files.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    db_path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl Store {
    /// Opens (creating when missing) the data folder `dir` and its database.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let db_path = dir.join(DB_FILE);
        let mut writer = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Refuse a newer or foreign file before any pragma writes to it.
        schema::check_openable(&writer, &db_path)?;
        writer.busy_timeout(Duration::from_secs(10))?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        writer.pragma_update(None, "synchronous", "FULL")?;
        writer.pragma_update(None, "foreign_keys", true)?;
        // SQLite's default page cache is 2 MiB. A big import (100,000 products make a 230 MB
        // file) then spills dirty pages to the WAL and reads them back again and again; 64 MiB
        // keeps a whole import's working set in memory. Pages are only taken as they are used,
        // so a small shop's file costs no more than before.
        writer.pragma_update(None, "cache_size", WRITER_CACHE_KIB)?;
        // An import runs inside a savepoint, whose journal is a temporary file by default:
        // every page the import touched was written to it with a system call of its own (most
        // of an import's time went there). Kept in memory instead.
        writer.pragma_update(None, "temp_store", "MEMORY")?;
        // rusqlite keeps 16 prepared statements by default; an order page alone uses more
        // (orders, lines, customers, stock, audit, the stock queue), so they were parsed again
        // on every order. Room for all of them.
        writer.set_prepared_statement_cache_capacity(WRITER_STATEMENTS);
        schema::init_or_upgrade(&mut writer)?;
        Ok(Store {
            dir: dir.to_path_buf(),
            db_path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database file.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// Runs `f` in one write transaction; commits when it returns `Ok`, rolls back otherwise.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        search::catch_up(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on a read-only connection, in one snapshot.
    pub fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = match self.take_reader() {
            Some(c) => c,
            None => self.new_reader()?,
        };
        let out = (|| {
            let tx = conn.transaction()?;
            let out = f(&tx)?;
            tx.finish()?;
            Ok(out)
        })();
        let mut idle = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
        out
    }

    /// Size of the database on disk, including the write-ahead log.
    pub fn size_bytes(&self) -> u64 {
        let wal = self.db_path.with_extension("db-wal");
        [&self.db_path, &wal]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }

    fn take_reader(&self) -> Option<Connection> {
        self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop()
    }

    fn new_reader(&self) -> Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "query_only", true)?;
        conn.pragma_update(None, "cache_size", READER_CACHE_KIB)?;
        Ok(conn)
    }
}
