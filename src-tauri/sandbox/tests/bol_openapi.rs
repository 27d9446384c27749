//! The bol.com sandbox checked against bol's own OpenAPI documents (`spec/`): every route it
//! serves is in the spec, the query parameters the spec requires are required (400 naming the
//! parameter when missing), values outside the spec's enums and bounds are refused, every body
//! the spec refuses for lack of a required field (or over a size limit) is refused too, and the
//! bodies it takes pass the spec's schema. Plain HTTP, independent of the connector.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{start_bol, Bol};
use kanaal_sandbox::bol::{MEDIA_CSV, MEDIA_JSON};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Every route the sandbox serves (besides the login service's `/token`), named as in the spec.
const SERVED: &[(&str, &str)] = &[
    ("POST", "/retailer/offers"),
    ("POST", "/retailer/offers/export"),
    ("GET", "/retailer/offers/export/{report-id}"),
    ("GET", "/retailer/offers/{offer-id}"),
    ("PUT", "/retailer/offers/{offer-id}"),
    ("DELETE", "/retailer/offers/{offer-id}"),
    ("PUT", "/retailer/offers/{offer-id}/price"),
    ("PUT", "/retailer/offers/{offer-id}/stock"),
    ("GET", "/retailer/orders"),
    ("PUT", "/retailer/orders/cancellation"),
    ("GET", "/retailer/orders/{order-id}"),
    ("POST", "/retailer/shipments"),
    ("GET", "/retailer/shipments"),
    ("GET", "/retailer/commission/{ean}"),
    ("GET", "/retailer/products/{ean}/ratings"),
    ("GET", "/retailer/invoices"),
    ("GET", "/retailer/invoices/{invoice-id}"),
    ("GET", "/retailer/invoices/{invoice-id}/specification"),
    ("GET", "/shared/process-status"),
    ("GET", "/shared/process-status/{process-status-id}"),
];

fn load(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("spec")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

struct Spec {
    docs: [Value; 2],
}

impl Spec {
    fn load() -> Spec {
        Spec {
            docs: [load("bol-retailer.json"), load("bol-shared.json")],
        }
    }

    /// The document and operation for a method and path, if the spec has it.
    fn operation(&self, method: &str, path: &str) -> Option<(&Value, &Value)> {
        self.docs.iter().find_map(|d| {
            d["paths"]
                .get(path)
                .and_then(|p| p.get(method.to_lowercase()))
                .map(|op| (d, op))
        })
    }

    /// Query parameters of an operation (`$ref`s resolved).
    fn query_params(&self, method: &str, path: &str) -> Vec<Value> {
        let (doc, op) = self.operation(method, path).unwrap();
        op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(doc, p).clone())
            .filter(|p| p["in"] == "query")
            .collect()
    }

    /// The JSON schema of an operation's request body, ready to validate with.
    fn body_validator(&self, method: &str, path: &str) -> (jsonschema::Validator, Value) {
        let (doc, op) = self.operation(method, path).unwrap();
        let schema = &op["requestBody"]["content"][MEDIA_JSON]["schema"];
        let root = resolve(doc, schema).clone();
        let with_refs = json!({"$ref": schema["$ref"], "components": doc["components"]});
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&with_refs)
            .unwrap();
        (validator, root)
    }
}

fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap(),
        None => node,
    }
}

/// JSON pointers of every field the schema requires that `body` has, at any depth.
fn required_fields(doc: &Value, schema: &Value, body: &Value, at: &str, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let (Some(items), Some(list)) = (schema.get("items"), body.as_array()) {
        for (i, item) in list.iter().enumerate() {
            required_fields(doc, items, item, &format!("{at}/{i}"), out);
        }
        return;
    }
    for name in schema["required"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap();
        if body.get(name).is_some() {
            out.push(format!("{at}/{name}"));
        }
    }
    for (name, sub) in schema["properties"].as_object().into_iter().flatten() {
        if let Some(inner) = body.get(name) {
            required_fields(doc, sub, inner, &format!("{at}/{name}"), out);
        }
    }
}

fn without(body: &Value, pointer: &str) -> Value {
    let mut b = body.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = if parent.is_empty() {
        &mut b
    } else {
        b.pointer_mut(parent).unwrap()
    };
    parent.as_object_mut().unwrap().remove(key);
    b
}

async fn start() -> Bol {
    start_bol(5).await
}

impl Bol {
    async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> reqwest::Response {
        let accept = if method == "GET" && path.starts_with("/retailer/offers/export/") {
            MEDIA_CSV
        } else {
            MEDIA_JSON
        };
        let mut rq = self
            .http
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{}{path}", self.base),
            )
            .bearer_auth(&self.token)
            .header("accept", accept);
        if let Some(b) = body {
            rq = rq.header("content-type", MEDIA_JSON).body(b.to_string());
        }
        rq.send().await.unwrap()
    }

    async fn json(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let r = self.call(method, path, body).await;
        assert!(r.status().is_success(), "{method} {path}: {}", r.status());
        r.json().await.unwrap()
    }

    /// Waits for a process to end and returns its entity id.
    async fn settled(&self, process: &Value) -> String {
        let id = process["processStatusId"].as_str().unwrap();
        loop {
            let s = self
                .json("GET", &format!("/shared/process-status/{id}"), None)
                .await;
            match s["status"].as_str().unwrap() {
                "PENDING" => continue,
                "SUCCESS" => return s["entityId"].as_str().unwrap().to_string(),
                other => panic!("process ended {other}: {s}"),
            }
        }
    }

    fn ean(&self) -> String {
        self.sandbox.world().products[0].ean.clone()
    }
}

/// Asserts a 400 Problem and returns its violation names.
async fn refused(r: reqwest::Response, what: &str) -> Vec<String> {
    assert_eq!(
        r.status(),
        StatusCode::BAD_REQUEST,
        "{what} must be refused"
    );
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["status"], 400, "{what}: {b}");
    b["violations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect()
}

fn offer_body(ean: &str) -> Value {
    json!({
        "ean": ean,
        "condition": {"name": "NEW"},
        "reference": "KK-OPENAPI",
        "onHoldByRetailer": false,
        "unknownProductTitle": "Koffiebonen 1 kg",
        "pricing": {"bundlePrices": [{"quantity": 1, "unitPrice": 14.95}, {"quantity": 2, "unitPrice": 13.5}]},
        "stock": {"amount": 12, "managedByRetailer": false},
        "fulfilment": {"method": "FBR", "deliveryCode": "1-2d"},
    })
}

#[tokio::test]
async fn every_route_the_sandbox_serves_is_in_bols_openapi_and_answers() {
    let spec = Spec::load();
    let b = start().await;
    for (method, path) in SERVED {
        assert!(
            spec.operation(method, path).is_some(),
            "{method} {path} is not in bol's OpenAPI documents"
        );
        let concrete = path
            .replace("{ean}", &b.ean())
            .replace("{offer-id}", "1")
            .replace("{order-id}", "1")
            .replace("{report-id}", "1")
            .replace("{invoice-id}", "1")
            .replace("{process-status-id}", "1");
        let body = (*method == "POST" || *method == "PUT").then(|| json!({}));
        let r = b.call(method, &concrete, body.as_ref()).await;
        let status = r.status();
        let text = r.text().await.unwrap();
        // An unrouted path gets the framework's bare 404/405; a routed one a bol answer.
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert!(
            !text.is_empty(),
            "{method} {path} is not served (bare {status})"
        );
    }
}

/// A value the sandbox takes for each query parameter the spec requires.
fn good_value(name: &str) -> &'static str {
    match name {
        "unit-price" => "19.99",
        "entity-id" => "987654321",
        "event-type" => "CREATE_SHIPMENT",
        other => panic!("no example value for required parameter {other}"),
    }
}

fn query(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn concrete(path: &str, ean: &str) -> String {
    path.replace("{ean}", ean)
}

#[tokio::test]
async fn query_parameters_the_spec_requires_are_required() {
    let spec = Spec::load();
    let b = start().await;
    let mut checked = Vec::new();
    for (method, path) in SERVED.iter().filter(|(m, _)| *m == "GET") {
        let required: Vec<(String, String)> = spec
            .query_params(method, path)
            .iter()
            .filter(|p| p["required"] == true)
            .map(|p| {
                let name = p["name"].as_str().unwrap().to_string();
                let value = good_value(&name).to_string();
                (name, value)
            })
            .collect();
        if required.is_empty() {
            continue;
        }
        let url = concrete(path, &b.ean());
        let r = b
            .call(method, &format!("{url}?{}", query(&required)), None)
            .await;
        assert_eq!(r.status(), 200, "{path} with every required parameter");
        for (i, (name, _)) in required.iter().enumerate() {
            let mut rest = required.clone();
            rest.remove(i);
            let r = b
                .call(method, &format!("{url}?{}", query(&rest)), None)
                .await;
            let names = refused(r, &format!("{path} without {name}")).await;
            assert!(
                names.contains(name),
                "{path}: violation names {name}: {names:?}"
            );
            checked.push(format!("{path} {name}"));
        }
    }
    assert_eq!(
        checked.len(),
        3,
        "commission's unit-price, process-status's entity-id and event-type: {checked:?}"
    );
}

#[tokio::test]
async fn query_values_outside_the_specs_enums_and_bounds_are_refused() {
    let spec = Spec::load();
    let b = start().await;
    let mut checked = 0;
    for (method, path) in SERVED.iter().filter(|(m, _)| *m == "GET") {
        let params = spec.query_params(method, path);
        let base: Vec<(String, String)> = params
            .iter()
            .filter(|p| p["required"] == true)
            .map(|p| {
                let name = p["name"].as_str().unwrap();
                (name.to_string(), good_value(name).to_string())
            })
            .collect();
        for p in &params {
            let name = p["name"].as_str().unwrap();
            let schema = &p["schema"];
            let mut bad = Vec::new();
            if schema.get("enum").is_some() {
                bad.push("NOT_A_CHOICE".to_string());
            }
            if let Some(max) = schema["maximum"].as_f64() {
                bad.push((max + 1.0).to_string());
            }
            if let Some(min) = schema["minimum"].as_f64() {
                bad.push((min - 1.0).to_string());
            }
            for value in bad {
                let mut q: Vec<_> = base.iter().filter(|(k, _)| k != name).cloned().collect();
                q.push((name.to_string(), value.clone()));
                let url = format!("{}?{}", concrete(path, &b.ean()), query(&q));
                let names = refused(b.call(method, &url, None).await, &url).await;
                assert!(names.iter().any(|n| n == name), "{url}: {names:?}");
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 8,
        "enums and bounds were found to check: {checked}"
    );
}

#[tokio::test]
async fn bodies_the_spec_refuses_are_refused_and_bodies_taken_fit_the_spec() {
    let spec = Spec::load();
    let b = start().await;

    // What the bodies refer to: an offer, and two open order items.
    let p = b
        .json("POST", "/retailer/offers", Some(&offer_body(&b.ean())))
        .await;
    let offer = b.settled(&p).await;
    let orders = b.json("GET", "/retailer/orders", None).await;
    let items: Vec<String> = orders["orders"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["orderItems"].as_array().unwrap().clone())
        .map(|i| i["orderItemId"].as_str().unwrap().to_string())
        .take(2)
        .collect();
    assert_eq!(items.len(), 2, "the world has open order items");
    let other_ean = b.sandbox.world().products[1].ean.clone();

    let cases: Vec<(&str, &str, String, Value)> = vec![
        (
            "POST",
            "/retailer/offers",
            "/retailer/offers".into(),
            offer_body(&other_ean),
        ),
        (
            "PUT",
            "/retailer/offers/{offer-id}",
            format!("/retailer/offers/{offer}"),
            json!({"reference": "KK-2", "onHoldByRetailer": false, "unknownProductTitle": "Koffie", "fulfilment": {"method": "FBR", "deliveryCode": "24uurs-21"}}),
        ),
        (
            "PUT",
            "/retailer/offers/{offer-id}/price",
            format!("/retailer/offers/{offer}/price"),
            json!({"pricing": {"bundlePrices": [{"quantity": 1, "unitPrice": 15.95}]}}),
        ),
        (
            "PUT",
            "/retailer/offers/{offer-id}/stock",
            format!("/retailer/offers/{offer}/stock"),
            json!({"amount": 7, "managedByRetailer": false}),
        ),
        (
            "POST",
            "/retailer/offers/export",
            "/retailer/offers/export".into(),
            json!({"format": "CSV"}),
        ),
        (
            "POST",
            "/retailer/shipments",
            "/retailer/shipments".into(),
            json!({"orderItems": [{"orderItemId": items[0], "quantity": 1}], "shipmentReference": "ZEND-1", "transport": {"transporterCode": "TNT", "trackAndTrace": "3SABCD0123456789"}}),
        ),
        (
            "PUT",
            "/retailer/orders/cancellation",
            "/retailer/orders/cancellation".into(),
            json!({"orderItems": [{"orderItemId": items[1], "reasonCode": "OUT_OF_STOCK"}]}),
        ),
    ];

    let mut refused_count = 0;
    for (method, route, path, good) in &cases {
        let (validator, root) = spec.body_validator(method, route);
        let (doc, _) = spec.operation(method, route).unwrap();
        assert!(
            validator.is_valid(good),
            "the test's own {method} {route} body fits the spec"
        );

        // Each required field left out, and the spec's size limits passed.
        let mut wrong: Vec<(String, Value)> = Vec::new();
        let mut fields = Vec::new();
        required_fields(doc, &root, good, "", &mut fields);
        assert!(!fields.is_empty(), "{route} has required fields");
        for f in fields {
            wrong.push((format!("without {f}"), without(good, &f)));
        }
        if good["pricing"]["bundlePrices"].is_array() {
            let five: Vec<Value> = (1..=5)
                .map(|q| json!({"quantity": q, "unitPrice": 20 - q}))
                .collect();
            let mut w = good.clone();
            w["pricing"]["bundlePrices"] = json!(five);
            wrong.push(("five bundle prices".into(), w));
        }
        if *route == "/retailer/orders/cancellation" {
            let mut w = good.clone();
            w["orderItems"] = json!([good["orderItems"][0], {"orderItemId": items[0], "reasonCode": "OUT_OF_STOCK"}]);
            wrong.push(("two items in one cancellation".into(), w));
        }
        if good.get("reference").is_some() {
            let mut w = good.clone();
            w["reference"] = json!("x".repeat(101));
            wrong.push(("a 101-character reference".into(), w));
        }
        for (what, body) in wrong {
            assert!(
                !validator.is_valid(&body),
                "the spec refuses {route} {what}"
            );
            let r = b.call(method, path, Some(&body)).await;
            refused(r, &format!("{method} {route} {what}")).await;
            refused_count += 1;
        }

        let r = b.call(method, path, Some(good)).await;
        assert_eq!(
            r.status(),
            202,
            "{method} {route} takes a body that fits the spec"
        );
    }
    assert!(refused_count >= 20, "{refused_count}");

    // Everything the sandbox took in this run fits the spec's schema.
    let taken = b.sandbox.bol().accepted_bodies();
    assert_eq!(
        taken.len(),
        cases.len() + 1,
        "the set-up offer and each case"
    );
    for (method, route, body) in taken {
        let (validator, _) = spec.body_validator(&method, &route);
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {route} took a body the spec refuses: {errors:?}"
        );
    }
}

/// `latest-change-date`: "changes on that one date, up to 3 months of history" (the spec's
/// parameter description): a date, refused when older than 3 months or not a date.
#[tokio::test]
async fn latest_change_date_lists_the_changes_of_one_date_within_three_months() {
    let b = start().await;
    let now = b.sandbox.clock().now();
    let today = (now + chrono::Duration::hours(1)).date_naive();
    let page = |d: String| {
        format!("/retailer/orders?status=ALL&fulfilment-method=ALL&latest-change-date={d}")
    };
    for bad in ["2026-13-01", "gisteren", "01-11-2026"] {
        let names = refused(b.call("GET", &page(bad.into()), None).await, bad).await;
        assert_eq!(names, ["latest-change-date"], "{bad}");
    }
    let too_old = today - chrono::Duration::days(100);
    let names = refused(
        b.call("GET", &page(too_old.to_string()), None).await,
        "100 days back",
    )
    .await;
    assert_eq!(names, ["latest-change-date"]);

    // The world's orders of one date, and only those: a date with bol orders, 10+ days back.
    let local = |t: chrono::DateTime<chrono::Utc>| (t + chrono::Duration::hours(1)).date_naive();
    let world = b.sandbox.world();
    let day = world
        .purchases
        .iter()
        .filter(|p| p.platform == "bol" && local(p.placed_at) <= today - chrono::Duration::days(10))
        .map(|p| local(p.placed_at))
        .max()
        .unwrap();
    let listed = b.json("GET", &page(day.to_string()), None).await;
    let orders = listed["orders"].as_array().cloned().unwrap_or_default();
    let expected = world
        .purchases
        .iter()
        .filter(|p| p.platform == "bol" && local(p.placed_at) == day)
        .count();
    assert!(expected > 0, "the world has bol orders on {day}");
    assert_eq!(
        orders.len(),
        expected,
        "every order changed on {day}, no other"
    );
    for o in &orders {
        for i in o["orderItems"].as_array().unwrap() {
            assert!(
                i["latestChangedDateTime"]
                    .as_str()
                    .unwrap()
                    .starts_with(&day.to_string()),
                "{i}"
            );
        }
    }
}

/// `GET /retailer/invoices`: both period dates or neither, at most 31 days; the
/// specification's lines add up to the invoice's total and the commission per item is the
/// commission endpoint's.
#[tokio::test]
async fn invoices_are_listed_for_at_most_31_days_and_their_lines_add_up() {
    let b = start().await;
    let list = |q: &str| format!("/retailer/invoices?{q}");
    let names = refused(
        b.call(
            "GET",
            &list("period-start-date=2026-09-01&period-end-date=2026-10-15"),
            None,
        )
        .await,
        "45 days",
    )
    .await;
    assert_eq!(names, ["period-end-date"], "longer than 31 days");
    let names = refused(
        b.call("GET", &list("period-start-date=2026-10-01"), None)
            .await,
        "start only",
    )
    .await;
    assert_eq!(names, ["period-end-date"], "the missing one is named");
    let names = refused(
        b.call("GET", &list("period-end-date=2026-10-01"), None)
            .await,
        "end only",
    )
    .await;
    assert_eq!(names, ["period-start-date"]);
    let names = refused(
        b.call(
            "GET",
            &list("period-start-date=2026-10-01&period-end-date=1-11-2026"),
            None,
        )
        .await,
        "not a date",
    )
    .await;
    assert_eq!(names, ["period-end-date"]);
    let names = refused(
        b.call(
            "GET",
            &list("period-start-date=2026-10-20&period-end-date=2026-10-01"),
            None,
        )
        .await,
        "end before start",
    )
    .await;
    assert_eq!(names, ["period-end-date"]);

    // October's invoice is issued on 1 November, inside a 31-day window.
    let v = b
        .json(
            "GET",
            &list("period-start-date=2026-10-15&period-end-date=2026-11-15"),
            None,
        )
        .await;
    let items = v["invoiceListItems"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    let inv = &items[0];
    assert_eq!(inv["invoicePeriod"]["startDate"], "2026-10-01");
    assert_eq!(inv["invoicePeriod"]["endDate"], "2026-10-31");
    assert_eq!(inv["issueDate"], "2026-11-01");
    let id = inv["invoiceId"].as_str().unwrap();
    let spec = b
        .json(
            "GET",
            &format!("/retailer/invoices/{id}/specification"),
            None,
        )
        .await;
    let lines = spec["invoiceSpecification"].as_array().unwrap();
    assert_eq!(
        lines.len() as u64,
        inv["specificationItemsCount"].as_u64().unwrap()
    );
    let dec = |v: &Value| v.to_string().parse::<rust_decimal::Decimal>().unwrap();
    let mut sum = rust_decimal::Decimal::ZERO;
    for l in lines {
        let amount =
            dec(&l["lineExtensionAmount"]["amount"]) + dec(&l["taxTotal"]["taxAmount"]["amount"]);
        sum += amount;
        if l["item"]["name"] == "COMMISSION" {
            let ean = l["item"]["additionalItemProperty"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == "ean")
                .unwrap()["value"]
                .as_str()
                .unwrap()
                .to_string();
            let product = b
                .sandbox
                .world()
                .products
                .iter()
                .find(|p| p.ean == ean)
                .unwrap()
                .clone();
            let c = b
                .json(
                    "GET",
                    &format!(
                        "/retailer/commission/{ean}?condition=NEW&unit-price={}",
                        product.price
                    ),
                    None,
                )
                .await;
            let quantity =
                rust_decimal::Decimal::from(l["invoicedQuantity"]["value"].as_u64().unwrap());
            assert_eq!(
                amount,
                dec(&c["totalCost"]) * quantity,
                "commission as the commission endpoint says: {l}"
            );
        }
    }
    assert_eq!(
        sum,
        dec(&inv["legalMonetaryTotal"]["payableAmount"]["amount"]),
        "lines add up to the invoice"
    );
    assert!(
        sum < rust_decimal::Decimal::ZERO,
        "bol owes the retailer its sales minus commission"
    );

    let one = b
        .json("GET", &format!("/retailer/invoices/{id}"), None)
        .await;
    assert_eq!(one["legalMonetaryTotal"], inv["legalMonetaryTotal"]);
    let r = b
        .call("GET", "/retailer/invoices/4599999999/specification", None)
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
