//! The Shopify connector: the merchant's own webshop through the Admin GraphQL API, pinned at
//! [`API_VERSION`]. Facts it relies on: `shared/channels/API-REFERENCE.md` §1.
//!
//! - Listings are published with `productSet`, which replaces the product's lists: every call
//!   sends the full option and variant set (a variant left out would be deleted). A first publish
//!   is addressed by handle, so a create whose answer was lost updates the product it made
//!   instead of making a second one; later ones by product id, with each known variant's id.
//! - Stock is set with `inventorySetQuantities`, compare-and-set through `changeFromQuantity`
//!   and made safe to repeat with the `@idempotent(key:)` directive (the outbox row's key).
//! - Orders are read by `updated_at` cursor, and the refunds of an order only where its lines
//!   cannot tell whether refunded units are back on the shelf (see `convert::needs_refunds`);
//!   shipping goes through fulfillment orders with `fulfillmentCreate`; actual fees come from
//!   Shopify Payments balance transactions.
//! - Throttling follows Shopify's cost bucket (see [`client`]).
//!
//! Wire shapes stay in this module; only [`crate::model`] types leave it.

mod client;
mod convert;
mod queries;

use crate::channel::{Channel, Page, PageCursor};
use crate::credentials::{Credentials, Secret};
use crate::failure::{Failure, Operation};
use crate::http::{HttpConfig, Safety, Transport};
use crate::model::{
    AttributeSpec, CancelReason, Cancellation, Carrier, ChannelLimits, ConnectionInfo, ExpectedFee,
    ListingDraft, ListingLevel, LiveListing, OrderCursor, OrderPage, Payout, PayoutFee,
    ProductRatings, PublishedListing, Shipment, StockTarget, StockUpdate, Supports,
};
use chrono::NaiveDate;
use client::{user_errors, Client};
use kanaal_core::channels::Account;
use kanaal_core::money::Money;
use rust_decimal::Decimal;
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;
use tokio::sync::OnceCell;

/// The Admin API version the connector speaks (the latest stable one when written).
pub const API_VERSION: &str = "2026-10";
/// The credential field holding the Admin API access token.
pub const ACCESS_TOKEN: &str = "access_token";
/// Extra ids stored per published variant.
pub const INVENTORY_ITEM: &str = "inventory_item_id";
pub const LOCATION: &str = "location_id";

/// Most variants the connector publishes per product: it reads them back in one page of 250.
/// (Shopify itself allows 2048 per product.)
const MAX_VARIANTS: usize = 250;

/// A connection to one Shopify shop.
pub struct ShopifyChannel {
    client: Client,
    location: OnceCell<String>,
}

impl std::fmt::Debug for ShopifyChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShopifyChannel")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl ShopifyChannel {
    /// `http.base_url` is the shop's address (`https://<shop>.myshopify.com`).
    pub fn new(http: HttpConfig, access_token: Secret) -> Result<Self, Failure> {
        Ok(Self {
            client: Client::new(Transport::new(http)?, API_VERSION, access_token),
            location: OnceCell::new(),
        })
    }

    /// From stored credentials (field [`ACCESS_TOKEN`]).
    pub fn from_credentials(http: HttpConfig, credentials: &Credentials) -> Result<Self, Failure> {
        let token =
            credentials
                .get(ACCESS_TOKEN)
                .cloned()
                .ok_or_else(|| Failure::BadCredentials {
                    channel: http.channel.clone(),
                })?;
        Self::new(http, token)
    }

    fn channel(&self) -> String {
        self.client.channel().to_string()
    }

    /// The shop's location Kanaal keeps stock at (the first one).
    async fn location(&self) -> Result<String, Failure> {
        self.location
            .get_or_try_init(|| async {
                let a = self
                    .client
                    .run(
                        "locations",
                        queries::LOCATION,
                        json!({}),
                        Safety::Repeatable,
                        queries::LOCATION_COST,
                    )
                    .await?;
                a.data["locations"]["nodes"][0]["id"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| Failure::Rejected {
                        channel: self.channel(),
                        field: "location".into(),
                        reason: "the shop has no location to keep stock at; add one in Shopify"
                            .into(),
                    })
            })
            .await
            .cloned()
    }

    fn check_draft(&self, draft: &ListingDraft) -> Result<(), Failure> {
        match self.limits().check(draft).into_iter().next() {
            Some(p) => Err(Failure::Rejected {
                channel: self.channel(),
                field: p.field,
                reason: p.message,
            }),
            None => Ok(()),
        }
    }

    async fn product_set(
        &self,
        identifier: Json,
        draft: &ListingDraft,
        known: Option<&PublishedListing>,
    ) -> Result<PublishedListing, Failure> {
        self.check_draft(draft)?;
        let location = self.location().await?;
        let input = convert::product_set_input(draft, known, &location);
        let a = self
            .client
            .run(
                "productSet",
                queries::PRODUCT_SET,
                json!({"identifier": identifier, "input": input}),
                // Full replace by identifier: sending it again sets the same state.
                Safety::Repeatable,
                queries::MUTATION_COST,
            )
            .await?;
        let payload = &a.data["productSet"];
        user_errors(self.client.channel(), payload)?;
        convert::published(&self.channel(), &payload["product"], &location)
    }

    /// Units refunded with restock type `CANCEL` per line item of `order`, read from its
    /// refunds (a refund's further line items page by page).
    async fn cancelled_units(&self, order: &str) -> Result<convert::CancelledUnits, Failure> {
        self.cancelled_units_paged(
            order,
            queries::ORDER_REFUND_LINES,
            queries::REFUND_LINES_PAGE,
        )
        .await
    }

    /// [`Self::cancelled_units`] with `first` line items per refund in the order's query and
    /// `more` per further page.
    async fn cancelled_units_paged(
        &self,
        order: &str,
        first: u64,
        more: u64,
    ) -> Result<convert::CancelledUnits, Failure> {
        let a = self
            .client
            .run(
                "orderRefunds",
                queries::ORDER_REFUNDS,
                json!({"id": order, "lines": first}),
                Safety::Repeatable,
                queries::ORDER_REFUNDS_COST,
            )
            .await?;
        let mut units = convert::CancelledUnits::new();
        for refund in a.data["order"]["refunds"].as_array().into_iter().flatten() {
            let mut conn = refund["refundLineItems"].clone();
            // Bounded: 100 pages of 100 is far beyond any refund.
            for _ in 0..100 {
                convert::add_cancelled(&mut units, &conn);
                let after = conn["pageInfo"]["endCursor"].as_str().map(str::to_string);
                if conn["pageInfo"]["hasNextPage"] != json!(true) || after.is_none() {
                    break;
                }
                let next = self
                    .client
                    .run(
                        "refundLines",
                        queries::REFUND_LINES,
                        json!({"id": refund["id"], "after": after, "lines": more}),
                        Safety::Repeatable,
                        queries::REFUND_LINES_COST,
                    )
                    .await?;
                conn = next.data["refund"]["refundLineItems"].clone();
            }
        }
        Ok(units)
    }

    async fn order_fulfillment(&self, order: &str) -> Result<Json, Failure> {
        let a = self
            .client
            .run(
                "order",
                queries::ORDER_FULFILLMENT,
                json!({"id": order}),
                Safety::Repeatable,
                queries::ORDER_FULFILLMENT_COST,
            )
            .await?;
        let order_json = a.data["order"].clone();
        if order_json.is_null() {
            return Err(Failure::Rejected {
                channel: self.channel(),
                field: "order".into(),
                reason: format!("Shopify has no order {order}"),
            });
        }
        Ok(order_json)
    }
}

fn carrier_name(c: &Carrier) -> String {
    match c {
        Carrier::PostNl => "PostNL".into(),
        Carrier::Dhl => "DHL Parcel".into(),
        Carrier::Dpd => "DPD".into(),
        Carrier::Gls => "GLS".into(),
        Carrier::Ups => "UPS".into(),
        Carrier::Bpost => "Bpost".into(),
        Carrier::Other(name) => name.clone(),
    }
}

fn has_tracking(order: &Json, number: &str) -> bool {
    order["fulfillments"].as_array().is_some_and(|fs| {
        fs.iter().any(|f| {
            f["trackingInfo"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t["number"].as_str() == Some(number)))
        })
    })
}

/// What Shopify accepts (the same for every account, so known without a login).
pub fn limits() -> ChannelLimits {
    ChannelLimits {
        listing_level: ListingLevel::Product,
        max_options: Some(3),
        max_variants: Some(MAX_VARIANTS),
        max_title_chars: 255,
        max_reference_chars: None,
        min_price: Some(Decimal::ZERO),
        max_price: None,
        max_stock: Some(1_000_000_000),
        required_fields: Vec::new(),
        attributes: vec![
            AttributeSpec {
                name: "product_type",
                required: false,
                allowed: Vec::new(),
            },
            AttributeSpec {
                name: "status",
                required: false,
                allowed: vec!["ACTIVE", "DRAFT"],
            },
        ],
        supports: Supports {
            expected_fees: false,
            payouts: true,
            ratings: false,
            reviews: false,
            categories: false,
        },
    }
}

#[async_trait::async_trait]
impl Channel for ShopifyChannel {
    fn kind(&self) -> &'static str {
        "shopify"
    }

    fn limits(&self) -> ChannelLimits {
        limits()
    }

    async fn check_connection(&self) -> Result<ConnectionInfo, Failure> {
        let a = self
            .client
            .run(
                "shop",
                queries::SHOP,
                json!({}),
                Safety::Repeatable,
                queries::SHOP_COST,
            )
            .await?;
        let shop = &a.data["shop"];
        Ok(ConnectionInfo {
            account: Account::ShopifyShop {
                name: shop["name"].as_str().unwrap_or("?").to_string(),
                domain: shop["myshopifyDomain"].as_str().unwrap_or("?").to_string(),
            },
        })
    }

    async fn create_listing(&self, draft: &ListingDraft) -> Result<PublishedListing, Failure> {
        self.product_set(json!({"handle": draft.handle}), draft, None)
            .await
    }

    async fn update_listing(
        &self,
        listing: &PublishedListing,
        draft: &ListingDraft,
    ) -> Result<PublishedListing, Failure> {
        self.product_set(json!({"id": listing.remote_id}), draft, Some(listing))
            .await
    }

    async fn unpublish_listing(&self, listing: &PublishedListing) -> Result<(), Failure> {
        let a = self
            .client
            .run(
                "productUpdate",
                queries::UNPUBLISH,
                json!({"product": {"id": listing.remote_id, "status": "DRAFT"}}),
                Safety::Repeatable,
                queries::MUTATION_COST,
            )
            .await?;
        let payload = &a.data["productUpdate"];
        if payload["product"].is_null()
            && payload["userErrors"]
                .as_array()
                .is_some_and(|e| !e.is_empty())
        {
            // Already gone from the shop: nothing left to take off.
            return Ok(());
        }
        user_errors(&self.channel(), payload)
    }

    async fn set_stock(&self, target: &StockTarget, update: &StockUpdate) -> Result<(), Failure> {
        let item = target
            .variant
            .extra
            .get(INVENTORY_ITEM)
            .cloned()
            .ok_or_else(|| Failure::Rejected {
                channel: self.channel(),
                field: "stock".into(),
                reason: format!(
                    "variant {} was published without its inventory item; publish it again",
                    target.variant.sku
                ),
            })?;
        let location = match target.variant.extra.get(LOCATION) {
            Some(l) => l.clone(),
            None => self.location().await?,
        };
        let input = json!({
            "name": "available",
            "reason": "correction",
            "referenceDocumentUri": format!("gid://kanaal/StockUpdate/{}", update.idempotency_key),
            "quantities": [{
                "inventoryItemId": item,
                "locationId": location,
                "quantity": update.quantity,
                // Explicit null opts out of compare-and-set; the field itself is required.
                "changeFromQuantity": update.expected_current,
            }],
        });
        let a = self
            .client
            .run(
                "inventorySetQuantities",
                queries::SET_QUANTITIES,
                json!({"input": input, "key": update.idempotency_key}),
                // The idempotency key makes a repeat return the first result.
                Safety::Repeatable,
                queries::MUTATION_COST,
            )
            .await?;
        let payload = &a.data["inventorySetQuantities"];
        user_errors(&self.channel(), payload).map_err(|f| match f {
            Failure::Rejected { channel, reason, .. } if reason.contains("CHANGE_FROM_QUANTITY_STALE") => {
                Failure::Rejected {
                    channel,
                    field: "stock".into(),
                    reason: format!(
                        "the stock in Shopify is no longer {} as Kanaal expected; someone changed it in Shopify ({reason})",
                        update.expected_current.map(|q| q.to_string()).unwrap_or_default()
                    ),
                }
            }
            other => other,
        })
    }

    async fn orders_since(&self, cursor: Option<&OrderCursor>) -> Result<OrderPage, Failure> {
        let position = cursor
            .map(|c| convert::OrderPosition::decode(&c.0))
            .unwrap_or_default();
        let q = position
            .since
            .as_ref()
            .map(|s| format!("updated_at:>='{s}'"));
        let a = self
            .client
            .run(
                "orders",
                queries::ORDERS,
                json!({"after": position.after, "q": q}),
                Safety::Repeatable,
                queries::ORDERS_COST,
            )
            .await?;
        let conn = &a.data["orders"];
        let mut cancelled = BTreeMap::new();
        for o in conn["nodes"].as_array().into_iter().flatten() {
            if convert::needs_refunds(o) {
                if let Some(id) = o["id"].as_str() {
                    cancelled.insert(id.to_string(), self.cancelled_units(id).await?);
                }
            }
        }
        convert::order_page(&self.channel(), conn, &position, &cancelled)
    }

    async fn mark_shipped(&self, shipment: &Shipment) -> Result<(), Failure> {
        let order = self.order_fulfillment(&shipment.order_remote_id).await?;
        if has_tracking(&order, &shipment.tracking) {
            // Shipped already (an earlier attempt went through although its answer was lost).
            return Ok(());
        }
        let groups = convert::fulfillment_groups(&self.channel(), &order, &shipment.lines)?;
        let fulfillment = json!({
            "notifyCustomer": true,
            "trackingInfo": {"company": carrier_name(&shipment.carrier), "number": shipment.tracking},
            "lineItemsByFulfillmentOrder": groups,
        });
        let sent = self
            .client
            .run(
                "fulfillmentCreate",
                queries::FULFILLMENT_CREATE,
                json!({"fulfillment": fulfillment}),
                Safety::Once,
                queries::MUTATION_COST,
            )
            .await;
        match sent {
            Ok(a) => user_errors(&self.channel(), &a.data["fulfillmentCreate"]),
            Err(e) if e.maybe_applied => {
                // Unknown whether it went through: look before anyone sends it again.
                match self.order_fulfillment(&shipment.order_remote_id).await {
                    Ok(o) if has_tracking(&o, &shipment.tracking) => Ok(()),
                    _ => Err(e.failure),
                }
            }
            Err(e) => Err(e.failure),
        }
    }

    async fn cancel_order(&self, cancellation: &Cancellation) -> Result<(), Failure> {
        if !cancellation.lines.is_empty() {
            return Err(Failure::Unsupported {
                channel: self.channel(),
                operation: Operation::CancelOrderLines,
            });
        }
        let reason = match cancellation.reason {
            CancelReason::OutOfStock => "INVENTORY",
            CancelReason::RequestedByCustomer => "CUSTOMER",
            CancelReason::PaymentDeclined => "DECLINED",
            CancelReason::Fraud => "FRAUD",
            CancelReason::Staff => "STAFF",
            // Shopify's list has no finer code for the rest.
            _ => "OTHER",
        };
        let sent = self
            .client
            .run(
                "orderCancel",
                queries::ORDER_CANCEL,
                json!({"orderId": cancellation.order_remote_id, "reason": reason}),
                Safety::Once,
                queries::MUTATION_COST,
            )
            .await;
        let cancelled = |o: &Json| !o["cancelledAt"].is_null();
        match sent {
            Ok(a) => match user_errors(&self.channel(), &a.data["orderCancel"]) {
                Ok(()) => Ok(()),
                Err(f) => match self.order_fulfillment(&cancellation.order_remote_id).await {
                    Ok(o) if cancelled(&o) => Ok(()),
                    _ => Err(f),
                },
            },
            Err(e) if e.maybe_applied => {
                match self.order_fulfillment(&cancellation.order_remote_id).await {
                    Ok(o) if cancelled(&o) => Ok(()),
                    _ => Err(e.failure),
                }
            }
            Err(e) => Err(e.failure),
        }
    }

    async fn live_listings(&self, page: Option<&PageCursor>) -> Result<Page<LiveListing>, Failure> {
        let a = self
            .client
            .run(
                "products",
                queries::PRODUCTS,
                json!({"after": page.map(|p| p.0.clone())}),
                Safety::Repeatable,
                queries::PRODUCTS_COST,
            )
            .await?;
        convert::live_page(&self.channel(), &a.data["products"])
    }

    async fn expected_fee(&self, _gtin: &str, _price: Money) -> Result<ExpectedFee, Failure> {
        Err(Failure::Unsupported {
            channel: self.channel(),
            operation: Operation::ExpectedFees,
        })
    }

    async fn payouts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Payout>, Failure> {
        let q = format!(
            "processed_at:>={from} processed_at:<{}",
            to.succ_opt().unwrap_or(to)
        );
        let mut after: Option<String> = None;
        let mut nodes = Vec::new();
        for _ in 0..100 {
            let a = self
                .client
                .run(
                    "balanceTransactions",
                    queries::BALANCE,
                    json!({"after": after, "q": q}),
                    Safety::Repeatable,
                    queries::BALANCE_COST,
                )
                .await?;
            let conn = &a.data["shopifyPaymentsAccount"]["balanceTransactions"];
            nodes.extend(conn["nodes"].as_array().cloned().unwrap_or_default());
            after = conn["pageInfo"]["endCursor"].as_str().map(str::to_string);
            if conn["pageInfo"]["hasNextPage"] != json!(true) {
                break;
            }
        }
        convert::payouts(&self.channel(), &nodes)
    }

    async fn payout_fees(&self, payout: &Payout) -> Result<Vec<PayoutFee>, Failure> {
        // Shopify's search takes the payout's numeric id.
        let id = payout
            .remote_id
            .rsplit('/')
            .next()
            .unwrap_or(&payout.remote_id);
        let q = format!("payout_id:{id}");
        let mut after: Option<String> = None;
        let mut fees = Vec::new();
        for _ in 0..100 {
            let a = self
                .client
                .run(
                    "payoutFees",
                    queries::PAYOUT_FEES,
                    json!({"after": after, "q": q}),
                    Safety::Repeatable,
                    queries::PAYOUT_FEES_COST,
                )
                .await?;
            let conn = &a.data["shopifyPaymentsAccount"]["balanceTransactions"];
            for t in conn["nodes"].as_array().into_iter().flatten() {
                let amount = convert::fee(&self.channel(), &t["fee"])?;
                if amount.amount.is_zero() {
                    continue;
                }
                fees.push(PayoutFee {
                    order_remote_id: t["associatedOrder"]["id"].as_str().map(str::to_string),
                    line_remote_id: None,
                    kind: t["type"].as_str().unwrap_or("FEE").to_string(),
                    amount,
                });
            }
            after = conn["pageInfo"]["endCursor"].as_str().map(str::to_string);
            if conn["pageInfo"]["hasNextPage"] != json!(true) {
                break;
            }
        }
        Ok(fees)
    }

    async fn ratings(&self, _gtin: &str) -> Result<ProductRatings, Failure> {
        Err(Failure::Unsupported {
            channel: self.channel(),
            operation: Operation::ProductRatings,
        })
    }
}

/// Variant ids by SKU from a published listing, for sending stable ids on update.
fn known_variants(known: Option<&PublishedListing>) -> BTreeMap<String, String> {
    known
        .map(|l| {
            l.variants
                .iter()
                .map(|v| (v.sku.clone(), v.remote_id.clone()))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    //! Paging of a refund's line items, against the Shopify sandbox on loopback: sandbox
    //! orders are too small for a refund to pass the real page sizes, so the test reads them
    //! one line item a page.
    use super::*;
    use kanaal_sandbox::clock::SandboxClock;
    use kanaal_sandbox::shopify::{Shopify, ShopifyConfig};
    use kanaal_sandbox::world::World;
    use kanaal_sandbox::Shared;
    use std::sync::Arc;

    #[tokio::test]
    async fn cancel_units_are_read_from_every_page_of_a_refund() {
        let epoch = SandboxClock::default_epoch();
        let shared = Shared {
            seed: 9,
            world: Arc::new(World::generate(9, epoch)),
            clock: Arc::new(SandboxClock::new(epoch, 0.0)),
        };
        // A fortnight of orders arrives, not shipped yet.
        shared
            .clock
            .advance(std::time::Duration::from_secs(14 * 86_400));
        let shop = Shopify::with_config(&shared, ShopifyConfig::new(9));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let router = shop.router();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let c = ShopifyChannel::new(
            HttpConfig::new("Shopify", &url),
            Secret::new(&shop.config().access_token),
        )
        .unwrap();
        let a = c
            .client
            .run(
                "orders",
                "{ orders(first: 30, query: \"fulfillment_status:unfulfilled\") { nodes { id lineItems(first: 5) { nodes { id } } } } }",
                json!({}),
                Safety::Repeatable,
                100,
            )
            .await
            .unwrap();
        let order = a.data["orders"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["lineItems"]["nodes"].as_array().unwrap().len() >= 2)
            .unwrap()
            .clone();
        let line = |i: usize| order["lineItems"]["nodes"][i]["id"].clone();
        let refund = |items: Json| {
            let c = &c;
            let order = order["id"].clone();
            async move {
                let a = c
                    .client
                    .run(
                        "refundCreate",
                        "mutation($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { message } } }",
                        json!({"input": {"orderId": order, "refundLineItems": items}}),
                        Safety::Once,
                        queries::MUTATION_COST,
                    )
                    .await
                    .unwrap();
                assert_eq!(
                    a.data["refundCreate"]["userErrors"],
                    json!([]),
                    "{:?}",
                    a.data
                );
            }
        };
        // One refund of two line items: NO_RESTOCK first, then CANCEL (on the second page).
        refund(json!([
            {"lineItemId": line(0), "quantity": 1, "restockType": "NO_RESTOCK"},
            {"lineItemId": line(1), "quantity": 1, "restockType": "CANCEL"},
        ]))
        .await;
        let id = order["id"].as_str().unwrap();
        let one_a_page = c.cancelled_units_paged(id, 1, 1).await.unwrap();
        let line_id = |i: usize| line(i).as_str().unwrap().to_string();
        assert_eq!(
            one_a_page,
            BTreeMap::from([(line_id(1), 1)]),
            "the CANCEL on the refund's second page is counted, the NO_RESTOCK is not"
        );
        assert_eq!(one_a_page, c.cancelled_units(id).await.unwrap());
    }
}
