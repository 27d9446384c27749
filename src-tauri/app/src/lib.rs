//! kanaal-app: the desktop shell. The ONLY crate that imports `tauri`.
//!
//! It opens the data folder, registers thin commands ([`commands`]) that parse input, call
//! kanaal-core and map errors to `{code, message}` ([`ipc`]), serves product images to the
//! window over the `kanaal-image:` scheme ([`image_protocol`]), and streams progress of long
//! work over IPC channels. It must not hold business rules: prices, validation and queries
//! belong to kanaal-core, where the CLI and the tests reach them too.

pub mod bindings;
pub mod commands;
mod demo_channels;
pub mod drift_cmds;
pub mod image_protocol;
pub mod insights_cmds;
pub mod ipc;
pub mod listing_cmds;
mod options;
pub mod orders_cmds;
pub mod pictures_cmds;
pub mod publish_cmds;
pub mod rollback_cmds;
pub mod rules_cmds;
mod state;
pub mod sync_cmds;

pub use options::Options;
pub use state::AppState;

use std::process::ExitCode;

/// Adds Kanaal's state, commands and image scheme to `builder`. Generic over the runtime so
/// that tests can start from Tauri's mock builder.
pub fn setup<R: tauri::Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        .manage(publish_cmds::Prepared::default())
        .manage(rollback_cmds::PreparedRollback::default())
        .register_asynchronous_uri_scheme_protocol(image_protocol::SCHEME, image_protocol::handle)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_language,
            commands::list_products,
            commands::shop_overview,
            commands::list_channels,
            commands::list_orders,
            commands::load_demo,
            commands::cancel_job,
            commands::ui_ready,
            commands::apply_changes,
            commands::bulk_preview,
            commands::undo,
            commands::redo,
            commands::undo_state,
            commands::product_variants,
            commands::import_catalog,
            pictures_cmds::fetch_import_pictures,
            pictures_cmds::import_pictures_status,
            pictures_cmds::retry_import_pictures,
            commands::list_categories,
            commands::list_locations,
            commands::matching_product_ids,
            commands::product_detail,
            commands::product_history,
            commands::add_picture,
            commands::credential_fields,
            commands::add_channel,
            commands::test_channel,
            commands::set_channel_enabled,
            commands::edit_channel,
            commands::remove_channel,
            publish_cmds::publish_prepare,
            publish_cmds::set_products_listed,
            publish_cmds::publish_confirm,
            publish_cmds::publish_progress,
            publish_cmds::publish_cancel,
            publish_cmds::publish_send,
            rollback_cmds::publish_history,
            rollback_cmds::publish_rollback_prepare,
            rollback_cmds::publish_rollback_confirm,
            sync_cmds::sync_now,
            drift_cmds::drift_overview,
            drift_cmds::drift_check,
            drift_cmds::drift_resolve,
            listing_cmds::product_channels,
            listing_cmds::set_listing_overrides,
            rules_cmds::channel_rules,
            rules_cmds::set_channel_rules,
            rules_cmds::rule_example,
            orders_cmds::order_inbox,
            orders_cmds::order_statuses,
            orders_cmds::order_detail,
            orders_cmds::mark_shipped,
            orders_cmds::cancel_order,
            insights_cmds::insights_comparison,
            insights_cmds::insights_fees,
            insights_cmds::insights_reviews,
            insights_cmds::insights_overlap,
            insights_cmds::insights_match_customers,
            insights_cmds::insights_fee_schedules,
            insights_cmds::insights_check_fee_schedule,
            insights_cmds::insights_save_fee_schedule,
            insights_cmds::insights_break_even,
            insights_cmds::insights_what_if,
            insights_cmds::insights_kor,
            insights_cmds::insights_set_kor,
            insights_cmds::insights_order_fees,
        ])
}

/// Runs the desktop app until its window closes.
pub fn run() -> ExitCode {
    let options = match Options::from_args(std::env::args_os()) {
        Ok(o) => o,
        Err(e) => {
            // clap prints help/version/usage itself and picks the exit code.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let state = AppState::start(&options);
    let demo = state.demo;
    let context = tauri::generate_context!("tauri.conf.json");
    let builder = setup(tauri::Builder::default(), state).setup(move |app| {
        if demo {
            tauri::async_runtime::spawn(demo_channels::start(app.handle().clone()));
        }
        Ok(())
    });
    match builder.run(context) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Kanaal could not start its window: {e}");
            ExitCode::FAILURE
        }
    }
}
