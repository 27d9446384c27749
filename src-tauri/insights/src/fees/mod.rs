//! Fee impact: what each platform keeps of a sale, and what the sale is then worth to the
//! merchant.
//!
//! - `schedule`: fee schedules as versioned, dated data with a source (serde JSON, stored in
//!   the store's `fee_schedules` table); `defaults` holds the shipped starting points.
//! - `engine`: the fees of one order per line, exact to the cent, VAT on fees, KOR.
//! - `analysis`: contribution per channel/product/month, take rate, actual-vs-modelled, the
//!   break-even channel price, what-if scenarios.
//! - `edit`: the merchant's form for a new schedule version, checked field by field.
//! - `store`: reading orders and schedules from kanaal-core's store.
//!
//! Invariant: money is `Decimal` throughout; nothing here reads the clock or the network.

pub mod analysis;
pub mod defaults;
pub mod edit;
pub mod engine;
pub mod schedule;
pub mod store;

pub use analysis::{
    analyse, break_even_price, break_even_table, move_volume, raise_prices, Analysis, BreakEvenRow,
    CatalogPrice, OrderResult, Sale, SaleLine, Scenario, Totals,
};
pub use engine::{order_fees, FeeSettings, LineInput, OrderInput};
pub use schedule::{FeeRules, FeeSchedule, ScheduleError};
