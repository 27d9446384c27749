//! The bol.com Retailer API v10 emulator (work in progress: only the token endpoint so far).

use crate::{PlatformInfo, Shared};
use axum::Router;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Bol {
    shared: Shared,
}

impl Bol {
    pub fn new(shared: &Shared) -> Self {
        Self {
            shared: shared.clone(),
        }
    }
    pub fn router(&self) -> Router {
        Router::new()
    }
    pub fn info(&self, base_url: &str) -> PlatformInfo {
        let _ = &self.shared;
        PlatformInfo {
            platform: "bol",
            base_url: base_url.to_string(),
            urls: BTreeMap::from([("login", base_url.to_string())]),
            credentials: BTreeMap::new(),
        }
    }
}
