//! Undo and redo of an import that named pictures by web address, with real downloads from a
//! loopback web server: undo takes the import's queued pictures out (nothing is fetched or
//! attached for an import that is gone), redo puts them back, and pictures already attached
//! come and go with the ordinary history. Also for pictures queued by a version-11 program
//! (before a queued picture remembered its import), once the file is upgraded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, TimeZone, Utc};
use kanaal_channels::pictures::{PictureDownloader, PictureLimits};
use kanaal_core::catalog::csv::{self, Format, Mode};
use kanaal_core::catalog::detail::product_detail;
use kanaal_core::catalog::{edit, Source};
use kanaal_core::clock::FixedClock;
use kanaal_core::picture_queue::{self, PictureRun, PictureStatus};
use kanaal_core::progress::{CancelToken, NoProgress};
use kanaal_core::store::Store;
use kanaal_sync::pictures::fetch_pictures;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap()
}

fn picture(format: image::ImageFormat, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([seed, x as u8, y as u8]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, format)
        .unwrap();
    out.into_inner()
}

#[derive(Clone)]
struct Server {
    hits: Arc<Mutex<u32>>,
    files: Arc<HashMap<String, (&'static str, Vec<u8>)>>,
}

async fn serve(State(s): State<Server>, Path(name): Path<String>) -> Response {
    *s.hits.lock().unwrap() += 1;
    match s.files.get(&name) {
        Some((mime, bytes)) => Response::builder()
            .header(header::CONTENT_TYPE, *mime)
            .body(Body::from(bytes.clone()))
            .unwrap(),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::from("not found"))
            .unwrap(),
    }
}

async fn start() -> (Server, String) {
    let mut files = HashMap::new();
    files.insert(
        "mok-voor.png".to_string(),
        ("image/png", picture(image::ImageFormat::Png, 1)),
    );
    files.insert(
        "mok-zij.jpg".to_string(),
        ("image/jpeg", picture(image::ImageFormat::Jpeg, 2)),
    );
    files.insert(
        "kan.png".to_string(),
        ("image/png", picture(image::ImageFormat::Png, 3)),
    );
    let server = Server {
        hits: Arc::default(),
        files: Arc::new(files),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/{name}", get(serve))
        .with_state(server.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (server, format!("http://{addr}"))
}

impl Server {
    fn hits(&self) -> u32 {
        *self.hits.lock().unwrap()
    }
}

fn import(store: &Store, text: &str) {
    let r = csv::import(
        store,
        text.as_bytes(),
        Format::Auto,
        Mode::AllOrNothing,
        false,
        now(),
        Source::Import,
    )
    .unwrap();
    assert!(r.committed, "{:?}", r.problems);
}

/// A jug already in the catalog, without pictures.
const FIRST: &str = "Handle,Title,Variant SKU,Variant Price\nkan,Kan,KAN-1,20.00\n";

/// The jug gets a picture and a new mug comes with two.
fn second(base: &str) -> String {
    format!(
        "Handle,Title,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text\n\
         kan,Kan,KAN-1,21.00,{base}/kan.png,1,Kan\n\
         mok,Mok,MOK-1,12.50,{base}/mok-voor.png,1,Voor\n\
         mok,,,,{base}/mok-zij.jpg,2,Zij\n"
    )
}

async fn fetch(store: &Store) -> PictureRun {
    fetch_reporting(store, &NoProgress).await
}

/// [`fetch`], telling `progress` after each picture.
async fn fetch_reporting(
    store: &Store,
    progress: &dyn kanaal_core::progress::Progress,
) -> PictureRun {
    let downloader = PictureDownloader::new(PictureLimits {
        max_bytes: 1024 * 1024,
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
    })
    .unwrap();
    fetch_pictures(
        store,
        &downloader,
        &FixedClock::at(now()),
        progress,
        &CancelToken::new(),
    )
    .await
    .unwrap()
}

fn status(store: &Store) -> PictureStatus {
    store.read(picture_queue::status).unwrap()
}

/// Alt texts of the product's pictures, in order; `None` when the product does not exist.
fn pictures(store: &Store, handle: &str) -> Option<Vec<String>> {
    let id: Option<kanaal_core::ids::ProductId> = store
        .read(|tx| {
            use rusqlite::OptionalExtension;
            Ok(tx
                .query_row("SELECT id FROM products WHERE handle = ?1", [handle], |r| {
                    r.get(0)
                })
                .optional()?)
        })
        .unwrap();
    let id = id?;
    Some(
        store
            .read(|tx| product_detail(tx, id))
            .unwrap()
            .pictures
            .into_iter()
            .map(|p| p.alt_nl)
            .collect(),
    )
}

/// What the catalog shows once the second import ([`second`]) is undone: the jug without
/// pictures, the mug gone.
fn assert_second_import_undone(store: &Store) {
    assert_eq!(pictures(store, "kan"), Some(vec![]), "the jug gets nothing");
    assert_eq!(
        pictures(store, "mok"),
        None,
        "the mug is gone with the undo"
    );
}

fn undo(store: &Store) -> String {
    store
        .write(|tx| edit::undo(tx, now()))
        .unwrap()
        .expect("something to undo")
        .label
}

fn redo(store: &Store) -> String {
    store
        .write(|tx| edit::redo(tx, now()))
        .unwrap()
        .expect("something to redo")
        .label
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_of_an_import_drops_its_waiting_pictures_and_redo_puts_them_back() {
    let (server, base) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import(&store, FIRST);
    import(&store, &second(&base));
    assert_eq!(status(&store).waiting, 3, "three pictures queued");

    assert!(undo(&store).starts_with("Import"), "the second import");
    assert_eq!(
        status(&store).waiting,
        0,
        "an undone import leaves no picture waiting (not even the existing jug's)"
    );
    let run = fetch(&store).await;
    assert_eq!(run.total, 0, "{run:?}");
    assert_eq!(
        server.hits(),
        0,
        "nothing is downloaded for an undone import"
    );
    assert_second_import_undone(&store);

    assert!(redo(&store).starts_with("Import"));
    assert_eq!(
        status(&store).waiting,
        3,
        "redo queues the pictures of the jug and of the mug it put back"
    );
    let run = fetch(&store).await;
    assert_eq!((run.total, run.added, run.failed), (3, 3, 0), "{run:?}");
    assert_eq!(pictures(&store, "kan"), Some(vec!["Kan".to_string()]));
    assert_eq!(
        pictures(&store, "mok"),
        Some(vec!["Voor".to_string(), "Zij".to_string()]),
        "in the file's order"
    );
}

/// Undoes the last import once the first picture of a run is done, as the merchant pressing
/// Ctrl+Z while the window downloads.
struct UndoAfterFirst<'a> {
    store: &'a Store,
    undone: Mutex<bool>,
}

impl kanaal_core::progress::Progress for UndoAfterFirst<'_> {
    fn report(&self, step: kanaal_core::progress::ProgressStep) {
        let mut undone = self.undone.lock().unwrap();
        if step.done == 1 && !*undone {
            *undone = true;
            undo(self.store);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undo_during_a_run_stops_the_rest_of_that_imports_pictures() {
    let (server, base) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import(&store, FIRST);
    import(&store, &second(&base));
    let undo_midway = UndoAfterFirst {
        store: &store,
        undone: Mutex::new(false),
    };
    fetch_reporting(&store, &undo_midway).await;
    assert!(
        *undo_midway.undone.lock().unwrap(),
        "the import was undone during the run"
    );
    assert_eq!(
        server.hits(),
        1,
        "only the picture fetched before the undo was downloaded"
    );
    let stored: i64 = store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM images", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(
        stored, 1,
        "no picture of the undone import stored after the undo"
    );
    assert_second_import_undone(&store);

    // Redo brings the import back with all its pictures, the one already fetched included.
    assert!(redo(&store).starts_with("Import"));
    let run = fetch(&store).await;
    assert_eq!(
        pictures(&store, "kan"),
        Some(vec!["Kan".to_string()]),
        "{run:?}"
    );
    assert_eq!(
        pictures(&store, "mok"),
        Some(vec!["Voor".to_string(), "Zij".to_string()]),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloaded_pictures_come_and_go_with_the_history_and_are_not_fetched_twice() {
    let (server, base) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import(&store, FIRST);
    import(&store, &second(&base));
    let run = fetch(&store).await;
    assert_eq!(run.added, 3, "{run:?}");
    assert_eq!(server.hits(), 3);

    // The pictures were added as one edit per product, on top of the import.
    undo(&store);
    undo(&store);
    assert!(undo(&store).starts_with("Import"));
    assert_eq!(pictures(&store, "kan"), Some(vec![]), "undo took them off");
    assert_eq!(pictures(&store, "mok"), None);
    let st = status(&store);
    assert_eq!((st.waiting, st.done), (0, 0), "{st:?}");

    redo(&store);
    redo(&store);
    redo(&store);
    assert_eq!(pictures(&store, "kan"), Some(vec!["Kan".to_string()]));
    assert_eq!(
        pictures(&store, "mok"),
        Some(vec!["Voor".to_string(), "Zij".to_string()])
    );
    let st = status(&store);
    assert_eq!((st.waiting, st.done), (0, 3), "done as before: {st:?}");
    let run = fetch(&store).await;
    assert_eq!((run.total, run.added), (0, 0), "{run:?}");
    assert_eq!(server.hits(), 3, "nothing downloaded twice");

    // The same file again queues nothing new: the rows are back with their state.
    import(&store, &second(&base));
    assert_eq!(status(&store).waiting, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_edit_after_undo_forgets_the_set_aside_pictures() {
    let (server, base) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import(&store, FIRST);
    import(&store, &second(&base));
    undo(&store);
    // A new import ends what could be redone (the second import is discarded) …
    import(
        &store,
        "Handle,Title,Variant SKU,Variant Price\nkan,Kan,KAN-1,22.00\n",
    );
    // … and the next undo clears what was kept for it.
    undo(&store);
    let kept: i64 = store
        .read(|tx| {
            Ok(
                tx.query_row("SELECT count(*) FROM picture_fetches_undone", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    assert_eq!(kept, 0, "nothing kept for an import that cannot come back");
    assert_eq!(fetch(&store).await.total, 0);
    assert_eq!(server.hits(), 0);
}

/// A data file of Kanaal's version 11 (before a queued picture remembered its import), frozen in
/// kanaal-core's tests: its imports named pictures on 127.0.0.1:9, here moved to `base`.
fn version_11_file(dir: &std::path::Path, base: &str) -> Store {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures");
    let conn = rusqlite::Connection::open(dir.join(kanaal_core::store::DB_FILE)).unwrap();
    for file in ["schema_v11.sql", "pictures_queued_v11.sql"] {
        conn.execute_batch(&std::fs::read_to_string(fixtures.join(file)).unwrap())
            .unwrap();
    }
    conn.execute(
        "UPDATE picture_fetches SET url = replace(url, 'http://127.0.0.1:9', ?1)",
        [base],
    )
    .unwrap();
    drop(conn);
    Store::open(dir).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_upgrade_undo_of_an_older_import_keeps_its_pictures_from_being_fetched() {
    // The file's latest import (version 11) made the jug 21.00 with kan.png and created the mug
    // with two pictures; an earlier one queued kan-zij.png (the server has no such file) without
    // changing anything, and a later one, undone, queued kan-boven.png.
    let (server, base) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let store = version_11_file(dir.path(), &base);

    assert!(undo(&store).starts_with("Import: 1 nieuw, 1"));
    let run = fetch(&store).await;
    assert_eq!(
        (run.total, run.failed),
        (1, 1),
        "only kan-zij.png, whose import was no undo step, is tried (and is not there): {run:?}"
    );
    assert_eq!(
        server.hits(),
        1,
        "nothing of the undone imports is downloaded"
    );
    assert_second_import_undone(&store);

    assert!(redo(&store).starts_with("Import: 1 nieuw, 1"));
    let run = fetch(&store).await;
    assert_eq!((run.total, run.added, run.failed), (3, 3, 0), "{run:?}");
    assert_eq!(pictures(&store, "kan"), Some(vec!["Kan".to_string()]));
    assert_eq!(
        pictures(&store, "mok"),
        Some(vec!["Voor".to_string(), "Zij".to_string()]),
        "the mug's pictures, downloaded after the redo, in the file's order"
    );
    assert_eq!(
        server.hits(),
        4,
        "kan-boven.png of the import undone before the upgrade stays aside"
    );
}
