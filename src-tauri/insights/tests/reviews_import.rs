#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Importing a review export into the store: bad rows reported where and how to fix them,
//! all-or-nothing unless valid-only, and importing the same file twice adds nothing.

use chrono::{TimeZone, Utc};
use kanaal_core::store::Store;
use kanaal_insights::sentiment::import::{import_reviews, ImportReport, Mode};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO channels (id, kind, name, created_at) VALUES
                   (1, 'bol', 'bol.com', '2026-01-01T00:00:00Z'),
                   (2, 'shopify', 'Webshop', '2026-01-01T00:00:00Z');",
            )?;
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn import(store: &Store, channel: i64, csv: &str, mode: Mode) -> ImportReport {
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
    store
        .write(|tx| import_reviews(tx, channel, csv.as_bytes(), mode, now))
        .unwrap()
}

fn count(store: &Store) -> i64 {
    store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))?))
        .unwrap()
}

const GOOD: &str = "\u{feff}id;date;rating;author;text\n\
r1;2026-03-05;5;Jan;Heerlijke koffie, snel geleverd\n\
r2;05-03-2026;1;Anna;Pakket kwam kapot aan\n\
r3;;4,0;;Great beans but the box was dented\n";

#[test]
fn a_dutch_excel_export_imports_and_a_second_import_adds_nothing() {
    let (_d, store) = store();
    let r = import(&store, 1, GOOD, Mode::AllOrNothing);
    assert!(r.committed && r.bad.is_empty(), "{r:?}");
    assert_eq!((r.rows, r.imported, r.already_present), (3, 3, 0));
    let (date, lang, rating, author): (String, String, i64, Option<String>) = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT created_at, language, rating, author FROM reviews WHERE remote_id = 'r2'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?)
        })
        .unwrap();
    assert!(
        date.starts_with("2026-03-05"),
        "a Dutch date (day first) is read: {date}"
    );
    assert_eq!(
        lang, "nl",
        "the language is detected when the file has none"
    );
    assert_eq!(rating, 1);
    assert_eq!(author.as_deref(), Some("Anna"));
    let again = import(&store, 1, GOOD, Mode::AllOrNothing);
    assert_eq!((again.imported, again.already_present), (0, 3), "{again:?}");
    assert_eq!(count(&store), 3, "no duplicates after a re-import");
    let other = import(&store, 2, GOOD, Mode::AllOrNothing);
    assert_eq!(
        other.imported, 3,
        "the same ids on another channel are other reviews"
    );
}

#[test]
fn reviews_without_an_id_are_recognised_by_their_content() {
    let (_d, store) = store();
    let csv = "text,rating\nLovely apron,5\nToo expensive,2\n";
    assert_eq!(import(&store, 1, csv, Mode::AllOrNothing).imported, 2);
    let again = import(&store, 1, csv, Mode::AllOrNothing);
    assert_eq!((again.imported, again.already_present), (0, 2));
    let one_more = import(
        &store,
        1,
        "text,rating\nLovely apron,5\nToo expensive,2\nFine,4\n",
        Mode::AllOrNothing,
    );
    assert_eq!(
        (one_more.imported, one_more.already_present),
        (1, 2),
        "only the new row is added"
    );
}

#[test]
fn bad_rows_are_reported_by_row_and_column_and_nothing_is_written() {
    let (_d, store) = store();
    let csv = "id,date,rating,lang,text\n\
a,2026-03-05,5,nl,Top\n\
b,yesterday,5,,Goed\n\
c,2026-03-06,7,,Prima\n\
d,2026-03-06,3,fr,Bien\n\
e,2026-03-07,3,,\n\
a,2026-03-08,4,,Nog een keer\n";
    let r = import(&store, 1, csv, Mode::AllOrNothing);
    assert!(!r.committed, "all or nothing");
    assert_eq!(count(&store), 0, "nothing written while any row is bad");
    let got: Vec<(u64, &str)> = r.bad.iter().map(|b| (b.row, b.column.as_str())).collect();
    assert_eq!(
        got,
        [
            (3, "date"),
            (4, "rating"),
            (5, "lang"),
            (6, "text"),
            (7, "id")
        ],
        "{:#?}",
        r.bad
    );
    assert!(
        r.bad[0].message.contains("2026-03-05"),
        "says how to write a date: {}",
        r.bad[0].message
    );
    assert!(r.bad[1].message.contains("1 to 5"), "{}", r.bad[1].message);
    assert!(
        r.bad[4].message.contains("row 2"),
        "names the other row: {}",
        r.bad[4].message
    );

    let v = import(&store, 1, csv, Mode::ValidOnly);
    assert!(v.committed);
    assert_eq!(v.imported, 1, "only row 2 is valid: {v:?}");
    assert_eq!(v.bad.len(), 5, "the bad rows are still reported");
    assert_eq!(count(&store), 1);
}

#[test]
fn an_unknown_channel_or_a_file_without_text_is_refused_with_what_to_do() {
    let (_d, store) = store();
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
    let e = store
        .write(|tx| import_reviews(tx, 9, GOOD.as_bytes(), Mode::AllOrNothing, now))
        .unwrap_err();
    assert!(e.to_string().contains("channel list"), "{e}");
    let e = store
        .write(|tx| import_reviews(tx, 1, b"review,stars\nGood,5\n", Mode::AllOrNothing, now))
        .unwrap_err();
    assert!(e.to_string().contains("`text` column"), "{e}");
}

#[test]
fn a_windows_1252_export_from_dutch_excel_keeps_its_accents() {
    let (_d, store) = store();
    // "Cafeïne" and "één" as Excel on a Dutch Windows machine saves them: one byte each.
    let mut bytes = b"id;rating;text\nw1;4;Cafe".to_vec();
    bytes.push(0xEF); // ï
    bytes.extend_from_slice(b"nevrij en ");
    bytes.push(0xE9); // é
    bytes.push(0xE9);
    bytes.extend_from_slice(b"n keer te laat\n");
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
    let r = store
        .write(|tx| import_reviews(tx, 1, &bytes, Mode::AllOrNothing, now))
        .unwrap();
    assert!(r.committed && r.bad.is_empty(), "{r:?}");
    let body: String = store
        .read(|tx| Ok(tx.query_row("SELECT body FROM reviews", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(body, "Cafeïnevrij en één keer te laat");
}
