//! kanaal-sync: the engine between the local catalog and the channels (DESIGN.md, "Sync model").
//! It owns the loop that publish and order sync need and that neither the pure core nor the
//! store-less connectors may run: sending outbox rows through a connector ([`outbox`]), pulling
//! orders by cursor and moving stock exactly once ([`orders`]), queueing the available quantity
//! for every channel ([`stock`]), and the publish steps the CLI and the app share ([`publish`]).
//!
//! Map:
//! - [`outbox`]: [`drain_outbox`] — the worker: mark 'sending' first, call, settle or back off.
//! - [`orders`]: [`pull_orders`] — import pages of orders, one transaction per page.
//! - [`stock`]: [`queue_stock`] — one stock row per listing whose channel shows a stale quantity.
//! - [`publish`]: plan / confirm / list products on a channel, with the connector's limits.
//! - [`remote`]: what Kanaal keeps of a channel's ids (in the listing mirror) and the drafts.
//! - [`inbox`]: the order list across channels.
//! - [`demo`]: the demo's in-process platform sandboxes and its channels (app and CLI).
//! - [`drift`]: [`check_drift`] — read a channel back and store what changed there (findings).
//! - [`pictures`]: [`pictures::fetch_pictures`] — download the pictures a product CSV named.
//!
//! Invariants:
//! - Every change of local state is one [`Store::write`] transaction; a kill at any point leaves
//!   either the whole step or none of it, plus an outbox row in 'sending' as evidence of a call
//!   whose outcome is unknown (read back before it is repeated).
//! - Time and randomness are parameters (a [`Clock`], a seeded [`ChaCha8Rng`]).
//! - This crate knows no platform's wire format: it speaks only the [`Channel`] trait.
//! - It must not touch the UI or the schema; the schema belongs to kanaal-core.

pub mod demo;
pub mod drift;
pub mod inbox;
pub mod order_lines;
pub mod orders;
pub mod outbox;
pub mod pictures;
pub mod publish;
pub mod remote;
pub mod stock;

use kanaal_channels::{Channel, Failure};
use kanaal_core::clock::Clock;
use kanaal_core::failure::StoredFailure;
use kanaal_core::ids::ChannelId;
use kanaal_core::progress::{CancelToken, Progress};
use kanaal_core::store::Store;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

pub use drift::{check_drift, DriftReport};
pub use inbox::{list_orders, OrderSummary};
pub use orders::{pull_orders, PullReport};
pub use outbox::{drain_outbox, DrainReport, RowOutcome, RowResult};
pub use stock::queue_stock;

/// What can go wrong in a sync step: the local store, or the channel.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] kanaal_core::Error),
    #[error("{0}")]
    Channel(#[from] Failure),
}

impl SyncError {
    /// A short stable code for the UI to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::Store(e) => e.code(),
            SyncError::Channel(f) => f.kind(),
        }
    }

    /// Whether trying again later can succeed without the merchant doing anything.
    pub fn is_transient(&self) -> bool {
        matches!(self, SyncError::Channel(f) if f.is_transient())
    }

    /// The error for the window, typed for it to word in the merchant's language: a channel's
    /// failure, or Kanaal's own data that could not be read or written.
    pub fn shown(&self) -> StoredFailure {
        match self {
            SyncError::Channel(f) => StoredFailure::Channel { failure: f.clone() },
            SyncError::Store(e) => StoredFailure::Local {
                detail: e.to_string(),
            },
        }
    }
}

pub type Result<T, E = SyncError> = std::result::Result<T, E>;

/// What one [`sync_channel`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub channel: ChannelId,
    /// The order import; `None` when it could not reach the channel (see `orders_error`).
    pub orders: Option<PullReport>,
    /// Why the order import stopped early (pages before it were kept); typed, so the window
    /// can word it (`Display` gives the CLI's English).
    pub orders_error: Option<Failure>,
    /// The drift check; `None` when it was skipped or could not read the channel.
    pub drift: Option<DriftReport>,
    /// Why the drift check failed (the findings of the last check still hold); typed.
    pub drift_error: Option<Failure>,
    /// Stock rows queued or refreshed, for every channel.
    pub stock_queued: usize,
    pub outbox: DrainReport,
    /// Set while the channel could not be read back for changes: its updates wait until it
    /// can ("bol.com could not be checked for changes; updates wait until it can").
    pub updates_held: Option<String>,
}

/// How a [`sync_channel_with`] round runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// Read the channel back for drift before sending (see [`drift`]). On by default: the
    /// outbox holds listings with open findings, and only a fresh check knows about a change
    /// made on the channel since the last one.
    pub check_drift: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self { check_drift: true }
    }
}

/// One full round for one channel with the default [`SyncOptions`]: see [`sync_channel_with`].
#[allow(clippy::too_many_arguments)]
pub async fn sync_channel(
    store: &Store,
    channel: ChannelId,
    connector: &dyn Channel,
    clock: &dyn Clock,
    rng: &mut ChaCha8Rng,
    cancel: &CancelToken,
    progress: &dyn Progress,
) -> Result<SyncReport> {
    let options = SyncOptions::default();
    sync_channel_with(
        store, channel, connector, clock, rng, cancel, progress, options,
    )
    .await
}

/// One full round for one channel: pull its orders (which queues the new stock for every
/// channel), read the channel back for drift, queue stock that differs anywhere, then send this
/// channel's outbox (listings changed on the channel are held until the merchant chose). A
/// failure to read orders or to read back does not stop the sending: the outbox still goes out,
/// and the error is reported; but after a failed read-back the channel's updates wait until a
/// check succeeds (a change made there since the last check would be overwritten unseen), which
/// `updates_held` says in plain words. Stock, orders and creates still go.
#[allow(clippy::too_many_arguments)]
pub async fn sync_channel_with(
    store: &Store,
    channel: ChannelId,
    connector: &dyn Channel,
    clock: &dyn Clock,
    rng: &mut ChaCha8Rng,
    cancel: &CancelToken,
    progress: &dyn Progress,
    options: SyncOptions,
) -> Result<SyncReport> {
    let (orders, orders_error) = match pull_orders(store, channel, connector, clock).await {
        Ok(r) => (Some(r), None),
        Err(SyncError::Channel(f)) => (None, Some(f)),
        Err(e) => return Err(e),
    };
    cancel.check()?;
    let (drift, drift_error) = if options.check_drift {
        match check_drift(store, channel, connector, clock).await {
            Ok(r) => (Some(r), None),
            Err(SyncError::Channel(f)) => (None, Some(f)),
            Err(e) => return Err(e),
        }
    } else {
        (None, None)
    };
    cancel.check()?;
    let stock_queued = queue_stock(store, clock)?;
    let outbox = drain_outbox(store, channel, connector, clock, rng, cancel, progress).await?;
    let updates_held = store.read(|tx| {
        Ok(match kanaal_core::drift::unchecked(tx, channel)? {
            Some(_) => {
                let name: String = tx.query_row(
                    "SELECT name FROM channels WHERE id = ?1",
                    [channel.0],
                    |r| r.get(0),
                )?;
                Some(kanaal_core::drift::unchecked_message(&name))
            }
            None => None,
        })
    })?;
    Ok(SyncReport {
        channel,
        orders,
        orders_error,
        drift,
        drift_error,
        stock_queued,
        outbox,
        updates_held,
    })
}
