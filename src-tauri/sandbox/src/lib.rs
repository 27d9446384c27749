//! kanaal-sandbox: local emulators of the sales platforms' APIs (Shopify, bol.com, ...), served
//! on loopback for tests and for the demo, so that every feature can be seen working without an
//! account anywhere.
//!
//! Architecture invariants:
//! - Written from each platform's documentation and OpenAPI files, never from the connectors:
//!   this crate must not depend on kanaal-channels, so that it can catch a connector that
//!   misreads the API.
//! - Listens on 127.0.0.1 only (see [`bind_loopback`]); it never sends traffic anywhere else.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};

/// Binds a listener on 127.0.0.1 at an ephemeral port (or at `port` when given).
pub fn bind_loopback(port: Option<u16>) -> std::io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port.unwrap_or(0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
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
