//! What the Shopify sandbox tests share: a shop served on 127.0.0.1 and raw GraphQL to it with
//! the shop's own access token, as a client of Shopify's Admin API would send it.

use kanaal_sandbox::shopify::{Shopify, ShopifyConfig, API_VERSION};
use kanaal_sandbox::Shared;
use serde_json::{json, Value};

pub struct Shop {
    pub shop: Shopify,
    pub url: String,
    pub token: String,
    pub http: reqwest::Client,
}

/// Serves a Shopify sandbox made from `shared` and `config` on a free loopback port.
pub async fn serve(shared: &Shared, config: ShopifyConfig) -> Shop {
    let shop = Shopify::with_config(shared, config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = shop.router();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    Shop {
        token: shop.config().access_token.clone(),
        url: format!("http://{addr}/admin/api/{API_VERSION}/graphql.json"),
        shop,
        http: reqwest::Client::new(),
    }
}

impl Shop {
    /// Posts a GraphQL document; Shopify answers 200 with `data` and/or `errors`.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        let r = self
            .http
            .post(&self.url)
            .header("X-Shopify-Access-Token", &self.token)
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }
}
