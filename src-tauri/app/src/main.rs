//! The Kanaal desktop app's entry point; everything else is in the library (`kanaal_app`).

// Keep a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    kanaal_app::run()
}
