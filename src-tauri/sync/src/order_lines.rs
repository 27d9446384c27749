//! The order import's look at single lines of an order: what the channel reports per line
//! (units it cancelled while the order stays open, the customer asking to cancel, the line's
//! own ship-by deadline) goes to [`kanaal_core::orders::channel_lines`], and the units that
//! returns go back on the shelf here, in the import's transaction. The caller queues the new
//! availability of the variants added to `moved` for every channel.
//!
//! Must not: decide what is cancelled or returned (the core module does, once per unit), nor
//! send anything to a channel.

use crate::stock::move_stock;
use chrono::{DateTime, Utc};
use kanaal_channels::model::ChannelOrder;
use kanaal_core::orders::channel_lines::{self, SeenLine, SeenLinesApplied};
use rusqlite::Transaction;
use std::collections::HashSet;

/// The lines of `o` as [`channel_lines`] takes them.
fn seen(o: &ChannelOrder) -> Vec<SeenLine<'_>> {
    o.lines
        .iter()
        .map(|l| SeenLine {
            remote_line_id: &l.remote_id,
            quantity_cancelled: l.quantity_cancelled,
            cancel_requested: l.cancellation_requested,
            ship_by: l.ship_by,
        })
        .collect()
}

/// Records what the channel says about the lines of stored order `order` and puts back the
/// units cancelled on the channel that the order had taken and not yet returned. `new_order`:
/// the order was stored just now, so a report with nothing per line needs no second look.
pub fn apply(
    tx: &Transaction<'_>,
    order: i64,
    o: &ChannelOrder,
    new_order: bool,
    now: DateTime<Utc>,
    moved: &mut HashSet<i64>,
) -> kanaal_core::Result<SeenLinesApplied> {
    let seen = seen(o);
    if new_order && !channel_lines::worth_applying(&seen) {
        return Ok(SeenLinesApplied::default());
    }
    let done = channel_lines::apply_seen_lines(tx, order, &seen)?;
    for back in &done.stock_back {
        move_stock(
            tx,
            back.variant,
            back.units,
            now,
            &format!("order-line-cancelled-{order}"),
        )?;
        moved.insert(back.variant);
    }
    Ok(done)
}
