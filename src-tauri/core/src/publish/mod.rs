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

pub mod batch;
mod fast;
pub mod listing_edit;
pub mod outbox;
pub mod plan;
pub mod problem;
pub mod render;
pub mod rollback;
pub mod rules;

/// SQL for the counter snapshot of the listing aliased `l`: its own change counter plus its
/// product's and its listed variants'. Above zero, the channel has not had the latest edit. The
/// one definition behind [`render::current_counter`]. A listing has something to send when it was
/// never published or this is above zero; schema v10's triggers keep that test stored as
/// `listings.pending` (same SQL in migrations/v10.sql), which the overview's "waiting to be
/// published" and the catalog's "changed since last publish" filter read.
pub(crate) const LISTING_COUNTER_SQL: &str = "(l.change_counter
      + (SELECT lp.change_counter FROM products lp WHERE lp.id = l.product_id)
      + COALESCE((SELECT SUM(lv.change_counter) FROM variants lv
                   WHERE lv.product_id = l.product_id
                     AND (l.variant_id IS NULL OR lv.id = l.variant_id)), 0))";

pub use outbox::{after_success, confirm, Confirmed};
pub use plan::{plan, plan_in, Action, FieldChange, Limits, Plan, PlannedListing};
pub use problem::{Problem, ProblemKind};
pub use render::{RenderedListing, RenderedVariant};
pub use rollback::{confirm_rollback, plan_rollback, RollbackPlan};
pub use rules::{ChannelRules, Ending, Overrides, PriceRule, StockRule};
