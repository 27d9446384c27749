//! The HTTP machinery every connector shares, written once: a client for one channel
//! connection ([`Transport`]) that waits for the rate limiter, adds authentication, retries with
//! jittered backoff only what is safe to repeat, refreshes a refused token once, and turns
//! network and status failures into [`Failure`] kinds. Platform specifics (URLs, bodies, error
//! formats) stay in the connectors.
//!
//! Time and randomness are injected ([`Timer`], a seed) so tests of retries and throttling are
//! exact and instant.

pub mod async_op;
pub mod limiter;
pub mod paging;
pub mod retry;
pub mod timer;
pub mod token;

pub use async_op::{track, OpState, PollPolicy};
pub use limiter::{RateHeaders, RateLimiter};
pub use paging::{collect_pages, next_page_number, Fetched};
pub use retry::{Backoff, RetryPolicy, Safety};
pub use timer::{ManualTimer, Timer, TokioTimer};
pub use token::TokenCache;

use crate::failure::{Failure, Outage};
use reqwest::header::HeaderMap;
use reqwest::{Client, RequestBuilder, StatusCode};
use std::sync::Arc;
use std::time::Duration;

/// Settings of one channel connection's HTTP client.
#[derive(Clone)]
pub struct HttpConfig {
    /// The channel's name as the merchant sees it, used in failure messages ("bol.com").
    pub channel: String,
    /// Base URL of the API; `https://` for real platforms, `http://127.0.0.1:...` for the
    /// sandbox. Plain http is accepted for loopback only.
    pub base_url: String,
    pub timeout: Duration,
    pub retry: RetryPolicy,
    pub rate_headers: RateHeaders,
    /// Seed of the jitter in retry waits.
    pub seed: u64,
    pub timer: Arc<dyn Timer>,
}

impl std::fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpConfig")
            .field("channel", &self.channel)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl HttpConfig {
    /// Defaults for a connection to `base_url`: 30 s timeout, 4 attempts, real time.
    pub fn new(channel: impl Into<String>, base_url: impl Into<String>) -> Self {
        Self {
            channel: channel.into(),
            base_url: base_url.into().trim_end_matches('/').to_string(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            rate_headers: RateHeaders::X_RATELIMIT,
            seed: 0x6b61_6e61_616c,
            timer: Arc::new(TokioTimer::default()),
        }
    }
}

/// Checks that a base URL is https, or http to this machine (the sandbox).
pub fn check_base_url(channel: &str, url: &str) -> Result<(), Failure> {
    let parsed = reqwest::Url::parse(url).map_err(|_| Failure::Rejected {
        channel: channel.to_string(),
        field: "base URL".into(),
        reason: format!("'{url}' is not a web address"),
    })?;
    let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(Failure::Rejected {
            channel: channel.to_string(),
            field: "base URL".into(),
            reason: "use an https:// address (plain http only for this computer)".into(),
        }),
    }
}

/// Adds credentials to a request; connectors implement it over their token scheme.
#[async_trait::async_trait]
pub trait Auth: Send + Sync {
    async fn authorize(&self, request: RequestBuilder) -> Result<RequestBuilder, Failure>;
    /// Called after the platform answered 401: forget cached tokens.
    async fn invalidate(&self);
}

/// A response that came back (any status the connector has to interpret itself).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// A failed call, and whether the platform may nevertheless have acted on it (the request was
/// sent but the answer was lost or was a server error): the connector must then check before
/// sending a non-repeatable call again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    pub failure: Failure,
    pub maybe_applied: bool,
}

impl From<CallError> for Failure {
    fn from(e: CallError) -> Failure {
        e.failure
    }
}

/// One call to make: its operation name (the rate-limit key), whether it may be repeated, and
/// how to build the request (called once per attempt, with the client and the base URL).
pub struct Call<'a> {
    pub operation: &'static str,
    pub safety: Safety,
    pub build: &'a (dyn Fn(&Client, &str) -> RequestBuilder + Send + Sync),
    pub auth: Option<&'a dyn Auth>,
}

/// The HTTP client of one channel connection.
pub struct Transport {
    config: HttpConfig,
    client: Client,
    limiter: RateLimiter,
    backoff: Backoff,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub fn new(config: HttpConfig) -> Result<Self, Failure> {
        check_base_url(&config.channel, &config.base_url)?;
        let client = Client::builder()
            .timeout(config.timeout)
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("Kanaal/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Failure::PlatformDown {
                channel: config.channel.clone(),
                detail: Outage::ConnectionSetup {
                    error: e.to_string(),
                },
            })?;
        Ok(Self {
            limiter: RateLimiter::new(config.channel.clone(), config.rate_headers.clone()),
            backoff: Backoff::new(config.seed),
            client,
            config,
        })
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn limiter(&self) -> &RateLimiter {
        &self.limiter
    }

    pub fn timer(&self) -> &dyn Timer {
        self.config.timer.as_ref()
    }

    pub fn channel(&self) -> &str {
        &self.config.channel
    }

    /// Sends a call with rate limiting, authentication, safe retries and one token refresh.
    /// Returns any response that is not a throttle, auth or server failure; the connector
    /// interprets 2xx and 4xx bodies.
    pub async fn send(&self, call: Call<'_>) -> Result<Reply, CallError> {
        let policy = &self.config.retry;
        let timer = self.timer();
        let mut attempt = 0u32;
        let mut refreshed = false;
        loop {
            attempt += 1;
            let wait = self
                .limiter
                .admit(call.operation, timer.now(), policy.max_throttle_wait)
                .map_err(|failure| CallError {
                    failure,
                    maybe_applied: false,
                })?;
            if !wait.is_zero() {
                timer.sleep(wait).await;
            }
            let mut request = (call.build)(&self.client, &self.config.base_url);
            if let Some(auth) = call.auth {
                request = auth.authorize(request).await.map_err(|failure| CallError {
                    failure,
                    maybe_applied: false,
                })?;
            }
            tracing::debug!(channel = %self.config.channel, operation = call.operation, attempt, "sending");
            let outcome = request.send().await;
            let more = attempt < policy.max_attempts;
            let response = match outcome {
                Ok(r) => r,
                Err(e) => {
                    let not_sent = e.is_connect();
                    let failure = self.network_failure(&e);
                    tracing::debug!(channel = %self.config.channel, operation = call.operation, kind = failure.kind(), "no answer");
                    if more && (not_sent || call.safety == Safety::Repeatable) {
                        timer.sleep(self.backoff.delay(policy, attempt)).await;
                        continue;
                    }
                    return Err(CallError {
                        failure,
                        maybe_applied: !not_sent,
                    });
                }
            };
            let status = response.status();
            let headers = response.headers().clone();
            self.limiter
                .observe(call.operation, timer.now(), status.as_u16(), &headers);
            let body = match response.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) => {
                    let failure = self.network_failure(&e);
                    if more && call.safety == Safety::Repeatable {
                        timer.sleep(self.backoff.delay(policy, attempt)).await;
                        continue;
                    }
                    return Err(CallError {
                        failure,
                        maybe_applied: true,
                    });
                }
            };
            tracing::debug!(channel = %self.config.channel, operation = call.operation, status = status.as_u16(), "answered");
            match status.as_u16() {
                429 => {
                    // Not processed: any call may be repeated once the wait is over, which the
                    // limiter enforces at the top of the loop (or reports as Throttled).
                    if more {
                        continue;
                    }
                    return Err(CallError {
                        failure: Failure::Throttled {
                            channel: self.config.channel.clone(),
                            retry_after: limiter::retry_after(&headers)
                                .unwrap_or(Duration::from_secs(1)),
                        },
                        maybe_applied: false,
                    });
                }
                401 if call.auth.is_some() && !refreshed => {
                    refreshed = true;
                    attempt -= 1;
                    if let Some(auth) = call.auth {
                        auth.invalidate().await;
                    }
                    continue;
                }
                401 | 403 => {
                    return Err(CallError {
                        failure: Failure::BadCredentials {
                            channel: self.config.channel.clone(),
                        },
                        maybe_applied: false,
                    })
                }
                500..=599 => {
                    if more && call.safety == Safety::Repeatable {
                        timer.sleep(self.backoff.delay(policy, attempt)).await;
                        continue;
                    }
                    return Err(CallError {
                        failure: Failure::PlatformDown {
                            channel: self.config.channel.clone(),
                            detail: Outage::ErrorStatus {
                                status: status.as_u16(),
                            },
                        },
                        maybe_applied: true,
                    });
                }
                _ => {
                    return Ok(Reply {
                        status,
                        headers,
                        body,
                    })
                }
            }
        }
    }

    fn network_failure(&self, e: &reqwest::Error) -> Failure {
        let channel = self.config.channel.clone();
        if e.is_connect() {
            Failure::NetworkDown { channel }
        } else if e.is_timeout() {
            Failure::PlatformDown {
                channel,
                detail: Outage::Timeout,
            }
        } else {
            Failure::PlatformDown {
                channel,
                detail: Outage::ConnectionBroke,
            }
        }
    }
}
