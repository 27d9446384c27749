//! The sandbox's fault control route over HTTP, as the window's end-to-end tests use it: the
//! next calls to a path answer an error status with bol.com's problem body, until the queued
//! faults run out or are cleared; the control route itself is never faulted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::{json, Value};

const JSON: &str = "application/vnd.retailer.v10+json";

#[tokio::test]
async fn the_next_calls_to_a_path_fail_with_the_status_asked_until_cleared() {
    let bol = common::start_bol(71).await;
    let control = format!("{}/_sandbox/faults", bol.base);
    let export = || {
        bol.http
            .post(format!("{}/retailer/offers/export", bol.base))
            .bearer_auth(&bol.token)
            .header("accept", JSON)
            .header("content-type", JSON)
            .body(json!({"format": "CSV"}).to_string())
            .send()
    };
    // Nonsense is refused with a reason.
    for bad in [
        json!({"path": "retailer/offers/export", "status": 503}),
        json!({"path": "/retailer/offers/export", "status": 200}),
        json!({"path": "/retailer/offers/export", "status": 503, "times": 0}),
        json!({"path": "/retailer/offers/export", "status": 503, "method": "NOT A METHOD"}),
    ] {
        let r = bol.http.post(&control).json(&bad).send().await.unwrap();
        assert_eq!(r.status(), 400, "{bad}");
        let said: Value = r.json().await.unwrap();
        assert!(said["error"].as_str().is_some_and(|e| !e.is_empty()));
    }

    let r = bol
        .http
        .post(&control)
        .json(&json!({"method": "POST", "path": "/retailer/offers/export", "status": 503, "times": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    for _ in 0..2 {
        let r = export().await.unwrap();
        assert_eq!(r.status(), 503);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["type"], "https://api.bol.com/problems", "{body}");
        assert_eq!(body["status"], 503, "{body}");
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    assert_eq!(
        export().await.unwrap().status(),
        202,
        "only the next two calls"
    );

    // A fault for every path, cleared before it ran out: the control route stays reachable and
    // the calls after it go through.
    let r = bol
        .http
        .post(&control)
        .json(&json!({"path": "/", "status": 500, "times": 100}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(export().await.unwrap().status(), 500);
    let cleared = bol.http.delete(&control).send().await.unwrap();
    assert_eq!(cleared.status(), 200);
    assert_eq!(cleared.json::<Value>().await.unwrap()["cleared"], 99);
    assert_eq!(export().await.unwrap().status(), 202);
}
