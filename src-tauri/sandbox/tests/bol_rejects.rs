//! The bol.com sandbox refuses what bol.com refuses, with bol's `Problem` body: bad or expired
//! tokens, wrong media types, an EAN with a wrong check digit, prices and stock out of range,
//! unknown ids, and a used-up rate window. Plain HTTP calls, on purpose not through the
//! connector: the sandbox must stand on its own so that it can catch a connector's mistake.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{start_bol, Bol};
use kanaal_sandbox::bol::MEDIA_JSON;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

async fn start() -> Bol {
    start_bol(11).await
}

impl Bol {
    /// A call as a well-behaved client makes it: bearer token and v10 media types.
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut rq = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("accept", MEDIA_JSON);
        if let Some(b) = body {
            rq = rq.header("content-type", MEDIA_JSON).body(b.to_string());
        }
        rq.send().await.unwrap()
    }

    fn valid_ean(&self) -> String {
        self.sandbox.world().products[0].ean.clone()
    }
}

/// Checks bol's Problem body and returns the names of its violations.
async fn problem(r: reqwest::Response, status: StatusCode) -> Vec<String> {
    assert_eq!(r.status(), status, "status");
    assert_eq!(
        r.headers()["content-type"],
        MEDIA_JSON,
        "a Problem comes in bol's media type"
    );
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["status"], status.as_u16(), "{b}");
    assert_eq!(b["title"], status.canonical_reason().unwrap(), "{b}");
    assert!(b["detail"].as_str().is_some_and(|d| !d.is_empty()), "{b}");
    assert!(
        b["instance"]
            .as_str()
            .unwrap()
            .starts_with("https://api.bol.com/"),
        "{b}"
    );
    b["violations"]
        .as_array()
        .map(|v| {
            v.iter()
                .map(|x| {
                    assert!(x["reason"].as_str().is_some_and(|r| !r.is_empty()), "{x}");
                    x["name"].as_str().unwrap().to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn offer(ean: &str, price: Value, stock: Value) -> Value {
    json!({
        "ean": ean,
        "condition": {"name": "NEW"},
        "reference": "KK-001",
        "pricing": {"bundlePrices": [{"quantity": 1, "unitPrice": price}]},
        "stock": {"amount": stock, "managedByRetailer": false},
        "fulfilment": {"method": "FBR", "deliveryCode": "1-2d"},
    })
}

/// Creates an offer and waits for bol's process to succeed; returns the offer id.
async fn created_offer(b: &Bol) -> String {
    let r = b
        .call(
            Method::POST,
            "/retailer/offers",
            Some(offer(&b.valid_ean(), json!(12.5), json!(3))),
        )
        .await;
    assert_eq!(r.status(), 202);
    let p: Value = r.json().await.unwrap();
    let id = p["processStatusId"].as_str().unwrap().to_string();
    for _ in 0..5 {
        let s: Value = b
            .call(Method::GET, &format!("/shared/process-status/{id}"), None)
            .await
            .json()
            .await
            .unwrap();
        if s["status"] == "SUCCESS" {
            return s["entityId"].as_str().unwrap().to_string();
        }
        assert_eq!(s["status"], "PENDING", "{s}");
    }
    panic!("the offer process never finished");
}

#[tokio::test]
async fn a_missing_invalid_or_expired_token_gets_401() {
    let b = start().await;
    let url = format!("{}/retailer/orders", b.base);
    // Control: the fresh token works, so the 401s below are about the token alone.
    assert_eq!(
        b.call(Method::GET, "/retailer/orders", None).await.status(),
        200
    );

    let none = b
        .http
        .get(&url)
        .header("accept", MEDIA_JSON)
        .send()
        .await
        .unwrap();
    problem(none, StatusCode::UNAUTHORIZED).await;
    let made_up = b
        .http
        .get(&url)
        .bearer_auth("eyJhbGciOiJSUzI1NiJ9.made-up")
        .header("accept", MEDIA_JSON)
        .send()
        .await
        .unwrap();
    problem(made_up, StatusCode::UNAUTHORIZED).await;
    let basic_instead = b
        .http
        .get(&url)
        .header("authorization", format!("Basic {}", b.token))
        .header("accept", MEDIA_JSON)
        .send()
        .await
        .unwrap();
    problem(basic_instead, StatusCode::UNAUTHORIZED).await;

    // bol's tokens live 299 seconds.
    b.sandbox.clock().advance(Duration::from_secs(298));
    assert_eq!(
        b.call(Method::GET, "/retailer/orders", None).await.status(),
        200
    );
    b.sandbox.clock().advance(Duration::from_secs(2));
    problem(
        b.call(Method::GET, "/retailer/orders", None).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn the_token_endpoint_refuses_wrong_client_credentials() {
    let b = start().await;
    let r = b
        .http
        .post(format!("{}/token?grant_type=client_credentials", b.base))
        .basic_auth("sandbox-bol-00000000", Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(
        b.sandbox.bol().tokens_issued(),
        1,
        "only the fixture's token"
    );
}

#[tokio::test]
async fn a_wrong_accept_gets_406_and_a_wrong_content_type_gets_415() {
    let b = start().await;
    for accept in [
        "application/json",
        "application/vnd.retailer.v9+json",
        "*/*",
    ] {
        let r = b
            .http
            .get(format!("{}/retailer/orders", b.base))
            .bearer_auth(&b.token)
            .header("accept", accept)
            .send()
            .await
            .unwrap();
        problem(r, StatusCode::NOT_ACCEPTABLE).await;
    }
    let body = offer(&b.valid_ean(), json!(12.5), json!(3)).to_string();
    for content_type in [
        Some("application/json"),
        Some("application/vnd.retailer.v9+json"),
        None,
    ] {
        let mut rq = b
            .http
            .post(format!("{}/retailer/offers", b.base))
            .bearer_auth(&b.token)
            .header("accept", MEDIA_JSON)
            .body(body.clone());
        if let Some(ct) = content_type {
            rq = rq.header("content-type", ct);
        }
        problem(rq.send().await.unwrap(), StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    }
    assert!(b.sandbox.bol().offers().is_empty(), "nothing was created");
    // Control: the same body in the right media type is taken.
    let r = b
        .call(
            Method::POST,
            "/retailer/offers",
            Some(offer(&b.valid_ean(), json!(12.5), json!(3))),
        )
        .await;
    assert_eq!(r.status(), 202);
}

#[tokio::test]
async fn an_ean_with_a_wrong_check_digit_is_refused_naming_the_ean() {
    let b = start().await;
    let good = b.valid_ean();
    let last = good.chars().last().unwrap().to_digit(10).unwrap();
    let bad = format!("{}{}", &good[..good.len() - 1], (last + 1) % 10);
    for ean in [bad.as_str(), "123", "871234567890X"] {
        let r = b
            .call(
                Method::POST,
                "/retailer/offers",
                Some(offer(ean, json!(12.5), json!(3))),
            )
            .await;
        assert_eq!(problem(r, StatusCode::BAD_REQUEST).await, ["ean"], "{ean}");
        let r = b
            .call(
                Method::GET,
                &format!("/retailer/commission/{ean}?unit-price=12.50"),
                None,
            )
            .await;
        assert_eq!(problem(r, StatusCode::BAD_REQUEST).await, ["ean"], "{ean}");
    }
    assert!(b.sandbox.bol().offers().is_empty());
    let r = b
        .call(
            Method::POST,
            "/retailer/offers",
            Some(offer(&good, json!(12.5), json!(3))),
        )
        .await;
    assert_eq!(r.status(), 202, "the correct check digit is taken");
}

#[tokio::test]
async fn a_zero_or_negative_price_is_refused_naming_the_price() {
    let b = start().await;
    let ean = b.valid_ean();
    for price in [
        json!(0),
        json!(-1.5),
        json!(0.99),
        json!(10000),
        json!("12.50"),
    ] {
        let r = b
            .call(
                Method::POST,
                "/retailer/offers",
                Some(offer(&ean, price.clone(), json!(3))),
            )
            .await;
        assert_eq!(
            problem(r, StatusCode::BAD_REQUEST).await,
            ["pricing.bundlePrices[0].unitPrice"],
            "{price}"
        );
    }
    let id = created_offer(&b).await;
    for price in [json!(0), json!(-12.5)] {
        let r = b
            .call(
                Method::PUT,
                &format!("/retailer/offers/{id}/price"),
                Some(json!({"pricing": {"bundlePrices": [{"quantity": 1, "unitPrice": price}]}})),
            )
            .await;
        assert_eq!(
            problem(r, StatusCode::BAD_REQUEST).await,
            ["pricing.bundlePrices[0].unitPrice"]
        );
    }
    let r = b
        .call(
            Method::GET,
            &format!("/retailer/commission/{ean}?unit-price=-1"),
            None,
        )
        .await;
    assert_eq!(problem(r, StatusCode::BAD_REQUEST).await, ["unit-price"]);
    let held = b.sandbox.bol().offers();
    assert_eq!(
        held[0].unit_price,
        Some("12.5".parse().unwrap()),
        "price untouched"
    );
}

#[tokio::test]
async fn stock_outside_0_to_999_is_refused_naming_the_amount() {
    let b = start().await;
    let ean = b.valid_ean();
    for stock in [json!(1000), json!(-1), json!(2.5), json!("5")] {
        let r = b
            .call(
                Method::POST,
                "/retailer/offers",
                Some(offer(&ean, json!(12.5), stock.clone())),
            )
            .await;
        assert_eq!(
            problem(r, StatusCode::BAD_REQUEST).await,
            ["stock.amount"],
            "{stock}"
        );
    }
    let id = created_offer(&b).await;
    let path = format!("/retailer/offers/{id}/stock");
    for stock in [json!(1000), json!(-1)] {
        let r = b
            .call(
                Method::PUT,
                &path,
                Some(json!({"amount": stock, "managedByRetailer": false})),
            )
            .await;
        assert_eq!(
            problem(r, StatusCode::BAD_REQUEST).await,
            ["amount"],
            "{stock}"
        );
    }
    assert_eq!(b.sandbox.bol().offers()[0].stock, 3, "stock untouched");
    let r = b
        .call(
            Method::PUT,
            &path,
            Some(json!({"amount": 999, "managedByRetailer": false})),
        )
        .await;
    assert_eq!(r.status(), 202, "999 is the most bol takes");
    assert_eq!(b.sandbox.bol().offers()[0].stock, 999);
}

#[tokio::test]
async fn unknown_ids_get_404() {
    let b = start().await;
    problem(
        b.call(Method::GET, "/retailer/orders/1999999999", None)
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let missing = "00000000-0000-4000-a000-000000000000";
    problem(
        b.call(Method::GET, &format!("/retailer/offers/{missing}"), None)
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(
        b.call(
            Method::PUT,
            &format!("/retailer/offers/{missing}/stock"),
            Some(json!({"amount": 1, "managedByRetailer": false})),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(
        b.call(Method::DELETE, &format!("/retailer/offers/{missing}"), None)
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(
        b.call(Method::GET, "/shared/process-status/42", None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Control: an order the world has is found.
    let list: Value = b
        .call(Method::GET, "/retailer/orders", None)
        .await
        .json()
        .await
        .unwrap();
    let known = list["orders"][0]["orderId"].as_str().unwrap();
    let r = b
        .call(Method::GET, &format!("/retailer/orders/{known}"), None)
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn an_exhausted_rate_window_gets_429_with_retry_after() {
    let b = start().await;
    b.sandbox.bol().set_rate_limit(3);
    for left in [2, 1, 0] {
        let r = b.call(Method::GET, "/retailer/orders", None).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["x-ratelimit-limit"], "3");
        assert_eq!(
            r.headers()["x-ratelimit-remaining"],
            left.to_string().as_str()
        );
    }
    let r = b.call(Method::GET, "/retailer/orders", None).await;
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "Retry-After in seconds: {wait}");
    assert_eq!(r.headers()["x-ratelimit-remaining"], "0");
    problem(r, StatusCode::TOO_MANY_REQUESTS).await;
    // bol limits per endpoint: another route still answers.
    let r = b.call(Method::GET, "/retailer/shipments", None).await;
    assert_eq!(r.status(), 200);
}
