//! kanaal-channels: the connectors. One module per sales platform (Shopify, bol.com, ...), each
//! a client of that platform's real, documented API, behind one [`Channel`] trait that the sync
//! engine in kanaal-core drives.
//!
//! Map:
//! - [`channel`]: the trait; [`model`]: the domain types that cross it.
//! - [`http`]: shared machinery (rate limiter, retries, token cache, paging, async operations).
//! - [`credentials`]: secrets in the OS keyring.
//! - [`failure`]: the few failure kinds the merchant can act on.
//! - [`pictures`]: downloading a product picture by its web address (for the CSV import).
//! - one module per platform: [`bol`] (Shopify lives in `shopify`).
//!
//! Architecture invariants:
//! - A platform's wire types (its JSON shapes, its words such as bol.com's "offer") stay private
//!   to that platform's module; only the domain types in [`model`] cross the trait.
//! - Connectors never touch the store: they are handed what to send and return what they got.
//! - Secrets come from the OS keyring at call time and never reach logs or SQLite.
//! - This crate must not depend on kanaal-sandbox (except in tests): the sandbox exists to
//!   catch the connectors.

pub mod account;
pub mod bol;
pub mod channel;
pub mod credentials;
pub mod failure;
pub mod http;
pub mod model;
pub mod pictures;
pub mod shopify;

pub use channel::{Channel, Page, PageCursor};
pub use failure::Failure;
