//! The benchmark baseline: an empty Tauri window with one command, `ui_ready`, that honours the
//! same two environment variables as Kanaal (KANAAL_BENCH_READY_FILE, KANAAL_BENCH_IDLE_SECS),
//! so that scripts/bench.sh can measure both apps the same way. It has no other purpose.

#[tauri::command]
fn ui_ready<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    let Ok(path) = std::env::var("KANAAL_BENCH_READY_FILE") else {
        return;
    };
    #[allow(clippy::disallowed_methods)] // A benchmark hook outside the domain code.
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let _ = std::fs::write(path, format!("ready_unix_ms={ms}\n"));
    if let Some(secs) = std::env::var("KANAAL_BENCH_IDLE_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(secs));
            app.exit(0);
        });
    }
}

fn main() -> std::process::ExitCode {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("empty-window: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
