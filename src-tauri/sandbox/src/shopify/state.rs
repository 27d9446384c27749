//! The Shopify shop's state: products the connector publishes, inventory per location, and a
//! believable history generated from a seed — orders from Dutch customers spread over months
//! (some still in the future, so they "arrive" as time passes), Shopify Payments balance
//! transactions with fees, and weekly payouts.
//!
//! Ids are plain integers here; the GraphQL layer turns them into GIDs
//! (`gid://shopify/Product/123`). Money is `Decimal`, time UTC.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
pub struct Product {
    pub id: u64,
    pub handle: String,
    pub title: String,
    pub description_html: String,
    pub vendor: String,
    pub product_type: String,
    pub status: String,
    pub tags: Vec<String>,
    /// Option names with their values, in position order.
    pub options: Vec<(String, Vec<String>)>,
    pub variants: Vec<Variant>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub id: u64,
    pub inventory_item_id: u64,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub price: Decimal,
    pub compare_at_price: Option<Decimal>,
    /// (option name, value) per product option.
    pub option_values: Vec<(String, String)>,
    pub inventory_policy: String,
}

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: u64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub street: String,
    pub house_number: String,
    pub zip: String,
    pub city: String,
}

#[derive(Debug, Clone)]
pub struct LineItem {
    pub id: u64,
    pub sku: String,
    pub title: String,
    pub variant_title: String,
    pub quantity: u32,
    pub unit_price: Decimal,
    /// Fulfillment order line item id for this line.
    pub fo_line_id: u64,
    pub fulfilled: u32,
    /// Units taken off the order before they were fulfilled (a refund that cancels them, or an
    /// order edit): `currentQuantity` is `quantity` minus these.
    pub removed: u32,
}

impl LineItem {
    /// Units still to fulfil.
    pub fn open(&self) -> u32 {
        self.quantity.saturating_sub(self.fulfilled + self.removed)
    }
}

#[derive(Debug, Clone)]
pub struct Fulfillment {
    pub id: u64,
    pub created_at: DateTime<Utc>,
    pub company: Option<String>,
    pub number: Option<String>,
    pub url: Option<String>,
    /// (order line item id, quantity).
    pub lines: Vec<(u64, u32)>,
}

/// One unit count of a line taken back by a refund, with how its stock was handled
/// (`RefundLineItem`).
#[derive(Debug, Clone)]
pub struct RefundLine {
    pub id: u64,
    /// The order line item refunded.
    pub line_id: u64,
    pub quantity: u32,
    /// `RefundLineItemRestockType`: `CANCEL` (unfulfilled units taken off and restocked) or
    /// `NO_RESTOCK` (taken off, not restocked); the sandbox makes no `RETURN` refunds.
    pub restock_type: &'static str,
}

/// A refund made on an order (`Refund`), kept so `Order.refunds` can tell it.
#[derive(Debug, Clone)]
pub struct Refund {
    pub id: u64,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<RefundLine>,
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: u64,
    pub number: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub customer: Customer,
    pub lines: Vec<LineItem>,
    pub shipping: Decimal,
    pub fulfillment_order_id: u64,
    pub fulfillments: Vec<Fulfillment>,
    /// Refunds in the order they were made (`Order.refunds` lists them so).
    pub refunds: Vec<Refund>,
}

impl Order {
    pub fn subtotal(&self) -> Decimal {
        self.lines
            .iter()
            .map(|l| l.unit_price * Decimal::from(l.quantity))
            .sum()
    }

    pub fn total(&self) -> Decimal {
        self.subtotal() + self.shipping
    }

    /// Dutch VAT included in the total (9% on coffee and food, as in the demo shop).
    pub fn tax(&self) -> Decimal {
        (self.total() * Decimal::new(9, 0) / Decimal::new(109, 0)).round_dp(2)
    }

    /// `displayFinancialStatus`: every order is paid when placed; a cancel refunds it all, and
    /// refunds of units (`refundCreate`) refund part of it, or all once no unit is left.
    pub fn financial_status(&self) -> &'static str {
        let removed: u32 = self.lines.iter().map(|l| l.removed).sum();
        let ordered: u32 = self.lines.iter().map(|l| l.quantity).sum();
        if self.cancelled_at.is_some() || (ordered > 0 && removed >= ordered) {
            "REFUNDED"
        } else if removed > 0 {
            "PARTIALLY_REFUNDED"
        } else {
            "PAID"
        }
    }

    pub fn fulfillment_status(&self) -> &'static str {
        let ordered: u32 = self.lines.iter().map(|l| l.quantity - l.removed).sum();
        let done: u32 = self.lines.iter().map(|l| l.fulfilled).sum();
        if done == 0 {
            "UNFULFILLED"
        } else if done < ordered {
            "PARTIALLY_FULFILLED"
        } else {
            "FULFILLED"
        }
    }
}

#[derive(Debug, Clone)]
pub struct BalanceTransaction {
    pub id: u64,
    pub kind: &'static str,
    pub amount: Decimal,
    pub fee: Decimal,
    pub order_id: Option<u64>,
    pub payout_id: Option<u64>,
    pub date: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Payout {
    pub id: u64,
    pub issued_at: DateTime<Utc>,
    pub charges_gross: Decimal,
    pub charges_fee: Decimal,
    pub refunds_gross: Decimal,
    pub refunds_fee: Decimal,
}

impl Payout {
    pub fn net(&self) -> Decimal {
        self.charges_gross - self.charges_fee + self.refunds_gross - self.refunds_fee
    }
}

/// A remembered `@idempotent` answer: what was asked (to detect a reused key) and the answer.
#[derive(Debug, Clone)]
pub struct Remembered {
    pub fingerprint: String,
    pub response: Json,
}

#[derive(Debug)]
pub struct ShopState {
    next_id: u64,
    pub location_id: u64,
    pub location_name: String,
    pub shop_name: String,
    pub products: BTreeMap<u64, Product>,
    /// (inventory item id, location id) -> available.
    pub inventory: HashMap<(u64, u64), i64>,
    pub orders: Vec<Order>,
    pub balance: Vec<BalanceTransaction>,
    pub payouts: Vec<Payout>,
    pub idempotency: HashMap<String, Remembered>,
    /// Number of productSet calls that created a product; tests use it to prove no duplicates.
    pub products_created: u64,
}

impl ShopState {
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn product_by_handle(&self, handle: &str) -> Option<u64> {
        self.products
            .values()
            .find(|p| p.handle == handle)
            .map(|p| p.id)
    }

    pub fn variant_by_inventory_item(&self, item: u64) -> Option<(&Product, &Variant)> {
        self.products.values().find_map(|p| {
            p.variants
                .iter()
                .find(|v| v.inventory_item_id == item)
                .map(|v| (p, v))
        })
    }

    /// Builds the shop from the sandbox's shared world: its Shopify purchases become orders
    /// (those placed after "now" are hidden until their time comes), with history settled up
    /// to the world's epoch.
    pub fn generate(world: &crate::world::World) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(world.seed ^ 0x5_40F1);
        let epoch = world.epoch;
        let mut w = ShopState {
            next_id: 1_000_000 + rng.random_range(0..1000) * 1000,
            location_id: 0,
            location_name: "Magazijn Amsterdam".into(),
            shop_name: "Branderij De Gracht".into(),
            products: BTreeMap::new(),
            inventory: HashMap::new(),
            orders: Vec::new(),
            balance: Vec::new(),
            payouts: Vec::new(),
            idempotency: HashMap::new(),
            products_created: 0,
        };
        w.location_id = w.next_id();
        let customers: HashMap<u32, Customer> = world
            .people
            .iter()
            .map(|p| (p.id, customer(p, &mut w)))
            .collect();
        let mut number = 1001;
        for purchase in world.purchases.iter().filter(|p| p.platform == "shopify") {
            let Some(c) = customers.get(&purchase.person) else {
                continue;
            };
            let order = order(
                &mut rng,
                &mut w,
                number,
                purchase,
                &world.products,
                c.clone(),
                epoch,
            );
            number += 1;
            w.orders.push(order);
        }
        w.settle(&mut rng, epoch);
        w
    }

    /// Shopify Payments: a charge per order with a card/iDEAL fee, paid out weekly on Tuesday
    /// for the week before; a refund now and then.
    fn settle(&mut self, rng: &mut ChaCha8Rng, epoch: DateTime<Utc>) {
        let mut txs = Vec::new();
        for o in self.orders.iter().filter(|o| o.created_at <= epoch) {
            let amount = o.total();
            // 1.9% + €0.25 for cards, €0.29 flat for iDEAL (illustrative Shopify Payments rates).
            let fee = if rng.random_bool(0.6) {
                Decimal::new(29, 2)
            } else {
                (amount * Decimal::new(19, 3) + Decimal::new(25, 2)).round_dp(2)
            };
            txs.push((o.id, o.created_at, "CHARGE", amount, fee));
            if rng.random_bool(0.03) {
                txs.push((
                    o.id,
                    o.created_at + Duration::days(3),
                    "REFUND",
                    -amount,
                    Decimal::ZERO,
                ));
            }
        }
        let mut payouts: BTreeMap<DateTime<Utc>, Payout> = BTreeMap::new();
        for (order_id, date, kind, amount, fee) in txs {
            let week_start = date.date_naive()
                - Duration::days(i64::from(date.weekday().num_days_from_monday()));
            let issue = Utc.from_utc_datetime(
                &(week_start + Duration::days(8))
                    .and_hms_opt(6, 0, 0)
                    .unwrap_or_default(),
            );
            let payout_id = if issue <= epoch {
                let id = match payouts.get(&issue) {
                    Some(p) => p.id,
                    None => {
                        let id = self.next_id();
                        payouts.insert(
                            issue,
                            Payout {
                                id,
                                issued_at: issue,
                                charges_gross: Decimal::ZERO,
                                charges_fee: Decimal::ZERO,
                                refunds_gross: Decimal::ZERO,
                                refunds_fee: Decimal::ZERO,
                            },
                        );
                        id
                    }
                };
                if let Some(p) = payouts.get_mut(&issue) {
                    if kind == "CHARGE" {
                        p.charges_gross += amount;
                        p.charges_fee += fee;
                    } else {
                        p.refunds_gross += amount;
                        p.refunds_fee += fee;
                    }
                }
                Some(id)
            } else {
                None
            };
            let id = self.next_id();
            self.balance.push(BalanceTransaction {
                id,
                kind,
                amount,
                fee,
                order_id: Some(order_id),
                payout_id,
                date,
            });
        }
        self.payouts = payouts.into_values().collect();
    }
}

fn customer(p: &crate::world::Person, w: &mut ShopState) -> Customer {
    Customer {
        id: w.next_id(),
        first_name: p.first_name.clone(),
        last_name: p.surname.clone(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        street: p.street.clone(),
        house_number: match &p.house_number_extension {
            Some(ext) => format!("{}{ext}", p.house_number),
            None => p.house_number.clone(),
        },
        zip: p.postcode.clone(),
        city: p.city.clone(),
    }
}

fn order(
    rng: &mut ChaCha8Rng,
    w: &mut ShopState,
    number: u64,
    purchase: &crate::world::Purchase,
    goods: &[crate::world::WorldProduct],
    customer: Customer,
    epoch: DateTime<Utc>,
) -> Order {
    let at = purchase.placed_at;
    let mut lines: Vec<LineItem> = Vec::new();
    for (index, quantity) in &purchase.lines {
        let Some(g) = goods.get(*index) else { continue };
        if let Some(l) = lines.iter_mut().find(|l| l.sku == g.sku) {
            l.quantity += quantity;
            continue;
        }
        lines.push(LineItem {
            id: w.next_id(),
            sku: g.sku.clone(),
            title: g.title.clone(),
            variant_title: "Default Title".into(),
            quantity: *quantity,
            unit_price: g.price,
            fo_line_id: w.next_id(),
            fulfilled: 0,
            removed: 0,
        });
    }
    let id = w.next_id();
    let fulfillment_order_id = w.next_id();
    let mut o = Order {
        id,
        number,
        created_at: at,
        updated_at: at,
        cancelled_at: None,
        cancel_reason: None,
        customer,
        lines,
        shipping: Decimal::ZERO,
        fulfillment_order_id,
        fulfillments: Vec::new(),
        refunds: Vec::new(),
    };
    // Free shipping from €40, else €4.95 with PostNL.
    if o.subtotal() < Decimal::new(40, 0) {
        o.shipping = Decimal::new(495, 2);
    }
    // Orders older than two days before the epoch were shipped a day after they came in.
    if at < epoch - Duration::days(2) {
        let shipped = at + Duration::hours(rng.random_range(16..40));
        let code = format!("3S{}{:09}", "GRAC", rng.random_range(0..999_999_999u32));
        let fid = w.next_id();
        o.fulfillments.push(Fulfillment {
            id: fid,
            created_at: shipped,
            company: Some("PostNL".into()),
            url: Some(format!(
                "https://jouw.postnl.nl/track-and-trace/{code}-NL-{}",
                o.customer.zip.replace(' ', "")
            )),
            number: Some(code),
            lines: o.lines.iter().map(|l| (l.id, l.quantity)).collect(),
        });
        for l in &mut o.lines {
            l.fulfilled = l.quantity;
        }
        o.updated_at = shipped;
    }
    o
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_shop() {
        let epoch = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
        let world = crate::world::World::generate(7, epoch);
        let a = ShopState::generate(&world);
        let b = ShopState::generate(&world);
        assert_eq!(a.orders.len(), b.orders.len());
        assert_eq!(a.orders[5].customer.email, b.orders[5].customer.email);
        assert!(a.orders.len() > 50, "months of orders: {}", a.orders.len());
        assert!(
            a.orders.iter().any(|o| o.created_at > epoch),
            "some orders are still to arrive"
        );
        let fees: Decimal = a.payouts.iter().map(|p| p.charges_fee).sum();
        assert!(fees > Decimal::ZERO, "payouts carry fees");
        for p in &a.payouts {
            let from_tx: Decimal = a
                .balance
                .iter()
                .filter(|t| t.payout_id == Some(p.id))
                .map(|t| t.amount - t.fee)
                .sum();
            assert_eq!(p.net(), from_tx, "a payout is the sum of its transactions");
        }
    }
}
