//! kanaal-channels: the connectors. One module per sales platform (Shopify, bol.com, ...), each
//! a client of that platform's real, documented API, behind one `Channel` trait that the sync
//! engine in kanaal-core drives.
//!
//! Architecture invariants:
//! - A platform's wire types (its JSON shapes, its words such as bol.com's "offer") stay private
//!   to that platform's module; only domain types from kanaal-core cross the trait.
//! - Connectors never touch the store: they are handed what to send and return what they got.
//! - Secrets come from the OS keyring at call time and never reach logs or SQLite.
//! - This crate must not depend on kanaal-sandbox: the sandbox exists to catch the connectors.

pub mod failure;

pub use failure::Failure;
