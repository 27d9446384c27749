//! What the app's IPC tests share: a command invoked on a window of Tauri's mock runtime the
//! way the real window's JavaScript invokes it (same origin, callbacks and invoke key).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

/// An IPC request for `cmd` with this body and these headers.
pub fn request(cmd: &str, body: InvokeBody, headers: tauri::http::HeaderMap) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body,
        headers,
        invoke_key: INVOKE_KEY.to_string(),
    }
}

/// Calls `cmd` with JSON arguments: its answer, or the error the window would get.
pub fn call_on(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        request(cmd, InvokeBody::Json(args), Default::default()),
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}
