#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `kanaal catalog import` downloads the pictures a Shopify CSV names, from a real web server on
//! loopback; killed (SIGKILL) in the middle of the download, `kanaal catalog pictures` finishes
//! the job with every picture once, in the file's order, and a failed address is reported with
//! its row and column.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use kanaal_core::store::Store;
use std::collections::HashMap;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn png(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([seed, x as u8, y as u8]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

#[derive(Clone, Default)]
struct Server {
    hits: Arc<Mutex<HashMap<String, u32>>>,
}

impl Server {
    fn hits(&self, name: &str) -> u32 {
        self.hits.lock().unwrap().get(name).copied().unwrap_or(0)
    }
}

async fn serve(State(s): State<Server>, Path(name): Path<String>) -> Response {
    let hit = {
        let mut hits = s.hits.lock().unwrap();
        let n = hits.entry(name.clone()).or_default();
        *n += 1;
        *n
    };
    // The third picture hangs the first time: the moment the test kills the process.
    if name == "p3.png" && hit == 1 {
        tokio::time::sleep(Duration::from_secs(120)).await;
    }
    let seed = match name.as_str() {
        "p1.png" => 1,
        "p2.png" => 2,
        "p3.png" => 3,
        "p4.png" => 4,
        _ => {
            return Response::builder()
                .status(StatusCode::NOT_FOUND)
                .body(Body::empty())
                .unwrap()
        }
    };
    Response::builder()
        .header(header::CONTENT_TYPE, "image/png")
        .body(Body::from(png(seed)))
        .unwrap()
}

fn kanaal(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kanaal"));
    c.arg("--data-dir").arg(dir).env_remove("KANAAL_DATA_DIR");
    c
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn killed_mid_download_the_next_run_finishes_with_every_picture_once_in_order() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = Server::default();
    let addr = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new()
            .route("/{name}", get(serve))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    });
    let base = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("products.csv");
    std::fs::write(
        &file,
        format!(
            "Handle,Title,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text\n\
             mok,Mok,MOK-1,12.50,{base}/p1.png,1,een\n\
             mok,,,,{base}/p2.png,2,twee\n\
             mok,,,,{base}/p3.png,3,drie\n\
             mok,,,,{base}/p4.png,4,vier\n\
             mok,,,,{base}/gone.png,5,\n"
        ),
    )
    .unwrap();
    let data = dir.path().join("data");

    let mut child = kanaal(&data)
        .args(["catalog", "import"])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while server.hits("p3.png") == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the import never got to the third picture"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended early"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no clean-up runs.
    child.wait().unwrap();

    let out = kanaal(&data)
        .args(["catalog", "pictures"])
        .output()
        .unwrap();
    let text = ok(&out);
    assert!(
        text.contains("Pictures: 4 added, 1 failed."),
        "the pictures stored before the kill and the rest are added: {text}"
    );
    assert!(
        text.contains("404") && text.contains("row 6, column Image Src"),
        "a failed address names its row and column: {text}"
    );
    assert_eq!(server.hits("p1.png"), 1, "not downloaded twice");
    assert_eq!(server.hits("p2.png"), 1, "not downloaded twice");

    let store = Store::open(&data).unwrap();
    let list = |store: &Store| -> Vec<(String, String)> {
        store
            .read(|tx| {
                let mut stmt = tx.prepare(
                    "SELECT image_hash, alt_nl FROM product_images ORDER BY product_id, position",
                )?;
                let rows = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .unwrap()
    };
    let expected: Vec<(String, String)> = [(1, "een"), (2, "twee"), (3, "drie"), (4, "vier")]
        .iter()
        .map(|(seed, alt)| (sha(&png(*seed)), alt.to_string()))
        .collect();
    assert_eq!(list(&store), expected, "every picture once, in order");
    drop(store);

    // Importing the same file again adds nothing.
    let again = ok(&kanaal(&data)
        .args(["catalog", "import"])
        .arg(&file)
        .output()
        .unwrap());
    assert!(again.contains("Pictures: 0 added, 1 failed."), "{again}");
    let store = Store::open(&data).unwrap();
    assert_eq!(list(&store), expected);

    // --no-pictures leaves the download for later.
    let quiet = ok(&kanaal(&data)
        .args(["catalog", "import", "--no-pictures"])
        .arg(&file)
        .output()
        .unwrap());
    assert!(!quiet.contains("Pictures:"), "{quiet}");
}
