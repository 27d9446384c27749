//! The pictures a product CSV names by web address, downloaded over real loopback sockets from a
//! local web server that serves real PNG and JPEG files, a 404, a web page, a server that does
//! not answer, a file that never ends and a copy of a picture under another address.
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
use kanaal_core::catalog::Source;
use kanaal_core::clock::FixedClock;
use kanaal_core::ids::ProductId;
use kanaal_core::picture_queue::{self, FetchFailure, PictureRun};
use kanaal_core::progress::{CancelToken, NoProgress, ProgressStep};
use kanaal_core::store::Store;
use kanaal_sync::pictures::fetch_pictures;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap()
}

/// A real picture file of `w`×`h` pixels, with a colour per seed so that files differ.
fn picture(format: image::ImageFormat, w: u32, h: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([seed, (x % 256) as u8, (y % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, format)
        .unwrap();
    out.into_inner()
}

#[derive(Clone, Default)]
struct Server {
    hits: Arc<Mutex<HashMap<String, u32>>>,
    files: Arc<HashMap<String, (&'static str, Vec<u8>)>>,
}

impl Server {
    fn hits(&self, name: &str) -> u32 {
        self.hits.lock().unwrap().get(name).copied().unwrap_or(0)
    }
}

async fn serve_file(State(s): State<Server>, Path(name): Path<String>) -> Response {
    *s.hits.lock().unwrap().entry(name.clone()).or_default() += 1;
    match name.as_str() {
        "slow.jpg" => {
            // Longer than the test's time limit: the download must give up, not hang.
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        "page.html" => {
            return Response::builder()
                .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                .body(Body::from(
                    "<html><body>Sign in to see this picture</body></html>",
                ))
                .unwrap();
        }
        "huge.png" => {
            // No Content-Length: the cap must hold while the body streams in.
            let chunk = bytes_of(64 * 1024);
            let stream = futures_util::stream::iter(
                (0..64).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
            );
            return Response::builder()
                .header(header::CONTENT_TYPE, "image/png")
                .body(Body::from_stream(stream))
                .unwrap();
        }
        _ => {}
    }
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

fn bytes_of(n: usize) -> axum::body::Bytes {
    axum::body::Bytes::from(vec![0x89u8; n])
}

fn files() -> HashMap<String, (&'static str, Vec<u8>)> {
    let a = picture(image::ImageFormat::Png, 400, 300, 1);
    let mut m = HashMap::new();
    m.insert("a.png".to_string(), ("image/png", a.clone()));
    m.insert("same-as-a.png".to_string(), ("image/png", a));
    m.insert(
        "b.jpg".to_string(),
        ("image/jpeg", picture(image::ImageFormat::Jpeg, 500, 500, 2)),
    );
    m.insert(
        "c.png".to_string(),
        ("image/png", picture(image::ImageFormat::Png, 40, 30, 3)),
    );
    m
}

async fn start_on(listener: tokio::net::TcpListener) -> (Server, SocketAddr) {
    let server = Server {
        files: Arc::new(files()),
        ..Server::default()
    };
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/{name}", get(serve_file))
        .with_state(server.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (server, addr)
}

async fn start() -> (Server, SocketAddr) {
    start_on(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap()).await
}

/// A Shopify export: a mug whose pictures are listed out of order (Image Position says which
/// comes first), one of them twice under two addresses; a jug with every kind of bad address.
fn shopify_csv(base: &str) -> Vec<u8> {
    format!(
        "Handle,Title,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text\n\
         mok,Mok,MOK-1,12.50,{base}/a.png,2,Mok van opzij\n\
         mok,,,,{base}/b.jpg,1,Mok van voren\n\
         mok,,,,{base}/same-as-a.png,3,\n\
         kan,Kan,KAN-1,20.00,{base}/missing.png,1,\n\
         kan,,,,{base}/page.html,2,\n\
         kan,,,,{base}/slow.jpg,3,\n\
         kan,,,,{base}/huge.png,4,\n\
         kan,,,,{base}/c.png,5,Kleine kan\n"
    )
    .into_bytes()
}

fn downloader() -> PictureDownloader {
    PictureDownloader::new(PictureLimits {
        max_bytes: 1024 * 1024,
        timeout: Duration::from_millis(1500),
        connect_timeout: Duration::from_secs(1),
    })
    .unwrap()
}

fn import(store: &Store, bytes: &[u8]) -> csv::ImportReport {
    let r = csv::import(
        store,
        bytes,
        Format::Auto,
        Mode::AllOrNothing,
        false,
        now(),
        Source::Import,
    )
    .unwrap();
    assert!(r.committed, "the import itself is saved: {:?}", r.problems);
    r
}

async fn fetch(store: &Store) -> PictureRun {
    fetch_pictures(
        store,
        &downloader(),
        &FixedClock::at(now()),
        &NoProgress,
        &CancelToken::new(),
    )
    .await
    .unwrap()
}

fn product(store: &Store, handle: &str) -> ProductId {
    store
        .read(|tx| {
            Ok(
                tx.query_row("SELECT id FROM products WHERE handle = ?1", [handle], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap()
}

/// (hash, alt, has a thumbnail) of each of the product's pictures, in order.
fn pictures(store: &Store, handle: &str) -> Vec<(String, String, bool)> {
    let id = product(store, handle);
    store
        .read(|tx| product_detail(tx, id))
        .unwrap()
        .pictures
        .into_iter()
        .map(|p| (p.hash, p.alt_nl, p.thumb.is_some()))
        .collect()
}

fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn edit_batches(store: &Store) -> i64 {
    store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM edit_batches", [], |r| r.get(0))?))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pictures_land_in_file_order_with_alt_text_and_thumbnails_and_failures_name_the_row() {
    let (server, addr) = start().await;
    let base = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();

    let report = import(&store, &shopify_csv(&base));
    assert_eq!(report.picture_addresses, 8, "every address is counted");
    assert_eq!(
        pictures(&store, "mok"),
        vec![],
        "the import itself downloads nothing"
    );

    let steps: Arc<Mutex<Vec<ProgressStep>>> = Arc::default();
    let seen = steps.clone();
    let progress = move |s: ProgressStep| seen.lock().unwrap().push(s);
    let run = fetch_pictures(
        &store,
        &downloader(),
        &FixedClock::at(now()),
        &progress,
        &CancelToken::new(),
    )
    .await
    .unwrap();

    let files = files();
    let a = sha(&files["a.png"].1);
    let b = sha(&files["b.jpg"].1);
    let c = sha(&files["c.png"].1);
    assert_eq!(
        pictures(&store, "mok"),
        vec![
            (b.clone(), "Mok van voren".to_string(), true),
            (a.clone(), "Mok van opzij".to_string(), true),
        ],
        "Image Position decides the order; alt text and a thumbnail come with each; the same \
         picture under a second address is not added twice"
    );
    assert_eq!(
        pictures(&store, "kan"),
        vec![(c.clone(), "Kleine kan".to_string(), false)],
        "a small picture needs no thumbnail"
    );
    for hash in [&a, &b, &c] {
        let stored = store
            .read(|tx| kanaal_core::images::read(tx, dir.path(), hash))
            .unwrap();
        assert!(stored.is_some(), "the picture file is in the data folder");
    }
    assert_eq!(
        (run.total, run.added, run.already_there, run.failed),
        (8, 3, 1, 4)
    );

    let by_row: HashMap<u32, (&FetchFailure, &str)> = run
        .failures
        .iter()
        .map(|f| (f.row, (&f.failure, f.message.as_str())))
        .collect();
    assert_eq!(by_row[&5].0, &FetchFailure::Status { status: 404 });
    assert!(
        by_row[&5].1.contains("404") && by_row[&5].1.contains("row 5, column Image Src"),
        "{}",
        by_row[&5].1
    );
    assert!(
        matches!(by_row[&6].0, FetchFailure::NotAPicture { content_type } if content_type.starts_with("text/html")),
        "{:?}",
        by_row[&6]
    );
    assert!(
        matches!(by_row[&7].0, FetchFailure::Timeout { .. }),
        "a server that does not answer times out: {:?}",
        by_row[&7]
    );
    assert!(
        matches!(by_row[&8].0, FetchFailure::TooLarge { limit_mb: 1 }),
        "a body larger than the cap is cut off: {:?}",
        by_row[&8]
    );
    assert!(by_row[&8].1.contains("row 8, column Image Src"));

    let status = store.read(picture_queue::status).unwrap();
    assert_eq!(
        (status.waiting, status.done, status.failed),
        (0, 4, 4),
        "{status:?}"
    );
    assert_eq!(
        status.failures.iter().map(|f| f.row).collect::<Vec<_>>(),
        vec![5, 6, 7, 8],
        "the status lists failures by row"
    );

    let last = steps.lock().unwrap().last().cloned().unwrap();
    assert_eq!(
        (last.stage.as_str(), last.done, last.total),
        ("pictures", 8, 8)
    );

    // Importing the same file again adds nothing and downloads no picture that arrived.
    let batches = edit_batches(&store);
    let hits_a = server.hits("a.png");
    import(&store, &shopify_csv(&base));
    let again = fetch(&store).await;
    assert_eq!(again.added, 0, "{again:?}");
    assert_eq!(pictures(&store, "mok").len(), 2);
    assert_eq!(pictures(&store, "kan").len(), 1);
    assert_eq!(
        server.hits("a.png"),
        hits_a,
        "a picture already there is not fetched again"
    );
    assert_eq!(
        edit_batches(&store),
        batches,
        "nothing new on the undo stack"
    );
    assert_eq!(
        again.failed, 4,
        "the failed ones were tried again (the file may have fixed links)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_connection_the_import_succeeds_and_pictures_wait_until_the_server_is_back() {
    // An address nothing listens on: like a machine without a connection, every connect fails.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let csv = format!(
        "Handle,Title,Variant SKU,Variant Price,Image Src,Image Position\n\
         mok,Mok,MOK-1,12.50,{base}/a.png,1\n\
         mok,,,,{base}/b.jpg,2\n\
         kan,Kan,KAN-1,20.00,{base}/c.png,1\n\
         vaas,Vaas,VAAS-1,30.00,{base}/a.png,1\n\
         bord,Bord,BORD-1,8.00,{base}/b.jpg,1\n"
    );
    let report = import(&store, csv.as_bytes());
    assert_eq!(report.created, 4, "the import does not need the network");

    let run = fetch(&store).await;
    assert_eq!(run.failed, 0, "no connection is not a failure: {run:?}");
    assert_eq!(run.waiting_for_connection, 5, "{run:?}");
    let status = store.read(picture_queue::status).unwrap();
    assert_eq!(
        (status.waiting, status.waiting_for_connection),
        (5, 5),
        "every picture waits for a connection"
    );

    // The connection is back: the same addresses answer now.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let _ = start_on(listener).await;
    let later = fetch(&store).await;
    assert_eq!(
        (later.added, later.waiting_for_connection),
        (5, 0),
        "{later:?}"
    );
    assert_eq!(pictures(&store, "mok").len(), 2);
    let status = store.read(picture_queue::status).unwrap();
    assert_eq!((status.waiting, status.done), (0, 5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_download_resumes_without_losing_or_doubling_a_picture() {
    let (server, addr) = start().await;
    let base = format!("http://{addr}");
    let csv = format!(
        "Handle,Title,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text\n\
         mok,Mok,MOK-1,12.50,{base}/a.png,1,een\n\
         mok,,,,{base}/b.jpg,2,twee\n\
         mok,,,,{base}/c.png,3,drie\n"
    );
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        import(&store, csv.as_bytes());
        // The process gets as far as storing two pictures, the second one's transaction dies
        // before it commits (file written, row not), and then the process is gone.
        let jobs = store.read(picture_queue::waiting).unwrap();
        assert_eq!(jobs.len(), 3);
        let d = downloader();
        let cancel = CancelToken::new();
        let first = d.get(&jobs[0].url, &cancel).await.unwrap();
        store
            .write(|tx| picture_queue::store_fetched(tx, dir.path(), jobs[0].id, &first, now()))
            .unwrap()
            .unwrap();
        let second = d.get(&jobs[1].url, &cancel).await.unwrap();
        let died = store.write(|tx| {
            picture_queue::store_fetched(tx, dir.path(), jobs[1].id, &second, now())?.unwrap();
            Err::<(), _>(kanaal_core::Error::Corrupt("power cut".into()))
        });
        assert!(died.is_err());
        // Dropped here without attaching: the state of a process that was killed.
    }
    let store = Store::open(dir.path()).unwrap();
    let run = fetch(&store).await;
    let files = files();
    assert_eq!(
        pictures(&store, "mok"),
        vec![
            (sha(&files["a.png"].1), "een".to_string(), true),
            (sha(&files["b.jpg"].1), "twee".to_string(), true),
            (sha(&files["c.png"].1), "drie".to_string(), false),
        ],
        "every picture once, in the file's order"
    );
    assert_eq!(run.added, 3, "{run:?}");
    assert_eq!(
        server.hits("a.png"),
        1,
        "a picture stored before the crash is not downloaded again"
    );
    // Running once more changes nothing.
    let again = fetch(&store).await;
    assert_eq!((again.total, again.added), (0, 0));
    assert_eq!(pictures(&store, "mok").len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_keeps_what_arrived_and_the_rest_stays_queued() {
    let (server, addr) = start().await;
    let base = format!("http://{addr}");
    let csv = format!(
        "Handle,Title,Variant SKU,Variant Price,Image Src,Image Position\n\
         mok,Mok,MOK-1,12.50,{base}/a.png,1\n\
         mok,,,,{base}/slow.jpg,2\n\
         mok,,,,{base}/c.png,3\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import(&store, csv.as_bytes());
    let cancel = CancelToken::new();
    let stop = cancel.clone();
    // Cancel while the slow picture is being waited for (the server has its request).
    let watcher = server.clone();
    tokio::spawn(async move {
        while watcher.hits("slow.jpg") == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        stop.cancel();
    });
    let progress = NoProgress;
    let slow = PictureDownloader::new(PictureLimits {
        timeout: Duration::from_secs(30),
        ..PictureLimits::default()
    })
    .unwrap();
    let started = std::time::Instant::now();
    let run = fetch_pictures(&store, &slow, &FixedClock::at(now()), &progress, &cancel)
        .await
        .unwrap();
    assert!(run.cancelled);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "cancel stops a download mid-wait"
    );
    assert_eq!(run.added, 1, "the picture that arrived is kept: {run:?}");
    assert_eq!(pictures(&store, "mok").len(), 1);
    let status = store.read(picture_queue::status).unwrap();
    assert_eq!((status.waiting, status.failed), (2, 0), "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn woocommerce_image_lists_are_fetched_in_order() {
    let (_server, addr) = start().await;
    let base = format!("http://{addr}");
    let csv = format!(
        "ID,Type,SKU,Name,Published,Regular price,Images\n\
         1,simple,VAAS-1,Vaas,1,30.00,\"{base}/c.png, {base}/b.jpg\"\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let report = import(&store, csv.as_bytes());
    assert_eq!(report.format, Format::WooCommerce);
    let run = fetch(&store).await;
    assert_eq!(run.added, 2, "{run:?}");
    let files = files();
    let id: ProductId = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT product_id FROM variants WHERE sku = 'VAAS-1'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let hashes: Vec<String> = store
        .read(|tx| product_detail(tx, id))
        .unwrap()
        .pictures
        .into_iter()
        .map(|p| p.hash)
        .collect();
    assert_eq!(hashes, vec![sha(&files["c.png"].1), sha(&files["b.jpg"].1)]);
}
