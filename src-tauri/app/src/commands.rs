//! The commands the window may call. Each one parses its input, calls kanaal-core and maps the
//! error; none holds a rule of its own. Store work runs off the UI thread (`async` commands).

use crate::ipc::{IpcError, IpcResult};
use crate::AppState;
use kanaal_channels::credentials::Credentials;
use kanaal_core::catalog::bulk::{self, BulkOp, PreviewRow};
use kanaal_core::catalog::detail::{self, HistoryEntry, ProductDetail};
use kanaal_core::catalog::edit::{self, Batch, Change, UndoState};
use kanaal_core::catalog::query::VariantRow;
use kanaal_core::catalog::{self, csv, CategoryNode, ProductPage, ProductQuery, Source};
use kanaal_core::demo::{self, DemoSummary};
use kanaal_core::failure::StoredFailure;
use kanaal_core::ids::{ChannelId, ProductId};
use kanaal_core::images::{self, StoredPicture};
use kanaal_core::overview::{self, ChannelOverview, OrderPage, ShopOverview};
use kanaal_core::progress::ProgressStep;
use kanaal_core::settings::{self, Language};
use kanaal_core::store::schema;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{Manager, Runtime, State};

/// Facts about the running app and its data folder, for Settings and the first-start screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub db_path: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub db_size_bytes: u64,
    /// `null` until the user picks a language; the UI then follows the OS language.
    pub language: Option<Language>,
    pub catalog_empty: bool,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> IpcResult<AppInfo> {
    let store = state.store()?;
    let (language, catalog_empty) =
        store.read(|tx| Ok((settings::language(tx)?, catalog::query::is_empty(tx)?)))?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: store.dir().display().to_string(),
        db_path: store.db_path().display().to_string(),
        schema_version: schema::VERSION,
        db_size_bytes: store.size_bytes(),
        language,
        catalog_empty,
    })
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: Language) -> IpcResult<()> {
    Ok(state
        .store()?
        .write(|tx| settings::set_language(tx, language))?)
}

#[tauri::command]
pub async fn list_products(
    state: State<'_, AppState>,
    query: ProductQuery,
) -> IpcResult<ProductPage> {
    let store = state.store()?;
    let page = store.read(|tx| catalog::list_products_with(tx, &query, store.title_orders()))?;
    // After an edit the grid is listed again (without a search); the title order a broad
    // search walks is read again here, in the background, instead of on the merchant's next
    // keystroke. Not for each keystroke of a search: a broad one has just read it itself. A
    // failure only means that a search reads it itself.
    if query.search.as_deref().is_none_or(|s| s.trim().is_empty()) {
        let language = query.language;
        tauri::async_runtime::spawn_blocking(move || {
            let _ = store.read(|tx| store.title_orders().warm(tx, language));
        });
    }
    Ok(page)
}

#[tauri::command]
pub async fn shop_overview(state: State<'_, AppState>) -> IpcResult<ShopOverview> {
    Ok(state.store()?.read(overview::shop_overview)?)
}

#[tauri::command]
pub async fn list_channels(state: State<'_, AppState>) -> IpcResult<ChannelOverview> {
    Ok(state.store()?.read(overview::channel_overview)?)
}

#[tauri::command]
pub async fn list_orders(
    state: State<'_, AppState>,
    offset: u32,
    limit: u32,
) -> IpcResult<OrderPage> {
    Ok(state
        .store()?
        .read(|tx| overview::list_orders(tx, offset, limit))?)
}

/// Loads the demo shop, reporting progress on `on_progress`; `cancel_job(job_id)` stops it and
/// nothing is kept.
#[tauri::command]
pub async fn load_demo(
    state: State<'_, AppState>,
    job_id: String,
    on_progress: Channel<ProgressStep>,
) -> IpcResult<DemoSummary> {
    if job_id.trim().is_empty() {
        return Err(IpcError::invalid("a job id is needed to be able to cancel"));
    }
    let store = state.store()?;
    let cancel = state.start_job(&job_id);
    let clock = state.clock.clone();
    let progress = move |step: ProgressStep| {
        // A window that went away cannot receive progress; the work goes on regardless.
        let _ = on_progress.send(step);
    };
    let result = off_ui_thread("Loading the demo shop", move || {
        demo::load(
            &store,
            clock.as_ref(),
            demo::DEFAULT_SEED,
            &progress,
            &cancel,
        )
    })
    .await;
    state.finish_job(&job_id);
    result
}

/// Runs long store work on a blocking thread, so the window and other commands stay responsive.
pub(crate) async fn off_ui_thread<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> kanaal_core::Result<T> + Send + 'static,
) -> IpcResult<T> {
    match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => Ok(result?),
        Err(e) => Err(IpcError {
            code: "internal".to_string(),
            message: format!("{what} stopped unexpectedly: {e}"),
            problem: None,
        }),
    }
}

/// Asks a running job to stop. Returns `false` when it had already finished.
#[tauri::command]
pub async fn cancel_job(state: State<'_, AppState>, job_id: String) -> IpcResult<bool> {
    Ok(state.cancel_job(&job_id))
}

/// Called by the window once it has drawn the catalog. Only the benchmark hooks use it: they
/// record the time of first paint and close the app after an idle period.
#[tauri::command]
pub async fn ui_ready<R: Runtime>(
    app: tauri::AppHandle<R>,
    marks: std::collections::BTreeMap<String, i64>,
) -> IpcResult<()> {
    let state = app.state::<AppState>();
    if let Some(path) = &state.bench_ready_file {
        let ms = state.clock.now().timestamp_millis();
        // The window's own timings (ms since it started loading the page) follow, one a line.
        let marks: String = marks.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        std::fs::write(path, format!("ready_unix_ms={ms}\n{marks}"))
            .map_err(|e| IpcError::invalid(format!("cannot write {}: {e}", path.display())))?;
        if let Some(secs) = state.bench_idle_secs {
            let app = app.clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_secs(secs));
                app.exit(0);
            });
        }
    }
    Ok(())
}

/// Applies changes the UI made or previewed (an inline edit, a confirmed bulk preview) as one
/// undoable batch. Refused whole when a value changed since the preview.
#[tauri::command]
pub async fn apply_changes(
    state: State<'_, AppState>,
    changes: Vec<Change>,
    label: String,
) -> IpcResult<Option<Batch>> {
    let now = state.clock.now();
    Ok(state
        .store()?
        .write(|tx| edit::apply(tx, &changes, &label, now, Source::Ui))?)
}

/// The exact changes a bulk operation on these products would make, row by row.
#[tauri::command]
pub async fn bulk_preview(
    state: State<'_, AppState>,
    products: Vec<ProductId>,
    op: BulkOp,
) -> IpcResult<Vec<PreviewRow>> {
    Ok(state.store()?.read(|tx| {
        let variants = bulk::variants_of(tx, &products)?;
        let changes = bulk::preview(tx, &variants, &op)?;
        bulk::describe(tx, changes)
    })?)
}

#[tauri::command]
pub async fn undo(state: State<'_, AppState>) -> IpcResult<Option<Batch>> {
    let now = state.clock.now();
    Ok(state.store()?.write(|tx| edit::undo(tx, now))?)
}

#[tauri::command]
pub async fn redo(state: State<'_, AppState>) -> IpcResult<Option<Batch>> {
    let now = state.clock.now();
    Ok(state.store()?.write(|tx| edit::redo(tx, now))?)
}

/// What Ctrl+Z and Ctrl+Shift+Z would do now.
#[tauri::command]
pub async fn undo_state(state: State<'_, AppState>) -> IpcResult<UndoState> {
    Ok(state.store()?.read(edit::undo_state)?)
}

/// The variants of a product with their editable values, for inline editing in the grid.
#[tauri::command]
pub async fn product_variants(
    state: State<'_, AppState>,
    product: ProductId,
) -> IpcResult<Vec<VariantRow>> {
    Ok(state
        .store()?
        .read(|tx| catalog::query::variants(tx, product))?)
}

/// Imports a product CSV sent as the raw request body (the bytes of the file the merchant
/// dropped). Headers say how: `x-kanaal-format` (auto, shopify, woocommerce), `x-kanaal-mode`
/// (all_or_nothing, valid_rows_only) and `x-kanaal-dry-run` (true: check and report only).
#[tauri::command]
pub async fn import_catalog(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> IpcResult<csv::ImportReport> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(IpcError::invalid(
            "send the file's bytes as the request body",
        ));
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let format = match header("x-kanaal-format").as_str() {
        "" | "auto" => csv::Format::Auto,
        "shopify" => csv::Format::Shopify,
        "woocommerce" => csv::Format::WooCommerce,
        other => return Err(IpcError::invalid(format!("unknown file format '{other}'"))),
    };
    let mode = match header("x-kanaal-mode").as_str() {
        "" | "all_or_nothing" => csv::Mode::AllOrNothing,
        "valid_rows_only" => csv::Mode::ValidRowsOnly,
        other => return Err(IpcError::invalid(format!("unknown import mode '{other}'"))),
    };
    let dry_run = header("x-kanaal-dry-run") == "true";
    let store = state.store()?;
    let now = state.clock.now();
    let bytes = bytes.clone();
    off_ui_thread("The import", move || {
        csv::import(&store, &bytes, format, mode, dry_run, now, Source::Ui)
    })
    .await
}

/// The merchant's category tree, depth first, for filters and the editor.
#[tauri::command]
pub async fn list_categories(state: State<'_, AppState>) -> IpcResult<Vec<CategoryNode>> {
    Ok(state.store()?.read(catalog::categories)?)
}

/// The stock locations, for bulk stock edits.
#[tauri::command]
pub async fn list_locations(state: State<'_, AppState>) -> IpcResult<Vec<catalog::Location>> {
    Ok(state.store()?.read(catalog::locations)?)
}

/// Every product the query's filters match (not only a page), for "select all that match".
#[tauri::command]
pub async fn matching_product_ids(
    state: State<'_, AppState>,
    query: ProductQuery,
) -> IpcResult<Vec<ProductId>> {
    Ok(state
        .store()?
        .read(|tx| catalog::matching_ids(tx, &query))?)
}

/// One product in full, for the editor.
#[tauri::command]
pub async fn product_detail(
    state: State<'_, AppState>,
    product: ProductId,
) -> IpcResult<ProductDetail> {
    Ok(state
        .store()?
        .read(|tx| detail::product_detail(tx, product))?)
}

/// The latest changes of a product and its variants, newest first.
#[tauri::command]
pub async fn product_history(
    state: State<'_, AppState>,
    product: ProductId,
) -> IpcResult<Vec<HistoryEntry>> {
    Ok(state
        .store()?
        .read(|tx| detail::product_history(tx, product, 500))?)
}

/// Stores a picture file the merchant chose (its bytes as the raw request body) and makes its
/// thumbnail. The picture joins a product only when the editor then saves the picture list,
/// so adding it is undoable like any other edit.
#[tauri::command]
pub async fn add_picture(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> IpcResult<StoredPicture> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(IpcError::invalid(
            "send the picture's bytes as the request body",
        ));
    };
    let store = state.store()?;
    let now = state.clock.now();
    let bytes = bytes.clone();
    off_ui_thread("Storing the picture", move || {
        let dir = store.dir().to_path_buf();
        store.write(|tx| images::put_picture(tx, &dir, &bytes, now))
    })
    .await
}

/// What the form to connect a channel asks for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NewChannel {
    pub kind: String,
    pub name: String,
    /// The API address when not the platform's own (a Shopify shop's address, a sandbox).
    pub base_url: Option<String>,
    /// The login details by the platform's field names ([`credential_fields`]). They go to the
    /// OS keyring, never to the data folder.
    pub credentials: std::collections::BTreeMap<String, String>,
}

/// The login fields a channel kind needs, in the order to ask for them.
#[tauri::command]
pub async fn credential_fields(kind: String) -> IpcResult<Vec<String>> {
    Ok(kanaal_channels::account::credential_fields(&kind)
        .iter()
        .map(|s| s.to_string())
        .collect())
}

/// Connects a channel: its record in the store, its secret in the keyring.
#[tauri::command]
pub async fn add_channel(state: State<'_, AppState>, channel: NewChannel) -> IpcResult<()> {
    let store = state.store()?;
    let clock = state.clock.clone();
    off_ui_thread("Connecting the channel", move || {
        let creds = channel
            .credentials
            .iter()
            .fold(Credentials::new(), |c, (k, v)| c.with(k, v.trim()));
        let base = channel
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty());
        kanaal_channels::account::add_channel(
            &store,
            &channel.kind,
            &channel.name,
            base,
            &creds,
            clock.as_ref(),
        )
        .map(|_| ())
    })
    .await
}

/// What a connection test found: who Kanaal is connected as, or why it could not connect
/// (typed, for the window to word in the merchant's language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ChannelTest {
    Connected {
        account: kanaal_core::channels::Account,
    },
    Failed {
        failure: StoredFailure,
    },
}

/// Makes one cheap authenticated call to the channel; the answer says who Kanaal is connected
/// as, or what went wrong. Only a local store error rejects.
#[tauri::command]
pub async fn test_channel(state: State<'_, AppState>, channel: i64) -> IpcResult<ChannelTest> {
    let store = state.store()?;
    let record = store.read(|tx| kanaal_core::channels::get(tx, ChannelId(channel)))?;
    let connector = match kanaal_channels::account::connect(&record, state.clock.clone()) {
        Ok(c) => c,
        Err(failure) => return Ok(ChannelTest::Failed { failure }),
    };
    Ok(match connector.check_connection().await {
        Ok(info) => ChannelTest::Connected {
            account: info.account,
        },
        Err(failure) => ChannelTest::Failed {
            failure: failure.into(),
        },
    })
}

/// Pauses (nothing is sent or fetched) or resumes a channel.
#[tauri::command]
pub async fn set_channel_enabled(
    state: State<'_, AppState>,
    channel: i64,
    enabled: bool,
) -> IpcResult<()> {
    Ok(state
        .store()?
        .write(|tx| kanaal_core::channels::set_enabled(tx, ChannelId(channel), enabled))?)
}

/// Renames a channel and sets its address (empty: the platform's own).
#[tauri::command]
pub async fn edit_channel(
    state: State<'_, AppState>,
    channel: i64,
    name: String,
    base_url: Option<String>,
) -> IpcResult<()> {
    let base = base_url.as_deref().map(str::trim).filter(|b| !b.is_empty());
    Ok(state
        .store()?
        .write(|tx| kanaal_core::channels::edit(tx, ChannelId(channel), Some(&name), Some(base)))?)
}

/// Removes a channel, what Kanaal holds for it, and its secret in the keyring.
#[tauri::command]
pub async fn remove_channel(state: State<'_, AppState>, channel: i64) -> IpcResult<()> {
    let store = state.store()?;
    off_ui_thread("Removing the channel", move || {
        kanaal_channels::account::remove_channel(&store, ChannelId(channel)).map(|_| ())
    })
    .await
}
