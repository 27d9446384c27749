//! The Shopify sandbox keeps the refunds it makes and tells them as shopify.dev documents:
//! `Order.refunds(first:)` (a list, oldest first, truncated by `first`) and `refund(id:)`, each
//! with a `refundLineItems` connection of `quantity`, `restockType`, `restocked` and
//! `lineItem`, costed as Shopify calculates. Raw GraphQL over HTTP, no connector involved.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::shopify::{serve, Shop};
use kanaal_sandbox::clock::SandboxClock;
use kanaal_sandbox::shopify::bucket::BucketConfig;
use kanaal_sandbox::shopify::ShopifyConfig;
use kanaal_sandbox::world::World;
use kanaal_sandbox::Shared;
use serde_json::{json, Value};
use std::sync::Arc;

async fn start() -> Shop {
    let epoch = SandboxClock::default_epoch();
    let shared = Shared {
        seed: 12,
        world: Arc::new(World::generate(12, epoch)),
        clock: Arc::new(SandboxClock::new(epoch, 0.0)),
    };
    let mut config = ShopifyConfig::new(12);
    config.bucket = BucketConfig {
        maximum: 100_000.0,
        restore_rate: 100_000.0,
    };
    let shop = serve(&shared, config).await;
    // A fortnight of new orders arrives, not shipped yet.
    shared
        .clock
        .advance(std::time::Duration::from_secs(14 * 86_400));
    shop
}

const REFUND: &str = "mutation($input: RefundInput!) { refundCreate(input: $input) {
  refund { id refundLineItems(first: 5) { nodes { quantity restockType restocked lineItem { id } } } }
  userErrors { field message } } }";

const REFUNDS: &str = "query($id: ID!) { order(id: $id) {
  displayFulfillmentStatus
  lineItems(first: 10) { nodes { id quantity currentQuantity unfulfilledQuantity } }
  refunds(first: 25) { id createdAt refundLineItems(first: 10) {
    pageInfo { hasNextPage endCursor }
    nodes { quantity restockType restocked lineItem { id } } } } } }";

/// An unfulfilled order whose line quantities `fits`: (order id, fulfillment order id,
/// [(line id, fulfillment order line id, quantity)]).
async fn open_order(
    s: &Shop,
    fits: impl Fn(&[u64]) -> bool,
) -> (String, String, Vec<(String, String, u64)>) {
    let r = s
        .gql(
            "{ orders(first: 30, query: \"fulfillment_status:unfulfilled\") { nodes { id
                lineItems(first: 5) { nodes { id quantity } }
                fulfillmentOrders(first: 1) { nodes { id lineItems(first: 5) { nodes { id lineItem { id } } } } } } } }",
            json!({}),
        )
        .await;
    let quantities = |o: &Value| -> Vec<u64> {
        o["lineItems"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["quantity"].as_u64().unwrap())
            .collect()
    };
    let o = r["data"]["orders"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| fits(&quantities(o)))
        .unwrap_or_else(|| panic!("no fitting unfulfilled order: {r}"))
        .clone();
    let fo = &o["fulfillmentOrders"]["nodes"][0];
    let lines = o["lineItems"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let fo_line = fo["lineItems"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["lineItem"]["id"] == l["id"])
                .unwrap();
            (
                l["id"].as_str().unwrap().to_string(),
                fo_line["id"].as_str().unwrap().to_string(),
                l["quantity"].as_u64().unwrap(),
            )
        })
        .collect();
    (
        o["id"].as_str().unwrap().to_string(),
        fo["id"].as_str().unwrap().to_string(),
        lines,
    )
}

async fn refund(s: &Shop, order: &str, items: Value) -> Value {
    s.gql(
        REFUND,
        json!({"input": {"orderId": order, "refundLineItems": items}}),
    )
    .await["data"]["refundCreate"]
        .clone()
}

#[tokio::test]
async fn a_unit_cancelled_after_part_of_the_order_shipped_is_told_in_the_orders_refunds() {
    let s = start().await;
    let (order, fo, lines) = open_order(&s, |q| q.len() >= 2).await;
    let (first, second) = (&lines[0], &lines[1]);
    // The first line ships in full.
    let shipped = s
        .gql(
            "mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { field message } } }",
            json!({"f": {"trackingInfo": {"company": "PostNL", "number": "3SKAAN1"},
                "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo,
                    "fulfillmentOrderLineItems": [{"id": first.1, "quantity": first.2}]}]}}),
        )
        .await;
    assert_eq!(
        shipped["data"]["fulfillmentCreate"]["userErrors"],
        json!([])
    );
    // Then a unit of the unshipped second line is cancelled (it was out).
    let made = refund(
        &s,
        &order,
        json!([{"lineItemId": second.0, "quantity": 1, "restockType": "CANCEL"}]),
    )
    .await;
    assert_eq!(made["userErrors"], json!([]));
    assert_eq!(
        made["refund"]["refundLineItems"]["nodes"],
        json!([{"quantity": 1, "restockType": "CANCEL", "restocked": true, "lineItem": {"id": second.0}}]),
        "refundCreate answers with the refund it made"
    );
    // A shipped unit cannot be taken back as unfulfilled.
    let refused = refund(
        &s,
        &order,
        json!([{"lineItemId": first.0, "quantity": 1, "restockType": "CANCEL"}]),
    )
    .await;
    assert!(refused["refund"].is_null());
    assert_ne!(refused["userErrors"], json!([]), "{refused}");

    let r = s.gql(REFUNDS, json!({"id": order})).await;
    let o = &r["data"]["order"];
    assert_ne!(o["displayFulfillmentStatus"], "UNFULFILLED");
    let line = o["lineItems"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == json!(second.0))
        .unwrap();
    assert_eq!(
        line["currentQuantity"].as_u64().unwrap(),
        second.2 - 1,
        "the refunded unit left the order"
    );
    let refunds = o["refunds"].as_array().unwrap();
    assert_eq!(
        refunds.len(),
        1,
        "the refused refund made none: {refunds:?}"
    );
    assert_eq!(
        refunds[0]["refundLineItems"]["nodes"],
        json!([{"quantity": 1, "restockType": "CANCEL", "restocked": true, "lineItem": {"id": second.0}}])
    );
    assert_eq!(
        refunds[0]["refundLineItems"]["pageInfo"]["hasNextPage"],
        json!(false)
    );
    assert!(refunds[0]["id"]
        .as_str()
        .unwrap()
        .starts_with("gid://shopify/Refund/"));
    // Costed as Shopify calculates: order 1 + lineItems (2 + 10 × 1) + refunds 25 × (refund 1
    // + refundLineItems (2 + 10 × (node 1 + lineItem 1))), paying back what was not used.
    let cost = &r["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], json!(1 + 2 + 10 + 25 * 23));
    assert!(
        cost["actualQueryCost"].as_u64().unwrap() < 50,
        "only what came back is paid: {cost}"
    );
    let by_id = s
        .gql(
            "query($id: ID!) { refund(id: $id) { id refundLineItems(first: 5) { nodes { quantity restockType } } } }",
            json!({"id": refunds[0]["id"]}),
        )
        .await;
    assert_eq!(
        by_id["data"]["refund"]["refundLineItems"]["nodes"],
        json!([{"quantity": 1, "restockType": "CANCEL"}])
    );
    let missing = s
        .gql(
            "query($id: ID!) { refund(id: $id) { id } }",
            json!({"id": "gid://shopify/Refund/999999999"}),
        )
        .await;
    assert!(missing["data"]["refund"].is_null());
}

#[tokio::test]
async fn refunds_are_listed_oldest_first_and_first_truncates_the_list() {
    let s = start().await;
    let (order, _, lines) = open_order(&s, |q| q.iter().any(|q| *q >= 2)).await;
    let line = lines.iter().find(|l| l.2 >= 2).unwrap();
    for restock in ["NO_RESTOCK", "CANCEL"] {
        let made = refund(
            &s,
            &order,
            json!([{"lineItemId": line.0, "quantity": 1, "restockType": restock}]),
        )
        .await;
        assert_eq!(made["userErrors"], json!([]), "{made}");
    }
    let r = s.gql(REFUNDS, json!({"id": order})).await;
    let kinds: Vec<Value> = r["data"]["order"]["refunds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["refundLineItems"]["nodes"][0].clone())
        .collect();
    assert_eq!(
        kinds,
        vec![
            json!({"quantity": 1, "restockType": "NO_RESTOCK", "restocked": false, "lineItem": {"id": line.0}}),
            json!({"quantity": 1, "restockType": "CANCEL", "restocked": true, "lineItem": {"id": line.0}}),
        ]
    );
    let one = s
        .gql(
            "query($id: ID!) { order(id: $id) { refunds(first: 1) { refundLineItems(first: 1) { nodes { restockType } } } } }",
            json!({"id": order}),
        )
        .await;
    assert_eq!(
        one["data"]["order"]["refunds"],
        json!([{"refundLineItems": {"nodes": [{"restockType": "NO_RESTOCK"}]}}])
    );
    assert_eq!(
        one["extensions"]["cost"]["requestedQueryCost"],
        json!(1 + (1 + 2 + 1)),
        "a list of `first` elements costs that many"
    );
}

#[tokio::test]
async fn a_refunds_line_items_page_by_cursor_and_a_return_or_legacy_restock_is_refused() {
    let s = start().await;
    let (order, _, lines) = open_order(&s, |q| q.len() >= 2).await;
    // Two items of one line that together ask more than is open are refused.
    let too_many = refund(
        &s,
        &order,
        json!([
            {"lineItemId": lines[0].0, "quantity": lines[0].2, "restockType": "CANCEL"},
            {"lineItemId": lines[0].0, "quantity": 1, "restockType": "NO_RESTOCK"}]),
    )
    .await;
    assert!(too_many["refund"].is_null(), "{too_many}");
    // One refund over two lines.
    let made = refund(
        &s,
        &order,
        json!([
            {"lineItemId": lines[0].0, "quantity": 1, "restockType": "CANCEL"},
            {"lineItemId": lines[1].0, "quantity": 1, "restockType": "NO_RESTOCK"}]),
    )
    .await;
    let id = made["refund"]["id"].clone();
    assert!(id.is_string(), "{made}");
    let page = |after: Value| {
        let s = &s;
        let id = id.clone();
        async move {
            s.gql(
                "query($id: ID!, $after: String) { refund(id: $id) { refundLineItems(first: 1, after: $after) {
                    pageInfo { hasNextPage endCursor } nodes { quantity restockType lineItem { id } } } } }",
                json!({"id": id, "after": after}),
            )
            .await["data"]["refund"]["refundLineItems"]
                .clone()
        }
    };
    let p1 = page(Value::Null).await;
    assert_eq!(p1["pageInfo"]["hasNextPage"], json!(true));
    assert_eq!(p1["nodes"][0]["restockType"], "CANCEL");
    let p2 = page(p1["pageInfo"]["endCursor"].clone()).await;
    assert_eq!(p2["pageInfo"]["hasNextPage"], json!(false));
    assert_eq!(
        p2["nodes"],
        json!([{"quantity": 1, "restockType": "NO_RESTOCK", "lineItem": {"id": lines[1].0}}])
    );
    // LEGACY_RESTOCK is not accepted for new refunds; the sandbox makes no RETURN refunds (it
    // emulates refunds of unfulfilled units only). Neither leaves a refund behind.
    for restock in ["LEGACY_RESTOCK", "RETURN"] {
        let r = refund(
            &s,
            &order,
            json!([{"lineItemId": lines[0].0, "quantity": 1, "restockType": restock}]),
        )
        .await;
        assert!(r["refund"].is_null(), "{r}");
        assert_ne!(r["userErrors"], json!([]), "{r}");
    }
    // An unknown restock type is refused as a bad input value.
    let bad = s
        .gql(
            REFUND,
            json!({"input": {"orderId": order, "refundLineItems": [
                {"lineItemId": lines[0].0, "quantity": 1, "restockType": "SHELF"}]}}),
        )
        .await;
    assert!(bad["errors"].is_array(), "{bad}");
    let all = s.gql(REFUNDS, json!({"id": order})).await;
    assert_eq!(
        all["data"]["order"]["refunds"].as_array().unwrap().len(),
        1,
        "{all}"
    );
}
