//! Access tokens reused until shortly before they expire, then fetched again — one fetch at a
//! time, because platforms punish token stampedes (bol.com blocks IPs that ask too often).
//! A 401 on a call invalidates the cached token so the next call fetches a fresh one.

use crate::Failure;
use std::future::Future;
use std::time::Duration;

/// A token and when (on the connection's [`super::Timer`] scale) it stops being valid.
#[derive(Clone)]
struct Cached {
    value: String,
    expires_at: Duration,
}

/// A cached bearer token. The value is never printed (`Debug` hides it).
pub struct TokenCache {
    state: tokio::sync::Mutex<Option<Cached>>,
    /// Fetch a new token this long before the old one expires.
    margin: Duration,
    fetches: std::sync::atomic::AtomicU32,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    pub fn new(margin: Duration) -> Self {
        Self {
            state: tokio::sync::Mutex::new(None),
            margin,
            fetches: std::sync::atomic::AtomicU32::new(0),
        }
    }

    /// The cached token, or a new one from `fetch` (which returns the token and how long it is
    /// valid). Concurrent callers wait for one fetch.
    pub async fn get<F, Fut>(&self, now: Duration, fetch: F) -> Result<String, Failure>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(String, Duration), Failure>>,
    {
        let mut state = self.state.lock().await;
        if let Some(c) = state.as_ref() {
            if now + self.margin < c.expires_at {
                return Ok(c.value.clone());
            }
        }
        let (value, valid_for) = fetch().await?;
        self.fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        *state = Some(Cached {
            value: value.clone(),
            expires_at: now + valid_for,
        });
        Ok(value)
    }

    /// Forgets the token (after the platform refused it).
    pub async fn invalidate(&self) {
        *self.state.lock().await = None;
    }

    /// How many tokens were fetched so far (for tests and diagnostics).
    pub fn fetch_count(&self) -> u32 {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_token_is_reused_until_just_before_expiry() {
        let cache = TokenCache::new(Duration::from_secs(15));
        let fetch =
            |v: &'static str| move || async move { Ok((v.to_string(), Duration::from_secs(299))) };
        let t = Duration::from_secs(1000);
        assert_eq!(cache.get(t, fetch("a")).await.unwrap(), "a");
        assert_eq!(
            cache
                .get(t + Duration::from_secs(200), fetch("b"))
                .await
                .unwrap(),
            "a",
            "still valid: reused"
        );
        assert_eq!(
            cache
                .get(t + Duration::from_secs(290), fetch("c"))
                .await
                .unwrap(),
            "c",
            "inside the safety margin: fetched again"
        );
        cache.invalidate().await;
        assert_eq!(
            cache
                .get(t + Duration::from_secs(291), fetch("d"))
                .await
                .unwrap(),
            "d",
            "refused token dropped"
        );
        assert_eq!(cache.fetch_count(), 3);
    }
}
