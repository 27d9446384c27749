//! Faults on demand, per route: the failures a connector must survive, injected in front of
//! every platform's router. A fault is picked per request from a seeded RNG (a share of calls,
//! [`FaultPlan::rate`]) or from rules per route ([`FaultPlan::parse`]); tests can also queue
//! exact faults for the next matching calls ([`Faults::inject`]).
//!
//! Kinds: 429 with Retry-After, 500, 503, a slow response, a dropped connection (the request is
//! not handled), and "lost": the request IS handled (the change is made) and then the
//! connection drops before the answer arrives; and any error status with bol.com's documented
//! problem body ([`Fault::Status`]).
//!
//! Control route (the sandbox's own, for tests that drive the sandbox from outside, e.g. the
//! window's end-to-end tests; every platform serves it): `POST /_sandbox/faults` with
//! `{"path": "/retailer/offers/export", "status": 503, "times": 20}` (optional `"method"`)
//! makes the next `times` calls whose path starts with `path` answer `status` without being
//! handled; `DELETE /_sandbox/faults` takes back every queued fault (the standing plan stays).
//! The control route itself is never faulted.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One kind of fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `Retry-After: secs`; the request is not handled.
    Throttle { retry_after_secs: u64 },
    /// 500; not handled.
    ServerError,
    /// 503; not handled.
    Unavailable,
    /// The answer comes after a delay (the request is handled normally).
    Slow { millis: u64 },
    /// The connection drops; the request is not handled.
    Drop,
    /// The request is handled, then the connection drops before the answer.
    Lost,
    /// This error status (400..=599) with bol.com's problem body (`type`, `title`, `status`,
    /// `detail`); the request is not handled.
    Status(u16),
}

impl Fault {
    /// The faults a plain rate picks from, equally likely.
    pub const MIX: [Fault; 6] = [
        Fault::Throttle {
            retry_after_secs: 1,
        },
        Fault::ServerError,
        Fault::Unavailable,
        Fault::Slow { millis: 300 },
        Fault::Drop,
        Fault::Lost,
    ];

    fn parse(s: &str) -> Option<Fault> {
        Some(match s {
            "429" | "throttle" => Fault::Throttle {
                retry_after_secs: 1,
            },
            "500" => Fault::ServerError,
            "503" => Fault::Unavailable,
            "slow" => Fault::Slow { millis: 300 },
            "drop" => Fault::Drop,
            "lost" => Fault::Lost,
            _ => return None,
        })
    }
}

/// Which requests a rule applies to: a method (any when `None`) and a path prefix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Route {
    pub method: Option<Method>,
    pub path_prefix: String,
}

impl Route {
    pub fn any() -> Self {
        Self::default()
    }
    pub fn new(method: Method, path_prefix: &str) -> Self {
        Self {
            method: Some(method),
            path_prefix: path_prefix.to_string(),
        }
    }
    fn matches(&self, method: &Method, path: &str) -> bool {
        self.method.as_ref().is_none_or(|m| m == method) && path.starts_with(&self.path_prefix)
    }
}

/// A fault that hits a share of the matching requests.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    pub route: Route,
    /// Share of matching requests, 0.0..=1.0.
    pub rate: f64,
    /// The faults to pick from, equally likely.
    pub faults: Vec<Fault>,
}

/// The standing faults of a sandbox run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultPlan {
    pub rules: Vec<FaultRule>,
}

/// A fault spec that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not a fault spec: write a share such as 0.2, or rules such as \
         'lost:0.1:POST/retailer/offers,429:0.2' (kinds: 429, 500, 503, slow, drop, lost)"
)]
pub struct BadFaultSpec(pub String);

impl FaultPlan {
    pub fn none() -> Self {
        Self::default()
    }

    /// `rate` of all requests get one fault from [`Fault::MIX`].
    pub fn rate(rate: f64) -> Self {
        Self {
            rules: vec![FaultRule {
                route: Route::any(),
                rate,
                faults: Fault::MIX.to_vec(),
            }],
        }
    }

    /// Reads `0.2` (a share of all calls, any fault) or comma-separated rules
    /// `KIND:RATE[:METHOD/PATH-PREFIX]`, e.g. `lost:0.1:POST/retailer/offers,429:0.2`.
    pub fn parse(spec: &str) -> Result<Self, BadFaultSpec> {
        let bad = || BadFaultSpec(spec.to_string());
        let spec = spec.trim();
        if let Ok(r) = spec.parse::<f64>() {
            return if (0.0..=1.0).contains(&r) {
                Ok(Self::rate(r))
            } else {
                Err(bad())
            };
        }
        let mut rules = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let mut bits = part.splitn(3, ':');
            let fault = bits.next().and_then(Fault::parse).ok_or_else(bad)?;
            let rate: f64 = bits.next().and_then(|r| r.parse().ok()).ok_or_else(bad)?;
            if !(0.0..=1.0).contains(&rate) {
                return Err(bad());
            }
            let route = match bits.next() {
                None => Route::any(),
                Some(r) => {
                    let (method, path) = match r.find('/') {
                        Some(0) => (None, r),
                        Some(i) => (Some(r[..i].parse::<Method>().map_err(|_| bad())?), &r[i..]),
                        None => return Err(bad()),
                    };
                    Route {
                        method,
                        path_prefix: path.to_string(),
                    }
                }
            };
            rules.push(FaultRule {
                route,
                rate,
                faults: vec![fault],
            });
        }
        if rules.is_empty() {
            return Err(bad());
        }
        Ok(Self { rules })
    }
}

#[derive(Debug)]
struct Queued {
    route: Route,
    fault: Fault,
    remaining: u32,
}

#[derive(Debug)]
struct Inner {
    plan: FaultPlan,
    queued: Vec<Queued>,
    rng: ChaCha8Rng,
    injected: Vec<(String, Fault)>,
}

/// The live fault settings of one sandbox, shared by all its platforms.
#[derive(Debug, Clone)]
pub struct Faults(Arc<Mutex<Inner>>);

impl Faults {
    pub fn new(plan: FaultPlan, seed: u64) -> Self {
        Self(Arc::new(Mutex::new(Inner {
            plan,
            queued: Vec::new(),
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0xfa01_7500),
            injected: Vec::new(),
        })))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next `times` requests matching `route` get `fault` (before any standing rule).
    pub fn inject(&self, route: Route, fault: Fault, times: u32) {
        self.lock().queued.push(Queued {
            route,
            fault,
            remaining: times,
        });
    }

    /// Takes back every queued fault ([`Faults::inject`]); returns how many calls they would
    /// still have hit. The standing plan stays.
    pub fn clear_queued(&self) -> u32 {
        let mut inner = self.lock();
        let left = inner.queued.iter().map(|q| q.remaining).sum();
        inner.queued.clear();
        left
    }

    /// Replaces the standing rules (e.g. switch random faults off after a test's run).
    pub fn set_plan(&self, plan: FaultPlan) {
        self.lock().plan = plan;
    }

    /// Every fault injected so far, with the request it hit (`"POST /retailer/offers"`).
    pub fn injected(&self) -> Vec<(String, Fault)> {
        self.lock().injected.clone()
    }

    fn pick(&self, method: &Method, path: &str) -> Option<Fault> {
        // A test must always be able to reach the control route, to clear what it queued.
        if path.starts_with(CONTROL_PATH) {
            return None;
        }
        let mut inner = self.lock();
        let mut chosen = None;
        if let Some(q) = inner
            .queued
            .iter_mut()
            .find(|q| q.remaining > 0 && q.route.matches(method, path))
        {
            q.remaining -= 1;
            chosen = Some(q.fault);
        }
        inner.queued.retain(|q| q.remaining > 0);
        if chosen.is_none() {
            let rules: Vec<FaultRule> = inner
                .plan
                .rules
                .iter()
                .filter(|r| r.route.matches(method, path))
                .cloned()
                .collect();
            for rule in rules {
                if rule.faults.is_empty() {
                    continue;
                }
                if inner.rng.random_bool(rule.rate.clamp(0.0, 1.0)) {
                    let i = inner.rng.random_range(0..rule.faults.len());
                    chosen = rule.faults.get(i).copied();
                    break;
                }
            }
        }
        if let Some(f) = chosen {
            inner.injected.push((format!("{method} {path}"), f));
        }
        chosen
    }
}

/// The middleware that applies faults; the framework puts it in front of every platform.
pub async fn layer(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let fault = faults.pick(request.method(), request.uri().path());
    match fault {
        None => next.run(request).await,
        Some(Fault::Throttle { retry_after_secs }) => {
            let mut r = (
                StatusCode::TOO_MANY_REQUESTS,
                [("content-type", "application/json")],
                r#"{"type":"https://api.bol.com/problems","title":"Too Many Requests","status":429,"detail":"Too many requests, retry later."}"#,
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                r.headers_mut().insert("retry-after", v);
            }
            r
        }
        Some(Fault::ServerError) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
        }
        Some(Fault::Unavailable) => {
            (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response()
        }
        Some(Fault::Slow { millis }) => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            next.run(request).await
        }
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let detail = format!(
                "{}. Please try again later.",
                status.canonical_reason().unwrap_or("Error")
            );
            crate::bol::api::problem(status, &detail, request.uri().path(), &[])
        }
        Some(Fault::Drop) => broken_response(),
        Some(Fault::Lost) => {
            let _handled = next.run(request).await;
            broken_response()
        }
    }
}

/// The path of the control route (see the module documentation).
pub const CONTROL_PATH: &str = "/_sandbox/faults";

/// The control route for faults, served by every platform (see the module documentation).
pub fn control_router(faults: Faults) -> axum::Router {
    axum::Router::new()
        .route(
            CONTROL_PATH,
            axum::routing::post(control_queue).delete(control_clear),
        )
        .with_state(faults)
}

/// What `POST /_sandbox/faults` takes, as a queued fault.
fn queued_from(body: &serde_json::Value) -> Result<(Route, Fault, u32), String> {
    let path = body
        .get("path")
        .and_then(serde_json::Value::as_str)
        .filter(|p| p.starts_with('/'))
        .ok_or(
            "give the path the fault is for, starting with '/' (e.g. \"/retailer/offers/export\")",
        )?;
    let method = match body.get("method").and_then(serde_json::Value::as_str) {
        None => None,
        Some(m) => Some(
            m.to_uppercase()
                .parse::<Method>()
                .map_err(|_| format!("'{m}' is not an HTTP method"))?,
        ),
    };
    let status = body
        .get("status")
        .and_then(serde_json::Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (400..=599).contains(s))
        .ok_or("give an error status from 400 to 599")?;
    let times = body
        .get("times")
        .and_then(serde_json::Value::as_u64)
        .map_or(Ok(1), |t| {
            u32::try_from(t)
                .ok()
                .filter(|t| *t > 0)
                .ok_or("times must be 1 or more")
        })?;
    Ok((
        Route {
            method,
            path_prefix: path.to_string(),
        },
        Fault::Status(status),
        times,
    ))
}

async fn control_queue(State(faults): State<Faults>, body: axum::body::Bytes) -> Response {
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    crate::control_answer(
        queued_from(&body).map(|(route, fault, times)| {
            faults.inject(route, fault, times);
            serde_json::json!({"queued": times})
        }),
        StatusCode::CREATED,
    )
}

async fn control_clear(State(faults): State<Faults>) -> Response {
    crate::control_answer(
        Ok(serde_json::json!({"cleared": faults.clear_queued()})),
        StatusCode::OK,
    )
}

/// A response whose body fails at once: the server aborts the connection, so the client sees
/// the connection break before a complete answer.
fn broken_response() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault: dropped",
        ))
    });
    let mut r = Response::new(Body::from_stream(stream));
    r.headers_mut()
        .insert("content-length", HeaderValue::from_static("1000"));
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs_read_a_rate_or_rules_and_refuse_nonsense() {
        assert_eq!(FaultPlan::parse("0.2").unwrap(), FaultPlan::rate(0.2));
        let p = FaultPlan::parse("lost:0.1:POST/retailer/offers, 429:0.5").unwrap();
        assert_eq!(p.rules.len(), 2);
        assert_eq!(
            p.rules[0].route,
            Route::new(Method::POST, "/retailer/offers")
        );
        assert_eq!(p.rules[0].faults, vec![Fault::Lost]);
        assert_eq!(p.rules[1].route, Route::any());
        for bad in ["1.5", "boom:0.1", "lost:x", "lost:0.1:nopath", ""] {
            assert!(FaultPlan::parse(bad).is_err(), "'{bad}' must be refused");
        }
    }

    #[test]
    fn a_rate_hits_about_that_share_of_calls_reproducibly() {
        let run = || {
            let f = Faults::new(FaultPlan::rate(0.2), 9);
            (0..2000)
                .filter(|_| f.pick(&Method::GET, "/retailer/orders").is_some())
                .count()
        };
        let hits = run();
        assert!(
            (300..=500).contains(&hits),
            "about 20% of 2000 calls: {hits}"
        );
        assert_eq!(hits, run(), "same seed, same faults");
    }

    #[test]
    fn queued_faults_hit_exactly_the_next_matching_calls() {
        let f = Faults::new(FaultPlan::none(), 1);
        f.inject(Route::new(Method::POST, "/retailer/offers"), Fault::Lost, 2);
        assert_eq!(
            f.pick(&Method::GET, "/retailer/offers/1"),
            None,
            "other method untouched"
        );
        assert_eq!(f.pick(&Method::POST, "/retailer/offers"), Some(Fault::Lost));
        assert_eq!(f.pick(&Method::POST, "/retailer/offers"), Some(Fault::Lost));
        assert_eq!(
            f.pick(&Method::POST, "/retailer/offers"),
            None,
            "only twice"
        );
    }
}
