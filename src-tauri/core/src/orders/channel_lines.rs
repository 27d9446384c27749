//! What a channel says about the single lines of an order Kanaal stores: units the channel
//! cancelled while the order stays open (bol.com: an order item cancelled by bol or at the
//! customer's request; Shopify: a line whose `currentQuantity` went down through a refund or an
//! order edit), the customer asking to cancel a line (bol.com `cancellationRequest`), and each
//! line's own ship-by deadline (bol.com `fulfilment.expiryDate` per order item).
//!
//! It records the cancelled units on the line and says how many units of which variant go back
//! on the shelf: exactly once per unit, whichever comes first of Kanaal's own confirmed "Cancel"
//! and the import seeing the cancellation (`order_lines.stock_returned` counts what went back,
//! so both paths return only the difference). It also keeps the order's ship-by at the earliest
//! deadline of its open lines. It must not move stock itself nor call a channel: the sync
//! engine moves the units this returns and queues the new availability for every channel.

use crate::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Transaction};

/// One line of the order as the channel reports it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenLine<'a> {
    /// The line's id on the channel (`order_lines.remote_line_id`).
    pub remote_line_id: &'a str,
    /// Units of the line the channel has cancelled in all (not only since the last import).
    pub quantity_cancelled: u32,
    /// The customer asked the channel to cancel this line and the merchant has not answered.
    pub cancel_requested: bool,
    /// The moment the channel cancels the line when it has not been shipped; `None` when the
    /// line has no deadline (shipped, cancelled, or a channel without deadlines).
    pub ship_by: Option<DateTime<Utc>>,
}

/// Units to put back on the shelf for one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockBack {
    pub variant: i64,
    pub units: i64,
}

/// What [`apply_seen_lines`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeenLinesApplied {
    /// Lines with more units cancelled than Kanaal knew of.
    pub lines_cancelled: usize,
    /// Stock to return now (the order had taken it and it was not returned before).
    pub stock_back: Vec<StockBack>,
    /// Anything about the lines changed (cancellations, requests or deadlines).
    pub changed: bool,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Sets the order's deadline to its earliest open line's, after lines were cancelled (on the
/// channel, or by Kanaal's confirmed cancel). An order with no open line left keeps its status
/// here: the channel reports it cancelled or shipped, and the import handles that. Orders whose
/// channel gives no per-line deadlines keep the order's own.
pub fn refresh_ship_by(tx: &Transaction<'_>, order: i64) -> Result<()> {
    tx.prepare_cached(
        "UPDATE orders SET ship_by = (SELECT min(l.ship_by) FROM order_lines l
                                       WHERE l.order_id = orders.id
                                         AND l.quantity_cancelled < l.quantity)
          WHERE id = ?1
            AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = orders.id
                          AND l.ship_by IS NOT NULL)",
    )?
    .execute(params![order])?;
    Ok(())
}

/// Whether a channel's report of these lines carries anything this module stores; when not
/// (no deadline, nothing cancelled, no request), a new order's lines need no second look.
pub fn worth_applying(seen: &[SeenLine<'_>]) -> bool {
    seen.iter()
        .any(|l| l.quantity_cancelled > 0 || l.cancel_requested || l.ship_by.is_some())
}

/// Records what the channel says about the lines of order `order` (matched by the channel's
/// line id; lines it does not name are left alone). A cancelled count only grows: a channel
/// never un-cancels units, and a line Kanaal cancelled itself stays cancelled. Returns the
/// stock to put back, which the caller moves in the same transaction.
pub fn apply_seen_lines(
    tx: &Transaction<'_>,
    order: i64,
    seen: &[SeenLine<'_>],
) -> Result<SeenLinesApplied> {
    let mut out = SeenLinesApplied::default();
    if seen.is_empty() {
        return Ok(out);
    }
    let applied: bool = tx
        .prepare_cached("SELECT stock_applied = 1 FROM orders WHERE id = ?1")?
        .query_row(params![order], |r| r.get(0))?;
    type Line = (
        i64,
        Option<String>,
        Option<i64>,
        i64,
        i64,
        i64,
        Option<String>,
        bool,
    );
    let lines: Vec<Line> = tx
        .prepare_cached(
            "SELECT id, remote_line_id, variant_id, quantity, quantity_cancelled, stock_returned,
                    ship_by, cancel_requested
               FROM order_lines WHERE order_id = ?1 ORDER BY line_no",
        )?
        .query_map(params![order], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, remote, variant, quantity, cancelled, returned, ship_by, requested) in lines {
        let Some(s) = remote
            .as_deref()
            .filter(|r| !r.is_empty())
            .and_then(|r| seen.iter().find(|s| s.remote_line_id == r))
        else {
            continue;
        };
        let now_cancelled = i64::from(s.quantity_cancelled).min(quantity).max(cancelled);
        let open = now_cancelled < quantity;
        // A request on a line that is no longer open has been answered.
        let now_requested = s.cancel_requested && open;
        let now_ship_by = s.ship_by.filter(|_| open).map(stamp);
        let back = if applied && variant.is_some() {
            (now_cancelled - returned).max(0)
        } else {
            0
        };
        if now_cancelled == cancelled
            && now_requested == requested
            && now_ship_by == ship_by
            && back == 0
        {
            continue;
        }
        out.changed = true;
        if now_cancelled > cancelled {
            out.lines_cancelled += 1;
        }
        if let (Some(v), true) = (variant, back > 0) {
            out.stock_back.push(StockBack {
                variant: v,
                units: back,
            });
        }
        tx.prepare_cached(
            "UPDATE order_lines SET quantity_cancelled = ?2, stock_returned = stock_returned + ?3,
                    cancel_requested = ?4, ship_by = ?5
              WHERE id = ?1",
        )?
        .execute(params![id, now_cancelled, back, now_requested, now_ship_by])?;
    }
    if out.changed {
        refresh_ship_by(tx, order)?;
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::store::Store;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
    }

    /// A bol order 7 with two lines: A x3 (variant 1) and B x1 (variant 2), stock applied.
    fn shop() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .write(|tx| {
                let bol = crate::channels::add(tx, "bol", "bol.com", None, at(1, 0))?;
                tx.execute_batch(
                    "INSERT INTO products (id, handle, title_nl, title_en, status, created_at, updated_at)
                     VALUES (1, 'p', 'P', 'P', 'active', 'x', 'x');
                     INSERT INTO variants (id, product_id, position, sku, price, created_at, updated_at)
                     VALUES (1, 1, 0, 'A', '1', 'x', 'x'), (2, 1, 1, 'B', '1', 'x', 'x');",
                )?;
                tx.execute(
                    "INSERT INTO orders (id, channel_id, remote_id, status, placed_at, updated_at,
                                         total, stock_applied, raw, ship_by)
                     VALUES (7, ?1, 'R7', 'open', 'x', 'x', '4', 1, '{}', '2026-12-01T23:00:00Z')",
                    params![bol.0],
                )?;
                tx.execute_batch(
                    "INSERT INTO order_lines (order_id, line_no, remote_line_id, sku, variant_id,
                                              title, quantity, unit_price)
                     VALUES (7, 1, 'i1', 'A', 1, 'A', 3, '1'), (7, 2, 'i2', 'B', 2, 'B', 1, '1');",
                )?;
                Ok(())
            })
            .unwrap();
        (dir, store)
    }

    fn line(store: &Store, no: u32) -> (i64, i64, bool, Option<String>) {
        store
            .read(|tx| {
                Ok(tx.query_row(
                    "SELECT quantity_cancelled, stock_returned, cancel_requested, ship_by
                       FROM order_lines WHERE order_id = 7 AND line_no = ?1",
                    params![no],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?)
            })
            .unwrap()
    }

    fn seen(
        id: &str,
        cancelled: u32,
        requested: bool,
        ship_by: Option<DateTime<Utc>>,
    ) -> SeenLine<'_> {
        SeenLine {
            remote_line_id: id,
            quantity_cancelled: cancelled,
            cancel_requested: requested,
            ship_by,
        }
    }

    #[test]
    fn units_cancelled_on_the_channel_go_back_once_and_only_the_difference() {
        let (_d, store) = shop();
        let apply =
            |s: Vec<SeenLine<'static>>| store.write(|tx| apply_seen_lines(tx, 7, &s)).unwrap();
        let first = apply(vec![
            seen("i1", 1, false, Some(at(2, 23))),
            seen("i2", 0, false, Some(at(1, 23))),
        ]);
        assert_eq!(first.lines_cancelled, 1);
        assert_eq!(
            first.stock_back,
            vec![StockBack {
                variant: 1,
                units: 1
            }]
        );
        assert_eq!(line(&store, 1).0, 1);
        // The same report again returns nothing more.
        let again = apply(vec![
            seen("i1", 1, false, Some(at(2, 23))),
            seen("i2", 0, false, Some(at(1, 23))),
        ]);
        assert_eq!(again, SeenLinesApplied::default());
        // Two more cancelled later: only those two go back.
        let more = apply(vec![
            seen("i1", 3, false, None),
            seen("i2", 0, false, Some(at(1, 23))),
        ]);
        assert_eq!(
            more.stock_back,
            vec![StockBack {
                variant: 1,
                units: 2
            }]
        );
        assert_eq!(line(&store, 1), (3, 3, false, None));
    }

    #[test]
    fn a_line_kanaal_cancelled_and_returned_first_is_not_returned_again() {
        let (_d, store) = shop();
        // Kanaal's confirmed cancel of line 2 put its unit back already.
        store
            .write(|tx| {
                tx.execute(
                    "UPDATE order_lines SET quantity_cancelled = 1, stock_returned = 1
                      WHERE order_id = 7 AND line_no = 2",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        let done = store
            .write(|tx| apply_seen_lines(tx, 7, &[seen("i2", 1, false, None)]))
            .unwrap();
        assert!(done.stock_back.is_empty());
        assert_eq!(done.lines_cancelled, 0);
    }

    #[test]
    fn an_order_that_took_no_stock_returns_none_but_records_the_cancel() {
        let (_d, store) = shop();
        store
            .write(|tx| {
                tx.execute("UPDATE orders SET stock_applied = 0 WHERE id = 7", [])?;
                Ok(())
            })
            .unwrap();
        let done = store
            .write(|tx| apply_seen_lines(tx, 7, &[seen("i1", 2, false, None)]))
            .unwrap();
        assert!(done.stock_back.is_empty());
        assert_eq!(line(&store, 1).0, 2);
        assert_eq!(
            line(&store, 1).1,
            0,
            "nothing was taken, nothing comes back"
        );
    }

    #[test]
    fn requests_and_deadlines_are_per_line_and_the_order_keeps_the_earliest_open_one() {
        let (_d, store) = shop();
        store
            .write(|tx| {
                apply_seen_lines(
                    tx,
                    7,
                    &[
                        seen("i1", 0, true, Some(at(3, 23))),
                        seen("i2", 0, false, Some(at(2, 23))),
                    ],
                )
            })
            .unwrap();
        assert_eq!(
            line(&store, 1),
            (0, 0, true, Some("2026-12-03T23:00:00Z".into()))
        );
        let order_ship_by = |store: &Store| -> Option<String> {
            store
                .read(|tx| {
                    Ok(tx.query_row("SELECT ship_by FROM orders WHERE id = 7", [], |r| r.get(0))?)
                })
                .unwrap()
        };
        assert_eq!(
            order_ship_by(&store).as_deref(),
            Some("2026-12-02T23:00:00Z")
        );
        // The earliest line is cancelled on the channel: the order's deadline moves on.
        store
            .write(|tx| {
                apply_seen_lines(
                    tx,
                    7,
                    &[
                        seen("i1", 0, true, Some(at(3, 23))),
                        seen("i2", 1, false, None),
                    ],
                )
            })
            .unwrap();
        assert_eq!(
            order_ship_by(&store).as_deref(),
            Some("2026-12-03T23:00:00Z")
        );
        // A request on a line that is then cancelled is answered.
        store
            .write(|tx| apply_seen_lines(tx, 7, &[seen("i1", 3, true, None)]))
            .unwrap();
        assert_eq!(line(&store, 1), (3, 3, false, None));
    }
}
