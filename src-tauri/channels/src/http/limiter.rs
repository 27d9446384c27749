//! Rate limiting per (channel, operation), learned from what the platform says rather than
//! configured: the remaining calls and reset time in its headers, and `Retry-After` on a 429.
//! Before a call the limiter says how long to wait; a wait longer than the caller will sit
//! through becomes [`Failure::Throttled`], so the outbox can come back later instead of
//! blocking a worker.
//!
//! One limiter belongs to one channel connection (the channel part of the key); operations are
//! the connector's own names ("offers.create", "orders.list").

use crate::Failure;
use reqwest::header::HeaderMap;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// The header names a platform uses for its limits. Values are read as integers; `reset` is
/// seconds until the window resets.
#[derive(Debug, Clone)]
pub struct RateHeaders {
    pub remaining: &'static str,
    pub reset: &'static str,
}

impl RateHeaders {
    /// bol.com's (and many others'): `x-ratelimit-remaining`, `x-ratelimit-reset`.
    pub const X_RATELIMIT: RateHeaders = RateHeaders {
        remaining: "x-ratelimit-remaining",
        reset: "x-ratelimit-reset",
    };
}

#[derive(Debug, Default, Clone, Copy)]
struct Window {
    remaining: Option<u64>,
    reset_at: Option<Duration>,
    blocked_until: Option<Duration>,
}

/// Learned limits of one channel connection, per operation.
#[derive(Debug)]
pub struct RateLimiter {
    channel: String,
    headers: RateHeaders,
    windows: Mutex<HashMap<String, Window>>,
}

impl RateLimiter {
    pub fn new(channel: impl Into<String>, headers: RateHeaders) -> Self {
        Self {
            channel: channel.into(),
            headers,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// How long to wait before calling `operation` at time `now` (zero: go ahead).
    pub fn wait_before(&self, operation: &str, now: Duration) -> Duration {
        let w = self.window(operation);
        let mut until = Duration::ZERO;
        if let Some(b) = w.blocked_until {
            until = until.max(b);
        }
        if w.remaining == Some(0) {
            if let Some(r) = w.reset_at {
                until = until.max(r);
            }
        }
        until.saturating_sub(now)
    }

    /// Waits that are at most `max_wait`; longer ones become [`Failure::Throttled`].
    pub fn admit(
        &self,
        operation: &str,
        now: Duration,
        max_wait: Duration,
    ) -> Result<Duration, Failure> {
        let wait = self.wait_before(operation, now);
        if wait > max_wait {
            return Err(Failure::Throttled {
                channel: self.channel.clone(),
                retry_after: round_up_secs(wait),
            });
        }
        Ok(wait)
    }

    /// Learns from a response's headers (and from a 429, its `Retry-After`).
    pub fn observe(&self, operation: &str, now: Duration, status: u16, headers: &HeaderMap) {
        let num = |name: &str| -> Option<u64> {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|s| s.trim().parse::<u64>().ok())
        };
        let mut map = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let w = map.entry(operation.to_string()).or_default();
        if let Some(r) = num(self.headers.remaining) {
            w.remaining = Some(r);
            w.reset_at = num(self.headers.reset).map(|s| now + Duration::from_secs(s));
        }
        if status == 429 {
            let after = retry_after(headers).unwrap_or(Duration::from_secs(1));
            w.blocked_until = Some(now + after);
        } else if w.blocked_until.is_some_and(|b| b <= now) {
            w.blocked_until = None;
        }
    }

    /// Blocks `operation` for `d` (for platforms that report limits in the body, such as
    /// Shopify's GraphQL cost).
    pub fn block_for(&self, operation: &str, now: Duration, d: Duration) {
        let mut map = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let w = map.entry(operation.to_string()).or_default();
        let until = now + d;
        w.blocked_until = Some(w.blocked_until.map_or(until, |b| b.max(until)));
    }

    fn window(&self, operation: &str) -> Window {
        self.windows
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(operation)
            .copied()
            .unwrap_or_default()
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by the platforms we speak to).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

fn round_up_secs(d: Duration) -> Duration {
    let s = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    Duration::from_secs(s.max(1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn a_429_blocks_only_that_operation_for_retry_after() {
        let l = RateLimiter::new("bol.com", RateHeaders::X_RATELIMIT);
        let t0 = Duration::from_secs(100);
        l.observe("orders.list", t0, 429, &headers(&[("retry-after", "7")]));
        assert_eq!(
            l.wait_before("orders.list", t0),
            Duration::from_secs(7),
            "Retry-After honoured"
        );
        assert_eq!(
            l.wait_before("offers.create", t0),
            Duration::ZERO,
            "other operations go on"
        );
        assert_eq!(
            l.wait_before("orders.list", t0 + Duration::from_secs(7)),
            Duration::ZERO,
            "free again once the wait has passed"
        );
    }

    #[test]
    fn an_exhausted_window_waits_for_its_reset_and_long_waits_become_throttled() {
        let l = RateLimiter::new("bol.com", RateHeaders::X_RATELIMIT);
        let t0 = Duration::from_secs(10);
        l.observe(
            "orders.get",
            t0,
            200,
            &headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "40")]),
        );
        assert_eq!(l.wait_before("orders.get", t0), Duration::from_secs(40));
        let err = l
            .admit("orders.get", t0, Duration::from_secs(5))
            .unwrap_err();
        assert!(
            matches!(err, Failure::Throttled { retry_after, .. } if retry_after == Duration::from_secs(40)),
            "a wait beyond the caller's patience is reported as throttled: {err:?}"
        );
        l.observe(
            "orders.get",
            t0 + Duration::from_secs(40),
            200,
            &headers(&[("x-ratelimit-remaining", "8"), ("x-ratelimit-reset", "60")]),
        );
        assert_eq!(
            l.wait_before("orders.get", t0 + Duration::from_secs(40)),
            Duration::ZERO
        );
    }
}
