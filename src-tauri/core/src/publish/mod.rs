//! Publishing (issue 5, items 1-2): channel rules, rendered listings, the publish plan and its
//! confirmation into the outbox. Owns the pure path from catalog + rules + overrides + mirror to
//! "what should be sent"; it must not send anything, know any platform's wire format, or depend
//! on kanaal-channels — connectors map [`render::RenderedListing`] to their own drafts, and the
//! caller translates a connector's limits into [`plan::Limits`].
//!
//! Change counters: a listing's snapshot is its own counter plus its product's and its listed
//! variants' counters. After a successful send the snapshot is subtracted from the *listing's*
//! counter, so the sum drops to zero per channel (the product's counter is shared by all
//! channels and stays untouched); an edit made during the upload leaves it above zero.

pub mod outbox;
pub mod plan;
pub mod render;
pub mod rules;

pub use outbox::{after_success, confirm, Confirmed};
pub use plan::{plan, Action, FieldChange, Limits, Plan, PlannedListing};
pub use render::{Problem, RenderedListing, RenderedVariant};
pub use rules::{ChannelRules, Ending, Overrides, PriceRule, StockRule};
