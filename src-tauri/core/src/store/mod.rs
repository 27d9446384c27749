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
use std::sync::{mpsc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The file name of the database inside the data folder.
pub const DB_FILE: &str = "kanaal.db";

/// How long a connection waits for another one's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How many idle reader connections to keep.
const MAX_IDLE_READERS: usize = 4;

/// Page cache of the writing connection, in KiB (negative: SQLite's "KiB, not pages").
const WRITER_CACHE_KIB: i64 = -65_536;
/// Prepared statements the writer keeps (see `Store::open`).
const WRITER_STATEMENTS: usize = 128;
/// How much of the data file a reading connection maps into memory (see `Store::new_reader`).
const READER_MMAP_BYTES: i64 = 1 << 30;
/// A write transaction that changes at least this many rows (a large import, a bulk edit of
/// the whole catalog, its undo) leaves its checkpoint to a background connection.
const BIG_WRITE_ROWS: u64 = 20_000;
/// SQLite's automatic checkpoint threshold, in pages (its default), for every other write.
const AUTOCHECKPOINT_PAGES: i64 = 1_000;

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
    checkpointer: Mutex<Option<Checkpointer>>,
    /// The catalog's title orders, shared by every reading connection (see
    /// [`crate::catalog::list_products_with`]).
    title_orders: crate::catalog::TitleOrders,
}

/// The background connection that copies a big write's log into the data file (see
/// [`Store::write`]). Messages: `None` asks for a checkpoint, `Some(reply)` asks to be told
/// when every checkpoint asked for before it is done.
#[derive(Debug)]
struct Checkpointer {
    asks: mpsc::Sender<Option<mpsc::Sender<()>>>,
    thread: JoinHandle<()>,
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
        writer.busy_timeout(BUSY_TIMEOUT)?;
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
            checkpointer: Mutex::new(None),
            title_orders: crate::catalog::TitleOrders::default(),
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

    /// The catalog's product ids in title order, kept between reads for the grid's searches
    /// (pass to [`crate::catalog::list_products_with`] inside [`Store::read`]).
    pub fn title_orders(&self) -> &crate::catalog::TitleOrders {
        &self.title_orders
    }

    /// Runs `f` in one write transaction; commits when it returns `Ok`, rolls back otherwise.
    ///
    /// Durability is the commit's: in WAL mode with `synchronous=FULL` a commit is on disk once
    /// the log is synced. Copying the log into the data file (the checkpoint) is SQLite's
    /// automatic one after small writes; after a big one (100,000 imported products write
    /// ~240 MB of log) the caller does not wait for it: a background connection does it.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let before = conn.total_changes();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        search::catch_up(&tx)?;
        // Neither setting can fail the write: without it the commit checkpoints as before.
        let big = tx.total_changes().saturating_sub(before) >= BIG_WRITE_ROWS
            && tx.pragma_update(None, "wal_autocheckpoint", 0).is_ok();
        let committed = tx.commit();
        if big {
            let _ = conn.pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES);
            if committed.is_ok() {
                self.checkpoint_later();
            }
        }
        committed?;
        Ok(out)
    }

    /// Asks the background connection for a checkpoint, starting it when there is none.
    fn checkpoint_later(&self) {
        let mut slot = self.checkpointer.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            let (asks, inbox) = mpsc::channel::<Option<mpsc::Sender<()>>>();
            let path = self.db_path.clone();
            let spawned = std::thread::Builder::new()
                .name("kanaal-checkpoint".to_string())
                .spawn(move || checkpoint_loop(&path, &inbox));
            // Without the thread the next small write's automatic checkpoint does the work.
            if let Ok(thread) = spawned {
                *slot = Some(Checkpointer { asks, thread });
            }
        }
        if let Some(c) = slot.as_ref() {
            let _ = c.asks.send(None);
        }
    }

    /// Waits until the checkpoints asked for so far are done (for benchmarks and tests, which
    /// must not measure a background checkpoint as part of what comes next).
    pub fn wait_for_checkpoint(&self) {
        let (reply, done) = mpsc::channel();
        let sent = {
            let slot = self.checkpointer.lock().unwrap_or_else(|p| p.into_inner());
            slot.as_ref()
                .is_some_and(|c| c.asks.send(Some(reply)).is_ok())
        };
        if sent {
            let _ = done.recv();
        }
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
        self.put_reader(conn);
        out
    }

    /// Runs `main` on a read-only connection and `side` on a second one, on a thread of its
    /// own, both in the same snapshot; `main` takes `side`'s result with [`Side::wait`]. For a
    /// large read in two independent halves (a publish plan's listings and its variants),
    /// which then take the time of the longer half instead of both.
    ///
    /// The same snapshot: both read transactions begin while the writer holds SQLite's write
    /// lock (`BEGIN IMMEDIATE`, given up again right after), so no commit, from this program
    /// or another, can fall between them. When the lock is not free at once (another program
    /// is writing), or a second connection cannot be had, `side` runs on `main`'s own
    /// connection when `main` waits for it, after `main`'s first half.
    pub fn read_split<A, B, G>(
        &self,
        side: G,
        main: impl FnOnce(&Transaction<'_>, Side<B, G>) -> Result<A>,
    ) -> Result<A>
    where
        B: Send,
        G: FnOnce(&Transaction<'_>) -> Result<B> + Send,
    {
        let mut first = match self.take_reader() {
            Some(c) => c,
            None => self.new_reader()?,
        };
        let second = match self.take_reader() {
            Some(c) => Some(c),
            None => self.new_reader().ok(),
        };
        let (out, second) = std::thread::scope(|scope| {
            let run = || -> Result<(A, Option<std::thread::ScopedJoinHandle<'_, Connection>>)> {
                let tx = first.transaction()?;
                let mut worker = None;
                let side = {
                    let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
                    match second {
                        Some(mut conn) if lock_writes_now(&writer) => {
                            let started = begin_snapshot(&tx);
                            // Tests widen the gap between the two snapshots' start, so that a
                            // commit would fall into it if the lock did not keep it out.
                            #[cfg(test)]
                            std::thread::sleep(Duration::from_millis(2));
                            let (ready, is_ready) = mpsc::channel::<()>();
                            let (result, answer) = mpsc::channel::<Result<B>>();
                            worker = Some(scope.spawn(move || {
                                let out = (|| {
                                    let tx = conn.transaction()?;
                                    let begun = begin_snapshot(&tx);
                                    let _ = ready.send(());
                                    begun?;
                                    let out = side(&tx)?;
                                    tx.finish()?;
                                    Ok(out)
                                })();
                                let _ = result.send(out);
                                conn
                            }));
                            let _ = is_ready.recv();
                            // Both snapshots have begun: writers may go on.
                            let _ = writer.execute_batch("ROLLBACK");
                            started?;
                            Side(SideRun::Thread(answer))
                        }
                        other => {
                            // Not split: the connection goes back to the idle ones.
                            if let Some(conn) = other {
                                self.put_reader(conn);
                            }
                            Side(SideRun::Here(side))
                        }
                    }
                };
                let out = main(&tx, side)?;
                tx.finish()?;
                Ok((out, worker))
            };
            match run() {
                Ok((out, worker)) => (Ok(out), worker.map(|w| w.join())),
                Err(e) => (Err(e), None),
            }
        });
        self.put_reader(first);
        if let Some(Ok(conn)) = second {
            self.put_reader(conn);
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

    /// Keeps `conn` for the next read, up to [`MAX_IDLE_READERS`].
    fn put_reader(&self, conn: Connection) {
        let mut idle = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
    }

    fn take_reader(&self) -> Option<Connection> {
        self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop()
    }

    fn new_reader(&self) -> Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "query_only", true)?;
        conn.pragma_update(None, "cache_size", READER_CACHE_KIB)?;
        // Sorts that do not fit the cache (a plan orders 100,000 listings) went to a temporary
        // file with a write system call per page.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Reading a large catalog page by page through `pread` (a system call and a copy per
        // page the cache does not hold) was a tenth of a publish plan. A reader maps the file
        // instead; it only reads, so a mapped page can never be written wrongly. The size is
        // address space, not memory: the OS pages in what is read and may drop it again.
        conn.pragma_update(None, "mmap_size", READER_MMAP_BYTES)?;
        Ok(conn)
    }
}

impl Drop for Store {
    /// Lets a running checkpoint finish before the connections close (the last one to close
    /// checkpoints whatever is left).
    fn drop(&mut self) {
        let slot = self
            .checkpointer
            .get_mut()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(Checkpointer { asks, thread }) = slot.take() {
            drop(asks);
            let _ = thread.join();
        }
    }
}

/// The background checkpoint connection's loop: one passive checkpoint per batch of asks
/// (passive: it copies what no reader still needs and never waits for, or blocks, the writer
/// or a reader), until the store is dropped. A checkpoint that fails is left to the next one,
/// or to SQLite when the store closes.
fn checkpoint_loop(path: &Path, inbox: &mpsc::Receiver<Option<mpsc::Sender<()>>>) {
    let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return;
    };
    while let Ok(first) = inbox.recv() {
        let mut replies: Vec<mpsc::Sender<()>> = first.into_iter().collect();
        let mut wanted = replies.is_empty();
        while let Ok(next) = inbox.try_recv() {
            match next {
                Some(reply) => replies.push(reply),
                None => wanted = true,
            }
        }
        if wanted {
            let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        }
        for reply in replies {
            let _ = reply.send(());
        }
    }
}

/// The second half of a [`Store::read_split`]: running on its own connection, or to be run on
/// the main one when waited for.
pub struct Side<B, G>(SideRun<B, G>);

enum SideRun<B, G> {
    Thread(mpsc::Receiver<Result<B>>),
    Here(G),
}

impl<B, G: FnOnce(&Transaction<'_>) -> Result<B>> Side<B, G> {
    /// The side's result; `tx` is the main connection's transaction (used when the read was
    /// not split).
    pub fn wait(self, tx: &Transaction<'_>) -> Result<B> {
        match self.0 {
            SideRun::Thread(answer) => answer.recv().unwrap_or_else(|_| {
                Err(Error::Corrupt(
                    "the second reading connection stopped without an answer".into(),
                ))
            }),
            SideRun::Here(side) => side(tx),
        }
    }
}

/// Takes SQLite's write lock on `writer` if it is free right now (`BEGIN IMMEDIATE` without
/// waiting); `false` when another connection holds it.
fn lock_writes_now(writer: &Connection) -> bool {
    if writer.busy_timeout(Duration::ZERO).is_err() {
        return false;
    }
    let locked = writer.execute_batch("BEGIN IMMEDIATE").is_ok();
    let _ = writer.busy_timeout(BUSY_TIMEOUT);
    locked
}

/// Begins `tx`'s snapshot: a read transaction takes its snapshot at its first read.
fn begin_snapshot(tx: &Transaction<'_>) -> Result<()> {
    tx.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM bulk_rows", [], |r| r.get(0))
            .unwrap()
    }

    /// A store with a one-row counter table.
    fn counter_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0);",
                )?;
                Ok(())
            })
            .unwrap();
        (dir, store)
    }

    fn counter(tx: &Transaction<'_>) -> Result<i64> {
        Ok(tx.query_row("SELECT n FROM counter", [], |r| r.get(0))?)
    }

    #[test]
    fn the_two_halves_of_a_split_read_see_one_snapshot_while_writes_go_on() {
        let (_dir, store) = counter_store();
        let stop = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            // Another program commits one change after another for as long as the reads go
            // on (this store's own writes wait for its writer, which the split read holds).
            scope.spawn(|| {
                let other = Connection::open(store.db_path()).unwrap();
                other.busy_timeout(BUSY_TIMEOUT).unwrap();
                // Bounded, so that a failed assertion below cannot leave it running.
                for _ in 0..20_000 {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    other.execute("UPDATE counter SET n = n + 1", []).unwrap();
                    std::thread::sleep(Duration::from_micros(500));
                }
            });
            // Stops the other program also when an assertion fails.
            struct Stop<'a>(&'a std::sync::atomic::AtomicBool);
            impl Drop for Stop<'_> {
                fn drop(&mut self) {
                    self.0.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            let _stop = Stop(&stop);
            // At least 200 split reads, each checked for one snapshot. A read splits only when
            // the write lock is free at that moment; on a slow, busy machine the other program's
            // commits hold it most of the time, so the loop goes on (up to 2,000) until one did.
            let mut split = 0;
            for round in 0..2_000 {
                if round >= 200 && split > 0 {
                    break;
                }
                let (main, side, threads) = store
                    .read_split(
                        |tx| Ok((counter(tx)?, std::thread::current().id())),
                        |tx, side| {
                            let main = counter(tx)?;
                            let (side, thread) = side.wait(tx)?;
                            Ok((main, side, thread != std::thread::current().id()))
                        },
                    )
                    .unwrap();
                assert_eq!(main, side, "both halves read the same snapshot");
                split += usize::from(threads);
            }
            assert!(split > 0, "the side ran on a thread of its own");
        });
        assert!(
            store.read(counter).unwrap() > 0,
            "the writes went on meanwhile"
        );
    }

    #[test]
    fn a_split_read_runs_both_halves_on_one_connection_while_another_program_writes() {
        let (_dir, store) = counter_store();
        // Another program holds the write lock: the split read must not wait for it.
        let other = Connection::open(store.db_path()).unwrap();
        other
            .execute_batch("BEGIN IMMEDIATE; UPDATE counter SET n = 7;")
            .unwrap();
        let started = std::time::Instant::now();
        let (main, side, same_thread) = store
            .read_split(
                |tx| Ok((counter(tx)?, std::thread::current().id())),
                |tx, side| {
                    let main = counter(tx)?;
                    let (side, thread) = side.wait(tx)?;
                    Ok((main, side, thread == std::thread::current().id()))
                },
            )
            .unwrap();
        assert!(
            started.elapsed() < BUSY_TIMEOUT / 2,
            "did not wait for the other program's lock"
        );
        assert!(same_thread, "the side ran on the main connection");
        assert_eq!((main, side), (0, 0), "the uncommitted write is not seen");
        other.execute_batch("COMMIT").unwrap();
        // The writer is usable again afterwards (its own lock was never left taken).
        store
            .write(|tx| {
                tx.execute("UPDATE counter SET n = n + 1", [])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(store.read(counter).unwrap(), 8);
    }

    #[test]
    fn a_big_write_reaches_the_data_file_through_the_background_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let n = i64::try_from(BIG_WRITE_ROWS).unwrap();
        store
            .write(|tx| {
                tx.execute_batch("CREATE TABLE bulk_rows (n INTEGER NOT NULL)")?;
                let mut insert = tx.prepare("INSERT INTO bulk_rows (n) VALUES (?1)")?;
                for i in 0..n {
                    insert.execute([i])?;
                }
                Ok(())
            })
            .unwrap();
        // Saved and readable as soon as the write returns.
        assert_eq!(store.read(|tx| Ok(rows(tx))).unwrap(), n);
        store.wait_for_checkpoint();
        // The data file alone, without its log, now holds the rows too: the background
        // connection copied them in (the write itself no longer does).
        let copy = tempfile::tempdir().unwrap();
        std::fs::copy(store.db_path(), copy.path().join(DB_FILE)).unwrap();
        let alone = Connection::open(copy.path().join(DB_FILE)).unwrap();
        assert_eq!(rows(&alone), n);
        // A small write afterwards still works, and so does closing the store.
        store
            .write(|tx| Ok(tx.execute("INSERT INTO bulk_rows (n) VALUES (-1)", [])?))
            .unwrap();
        drop(store);
        let reopened = Store::open(dir.path()).unwrap();
        assert_eq!(reopened.read(|tx| Ok(rows(tx))).unwrap(), n + 1);
    }
}
