// Reports first paint the same way Kanaal's UI does, so the start-up benchmark compares like with like.
requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke("ui_ready"));
