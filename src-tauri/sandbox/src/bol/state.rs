//! What the bol.com emulator remembers: tokens, offers, process statuses, order item progress,
//! shipments, exports, and the rate-limit windows. Plain data; the HTTP side is in `api.rs`.

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
pub(crate) struct Offer {
    pub id: String,
    pub ean: String,
    pub condition: String,
    pub reference: Option<String>,
    pub on_hold: bool,
    pub title: Option<String>,
    /// (quantity, unit price incl. VAT).
    pub prices: Vec<(u32, Decimal)>,
    pub stock: u32,
    pub managed_by_retailer: bool,
    pub method: String,
    pub delivery_code: Option<String>,
    pub economic_operator_id: Option<String>,
    pub changed: DateTime<Utc>,
}

/// An offer as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferView {
    pub offer_id: String,
    pub ean: String,
    pub reference: Option<String>,
    pub title: Option<String>,
    pub unit_price: Option<Decimal>,
    pub stock: u32,
    pub on_hold: bool,
}

impl From<&Offer> for OfferView {
    fn from(o: &Offer) -> Self {
        OfferView {
            offer_id: o.id.clone(),
            ean: o.ean.clone(),
            reference: o.reference.clone(),
            title: o.title.clone(),
            unit_price: o.prices.iter().find(|(q, _)| *q == 1).map(|(_, p)| *p),
            stock: o.stock,
            on_hold: o.on_hold,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Process {
    pub id: u64,
    pub entity_id: String,
    pub event_type: &'static str,
    pub description: String,
    pub created: DateTime<Utc>,
    /// `Err(message)`: ends in FAILURE.
    pub outcome: Result<(), String>,
    pub polls_left: u32,
}

/// Progress of one order item beyond what the world says.
#[derive(Debug, Clone, Default)]
pub(crate) struct ItemProgress {
    pub shipped: u32,
    pub cancelled: u32,
    pub changed: Option<DateTime<Utc>>,
    /// The customer asked to cancel the item (`cancellationRequest`).
    pub cancel_requested: bool,
}

/// A shipment as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentView {
    pub shipment_id: String,
    pub order_id: String,
    /// (order item id, quantity).
    pub items: Vec<(String, u32)>,
    pub reference: Option<String>,
    pub transporter_code: Option<String>,
    pub track_and_trace: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug)]
pub(crate) struct State {
    pub tokens: HashMap<String, DateTime<Utc>>,
    pub tokens_issued: u32,
    pub offers: BTreeMap<String, Offer>,
    pub processes: BTreeMap<u64, Process>,
    pub items: HashMap<String, ItemProgress>,
    pub shipments: Vec<ShipmentView>,
    pub cancellations: Vec<(String, String)>,
    pub exports: HashMap<String, String>,
    pub accepted: Vec<(String, String, serde_json::Value)>,
    pub rate_limit: u32,
    /// Per route: (window start, calls in the window).
    pub windows: HashMap<String, (tokio::time::Instant, u32)>,
    pub pending_polls: u32,
    pub next_id: u64,
    pub rng: ChaCha8Rng,
    /// Orders placed through the control route ([`super::Bol::place_order`]), beside the
    /// world's own.
    pub placed: Vec<crate::world::Purchase>,
    /// The world runs like a shop with a past (the demo): orders from more than two days
    /// before the world's start were shipped, and bol cancels an item not shipped by the end of
    /// its expiry date. Off by default, so tests see every world order open.
    pub lifelike: bool,
}

impl State {
    pub fn new(seed: u64) -> Self {
        Self {
            tokens: HashMap::new(),
            tokens_issued: 0,
            offers: BTreeMap::new(),
            processes: BTreeMap::new(),
            items: HashMap::new(),
            shipments: Vec::new(),
            cancellations: Vec::new(),
            exports: HashMap::new(),
            accepted: Vec::new(),
            rate_limit: 1000,
            windows: HashMap::new(),
            pending_polls: 1,
            next_id: 1_000_000,
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0xb01),
            placed: Vec::new(),
            lifelike: false,
        }
    }

    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Records a process that is PENDING for a while and then ends with `outcome`.
    pub fn process(
        &mut self,
        event_type: &'static str,
        entity_id: String,
        description: String,
        now: DateTime<Utc>,
        outcome: Result<(), String>,
    ) -> Process {
        let id = self.next_id();
        let p = Process {
            id,
            entity_id,
            event_type,
            description,
            created: now,
            outcome,
            polls_left: self.pending_polls,
        };
        self.processes.insert(id, p.clone());
        p
    }
}
