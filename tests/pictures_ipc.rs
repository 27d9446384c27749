//! The picture commands as the window calls them (fetch_import_pictures, import_pictures_status,
//! retry_import_pictures, with cancel_job), through Tauri's IPC (mock runtime) on a real data
//! folder, downloading real PNG and JPEG files from a web server on a loopback socket.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::TimeZone;
use kanaal_app::AppState;
use kanaal_core::clock::FixedClock;
use kanaal_core::store::Store;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::ipc::InvokeBody;
use tauri::test::{get_ipc_response, mock_builder, MockRuntime};
use tauri::WebviewWindow;

struct App {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let clock = Arc::new(FixedClock::at(
        chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    ));
    let app = kanaal_app::setup(mock_builder(), AppState::with_store(store, clock))
        .build(tauri::generate_context!("tauri.conf.json"))
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    App {
        _dir: dir,
        _app: app,
        window,
    }
}

fn call(app: &App, cmd: &str, args: Value) -> Result<Value, Value> {
    common::call_on(&app.window, cmd, args)
}

/// Imports a product CSV as the import panel does on "Import" and returns the report.
fn import(app: &App, csv: &str) -> Value {
    let report = get_ipc_response(
        &app.window,
        common::request(
            "import_catalog",
            InvokeBody::Raw(csv.as_bytes().to_vec()),
            Default::default(),
        ),
    )
    .map(|b| b.deserialize::<Value>().unwrap())
    .unwrap();
    assert_eq!(report["committed"], true, "{report}");
    report
}

fn fetch(app: &App, job: &str) -> Result<Value, Value> {
    call(
        app,
        "fetch_import_pictures",
        json!({ "jobId": job, "onProgress": "__CHANNEL__:9" }),
    )
}

fn status(app: &App) -> Value {
    call(app, "import_pictures_status", json!({})).unwrap()
}

/// The alt texts of the pictures of the product with this handle, in order.
fn pictures(app: &App, title: &str) -> Vec<String> {
    let page = call(app, "list_products", json!({ "query": { "search": title, "status": null, "language": "nl", "offset": 0, "limit": 10 } })).unwrap();
    let id = page["rows"][0]["id"].clone();
    assert!(
        !id.is_null(),
        "the product {title} is in the catalog: {page}"
    );
    let detail = call(app, "product_detail", json!({ "product": id })).unwrap();
    detail["pictures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert!(
                p["thumb"].is_string(),
                "every picture gets a thumbnail: {p}"
            );
            p["altNl"].as_str().unwrap().to_string()
        })
        .collect()
}

fn picture(format: image::ImageFormat, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(400, 300, |x, y| {
        image::Rgb([seed, (x % 256) as u8, (y % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, format)
        .unwrap();
    out.into_inner()
}

/// File name → (content type, bytes).
type Files = HashMap<String, (&'static str, Vec<u8>)>;

/// A small web server on a loopback socket: serves its files by name, 404 for any other, and
/// holds `/slow-*` requests for a while (so a download can be stopped mid-way).
#[derive(Clone)]
struct Server {
    base: String,
    files: Arc<Mutex<Files>>,
    hits: Arc<AtomicU32>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut files = HashMap::new();
        files.insert(
            "voor.png".to_string(),
            ("image/png", picture(image::ImageFormat::Png, 1)),
        );
        files.insert(
            "zij.jpg".to_string(),
            ("image/jpeg", picture(image::ImageFormat::Jpeg, 2)),
        );
        let server = Server {
            base: format!("http://{}", listener.local_addr().unwrap()),
            files: Arc::new(Mutex::new(files)),
            hits: Arc::default(),
        };
        let s = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.answer(stream));
            }
        });
        server
    }

    fn put(&self, name: &str, mime: &'static str, bytes: Vec<u8>) {
        self.files
            .lock()
            .unwrap()
            .insert(name.to_string(), (mime, bytes));
    }

    fn answer(&self, mut stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        // The rest of the request head.
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                break;
            }
        }
        self.hits.fetch_add(1, Ordering::SeqCst);
        let name = line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .trim_start_matches('/')
            .to_string();
        if name.starts_with("slow-") {
            std::thread::sleep(Duration::from_secs(3));
        }
        let file = self.files.lock().unwrap().get(&name).cloned();
        let (status, mime, body) = match file {
            Some((mime, bytes)) => ("200 OK", mime, bytes),
            None => ("404 Not Found", "text/plain", b"not found".to_vec()),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
    }
}

fn csv(base: &str) -> String {
    format!(
        "Handle,Title,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text\n\
         mok,Mok,MOK-1,12.50,{base}/zij.jpg,2,Mok van opzij\n\
         mok,,,,{base}/voor.png,1,Mok van voren\n\
         kan,Kan,KAN-1,20.00,{base}/kan.png,1,Kan\n"
    )
}

#[test]
fn an_import_s_pictures_download_report_the_missing_one_by_row_and_come_in_after_try_again() {
    let server = Server::start();
    let app = app();
    let report = import(&app, &csv(&server.base));
    assert_eq!(report["pictureAddresses"], 3, "{report}");

    let before = status(&app);
    assert_eq!(
        (before["waiting"].clone(), before["done"].clone()),
        (json!(3), json!(0)),
        "the import queues the pictures and downloads nothing itself: {before}"
    );
    assert_eq!(server.hits.load(Ordering::SeqCst), 0);

    let run = fetch(&app, "pictures-1").unwrap();
    assert_eq!(
        (
            run["total"].clone(),
            run["added"].clone(),
            run["failed"].clone()
        ),
        (json!(3), json!(2), json!(1)),
        "{run}"
    );
    assert_eq!(
        pictures(&app, "Mok"),
        ["Mok van voren", "Mok van opzij"],
        "the mug's PNG and JPEG are added in Image Position order with their alt text"
    );
    assert_eq!(pictures(&app, "Kan"), Vec::<String>::new());

    let after = status(&app);
    assert_eq!(
        (
            after["waiting"].clone(),
            after["done"].clone(),
            after["failed"].clone()
        ),
        (json!(0), json!(2), json!(1)),
        "{after}"
    );
    let failure = &after["failures"][0];
    assert_eq!(
        (
            failure["row"].clone(),
            failure["column"].clone(),
            failure["productTitle"].clone()
        ),
        (json!(4), json!("Image Src"), json!("Kan")),
        "the failure names the spreadsheet cell and the product: {failure}"
    );
    assert_eq!(failure["failure"]["kind"], "status", "{failure}");
    assert_eq!(failure["failure"]["status"], 404, "{failure}");
    assert!(
        failure["message"].as_str().unwrap().contains("404"),
        "{failure}"
    );

    // The merchant puts the picture online and presses Try again.
    server.put("kan.png", "image/png", picture(image::ImageFormat::Png, 3));
    assert_eq!(
        call(&app, "retry_import_pictures", json!({})).unwrap(),
        1,
        "one failed picture back in the queue"
    );
    assert_eq!(status(&app)["waiting"], 1);
    let run = fetch(&app, "pictures-2").unwrap();
    assert_eq!(
        (run["total"].clone(), run["added"].clone()),
        (json!(1), json!(1)),
        "only the picture that failed is downloaded again: {run}"
    );
    assert_eq!(pictures(&app, "Kan"), ["Kan"]);
    let last = status(&app);
    assert_eq!(
        (last["done"].clone(), last["failed"].clone()),
        (json!(3), json!(0)),
        "{last}"
    );
    assert_eq!(
        call(&app, "retry_import_pictures", json!({})).unwrap(),
        0,
        "nothing left to retry"
    );
}

#[test]
fn without_a_connection_the_pictures_wait_and_the_status_says_so() {
    // An address nothing listens on: the connection is refused, as when offline.
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let app = app();
    import(&app, &csv(&closed));
    let run = fetch(&app, "pictures-offline").unwrap();
    assert_eq!(
        (run["added"].clone(), run["failed"].clone()),
        (json!(0), json!(0)),
        "no connection is not a failure of the pictures: {run}"
    );
    assert_eq!(run["waitingForConnection"], 3, "{run}");
    let st = status(&app);
    assert_eq!(
        (st["waiting"].clone(), st["waitingForConnection"].clone()),
        (json!(3), json!(3)),
        "they stay queued, marked as waiting for a connection: {st}"
    );
    assert_eq!(
        call(&app, "retry_import_pictures", json!({})).unwrap(),
        0,
        "waiting pictures are not failures to retry"
    );
}

#[test]
fn stopping_a_download_keeps_what_arrived_and_leaves_the_rest_queued() {
    let server = Server::start();
    server.put(
        "slow-1.png",
        "image/png",
        picture(image::ImageFormat::Png, 4),
    );
    server.put(
        "slow-2.png",
        "image/png",
        picture(image::ImageFormat::Png, 5),
    );
    let base = &server.base;
    let app = app();
    import(
        &app,
        &format!(
            "Handle,Title,Variant SKU,Variant Price,Image Src,Image Position\n\
             mok,Mok,MOK-1,12.50,{base}/voor.png,1\n\
             vaas,Vaas,VAAS-1,30.00,{base}/slow-1.png,1\n\
             vaas,,,,{base}/slow-2.png,2\n"
        ),
    );
    let window = app.window.clone();
    let running = std::thread::spawn(move || {
        common::call_on(
            &window,
            "fetch_import_pictures",
            json!({ "jobId": "pictures-stop", "onProgress": "__CHANNEL__:11" }),
        )
    });
    // Wait until the slow picture is on its way, then press Stop.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while server.hits.load(Ordering::SeqCst) < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the download reaches the slow picture"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        call(&app, "cancel_job", json!({ "jobId": "pictures-stop" })).unwrap(),
        true,
        "the running download is found by its job id"
    );
    let run = running.join().unwrap().unwrap();
    assert_eq!(run["cancelled"], true, "{run}");
    assert_eq!(
        run["added"], 1,
        "the mug's picture arrived before Stop: {run}"
    );
    assert_eq!(pictures(&app, "Mok").len(), 1);
    let st = status(&app);
    assert_eq!(
        (
            st["waiting"].clone(),
            st["done"].clone(),
            st["failed"].clone()
        ),
        (json!(2), json!(1), json!(0)),
        "the vase's pictures stay queued, not failed: {st}"
    );
    assert_eq!(
        call(&app, "cancel_job", json!({ "jobId": "pictures-stop" })).unwrap(),
        false,
        "a finished download is no longer a job"
    );
}

#[test]
fn a_download_without_a_job_id_is_refused_because_it_could_not_be_stopped() {
    let app = app();
    let err = fetch(&app, " ").unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert_eq!(status(&app)["waiting"], 0);
}
