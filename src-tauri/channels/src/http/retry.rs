//! When and how long to wait before trying a call again. Only calls that are safe to repeat
//! are retried here (reads, and writes of absolute values such as "stock is 7"); a create that
//! may have gone through is never sent blindly again — the connector reconciles it instead.
//! The jitter comes from a seeded RNG so a test run is reproducible.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Mutex;
use std::time::Duration;

/// Whether a call may be sent again when it is unclear if it arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Reads and absolute writes (PUT stock = 7, DELETE): repeating does no harm.
    Repeatable,
    /// Creates and other calls that would act twice: retried only when surely not received
    /// (connection refused, 429).
    Once,
}

/// Retry settings of one connection.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest throttling wait sat through inside one call; longer ones are reported as
    /// [`crate::Failure::Throttled`] for the caller to schedule.
    pub max_throttle_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_throttle_wait: Duration::from_secs(30),
        }
    }
}

/// Exponential backoff with "equal jitter": half the step fixed, half random.
#[derive(Debug)]
pub struct Backoff {
    rng: Mutex<ChaCha8Rng>,
}

impl Backoff {
    pub fn new(seed: u64) -> Self {
        Self {
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed)),
        }
    }

    /// The wait before retry number `retry` (1 = the first retry).
    pub fn delay(&self, policy: &RetryPolicy, retry: u32) -> Duration {
        let step = policy
            .base_delay
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16))
            .min(policy.max_delay);
        let half = step / 2;
        let jitter: f64 = self
            .rng
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .random_range(0.0..1.0);
        half + half.mul_f64(jitter)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_stays_within_bounds_and_is_reproducible_from_its_seed() {
        let p = RetryPolicy::default();
        let a = Backoff::new(7);
        let b = Backoff::new(7);
        let da: Vec<_> = (1..=8).map(|r| a.delay(&p, r)).collect();
        let db: Vec<_> = (1..=8).map(|r| b.delay(&p, r)).collect();
        assert_eq!(da, db, "same seed, same waits");
        for (i, d) in da.iter().enumerate() {
            let step = p.base_delay.saturating_mul(1 << i).min(p.max_delay);
            assert!(
                *d >= step / 2 && *d <= step,
                "retry {} waits {d:?}, within [{:?}, {step:?}]",
                i + 1,
                step / 2
            );
        }
        assert!(da[7] <= p.max_delay, "never beyond the cap");
    }
}
