//! Serves stored product images to the window as `kanaal-image://localhost/<sha256>` (on Linux
//! and macOS; `http://kanaal-image.localhost/<sha256>` on Windows). Only image hashes known to
//! the store are served, so the scheme cannot be used to read other files.

use crate::AppState;
use kanaal_core::images;
use tauri::http::{Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

pub const SCHEME: &str = "kanaal-image";

/// Answers off the UI thread: a page of thumbnails must not hold up the window or IPC calls,
/// which the webview serves on the same thread.
pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let hash = request.uri().path().trim_start_matches('/').to_string();
    let store = ctx.app_handle().state::<AppState>().store();
    tauri::async_runtime::spawn_blocking(move || {
        let found = store
            .ok()
            .and_then(|s| s.read(|tx| images::read(tx, s.dir(), &hash)).ok())
            .flatten();
        responder.respond(response(found));
    });
}

fn response(found: Option<(String, Vec<u8>)>) -> Response<Vec<u8>> {
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
