//! The sandbox's own time. The world starts at a fixed moment (so a seed gives the same world)
//! and moves forward with real time times a speed, so a running demo sees orders arrive; tests
//! move it by hand with [`SandboxClock::advance`] (to expire a token, to let orders arrive).

use chrono::{DateTime, TimeZone, Utc};
use std::sync::Mutex;
use std::time::Duration;

/// World time: `epoch + (real time since start) * speed + manual advances`.
#[derive(Debug)]
pub struct SandboxClock {
    epoch: DateTime<Utc>,
    speed: f64,
    started: tokio::time::Instant,
    advanced: Mutex<chrono::Duration>,
}

impl SandboxClock {
    pub fn new(epoch: DateTime<Utc>, speed: f64) -> Self {
        Self {
            epoch,
            speed,
            started: tokio::time::Instant::now(),
            advanced: Mutex::new(chrono::Duration::zero()),
        }
    }

    /// The default world start: Monday 2 November 2026, 09:00 UTC.
    pub fn default_epoch() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0)
            .single()
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    pub fn now(&self) -> DateTime<Utc> {
        let real = self.started.elapsed().mul_f64(self.speed.max(0.0));
        let real = chrono::Duration::from_std(real).unwrap_or(chrono::Duration::zero());
        self.epoch + real + *self.advanced.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn advance(&self, by: Duration) {
        let by = chrono::Duration::from_std(by).unwrap_or(chrono::Duration::zero());
        *self.advanced.lock().unwrap_or_else(|p| p.into_inner()) += by;
    }
}
