//! What changes on a bol.com order without the merchant, over plain HTTP: the control routes
//! (bol cancels units of an order item itself; the customer asks to cancel an item) show in
//! bol's own fields (`quantityCancelled`, `cancellationRequest`, `latestChangedDateTime`) on the
//! order list and detail, the seller's cancellation answers a request, and each order item's
//! `expiryDate` follows its offer's delivery promise.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{start_bol, Bol};
use kanaal_sandbox::bol::MEDIA_JSON;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn start() -> Bol {
    start_bol(9).await
}

impl Bol {
    async fn api(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut rq = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("accept", MEDIA_JSON);
        if let Some(b) = body {
            rq = rq.header("content-type", MEDIA_JSON).body(b.to_string());
        }
        let r = rq.send().await.unwrap();
        assert!(r.status().is_success(), "{method} {path}: {}", r.status());
        r.json().await.unwrap()
    }

    async fn settled(&self, process: &Value) {
        let id = process["processStatusId"].as_str().unwrap();
        loop {
            let s = self
                .api(
                    reqwest::Method::GET,
                    &format!("/shared/process-status/{id}"),
                    None,
                )
                .await;
            match s["status"].as_str().unwrap() {
                "PENDING" => continue,
                "SUCCESS" => return,
                other => panic!("process ended {other}: {s}"),
            }
        }
    }

    async fn control(&self, path: &str, body: Value) -> StatusCode {
        self.http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
            .status()
    }

    async fn order(&self, id: &str) -> Value {
        self.api(
            reqwest::Method::GET,
            &format!("/retailer/orders/{id}"),
            None,
        )
        .await
    }
}

fn date(v: &Value) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn units_cancelled_by_bol_and_a_customer_request_show_in_bols_own_fields() {
    let b = start().await;
    let world = b.sandbox.world().products.clone();
    // Product 0 is offered with a three-to-five-day promise; product 1 has no offer.
    let made = b
        .api(
            reqwest::Method::POST,
            "/retailer/offers",
            Some(json!({
                "ean": world[0].ean,
                "condition": {"name": "NEW"},
                "reference": world[0].sku,
                "onHoldByRetailer": false,
                "pricing": {"bundlePrices": [{"quantity": 1, "unitPrice": 14.95}]},
                "stock": {"amount": 12, "managedByRetailer": false},
                "fulfilment": {"method": "FBR", "deliveryCode": "3-5d"},
            })),
        )
        .await;
    b.settled(&made).await;

    let placed: Value = b
        .http
        .post(format!("{}/_sandbox/orders", b.base))
        .header("content-type", "application/json")
        .body(
            json!({"lines": [{"ean": world[0].ean, "quantity": 3}, {"ean": world[1].ean, "quantity": 1}]})
                .to_string(),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = placed["orderId"].as_str().unwrap().to_string();
    let order = b.order(&id).await;
    let items = order["orderItems"].as_array().unwrap().clone();
    let (first, second) = (
        items[0]["orderItemId"].as_str().unwrap().to_string(),
        items[1]["orderItemId"].as_str().unwrap().to_string(),
    );
    let placed_on =
        chrono::DateTime::parse_from_rfc3339(order["orderPlacedDateTime"].as_str().unwrap())
            .unwrap()
            .date_naive();
    // Each item expires the day after its latest delivery date, which its offer's promise sets.
    let f0 = &items[0]["fulfilment"];
    let f1 = &items[1]["fulfilment"];
    assert_eq!(
        date(&f0["latestDeliveryDate"]) - placed_on,
        chrono::Duration::days(5)
    );
    assert_eq!(
        date(&f0["expiryDate"]) - placed_on,
        chrono::Duration::days(6)
    );
    assert_eq!(
        date(&f1["latestDeliveryDate"]) - placed_on,
        chrono::Duration::days(2)
    );
    assert_eq!(
        date(&f1["expiryDate"]) - placed_on,
        chrono::Duration::days(3)
    );
    assert_eq!(items[1]["cancellationRequest"], json!(false));

    // bol cancels one of the three units itself; more than are open is refused.
    b.sandbox
        .clock()
        .advance(std::time::Duration::from_secs(60));
    assert_eq!(
        b.control(
            &format!("/_sandbox/order-items/{first}/cancel"),
            json!({"quantity": 5})
        )
        .await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        b.control(
            &format!("/_sandbox/order-items/{first}/cancel"),
            json!({"quantity": 1})
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        b.control("/_sandbox/order-items/999/cancellation-request", json!({}))
            .await,
        StatusCode::BAD_REQUEST,
        "an unknown item is refused"
    );
    // The customer asks to cancel the second item.
    assert_eq!(
        b.control(
            &format!("/_sandbox/order-items/{second}/cancellation-request"),
            json!({})
        )
        .await,
        StatusCode::OK
    );
    let order = b.order(&id).await;
    let items = order["orderItems"].as_array().unwrap();
    assert_eq!(items[0]["quantityCancelled"], json!(1));
    assert_eq!(items[0]["quantity"], json!(3));
    assert_eq!(items[1]["cancellationRequest"], json!(true));
    assert_ne!(
        items[0]["latestChangedDateTime"], order["orderPlacedDateTime"],
        "the change is dated, so a poll by change interval sees it"
    );
    // The open-orders list shows both items still open, the request on the second.
    let open = b
        .api(
            reqwest::Method::GET,
            "/retailer/orders?status=OPEN&change-interval-minute=5",
            None,
        )
        .await;
    let listed = open["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["orderId"] == json!(id))
        .expect("the order is listed as changed in the last minutes");
    let listed_items = listed["orderItems"].as_array().unwrap();
    assert_eq!(listed_items.len(), 2);
    assert_eq!(listed_items[0]["quantityCancelled"], json!(1));
    assert_eq!(listed_items[1]["cancellationRequest"], json!(true));

    // The seller answers the request: the item is cancelled and the request is gone.
    let answer = b
        .api(
            reqwest::Method::PUT,
            "/retailer/orders/cancellation",
            Some(json!({"orderItems": [{"orderItemId": second, "reasonCode": "REQUESTED_BY_CUSTOMER"}]})),
        )
        .await;
    b.settled(&answer).await;
    let items = b.order(&id).await["orderItems"].as_array().unwrap().clone();
    assert_eq!(items[1]["quantityCancelled"], json!(1));
    assert_eq!(items[1]["cancellationRequest"], json!(false));
    assert_eq!(
        b.control(
            &format!("/_sandbox/order-items/{second}/cancellation-request"),
            json!({})
        )
        .await,
        StatusCode::BAD_REQUEST,
        "a handled item takes no request"
    );
}
