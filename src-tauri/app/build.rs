//! Build script of the desktop app: lets tauri-build read tauri.conf.json and the icons. The UI's
//! dist folder must exist for `generate_context!`, so an empty one is made when the UI has not
//! been built yet (`cargo check` then works on a fresh clone; `make` builds the real UI first).

fn main() {
    let dist = std::path::Path::new("ui/dist");
    if !dist.join("index.html").exists() {
        // Ignoring a failure here is fine: tauri-build reports the missing folder itself.
        let _ = std::fs::create_dir_all(dist);
        let _ = std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>Kanaal</title><p>The UI has not been built: run make run.</p>",
        );
    }
    println!("cargo:rerun-if-changed=ui/dist");
    tauri_build::build()
}
