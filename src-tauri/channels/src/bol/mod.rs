//! The bol.com connector: Retailer API v10 (media-type versioned), client-credentials login.
//!
//! bol.com calls a listing an *offer*: one per EAN, so this connector lists per variant
//! ([`ListingLevel::Variant`]) and a listing's remote id is the offer id. Writes answer 202
//! with a process status that this connector follows to SUCCESS or FAILURE before returning.
//!
//! bol.com has no idempotency keys, so repeats are made safe here:
//! - a create whose answer was lost is looked up in the offer export by EAN before anything is
//!   sent again, and a create refused because the EAN already has an offer adopts that offer;
//! - a shipment carries Kanaal's reference and is looked up by it after a lost answer;
//! - price, stock and content updates are absolute (PUT), so repeating them is harmless.
//!
//! Orders are read by cursor: within an hour of the last sync by `change-interval-minute`,
//! after a longer pause date by date with `latest-change-date` (so an order placed and
//! handled while Kanaal was closed is not missed). Payouts are bol's monthly `ALL_IN_ONE`
//! invoices: the specification's `TURNOVER` lines are the sales, every other line a fee,
//! per order where the line names one.
//!
//! Credentials (keyring fields): `client_id`, `client_secret`.

mod wire;

use crate::channel::{Channel, Page, PageCursor};
use crate::credentials::{Credentials, Secret};
use crate::failure::{Failure, Outage};
use crate::http::{
    self, Auth, Call, CallError, HttpConfig, OpState, PollPolicy, Reply, Safety, TokenCache,
    Transport,
};
use crate::model::*;
use chrono::{DateTime, NaiveDate, Utc};
use kanaal_core::channels::Account;
use kanaal_core::clock::Clock;
use kanaal_core::money::Money;
use reqwest::{Client, Method, RequestBuilder};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// The name the merchant sees in messages.
pub const CHANNEL_NAME: &str = "bol.com";
/// bol.com's production API and login bases.
pub const API_BASE: &str = "https://api.bol.com";
pub const LOGIN_BASE: &str = "https://login.bol.com";

/// How to reach bol.com (or the sandbox) and with what patience.
#[derive(Clone)]
pub struct BolConfig {
    /// HTTP settings; `http.base_url` is the API base (`https://api.bol.com`).
    pub http: HttpConfig,
    /// Base of the token endpoint (`https://login.bol.com`).
    pub login_base: String,
    pub poll: PollPolicy,
    /// For the order cursor ("changed in the last N minutes").
    pub clock: Arc<dyn Clock>,
    /// Delivery promise for new offers when the listing does not set `delivery_code`.
    pub default_delivery_code: String,
}

impl std::fmt::Debug for BolConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BolConfig")
            .field("http", &self.http)
            .field("login_base", &self.login_base)
            .finish_non_exhaustive()
    }
}

impl BolConfig {
    /// Settings for `api_base` and `login_base` (the same URL for the sandbox).
    pub fn new(api_base: &str, login_base: &str, clock: Arc<dyn Clock>) -> Self {
        Self {
            http: HttpConfig::new(CHANNEL_NAME, api_base),
            login_base: login_base.trim_end_matches('/').to_string(),
            poll: PollPolicy::default(),
            clock,
            default_delivery_code: "1-2d".into(),
        }
    }
}

struct BolAuth {
    login: Transport,
    tokens: TokenCache,
    client_id: Secret,
    client_secret: Secret,
}

impl BolAuth {
    async fn token(&self) -> Result<String, Failure> {
        let now = self.login.timer().now();
        self.tokens
            .get(now, || async {
                let build = |c: &Client, base: &str| {
                    c.post(format!("{base}/token"))
                        .query(&[("grant_type", "client_credentials")])
                        .basic_auth(self.client_id.expose(), Some(self.client_secret.expose()))
                        .header("accept", "application/json")
                };
                let reply = self
                    .login
                    .send(Call {
                        operation: "token",
                        safety: Safety::Repeatable,
                        build: &build,
                        auth: None,
                    })
                    .await?;
                if reply.status.as_u16() == 400 || reply.status.as_u16() == 401 {
                    return Err(Failure::BadCredentials {
                        channel: CHANNEL_NAME.into(),
                    });
                }
                let v: Value = serde_json::from_slice(&reply.body).map_err(|_| unreadable())?;
                let token =
                    wire::text(&v, "access_token").ok_or_else(|| incomplete("access_token"))?;
                let secs = v.get("expires_in").and_then(Value::as_u64).unwrap_or(299);
                Ok((token, Duration::from_secs(secs)))
            })
            .await
    }
}

#[async_trait::async_trait]
impl Auth for BolAuth {
    async fn authorize(&self, request: RequestBuilder) -> Result<RequestBuilder, Failure> {
        Ok(request.bearer_auth(self.token().await?))
    }
    async fn invalidate(&self) {
        self.tokens.invalidate().await;
    }
}

/// A connection to one merchant's bol.com account.
pub struct Bol {
    api: Transport,
    auth: BolAuth,
    config: BolConfig,
}

impl std::fmt::Debug for Bol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bol")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn down(detail: Outage) -> Failure {
    Failure::PlatformDown {
        channel: CHANNEL_NAME.into(),
        detail,
    }
}

/// bol.com's answer lacked `missing` (its own name for the field).
fn incomplete(missing: &str) -> Failure {
    down(Outage::IncompleteAnswer {
        missing: missing.into(),
    })
}

fn unreadable() -> Failure {
    down(Outage::UnreadableAnswer { status: None })
}

fn rejected(field: &str, reason: impl Into<String>) -> Failure {
    Failure::Rejected {
        channel: CHANNEL_NAME.into(),
        field: field.into(),
        reason: reason.into(),
    }
}

/// bol's field names (from `violations[].name`) in Kanaal's words.
fn kanaal_field(name: &str) -> &str {
    let head = name.split(['.', '[']).next().unwrap_or(name);
    match head {
        "ean" => "gtin",
        "pricing" | "unit-price" => "price",
        "stock" | "amount" => "stock",
        "unknownProductTitle" => "title",
        "reference" => "sku",
        "fulfilment" => "delivery_code",
        "transport" => "carrier",
        "orderItems" => "order line",
        _ => name,
    }
}

/// Turns a 4xx answer with bol's `Problem` body into a failure, keeping bol's words.
fn problem_failure(reply: &Reply) -> Failure {
    let v: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
    if let Some(first) = v
        .get("violations")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        let name = wire::text(first, "name").unwrap_or_default();
        let reason = wire::text(first, "reason").unwrap_or_else(|| "not accepted".into());
        return rejected(kanaal_field(&name), reason);
    }
    let detail =
        wire::text(&v, "detail").unwrap_or_else(|| format!("error {}", reply.status.as_u16()));
    match reply.status.as_u16() {
        404 => rejected("listing", format!("not found on bol.com ({detail})")),
        406 | 415 => rejected(
            "request",
            format!("bol.com did not accept the request format ({detail}); update Kanaal"),
        ),
        _ => rejected("request", detail),
    }
}

fn json_body(reply: &Reply) -> Result<Value, Failure> {
    serde_json::from_slice(&reply.body).map_err(|_| unreadable())
}

impl Bol {
    pub fn new(config: BolConfig, credentials: &Credentials) -> Result<Self, Failure> {
        let missing = |f: &str| {
            rejected(
                f,
                "missing from the saved login details; connect bol.com again",
            )
        };
        let client_id = credentials
            .get("client_id")
            .cloned()
            .ok_or_else(|| missing("client_id"))?;
        let client_secret = credentials
            .get("client_secret")
            .cloned()
            .ok_or_else(|| missing("client_secret"))?;
        let mut login_http = config.http.clone();
        login_http.base_url = config.login_base.clone();
        Ok(Self {
            api: Transport::new(config.http.clone())?,
            auth: BolAuth {
                login: Transport::new(login_http)?,
                tokens: TokenCache::new(Duration::from_secs(20)),
                client_id,
                client_secret,
            },
            config,
        })
    }

    /// Tokens fetched so far on this connection (bol blocks clients that ask too often).
    pub fn tokens_fetched(&self) -> u32 {
        self.auth.tokens.fetch_count()
    }

    // One private helper that every bol call goes through; a parameter struct would only
    // rename these eight.
    #[allow(clippy::too_many_arguments)]
    async fn call(
        &self,
        operation: &'static str,
        safety: Safety,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        accept: &str,
    ) -> Result<Reply, CallError> {
        let path = path.to_string();
        let query: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect();
        let body = body.map(Value::to_string);
        let accept = accept.to_string();
        let build = move |c: &Client, base: &str| {
            let mut r = c
                .request(method.clone(), format!("{base}{path}"))
                .header("accept", accept.as_str());
            if !query.is_empty() {
                r = r.query(&query);
            }
            if let Some(b) = &body {
                r = r.header("content-type", wire::MEDIA_JSON).body(b.clone());
            }
            r
        };
        self.api
            .send(Call {
                operation,
                safety,
                build: &build,
                auth: Some(&self.auth),
            })
            .await
    }

    /// A JSON call whose 2xx body is returned and whose 4xx becomes a failure.
    async fn json(
        &self,
        operation: &'static str,
        safety: Safety,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value, Failure> {
        let reply = self
            .call(
                operation,
                safety,
                method,
                path,
                query,
                body,
                wire::MEDIA_JSON,
            )
            .await?;
        if !reply.status.is_success() {
            return Err(problem_failure(&reply));
        }
        json_body(&reply)
    }

    /// Follows a 202's process status to its end.
    async fn finish(&self, accepted: &Value) -> Result<OpState, Failure> {
        let id =
            wire::text(accepted, "processStatusId").ok_or_else(|| incomplete("processStatusId"))?;
        let path = format!("/shared/process-status/{id}");
        http::track(
            CHANNEL_NAME,
            self.api.timer(),
            &self.config.poll,
            || async {
                let v = self
                    .json(
                        "process-status",
                        Safety::Repeatable,
                        Method::GET,
                        &path,
                        &[],
                        None,
                    )
                    .await?;
                Ok(match v.get("status").and_then(Value::as_str) {
                    Some("SUCCESS") => OpState::Succeeded {
                        entity_id: wire::text(&v, "entityId"),
                    },
                    Some("FAILURE") => OpState::Failed {
                        reason: wire::text(&v, "errorMessage").unwrap_or_else(|| "refused".into()),
                    },
                    Some("TIMEOUT") => return Err(down(Outage::ProcessingTimedOut)),
                    _ => OpState::Pending,
                })
            },
        )
        .await
    }

    /// A repeatable write: send, follow the process, map a FAILURE to a rejection.
    async fn write(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        field: &str,
    ) -> Result<Option<String>, Failure> {
        let accepted = self
            .json(operation, Safety::Repeatable, method, path, &[], body)
            .await?;
        match self.finish(&accepted).await? {
            OpState::Succeeded { entity_id } => Ok(entity_id),
            OpState::Failed { reason } => Err(rejected(field, reason)),
            OpState::Pending => Err(down(Outage::StillProcessing)),
        }
    }

    /// Every offer of the account, from bol's CSV export (v10 has no offer list).
    async fn export(&self) -> Result<Vec<wire::ExportRow>, Failure> {
        let accepted = self
            .json(
                "offers.export",
                Safety::Repeatable,
                Method::POST,
                "/retailer/offers/export",
                &[],
                Some(&json!({"format": "CSV"})),
            )
            .await?;
        let report = match self.finish(&accepted).await? {
            OpState::Succeeded {
                entity_id: Some(id),
            } => id,
            OpState::Failed { reason } => {
                return Err(down(Outage::ExportFailed {
                    reason: Some(reason),
                }))
            }
            _ => return Err(down(Outage::ExportFailed { reason: None })),
        };
        let reply = self
            .call(
                "offers.export.get",
                Safety::Repeatable,
                Method::GET,
                &format!("/retailer/offers/export/{report}"),
                &[],
                None,
                wire::MEDIA_CSV,
            )
            .await?;
        if !reply.status.is_success() {
            return Err(problem_failure(&reply));
        }
        let mut reader = csv::ReaderBuilder::new().from_reader(reply.body.as_slice());
        reader
            .deserialize::<wire::ExportRow>()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| unreadable())
    }

    async fn offer_for_ean(&self, ean: &str) -> Result<Option<wire::ExportRow>, Failure> {
        Ok(self.export().await?.into_iter().find(|r| r.ean == ean))
    }

    fn published(offer_id: String, sku: &str) -> PublishedListing {
        PublishedListing {
            remote_id: offer_id.clone(),
            variants: vec![PublishedVariant {
                sku: sku.to_string(),
                remote_id: offer_id,
                extra: BTreeMap::new(),
            }],
        }
    }

    fn only_variant<'a>(
        &self,
        draft: &'a ListingDraft,
    ) -> Result<(&'a VariantDraft, String), Failure> {
        let problems = self.limits().check(draft);
        if let Some(p) = problems.first() {
            return Err(rejected(&p.field, p.message.clone()));
        }
        let v = draft
            .variants
            .first()
            .ok_or_else(|| rejected("variants", "the listing has no variant"))?;
        let ean = v
            .gtin
            .clone()
            .ok_or_else(|| rejected("gtin", "bol.com needs an EAN"))?;
        Ok((v, ean))
    }

    fn fulfilment(&self, draft: &ListingDraft) -> wire::Fulfilment {
        wire::Fulfilment {
            method: "FBR",
            delivery_code: draft
                .attributes
                .get("delivery_code")
                .cloned()
                .unwrap_or_else(|| self.config.default_delivery_code.clone()),
        }
    }

    fn to_json<T: serde::Serialize>(v: &T) -> Result<Value, Failure> {
        serde_json::to_value(v).map_err(|_| rejected("request", "could not be written"))
    }

    async fn update_parts(
        &self,
        offer_id: &str,
        draft: &ListingDraft,
        v: &VariantDraft,
    ) -> Result<(), Failure> {
        let content = Self::to_json(&wire::UpdateOffer {
            reference: v.sku.clone(),
            on_hold_by_retailer: false,
            unknown_product_title: draft.title.clone(),
            fulfilment: self.fulfilment(draft),
        })?;
        self.write(
            "offers.update",
            Method::PUT,
            &format!("/retailer/offers/{offer_id}"),
            Some(&content),
            "listing",
        )
        .await?;
        let price = Self::to_json(&wire::UpdatePrice {
            pricing: wire::Pricing {
                bundle_prices: vec![wire::BundlePrice {
                    quantity: 1,
                    unit_price: wire::price(v.price.amount),
                }],
            },
        })?;
        self.write(
            "offers.price",
            Method::PUT,
            &format!("/retailer/offers/{offer_id}/price"),
            Some(&price),
            "price",
        )
        .await?;
        let stock = Self::to_json(&wire::Stock {
            amount: v.stock.min(999),
            managed_by_retailer: false,
        })?;
        self.write(
            "offers.stock",
            Method::PUT,
            &format!("/retailer/offers/{offer_id}/stock"),
            Some(&stock),
            "stock",
        )
        .await?;
        Ok(())
    }

    async fn order(&self, id: &str) -> Result<ChannelOrder, Failure> {
        let v = self
            .json(
                "orders.get",
                Safety::Repeatable,
                Method::GET,
                &format!("/retailer/orders/{id}"),
                &[],
                None,
            )
            .await?;
        order_from(&v)
    }

    /// Every line of an invoice's specification (paged by 25,000 lines).
    async fn invoice_lines(&self, invoice: &str) -> Result<Vec<wire::InvoiceLine>, Failure> {
        let path = format!("/retailer/invoices/{invoice}/specification");
        let mut out = Vec::new();
        let mut page = 1u32;
        loop {
            let v = self
                .json(
                    "invoices.specification",
                    Safety::Repeatable,
                    Method::GET,
                    &path,
                    &[("page", page.to_string())],
                    None,
                )
                .await?;
            let lines = v
                .get("invoiceSpecification")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let n = lines.len();
            out.extend(lines.iter().filter_map(wire::invoice_line));
            match http::next_page_number(page, n).filter(|_| n >= wire::SPECIFICATION_PAGE) {
                Some(p) if p <= 1000 => page = p,
                _ => return Ok(out),
            }
        }
    }

    /// Whether a shipment with our reference exists for the order (a lost answer's shipment).
    async fn shipment_exists(&self, order_id: &str, reference: &str) -> Result<bool, Failure> {
        let v = self
            .json(
                "shipments.list",
                Safety::Repeatable,
                Method::GET,
                "/retailer/shipments",
                &[("order-id", order_id.to_string())],
                None,
            )
            .await?;
        Ok(v.get("shipments")
            .and_then(Value::as_array)
            .is_some_and(|list| {
                list.iter()
                    .any(|s| s.get("shipmentReference").and_then(Value::as_str) == Some(reference))
            }))
    }
}

fn order_from(v: &Value) -> Result<ChannelOrder, Failure> {
    let remote_id = wire::text(v, "orderId").ok_or_else(|| incomplete("orderId"))?;
    let placed_at =
        wire::time(v, "orderPlacedDateTime").ok_or_else(|| incomplete("orderPlacedDateTime"))?;
    let ship = v.get("shipmentDetails").cloned().unwrap_or(Value::Null);
    let bill = v.get("billingDetails").cloned().unwrap_or(Value::Null);
    let addr = if ship.is_object() { &ship } else { &bill };
    let name = [wire::text(addr, "firstName"), wire::text(addr, "surname")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let email = wire::text(addr, "email").or_else(|| wire::text(&bill, "email"));
    let house = match (
        wire::text(addr, "houseNumber"),
        wire::text(addr, "houseNumberExtension"),
    ) {
        (Some(n), Some(x)) => Some(format!("{n}{x}")),
        (n, _) => n,
    };
    let customer = Customer {
        name: (!name.is_empty()).then_some(name),
        // bol gives a scrambled relay address, never the customer's own.
        email_is_relay: email.is_some(),
        email,
        phone: wire::text(addr, "deliveryPhoneNumber"),
        street: wire::text(addr, "streetName"),
        house_number: house,
        postcode: wire::text(addr, "zipCode"),
        city: wire::text(addr, "city"),
        country: wire::text(addr, "countryCode"),
    };
    let mut lines = Vec::new();
    let mut updated_at = placed_at;
    let (mut total, mut fees) = (Decimal::ZERO, Decimal::ZERO);
    let mut ship_by: Option<DateTime<Utc>> = None;
    for item in v
        .get("orderItems")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let unit = wire::decimal(item.get("unitPrice")).unwrap_or_default();
        let quantity = wire::count(item, "quantity");
        let fee = wire::decimal(item.get("commission"));
        total += wire::decimal(item.get("totalPrice")).unwrap_or(unit * Decimal::from(quantity));
        fees += fee.unwrap_or_default();
        if let Some(t) = wire::time(item, "latestChangedDateTime") {
            updated_at = updated_at.max(t);
        }
        let product = item.get("product").cloned().unwrap_or(Value::Null);
        let still_open = quantity
            > wire::count(item, "quantityShipped") + wire::count(item, "quantityCancelled");
        // Each order item has its own expiry date (offers with different delivery promises
        // expire on different days); the order's deadline is its earliest open item's.
        let line_ship_by = item
            .get("fulfilment")
            .and_then(|f| wire::text(f, "expiryDate"))
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            .and_then(expiry_moment)
            .filter(|_| still_open);
        if let Some(at) = line_ship_by {
            ship_by = Some(ship_by.map_or(at, |s| s.min(at)));
        }
        lines.push(OrderLine {
            remote_id: wire::text(item, "orderItemId").unwrap_or_default(),
            sku: item.get("offer").and_then(|o| wire::text(o, "reference")),
            gtin: wire::text(&product, "ean"),
            title: wire::text(&product, "title").unwrap_or_default(),
            quantity,
            quantity_shipped: wire::count(item, "quantityShipped"),
            quantity_cancelled: wire::count(item, "quantityCancelled"),
            unit_price: Money::eur(unit),
            fee: fee.map(Money::eur),
            cancellation_requested: item
                .get("cancellationRequest")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            ship_by: line_ship_by,
        });
    }
    let open = lines
        .iter()
        .any(|l| l.quantity > l.quantity_shipped + l.quantity_cancelled);
    let shipped = lines.iter().any(|l| l.quantity_shipped > 0);
    let status = match (open, shipped) {
        (true, true) => OrderStatus::PartlyShipped,
        (true, false) => OrderStatus::Open,
        (false, true) => OrderStatus::Shipped,
        (false, false) => OrderStatus::Cancelled,
    };
    Ok(ChannelOrder {
        remote_id,
        placed_at,
        updated_at,
        status,
        customer,
        lines,
        total: Money::eur(total),
        fees: Some(Money::eur(fees)),
        ship_by,
        raw: v.clone(),
    })
}

/// When an order item with `expiry` as its `fulfilment.expiryDate` must have left the shop:
/// the start of that date in the Netherlands (bol gives dates, not times, and cancels the item
/// during its expiry date; shipping before the date starts is the safe reading).
fn expiry_moment(expiry: NaiveDate) -> Option<DateTime<Utc>> {
    let midnight = expiry.and_hms_opt(0, 0, 0)?;
    Some(midnight.and_utc() - chrono::Duration::hours(dutch_utc_offset(expiry)))
}

/// Hours the Netherlands is ahead of UTC at the start of `date`: 2 in summer time (from the
/// last Sunday of March to the last Sunday of October, EU rules), else 1. At midnight the
/// switch of that day (02:00 / 03:00) has not happened yet.
fn dutch_utc_offset(date: NaiveDate) -> i64 {
    use chrono::Datelike;
    let last_sunday = |month: u32| {
        let last = NaiveDate::from_ymd_opt(date.year(), month, 31);
        last.map(|d| d - chrono::Duration::days(i64::from(d.weekday().num_days_from_sunday())))
    };
    match (last_sunday(3), last_sunday(10)) {
        (Some(march), Some(october)) if date > march && date <= october => 2,
        _ => 1,
    }
}

fn transporter(c: &Carrier) -> String {
    match c {
        Carrier::PostNl => "TNT",
        Carrier::Dhl => "DHL",
        Carrier::Dpd => "DPD-NL",
        Carrier::Gls => "GLS",
        Carrier::Ups => "UPS",
        Carrier::Bpost => "BPOST_BE",
        Carrier::Other(_) => "OTHER",
    }
    .to_string()
}

/// The order cursor: when the previous sync started (`since`), and while paging the page, the
/// date being walked (`day`) and the moment this sync started (`started`), which becomes the
/// next sync's `since`; so the cursor only moves forward and never past an unread change.
#[derive(Debug, Default)]
struct Cursor {
    since: Option<DateTime<Utc>>,
    page: u32,
    day: Option<NaiveDate>,
    started: Option<DateTime<Utc>>,
}

/// How one order list call selects.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// Every open order (first sync).
    Open,
    /// Items changed in the last N minutes (N <= 60).
    Interval(i64),
    /// Items changed on one date, walking up to the last date.
    Day(NaiveDate, NaiveDate),
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

/// The dates to walk after a pause from `since` to `started`. bol's dates are Dutch dates
/// (UTC+1 or +2): the UTC date of `since` is never after its Dutch date, and the UTC date
/// two hours after `started` never before, so this range holds every change in between.
/// bol keeps 3 months: older dates are refused, and have nothing left to give.
fn day_range(since: DateTime<Utc>, started: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
    let last = (started + chrono::Duration::hours(2)).date_naive();
    // Counted back from `last`, which is never before bol's own today, so never too old.
    let oldest = last
        .checked_sub_months(chrono::Months::new(3))
        .map_or(last, |d| d + chrono::Duration::days(1));
    (since.date_naive().max(oldest), last)
}

fn parse_cursor(c: &OrderCursor) -> Cursor {
    let time = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    let mut cursor = Cursor {
        page: 1,
        ..Cursor::default()
    };
    for part in c.0.split(';') {
        match part.split_once('=') {
            Some(("since", t)) => cursor.since = time(t),
            Some(("page", p)) => cursor.page = p.parse().unwrap_or(1).max(1),
            Some(("day", d)) => cursor.day = NaiveDate::parse_from_str(d, "%Y-%m-%d").ok(),
            Some(("started", t)) => cursor.started = time(t),
            _ => {}
        }
    }
    cursor
}

/// What bol.com accepts (the same for every account, so known without a login).
pub fn limits() -> ChannelLimits {
    ChannelLimits {
        listing_level: ListingLevel::Variant,
        max_options: None,
        max_variants: Some(1),
        max_title_chars: 500,
        max_reference_chars: Some(100),
        min_price: Some(Decimal::ONE),
        max_price: Some(Decimal::from(9999)),
        max_stock: Some(999),
        required_fields: vec!["gtin"],
        attributes: vec![AttributeSpec {
            name: "delivery_code",
            required: false,
            allowed: vec![
                "24uurs-23",
                "24uurs-22",
                "24uurs-21",
                "24uurs-20",
                "24uurs-19",
                "24uurs-18",
                "24uurs-17",
                "24uurs-16",
                "24uurs-15",
                "24uurs-14",
                "24uurs-13",
                "24uurs-12",
                "1-2d",
                "2-3d",
                "3-5d",
                "4-8d",
                "1-8d",
                "MijnLeverbelofte",
                "VVB",
            ],
        }],
        supports: Supports {
            expected_fees: true,
            payouts: true,
            ratings: true,
            reviews: false,
            categories: false,
        },
    }
}

#[async_trait::async_trait]
impl Channel for Bol {
    fn kind(&self) -> &'static str {
        "bol"
    }

    fn limits(&self) -> ChannelLimits {
        limits()
    }

    async fn check_connection(&self) -> Result<ConnectionInfo, Failure> {
        // The cheapest authenticated call: look up process statuses of a made-up entity.
        self.json(
            "process-status.find",
            Safety::Repeatable,
            Method::GET,
            "/shared/process-status",
            &[
                ("entity-id", "0".into()),
                ("event-type", "CREATE_OFFER".into()),
            ],
            None,
        )
        .await?;
        Ok(ConnectionInfo {
            account: Account::BolClient {
                client_id: self.auth.client_id.expose().to_string(),
            },
        })
    }

    async fn create_listing(&self, draft: &ListingDraft) -> Result<PublishedListing, Failure> {
        let (v, ean) = self.only_variant(draft)?;
        let body = Self::to_json(&wire::CreateOffer {
            ean: ean.clone(),
            condition: wire::Condition {
                name: "NEW",
                category: "NEW",
            },
            reference: v.sku.clone(),
            on_hold_by_retailer: false,
            unknown_product_title: draft.title.clone(),
            pricing: wire::Pricing {
                bundle_prices: vec![wire::BundlePrice {
                    quantity: 1,
                    unit_price: wire::price(v.price.amount),
                }],
            },
            stock: wire::Stock {
                amount: v.stock.min(999),
                managed_by_retailer: false,
            },
            fulfilment: self.fulfilment(draft),
        })?;
        let reply = match self
            .call(
                "offers.create",
                Safety::Once,
                Method::POST,
                "/retailer/offers",
                &[],
                Some(&body),
                wire::MEDIA_JSON,
            )
            .await
        {
            Ok(r) => r,
            Err(e) if e.maybe_applied => {
                // The answer was lost: the offer may exist. Look before anything is sent again.
                return match self.offer_for_ean(&ean).await {
                    Ok(Some(row)) => Ok(Self::published(row.offer_id, &v.sku)),
                    Ok(None) | Err(_) => Err(e.failure),
                };
            }
            Err(e) => return Err(e.failure),
        };
        if !reply.status.is_success() {
            return Err(problem_failure(&reply));
        }
        match self.finish(&json_body(&reply)?).await? {
            OpState::Succeeded {
                entity_id: Some(id),
            } => Ok(Self::published(id, &v.sku)),
            OpState::Failed { reason } => {
                // An offer for this EAN exists already (ours, from an earlier attempt or made
                // in the seller dashboard): adopt it and bring it in line with the draft.
                if let Some(row) = self.offer_for_ean(&ean).await? {
                    self.update_parts(&row.offer_id, draft, v).await?;
                    return Ok(Self::published(row.offer_id, &v.sku));
                }
                Err(rejected("listing", reason))
            }
            _ => match self.offer_for_ean(&ean).await? {
                Some(row) => Ok(Self::published(row.offer_id, &v.sku)),
                None => Err(incomplete("offerId")),
            },
        }
    }

    async fn update_listing(
        &self,
        listing: &PublishedListing,
        draft: &ListingDraft,
    ) -> Result<PublishedListing, Failure> {
        let (v, _) = self.only_variant(draft)?;
        self.update_parts(&listing.remote_id, draft, v).await?;
        Ok(Self::published(listing.remote_id.clone(), &v.sku))
    }

    async fn unpublish_listing(&self, listing: &PublishedListing) -> Result<(), Failure> {
        let reply = self
            .call(
                "offers.delete",
                Safety::Repeatable,
                Method::DELETE,
                &format!("/retailer/offers/{}", listing.remote_id),
                &[],
                None,
                wire::MEDIA_JSON,
            )
            .await?;
        match reply.status.as_u16() {
            404 => Ok(()), // already gone: that is what was asked
            s if (200..300).contains(&s) => match self.finish(&json_body(&reply)?).await? {
                OpState::Failed { reason } => Err(rejected("listing", reason)),
                _ => Ok(()),
            },
            _ => Err(problem_failure(&reply)),
        }
    }

    async fn set_stock(&self, target: &StockTarget, update: &StockUpdate) -> Result<(), Failure> {
        if update.quantity > 999 {
            return Err(rejected(
                "stock",
                format!(
                    "bol.com takes at most 999 items per offer, not {}",
                    update.quantity
                ),
            ));
        }
        let body = Self::to_json(&wire::Stock {
            amount: update.quantity,
            managed_by_retailer: false,
        })?;
        self.write(
            "offers.stock",
            Method::PUT,
            &format!("/retailer/offers/{}/stock", target.variant.remote_id),
            Some(&body),
            "stock",
        )
        .await?;
        Ok(())
    }

    async fn orders_since(&self, cursor: Option<&OrderCursor>) -> Result<OrderPage, Failure> {
        let now = self.config.clock.now();
        let c = cursor.map(parse_cursor).unwrap_or(Cursor {
            page: 1,
            ..Cursor::default()
        });
        let started = c.started.unwrap_or(now);
        let resume_from = OrderCursor(format!("since={}", stamp(started)));
        // bol has no "since" parameter. Within the last hour: items changed in that many
        // minutes. After a longer pause: every date from the last sync's to today, one
        // `latest-change-date` at a time (bol keeps 3 months), so an order placed and
        // shipped or cancelled during the pause is still seen. First sync: the open orders.
        let mode = match c.since {
            None => Mode::Open,
            Some(s) => match (started - s).num_minutes() + 1 {
                m if m <= 60 && c.day.is_none() => Mode::Interval(m.max(1)),
                _ => {
                    let (first, last) = day_range(s, started);
                    Mode::Day(c.day.unwrap_or(first).max(first), last)
                }
            },
        };
        let mut page = c.page;
        let mut mode = mode;
        loop {
            let mut query = vec![
                ("page", page.to_string()),
                ("fulfilment-method", "ALL".to_string()),
            ];
            match mode {
                Mode::Open => query.push(("status", "OPEN".into())),
                Mode::Interval(m) => {
                    query.push(("status", "ALL".into()));
                    query.push(("change-interval-minute", m.to_string()));
                }
                Mode::Day(day, _) => {
                    query.push(("status", "ALL".into()));
                    query.push(("latest-change-date", day.to_string()));
                }
            }
            let list = self
                .json(
                    "orders.list",
                    Safety::Repeatable,
                    Method::GET,
                    "/retailer/orders",
                    &query,
                    None,
                )
                .await?;
            let ids: Vec<String> = list
                .get("orders")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|o| wire::text(o, "orderId"))
                .collect();
            let more_pages = http::next_page_number(page, ids.len()).filter(|_| ids.len() >= 50);
            // Where the following page is: the next page of this list, or the next date.
            let following = match (more_pages, mode) {
                (Some(p), _) => Some((p, mode)),
                (None, Mode::Day(day, last)) if day < last => {
                    day.succ_opt().map(|d| (1, Mode::Day(d, last)))
                }
                _ => None,
            };
            if ids.is_empty() {
                if let Some((p, m)) = following {
                    // An empty date: go on to the next one in this same call.
                    (page, mode) = (p, m);
                    continue;
                }
            }
            let mut orders = Vec::with_capacity(ids.len());
            for id in &ids {
                orders.push(self.order(id).await?);
            }
            let next = following.map(|(p, m)| {
                let mut text = c
                    .since
                    .map(|s| format!("since={};", stamp(s)))
                    .unwrap_or_default();
                if let Mode::Day(d, _) = m {
                    text.push_str(&format!("day={d};"));
                }
                OrderCursor(format!("{text}page={p};started={}", stamp(started)))
            });
            return Ok(OrderPage {
                orders,
                next,
                resume_from,
            });
        }
    }

    async fn mark_shipped(&self, shipment: &Shipment) -> Result<(), Failure> {
        let lines: Vec<(String, Option<u32>)> = if shipment.lines.is_empty() {
            let order = self.order(&shipment.order_remote_id).await?;
            order
                .lines
                .iter()
                .filter(|l| l.quantity > l.quantity_shipped + l.quantity_cancelled)
                .map(|l| (l.remote_id.clone(), None))
                .collect()
        } else {
            shipment
                .lines
                .iter()
                .map(|(id, q)| (id.clone(), Some(*q)))
                .collect()
        };
        if lines.is_empty() {
            // Shipped already: by this very shipment (an earlier attempt), or by another.
            if self
                .shipment_exists(&shipment.order_remote_id, &shipment.reference)
                .await?
            {
                return Ok(());
            }
            return Err(rejected("order line", "nothing left to ship on this order"));
        }
        let body = Self::to_json(&wire::ShipmentRequest {
            order_items: lines
                .into_iter()
                .map(|(order_item_id, quantity)| wire::OrderItemRef {
                    order_item_id,
                    quantity,
                })
                .collect(),
            shipment_reference: shipment.reference.clone(),
            transport: wire::Transport {
                transporter_code: transporter(&shipment.carrier),
                track_and_trace: shipment.tracking.clone(),
            },
        })?;
        let reply = match self
            .call(
                "shipments.create",
                Safety::Once,
                Method::POST,
                "/retailer/shipments",
                &[],
                Some(&body),
                wire::MEDIA_JSON,
            )
            .await
        {
            Ok(r) => r,
            Err(e) if e.maybe_applied => {
                return match self
                    .shipment_exists(&shipment.order_remote_id, &shipment.reference)
                    .await
                {
                    Ok(true) => Ok(()),
                    _ => Err(e.failure),
                };
            }
            Err(e) => return Err(e.failure),
        };
        if !reply.status.is_success() {
            return Err(problem_failure(&reply));
        }
        match self.finish(&json_body(&reply)?).await? {
            OpState::Failed { reason } => {
                // Our own earlier attempt may have shipped it already.
                if self
                    .shipment_exists(&shipment.order_remote_id, &shipment.reference)
                    .await?
                {
                    return Ok(());
                }
                Err(rejected("order line", reason))
            }
            _ => Ok(()),
        }
    }

    async fn cancel_order(&self, cancellation: &Cancellation) -> Result<(), Failure> {
        let order = self.order(&cancellation.order_remote_id).await?;
        let open: Vec<&OrderLine> = order
            .lines
            .iter()
            .filter(|l| cancellation.lines.is_empty() || cancellation.lines.contains(&l.remote_id))
            .filter(|l| l.quantity > l.quantity_shipped + l.quantity_cancelled)
            .collect();
        if open.is_empty() {
            // Already cancelled (our earlier attempt) or shipped: nothing left to do or refuse.
            let all_cancelled = order
                .lines
                .iter()
                .filter(|l| {
                    cancellation.lines.is_empty() || cancellation.lines.contains(&l.remote_id)
                })
                .all(|l| l.quantity_cancelled > 0);
            return if all_cancelled {
                Ok(())
            } else {
                Err(rejected(
                    "order line",
                    "these order lines were shipped already",
                ))
            };
        }
        let reason_code = match cancellation.reason {
            CancelReason::OutOfStock => "OUT_OF_STOCK",
            CancelReason::RequestedByCustomer => "REQUESTED_BY_CUSTOMER",
            CancelReason::PriceError => "INCORRECT_PRICE",
            CancelReason::BadCondition => "BAD_CONDITION",
            CancelReason::HigherShippingCost => "HIGHER_SHIPCOST",
            CancelReason::NotAvailableInTime => "NOT_AVAIL_IN_TIME",
            CancelReason::NoBolGuarantee => "NO_BOL_GUARANTEE",
            CancelReason::OrderedTwice => "ORDERED_TWICE",
            CancelReason::RetainItem => "RETAIN_ITEM",
            CancelReason::TechIssue => "TECH_ISSUE",
            CancelReason::UnfindableItem => "UNFINDABLE_ITEM",
            // Shopify's own reasons have no bol.com code.
            CancelReason::PaymentDeclined
            | CancelReason::Fraud
            | CancelReason::Staff
            | CancelReason::Other => "OTHER",
        };
        // bol.com takes one order item per cancellation request (`maxItems: 1` in its
        // OpenAPI document): one request per open line. A repeat after a lost answer finds the
        // line cancelled above and skips it.
        for line in open {
            let body = Self::to_json(&wire::CancellationRequest {
                order_items: vec![wire::CancelItem {
                    order_item_id: line.remote_id.clone(),
                    reason_code,
                }],
            })?;
            let sent = self
                .write(
                    "orders.cancel",
                    Method::PUT,
                    "/retailer/orders/cancellation",
                    Some(&body),
                    "order line",
                )
                .await;
            match sent {
                Ok(_) => {}
                // A repeat after a lost answer: bol refuses to cancel the line again because
                // the first request did. That is the outcome that was asked for.
                Err(Failure::Rejected { .. })
                    if self
                        .order(&cancellation.order_remote_id)
                        .await?
                        .lines
                        .iter()
                        .any(|l| {
                            l.remote_id == line.remote_id
                                && l.quantity_cancelled > 0
                                && l.quantity <= l.quantity_shipped + l.quantity_cancelled
                        }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn default_attribute(&self, name: &str) -> Option<String> {
        (name == "delivery_code").then(|| self.config.default_delivery_code.clone())
    }

    async fn live_listings(
        &self,
        _page: Option<&PageCursor>,
    ) -> Result<Page<LiveListing>, Failure> {
        let rows = self.export().await?;
        let items = rows
            .into_iter()
            .map(|r| LiveListing {
                raw: json!({"offerId": r.offer_id, "ean": r.ean, "bundlePricesPrice": r.bundle_prices_price, "stockAmount": r.stock_amount, "onHoldByRetailer": r.on_hold_by_retailer, "referenceCode": r.reference_code, "unknownProductTitle": r.unknown_product_title, "fulfilmentDeliveryCode": r.fulfilment_delivery_code}),
                price: r.bundle_prices_price.as_deref().and_then(|p| p.parse::<Decimal>().ok()).map(Money::eur),
                remote_id: r.offer_id,
                sku: r.reference_code.filter(|s| !s.is_empty()),
                gtin: Some(r.ean),
                title: r.unknown_product_title.filter(|s| !s.is_empty()),
                description: None,
                brand: None,
                compare_at_price: None,
                stock: r.stock_amount,
                for_sale: !r.on_hold_by_retailer.unwrap_or(false),
                delivery_code: r.fulfilment_delivery_code.filter(|s| !s.is_empty()),
            })
            .collect();
        Ok(Page { items, next: None })
    }

    async fn expected_fee(&self, gtin: &str, price: Money) -> Result<ExpectedFee, Failure> {
        let v = self
            .json(
                "commission",
                Safety::Repeatable,
                Method::GET,
                &format!("/retailer/commission/{gtin}"),
                &[
                    ("condition", "NEW".into()),
                    ("unit-price", price.amount.round_dp(2).to_string()),
                ],
                None,
            )
            .await?;
        let total = wire::decimal(v.get("totalCost")).unwrap_or_default();
        let without = wire::decimal(v.get("totalCostWithoutReduction")).unwrap_or(total);
        Ok(ExpectedFee {
            gtin: Some(gtin.to_string()),
            price,
            fixed: Money::eur(wire::decimal(v.get("fixedAmount")).unwrap_or_default()),
            percentage: wire::decimal(v.get("percentage")).unwrap_or_default(),
            total: Money::eur(total),
            reduction: (without > total).then(|| Money::eur(without - total)),
        })
    }

    async fn payouts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Payout>, Failure> {
        if to < from {
            return Err(rejected("period", "the end date is before the start date"));
        }
        // bol lists invoices issued in a period of at most 31 days: walk the period in
        // windows of 31 days (both ends included).
        let mut payouts: Vec<Payout> = Vec::new();
        let mut start = from;
        loop {
            let end = start
                .checked_add_days(chrono::Days::new(30))
                .map_or(to, |e| e.min(to));
            let list = self
                .json(
                    "invoices.list",
                    Safety::Repeatable,
                    Method::GET,
                    "/retailer/invoices",
                    &[
                        ("period-start-date", start.to_string()),
                        ("period-end-date", end.to_string()),
                    ],
                    None,
                )
                .await?;
            for item in list
                .get("invoiceListItems")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                // The advertising invoice (ADVERTISING_VIA_BOL) is a cost of its own, not a
                // settlement of sales.
                if wire::text(item, "invoiceType").is_some_and(|t| t != "ALL_IN_ONE") {
                    continue;
                }
                let Some(id) = wire::text(item, "invoiceId") else {
                    continue;
                };
                if payouts.iter().any(|p| p.remote_id == id) {
                    continue;
                }
                let period = item.get("invoicePeriod").cloned().unwrap_or(Value::Null);
                let date = |key: &str| {
                    wire::text(&period, key)
                        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
                };
                let issued = wire::text(item, "issueDate")
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
                let (Some(period_start), Some(period_end)) =
                    (date("startDate").or(issued), date("endDate").or(issued))
                else {
                    return Err(incomplete("invoicePeriod"));
                };
                let lines = self.invoice_lines(&id).await?;
                let gross: Decimal = lines.iter().filter(|l| l.turnover).map(|l| -l.amount).sum();
                let fees: Decimal = lines.iter().filter(|l| !l.turnover).map(|l| l.amount).sum();
                payouts.push(Payout {
                    remote_id: id,
                    period_start,
                    period_end,
                    gross: Money::eur(gross),
                    fees: Money::eur(fees),
                    net: Money::eur(gross - fees),
                });
            }
            match end.succ_opt() {
                Some(next) if end < to => start = next,
                _ => break,
            }
        }
        Ok(payouts)
    }

    async fn payout_fees(&self, payout: &Payout) -> Result<Vec<PayoutFee>, Failure> {
        Ok(self
            .invoice_lines(&payout.remote_id)
            .await?
            .into_iter()
            .filter(|l| !l.turnover)
            .map(|l| PayoutFee {
                order_remote_id: l.order_id,
                line_remote_id: l.order_item_id,
                kind: l.kind,
                amount: Money::eur(l.amount),
            })
            .collect())
    }

    async fn ratings(&self, gtin: &str) -> Result<ProductRatings, Failure> {
        let reply = self
            .call(
                "ratings",
                Safety::Repeatable,
                Method::GET,
                &format!("/retailer/products/{gtin}/ratings"),
                &[],
                None,
                wire::MEDIA_JSON,
            )
            .await?;
        if reply.status.as_u16() == 404 {
            return Ok(ProductRatings {
                gtin: Some(gtin.to_string()),
                remote_id: None,
                counts: Vec::new(),
            });
        }
        if !reply.status.is_success() {
            return Err(problem_failure(&reply));
        }
        let v = json_body(&reply)?;
        let counts = v
            .get("ratings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| {
                Some((
                    u8::try_from(r.get("rating")?.as_u64()?).ok()?,
                    wire::count(r, "count"),
                ))
            })
            .collect();
        Ok(ProductRatings {
            gtin: Some(gtin.to_string()),
            remote_id: None,
            counts,
        })
    }
}

/// For tests and the demo: how long the connection waits for bol's processing at most.
pub fn quick_poll() -> PollPolicy {
    PollPolicy {
        first_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        give_up_after: Duration::from_secs(20),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod deadline_tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_expiry_date_is_the_start_of_that_day_in_dutch_time() {
        // Winter: 00:00 in Amsterdam is 23:00 UTC the day before.
        assert_eq!(
            expiry_moment(day("2026-11-05")).unwrap().to_rfc3339(),
            "2026-11-04T23:00:00+00:00"
        );
        // Summer: 22:00 UTC.
        assert_eq!(
            expiry_moment(day("2026-06-04")).unwrap().to_rfc3339(),
            "2026-06-03T22:00:00+00:00"
        );
        // The switch days themselves start in the old time (the clocks change at night).
        assert_eq!(dutch_utc_offset(day("2026-03-29")), 1);
        assert_eq!(dutch_utc_offset(day("2026-03-30")), 2);
        assert_eq!(dutch_utc_offset(day("2026-10-25")), 2);
        assert_eq!(dutch_utc_offset(day("2026-10-26")), 1);
    }

    #[test]
    fn the_ship_by_deadline_is_the_earliest_expiry_of_the_open_items() {
        let item = |id: &str, expiry: &str, shipped: u32| {
            serde_json::json!({"orderItemId": id, "quantity": 1, "quantityShipped": shipped,
                "quantityCancelled": 0, "unitPrice": 10.0, "totalPrice": 10.0,
                "fulfilment": {"method": "FBR", "latestDeliveryDate": "2026-11-03", "expiryDate": expiry},
                "product": {"ean": "8712345678906", "title": "x"}})
        };
        let order = |items: Vec<serde_json::Value>| {
            order_from(&serde_json::json!({"orderId": "1", "orderPlacedDateTime": "2026-11-02T10:00:00+01:00",
                "orderItems": items}))
            .unwrap()
        };
        let o = order(vec![item("a", "2026-11-06", 0), item("b", "2026-11-05", 0)]);
        assert_eq!(o.ship_by.unwrap().to_rfc3339(), "2026-11-04T23:00:00+00:00");
        // A shipped item no longer sets the deadline.
        let o = order(vec![item("a", "2026-11-06", 0), item("b", "2026-11-05", 1)]);
        assert_eq!(o.ship_by.unwrap().to_rfc3339(), "2026-11-05T23:00:00+00:00");
        let o = order(vec![item("a", "2026-11-06", 1)]);
        assert_eq!(o.ship_by, None, "nothing left to ship, no deadline");
    }

    #[test]
    fn each_item_keeps_its_own_deadline_cancelled_units_and_the_customers_request() {
        let o = order_from(&serde_json::json!({"orderId": "1",
            "orderPlacedDateTime": "2026-11-02T10:00:00+01:00",
            "orderItems": [
                {"orderItemId": "a", "quantity": 3, "quantityShipped": 0, "quantityCancelled": 1,
                 "cancellationRequest": false, "unitPrice": 10.0, "totalPrice": 30.0,
                 "fulfilment": {"method": "FBR", "expiryDate": "2026-11-08"},
                 "product": {"ean": "8712345678906", "title": "x"}},
                {"orderItemId": "b", "quantity": 1, "quantityShipped": 0, "quantityCancelled": 0,
                 "cancellationRequest": true, "unitPrice": 10.0, "totalPrice": 10.0,
                 "fulfilment": {"method": "FBR", "expiryDate": "2026-11-05"},
                 "product": {"ean": "8712345678913", "title": "y"}},
                {"orderItemId": "c", "quantity": 1, "quantityShipped": 0, "quantityCancelled": 1,
                 "cancellationRequest": false, "unitPrice": 10.0, "totalPrice": 10.0,
                 "fulfilment": {"method": "FBR", "expiryDate": "2026-11-04"},
                 "product": {"ean": "8712345678920", "title": "z"}}]}))
        .unwrap();
        assert_eq!(
            o.status,
            OrderStatus::Open,
            "one unit cancelled leaves the order open"
        );
        let at = |i: usize| o.lines[i].ship_by.map(|t| t.to_rfc3339());
        // The Dutch day before the expiry date ends at 23:00 UTC in winter.
        assert_eq!(at(0).as_deref(), Some("2026-11-07T23:00:00+00:00"));
        assert_eq!(at(1).as_deref(), Some("2026-11-04T23:00:00+00:00"));
        assert_eq!(at(2), None, "a cancelled item has no deadline");
        assert_eq!(
            o.ship_by.map(|t| t.to_rfc3339()),
            at(1),
            "the earliest open item's"
        );
        assert_eq!(o.lines[0].quantity_cancelled, 1);
        assert!(o.lines[1].cancellation_requested);
        assert!(!o.lines[0].cancellation_requested);
    }
}
