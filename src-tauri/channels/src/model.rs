//! Domain types that cross the [`crate::Channel`] trait: what the sync engine hands a connector
//! and what a connector hands back. They speak Kanaal's words (listing, variant, order, fee),
//! never a platform's: a connector converts its private wire types to and from these.
//!
//! Money is [`Money`] (exact decimals), time is UTC `DateTime`. Remote ids are opaque strings:
//! only the connector that produced one knows what it means.

use chrono::{DateTime, NaiveDate, Utc};
use kanaal_core::money::Money;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What the merchant wants live on a channel: one product with its variants.
///
/// A channel that lists per variant (bol.com: one offer per EAN) gets a draft with exactly one
/// variant per listing; see [`ChannelLimits::listing_level`].
#[derive(Debug, Clone, PartialEq)]
pub struct ListingDraft {
    /// The catalog's stable handle for the product; also used as the channel-side reference
    /// where the platform has one, so a listing can be found again after a lost response.
    pub handle: String,
    pub title: String,
    pub description: String,
    pub brand: String,
    /// Option names in order (Gewicht, Maling); each variant has a value per option.
    pub options: Vec<String>,
    pub variants: Vec<VariantDraft>,
    /// Channel-specific settings for this listing (category id, delivery promise, ...), by the
    /// names the connector documents. Unknown keys are ignored.
    pub attributes: BTreeMap<String, String>,
}

/// One sellable variant of a [`ListingDraft`].
#[derive(Debug, Clone, PartialEq)]
pub struct VariantDraft {
    pub sku: String,
    /// GTIN/EAN; required by channels that list by EAN.
    pub gtin: Option<String>,
    /// One value per [`ListingDraft::options`] entry.
    pub option_values: Vec<String>,
    /// Selling price including VAT.
    pub price: Money,
    pub compare_at_price: Option<Money>,
    /// Quantity to offer on this channel (after the channel's stock buffer).
    pub stock: u32,
    pub weight_grams: Option<u32>,
}

/// Where a listing lives on a channel, as returned by a publish and stored in `listings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedListing {
    /// The channel's id for the listing (bol.com: the offer id; Shopify: the product GID).
    pub remote_id: String,
    /// The channel's id for each variant, by SKU (for stock updates).
    pub variants: Vec<PublishedVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedVariant {
    pub sku: String,
    pub remote_id: String,
    /// Extra ids the connector needs later (Shopify: inventory item id), by name.
    pub extra: BTreeMap<String, String>,
}

/// Identifies one variant on a channel for a stock update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockTarget {
    pub listing_remote_id: String,
    pub variant: PublishedVariant,
}

/// A stock update: set the available quantity to `quantity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockUpdate {
    pub quantity: u32,
    /// The quantity Kanaal believes is on the channel now; a channel with compare-and-set
    /// (Shopify `changeFromQuantity`) refuses the update when it differs.
    pub expected_current: Option<u32>,
    /// Stable per outbox row, so a repeated send is applied once where the platform supports it.
    pub idempotency_key: String,
}

/// What a channel shows as live now, for drift checks against the mirror.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveListing {
    pub remote_id: String,
    pub sku: Option<String>,
    pub gtin: Option<String>,
    pub title: Option<String>,
    /// The description as the channel shows it, where it reports one (Shopify's
    /// `descriptionHtml`; bol.com's offers carry none).
    pub description: Option<String>,
    /// The brand, where the channel reports one (Shopify's vendor).
    pub brand: Option<String>,
    pub price: Option<Money>,
    /// The "was" price, where the channel has one (Shopify); `None` also when it is empty.
    pub compare_at_price: Option<Money>,
    pub stock: Option<u32>,
    /// False when the channel holds the listing back (on hold, not for sale).
    pub for_sale: bool,
    /// bol.com's delivery promise of the offer (`fulfilmentDeliveryCode` in the offer export);
    /// `None` where the channel has no such field.
    pub delivery_code: Option<String>,
    /// The channel's own record, unknown fields kept, for the listing mirror.
    pub raw: serde_json::Value,
}

/// A position in a channel's order stream. Opaque outside the connector that made it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderCursor(pub String);

/// One page of orders changed since a cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderPage {
    pub orders: Vec<ChannelOrder>,
    /// Pass back to get the next page; `None` when this was the last page for now.
    pub next: Option<OrderCursor>,
    /// Where to start next time once all pages are read.
    pub resume_from: OrderCursor,
}

/// An order as the channel reports it, in Kanaal's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelOrder {
    pub remote_id: String,
    pub placed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub status: OrderStatus,
    pub customer: Customer,
    pub lines: Vec<OrderLine>,
    pub total: Money,
    /// Fees the channel states on the order (bol.com commission), when it does.
    pub fees: Option<Money>,
    /// The moment the platform cancels the order when it has not been shipped by then
    /// (bol.com: the earliest `fulfilment.expiryDate` of its open items); `None` when the
    /// channel enforces no deadline (Shopify).
    pub ship_by: Option<DateTime<Utc>>,
    /// The channel's own record, kept as received.
    pub raw: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    Open,
    PartlyShipped,
    Shipped,
    Cancelled,
    /// Not cancelled, but nothing is left to send: every unit was refunded (Shopify: every
    /// line's `currentQuantity` is 0 after `refundCreate`, or the order is `REFUNDED` with no
    /// unfulfilled unit left). The lines report their units cancelled, so the stock they took
    /// goes back per line.
    Refunded,
}

/// Customer fields as far as the channel shares them. Marketplaces mask: bol.com gives a relay
/// e-mail and no phone, so every field is optional and `masked` says the e-mail is a relay.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Customer {
    pub name: Option<String>,
    pub email: Option<String>,
    pub email_is_relay: bool,
    pub phone: Option<String>,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderLine {
    pub remote_id: String,
    pub sku: Option<String>,
    pub gtin: Option<String>,
    pub title: String,
    pub quantity: u32,
    pub quantity_shipped: u32,
    pub quantity_cancelled: u32,
    pub unit_price: Money,
    /// The channel's fee for this line (all quantities), when it states one.
    pub fee: Option<Money>,
    /// The customer asked the channel to cancel this line (bol.com `cancellationRequest`);
    /// the merchant answers by cancelling it with the reason "requested by customer".
    pub cancellation_requested: bool,
    /// The moment the platform cancels this line when it has not been shipped by then (bol.com:
    /// its `fulfilment.expiryDate`); `None` when the line is no longer open or the channel
    /// sets no deadline.
    pub ship_by: Option<DateTime<Utc>>,
}

/// Carriers the merchant ships with. Each connector maps them to the platform's codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carrier {
    PostNl,
    Dhl,
    Dpd,
    Gls,
    Ups,
    Bpost,
    Other(String),
}

/// Marking order lines shipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment {
    pub order_remote_id: String,
    /// Lines and quantities shipped; an empty list means the whole order.
    pub lines: Vec<(String, u32)>,
    pub carrier: Carrier,
    pub tracking: String,
    /// Kanaal's own reference (unique per shipment), used to recognise a shipment that was
    /// made although the response was lost.
    pub reference: String,
}

/// Why the merchant cancels; the union of the platforms' own lists, which lives in kanaal-core
/// so the inbox can offer each channel's reasons. Each connector maps it to its platform's code.
pub use kanaal_core::orders::cancel::CancelReason;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub order_remote_id: String,
    /// Order line remote ids to cancel; empty means every open line.
    pub lines: Vec<String>,
    pub reason: CancelReason,
}

/// The channel's expected fee for selling one item at a price.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedFee {
    pub gtin: Option<String>,
    pub price: Money,
    pub fixed: Money,
    pub percentage: Decimal,
    pub total: Money,
    /// Reduction the platform grants (bol.com price-point discount), if any.
    pub reduction: Option<Money>,
}

/// Money the channel paid out or charged over a period (settlement data wins over models).
#[derive(Debug, Clone, PartialEq)]
pub struct Payout {
    pub remote_id: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// What the channel sold for the merchant in the period.
    pub gross: Money,
    /// What the channel kept (commission and other fees), a positive amount.
    pub fees: Money,
    pub net: Money,
}

/// One fee a payout settled, tied to the order (and line) it was charged on where the channel
/// says so: the actual fee that wins over the modelled one.
#[derive(Debug, Clone, PartialEq)]
pub struct PayoutFee {
    pub order_remote_id: Option<String>,
    pub line_remote_id: Option<String>,
    /// The channel's name for the fee ("COMMISSION", "SHIPMENT_LABEL", ...).
    pub kind: String,
    /// What the channel kept, VAT included; a refund of a fee is negative.
    pub amount: Money,
}

/// Star ratings the channel holds for a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRatings {
    pub gtin: Option<String>,
    pub remote_id: Option<String>,
    /// (stars 1..=5, count).
    pub counts: Vec<(u8, u32)>,
}

/// A review text, where a channel gives them (bol.com does not).
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub remote_id: String,
    pub rating: Option<u8>,
    pub title: Option<String>,
    pub body: String,
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Whether a channel lists a product with its variants or each variant on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingLevel {
    Product,
    Variant,
}

/// What a channel accepts, so a listing can be checked before it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelLimits {
    pub listing_level: ListingLevel,
    /// Most option names per product (Shopify: 3); `None` when options do not apply.
    pub max_options: Option<usize>,
    pub max_variants: Option<usize>,
    pub max_title_chars: usize,
    pub max_reference_chars: Option<usize>,
    pub min_price: Option<Decimal>,
    pub max_price: Option<Decimal>,
    pub max_stock: Option<u32>,
    /// Fields a listing must have on this channel ("gtin", ...), by Kanaal's names.
    pub required_fields: Vec<&'static str>,
    /// Settings accepted in [`ListingDraft::attributes`], with allowed values when closed.
    pub attributes: Vec<AttributeSpec>,
    /// Which optional operations the channel offers.
    pub supports: Supports,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttributeSpec {
    pub name: &'static str,
    pub required: bool,
    pub allowed: Vec<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Supports {
    pub expected_fees: bool,
    pub payouts: bool,
    pub ratings: bool,
    pub reviews: bool,
    pub categories: bool,
}

/// A node of a channel's category tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCategory {
    pub remote_id: String,
    pub path: String,
}

/// What a successful connection test learned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// Who Kanaal is connected as.
    pub account: kanaal_core::channels::Account,
}

/// A listing problem found before sending: a field and what is wrong, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingProblem {
    pub field: String,
    pub message: String,
}

impl ChannelLimits {
    /// Checks a draft against these limits without asking the channel.
    pub fn check(&self, draft: &ListingDraft) -> Vec<ListingProblem> {
        let mut out = Vec::new();
        let mut problem = |field: &str, message: String| {
            out.push(ListingProblem {
                field: field.to_string(),
                message,
            })
        };
        let title_chars = draft.title.chars().count();
        if title_chars == 0 {
            problem("title", "the title is empty".into());
        } else if title_chars > self.max_title_chars {
            problem(
                "title",
                format!(
                    "the title has {title_chars} characters; this channel allows {}",
                    self.max_title_chars
                ),
            );
        }
        if let Some(max) = self.max_options {
            if draft.options.len() > max {
                problem(
                    "options",
                    format!(
                        "the product has {} options; this channel allows {max}",
                        draft.options.len()
                    ),
                );
            }
        }
        if let Some(max) = self.max_variants {
            if draft.variants.len() > max {
                problem(
                    "variants",
                    format!(
                        "the product has {} variants; this channel allows {max}",
                        draft.variants.len()
                    ),
                );
            }
        }
        if self.listing_level == ListingLevel::Variant && draft.variants.len() != 1 {
            problem(
                "variants",
                "this channel lists each variant on its own: send one variant per listing".into(),
            );
        }
        for v in &draft.variants {
            if self.required_fields.contains(&"gtin") && v.gtin.as_deref().is_none_or(str::is_empty)
            {
                problem(
                    "gtin",
                    format!("variant {} has no EAN/GTIN; this channel needs one", v.sku),
                );
            }
            if let Some(min) = self.min_price {
                if v.price.amount < min {
                    problem(
                        "price",
                        format!(
                            "{} costs {}; the lowest price allowed is {min}",
                            v.sku, v.price.amount
                        ),
                    );
                }
            }
            if let Some(max) = self.max_price {
                if v.price.amount > max {
                    problem(
                        "price",
                        format!(
                            "{} costs {}; the highest price allowed is {max}",
                            v.sku, v.price.amount
                        ),
                    );
                }
            }
            if let Some(max) = self.max_stock {
                if v.stock > max {
                    problem(
                        "stock",
                        format!(
                            "{} offers {} items; this channel takes at most {max}",
                            v.sku, v.stock
                        ),
                    );
                }
            }
            if v.option_values.len() != draft.options.len() {
                problem(
                    "options",
                    format!(
                        "variant {} has a value for {} of {} options",
                        v.sku,
                        v.option_values.len(),
                        draft.options.len()
                    ),
                );
            }
        }
        for spec in &self.attributes {
            match draft.attributes.get(spec.name) {
                None if spec.required => problem(
                    spec.name,
                    format!("{} is required on this channel", spec.name),
                ),
                Some(v) if !spec.allowed.is_empty() && !spec.allowed.contains(&v.as_str()) => {
                    problem(
                        spec.name,
                        format!(
                            "'{v}' is not allowed; choose one of {}",
                            spec.allowed.join(", ")
                        ),
                    )
                }
                _ => {}
            }
        }
        out
    }
}
