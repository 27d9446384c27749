//! kanaal-core: everything a merchant can do with Kanaal, as plain Rust functions over a SQLite
//! store — the catalog, the demo shop, settings, and (in later parts) publishing, order sync and
//! the channel comparison.
//!
//! Architecture invariant: this crate knows nothing of Tauri, of the UI, of HTTP servers or of any
//! platform's wire format. The desktop shell and the CLI are thin callers of the functions here,
//! so every behaviour can be tested without a window. Time and randomness come in as parameters
//! (a [`clock::Clock`], a seeded RNG); money is [`money::Money`], never a float.

pub mod catalog;
pub mod channel_kind;
pub mod channels;
pub mod clock;
pub mod data_dir;
pub mod demo;
pub mod drift;
pub mod error;
pub mod failure;
pub mod ids;
pub mod images;
pub mod money;
pub mod orders;
pub mod overview;
pub mod picture_queue;
pub mod problem;
pub mod progress;
pub mod publish;
pub mod settings;
pub mod store;
pub mod vat;

pub use error::{Error, Result};
