//! Time for the HTTP machinery as a parameter: how long to wait and what "now" is, on a monotonic
//! scale. Production uses tokio's clock; tests use [`ManualTimer`], which returns from `sleep`
//! at once, moves its clock forward and records every wait, so retry and throttling tests are
//! exact and instant.

use std::sync::Mutex;
use std::time::Duration;

/// A monotonic clock with a sleep.
#[async_trait::async_trait]
pub trait Timer: Send + Sync {
    /// Time since an arbitrary fixed start.
    fn now(&self) -> Duration;
    async fn sleep(&self, d: Duration);
}

/// The real clock (tokio's, so `tokio::time::pause` also works).
#[derive(Debug)]
pub struct TokioTimer {
    start: tokio::time::Instant,
}

impl Default for TokioTimer {
    fn default() -> Self {
        Self {
            start: tokio::time::Instant::now(),
        }
    }
}

#[async_trait::async_trait]
impl Timer for TokioTimer {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }
    async fn sleep(&self, d: Duration) {
        tokio::time::sleep(d).await
    }
}

/// A clock that only moves when slept on or told to; remembers the waits it was asked for.
#[derive(Debug, Default)]
pub struct ManualTimer {
    state: Mutex<(Duration, Vec<Duration>)>,
}

impl ManualTimer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn advance(&self, d: Duration) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.0 += d;
    }

    /// Every wait requested so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .1
            .clone()
    }
}

#[async_trait::async_trait]
impl Timer for ManualTimer {
    fn now(&self) -> Duration {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).0
    }
    async fn sleep(&self, d: Duration) {
        {
            let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
            s.0 += d;
            s.1.push(d);
        }
        // Let other tasks (the sandbox server in tests) make progress.
        tokio::task::yield_now().await;
    }
}
