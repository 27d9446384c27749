//! The one trait every connector implements and the sync engine drives. It is shaped by what the
//! engine needs (publish, stock, orders by cursor, fulfilment, drift, fees, ratings, limits),
//! not by any platform; a platform that lacks an operation answers
//! [`Failure::Unsupported`] and says so in [`ChannelLimits::supports`].
//!
//! Contract for implementors:
//! - Every method either did what it says exactly once, or returns a [`Failure`]. After a
//!   transient failure of a write (`Failure::is_transient`) the engine sends the same call
//!   again later; the connector must make that safe (find a create that went through although
//!   the response was lost, use the platform's idempotency keys, prefer absolute values).
//! - Methods take `&self` and may be called concurrently; connectors share their rate limiter
//!   and token cache between calls.
//! - Async: the trait is object safe via `async_trait`, so the engine can hold
//!   `Box<dyn Channel>` / `Arc<dyn Channel>` for any platform.

use crate::failure::{Failure, Operation};
use crate::model::{
    Cancellation, ChannelLimits, ConnectionInfo, ExpectedFee, ListingDraft, LiveListing,
    OrderCursor, OrderPage, Payout, PayoutFee, ProductRatings, PublishedListing, RemoteCategory,
    Review, Shipment, StockTarget, StockUpdate,
};
use chrono::NaiveDate;
use kanaal_core::money::Money;

/// A page position for [`Channel::live_listings`]; opaque outside the connector.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageCursor(pub String);

/// One page of results and where the next one starts (`None`: this was the last).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<PageCursor>,
}

/// A connection to one channel of one merchant.
#[async_trait::async_trait]
pub trait Channel: Send + Sync {
    /// The channel kind's code as stored in `channels.kind` ("bol", "shopify").
    fn kind(&self) -> &'static str;

    /// What the channel accepts; used to check a listing before it is sent.
    fn limits(&self) -> ChannelLimits;

    /// One cheap authenticated call: proves the credentials work.
    async fn check_connection(&self) -> Result<ConnectionInfo, Failure>;

    /// Creates the listing. Safe to call again after a transient failure: a listing that was
    /// created although the answer was lost is found and returned, not created twice.
    async fn create_listing(&self, draft: &ListingDraft) -> Result<PublishedListing, Failure>;

    /// Brings an existing listing in line with the draft (content, price and stock).
    async fn update_listing(
        &self,
        listing: &PublishedListing,
        draft: &ListingDraft,
    ) -> Result<PublishedListing, Failure>;

    /// Takes the listing off the channel. Unpublishing one that is already gone succeeds.
    async fn unpublish_listing(&self, listing: &PublishedListing) -> Result<(), Failure>;

    /// Sets the available quantity of one variant.
    async fn set_stock(&self, target: &StockTarget, update: &StockUpdate) -> Result<(), Failure>;

    /// Orders changed since `cursor` (`None`: the channel's recent open orders), one page.
    async fn orders_since(&self, cursor: Option<&OrderCursor>) -> Result<OrderPage, Failure>;

    /// Marks order lines shipped with carrier and tracking code.
    async fn mark_shipped(&self, shipment: &Shipment) -> Result<(), Failure>;

    /// Cancels order lines the merchant cannot deliver.
    async fn cancel_order(&self, cancellation: &Cancellation) -> Result<(), Failure>;

    /// The value the connector sends for a listing attribute the listing does not set (bol.com's
    /// `delivery_code` from the connector's settings), so a drift check knows what Kanaal
    /// published for a listing without an override of its own. `None`: no such attribute.
    fn default_attribute(&self, _name: &str) -> Option<String> {
        None
    }

    /// What is live on the channel now, one page at a time, for drift checks.
    async fn live_listings(&self, page: Option<&PageCursor>) -> Result<Page<LiveListing>, Failure>;

    /// The fee the channel expects to charge for one item at `price`.
    async fn expected_fee(&self, gtin: &str, price: Money) -> Result<ExpectedFee, Failure>;

    /// Payouts/settlements with their fees in a period.
    async fn payouts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Payout>, Failure>;

    /// The fees one payout (from [`Channel::payouts`]) settled, per order where the channel
    /// gives that detail.
    async fn payout_fees(&self, _payout: &Payout) -> Result<Vec<PayoutFee>, Failure> {
        Err(Failure::Unsupported {
            channel: self.kind().to_string(),
            operation: Operation::PayoutFees,
        })
    }

    /// Star ratings of a product (by GTIN, or remote id where the channel has no GTINs).
    async fn ratings(&self, gtin: &str) -> Result<ProductRatings, Failure>;

    /// Review texts, where the channel gives them.
    async fn reviews(&self, _page: Option<&PageCursor>) -> Result<Page<Review>, Failure> {
        Err(Failure::Unsupported {
            channel: self.kind().to_string(),
            operation: Operation::ReviewTexts,
        })
    }

    /// The channel's category tree, where it has one Kanaal can map to.
    async fn categories(&self) -> Result<Vec<RemoteCategory>, Failure> {
        Err(Failure::Unsupported {
            channel: self.kind().to_string(),
            operation: Operation::Categories,
        })
    }
}
