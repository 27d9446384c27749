//! What the bol.com sandbox tests share: a sandbox started from a seed and a token from bol's
//! own login, so each file's calls go over plain HTTP as a client of bol's API would.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

pub mod shopify;

use kanaal_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

pub struct Bol {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

/// The sandbox with this seed, running as fast as it can, and a token from its login.
pub async fn start_bol(seed: u64) -> Bol {
    let sandbox = Sandbox::start(SandboxConfig {
        seed,
        speed: 0.0,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let info = sandbox.platform("bol").unwrap().clone();
    let http = reqwest::Client::new();
    let r = http
        .post(format!(
            "{}/token?grant_type=client_credentials",
            info.base_url
        ))
        .basic_auth(
            &info.credentials["client_id"],
            Some(&info.credentials["client_secret"]),
        )
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the sandbox's login gives a token");
    let token = r.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    Bol {
        sandbox,
        http,
        base: info.base_url,
        token,
    }
}
