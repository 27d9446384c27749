//! Serves stored product images to the window as `kanaal-image://localhost/<sha256>` (on Linux
//! and macOS; `http://kanaal-image.localhost/<sha256>` on Windows). Only image hashes known to
//! the store are served, so the scheme cannot be used to read other files.

use crate::AppState;
use kanaal_core::images;
use tauri::http::{Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext};

pub const SCHEME: &str = "kanaal-image";

pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
) -> Response<Vec<u8>> {
    let hash = request.uri().path().trim_start_matches('/').to_string();
    let state = ctx.app_handle().state::<AppState>();
    let found = state
        .store()
        .ok()
        .and_then(|s| s.read(|tx| images::read(tx, s.dir(), &hash)).ok())
        .flatten();
    let response = match found {
        Some((mime, bytes)) => Response::builder()
            .status(StatusCode::OK)
            .header("Content-Type", mime)
            // Content-addressed: the bytes behind a hash never change.
            .header("Cache-Control", "public, max-age=31536000, immutable")
            .body(bytes),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .header("Content-Type", "text/plain")
            .body(b"no such image".to_vec()),
    };
    response.unwrap_or_else(|_| Response::new(Vec::new()))
}
