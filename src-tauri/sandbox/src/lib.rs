//! kanaal-sandbox: local emulators of the sales platforms' APIs (Shopify, bol.com, ...), served
//! on loopback for tests and for the demo, so that every feature can be seen working without an
//! account anywhere.
//!
//! Architecture invariants:
//! - Written from each platform's documentation and OpenAPI files, never from the connectors:
//!   this crate must not depend on kanaal-channels, so that it can catch a connector that
//!   misreads the API.
//! - Listens on 127.0.0.1 only (see [`bind_loopback`]); it never sends traffic anywhere else.
//!
//! Shape: [`Sandbox::start`] generates one [`world::World`] from the seed and starts one axum
//! server per platform on an ephemeral port. Each platform is a module (`bol`, `shopify`) with a
//! state handle that builds its `axum::Router` from the shared [`Shared`] parts; the framework
//! puts the fault layer ([`faults`]) in front of it and reports the base URL and the
//! credentials the platform accepts ([`PlatformInfo`]).
//!
//! Adding a platform: write `src/<name>/mod.rs` with a `pub struct <Name>` (cheap to clone)
//! that has `new(&Shared) -> Self`, `router(&self) -> axum::Router` and
//! `info(&self, base_url) -> PlatformInfo`, then add it in [`Sandbox::start`] and give
//! [`Sandbox`] an accessor for its state.

pub mod bol;
pub mod clock;
pub mod faults;
pub mod shopify;
pub mod world;

use clock::SandboxClock;
use faults::{FaultPlan, Faults};
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use world::World;
pub use world::WorldProduct;

/// A control route's answer (the sandbox's own `/_sandbox/...` routes): `ok` with the JSON
/// body, or 400 with `{"error": ...}`.
pub(crate) fn control_answer(
    result: Result<serde_json::Value, String>,
    ok: axum::http::StatusCode,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (status, body) = match result {
        Ok(body) => (ok, body),
        Err(e) => (
            axum::http::StatusCode::BAD_REQUEST,
            serde_json::json!({ "error": e }),
        ),
    };
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Binds a listener on 127.0.0.1 at an ephemeral port (or at `port` when given).
pub fn bind_loopback(port: Option<u16>) -> std::io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port.unwrap_or(0))))
}

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// The same seed gives the same world (people, products, orders, ratings).
    pub seed: u64,
    /// Standing faults; tests can add exact ones later through [`Sandbox::faults`].
    pub faults: FaultPlan,
    /// How fast world time runs against real time (1.0: real time; 0.0: frozen, tests move it
    /// with [`Sandbox::clock`]).
    pub speed: f64,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            faults: FaultPlan::none(),
            speed: 1.0,
        }
    }
}

/// What every platform of one sandbox shares.
#[derive(Debug, Clone)]
pub struct Shared {
    pub seed: u64,
    pub world: Arc<World>,
    pub clock: Arc<SandboxClock>,
}

/// How to reach one emulated platform.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlatformInfo {
    /// The channel kind code ("bol", "shopify").
    pub platform: &'static str,
    /// Base URL of the API (what a connector's base URL setting takes).
    pub base_url: String,
    /// Other URLs by role (bol.com: "login", the token endpoint's base).
    pub urls: BTreeMap<&'static str, String>,
    /// The credentials this platform accepts, by the platform's own field names.
    pub credentials: BTreeMap<&'static str, String>,
}

/// Failure to start the sandbox.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("could not open a port on this computer for the {platform} sandbox: {source}")]
    Bind {
        platform: &'static str,
        source: std::io::Error,
    },
}

/// A running sandbox. Dropping it stops the servers.
#[derive(Debug)]
pub struct Sandbox {
    shared: Shared,
    faults: Faults,
    infos: Vec<PlatformInfo>,
    bol: bol::Bol,
    shopify: shopify::Shopify,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Sandbox {
    /// Generates the world and starts every platform's server on 127.0.0.1.
    /// Must be called inside a tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        Self::start_with_goods(config, Vec::new()).await
    }

    /// Like [`Sandbox::start`], with the shop's own goods: the world's customers then buy
    /// these (by SKU and EAN) instead of the built-in coffee-shop list. The demo passes its
    /// catalog, so the orders that arrive are for products the merchant actually has.
    pub async fn start_with_goods(
        config: SandboxConfig,
        goods: Vec<WorldProduct>,
    ) -> Result<Sandbox, SandboxError> {
        Self::start_with_goods_at(config, goods, SandboxClock::default_epoch()).await
    }

    /// Like [`Sandbox::start_with_goods`], with the world starting at `epoch` instead of the
    /// fixed default. The demo passes the app's own "now", so the orders' times, and the
    /// ship-by deadlines that follow from them, are where the app's clock is.
    pub async fn start_with_goods_at(
        config: SandboxConfig,
        goods: Vec<WorldProduct>,
        epoch: chrono::DateTime<chrono::Utc>,
    ) -> Result<Sandbox, SandboxError> {
        let clock = Arc::new(SandboxClock::new(epoch, config.speed));
        let world = Arc::new(World::generate_with_goods(config.seed, epoch, goods));
        let shared = Shared {
            seed: config.seed,
            world,
            clock,
        };
        let faults = Faults::new(config.faults, config.seed);
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let mut sandbox = Sandbox {
            bol: bol::Bol::new(&shared),
            shopify: shopify::Shopify::new(&shared),
            shared,
            faults,
            infos: Vec::new(),
            stop: Some(stop),
            tasks: Vec::new(),
        };
        let bol_router = sandbox.bol.router();
        let url = sandbox.serve("bol", bol_router, stopped.clone())?;
        sandbox.infos.push(sandbox.bol.info(&url));
        let shopify_router = sandbox.shopify.router();
        let url = sandbox.serve("shopify", shopify_router, stopped.clone())?;
        sandbox.infos.push(sandbox.shopify.info(&url));
        // Further platforms mount here.
        Ok(sandbox)
    }

    fn serve(
        &mut self,
        platform: &'static str,
        router: axum::Router,
        mut stopped: tokio::sync::watch::Receiver<bool>,
    ) -> Result<String, SandboxError> {
        let bind = |source| SandboxError::Bind { platform, source };
        let std_listener = bind_loopback(None).map_err(bind)?;
        std_listener.set_nonblocking(true).map_err(bind)?;
        let addr = std_listener.local_addr().map_err(bind)?;
        let listener = tokio::net::TcpListener::from_std(std_listener).map_err(bind)?;
        let app = router
            .merge(faults::control_router(self.faults.clone()))
            .layer(axum::middleware::from_fn_with_state(
                self.faults.clone(),
                faults::layer,
            ));
        self.tasks.push(tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.wait_for(|s| *s).await;
            };
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await;
        }));
        Ok(format!("http://{addr}"))
    }

    /// Every platform's address and accepted credentials.
    pub fn platforms(&self) -> &[PlatformInfo] {
        &self.infos
    }

    pub fn platform(&self, name: &str) -> Option<&PlatformInfo> {
        self.infos.iter().find(|p| p.platform == name)
    }

    /// The live fault settings (inject exact faults, change the plan).
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// World time; tests move it forward to expire tokens or let orders arrive.
    pub fn clock(&self) -> &SandboxClock {
        &self.shared.clock
    }

    pub fn world(&self) -> &World {
        &self.shared.world
    }

    /// bol.com's state, to inspect in tests (offers, shipments, calls).
    pub fn bol(&self) -> &bol::Bol {
        &self.bol
    }

    /// Shopify's state, to inspect in tests (products, stock).
    pub fn shopify(&self) -> &shopify::Shopify {
        &self.shopify
    }

    /// Stops every server and waits for them to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::unwrap_used)]
    fn the_sandbox_listens_on_loopback_only() {
        let l = bind_loopback(None).unwrap();
        let addr = l.local_addr().unwrap();
        assert!(
            addr.ip().is_loopback(),
            "sandbox must never be reachable from the network"
        );
        assert_ne!(addr.port(), 0, "an ephemeral port was assigned");
    }
}
