//! The HTTP side of the bol.com emulator: routes, the token endpoint, the checks bol makes on
//! every call (token, media type, rate limit) and the handlers. Shapes follow bol's v10
//! OpenAPI documents; validation rejects what bol documents as invalid.

use super::state::{ItemProgress, Offer, Process, ShipmentView, State};
use super::{Bol, MEDIA_CSV, MEDIA_JSON, TOKEN_SECONDS};
use crate::control_answer;
use crate::world::{valid_ean, Purchase};
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State as Ax};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use base64::Engine;
use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, Utc};
use rand::Rng;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::str::FromStr;

pub(super) fn router(bol: Bol) -> Router {
    let api = Router::new()
        .route("/retailer/offers", post(create_offer))
        .route("/retailer/offers/export", post(create_export))
        .route("/retailer/offers/export/{id}", get(get_export))
        .route(
            "/retailer/offers/{id}",
            get(get_offer).put(update_offer).delete(delete_offer),
        )
        .route("/retailer/offers/{id}/price", put(update_price))
        .route("/retailer/offers/{id}/stock", put(update_stock))
        .route("/retailer/orders", get(list_orders))
        .route("/retailer/orders/cancellation", put(cancel))
        .route("/retailer/orders/{id}", get(get_order))
        .route(
            "/retailer/shipments",
            post(create_shipment).get(list_shipments),
        )
        .route("/retailer/commission/{ean}", get(commission))
        .route("/retailer/products/{ean}/ratings", get(ratings))
        .route("/retailer/invoices", get(list_invoices))
        .route("/retailer/invoices/{id}", get(get_invoice))
        .route(
            "/retailer/invoices/{id}/specification",
            get(invoice_specification),
        )
        .route("/shared/process-status", get(find_processes))
        .route("/shared/process-status/{id}", get(get_process))
        .layer(axum::middleware::from_fn_with_state(bol.clone(), gate));
    Router::new()
        .route("/token", post(token))
        .route("/_sandbox/orders", post(control_place_order))
        .route(
            "/_sandbox/order-items/{id}/cancellation-request",
            post(control_request_cancellation),
        )
        .route(
            "/_sandbox/order-items/{id}/cancel",
            post(control_cancel_item),
        )
        .merge(api)
        .with_state(bol)
}

// ---------------------------------------------------------------------------------------------
// Answers

/// bol.com's problem answer (`application/vnd.retailer.v10+json`), also what the fault
/// control route's queued statuses answer with.
pub(crate) fn problem(
    status: StatusCode,
    detail: &str,
    instance: &str,
    violations: &[(String, String)],
) -> Response {
    let mut body = json!({
        "type": "https://api.bol.com/problems",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
        "host": "Instance-001",
        "instance": format!("https://api.bol.com{instance}"),
    });
    if !violations.is_empty() {
        body["violations"] = violations
            .iter()
            .map(|(n, r)| json!({"name": n, "reason": r}))
            .collect();
    }
    with_type(status, body)
}

fn with_type(status: StatusCode, body: Value) -> Response {
    (status, [("content-type", MEDIA_JSON)], body.to_string()).into_response()
}

fn amsterdam(t: DateTime<Utc>) -> String {
    // Winter time (+01:00): the world runs from September to December.
    match FixedOffset::east_opt(3600) {
        Some(tz) => t
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        None => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

/// The date in the Netherlands (winter time, as [`amsterdam`]) of a moment: bol's dates.
fn local_date(t: DateTime<Utc>) -> NaiveDate {
    (t + Duration::hours(1)).date_naive()
}

fn money(d: Decimal) -> Value {
    json!(d.round_dp(2).to_f64().unwrap_or(0.0))
}

fn process_json(p: &Process) -> Value {
    let status = if p.polls_left > 0 {
        "PENDING"
    } else if p.outcome.is_ok() {
        "SUCCESS"
    } else {
        "FAILURE"
    };
    let mut v = json!({
        "processStatusId": p.id.to_string(),
        "entityId": p.entity_id,
        "eventType": p.event_type,
        "description": p.description,
        "status": status,
        "createTimestamp": amsterdam(p.created),
        "links": [{"rel": "self", "href": format!("https://api.bol.com/shared/process-status/{}", p.id), "method": "GET"}],
    });
    if status == "FAILURE" {
        if let Err(m) = &p.outcome {
            v["errorMessage"] = json!(m);
        }
    }
    v
}

fn accepted(p: &Process) -> Response {
    with_type(StatusCode::ACCEPTED, process_json(p))
}

// ---------------------------------------------------------------------------------------------
// Token, and what bol checks on every API call

async fn token(
    Ax(bol): Ax<Bol>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let unauthorized = || {
        (
            StatusCode::UNAUTHORIZED,
            [("content-type", "application/json")],
            json!({"error": "invalid_client", "error_description": "Bad client credentials"})
                .to_string(),
        )
            .into_response()
    };
    if q.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return (
            StatusCode::BAD_REQUEST,
            [("content-type", "application/json")],
            json!({"error": "unsupported_grant_type"}).to_string(),
        )
            .into_response();
    }
    let basic = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok());
    let Some((id, secret)) = basic.as_deref().and_then(|s| s.split_once(':')) else {
        return unauthorized();
    };
    if id != bol.client_id || secret != bol.client_secret {
        return unauthorized();
    }
    let now = bol.shared.clock.now();
    let mut st = bol.lock();
    let n: u64 = st.rng.random();
    let token = format!("eyJhbGciOiJSUzI1NiJ9.sandbox.{n:016x}");
    st.tokens
        .insert(token.clone(), now + Duration::seconds(TOKEN_SECONDS));
    st.tokens_issued += 1;
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        json!({"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS, "scope": "RETAILER"}).to_string(),
    )
        .into_response()
}

/// Token, media types and rate limit, in the order bol applies them.
async fn gate(Ax(bol): Ax<Bol>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let method = request.method().clone();
    let now = bol.shared.clock.now();
    let (bearer, accept, content_type) = {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        (
            header("authorization"),
            header("accept"),
            header("content-type"),
        )
    };

    let valid = bearer
        .strip_prefix("Bearer ")
        .and_then(|t| bol.lock().tokens.get(t.trim()).copied())
        .is_some_and(|expires| now < expires);
    if !valid {
        return problem(
            StatusCode::UNAUTHORIZED,
            "Invalid or expired token, request a new one.",
            &path,
            &[],
        );
    }

    let wants_csv = method == Method::GET && path.starts_with("/retailer/offers/export/");
    let acceptable = if wants_csv {
        accept.contains(MEDIA_CSV)
    } else {
        accept.contains(MEDIA_JSON)
    };
    if !acceptable {
        return problem(
            StatusCode::NOT_ACCEPTABLE,
            &format!(
                "Accept header must be {}.",
                if wants_csv { MEDIA_CSV } else { MEDIA_JSON }
            ),
            &path,
            &[],
        );
    }
    if (method == Method::POST || method == Method::PUT)
        && content_type.split(';').next().map(str::trim) != Some(MEDIA_JSON)
    {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!("Content-Type must be {MEDIA_JSON}."),
            &path,
            &[],
        );
    }

    // One window per method and route shape (ids replaced), as bol limits per endpoint.
    let shape: String = path
        .split('/')
        .map(|s| {
            if s.chars().any(|c| c.is_ascii_digit()) {
                "*"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let (limit, used, reset) = {
        let mut st = bol.lock();
        let limit = st.rate_limit;
        let w = st
            .windows
            .entry(format!("{method} {shape}"))
            .or_insert((tokio::time::Instant::now(), 0));
        if w.0.elapsed() >= std::time::Duration::from_secs(60) {
            *w = (tokio::time::Instant::now(), 0);
        }
        w.1 += 1;
        (
            limit,
            w.1,
            60u64.saturating_sub(w.0.elapsed().as_secs()).max(1),
        )
    };
    let mut response = if used > limit {
        let mut r = problem(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests, retry later.",
            &path,
            &[],
        );
        if let Ok(v) = HeaderValue::from_str(&reset.to_string()) {
            r.headers_mut().insert("retry-after", v);
        }
        r
    } else {
        next.run(request).await
    };
    let h = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", u64::from(limit)),
        (
            "x-ratelimit-remaining",
            u64::from(limit.saturating_sub(used)),
        ),
        ("x-ratelimit-reset", reset),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
            h.insert(name, v);
        }
    }
    response
}

/// Reads a JSON body or answers bol's 400.
#[allow(clippy::result_large_err)] // a handler returns the Response as it is
fn read_body(body: &Bytes, path: &str) -> Result<Value, Response> {
    serde_json::from_slice::<Value>(body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            problem(
                StatusCode::BAD_REQUEST,
                "Request body is not valid JSON.",
                path,
                &[],
            )
        })
}

/// Reads a JSON body and runs `check` over it, answering bol's 400 when the body is not JSON
/// or `check` found violations. An accepted body is recorded under `method` and `route` (the
/// route as bol's spec names it) so tests can see what the connector sent.
#[allow(clippy::result_large_err)] // a handler returns the Response as it is
fn accept<T>(
    bol: &Bol,
    body: &Bytes,
    path: &str,
    (method, route): (&str, &str),
    check: impl FnOnce(&mut Violations, &Value) -> T,
) -> Result<(Value, T), Response> {
    let b = read_body(body, path)?;
    let mut v = Violations::new();
    let checked = check(&mut v, &b);
    if !v.is_empty() {
        return Err(problem(StatusCode::BAD_REQUEST, "Bad request", path, &v));
    }
    bol.lock()
        .accepted
        .push((method.to_string(), route.to_string(), b.clone()));
    Ok((b, checked))
}

// ---------------------------------------------------------------------------------------------
// Offers

const CONDITIONS: &[&str] = &["NEW", "AS_NEW", "GOOD", "REASONABLE", "MODERATE"];
const DELIVERY_CODES: &[&str] = &[
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
];

type Violations = Vec<(String, String)>;

fn invalid(v: &mut Violations, name: &str, value: &Value) {
    v.push((
        name.to_string(),
        format!(
            "Request contains invalid value(s): '{}'",
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_string)
        ),
    ));
}

fn check_text(v: &mut Violations, body: &Value, name: &str, max: usize) {
    if let Some(x) = body.get(name) {
        if x.as_str().is_none_or(|s| s.chars().count() > max) {
            invalid(v, name, x);
        }
    }
}

fn check_pricing(v: &mut Violations, pricing: Option<&Value>) -> Vec<(u32, Decimal)> {
    let Some(prices) = pricing
        .and_then(|p| p.get("bundlePrices"))
        .and_then(Value::as_array)
    else {
        v.push((
            "pricing.bundlePrices".into(),
            "Request contains invalid value(s): 'null'".into(),
        ));
        return Vec::new();
    };
    if prices.is_empty() || prices.len() > 4 {
        v.push((
            "pricing.bundlePrices".into(),
            "Between 1 and 4 bundle prices are allowed.".into(),
        ));
    }
    let mut out = Vec::new();
    for (i, p) in prices.iter().enumerate() {
        let q = p
            .get("quantity")
            .and_then(Value::as_u64)
            .filter(|q| (1..=24).contains(q));
        let price = p
            .get("unitPrice")
            .and_then(|x| x.as_number())
            .and_then(|n| Decimal::from_str(&n.to_string()).ok())
            .filter(|d| *d >= Decimal::ONE && *d <= Decimal::from(9999) && d.scale() <= 2);
        match (q, price) {
            (Some(q), Some(d)) => out.push((q as u32, d)),
            (None, _) => invalid(
                v,
                &format!("pricing.bundlePrices[{i}].quantity"),
                p.get("quantity").unwrap_or(&Value::Null),
            ),
            (_, None) => invalid(
                v,
                &format!("pricing.bundlePrices[{i}].unitPrice"),
                p.get("unitPrice").unwrap_or(&Value::Null),
            ),
        }
    }
    if !out.iter().any(|(q, _)| *q == 1) && v.is_empty() {
        v.push((
            "pricing.bundlePrices".into(),
            "A bundle price with quantity 1 is required.".into(),
        ));
    }
    let rising = out.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 > w[1].1);
    if !rising {
        v.push((
            "pricing.bundlePrices".into(),
            "Quantities must increase and unit prices decrease.".into(),
        ));
    }
    out
}

fn check_fulfilment(v: &mut Violations, f: Option<&Value>) -> (String, Option<String>) {
    let Some(f) = f.filter(|f| f.is_object()) else {
        v.push((
            "fulfilment".into(),
            "Request contains invalid value(s): 'null'".into(),
        ));
        return (String::new(), None);
    };
    let method = f.get("method").and_then(Value::as_str).unwrap_or("");
    if !["FBR", "FBB"].contains(&method) {
        invalid(
            v,
            "fulfilment.method",
            f.get("method").unwrap_or(&Value::Null),
        );
    }
    let code = f.get("deliveryCode").and_then(Value::as_str);
    if let Some(c) = code {
        if !DELIVERY_CODES.contains(&c) {
            invalid(v, "fulfilment.deliveryCode", &json!(c));
        }
    }
    (method.to_string(), code.map(str::to_string))
}

fn check_stock(v: &mut Violations, s: Option<&Value>, prefix: &str) -> (u32, bool) {
    let amount = s.and_then(|s| s.get("amount"));
    let n = amount.and_then(Value::as_u64).filter(|n| *n <= 999);
    if n.is_none() {
        invalid(
            v,
            &format!("{prefix}amount"),
            amount.unwrap_or(&Value::Null),
        );
    }
    let managed = s.and_then(|s| s.get("managedByRetailer"));
    if managed.is_none_or(|m| !m.is_boolean()) {
        invalid(
            v,
            &format!("{prefix}managedByRetailer"),
            managed.unwrap_or(&Value::Null),
        );
    }
    (
        n.unwrap_or(0) as u32,
        managed.and_then(Value::as_bool).unwrap_or(false),
    )
}

async fn create_offer(Ax(bol): Ax<Bol>, body: Bytes) -> Response {
    let path = "/retailer/offers";
    let (b, (prices, (stock, managed), (method, delivery_code))) =
        match accept(&bol, &body, path, ("POST", path), |v, b| {
            let ean = b.get("ean").and_then(Value::as_str).unwrap_or("");
            if !valid_ean(ean) {
                invalid(v, "ean", b.get("ean").unwrap_or(&Value::Null));
            }
            let condition = b.pointer("/condition/name");
            if !condition
                .and_then(Value::as_str)
                .is_some_and(|c| CONDITIONS.contains(&c))
            {
                invalid(v, "condition.name", condition.unwrap_or(&Value::Null));
            }
            if condition.and_then(Value::as_str) == Some("NEW")
                && b.pointer("/condition/comment").is_some()
            {
                v.push((
                    "condition.comment".into(),
                    "A comment is only allowed for second-hand conditions.".into(),
                ));
            }
            check_text(v, b, "reference", 100);
            check_text(v, b, "unknownProductTitle", 500);
            (
                check_pricing(v, b.get("pricing")),
                check_stock(v, b.get("stock"), "stock."),
                check_fulfilment(v, b.get("fulfilment")),
            )
        }) {
            Ok(accepted) => accepted,
            Err(r) => return r,
        };
    // Both were checked above; a refused body never gets here.
    let ean = b
        .get("ean")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let condition = b
        .pointer("/condition/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let now = bol.shared.clock.now();
    let mut st = bol.lock();
    let duplicate = st
        .offers
        .values()
        .any(|o| o.ean == ean && o.condition == condition);
    let offer_id = format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        st.rng.random::<u32>(),
        st.rng.random::<u16>(),
        st.rng.random::<u16>() & 0xfff,
        st.rng.random::<u16>() & 0xfff,
        st.rng.random::<u64>() & 0xffff_ffff_ffff
    );
    let outcome = if duplicate {
        Err(format!(
            "An offer with EAN {ean} and condition {condition} already exists."
        ))
    } else {
        st.offers.insert(
            offer_id.clone(),
            Offer {
                id: offer_id.clone(),
                ean: ean.clone(),
                condition: condition.to_string(),
                reference: b
                    .get("reference")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                on_hold: b
                    .get("onHoldByRetailer")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                title: b
                    .get("unknownProductTitle")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                prices,
                stock,
                managed_by_retailer: managed,
                method,
                delivery_code,
                economic_operator_id: b
                    .get("economicOperatorId")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                changed: now,
            },
        );
        Ok(())
    };
    let p = st.process(
        "CREATE_OFFER",
        offer_id,
        format!("Create offer with ean {ean}."),
        now,
        outcome,
    );
    accepted(&p)
}

fn offer_json(o: &Offer) -> Value {
    let mut v = json!({
        "offerId": o.id,
        "ean": o.ean,
        "onHoldByRetailer": o.on_hold,
        "pricing": {"bundlePrices": o.prices.iter().map(|(q, p)| json!({"quantity": q, "unitPrice": money(*p)})).collect::<Vec<_>>()},
        "stock": {"amount": o.stock, "correctedStock": o.stock, "managedByRetailer": o.managed_by_retailer},
        "fulfilment": {"method": o.method},
        "store": {"productTitle": o.title.clone().unwrap_or_default(), "visible": [{"countryCode": "NL"}, {"countryCode": "BE"}]},
        "condition": {"name": o.condition, "category": if o.condition == "NEW" { "NEW" } else { "SECONDHAND" }},
        "notPublishableReasons": if o.on_hold { json!([{"code": "4003", "description": "The offer is on hold by the retailer."}]) } else { json!([]) },
    });
    if let Some(r) = &o.reference {
        v["reference"] = json!(r);
    }
    if let Some(t) = &o.title {
        v["unknownProductTitle"] = json!(t);
    }
    if let Some(c) = &o.delivery_code {
        v["fulfilment"]["deliveryCode"] = json!(c);
    }
    if let Some(e) = &o.economic_operator_id {
        v["economicOperatorId"] = json!(e);
    }
    v
}

fn no_offer(id: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        &format!("Offer {id} not found."),
        &format!("/retailer/offers/{id}"),
        &[],
    )
}

async fn get_offer(Ax(bol): Ax<Bol>, Path(id): Path<String>) -> Response {
    match bol.lock().offers.get(&id) {
        Some(o) => with_type(StatusCode::OK, offer_json(o)),
        None => no_offer(&id),
    }
}

/// Applies a change to an existing offer and answers 202 with its process.
fn change_offer(
    bol: &Bol,
    id: &str,
    event: &'static str,
    what: &str,
    f: impl FnOnce(&mut Offer),
) -> Response {
    let now = bol.shared.clock.now();
    let mut st = bol.lock();
    let Some(o) = st.offers.get_mut(id) else {
        return no_offer(id);
    };
    f(o);
    o.changed = now;
    let p = st.process(
        event,
        id.to_string(),
        format!("{what} offer {id}."),
        now,
        Ok(()),
    );
    accepted(&p)
}

async fn update_offer(Ax(bol): Ax<Bol>, Path(id): Path<String>, body: Bytes) -> Response {
    let path = format!("/retailer/offers/{id}");
    let route = ("PUT", "/retailer/offers/{offer-id}");
    let (b, (method, code)) = match accept(&bol, &body, &path, route, |v, b| {
        check_text(v, b, "reference", 100);
        check_text(v, b, "unknownProductTitle", 500);
        check_fulfilment(v, b.get("fulfilment"))
    }) {
        Ok(accepted) => accepted,
        Err(r) => return r,
    };
    change_offer(&bol, &id, "UPDATE_OFFER", "Update", |o| {
        if let Some(r) = b.get("reference").and_then(Value::as_str) {
            o.reference = Some(r.to_string());
        }
        if let Some(t) = b.get("unknownProductTitle").and_then(Value::as_str) {
            o.title = Some(t.to_string());
        }
        if let Some(h) = b.get("onHoldByRetailer").and_then(Value::as_bool) {
            o.on_hold = h;
        }
        o.method = method;
        o.delivery_code = code;
    })
}

async fn update_price(Ax(bol): Ax<Bol>, Path(id): Path<String>, body: Bytes) -> Response {
    let path = format!("/retailer/offers/{id}/price");
    let route = ("PUT", "/retailer/offers/{offer-id}/price");
    let (_, prices) = match accept(&bol, &body, &path, route, |v, b| {
        check_pricing(v, b.get("pricing"))
    }) {
        Ok(accepted) => accepted,
        Err(r) => return r,
    };
    change_offer(&bol, &id, "UPDATE_OFFER_PRICE", "Update price of", |o| {
        o.prices = prices
    })
}

async fn update_stock(Ax(bol): Ax<Bol>, Path(id): Path<String>, body: Bytes) -> Response {
    let path = format!("/retailer/offers/{id}/stock");
    let route = ("PUT", "/retailer/offers/{offer-id}/stock");
    let (_, (stock, managed)) = match accept(&bol, &body, &path, route, |v, b| {
        check_stock(v, Some(b), "")
    }) {
        Ok(accepted) => accepted,
        Err(r) => return r,
    };
    change_offer(&bol, &id, "UPDATE_OFFER_STOCK", "Update stock of", |o| {
        o.stock = stock;
        o.managed_by_retailer = managed;
    })
}

async fn delete_offer(Ax(bol): Ax<Bol>, Path(id): Path<String>) -> Response {
    let now = bol.shared.clock.now();
    let mut st = bol.lock();
    if st.offers.remove(&id).is_none() {
        return no_offer(&id);
    }
    let p = st.process(
        "DELETE_OFFER",
        id.clone(),
        format!("Delete offer {id}."),
        now,
        Ok(()),
    );
    accepted(&p)
}

async fn create_export(Ax(bol): Ax<Bol>, body: Bytes) -> Response {
    let path = "/retailer/offers/export";
    if let Err(r) = accept(&bol, &body, path, ("POST", path), |v, b| {
        if b.get("format").and_then(Value::as_str) != Some("CSV") {
            v.push((
                "format".into(),
                "Request contains invalid value(s): only CSV".into(),
            ));
        }
    }) {
        return r;
    }
    let now = bol.shared.clock.now();
    let mut st = bol.lock();
    let mut csv = String::from("offerId,ean,conditionName,conditionCategory,conditionComment,bundlePricesPrice,fulfilmentDeliveryCode,stockAmount,onHoldByRetailer,fulfilmentType,mutationDateTime,referenceCode,correctedStock,unknownProductTitle\n");
    for o in st.offers.values() {
        let price = o
            .prices
            .iter()
            .find(|(q, _)| *q == 1)
            .map(|(_, p)| p.round_dp(2).to_string())
            .unwrap_or_default();
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        csv.push_str(&format!(
            "{},{},{},{},,{},{},{},{},{},{},{},{},{}\n",
            o.id,
            o.ean,
            o.condition,
            if o.condition == "NEW" {
                "NEW"
            } else {
                "SECONDHAND"
            },
            price,
            o.delivery_code.clone().unwrap_or_default(),
            o.stock,
            o.on_hold,
            o.method,
            amsterdam(o.changed),
            quote(o.reference.as_deref().unwrap_or("")),
            o.stock,
            quote(o.title.as_deref().unwrap_or("")),
        ));
    }
    let report = st.next_id().to_string();
    st.exports.insert(report.clone(), csv);
    let p = st.process(
        "CREATE_OFFER_EXPORT",
        report,
        "Create offer export.".into(),
        now,
        Ok(()),
    );
    accepted(&p)
}

async fn get_export(Ax(bol): Ax<Bol>, Path(id): Path<String>) -> Response {
    match bol.lock().exports.get(&id) {
        Some(csv) => (StatusCode::OK, [("content-type", MEDIA_CSV)], csv.clone()).into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            &format!("Report {id} not found."),
            &format!("/retailer/offers/export/{id}"),
            &[],
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Process status

async fn get_process(Ax(bol): Ax<Bol>, Path(id): Path<String>) -> Response {
    let mut st = bol.lock();
    let Some(p) = id
        .parse::<u64>()
        .ok()
        .and_then(|n| st.processes.get_mut(&n))
    else {
        return problem(
            StatusCode::NOT_FOUND,
            &format!("Process status {id} not found."),
            &format!("/shared/process-status/{id}"),
            &[],
        );
    };
    let answer = process_json(p);
    p.polls_left = p.polls_left.saturating_sub(1);
    with_type(StatusCode::OK, answer)
}

async fn find_processes(Ax(bol): Ax<Bol>, Query(q): Query<HashMap<String, String>>) -> Response {
    let path = "/shared/process-status";
    let mut v = Violations::new();
    for name in ["entity-id", "event-type"] {
        if q.get(name).is_none_or(String::is_empty) {
            v.push((name.into(), "must not be null".into()));
        }
    }
    let event = q.get("event-type").map_or("", String::as_str);
    if !event.is_empty() && !EVENT_TYPES.contains(&event) {
        invalid(&mut v, "event-type", &json!(event));
    }
    let page = page_param(&mut v, &q);
    let (Some(entity), true) = (q.get("entity-id"), v.is_empty()) else {
        return problem(StatusCode::BAD_REQUEST, "Bad request", path, &v);
    };
    let st = bol.lock();
    let found: Vec<Value> = st
        .processes
        .values()
        .rev()
        .filter(|p| &p.entity_id == entity && p.event_type == event)
        .skip((page - 1) * 50)
        .take(50)
        .map(process_json)
        .collect();
    with_type(StatusCode::OK, json!({"processStatuses": found}))
}

// ---------------------------------------------------------------------------------------------
// Orders, shipments, cancellations

/// The `page` query parameter: 1 when absent, at least 1 when given.
fn page_param(v: &mut Violations, q: &HashMap<String, String>) -> usize {
    match q.get("page").map(|p| p.parse::<usize>()) {
        None => 1,
        Some(Ok(p)) if p >= 1 => p,
        Some(_) => {
            v.push(("page".into(), "must be at least 1".into()));
            1
        }
    }
}

/// The process event types bol's shared API lists for `event-type`.
const EVENT_TYPES: &[&str] = &[
    "CREATE_SHIPMENT",
    "CANCEL_ORDER",
    "CHANGE_TRANSPORT",
    "HANDLE_RETURN_ITEM",
    "CREATE_RETURN_ITEM",
    "CREATE_INBOUND",
    "DELETE_OFFER",
    "CREATE_OFFER",
    "UPDATE_OFFER",
    "UPDATE_OFFER_STOCK",
    "UPDATE_OFFER_PRICE",
    "CREATE_OFFER_EXPORT",
    "UNPUBLISHED_OFFER_REPORT",
    "CREATE_PRODUCT_CONTENT",
    "CREATE_SUBSCRIPTION",
    "UPDATE_SUBSCRIPTION",
    "DELETE_SUBSCRIPTION",
    "SEND_SUBSCRIPTION_TST_MSG",
    "CREATE_SHIPPING_LABEL",
    "CREATE_REPLENISHMENT",
    "UPDATE_REPLENISHMENT",
    "REQUEST_PRODUCT_DESTINATIONS",
    "CREATE_SOV_SEARCH_TERM_REPORT",
    "CREATE_SOV_CATEGORY_REPORT",
    "UPLOAD_INVOICE",
    "CREATE_CAMPAIGN_PERFORMANCE_REPORT",
];

fn order_id(p: &Purchase) -> String {
    (1_043_000_000u64 + u64::from(p.id)).to_string()
}

fn item_id(p: &Purchase, line: usize) -> String {
    (6_107_000_000u64 + u64::from(p.id) * 10 + line as u64).to_string()
}

/// Commission for one item at a price: € 0.99 + 15 %, bol's common shape (fixed + share).
fn commission_for(price: Decimal) -> (Decimal, Decimal, Decimal) {
    let fixed = Decimal::new(99, 2);
    let pct = Decimal::from(15);
    (
        fixed,
        pct,
        (fixed + price * pct / Decimal::from(100)).round_dp(2),
    )
}

struct ItemView {
    id: String,
    product: usize,
    quantity: u32,
    progress: ItemProgress,
    changed: DateTime<Utc>,
    /// Days the offer promises to the customer (see [`promise_days`]).
    days: i64,
}

/// Days to the customer the offer's delivery promise (`fulfilment.deliveryCode`) allows at
/// most: "24uurs-*" one, "1-2d" two, "2-3d" three, "3-5d" five, "4-8d" and "1-8d" eight. An
/// offer without a code (or a product without an offer) gets two, the promise of "1-2d".
fn promise_days(st: &State, world: &crate::world::World, product: usize) -> i64 {
    let code = world
        .products
        .get(product)
        .and_then(|p| st.offers.values().find(|o| o.ean == p.ean))
        .and_then(|o| o.delivery_code.as_deref());
    match code {
        Some(c) if c.starts_with("24uurs") => 1,
        Some("2-3d") => 3,
        Some("3-5d") => 5,
        Some("4-8d" | "1-8d") => 8,
        _ => 2,
    }
}

/// The Dutch date an order item must be delivered by (`latestDeliveryDate`: the order's date
/// plus the offer's promised days) and the date bol cancels it when not shipped
/// (`expiryDate`: the day after). Items of one order may differ when their offers promise
/// different delivery times.
fn deadlines(placed: DateTime<Utc>, days: i64) -> (NaiveDate, NaiveDate) {
    let day = local_date(placed);
    (day + Duration::days(days), day + Duration::days(days + 1))
}

/// The moment the expiry date ends in the Netherlands: bol cancels an unshipped item then.
fn expiry_end(placed: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    let (_, expiry) = deadlines(placed, days);
    (expiry + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .map_or(placed, |t| t.and_utc() - Duration::hours(1))
}

/// An item's progress at `now`: what Kanaal did to it, and with [`State::lifelike`] what the
/// world's past and bol's expiry did.
fn progress_of(
    st: &State,
    epoch: DateTime<Utc>,
    p: &Purchase,
    line: usize,
    quantity: u32,
    days: i64,
    now: DateTime<Utc>,
) -> ItemProgress {
    let mut progress = st.items.get(&item_id(p, line)).cloned().unwrap_or_default();
    if st.lifelike {
        // The merchant shipped the orders of before the world's start a day after they came
        // in (as on the Shopify sandbox).
        if progress.shipped + progress.cancelled == 0 && p.placed_at < epoch - Duration::days(2) {
            progress.shipped = quantity;
            progress.changed = Some(p.placed_at + Duration::days(1));
        }
        let open = quantity.saturating_sub(progress.shipped + progress.cancelled);
        let end = expiry_end(p.placed_at, days);
        if open > 0 && now >= end {
            progress.cancelled += open;
            progress.changed = Some(end);
        }
    }
    progress
}

/// Every bol order the clock has passed: the world's and the ones placed by the control route.
fn purchases(bol: &Bol, st: &State, now: DateTime<Utc>) -> Vec<Purchase> {
    bol.shared
        .world
        .purchases_on("bol", now)
        .chain(st.placed.iter().filter(|p| p.placed_at <= now))
        .cloned()
        .collect()
}

fn items_of(
    st: &State,
    world: &crate::world::World,
    p: &Purchase,
    now: DateTime<Utc>,
) -> Vec<ItemView> {
    p.lines
        .iter()
        .enumerate()
        .map(|(i, (product, q))| {
            let id = item_id(p, i);
            let days = promise_days(st, world, *product);
            let progress = progress_of(st, world.epoch, p, i, *q, days, now);
            let changed = progress.changed.unwrap_or(p.placed_at);
            ItemView {
                id,
                product: *product,
                quantity: *q,
                progress,
                changed,
                days,
            }
        })
        .collect()
}

fn item_status(i: &ItemView) -> &'static str {
    if i.progress.shipped + i.progress.cancelled >= i.quantity {
        if i.progress.shipped > 0 {
            "SHIPPED"
        } else {
            "CANCELLED"
        }
    } else {
        "OPEN"
    }
}

async fn list_orders(Ax(bol): Ax<Bol>, Query(q): Query<HashMap<String, String>>) -> Response {
    let path = "/retailer/orders";
    let mut v = Violations::new();
    let page = page_param(&mut v, &q);
    let status = q.get("status").map_or("OPEN", String::as_str);
    if !["OPEN", "SHIPPED", "ALL"].contains(&status) {
        invalid(&mut v, "status", &json!(status));
    }
    let method = q.get("fulfilment-method").map_or("FBR", String::as_str);
    if !["FBR", "FBB", "ALL"].contains(&method) {
        invalid(&mut v, "fulfilment-method", &json!(method));
    }
    let interval = match q.get("change-interval-minute").map(|m| m.parse::<i64>()) {
        None => None,
        Some(Ok(m)) if (1..=60).contains(&m) => Some(m),
        Some(_) => {
            v.push((
                "change-interval-minute".into(),
                "must be between 1 and 60".into(),
            ));
            None
        }
    };
    let now = bol.shared.clock.now();
    // "Changes on that one date, up to 3 months of history" (bol's parameter description).
    // The spec does not forbid combining it with `change-interval-minute`; both then apply.
    let change_date = match q.get("latest-change-date") {
        None => None,
        Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(day) if Some(day) < local_date(now).checked_sub_months(Months::new(3)) => {
                v.push((
                    "latest-change-date".into(),
                    "Up to 3 months of history is supported.".into(),
                ));
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                invalid(&mut v, "latest-change-date", &json!(d));
                None
            }
        },
    };
    if !v.is_empty() {
        return problem(StatusCode::BAD_REQUEST, "Bad request", path, &v);
    }
    let st = bol.lock();
    let world = &bol.shared.world;
    let orders: Vec<Value> = purchases(&bol, &st, now)
        .iter()
        .filter_map(|p| {
            let items: Vec<Value> = items_of(&st, world, p, now)
                .into_iter()
                .filter(|_| method != "FBB")
                .filter(|i| status == "ALL" || item_status(i) == status || (status == "SHIPPED" && i.progress.shipped > 0))
                .filter(|i| interval.is_none_or(|m| i.changed >= now - Duration::minutes(m)))
                .filter(|i| change_date.is_none_or(|d| local_date(i.changed) == d))
                .map(|i| {
                    json!({
                        "orderItemId": i.id,
                        "ean": world.products.get(i.product).map(|x| x.ean.clone()).unwrap_or_default(),
                        "fulfilmentMethod": "FBR",
                        "fulfilmentStatus": if item_status(&i) == "OPEN" { "OPEN" } else { "HANDLED" },
                        "quantity": i.quantity,
                        "quantityShipped": i.progress.shipped,
                        "quantityCancelled": i.progress.cancelled,
                        "cancellationRequest": i.progress.cancel_requested && item_status(&i) == "OPEN",
                        "latestChangedDateTime": amsterdam(i.changed),
                    })
                })
                .collect();
            (!items.is_empty()).then(|| json!({"orderId": order_id(p), "orderPlacedDateTime": amsterdam(p.placed_at), "orderItems": items}))
        })
        .skip((page - 1) * 50)
        .take(50)
        .collect();
    if orders.is_empty() {
        // bol answers an empty object when there is nothing (more) to list.
        return with_type(StatusCode::OK, json!({}));
    }
    with_type(StatusCode::OK, json!({"orders": orders}))
}

fn find_purchase(bol: &Bol, order: &str, now: DateTime<Utc>) -> Option<Purchase> {
    let st = bol.lock();
    purchases(bol, &st, now)
        .into_iter()
        .find(|p| order_id(p) == order)
}

async fn get_order(Ax(bol): Ax<Bol>, Path(id): Path<String>) -> Response {
    let now = bol.shared.clock.now();
    let Some(p) = find_purchase(&bol, &id, now) else {
        return problem(
            StatusCode::NOT_FOUND,
            &format!("Order {id} not found."),
            &format!("/retailer/orders/{id}"),
            &[],
        );
    };
    let world = &bol.shared.world;
    let Some(person) = world.people.get(p.person as usize) else {
        return problem(
            StatusCode::NOT_FOUND,
            &format!("Order {id} not found."),
            &format!("/retailer/orders/{id}"),
            &[],
        );
    };
    // bol's masking: a scrambled relay address per order, no phone number.
    let relay = format!(
        "{:x}{:05x}@verkopen.bol.com",
        (world.seed ^ 0x5eed).wrapping_mul(u64::from(p.id) + 7) % 0xff_ffff,
        p.id
    );
    let address = |billing: bool| {
        let mut a = json!({
            "salutation": if person.female { "FEMALE" } else { "MALE" },
            "firstName": person.first_name,
            "surname": person.surname,
            "streetName": person.street,
            "houseNumber": person.house_number,
            "zipCode": person.postcode,
            "city": person.city,
            "countryCode": person.country,
            "email": relay,
        });
        if let Some(ext) = &person.house_number_extension {
            a["houseNumberExtension"] = json!(ext);
        }
        if !billing {
            a["language"] = json!("nl");
        }
        a
    };
    let st = bol.lock();
    let items: Vec<Value> = items_of(&st, world, &p, now)
        .into_iter()
        .filter_map(|i| {
            let product = world.products.get(i.product)?;
            let offer = st.offers.values().find(|o| o.ean == product.ean);
            let (_, _, per_item) = commission_for(product.price);
            let (latest_delivery, expiry) = deadlines(p.placed_at, i.days);
            Some(json!({
                "orderItemId": i.id,
                "cancellationRequest": i.progress.cancel_requested && item_status(&i) == "OPEN",
                "fulfilment": {
                    "method": "FBR",
                    "distributionParty": "RETAILER",
                    "latestDeliveryDate": latest_delivery.to_string(),
                    "expiryDate": expiry.to_string(),
                    "timeFrameType": "REGULAR",
                },
                "offer": {"offerId": offer.map(|o| o.id.clone()).unwrap_or_default(), "reference": offer.and_then(|o| o.reference.clone()).unwrap_or_else(|| product.sku.clone())},
                "product": {"ean": product.ean, "title": product.title},
                "quantity": i.quantity,
                "quantityShipped": i.progress.shipped,
                "quantityCancelled": i.progress.cancelled,
                "unitPrice": money(product.price),
                "totalPrice": money(product.price * Decimal::from(i.quantity)),
                "commission": money(per_item * Decimal::from(i.quantity)),
                "latestChangedDateTime": amsterdam(i.changed),
            }))
        })
        .collect();
    with_type(
        StatusCode::OK,
        json!({
            "orderId": id,
            "pickupPoint": false,
            "orderPlacedDateTime": amsterdam(p.placed_at),
            "shipmentDetails": address(false),
            "billingDetails": address(true),
            "orderItems": items,
        }),
    )
}

/// An order item's progress at `now` as bol shows it (see [`progress_of`]).
fn effective(bol: &Bol, st: &State, item: &str, now: DateTime<Utc>) -> ItemProgress {
    purchases(bol, st, now)
        .iter()
        .find_map(|p| {
            p.lines
                .iter()
                .enumerate()
                .find(|(i, _)| item_id(p, *i) == item)
                .map(|(i, (product, q))| {
                    let world = &bol.shared.world;
                    let days = promise_days(st, world, *product);
                    progress_of(st, world.epoch, p, i, *q, days, now)
                })
        })
        .unwrap_or_default()
}

/// `POST /_sandbox/orders`: the sandbox's control route (see the module documentation).
async fn control_place_order(Ax(bol): Ax<Bol>, body: Bytes) -> Response {
    let b: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    // One product (`sku` or `ean`, `quantity`), or several as `lines`.
    let line = |l: &Value| {
        let code = l
            .get("sku")
            .or_else(|| l.get("ean"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let quantity = l.get("quantity").and_then(Value::as_u64).unwrap_or(1);
        (code, u32::try_from(quantity).unwrap_or(1).clamp(1, 99))
    };
    let lines: Vec<(String, u32)> = match b.get("lines").and_then(Value::as_array) {
        Some(ls) => ls.iter().map(line).collect(),
        None => vec![line(&b)],
    };
    let lines: Vec<(&str, u32)> = lines.iter().map(|(c, q)| (c.as_str(), *q)).collect();
    control_answer(
        place_order(&bol, &lines).map(|id| json!({"orderId": id})),
        StatusCode::CREATED,
    )
}

/// `POST /_sandbox/order-items/{id}/cancellation-request`: the customer asks bol to cancel the
/// item (see the module documentation).
async fn control_request_cancellation(Ax(bol): Ax<Bol>, Path(id): Path<String>) -> Response {
    control_answer(
        request_cancellation(&bol, &id).map(|()| json!({"ok": true})),
        StatusCode::OK,
    )
}

/// `POST /_sandbox/order-items/{id}/cancel` with an optional `{"quantity": n}`: bol cancels
/// units of the item itself (see the module documentation).
async fn control_cancel_item(Ax(bol): Ax<Bol>, Path(id): Path<String>, body: Bytes) -> Response {
    let b: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let quantity = b
        .get("quantity")
        .and_then(Value::as_u64)
        .map(|q| u32::try_from(q).unwrap_or(u32::MAX));
    control_answer(
        cancel_item(&bol, &id, quantity).map(|()| json!({"ok": true})),
        StatusCode::OK,
    )
}

/// The customer asks to cancel order item `item`: bol shows `cancellationRequest: true` on it
/// until it is shipped or cancelled, and lists it as changed now.
pub(super) fn request_cancellation(bol: &Bol, item: &str) -> Result<(), String> {
    let now = bol.shared.clock.now();
    let (_, _, quantity) =
        find_item(bol, item, now).ok_or_else(|| format!("no order item '{item}'"))?;
    let mut st = bol.lock();
    let mut prog = effective(bol, &st, item, now);
    if prog.shipped + prog.cancelled >= quantity {
        return Err(format!("order item {item} is already shipped or cancelled"));
    }
    prog.cancel_requested = true;
    prog.changed = Some(now);
    st.items.insert(item.to_string(), prog);
    Ok(())
}

/// bol cancels `quantity` open units of order item `item` itself (all open units when
/// `None`), as when the customer cancels through bol before the item was shipped. The rest of
/// the order stays open.
pub(super) fn cancel_item(bol: &Bol, item: &str, quantity: Option<u32>) -> Result<(), String> {
    let now = bol.shared.clock.now();
    let (_, _, ordered) =
        find_item(bol, item, now).ok_or_else(|| format!("no order item '{item}'"))?;
    let mut st = bol.lock();
    let mut prog = effective(bol, &st, item, now);
    let open = ordered.saturating_sub(prog.shipped + prog.cancelled);
    let units = quantity.unwrap_or(open);
    if units == 0 || units > open {
        return Err(format!(
            "order item {item} has {open} open units; cannot cancel {units}"
        ));
    }
    prog.cancelled += units;
    prog.changed = Some(now);
    st.items.insert(item.to_string(), prog);
    Ok(())
}

/// Places an order now with these (SKU or EAN, quantity) lines of world products, by one of the
/// world's customers (chosen by the sandbox's seeded generator).
pub(super) fn place_order(bol: &Bol, lines: &[(&str, u32)]) -> Result<String, String> {
    let world = &bol.shared.world;
    let mut items = Vec::new();
    for (code, quantity) in lines {
        let product = world
            .products
            .iter()
            .position(|p| p.sku == *code || p.ean == *code)
            .ok_or_else(|| format!("no product with SKU or EAN '{code}' in the sandbox's world"))?;
        items.push((product, (*quantity).max(1)));
    }
    if items.is_empty() {
        return Err("an order needs at least one line".into());
    }
    if world.people.is_empty() {
        return Err("the sandbox's world has no customers".into());
    }
    let now = bol.shared.clock.now();
    let mut st = bol.lock();
    let person = st.rng.random_range(0..world.people.len() as u32);
    let id = 1_000_000 + st.placed.len() as u32;
    let purchase = Purchase {
        id,
        person,
        platform: "bol",
        placed_at: now,
        lines: items,
    };
    let order = order_id(&purchase);
    st.placed.push(purchase);
    Ok(order)
}

/// Finds the purchase and line of an order item id.
fn find_item(bol: &Bol, item: &str, now: DateTime<Utc>) -> Option<(Purchase, usize, u32)> {
    let st = bol.lock();
    purchases(bol, &st, now).into_iter().find_map(|p| {
        p.lines
            .iter()
            .enumerate()
            .find(|(i, _)| item_id(&p, *i) == item)
            .map(|(i, (_, q))| (p.clone(), i, *q))
    })
}

const TRANSPORTERS: &[&str] = &[
    "BRIEFPOST",
    "UPS",
    "TNT",
    "TNT-EXTRA",
    "TNT_BRIEF",
    "TNT-EXPRESS",
    "DYL",
    "DPD-NL",
    "DPD-BE",
    "BPOST_BE",
    "BPOST_BRIEF",
    "DHLFORYOU",
    "GLS",
    "FEDEX_NL",
    "FEDEX_BE",
    "OTHER",
    "DHL",
    "DHL_DE",
    "DHL-GLOBAL-MAIL",
    "TSN",
    "TRANSMISSION",
    "PARCEL-NL",
    "PACKS",
    "COURIER",
    "TRUNKRS",
    "PES",
    "BUDBEE",
    "DHL-SD",
];

async fn create_shipment(Ax(bol): Ax<Bol>, body: Bytes) -> Response {
    let path = "/retailer/shipments";
    let now = bol.shared.clock.now();
    let (b, wanted) = match accept(&bol, &body, path, ("POST", path), |v, b| {
        let items = b
            .get("orderItems")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if items.is_empty() || items.len() > 100 {
            v.push((
                "orderItems".into(),
                "Between 1 and 100 order items are allowed in one shipment.".into(),
            ));
        }
        check_text(v, b, "shipmentReference", 90);
        if let Some(transport) = b.get("transport") {
            let code = transport.get("transporterCode");
            if !code
                .and_then(Value::as_str)
                .is_some_and(|c| TRANSPORTERS.contains(&c))
            {
                invalid(v, "transport.transporterCode", code.unwrap_or(&Value::Null));
            }
        }
        let mut wanted = Vec::new();
        for (i, it) in items.iter().enumerate() {
            let id = it.get("orderItemId").and_then(Value::as_str).unwrap_or("");
            match find_item(&bol, id, now) {
                Some((p, _, q)) => wanted.push((
                    id.to_string(),
                    it.get("quantity").and_then(Value::as_u64).map(|n| n as u32),
                    q,
                    order_id(&p),
                )),
                None => invalid(v, &format!("orderItems[{i}].orderItemId"), &json!(id)),
            }
        }
        wanted
    }) {
        Ok(accepted) => accepted,
        Err(r) => return r,
    };
    let text_at = |pointer: &str| {
        b.pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let mut st = bol.lock();
    // All or nothing: a repeated shipment of an already shipped item fails, like bol's.
    let mut outcome = Ok(());
    let mut shipped = Vec::new();
    for (id, quantity, total, _) in &wanted {
        let prog = effective(&bol, &st, id, now);
        let open = total.saturating_sub(prog.shipped + prog.cancelled);
        let n = quantity.unwrap_or(open);
        if open == 0 || n > open || n == 0 {
            outcome = Err(format!("Order item {id} has no open quantity to ship."));
            break;
        }
        shipped.push((id.clone(), n));
    }
    let first = wanted.first().map(|w| w.0.clone()).unwrap_or_default();
    if outcome.is_ok() {
        for (id, n) in &shipped {
            let mut prog = effective(&bol, &st, id, now);
            prog.shipped += n;
            prog.changed = Some(now);
            st.items.insert(id.clone(), prog);
        }
        let shipment_id = st.next_id().to_string();
        st.shipments.push(ShipmentView {
            shipment_id,
            order_id: wanted.first().map(|w| w.3.clone()).unwrap_or_default(),
            items: shipped,
            reference: text_at("/shipmentReference"),
            transporter_code: text_at("/transport/transporterCode"),
            track_and_trace: text_at("/transport/trackAndTrace"),
            at: now,
        });
    }
    let p = st.process(
        "CREATE_SHIPMENT",
        first.clone(),
        format!("Create shipment for order item {first}."),
        now,
        outcome,
    );
    accepted(&p)
}

async fn list_shipments(Ax(bol): Ax<Bol>, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut v = Violations::new();
    let page = page_param(&mut v, &q);
    if let Some(m) = q.get("fulfilment-method") {
        if !["FBR", "FBB"].contains(&m.as_str()) {
            invalid(&mut v, "fulfilment-method", &json!(m));
        }
    }
    if !v.is_empty() {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad request",
            "/retailer/shipments",
            &v,
        );
    }
    let st = bol.lock();
    let list: Vec<Value> = st
        .shipments
        .iter()
        .filter(|s| q.get("order-id").is_none_or(|o| &s.order_id == o))
        .skip((page - 1) * 50)
        .take(50)
        .map(|s| {
            json!({
                "shipmentId": s.shipment_id,
                "shipmentDateTime": amsterdam(s.at),
                "shipmentReference": s.reference,
                "order": {"orderId": s.order_id},
                "shipmentItems": s.items.iter().map(|(id, _)| json!({"orderItemId": id})).collect::<Vec<_>>(),
                "transport": {"transportId": s.shipment_id},
            })
        })
        .collect();
    with_type(StatusCode::OK, json!({"shipments": list}))
}

const REASONS: &[&str] = &[
    "OUT_OF_STOCK",
    "REQUESTED_BY_CUSTOMER",
    "BAD_CONDITION",
    "HIGHER_SHIPCOST",
    "INCORRECT_PRICE",
    "NOT_AVAIL_IN_TIME",
    "NO_BOL_GUARANTEE",
    "ORDERED_TWICE",
    "RETAIN_ITEM",
    "TECH_ISSUE",
    "UNFINDABLE_ITEM",
    "OTHER",
];

async fn cancel(Ax(bol): Ax<Bol>, body: Bytes) -> Response {
    let path = "/retailer/orders/cancellation";
    let now = bol.shared.clock.now();
    let (_, wanted) = match accept(&bol, &body, path, ("PUT", path), |v, b| {
        let items = b
            .get("orderItems")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        // bol takes one order item per cancellation request.
        if items.len() != 1 {
            v.push((
                "orderItems".into(),
                "Exactly one order item is allowed in one cancellation.".into(),
            ));
        }
        let mut wanted = Vec::new();
        for (i, it) in items.iter().enumerate() {
            let id = it.get("orderItemId").and_then(Value::as_str).unwrap_or("");
            let reason = it.get("reasonCode").and_then(Value::as_str).unwrap_or("");
            if !REASONS.contains(&reason) {
                invalid(v, &format!("orderItems[{i}].reasonCode"), &json!(reason));
            }
            match find_item(&bol, id, now) {
                Some((_, _, q)) => wanted.push((id.to_string(), reason.to_string(), q)),
                None => invalid(v, &format!("orderItems[{i}].orderItemId"), &json!(id)),
            }
        }
        wanted
    }) {
        Ok(accepted) => accepted,
        Err(r) => return r,
    };
    let mut st = bol.lock();
    let mut outcome = Ok(());
    for (id, _, q) in &wanted {
        let prog = effective(&bol, &st, id, now);
        if prog.shipped + prog.cancelled >= *q {
            outcome = Err(format!(
                "Order item {id} is already handled and cannot be cancelled."
            ));
        }
    }
    if outcome.is_ok() {
        for (id, reason, q) in &wanted {
            let mut prog = effective(&bol, &st, id, now);
            prog.cancelled = q - prog.shipped;
            prog.changed = Some(now);
            st.items.insert(id.clone(), prog);
            st.cancellations.push((id.clone(), reason.clone()));
        }
    }
    let first = wanted.first().map(|w| w.0.clone()).unwrap_or_default();
    let p = st.process(
        "CANCEL_ORDER",
        first.clone(),
        format!("Cancel order item {first}."),
        now,
        outcome,
    );
    accepted(&p)
}

// ---------------------------------------------------------------------------------------------
// Commission and ratings

async fn commission(Path(ean): Path<String>, Query(q): Query<HashMap<String, String>>) -> Response {
    let path = format!("/retailer/commission/{ean}");
    let mut v = Violations::new();
    if !valid_ean(&ean) {
        invalid(&mut v, "ean", &json!(ean));
    }
    let price = q
        .get("unit-price")
        .and_then(|p| Decimal::from_str(p).ok())
        .filter(|p| *p > Decimal::ZERO && *p <= Decimal::from(9999));
    if price.is_none() {
        invalid(&mut v, "unit-price", &json!(q.get("unit-price")));
    }
    let condition = q.get("condition").map_or("NEW", String::as_str);
    if !CONDITIONS.contains(&condition) {
        invalid(&mut v, "condition", &json!(condition));
    }
    let (Some(price), true) = (price, v.is_empty()) else {
        return problem(StatusCode::BAD_REQUEST, "Bad request", &path, &v);
    };
    let (fixed, pct, total) = commission_for(price);
    with_type(
        StatusCode::OK,
        json!({
            "ean": ean, "condition": condition, "unitPrice": money(price), "fixedAmount": money(fixed),
            "percentage": pct.to_f64().unwrap_or(0.0), "totalCost": money(total), "totalCostWithoutReduction": money(total), "reductions": [],
        }),
    )
}

async fn ratings(Ax(bol): Ax<Bol>, Path(ean): Path<String>) -> Response {
    let world = &bol.shared.world;
    let Some((i, _)) = world
        .products
        .iter()
        .enumerate()
        .find(|(_, p)| p.ean == ean)
    else {
        return problem(
            StatusCode::NOT_FOUND,
            &format!("No ratings for product {ean}."),
            &format!("/retailer/products/{ean}/ratings"),
            &[],
        );
    };
    // Deterministic per seed and product: mostly 4 and 5 stars, a few low ones.
    let base = (world.seed as usize).wrapping_mul(31).wrapping_add(i * 17);
    let counts = [
        (5, 20 + base % 40),
        (4, 8 + base % 15),
        (3, 2 + base % 6),
        (2, base % 3),
        (1, 1 + base % 4),
    ];
    with_type(
        StatusCode::OK,
        json!({"ratings": counts.iter().map(|(r, c)| json!({"rating": r, "count": c})).collect::<Vec<_>>()}),
    )
}

// ---------------------------------------------------------------------------------------------
// Invoices
//
// bol.com's OpenAPI document gives these answers only as `string/byte` in the listed media
// types; the JSON shapes below follow bol's invoice documentation (an `invoiceListItems` list
// with UBL-style `legalMonetaryTotal` amounts, and a specification of UBL invoice lines with
// `TURNOVER`, `COMMISSION`, ... line types). One `ALL_IN_ONE` invoice per calendar month,
// issued on the first day of the next month, bills what was ordered on bol in that month:
// the turnover bol passes on (negative: owed to the retailer) and the commission, computed
// per item exactly as the commission endpoint does (amount incl. VAT split into the line
// amount and 21 % VAT). Items cancelled before the invoice was issued are not billed.

/// One line of an invoice specification.
struct InvoiceLine {
    kind: &'static str,
    order_id: String,
    order_item_id: String,
    ean: String,
    quantity: u32,
    /// Without VAT; positive: the retailer pays bol.
    amount: Decimal,
    vat: Decimal,
}

struct Invoice {
    id: String,
    start: NaiveDate,
    end: NaiveDate,
    issued: NaiveDate,
    lines: Vec<InvoiceLine>,
}

impl Invoice {
    fn total(&self) -> (Decimal, Decimal) {
        self.lines
            .iter()
            .fold((Decimal::ZERO, Decimal::ZERO), |(a, v), l| {
                (a + l.amount, v + l.vat)
            })
    }
}

/// Every invoice issued by `now`.
fn invoices(bol: &Bol, st: &State, now: DateTime<Utc>) -> Vec<Invoice> {
    let world = &bol.shared.world;
    let today = local_date(now);
    let Some(mut month) = local_date(world.epoch - Duration::days(62)).with_day(1) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Some(next) = month.checked_add_months(Months::new(1)) {
        if next > today {
            break;
        }
        let issued_at = next
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc() - Duration::hours(1));
        let mut lines = Vec::new();
        for p in purchases(bol, st, now)
            .iter()
            .filter(|p| (month..next).contains(&local_date(p.placed_at)))
        {
            for i in items_of(st, world, p, now) {
                let Some(product) = world.products.get(i.product) else {
                    continue;
                };
                let cancelled_before =
                    issued_at.is_some_and(|at| i.progress.changed.is_some_and(|c| c < at));
                let billed = if cancelled_before {
                    i.quantity.saturating_sub(i.progress.cancelled)
                } else {
                    i.quantity
                };
                if billed == 0 {
                    continue;
                }
                let q = Decimal::from(billed);
                let (_, _, per_item) = commission_for(product.price);
                let commission = per_item * q;
                let without_vat = (commission / Decimal::new(121, 2)).round_dp(2);
                let line = |kind, amount, vat| InvoiceLine {
                    kind,
                    order_id: order_id(p),
                    order_item_id: i.id.clone(),
                    ean: product.ean.clone(),
                    quantity: billed,
                    amount,
                    vat,
                };
                lines.push(line("TURNOVER", -(product.price * q), Decimal::ZERO));
                lines.push(line("COMMISSION", without_vat, commission - without_vat));
            }
        }
        out.push(Invoice {
            id: format!("45{:04}{:02}", month.year(), month.month()),
            start: month,
            end: next - Duration::days(1),
            issued: next,
            lines,
        });
        month = next;
    }
    out
}

fn amount(d: Decimal) -> Value {
    json!({"amount": money(d), "currencyID": "EUR"})
}

fn invoice_media_types() -> Value {
    json!({
        "invoiceMediaTypes": {"availableMediaTypes": [MEDIA_JSON]},
        "specificationMediaTypes": {"availableMediaTypes": [MEDIA_JSON]},
    })
}

fn monetary_total(inv: &Invoice) -> Value {
    let (without, vat) = inv.total();
    json!({
        "lineExtensionAmount": amount(without),
        "taxExclusiveAmount": amount(without),
        "taxInclusiveAmount": amount(without + vat),
        "payableAmount": amount(without + vat),
    })
}

/// `period-start-date` and `period-end-date`: both or neither, dates, at most 31 days apart.
fn invoice_period(
    v: &mut Violations,
    q: &HashMap<String, String>,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let date = |v: &mut Violations, name: &str| {
        let raw = q.get(name)?;
        let d = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
        if d.is_none() {
            invalid(v, name, &json!(raw));
        }
        d
    };
    let (start, end) = (date(v, "period-start-date"), date(v, "period-end-date"));
    match (
        q.contains_key("period-start-date"),
        q.contains_key("period-end-date"),
    ) {
        (false, false) => return (today - Duration::weeks(4), today),
        (true, true) => {}
        (has_start, _) => {
            let missing = if has_start {
                "period-end-date"
            } else {
                "period-start-date"
            };
            v.push((
                missing.into(),
                "period-start-date and period-end-date must be given together.".into(),
            ));
        }
    }
    match (start, end) {
        (Some(s), Some(e)) if e < s => {
            v.push((
                "period-end-date".into(),
                "The period end date must not be before the start date.".into(),
            ));
            (s, e)
        }
        (Some(s), Some(e)) if (e - s).num_days() > 31 => {
            v.push((
                "period-end-date".into(),
                "The period can be no longer than 31 days.".into(),
            ));
            (s, e)
        }
        (Some(s), Some(e)) => (s, e),
        _ => (today, today),
    }
}

async fn list_invoices(Ax(bol): Ax<Bol>, Query(q): Query<HashMap<String, String>>) -> Response {
    let now = bol.shared.clock.now();
    let mut v = Violations::new();
    let (start, end) = invoice_period(&mut v, &q, local_date(now));
    if !v.is_empty() {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad request",
            "/retailer/invoices",
            &v,
        );
    }
    let st = bol.lock();
    let items: Vec<Value> = invoices(&bol, &st, now)
        .iter()
        .filter(|inv| (start..=end).contains(&inv.issued))
        .map(|inv| {
            let mut item = json!({
                "invoiceId": inv.id,
                "invoiceType": "ALL_IN_ONE",
                "issueDate": inv.issued.to_string(),
                "invoicePeriod": {"startDate": inv.start.to_string(), "endDate": inv.end.to_string()},
                "legalMonetaryTotal": monetary_total(inv),
                "specificationItemsCount": inv.lines.len(),
            });
            if let (Some(o), Value::Object(m)) = (item.as_object_mut(), invoice_media_types()) {
                o.extend(m);
            }
            item
        })
        .collect();
    with_type(
        StatusCode::OK,
        json!({"invoiceListItems": items, "period": format!("{start}/{end}")}),
    )
}

fn find_invoice(bol: &Bol, id: &str) -> Option<Invoice> {
    let now = bol.shared.clock.now();
    let st = bol.lock();
    invoices(bol, &st, now).into_iter().find(|i| i.id == id)
}

fn no_invoice(id: &str, path: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        &format!("Invoice {id} not found."),
        path,
        &[],
    )
}

async fn get_invoice(Ax(bol): Ax<Bol>, Path(id): Path<String>) -> Response {
    let path = format!("/retailer/invoices/{id}");
    let Some(inv) = find_invoice(&bol, &id) else {
        return no_invoice(&id, &path);
    };
    // The invoice itself, summed per line type (bol's JSON invoice is SI-UBL).
    let mut per_kind: std::collections::BTreeMap<&str, (Decimal, Decimal)> = Default::default();
    for l in &inv.lines {
        let e = per_kind.entry(l.kind).or_default();
        e.0 += l.amount;
        e.1 += l.vat;
    }
    with_type(
        StatusCode::OK,
        json!({
            "id": inv.id,
            "issueDate": inv.issued.to_string(),
            "invoiceTypeCode": "380",
            "documentCurrencyCode": "EUR",
            "invoicePeriod": {"startDate": inv.start.to_string(), "endDate": inv.end.to_string()},
            "legalMonetaryTotal": monetary_total(&inv),
            "invoiceLines": per_kind.iter().map(|(kind, (a, vat))| json!({
                "id": format!("{}#{kind}", inv.id),
                "lineExtensionAmount": amount(*a),
                "taxTotal": {"taxAmount": amount(*vat)},
                "item": {"name": kind},
            })).collect::<Vec<_>>(),
        }),
    )
}

/// Lines per specification page, as bol documents.
const SPECIFICATION_PAGE: usize = 25_000;

async fn invoice_specification(
    Ax(bol): Ax<Bol>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let path = format!("/retailer/invoices/{id}/specification");
    let mut v = Violations::new();
    let page = page_param(&mut v, &q);
    if !v.is_empty() {
        return problem(StatusCode::BAD_REQUEST, "Bad request", &path, &v);
    }
    let Some(inv) = find_invoice(&bol, &id) else {
        return no_invoice(&id, &path);
    };
    let lines: Vec<Value> = inv
        .lines
        .iter()
        .enumerate()
        .skip((page - 1) * SPECIFICATION_PAGE)
        .take(SPECIFICATION_PAGE)
        .map(|(n, l)| {
            json!({
                "id": format!("{}#{}#{}", l.order_item_id, n + 1, l.kind),
                "invoiceLineRef": format!("{}#{}", inv.id, l.kind),
                "invoicedQuantity": {"value": l.quantity, "unitCode": "ZZ"},
                "lineExtensionAmount": amount(l.amount),
                "taxTotal": {"taxAmount": amount(l.vat)},
                "item": {
                    "name": l.kind,
                    "description": if l.kind == "TURNOVER" { "Verkoopprijs artikel(en), ontvangen van kopers en door bol door te storten" } else { "Commissie" },
                    "additionalItemProperty": [
                        {"name": "orderId", "value": l.order_id},
                        {"name": "orderItemId", "value": l.order_item_id},
                        {"name": "ean", "value": l.ean},
                    ],
                },
            })
        })
        .collect();
    with_type(StatusCode::OK, json!({"invoiceSpecification": lines}))
}
