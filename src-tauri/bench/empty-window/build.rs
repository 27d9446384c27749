//! Lets tauri-build read this baseline's own tauri.conf.json.
fn main() {
    tauri_build::build()
}
