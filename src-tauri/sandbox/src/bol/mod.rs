//! The bol.com Retailer API v10 emulator, written from bol's documentation and its OpenAPI
//! documents (`retailer.json`, `shared.json`): the client-credentials token endpoint, media-type
//! versioning (406/415), offers by EAN with the 202 + process-status flow, the CSV offer
//! export, orders (paged by 50, status, change interval and `latest-change-date`) with
//! details, shipments, cancellations, commission, product ratings, invoices (list with the
//! 31-day period rule, invoice and specification as JSON), `Problem` bodies with
//! `violations[]` and the `x-ratelimit-*` headers with 429 + Retry-After.
//!
//! Not emulated: the PDF invoice and the Excel specification (406: only the JSON media type is
//! served); the JSON shapes of the invoice answers are not in bol's OpenAPI document
//! (`string/byte`) and follow bol's invoice documentation (UBL names, camelCase).
//!
//! Orders come from the shared world: every purchase on "bol" whose time the sandbox clock has
//! passed, with bol's masking (a relay e-mail address, no phone number). Each order item carries
//! `fulfilment.latestDeliveryDate` (Dutch dates; by default two days after the order, see below
//! for offers with another delivery promise) and `expiryDate` (the day after). With [`Bol::set_lifelike`] (the demo) the world's older orders were shipped and
//! bol cancels an item that was not shipped by the end of its expiry date, as bol.com does.
//!
//! Control route (the sandbox's own, not bol's; no token needed): `POST /_sandbox/orders` with
//! `{"sku": "...", "quantity": 1}` (or `"ean"` instead of `"sku"`; or several as
//! `{"lines": [{"sku": "...", "quantity": 2}, ...]}`) places an order for the world's products
//! now, by one of the world's customers, and answers `{"orderId": "..."}` (400 with `{"error"}`
//! for a product the world does not sell).
//! Tests and the e2e use it to make an order arrive at a known moment.
//! `POST /_sandbox/order-items/{id}/cancellation-request`: the customer asks to cancel that
//! order item (it then shows `cancellationRequest: true` while open, and counts as changed now).
//! `POST /_sandbox/order-items/{id}/cancel` (optionally `{"quantity": n}`): bol cancels open
//! units of the item itself, the rest of the order staying open. Both answer `{"ok": true}`, or
//! 400 with `{"error"}` for an unknown or handled item.
//!
//! Each item's `latestDeliveryDate` follows its offer's `deliveryCode` (the promise's longest
//! days: "1-2d" two, "3-5d" five, ...; two without a code) and `expiryDate` is the day after.

pub(crate) mod api;
mod state;

pub use state::{OfferView, ShipmentView};

use crate::{PlatformInfo, Shared};
use axum::Router;
use state::State;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The media type of v10 JSON requests and answers.
pub const MEDIA_JSON: &str = "application/vnd.retailer.v10+json";
/// The media type of v10 CSV exports.
pub const MEDIA_CSV: &str = "application/vnd.retailer.v10+csv";
/// Seconds a token is valid, as bol's login service says.
pub const TOKEN_SECONDS: i64 = 299;

/// The bol.com emulator's state; cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Bol {
    shared: Shared,
    state: Arc<Mutex<State>>,
    client_id: String,
    client_secret: String,
}

impl Bol {
    pub fn new(shared: &Shared) -> Self {
        let client_id = format!(
            "sandbox-bol-{:08x}",
            shared.seed.wrapping_mul(0x9e37_79b9) as u32
        );
        let client_secret = format!(
            "bol-secret-{:016x}",
            shared.seed.wrapping_mul(0x2545_f491_4f6c_dd1d)
        );
        Self {
            shared: shared.clone(),
            state: Arc::new(Mutex::new(State::new(shared.seed))),
            client_id,
            client_secret,
        }
    }

    pub fn router(&self) -> Router {
        api::router(self.clone())
    }

    pub fn info(&self, base_url: &str) -> PlatformInfo {
        PlatformInfo {
            platform: "bol",
            base_url: base_url.to_string(),
            urls: BTreeMap::from([("login", base_url.to_string())]),
            credentials: BTreeMap::from([
                ("client_id", self.client_id.clone()),
                ("client_secret", self.client_secret.clone()),
            ]),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every offer the retailer has, as bol holds it.
    pub fn offers(&self) -> Vec<OfferView> {
        self.lock().offers.values().map(OfferView::from).collect()
    }

    /// Every shipment made so far.
    pub fn shipments(&self) -> Vec<ShipmentView> {
        self.lock().shipments.clone()
    }

    /// Order item ids cancelled so far, with the reason code.
    pub fn cancellations(&self) -> Vec<(String, String)> {
        self.lock().cancellations.clone()
    }

    /// How many tokens were handed out (bol blocks clients that ask too often).
    pub fn tokens_issued(&self) -> u32 {
        self.lock().tokens_issued
    }

    /// Request bodies the API accepted (202/200), with method and route template, so tests can
    /// check them against bol's OpenAPI document.
    pub fn accepted_bodies(&self) -> Vec<(String, String, serde_json::Value)> {
        self.lock().accepted.clone()
    }

    /// Limits every route to `per_minute` calls per minute (default: 1000).
    pub fn set_rate_limit(&self, per_minute: u32) {
        self.lock().rate_limit = per_minute;
    }

    /// Runs like a shop with a past (see the module documentation); the demo turns it on.
    pub fn set_lifelike(&self, on: bool) {
        self.lock().lifelike = on;
    }

    /// Places an order now with these (SKU or EAN, quantity) lines of world products; returns
    /// the bol order id. What the control route `POST /_sandbox/orders` does.
    pub fn place_order(&self, lines: &[(&str, u32)]) -> Result<String, String> {
        api::place_order(self, lines)
    }

    /// The customer asks to cancel order item `item` (the control route
    /// `POST /_sandbox/order-items/{id}/cancellation-request`).
    pub fn request_cancellation(&self, item: &str) -> Result<(), String> {
        api::request_cancellation(self, item)
    }

    /// bol cancels `quantity` open units of order item `item` itself (all when `None`); the
    /// control route `POST /_sandbox/order-items/{id}/cancel`.
    pub fn cancel_item(&self, item: &str, quantity: Option<u32>) -> Result<(), String> {
        api::cancel_item(self, item, quantity)
    }

    /// Calls a process status is PENDING before it ends (default 1).
    pub fn set_pending_polls(&self, polls: u32) {
        self.lock().pending_polls = polls;
    }
}
