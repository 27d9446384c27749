//! The Shopify sandbox speaks the Admin GraphQL API as documented and refuses what Shopify
//! refuses: raw GraphQL over HTTP, no connector involved.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::shopify::{serve, Shop};
use kanaal_sandbox::clock::SandboxClock;
use kanaal_sandbox::shopify::bucket::BucketConfig;
use kanaal_sandbox::shopify::{ShopifyConfig, API_VERSION};
use kanaal_sandbox::world::World;
use kanaal_sandbox::Shared;
use serde_json::{json, Value};
use std::sync::Arc;

async fn start(bucket: BucketConfig) -> Shop {
    start_with(bucket, true).await
}

async fn start_with(bucket: BucketConfig, protected_customer_data: bool) -> Shop {
    let epoch = SandboxClock::default_epoch();
    let shared = Shared {
        seed: 11,
        world: Arc::new(World::generate(11, epoch)),
        clock: Arc::new(SandboxClock::new(epoch, 0.0)),
    };
    let mut config = ShopifyConfig::new(11);
    config.bucket = bucket;
    config.protected_customer_data = protected_customer_data;
    serve(&shared, config).await
}

const PRODUCT_SET: &str = "mutation($input: ProductSetInput!) { productSet(input: $input) {
  product { id handle variants(first: 20) { nodes { id sku inventoryItem { id } } } }
  userErrors { field message code } } }";

const SET_QTY: &str = "mutation($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { changes { name delta quantityAfterChange } }
    userErrors { field message code } } }";

fn option(name: &str, values: &[&str]) -> Value {
    json!({"name": name, "values": values.iter().map(|v| json!({"name": v})).collect::<Vec<_>>()})
}

fn big() -> BucketConfig {
    BucketConfig {
        maximum: 100_000.0,
        restore_rate: 100_000.0,
    }
}

async fn one_product(s: &Shop) -> (String, String) {
    let loc = s.shop.location_gid();
    let r = s
        .gql(
            PRODUCT_SET,
            json!({"input": {"title": "Espresso", "handle": "espresso",
                "productOptions": [option("Gewicht", &["250 g"])],
                "variants": [{"optionValues": [{"optionName": "Gewicht", "name": "250 g"}], "sku": "ESP-250", "price": "8.95",
                    "inventoryQuantities": [{"locationId": loc, "name": "available", "quantity": 5}]}]}}),
        )
        .await;
    let v = &r["data"]["productSet"]["product"]["variants"]["nodes"][0];
    (v["inventoryItem"]["id"].as_str().unwrap().to_string(), loc)
}

#[tokio::test]
async fn a_bad_token_gets_shopifys_401_body_and_the_answering_version() {
    let s = start(big()).await;
    let r = s
        .http
        .post(&s.url)
        .header("X-Shopify-Access-Token", "shpat_wrong")
        .json(&json!({"query": "{ shop { name } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["x-shopify-api-version"], API_VERSION);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
    );
    let old = s.url.replace(API_VERSION, "2019-04");
    let r = s
        .http
        .post(old)
        .header("X-Shopify-Access-Token", &s.token)
        .json(&json!({"query": "{ shop { name } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["x-shopify-api-version"],
        "2026-01",
        "an unsupported version is served by the oldest supported one"
    );
}

#[tokio::test]
async fn a_fourth_option_is_refused_with_shopifys_user_error_and_nothing_is_created() {
    let s = start(big()).await;
    let opts: Vec<Value> = ["Gewicht", "Maling", "Branding", "Verpakking"]
        .iter()
        .map(|n| option(n, &["a"]))
        .collect();
    let values: Vec<Value> = ["Gewicht", "Maling", "Branding", "Verpakking"]
        .iter()
        .map(|n| json!({"optionName": n, "name": "a"}))
        .collect();
    let r = s
        .gql(PRODUCT_SET, json!({"input": {"title": "Te veel", "productOptions": opts, "variants": [{"optionValues": values, "price": "1.00"}]}}))
        .await;
    let errors = &r["data"]["productSet"]["userErrors"];
    assert_eq!(errors[0]["code"], "OPTIONS_OVER_LIMIT", "{r}");
    assert_eq!(errors[0]["field"], json!(["input", "productOptions"]));
    assert!(r["data"]["productSet"]["product"].is_null());
    assert!(
        s.shop.products().is_empty(),
        "a refused product is not created"
    );
}

#[tokio::test]
async fn variants_must_match_the_options_and_inputs_must_fit_their_types() {
    let s = start(big()).await;
    let r = s
        .gql(PRODUCT_SET, json!({"input": {"title": "X", "productOptions": [option("Gewicht", &["250 g"])],
            "variants": [{"optionValues": [{"optionName": "Gewicht", "name": "1 kg"}], "price": "5.00"}]}}))
        .await;
    assert_eq!(
        r["data"]["productSet"]["userErrors"][0]["code"],
        "OPTION_VALUE_DOES_NOT_EXIST"
    );
    assert_eq!(
        r["data"]["productSet"]["userErrors"][0]["field"],
        json!(["input", "variants", "0", "optionValues", "0", "name"])
    );
    let r = s
        .gql(
            PRODUCT_SET,
            json!({"input": {"title": "X", "colour": "blue"}}),
        )
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "INVALID_VARIABLE",
        "unknown input field refused: {r}"
    );
    assert!(r.get("data").is_none(), "nothing ran");
    let r = s
        .gql(PRODUCT_SET, json!({"input": {"title": "X", "productOptions": [option("Gewicht", &["a"])],
            "variants": [{"optionValues": [{"optionName": "Gewicht", "name": "a"}], "price": "twelve"}]}}))
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "INVALID_VARIABLE",
        "a price must be a decimal: {r}"
    );
    let r = s
        .gql("{ productz(first: 1) { nodes { id } } }", json!({}))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "undefinedField");
    let r = s
        .gql("{ products(first: 1) { nodes { id } ", json!({}))
        .await;
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("syntax error"),
        "{r}"
    );
}

#[tokio::test]
async fn product_set_replaces_the_variant_list_and_keeps_ids_of_variants_sent_again() {
    let s = start(big()).await;
    let input = |values: &[&str]| {
        json!({"input": {"title": "Espresso", "handle": "espresso",
            "productOptions": [option("Gewicht", values)],
            "variants": values.iter().map(|v| json!({"optionValues": [{"optionName": "Gewicht", "name": v}], "sku": format!("ESP-{v}"), "price": "8.95"})).collect::<Vec<_>>()}})
    };
    let r1 = s.gql(PRODUCT_SET, input(&["250", "1000"])).await;
    let id = r1["data"]["productSet"]["product"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(id.starts_with("gid://shopify/Product/"));
    let mut again = input(&["250"]);
    again["input"]["id"] = json!(id);
    let r2 = s.gql(PRODUCT_SET, again).await;
    let nodes = &r2["data"]["productSet"]["product"]["variants"]["nodes"];
    assert_eq!(
        nodes.as_array().unwrap().len(),
        1,
        "the variant left out is deleted: {r2}"
    );
    assert_eq!(
        nodes[0]["id"], r1["data"]["productSet"]["product"]["variants"]["nodes"][0]["id"],
        "kept variant keeps its id"
    );
    assert_eq!(s.shop.products().len(), 1);
    let r3 = s.gql(PRODUCT_SET, input(&["250"])).await;
    assert_eq!(
        r3["data"]["productSet"]["userErrors"][0]["code"], "HANDLE_NOT_UNIQUE",
        "a second product may not take the handle"
    );
}

#[tokio::test]
async fn a_stale_change_from_quantity_is_refused_and_nothing_changes() {
    let s = start(big()).await;
    let (item, loc) = one_product(&s).await;
    let set = |key: &str, qty: i64, from: Value| {
        json!({"key": key, "input": {"name": "available", "reason": "correction",
            "quantities": [{"inventoryItemId": item, "locationId": loc, "quantity": qty, "changeFromQuantity": from}]}})
    };
    let r = s.gql(SET_QTY, set("k1", 9, json!(4))).await;
    let e = &r["data"]["inventorySetQuantities"]["userErrors"][0];
    assert_eq!(e["code"], "CHANGE_FROM_QUANTITY_STALE", "{r}");
    assert_eq!(
        e["field"],
        json!(["input", "quantities", "0", "changeFromQuantity"])
    );
    assert_eq!(s.shop.products()[0].variants[0].1, 5, "stock untouched");
    let r = s.gql(SET_QTY, set("k2", 9, json!(5))).await;
    assert_eq!(
        r["data"]["inventorySetQuantities"]["inventoryAdjustmentGroup"]["changes"][0]["delta"],
        4
    );
    let r = s.gql(SET_QTY, set("k3", 2, Value::Null)).await;
    assert!(
        r["data"]["inventorySetQuantities"]["userErrors"]
            .as_array()
            .unwrap()
            .is_empty(),
        "explicit null skips the check"
    );
    assert_eq!(s.shop.products()[0].variants[0].1, 2);
    // From 2026-04 the field must be there.
    let r = s
        .gql(
            SET_QTY,
            json!({"key": "k4", "input": {"name": "available", "reason": "correction",
            "quantities": [{"inventoryItemId": item, "locationId": loc, "quantity": 1}]}}),
        )
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "INVALID_VARIABLE",
        "{r}"
    );
}

#[tokio::test]
async fn the_idempotency_key_is_required_and_a_repeat_is_applied_once() {
    let s = start(big()).await;
    let (item, loc) = one_product(&s).await;
    let input = |qty: i64| {
        json!({"name": "available", "reason": "correction",
            "quantities": [{"inventoryItemId": item, "locationId": loc, "quantity": qty, "changeFromQuantity": 5}]})
    };
    let no_key = "mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }";
    let r = s.gql(no_key, json!({"input": input(7)})).await;
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("@idempotent"),
        "{r}"
    );
    assert_eq!(s.shop.products()[0].variants[0].1, 5);
    let first = s
        .gql(SET_QTY, json!({"key": "same", "input": input(7)}))
        .await;
    let again = s
        .gql(SET_QTY, json!({"key": "same", "input": input(7)}))
        .await;
    assert_eq!(first["data"], again["data"], "same key, same answer");
    assert!(
        again["data"]["inventorySetQuantities"]["userErrors"]
            .as_array()
            .unwrap()
            .is_empty(),
        "not refused as stale: not applied twice"
    );
    assert_eq!(s.shop.products()[0].variants[0].1, 7);
    let other = s
        .gql(SET_QTY, json!({"key": "same", "input": input(8)}))
        .await;
    assert_eq!(
        other["data"]["inventorySetQuantities"]["userErrors"][0]["code"],
        "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"
    );
    assert_eq!(s.shop.products()[0].variants[0].1, 7);
}

#[tokio::test]
async fn orders_page_by_updated_at_cursor_with_money_strings_and_dutch_customers() {
    let s = start(big()).await;
    let q = "query($after: String, $q: String) { orders(first: 20, after: $after, query: $q, sortKey: UPDATED_AT) {
        pageInfo { hasNextPage endCursor } nodes { id name updatedAt totalPriceSet { shopMoney { amount currencyCode } }
        customer { firstName email } shippingAddress { zip countryCodeV2 } } } }";
    let since = "2026-10-20T00:00:00Z";
    let mut after = Value::Null;
    let mut seen = Vec::new();
    loop {
        let r = s
            .gql(
                q,
                json!({"after": after, "q": format!("updated_at:>'{since}'")}),
            )
            .await;
        let conn = &r["data"]["orders"];
        for o in conn["nodes"].as_array().unwrap() {
            let t = o["updatedAt"].as_str().unwrap().to_string();
            assert!(t.as_str() > since, "filtered by updated_at: {t}");
            assert!(o["id"]
                .as_str()
                .unwrap()
                .starts_with("gid://shopify/Order/"));
            let amount = o["totalPriceSet"]["shopMoney"]["amount"].as_str().unwrap();
            assert_eq!(
                amount.split('.').nth(1).map(str::len),
                Some(2),
                "money as a 2-decimal string: {amount}"
            );
            assert_eq!(o["shippingAddress"]["countryCodeV2"], "NL");
            assert!(o["customer"]["email"].as_str().unwrap().contains('@'));
            seen.push(t);
        }
        if conn["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    assert!(seen.len() > 20, "several pages of orders: {}", seen.len());
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "in updated_at order across pages");
}

#[tokio::test]
async fn every_answer_reports_its_cost_and_an_empty_bucket_answers_throttled() {
    let s = start(BucketConfig {
        maximum: 30.0,
        restore_rate: 10.0,
    })
    .await;
    let r = s
        .gql("{ products(first: 5) { nodes { id title } } }", json!({}))
        .await;
    let cost = &r["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], 7, "2 + 5 × 1");
    assert_eq!(
        cost["actualQueryCost"], 2,
        "no products: only the connection"
    );
    assert_eq!(cost["throttleStatus"]["maximumAvailable"], 30.0);
    assert_eq!(cost["throttleStatus"]["restoreRate"], 10.0);
    assert_eq!(
        cost["throttleStatus"]["currentlyAvailable"], 28.0,
        "requested taken, unused refunded"
    );
    let big = "{ products(first: 250) { nodes { id variants(first: 250) { nodes { id } } } } }";
    let r = s.gql(big, json!({})).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "MAX_COST_EXCEEDED");
    let mut throttled = None;
    for _ in 0..5 {
        let r = s.gql("mutation { productUpdate(product: {id: \"gid://shopify/Product/1\"}) { userErrors { message } } }", json!({})).await;
        if r["errors"][0]["extensions"]["code"] == "THROTTLED" {
            throttled = Some(r);
            break;
        }
    }
    let r = throttled.expect("the bucket runs dry after a few 10-point mutations");
    assert!(r["extensions"]["cost"]["actualQueryCost"].is_null());
    assert!(
        r["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
            .as_f64()
            .unwrap()
            < 10.0
    );
    assert!(r.get("data").is_none());
}

#[tokio::test]
async fn without_protected_customer_data_access_personal_fields_are_null() {
    let s = start_with(big(), false).await;
    let r = s
        .gql("{ orders(first: 3) { nodes { email phone customer { id firstName email } shippingAddress { address1 zip city countryCodeV2 } } } }", json!({}))
        .await;
    for o in r["data"]["orders"]["nodes"].as_array().unwrap() {
        assert!(o["email"].is_null() && o["phone"].is_null(), "{o}");
        assert!(o["customer"]["firstName"].is_null() && o["customer"]["email"].is_null());
        assert!(
            o["customer"]["id"].is_string(),
            "the customer link stays (level 1)"
        );
        assert!(
            o["shippingAddress"]["address1"].is_null() && o["shippingAddress"]["zip"].is_null()
        );
        assert_eq!(o["shippingAddress"]["countryCodeV2"], "NL");
    }
}
