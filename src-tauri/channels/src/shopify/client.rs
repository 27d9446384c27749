//! Sending one GraphQL operation to Shopify's Admin API and reading the answer: the access token
//! header, the cost-based throttle, and Shopify's error shapes turned into [`Failure`]s.
//!
//! Throttling: Shopify meters a leaky bucket of cost points per app and store and reports it in
//! `extensions.cost.throttleStatus` on every answer. The client keeps a model of that bucket
//! (what was reported, refilled at `restoreRate` since, minus what calls in flight reserved) and,
//! before a call whose cost the bucket cannot cover yet, asks the shared rate limiter to hold
//! the operation for exactly the time the bucket needs. A `THROTTLED` answer (the query did not
//! run) is waited out the same way and sent again; waits longer than the connection's patience
//! come back as [`Failure::Throttled`].

use crate::credentials::Secret;
use crate::failure::{Failure, Outage};
use crate::http::{Auth, Call, CallError, Safety, Transport};
use reqwest::RequestBuilder;
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// The rate-limit key: Shopify's bucket is one per app and store, whatever the operation.
const BUCKET: &str = "graphql";
/// How often a THROTTLED answer is waited out before giving up on this call.
const MAX_THROTTLED: u32 = 8;

/// The model of Shopify's bucket, on the transport timer's scale.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// What Shopify last reported (refined), at `at`; `maximum` and `restore_rate` are the
    /// bucket size and refill Shopify reports, never assumed.
    available: f64,
    maximum: f64,
    restore_rate: f64,
    at: Duration,
    /// Points promised to calls of this connection that have no answer yet (sent, or waiting
    /// their turn), so concurrent calls do not plan with the same points.
    reserved: f64,
}

impl Bucket {
    fn available_at(&self, now: Duration) -> f64 {
        let gained = now.saturating_sub(self.at).as_secs_f64() * self.restore_rate;
        (self.available + gained).min(self.maximum)
    }

    fn free_at(&self, now: Duration) -> f64 {
        self.available_at(now) - self.reserved
    }
}

/// Adds `X-Shopify-Access-Token`.
struct TokenAuth(Secret);

#[async_trait::async_trait]
impl Auth for TokenAuth {
    async fn authorize(&self, request: RequestBuilder) -> Result<RequestBuilder, Failure> {
        Ok(request.header("X-Shopify-Access-Token", self.0.expose()))
    }
    async fn invalidate(&self) {
        // A static Admin API token: nothing to refresh.
    }
}

/// A GraphQL answer that came back with data.
#[derive(Debug)]
pub struct Answer {
    pub data: Json,
}

/// A failed operation and whether Shopify may have acted on it anyway.
#[derive(Debug)]
pub struct GqlError {
    pub failure: Failure,
    pub maybe_applied: bool,
}

impl From<GqlError> for Failure {
    fn from(e: GqlError) -> Failure {
        e.failure
    }
}

pub struct Client {
    transport: Transport,
    path: String,
    auth: TokenAuth,
    bucket: Mutex<Option<Bucket>>,
    /// The requested cost each operation was last charged, to know what to wait for.
    costs: Mutex<HashMap<&'static str, u64>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(transport: Transport, version: &str, token: Secret) -> Self {
        Self {
            transport,
            path: format!("/admin/api/{version}/graphql.json"),
            auth: TokenAuth(token),
            bucket: Mutex::new(None),
            costs: Mutex::new(HashMap::new()),
        }
    }

    pub fn channel(&self) -> &str {
        self.transport.channel()
    }

    /// Runs `query` with `variables`. `cost_hint` is the requested cost to plan for until
    /// Shopify has told the real one. Returns `data`; top-level errors become failures.
    pub async fn run(
        &self,
        operation: &'static str,
        query: &str,
        variables: Json,
        safety: Safety,
        cost_hint: u64,
    ) -> Result<Answer, GqlError> {
        let body = json!({"query": query, "variables": variables});
        let url_path = self.path.clone();
        let build = move |client: &reqwest::Client, base: &str| {
            client
                .post(format!("{base}{url_path}"))
                .header("Content-Type", "application/json")
                .json(&body)
        };
        let mut throttled = 0;
        loop {
            let cost = self.expected_cost(operation, cost_hint);
            let reserved = self.reserve(cost);
            let reply = self
                .transport
                .send(Call {
                    operation: BUCKET,
                    safety,
                    build: &build,
                    auth: Some(&self.auth),
                })
                .await
                .map_err(
                    |CallError {
                         failure,
                         maybe_applied,
                     }| {
                        self.release(reserved);
                        GqlError {
                            failure,
                            maybe_applied,
                        }
                    },
                )?;
            let parsed: Json = serde_json::from_slice(&reply.body).map_err(|_| {
                self.release(reserved);
                GqlError {
                    failure: Failure::PlatformDown {
                        channel: self.channel().to_string(),
                        detail: Outage::UnreadableAnswer {
                            status: Some(reply.status.as_u16()),
                        },
                    },
                    maybe_applied: safety == Safety::Once,
                }
            })?;
            self.learn(operation, &parsed, reserved);
            let errors = parsed
                .get("errors")
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default();
            let is_throttled = reply.status.as_u16() == 429
                || errors
                    .iter()
                    .any(|e| e["extensions"]["code"] == "THROTTLED");
            if is_throttled {
                // Not run: wait for the points this query needs, then send it again.
                throttled += 1;
                if throttled > MAX_THROTTLED {
                    return Err(GqlError {
                        failure: Failure::Throttled {
                            channel: self.channel().to_string(),
                            retry_after: Duration::from_secs(1),
                        },
                        maybe_applied: false,
                    });
                }
                continue;
            }
            if !reply.status.is_success() {
                return Err(GqlError {
                    failure: Failure::Rejected {
                        channel: self.channel().to_string(),
                        field: "request".into(),
                        reason: format!(
                            "Shopify refused the request (HTTP {})",
                            reply.status.as_u16()
                        ),
                    },
                    maybe_applied: false,
                });
            }
            if let Some(first) = errors.first() {
                // Shopify checks the whole document before running it, so a top-level error
                // means nothing was applied.
                return Err(GqlError {
                    failure: top_level_failure(self.channel(), first),
                    maybe_applied: false,
                });
            }
            return Ok(Answer {
                data: parsed.get("data").cloned().unwrap_or(Json::Null),
            });
        }
    }

    fn expected_cost(&self, operation: &'static str, hint: u64) -> u64 {
        self.costs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(operation)
            .copied()
            .unwrap_or(hint)
    }

    /// Holds the bucket key until the modelled bucket can pay `cost` on top of what other
    /// calls reserved, then books it. Returns the points booked (none before the first
    /// answer has told the bucket's size).
    fn reserve(&self, cost: u64) -> f64 {
        let now = self.transport.timer().now();
        let mut guard = self.bucket.lock().unwrap_or_else(|p| p.into_inner());
        let Some(b) = guard.as_mut() else {
            return 0.0;
        };
        let have = b.free_at(now);
        let cost = cost as f64;
        if have < cost && b.restore_rate > 0.0 {
            // One point more than the model says: Shopify reports whole points, and a full
            // bucket starts refilling only when Shopify takes the points, a moment after they
            // were planned here.
            let wait = Duration::from_secs_f64((cost + 1.0 - have) / b.restore_rate);
            self.transport.limiter().block_for(BUCKET, now, wait);
        }
        b.reserved += cost;
        cost
    }

    /// Gives back points booked for a call that got no answer.
    fn release(&self, reserved: f64) {
        if let Some(b) = self
            .bucket
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_mut()
        {
            b.reserved = (b.reserved - reserved).max(0.0);
        }
    }

    /// Updates the bucket model from `extensions.cost`. Shopify reports whole points; the model
    /// keeps its own fraction when that is consistent with the report, so waits are not rounded
    /// up by a point each time.
    fn learn(&self, operation: &'static str, parsed: &Json, own: f64) {
        let cost = &parsed["extensions"]["cost"];
        let status = &cost["throttleStatus"];
        let (Some(reported), Some(maximum), Some(rate)) = (
            status["currentlyAvailable"].as_f64(),
            status["maximumAvailable"].as_f64(),
            status["restoreRate"].as_f64(),
        ) else {
            self.release(own);
            return;
        };
        if let Some(requested) = cost["requestedQueryCost"].as_u64() {
            self.costs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(operation, requested);
        }
        let now = self.transport.timer().now();
        let mut guard = self.bucket.lock().unwrap_or_else(|p| p.into_inner());
        let mut available = reported;
        // This call's booking is settled by this answer; the other calls' stay booked.
        let others = guard.as_ref().map_or(0.0, |b| (b.reserved - own).max(0.0));
        if let Some(b) = guard.as_ref() {
            if cost["actualQueryCost"].is_null() {
                // Throttled: nothing was taken, so the reservation made for it is void.
                let wait = (cost["requestedQueryCost"].as_f64().unwrap_or(0.0) - reported).max(0.0)
                    / rate.max(f64::MIN_POSITIVE);
                self.transport
                    .limiter()
                    .block_for(BUCKET, now, Duration::from_secs_f64(wait));
            } else {
                let refund = cost["requestedQueryCost"].as_f64().unwrap_or(0.0)
                    - cost["actualQueryCost"].as_f64().unwrap_or(0.0);
                let model = b.available_at(now) - own + refund;
                if model >= reported && model < reported + 1.0 {
                    available = model;
                }
            }
        } else if cost["actualQueryCost"].is_null() {
            let wait = (cost["requestedQueryCost"].as_f64().unwrap_or(0.0) - reported).max(0.0)
                / rate.max(f64::MIN_POSITIVE);
            self.transport
                .limiter()
                .block_for(BUCKET, now, Duration::from_secs_f64(wait));
        }
        *guard = Some(Bucket {
            available,
            maximum,
            restore_rate: rate,
            at: now,
            reserved: others,
        });
    }
}

/// A top-level GraphQL error (the request as a whole was refused).
fn top_level_failure(channel: &str, error: &Json) -> Failure {
    let message = error["message"]
        .as_str()
        .unwrap_or("unknown error")
        .to_string();
    match error["extensions"]["code"].as_str() {
        Some("ACCESS_DENIED") => Failure::BadCredentials {
            channel: channel.to_string(),
        },
        Some("INTERNAL_SERVER_ERROR") => Failure::PlatformDown {
            channel: channel.to_string(),
            detail: Outage::PlatformError { message },
        },
        _ => Failure::Rejected {
            channel: channel.to_string(),
            field: error["path"]
                .as_array()
                .map(|p| {
                    p.iter()
                        .filter_map(Json::as_str)
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "request".into()),
            reason: message,
        },
    }
}

/// The first of a mutation's `userErrors` as a rejection naming the field
/// (`["input","variants","0","price"]` becomes `variants.0.price`).
pub fn user_errors(channel: &str, payload: &Json) -> Result<(), Failure> {
    let errors = payload
        .get("userErrors")
        .or_else(|| payload.get("orderCancelUserErrors"))
        .and_then(Json::as_array);
    let Some(first) = errors.and_then(|e| e.first()) else {
        return Ok(());
    };
    let field = first["field"]
        .as_array()
        .map(|p| {
            p.iter()
                .filter_map(Json::as_str)
                .filter(|s| *s != "input")
                .collect::<Vec<_>>()
                .join(".")
        })
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "listing".into());
    let mut reason = first["message"].as_str().unwrap_or("refused").to_string();
    if let Some(code) = first["code"].as_str() {
        reason = format!("{reason} ({code})");
    }
    Err(Failure::Rejected {
        channel: channel.to_string(),
        field,
        reason,
    })
}
