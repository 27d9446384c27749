//! Downloading a product picture by its web address (the pictures a Shopify or WooCommerce
//! product CSV names). This crate owns Kanaal's HTTP; the queue, the checks of the file's content
//! and where the picture goes belong to kanaal-core (`picture_queue`, `images`), and the loop
//! that joins them to kanaal-sync.
//!
//! Fault-tolerant by construction: a connect and a total time limit, a size cap checked against
//! `Content-Length` and again while the body streams in (a server that lies or never stops is cut
//! off), web pages and text refused before their body is read, and every failure mapped to a
//! [`FetchFailure`] the merchant can act on. Cancelling stops a download mid-body.
//!
//! Must not: touch the store, decide whether bytes are a picture (the core decodes them), or
//! retry on its own (the queue keeps what is left for the next run).

use kanaal_core::picture_queue::FetchFailure;
use kanaal_core::progress::CancelToken;
use reqwest::{Client, Url};
use std::time::Duration;

/// Limits of one picture download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureLimits {
    /// The largest file taken, in bytes.
    pub max_bytes: usize,
    /// The longest a whole download (connect, headers and body) may take.
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

impl Default for PictureLimits {
    fn default() -> Self {
        Self {
            max_bytes: kanaal_core::images::MAX_PICTURE_BYTES,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// Why a download did not give a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadError {
    Failed(FetchFailure),
    /// The merchant cancelled: nothing is recorded for this picture.
    Cancelled,
}

impl From<FetchFailure> for DownloadError {
    fn from(f: FetchFailure) -> Self {
        DownloadError::Failed(f)
    }
}

/// An HTTP client for pictures.
#[derive(Debug, Clone)]
pub struct PictureDownloader {
    client: Client,
    limits: PictureLimits,
}

/// How often a download looks at the cancel flag while it waits for the server.
const CANCEL_POLL: Duration = Duration::from_millis(100);

impl PictureDownloader {
    /// A downloader with `limits`; `Err` (in words) when the system's TLS cannot be set up.
    pub fn new(limits: PictureLimits) -> Result<Self, String> {
        let client = Client::builder()
            .timeout(limits.timeout)
            .connect_timeout(limits.connect_timeout)
            .user_agent(concat!("Kanaal/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("could not set up downloading: {e}"))?;
        Ok(Self { client, limits })
    }

    pub fn limits(&self) -> PictureLimits {
        self.limits
    }

    /// Downloads the file at `url`, or says why not.
    pub async fn get(&self, url: &str, cancel: &CancelToken) -> Result<Vec<u8>, DownloadError> {
        let fetch = self.fetch(url);
        tokio::pin!(fetch);
        loop {
            if cancel.is_cancelled() {
                return Err(DownloadError::Cancelled);
            }
            tokio::select! {
                result = &mut fetch => return result.map_err(DownloadError::Failed),
                () = tokio::time::sleep(CANCEL_POLL) => {}
            }
        }
    }

    async fn fetch(&self, url: &str) -> Result<Vec<u8>, FetchFailure> {
        let address = Url::parse(url.trim()).map_err(|e| FetchFailure::BadAddress {
            detail: e.to_string(),
        })?;
        if !matches!(address.scheme(), "http" | "https") {
            return Err(FetchFailure::BadAddress {
                detail: format!("'{}' addresses cannot be downloaded", address.scheme()),
            });
        }
        let mut response = self
            .client
            .get(address)
            .send()
            .await
            .map_err(|e| self.failure(&e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(FetchFailure::Status {
                status: status.as_u16(),
            });
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        // A sign-in page or a product page instead of the picture: say so without reading it.
        if content_type.starts_with("text/html")
            || content_type.starts_with("text/plain")
            || content_type.starts_with("application/json")
        {
            return Err(FetchFailure::NotAPicture { content_type });
        }
        let too_large = || FetchFailure::TooLarge {
            limit_mb: (self.limits.max_bytes / (1024 * 1024)).max(1) as u64,
        };
        if response
            .content_length()
            .is_some_and(|n| n > self.limits.max_bytes as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.failure(&e))? {
            if body.len() + chunk.len() > self.limits.max_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn failure(&self, e: &reqwest::Error) -> FetchFailure {
        if e.is_timeout() {
            FetchFailure::Timeout {
                seconds: self.limits.timeout.as_secs().max(1),
            }
        } else if e.is_builder() {
            FetchFailure::BadAddress {
                detail: e.to_string(),
            }
        } else {
            // Could not connect, the name did not resolve, or the connection broke off: all
            // worth trying again with a (better) connection.
            FetchFailure::Offline {
                detail: error_chain(e),
            }
        }
    }
}

/// The error with its causes, for the stored detail (reqwest's own message is only the top).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
