//! What the running app holds: the open store (or why it could not be opened), the jobs that
//! can be cancelled, and the benchmark hooks.

use crate::ipc::IpcError;
use crate::Options;
use kanaal_core::clock::{Clock, SystemClock};
use kanaal_core::progress::{CancelToken, NoProgress};
use kanaal_core::store::Store;
use kanaal_core::{data_dir, demo};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Shared state of the app, managed by Tauri.
pub struct AppState {
    /// The store, or the error that kept it from opening (shown in the window, which explains
    /// it better than a process that exits silently).
    store: Result<Arc<Store>, IpcError>,
    pub clock: Arc<dyn Clock>,
    jobs: Mutex<HashMap<String, CancelToken>>,
    /// Benchmark hook: when set, the first `ui_ready` writes the time to this file.
    pub bench_ready_file: Option<PathBuf>,
    /// Benchmark hook: seconds to stay open after `ui_ready` before exiting.
    pub bench_idle_secs: Option<u64>,
    /// With `--demo`: the platform sandboxes the demo's channels talk to, kept running while
    /// the app runs.
    pub sandbox: Mutex<Option<kanaal_sandbox::Sandbox>>,
    /// Started with `--demo`.
    pub demo: bool,
}

impl AppState {
    /// Opens the data folder named by the options (loading the demo when asked and empty).
    pub fn start(options: &Options) -> AppState {
        let store = data_dir::from_env(options.data_dir.as_deref())
            .and_then(|dir| Store::open(&dir))
            .map(Arc::new);
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let store = store.and_then(|s| {
            if options.demo && demo::catalog_is_empty(&s)? {
                demo::load(
                    &s,
                    clock.as_ref(),
                    demo::DEFAULT_SEED,
                    &NoProgress,
                    &CancelToken::new(),
                )?;
            }
            Ok(s)
        });
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        AppState {
            bench_ready_file: env("KANAAL_BENCH_READY_FILE").map(PathBuf::from),
            bench_idle_secs: env("KANAAL_BENCH_IDLE_SECS").and_then(|s| s.parse().ok()),
            demo: options.demo,
            ..AppState::new(store.map_err(IpcError::from), clock)
        }
    }

    /// State around an already open store (for tests).
    pub fn with_store(store: Store, clock: Arc<dyn Clock>) -> AppState {
        AppState::new(Ok(Arc::new(store)), clock)
    }

    fn new(store: Result<Arc<Store>, IpcError>, clock: Arc<dyn Clock>) -> AppState {
        AppState {
            store,
            clock,
            jobs: Mutex::new(HashMap::new()),
            bench_ready_file: None,
            bench_idle_secs: None,
            sandbox: Mutex::new(None),
            demo: false,
        }
    }

    pub fn store(&self) -> Result<Arc<Store>, IpcError> {
        self.store.clone()
    }

    /// Registers a cancellable job under the id the UI chose.
    pub fn start_job(&self, id: &str) -> CancelToken {
        let token = CancelToken::new();
        self.jobs().insert(id.to_string(), token.clone());
        token
    }

    pub fn finish_job(&self, id: &str) {
        self.jobs().remove(id);
    }

    /// Cancels a running job; `false` when no job has that id (it may have finished).
    pub fn cancel_job(&self, id: &str) -> bool {
        match self.jobs().get(id) {
            Some(t) => {
                t.cancel();
                true
            }
            None => false,
        }
    }

    fn jobs(&self) -> std::sync::MutexGuard<'_, HashMap<String, CancelToken>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }
}
