//! Order import: a channel's orders by its cursor (`sync_cursors`, stream `orders`). Pages are
//! read one by one and stored in batches: while the channel has more pages, up to
//! [`BATCH_ORDERS`] orders (or what arrived within [`BATCH_WAIT`]) go into one transaction,
//! with the cursor after the batch's last page. Within that transaction: new orders with their
//! lines, customer and raw payload are stored, deduplicated by (channel, remote id); each new
//! order moves stock once (`orders.stock_applied` records it, so a repeated page moves
//! nothing); a cancelled order whose stock was moved puts it back once; the new available
//! quantity is queued for every channel; and the cursor is saved. A kill between batches loses
//! nothing and repeats nothing: the pages of an unfinished batch are read again.
//!
//! Lines are matched to variants by SKU, then EAN. A line that matches nothing is stored with no
//! variant and counted in the report — never dropped — and moves no stock.
//!
//! Must not: send anything to a channel (stock goes out through the outbox).

use crate::stock::{move_stock, move_stock_many, queue_stock_tx, StockMove};
use crate::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use kanaal_channels::model::{ChannelOrder, Customer, OrderCursor, OrderStatus};
use kanaal_channels::Channel;
use kanaal_core::clock::Clock;
use kanaal_core::ids::ChannelId;
use kanaal_core::store::Store;
use kanaal_core::Error;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

/// The `sync_cursors.stream` of the order stream.
pub const STREAM: &str = "orders";

/// Most pages read in one pull (a safety net against a channel that keeps saying "more").
const MAX_PAGES: usize = 10_000;

/// Orders stored in one transaction while the channel has more pages. Each commit waits for
/// the disk (an fsync: 4 ms on a quiet machine, 20 ms and more on a busy one, plus the pages
/// written), and each batch queues the stock of every listing it touched once: at bol.com's 50
/// orders a page, one page per transaction spent most of a large import on those two. 10,000
/// orders hold the write lock for under a second on a busy machine; readers are never blocked
/// (WAL), and a channel slower than the store fills a batch only up to [`BATCH_WAIT`]. See
/// docs/benchmarks.md, "Order import".
pub const BATCH_ORDERS: usize = 10_000;

/// Longest a read page waits in memory for its batch (checked as each page arrives): a slow
/// channel (bol.com reads each order on its own) still shows its orders in the inbox while the
/// import goes on.
pub const BATCH_WAIT: Duration = Duration::from_secs(2);

/// What one pull (or one page) did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PullReport {
    pub pages: usize,
    /// Orders seen for the first time.
    pub new_orders: usize,
    /// Orders seen before whose status changed.
    pub updated_orders: usize,
    /// Orders seen before with nothing new (a repeated page).
    pub unchanged_orders: usize,
    pub new_lines: usize,
    /// Lines whose stock was moved (once each).
    pub stock_moves: usize,
    /// Cancelled orders whose stock was put back.
    pub cancellations_returned: usize,
    /// Lines stored without a variant because neither SKU nor EAN is in the catalog.
    pub unknown_lines: usize,
    /// Those lines' SKUs (or EANs), once each, for the merchant to add or map.
    pub unknown_skus: BTreeSet<String>,
    /// Stock rows queued for the channels.
    pub stock_queued: usize,
}

impl PullReport {
    fn add(&mut self, o: PullReport) {
        self.pages += o.pages;
        self.new_orders += o.new_orders;
        self.updated_orders += o.updated_orders;
        self.unchanged_orders += o.unchanged_orders;
        self.new_lines += o.new_lines;
        self.stock_moves += o.stock_moves;
        self.cancellations_returned += o.cancellations_returned;
        self.unknown_lines += o.unknown_lines;
        self.unknown_skus.extend(o.unknown_skus);
        self.stock_queued += o.stock_queued;
    }
}

/// Where an import's time went, phase by phase (the benchmark prints it; the merchant never
/// sees it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Phases {
    /// Reading pages from the channel: HTTP, waits and JSON parsing (the platform's part).
    pub fetch: Duration,
    /// Looking up which orders of a batch are known already.
    pub dedupe: Duration,
    /// Storing new orders with their lines and customers.
    pub insert: Duration,
    /// Orders seen before: status changes, cancellations, what the channel says per line.
    pub known: Duration,
    /// Moving stock for the new orders' lines.
    pub stock_move: Duration,
    /// Queueing the new availability for every channel.
    pub stock_queue: Duration,
    /// Saving the cursor and committing (the wait for the disk).
    pub commit: Duration,
    /// Transactions committed.
    pub transactions: usize,
}

impl Phases {
    /// The time spent in the store (everything but reading the channel).
    pub fn store(&self) -> Duration {
        self.dedupe + self.insert + self.known + self.stock_move + self.stock_queue + self.commit
    }
}

/// The saved cursor of a channel's order stream.
pub fn cursor(store: &Store, channel: ChannelId) -> Result<Option<OrderCursor>> {
    Ok(store.read(|tx| {
        Ok(tx
            .prepare_cached(
                "SELECT cursor FROM sync_cursors WHERE channel_id = ?1 AND stream = ?2",
            )?
            .query_row(params![channel.0, STREAM], |r| r.get::<_, String>(0))
            .optional()?
            .map(OrderCursor))
    })?)
}

/// Pulls every page of orders since the saved cursor. Batches stored before a failure are kept
/// (and the cursor after them), and so are the pages read before it, so the next pull continues
/// where this one stopped.
pub async fn pull_orders(
    store: &Store,
    channel: ChannelId,
    connector: &dyn Channel,
    clock: &dyn Clock,
) -> Result<PullReport> {
    Ok(pull_orders_timed(store, channel, connector, clock).await?.0)
}

/// [`pull_orders`], also saying where the time went.
pub async fn pull_orders_timed(
    store: &Store,
    channel: ChannelId,
    connector: &dyn Channel,
    clock: &dyn Clock,
) -> Result<(PullReport, Phases)> {
    let mut at = cursor(store, channel)?;
    let mut import = Importer::new(store, channel, clock);
    for _ in 0..MAX_PAGES {
        let started = Instant::now();
        let page = match connector.orders_since(at.as_ref()).await {
            Ok(page) => page,
            Err(failure) => {
                import.flush()?;
                return Err(failure.into());
            }
        };
        import.phases.fetch += started.elapsed();
        let save = page
            .next
            .clone()
            .unwrap_or_else(|| page.resume_from.clone());
        let last = page.next.is_none();
        import.page(page.orders, save, last)?;
        match page.next {
            Some(next) => at = Some(next),
            None => break,
        }
    }
    import.flush()?;
    Ok((import.report, import.phases))
}

/// Takes the pages of one pull and stores them in batches (see the module documentation).
pub struct Importer<'a> {
    store: &'a Store,
    channel: ChannelId,
    clock: &'a dyn Clock,
    batch_orders: usize,
    orders: Vec<ChannelOrder>,
    pages: usize,
    /// Where to continue after the last page taken.
    cursor: Option<OrderCursor>,
    /// When the oldest page waiting was taken.
    since: Option<Instant>,
    pub report: PullReport,
    pub phases: Phases,
}

impl<'a> Importer<'a> {
    pub fn new(store: &'a Store, channel: ChannelId, clock: &'a dyn Clock) -> Self {
        Importer {
            store,
            channel,
            clock,
            batch_orders: BATCH_ORDERS,
            orders: Vec::new(),
            pages: 0,
            cursor: None,
            since: None,
            report: PullReport::default(),
            phases: Phases::default(),
        }
    }

    /// Another batch size than [`BATCH_ORDERS`] (tests, the benchmark); at least one order.
    pub fn with_batch(mut self, orders: usize) -> Self {
        self.batch_orders = orders.max(1);
        self
    }

    /// Takes one page read from the channel and `cursor`, where to continue after it. The
    /// pages waiting are stored when they hold a batch, when the oldest waited long enough,
    /// or when this is the `last` page for now.
    pub fn page(
        &mut self,
        orders: Vec<ChannelOrder>,
        cursor: OrderCursor,
        last: bool,
    ) -> kanaal_core::Result<()> {
        self.orders.extend(orders);
        self.pages += 1;
        self.cursor = Some(cursor);
        let since = *self.since.get_or_insert_with(Instant::now);
        if last || self.orders.len() >= self.batch_orders || since.elapsed() >= BATCH_WAIT {
            self.flush()?;
        }
        Ok(())
    }

    /// Stores the pages waiting, with the cursor after the last of them, in one transaction.
    pub fn flush(&mut self) -> kanaal_core::Result<()> {
        let Some(cursor) = self.cursor.take() else {
            return Ok(());
        };
        let orders = std::mem::take(&mut self.orders);
        let pages = std::mem::take(&mut self.pages);
        self.since = None;
        let now = self.clock.now();
        let channel = self.channel;
        let mut phases = std::mem::take(&mut self.phases);
        let inside = phases.store();
        let started = Instant::now();
        let done = self
            .store
            .write(|tx| apply_orders(tx, channel, &orders, pages, &cursor, now, &mut phases));
        // What the transaction took beyond its phases is the commit.
        phases.commit += started.elapsed().saturating_sub(phases.store() - inside);
        self.phases = phases;
        self.report.add(done?);
        self.phases.transactions += 1;
        Ok(())
    }
}

fn status_code(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Open => "open",
        OrderStatus::PartlyShipped => "partly_shipped",
        OrderStatus::Shipped => "shipped",
        OrderStatus::Cancelled => "cancelled",
        OrderStatus::Refunded => "refunded",
    }
}

/// When the merchant connected the channel in Kanaal.
fn connected_at(tx: &Transaction<'_>, channel: ChannelId) -> kanaal_core::Result<DateTime<Utc>> {
    let at: String = tx
        .prepare_cached("SELECT created_at FROM channels WHERE id = ?1")?
        .query_row(params![channel.0], |r| r.get(0))?;
    DateTime::parse_from_rfc3339(&at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Corrupt(format!("the connection time of channel {}", channel.0)))
}

/// Whether a newly seen order takes its units from stock. Not when cancelled; and not when it
/// was placed before the channel was connected and has left the shop already (shipped): the
/// stock the merchant counted no longer holds those units, and taking them again would empty
/// the shelves on every channel after the first import of a platform's order history. An
/// open order from before the connection still leaves the shelf, so it does move stock. An
/// order first seen refunded in full sends nothing and takes nothing (its lines say every unit
/// was taken off).
fn moves_stock(o: &ChannelOrder, connected: DateTime<Utc>) -> bool {
    match o.status {
        OrderStatus::Cancelled | OrderStatus::Refunded => false,
        OrderStatus::Open | OrderStatus::PartlyShipped => true,
        OrderStatus::Shipped => o.placed_at >= connected,
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An order already in the store, as the import compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownOrder {
    pub id: i64,
    /// As stored ("open", "cancelled", ...).
    pub status: String,
    /// 1 when the order's units were taken from stock (and not all put back).
    pub stock_applied: i64,
}

/// What one batch shares while its orders are stored: the report, the variants whose stock
/// moved (their availability is queued once at the end), the stock moves of new orders (made
/// at once per variant) and the catalog matches made so far.
struct Batch {
    out: PullReport,
    moved: HashSet<i64>,
    moves: Vec<StockMove>,
    variants: HashMap<(Option<String>, Option<String>), Option<i64>>,
    now: DateTime<Utc>,
}

impl Batch {
    /// Moves the stock waiting in `moves`.
    fn move_stock(&mut self, tx: &Transaction<'_>) -> kanaal_core::Result<()> {
        move_stock_many(tx, &self.moves, self.now)?;
        self.moves.clear();
        Ok(())
    }
}

/// Stores one page of orders and saves `cursor`, in the caller's transaction. See the module
/// documentation; public so tests can replay pages without a channel.
pub fn apply_page(
    tx: &Transaction<'_>,
    channel: ChannelId,
    orders: &[ChannelOrder],
    cursor: &OrderCursor,
    now: DateTime<Utc>,
) -> kanaal_core::Result<PullReport> {
    apply_orders(tx, channel, orders, 1, cursor, now, &mut Phases::default())
}

/// Stores the orders of `pages` pages and saves `cursor` (where to continue after the last of
/// them), in the caller's transaction, adding the time of each phase to `phases`. An order may
/// be on more than one page: the later copy is compared with the earlier one as with an order
/// stored in an earlier batch.
pub fn apply_orders(
    tx: &Transaction<'_>,
    channel: ChannelId,
    orders: &[ChannelOrder],
    pages: usize,
    cursor: &OrderCursor,
    now: DateTime<Utc>,
    phases: &mut Phases,
) -> kanaal_core::Result<PullReport> {
    let connected = connected_at(tx, channel)?;
    let mut batch = Batch {
        out: PullReport {
            pages,
            ..Default::default()
        },
        moved: HashSet::new(),
        moves: Vec::new(),
        variants: HashMap::new(),
        now,
    };

    let started = Instant::now();
    let mut known = known_orders(tx, channel, orders)?;
    phases.dedupe += started.elapsed();

    for o in orders {
        let started = Instant::now();
        if let Some(k) = known.get(&o.remote_id).cloned() {
            // Stock taken by new orders so far goes first, so the audit trail of a variant
            // reads in the order things happened when a known order puts units back.
            batch.move_stock(tx)?;
            let now_known = update_known_order(tx, &k, o, &mut batch)?;
            known.insert(o.remote_id.clone(), now_known);
            phases.known += started.elapsed();
        } else {
            let k = insert_new_order(tx, channel, o, connected, &mut batch)?;
            known.insert(o.remote_id.clone(), k);
            phases.insert += started.elapsed();
        }
    }

    let started = Instant::now();
    batch.move_stock(tx)?;
    phases.stock_move += started.elapsed();

    let started = Instant::now();
    if !batch.moved.is_empty() {
        batch.out.stock_queued = queue_stock_tx(tx, now, Some(&batch.moved))?;
    }
    phases.stock_queue += started.elapsed();

    let started = Instant::now();
    tx.prepare_cached(
        "INSERT INTO sync_cursors (channel_id, stream, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(channel_id, stream) DO UPDATE SET cursor = excluded.cursor,
                                                       updated_at = excluded.updated_at",
    )?
    .execute(params![channel.0, STREAM, cursor.0, time(now)])?;
    phases.commit += started.elapsed();
    Ok(batch.out)
}

/// The orders of `orders` already stored for `channel`, by remote id, in one lookup.
fn known_orders(
    tx: &Transaction<'_>,
    channel: ChannelId,
    orders: &[ChannelOrder],
) -> kanaal_core::Result<HashMap<String, KnownOrder>> {
    let ids = serde_json::to_string(&orders.iter().map(|o| &o.remote_id).collect::<Vec<_>>())
        .map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut stmt = tx.prepare_cached(
        "SELECT remote_id, id, status, stock_applied FROM orders
          WHERE channel_id = ?1 AND remote_id IN (SELECT value FROM json_each(?2))",
    )?;
    let rows = stmt.query_map(params![channel.0, ids], |r| {
        Ok((
            r.get::<_, String>(0)?,
            KnownOrder {
                id: r.get(1)?,
                status: r.get(2)?,
                stock_applied: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An order the store has already: what the channel says per line now, then its status when
/// that changed (a cancellation puts the units it took back, once). An order refunded in full
/// (not cancelled) gets its units back through its lines, which report every unit cancelled,
/// so per line and once; it then leaves the work to ship with the status "refunded". Returns
/// the order as it is stored afterwards.
fn update_known_order(
    tx: &Transaction<'_>,
    known: &KnownOrder,
    o: &ChannelOrder,
    batch: &mut Batch,
) -> kanaal_core::Result<KnownOrder> {
    let (id, applied) = (known.id, known.stock_applied);
    let status = status_code(o.status);
    let now = batch.now;
    let out = &mut batch.out;
    // Lines cancelled on the channel while the order stays open, requests to cancel and
    // per-line deadlines (a cancelled order's stock goes back below, as a whole).
    let lines = if o.status == OrderStatus::Cancelled {
        Default::default()
    } else {
        crate::order_lines::apply(tx, id, o, false, now, &mut batch.moved)?
    };
    if known.status == status {
        if lines.changed {
            out.updated_orders += 1;
        } else {
            out.unchanged_orders += 1;
        }
        return stored_order(tx, id);
    }
    // The channel's new copy of the order carries the customer's details again; an order whose
    // customer was erased (kanaal-insights' erase_customer renames the customer to
    // `erased-<id>`) keeps its scrubbed copy, or the erasure would be undone by the next status
    // change.
    let raw = serde_json::to_string(&o.raw).map_err(|e| Error::Corrupt(e.to_string()))?;
    tx.prepare_cached(
        "UPDATE orders SET status = ?2, updated_at = ?3, ship_by = ?5,
                raw = CASE WHEN EXISTS (SELECT 1 FROM customers c
                                         WHERE c.id = orders.customer_id
                                           AND c.remote_id LIKE 'erased-%')
                           THEN raw ELSE ?4 END
          WHERE id = ?1",
    )?
    .execute(params![
        id,
        status,
        time(o.updated_at),
        raw,
        o.ship_by.map(time)
    ])?;
    out.updated_orders += 1;
    if o.status == OrderStatus::Cancelled {
        // Put back what was taken and not yet returned (a cancel made in Kanaal may have
        // returned some or all of it already), once.
        let returned = return_cancelled(tx, id, None, now, &mut batch.moved)?;
        if returned && applied == 1 {
            batch.out.cancellations_returned += 1;
        }
    }
    stored_order(tx, id)
}

fn stored_order(tx: &Transaction<'_>, id: i64) -> kanaal_core::Result<KnownOrder> {
    Ok(tx
        .prepare_cached("SELECT status, stock_applied FROM orders WHERE id = ?1")?
        .query_row(params![id], |r| {
            Ok(KnownOrder {
                id,
                status: r.get(0)?,
                stock_applied: r.get(1)?,
            })
        })?)
}

/// An order seen for the first time: the order, its customer and lines; the stock its lines
/// take waits in `batch` (moved once per variant at the end of the batch).
fn insert_new_order(
    tx: &Transaction<'_>,
    channel: ChannelId,
    o: &ChannelOrder,
    connected: DateTime<Utc>,
    batch: &mut Batch,
) -> kanaal_core::Result<KnownOrder> {
    let status = status_code(o.status);
    let raw = serde_json::to_string(&o.raw).map_err(|e| Error::Corrupt(e.to_string()))?;
    let apply = moves_stock(o, connected);
    let customer = upsert_customer(tx, channel, &o.remote_id, &o.customer)?;
    // `stock_applied` is set with the insert: the moves below belong to the same transaction.
    tx.prepare_cached(
        "INSERT INTO orders (channel_id, remote_id, status, placed_at, updated_at, currency,
                             total, fees_reported, customer_id, stock_applied, raw, ship_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        channel.0,
        o.remote_id,
        status,
        time(o.placed_at),
        time(o.updated_at),
        o.total.currency.as_str(),
        o.total.amount_text(),
        o.fees.map(|f| f.amount_text()),
        customer,
        i64::from(apply),
        raw,
        o.ship_by.map(time)
    ])?;
    let order_id = tx.last_insert_rowid();
    let out = &mut batch.out;
    out.new_orders += 1;
    for (i, line) in o.lines.iter().enumerate() {
        let key = (line.sku.clone(), line.gtin.clone());
        let variant = match batch.variants.get(&key) {
            Some(v) => *v,
            None => {
                let v = match_variant(tx, line.sku.as_deref(), line.gtin.as_deref())?;
                batch.variants.insert(key, v);
                v
            }
        };
        tx.prepare_cached(
            "INSERT INTO order_lines (order_id, line_no, remote_line_id, sku, variant_id, title,
                                      quantity, unit_price, fee_reported)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            order_id,
            i as i64 + 1,
            line.remote_id,
            line.sku.as_deref().or(line.gtin.as_deref()),
            variant,
            line.title,
            i64::from(line.quantity),
            line.unit_price.amount_text(),
            line.fee.map(|f| f.amount_text())
        ])?;
        out.new_lines += 1;
        match variant {
            Some(v) if apply => {
                batch.moves.push(StockMove {
                    variant: v,
                    delta: -i64::from(line.quantity),
                    reference: format!("order-{order_id}"),
                });
                batch.moved.insert(v);
                out.stock_moves += 1;
            }
            Some(_) => {}
            None => {
                out.unknown_lines += 1;
                out.unknown_skus.insert(
                    line.sku
                        .clone()
                        .or_else(|| line.gtin.clone())
                        .unwrap_or_else(|| line.title.clone()),
                );
            }
        }
    }
    // What the channel says per line (cancelled units, deadlines) of an order stored just now.
    crate::order_lines::apply(tx, order_id, o, true, batch.now, &mut batch.moved)?;
    Ok(KnownOrder {
        id: order_id,
        status: status.to_string(),
        stock_applied: i64::from(apply),
    })
}

/// Marks lines of order `order` cancelled (`line_nos`; `None`: every line) and puts back on the
/// shelf what the order took from it and was not yet returned, so a cancellation confirmed by
/// the channel after Kanaal's own "Cancel" and one read from the channel return stock once in
/// all. When every line is cancelled the order is too, and `stock_applied` goes to 0. Variants
/// whose stock moved are added to `moved` (the caller queues their stock for the channels).
/// Returns whether any stock moved.
pub fn return_cancelled(
    tx: &Transaction<'_>,
    order: i64,
    line_nos: Option<&[u32]>,
    now: DateTime<Utc>,
    moved: &mut HashSet<i64>,
) -> kanaal_core::Result<bool> {
    let applied: i64 = tx
        .prepare_cached("SELECT stock_applied FROM orders WHERE id = ?1")?
        .query_row(params![order], |r| r.get(0))?;
    let lines: Vec<(i64, u32, Option<i64>, i64, i64)> = tx
        .prepare_cached(
            "SELECT id, line_no, variant_id, quantity, stock_returned FROM order_lines
              WHERE order_id = ?1 ORDER BY line_no",
        )?
        .query_map(params![order], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut any = false;
    for (line, no, variant, quantity, returned) in &lines {
        if line_nos.is_some_and(|w| !w.contains(no)) {
            continue;
        }
        tx.prepare_cached("UPDATE order_lines SET quantity_cancelled = quantity WHERE id = ?1")?
            .execute(params![line])?;
        let back = quantity - returned;
        if applied != 1 || back <= 0 {
            continue;
        }
        if let Some(v) = variant {
            move_stock(tx, *v, back, now, &format!("order-cancelled-{order}"))?;
            moved.insert(*v);
            any = true;
        }
        tx.prepare_cached("UPDATE order_lines SET stock_returned = quantity WHERE id = ?1")?
            .execute(params![line])?;
    }
    let open: i64 = tx
        .prepare_cached(
            "SELECT count(*) FROM order_lines WHERE order_id = ?1 AND quantity_cancelled < quantity",
        )?
        .query_row(params![order], |r| r.get(0))?;
    if open == 0 {
        tx.prepare_cached(
            "UPDATE orders SET stock_applied = 0, status = 'cancelled', ship_by = NULL WHERE id = ?1",
        )?
        .execute(params![order])?;
    } else {
        // A cancelled line no longer sets the order's deadline.
        kanaal_core::orders::channel_lines::refresh_ship_by(tx, order)?;
    }
    Ok(any)
}

fn match_variant(
    tx: &Transaction<'_>,
    sku: Option<&str>,
    gtin: Option<&str>,
) -> kanaal_core::Result<Option<i64>> {
    if let Some(sku) = sku.filter(|s| !s.is_empty()) {
        let id = tx
            .prepare_cached("SELECT id FROM variants WHERE sku = ?1")?
            .query_row(params![sku], |r| r.get(0))
            .optional()?;
        if id.is_some() {
            return Ok(id);
        }
    }
    if let Some(gtin) = gtin.filter(|s| !s.is_empty()) {
        return Ok(tx
            .prepare_cached("SELECT id FROM variants WHERE gtin = ?1")?
            .query_row(params![gtin], |r| r.get(0))
            .optional()?);
    }
    Ok(None)
}

/// Stores the customer as the channel shows them; fields the channel hides are listed in
/// `masked_fields`. Known by e-mail where the channel gives one, else per order.
fn upsert_customer(
    tx: &Transaction<'_>,
    channel: ChannelId,
    order_remote_id: &str,
    c: &Customer,
) -> kanaal_core::Result<i64> {
    let remote_id = match c.email.as_deref().filter(|e| !e.is_empty()) {
        Some(e) => e.trim().to_lowercase(),
        None => format!("order:{order_remote_id}"),
    };
    let mut masked: Vec<&str> = [
        ("name", c.name.is_none()),
        ("email", c.email.is_none() || c.email_is_relay),
        ("phone", c.phone.is_none()),
        ("postcode", c.postcode.is_none()),
        ("house_number", c.house_number.is_none()),
        ("city", c.city.is_none()),
        ("country", c.country.is_none()),
    ]
    .iter()
    .filter(|(_, hidden)| *hidden)
    .map(|(f, _)| *f)
    .collect();
    masked.sort_unstable();
    let masked = serde_json::to_string(&masked).map_err(|e| Error::Corrupt(e.to_string()))?;
    // RETURNING gives the id whether the row was new or updated, without a second lookup.
    Ok(tx.prepare_cached(
        "INSERT INTO customers (channel_id, remote_id, name, email, phone, postcode, house_number,
                                city, country, masked_fields)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(channel_id, remote_id) DO UPDATE SET
            name = COALESCE(excluded.name, name), phone = COALESCE(excluded.phone, phone),
            postcode = COALESCE(excluded.postcode, postcode),
            house_number = COALESCE(excluded.house_number, house_number),
            city = COALESCE(excluded.city, city), country = COALESCE(excluded.country, country),
            masked_fields = excluded.masked_fields
         RETURNING id",
    )?
    .query_row(params![
        channel.0,
        remote_id,
        c.name,
        c.email,
        c.phone,
        c.postcode,
        c.house_number,
        c.city,
        c.country,
        masked
    ],
    |r| r.get(0),
    )?)
}
