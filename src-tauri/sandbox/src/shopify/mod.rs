//! The Shopify Admin GraphQL API, emulated: `POST /admin/api/<version>/graphql.json` with
//! `X-Shopify-Access-Token`, written from shopify.dev (see `shared/channels/API-REFERENCE.md` §1).
//!
//! What it holds to: the 401 body Shopify sends for a bad token; `X-Shopify-API-Version` naming
//! the version that answered (an unknown version is served by the oldest supported one); a real
//! GraphQL parser, so malformed documents fail; input types checked field by field; business
//! rules as `userErrors` with field paths; money as decimal strings, times as ISO-8601, GIDs;
//! cursor pagination; and the cost-based rate limit — a calculated query cost, a real-time leaky
//! bucket ([`bucket`]), `extensions.cost` on every answer and `THROTTLED` when the bucket is
//! short. Cost rules: scalars 0, objects 1, connections 2 + page size × node cost, a plain list
//! sized by `first` (`Order.refunds`) that size × element cost, a mutation's root field a flat
//! 10; no single query above 1000.
//!
//! It must not import kanaal-channels: it exists to catch the connector misreading the API.

pub mod bucket;
mod catalog;
pub mod graphql;
mod orders;
mod state;
mod wire;

use crate::clock::SandboxClock;
use crate::{PlatformInfo, Shared};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json as AxumJson, Router};
use bucket::{Bucket, BucketConfig, ThrottleStatus};
use chrono::{DateTime, Utc};
use graphql::{Field, GraphqlError};
use serde_json::{json, Map, Value as Json};
use state::ShopState;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The version the sandbox answers by default: the latest stable one.
pub const API_VERSION: &str = "2026-10";
/// Versions served; older requests get the oldest of these, as Shopify does.
pub const SUPPORTED_VERSIONS: [&str; 4] = ["2026-01", "2026-04", "2026-07", "2026-10"];
/// The most a single query may cost, whatever the bucket holds.
pub const MAX_QUERY_COST: u64 = 1000;
/// Re-exported for callers that want to know the product limits the sandbox enforces.
pub use catalog::{MAX_OPTIONS, MAX_VARIANTS};

/// How the emulated shop is set up beyond the shared world.
#[derive(Debug, Clone)]
pub struct ShopifyConfig {
    /// The Admin API access token the shop accepts.
    pub access_token: String,
    pub bucket: BucketConfig,
    /// Whether the app was granted protected customer data (name, e-mail, phone, address).
    /// Merchant-owned apps are, without review.
    pub protected_customer_data: bool,
}

impl ShopifyConfig {
    pub fn new(seed: u64) -> Self {
        Self {
            access_token: format!("shpat_sandbox_{seed:016x}"),
            bucket: BucketConfig::default(),
            protected_customer_data: true,
        }
    }
}

struct Inner {
    config: ShopifyConfig,
    bucket: Bucket,
    clock: Arc<SandboxClock>,
    world: Mutex<ShopState>,
    /// Answers that were THROTTLED (the bucket could not pay the requested cost).
    throttled: std::sync::atomic::AtomicU64,
}

/// A running emulated shop; clone it to keep a handle for inspecting its state in tests.
#[derive(Clone)]
pub struct Shopify {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Shopify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shopify").finish_non_exhaustive()
    }
}

/// What tests may look at in the shop (never used by the API itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSummary {
    pub gid: String,
    pub handle: String,
    pub title: String,
    pub status: String,
    /// (sku, available quantity) per variant.
    pub variants: Vec<(Option<String>, i64)>,
}

impl Shopify {
    /// The shop for the sandbox's shared world, with default settings.
    pub fn new(shared: &Shared) -> Self {
        Self::with_config(shared, ShopifyConfig::new(shared.seed))
    }

    pub fn with_config(shared: &Shared, config: ShopifyConfig) -> Self {
        let world = ShopState::generate(&shared.world);
        Self {
            inner: Arc::new(Inner {
                bucket: Bucket::new(config.bucket),
                clock: shared.clock.clone(),
                world: Mutex::new(world),
                config,
                throttled: std::sync::atomic::AtomicU64::new(0),
            }),
        }
    }

    pub fn config(&self) -> &ShopifyConfig {
        &self.inner.config
    }

    /// Where to reach the shop and the token it accepts.
    pub fn info(&self, base_url: &str) -> PlatformInfo {
        PlatformInfo {
            platform: "shopify",
            base_url: base_url.to_string(),
            urls: BTreeMap::from([(
                "graphql",
                format!("{base_url}/admin/api/{API_VERSION}/graphql.json"),
            )]),
            credentials: BTreeMap::from([("access_token", self.inner.config.access_token.clone())]),
        }
    }

    /// The shop's current time (the sandbox clock).
    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    fn world(&self) -> std::sync::MutexGuard<'_, ShopState> {
        self.inner.world.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The products as they are now, in creation order.
    pub fn products(&self) -> Vec<ProductSummary> {
        let w = self.world();
        w.products
            .values()
            .map(|p| ProductSummary {
                gid: wire::gid("Product", p.id),
                handle: p.handle.clone(),
                title: p.title.clone(),
                status: p.status.clone(),
                variants: p
                    .variants
                    .iter()
                    .map(|v| {
                        let q = w
                            .inventory
                            .get(&(v.inventory_item_id, w.location_id))
                            .copied()
                            .unwrap_or(0);
                        (v.sku.clone(), q)
                    })
                    .collect(),
            })
            .collect()
    }

    /// How many times a productSet created a new product (a duplicate would show here).
    pub fn products_created(&self) -> u64 {
        self.world().products_created
    }

    /// How many answers were THROTTLED so far (a client that models the bucket right gets none).
    pub fn throttled_answers(&self) -> u64 {
        self.inner
            .throttled
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Query-cost points paid so far (requested, minus what was given back after execution).
    pub fn points_spent(&self) -> u64 {
        self.inner.bucket.spent()
    }

    /// The shop's one location, as a GID.
    pub fn location_gid(&self) -> String {
        wire::gid("Location", self.world().location_id)
    }

    /// Sets a variant's available stock behind the API's back, as a merchant editing in the
    /// Shopify admin would (to test compare-and-set and drift).
    pub fn set_stock_in_admin(&self, sku: &str, quantity: i64) -> bool {
        let mut w = self.world();
        let loc = w.location_id;
        let item = w
            .products
            .values()
            .flat_map(|p| p.variants.iter())
            .find(|v| v.sku.as_deref() == Some(sku))
            .map(|v| v.inventory_item_id);
        match item {
            Some(item) => {
                w.inventory.insert((item, loc), quantity);
                true
            }
            None => false,
        }
    }

    /// Refunds `quantity` unfulfilled units of the line with `sku` on order `order_gid` (as
    /// `gid://shopify/Order/...`), as the merchant would in the Shopify admin (a refund with
    /// restock type CANCEL): the line's `currentQuantity` goes down, the order stays open.
    pub fn refund_in_admin(&self, order_gid: &str, sku: &str, quantity: u32) -> Result<(), String> {
        self.refund_in_admin_as(order_gid, sku, quantity, RestockType::Cancel)
    }

    /// As [`Self::refund_in_admin`], with the restock type the merchant picked.
    pub fn refund_in_admin_as(
        &self,
        order_gid: &str,
        sku: &str,
        quantity: u32,
        restock: RestockType,
    ) -> Result<(), String> {
        let now = self.now();
        let mut w = self.world();
        let order = wire::parse_gid("Order", &json!(order_gid))
            .ok_or_else(|| format!("'{order_gid}' is not an order id"))?;
        let line = w
            .orders
            .iter()
            .find(|o| o.id == order)
            .and_then(|o| o.lines.iter().find(|l| l.sku == sku))
            .map(|l| l.id)
            .ok_or_else(|| format!("order {order_gid} has no line with SKU {sku}"))?;
        orders::refund_unfulfilled(&mut w, order, &[(line, quantity, restock.wire())], now)
            .map(|_| ())
            .map_err(|e| Json::Array(e).to_string())
    }

    /// Fulfils `quantity` units of the line with `sku` on order `order_gid` with tracking
    /// number `tracking`, as the merchant would by marking them shipped in the Shopify admin.
    pub fn fulfil_in_admin(
        &self,
        order_gid: &str,
        sku: &str,
        quantity: u32,
        tracking: &str,
    ) -> Result<(), String> {
        let now = self.now();
        let mut w = self.world();
        let order = wire::parse_gid("Order", &json!(order_gid))
            .ok_or_else(|| format!("'{order_gid}' is not an order id"))?;
        let id = w.next_id();
        let o = w
            .orders
            .iter_mut()
            .find(|o| o.id == order && o.created_at <= now && o.cancelled_at.is_none())
            .ok_or_else(|| format!("order {order_gid} does not exist or was cancelled"))?;
        let line = o
            .lines
            .iter_mut()
            .find(|l| l.sku == sku)
            .ok_or_else(|| format!("order {order_gid} has no line with SKU {sku}"))?;
        if quantity == 0 || quantity > line.open() {
            return Err(format!(
                "{quantity} of {sku} cannot be fulfilled: {} open",
                line.open()
            ));
        }
        line.fulfilled += quantity;
        let line_id = line.id;
        o.fulfillments.push(state::Fulfillment {
            id,
            created_at: now,
            company: Some("PostNL".into()),
            number: Some(tracking.to_string()),
            url: None,
            lines: vec![(line_id, quantity)],
        });
        o.updated_at = now;
        Ok(())
    }

    /// Refunds every unfulfilled unit of order `order_gid` in one refund, as "Refund" of all
    /// items in the Shopify admin does without cancelling the order: every line's
    /// `currentQuantity` goes to 0 and the order is `REFUNDED`, but `cancelledAt` stays null.
    pub fn refund_all_in_admin(&self, order_gid: &str) -> Result<(), String> {
        let now = self.now();
        let mut w = self.world();
        let order = wire::parse_gid("Order", &json!(order_gid))
            .ok_or_else(|| format!("'{order_gid}' is not an order id"))?;
        let items: Vec<(u64, u32, &'static str)> = w
            .orders
            .iter()
            .find(|o| o.id == order)
            .ok_or_else(|| format!("order {order_gid} does not exist"))?
            .lines
            .iter()
            .filter(|l| l.open() > 0)
            .map(|l| (l.id, l.open(), RestockType::Cancel.wire()))
            .collect();
        orders::refund_unfulfilled(&mut w, order, &items, now)
            .map(|_| ())
            .map_err(|e| Json::Array(e).to_string())
    }

    /// The axum router serving this shop's Admin API.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/admin/api/{version}/graphql.json", post(handle))
            .with_state(self.clone())
    }
}

/// How a refund made in the admin treats the stock of the unfulfilled units it takes off
/// (Shopify's `RefundLineItemRestockType` for such units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestockType {
    /// `CANCEL`: the units are cancelled and back in stock.
    Cancel,
    /// `NO_RESTOCK`: refunded without restocking.
    NoRestock,
}

impl RestockType {
    fn wire(self) -> &'static str {
        match self {
            RestockType::Cancel => "CANCEL",
            RestockType::NoRestock => "NO_RESTOCK",
        }
    }
}

/// What a resolver works with.
pub(crate) struct Exec<'a> {
    pub world: &'a mut ShopState,
    pub now: DateTime<Utc>,
    pub version: &'a str,
    pub pcd: bool,
}

fn served_version(asked: &str) -> &'static str {
    SUPPORTED_VERSIONS
        .iter()
        .find(|v| **v == asked)
        .copied()
        .unwrap_or(SUPPORTED_VERSIONS[0])
}

fn answer(status: StatusCode, version: &str, body: Json) -> Response {
    let mut res = (status, AxumJson(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(version) {
        res.headers_mut().insert("x-shopify-api-version", v);
    }
    res
}

fn cost_json(requested: u64, actual: Option<u64>, status: ThrottleStatus) -> Json {
    json!({"cost": {
        "requestedQueryCost": requested,
        "actualQueryCost": actual,
        "throttleStatus": {
            "maximumAvailable": status.maximum_available,
            "currentlyAvailable": status.currently_available,
            "restoreRate": status.restore_rate,
        },
    }})
}

async fn handle(
    State(shop): State<Shopify>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let version = served_version(&version);
    let token = headers
        .get("x-shopify-access-token")
        .and_then(|v| v.to_str().ok());
    if token != Some(shop.inner.config.access_token.as_str()) {
        return answer(
            StatusCode::UNAUTHORIZED,
            version,
            json!({"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}),
        );
    }
    let is_json = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let request: Option<Map<String, Json>> = if is_json {
        serde_json::from_slice(&body).ok()
    } else {
        None
    };
    let Some(request) = request else {
        return answer(
            StatusCode::BAD_REQUEST,
            version,
            json!({"errors": {"query": "Required parameter missing or invalid"}}),
        );
    };
    let query = request.get("query").and_then(Json::as_str).unwrap_or("");
    let variables = request
        .get("variables")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let op_name = request.get("operationName").and_then(Json::as_str);
    let op = match graphql::parse(query, op_name, &variables) {
        Ok(op) => op,
        Err(GraphqlError(e)) => return answer(StatusCode::OK, version, json!({"errors": [e]})),
    };
    let requested = graphql::requested_cost(&op.fields, op.is_mutation);
    if requested > MAX_QUERY_COST {
        return answer(
            StatusCode::OK,
            version,
            json!({"errors": [{
                "message": format!("Query cost is {requested}, which exceeds the single query max cost limit ({MAX_QUERY_COST})."),
                "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": MAX_QUERY_COST,
                    "documentation": "https://shopify.dev/api/usage/rate-limits"},
            }]}),
        );
    }
    let status = match shop.inner.bucket.take(requested) {
        Ok(s) => s,
        Err(s) => {
            shop.inner
                .throttled
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return answer(
                StatusCode::OK,
                version,
                json!({
                    "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                    "extensions": cost_json(requested, None, s),
                }),
            );
        }
    };
    let now = shop.now();
    let mut data = Map::new();
    let mut errors = Vec::new();
    {
        let mut world = shop.world();
        let mut x = Exec {
            world: &mut world,
            now,
            version,
            pcd: shop.inner.config.protected_customer_data,
        };
        for f in &op.fields {
            match resolve(&mut x, f, op.is_mutation) {
                Ok(full) => {
                    let projected =
                        graphql::project(&json!({f.name.clone(): full}), std::slice::from_ref(f));
                    data.insert(
                        f.response_key().to_string(),
                        projected[f.response_key()].clone(),
                    );
                }
                Err(GraphqlError(e)) => {
                    errors.push(e);
                    data.insert(f.response_key().to_string(), Json::Null);
                }
            }
        }
    }
    let data = Json::Object(data);
    let actual = graphql::actual_cost(&op.fields, op.is_mutation, &data).min(requested);
    let _ = status;
    let status = shop.inner.bucket.refund(requested - actual);
    let mut body = json!({"data": data, "extensions": cost_json(requested, Some(actual), status)});
    if !errors.is_empty() {
        // A request-level input error means nothing ran: Shopify answers without data.
        if errors
            .iter()
            .any(|e| e["extensions"]["code"] == "INVALID_VARIABLE")
        {
            body =
                json!({"errors": errors, "extensions": cost_json(requested, Some(actual), status)});
        } else {
            body["errors"] = Json::Array(errors);
        }
    }
    answer(StatusCode::OK, version, body)
}

fn resolve(x: &mut Exec<'_>, f: &Field, is_mutation: bool) -> Result<Json, GraphqlError> {
    let root = if is_mutation { "Mutation" } else { "QueryRoot" };
    match (is_mutation, f.name.as_str()) {
        (_, "__typename") => Ok(json!(root)),
        (false, "shop") => Ok(catalog::shop(x)),
        (false, "locations") => Ok(catalog::locations(x)),
        (false, "products") => Ok(catalog::products(x, f)),
        (false, "product") => Ok(catalog::product(x, f)),
        (false, "orders") => Ok(orders::orders(x, f)),
        (false, "order") => Ok(orders::order(x, f)),
        (false, "refund") => Ok(orders::refund(x, f)),
        (false, "shopifyPaymentsAccount") => Ok(orders::payments_account(x, f)),
        (true, "productSet") => catalog::product_set(x, f),
        (true, "productUpdate") => catalog::product_update(x, f),
        (true, "inventorySetQuantities") => catalog::inventory_set_quantities(x, f),
        (true, "fulfillmentCreate") => orders::fulfillment_create(x, f),
        (true, "orderCancel") => orders::order_cancel(x, f),
        (true, "refundCreate") => orders::refund_create(x, f),
        (_, name) => Err(GraphqlError(json!({
            "message": format!("Field '{name}' doesn't exist on type '{root}'"),
            "locations": f.location(),
            "path": [if is_mutation { "mutation" } else { "query" }, name],
            "extensions": {"code": "undefinedField", "typeName": root, "fieldName": name},
        }))),
    }
}
