//! Long work reports progress and can be cancelled. Core functions take a [`Progress`] sink and a
//! [`CancelToken`]; the desktop shell forwards progress to the window as events, the CLI prints
//! it. A cancelled job rolls back: nothing is half-done.

use crate::{Error, Result};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// One progress report: `done` of `total` units of the step named by `stage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgressStep {
    /// A stable key for the stage (`"products"`, `"images"`), translated by the UI.
    pub stage: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub done: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
}

/// Receives progress reports. Must be cheap: it is called from inside transactions.
pub trait Progress: Send + Sync {
    fn report(&self, step: ProgressStep);
}

/// Ignores progress (for tests and quiet callers).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn report(&self, _: ProgressStep) {}
}

impl<F: Fn(ProgressStep) + Send + Sync> Progress for F {
    fn report(&self, step: ProgressStep) {
        self(step)
    }
}

/// A flag shared between the caller (who may cancel) and the work (which checks it).
#[derive(Debug, Default, Clone)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// `Err(Error::Cancelled)` once cancelled; call between units of work.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}
