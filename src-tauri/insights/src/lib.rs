//! kanaal-insights: the channel comparison. Which channel is worth what to the merchant, measured
//! three ways: fee impact (what the platform keeps), review sentiment (what customers say, and
//! whether a complaint is about the product or the platform) and customer overlap (does the
//! platform bring new people or the webshop's own customers).
//!
//! Architecture invariants:
//! - Pure computation over data from kanaal-core's store or from files; no network, no model
//!   download, no Tauri. Everything runs offline on the merchant's machine.
//! - Money is `rust_decimal::Decimal`, rounded as each platform rounds; never floats for money.
//! - Customer identifiers are compared as keyed hashes; raw personal data stays where the order
//!   put it.

pub mod comparison;
pub mod fees;
pub mod overlap;
pub mod sentiment;

pub use comparison::{comparison, ChannelComparison, ChannelFigures, Complaint, Period};
