//! The few kinds of failure the merchant can act on, whatever platform produced them. Each
//! connector maps its platform's status codes and error bodies to one of these; the message
//! keeps the platform's own words where they help (a rejected field and its reason), and the
//! rest is typed ([`Outage`], [`Operation`]) so the window can word it in the merchant's
//! language. The types live in kanaal-core ([`kanaal_core::failure`]) because core stores
//! failures and hands them to the window; connectors use them from here.

pub use kanaal_core::failure::{Failure, Operation, Outage};
