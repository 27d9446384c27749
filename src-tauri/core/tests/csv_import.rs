//! Importing Shopify product CSVs (also after Dutch Excel), the report before commit, and
//! re-import that updates instead of duplicating.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use kanaal_core::catalog::csv::{self, Format, ImportReport, Mode, ProblemKind, Severity};
use kanaal_core::catalog::Source;
use kanaal_core::store::Store;
use kanaal_core::Error;

const SHOPIFY: &[u8] = include_bytes!("fixtures/csv/shopify_products.csv");
const DUTCH_EXCEL: &[u8] = include_bytes!("fixtures/csv/dutch_excel.csv");
const BAD_ROWS: &[u8] = include_bytes!("fixtures/csv/shopify_bad_rows.csv");

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn later() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap()
}

fn empty_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn import(store: &Store, bytes: &[u8], mode: Mode, at: DateTime<Utc>) -> ImportReport {
    csv::import(store, bytes, Format::Auto, mode, false, at, Source::Import).unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store
        .read(|tx| Ok(tx.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

fn text(store: &Store, sql: &str, key: &str) -> Option<String> {
    store
        .read(|tx| Ok(tx.query_row(sql, [key], |r| r.get(0))?))
        .unwrap()
}

/// Parses CSV bytes into rows of named cells, leaving out image-only rows (a Handle and image
/// columns, no variant): those are not variants and the catalog does not keep them.
fn variant_rows(bytes: &[u8], columns: &[&str]) -> Vec<Vec<String>> {
    let mut reader = ::csv::Reader::from_reader(bytes);
    let headers = reader.headers().unwrap().clone();
    let index = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let sku = index("Variant SKU");
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| !r[sku].is_empty())
        .map(|r| columns.iter().map(|c| r[index(c)].to_string()).collect())
        .collect()
}

/// entity, field, old value, new value, batch id.
type AuditRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The Shopify columns Kanaal keeps.
const MODELLED: [&str; 21] = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Qty",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Taxable",
    "Variant Barcode",
    "Cost per item",
];

#[test]
fn a_shopify_file_round_trips_through_the_catalog_keeping_every_modelled_field() {
    let (_dir, store) = empty_store();
    let report = import(&store, SHOPIFY, Mode::AllOrNothing, now());
    assert_eq!(report.format, Format::Shopify, "the format is recognised");
    assert!(
        report.problems.is_empty(),
        "a clean file has no problems: {:?}",
        report.problems
    );
    assert_eq!(report.created, 3, "three products, not one per row");
    assert!(report.committed, "a clean all-or-nothing import is saved");
    assert_eq!(
        report.picture_addresses, 2,
        "picture addresses are counted (and queued), not dropped silently"
    );

    let exported = csv::export(&store, Format::Shopify).unwrap();
    let mut columns = MODELLED.to_vec();
    columns.push("Status");
    let before = variant_rows(SHOPIFY, &columns);
    let after = variant_rows(&exported, &columns);
    assert_eq!(
        before.len(),
        after.len(),
        "one row per variant after the round trip"
    );
    for (b, a) in before.iter().zip(&after) {
        for ((col, x), y) in columns.iter().zip(b).zip(a) {
            assert_eq!(x, y, "column {col} of variant {} keeps its value", b[13]);
        }
    }
}

#[test]
fn the_export_is_utf8_comma_separated_with_shopifys_header() {
    let (_dir, store) = empty_store();
    import(&store, SHOPIFY, Mode::AllOrNothing, now());
    let exported = csv::export(&store, Format::Shopify).unwrap();
    let text = String::from_utf8(exported).expect("the export is UTF-8");
    assert!(
        text.starts_with("Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,"),
        "Shopify's own column names and order: {}",
        &text[..120]
    );
    assert!(text.contains(",9.50,"), "prices are written with a dot");
    assert!(
        !text.starts_with('\u{feff}'),
        "no BOM: Shopify reads plain UTF-8"
    );
}

#[test]
fn dutch_excel_semicolons_decimal_commas_and_windows_1252_import_correctly() {
    let (_dir, store) = empty_store();
    let report = import(&store, DUTCH_EXCEL, Mode::AllOrNothing, now());
    assert!(
        report.problems.is_empty(),
        "Excel's file is clean: {:?}",
        report.problems
    );
    assert_eq!(report.created, 2, "two products");

    let title = |handle: &str| {
        text(
            &store,
            "SELECT title_nl FROM products WHERE handle = ?1",
            handle,
        )
    };
    assert_eq!(
        title("cafe-creme").as_deref(),
        Some("Café Crème"),
        "é and è from Windows-1252"
    );
    assert_eq!(
        title("ethiopie").as_deref(),
        Some("Ethiopië Sidamo"),
        "ë from Windows-1252"
    );
    let body = text(
        &store,
        "SELECT description_nl FROM products WHERE handle = ?1",
        "cafe-creme",
    );
    assert_eq!(
        body.as_deref(),
        Some("<p>Romig; met een zweem van crème brûlée.</p>"),
        "a quoted semicolon stays in its cell"
    );

    let variant = |sku: &str, column: &str| {
        text(
            &store,
            &format!("SELECT {column} FROM variants WHERE sku = ?1"),
            sku,
        )
    };
    assert_eq!(
        variant("CC-250", "price").as_deref(),
        Some("9.50"),
        "9,50 is 9.50"
    );
    assert_eq!(
        variant("CC-250", "compare_at_price").as_deref(),
        Some("10.95"),
        "10,95"
    );
    assert_eq!(
        variant("CC-1000", "cost").as_deref(),
        Some("15.75"),
        "cost 15,75"
    );
    assert_eq!(
        variant("ETH-S", "price").as_deref(),
        Some("1234.50"),
        "1.234,50 is Dutch thousands"
    );
    assert_eq!(
        variant("ETH-S", "vat_rate").as_deref(),
        Some("zero"),
        "ONWAAR taxable is 0 % VAT"
    );
    assert_eq!(
        variant("CC-250", "vat_rate").as_deref(),
        Some("standard"),
        "WAAR taxable is 21 %"
    );
    assert_eq!(
        variant("ETH-S", "gtin").as_deref(),
        Some("036000291452"),
        "the leading zero Excel dropped from the barcode is restored"
    );
    assert_eq!(
        count(
            &store,
            "SELECT weight_grams FROM variants WHERE sku = 'CC-1000'"
        ),
        1000,
        "grams"
    );
    assert_eq!(
        count(&store, "SELECT quantity FROM stock s JOIN variants v ON v.id = s.variant_id WHERE v.sku = 'CC-250'"),
        7,
        "stock lands at the import location"
    );
    assert_eq!(
        text(
            &store,
            "SELECT status FROM products WHERE handle = ?1",
            "ethiopie"
        )
        .as_deref(),
        Some("draft"),
        "status column"
    );
    assert_eq!(
        text(
            &store,
            "SELECT tags FROM products WHERE handle = ?1",
            "cafe-creme"
        )
        .as_deref(),
        Some(r#"["bonen","crème"]"#),
        "tags split on commas"
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM categories"),
        2,
        "Koffie > Bonen is two categories, shared by both products"
    );
}

#[test]
fn bad_rows_commit_nothing_in_all_or_nothing_mode_and_each_is_reported_with_row_and_column() {
    let (_dir, store) = empty_store();
    let report = import(&store, BAD_ROWS, Mode::AllOrNothing, now());
    assert!(
        !report.committed,
        "a file with problems is not saved in all-or-nothing mode"
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM products"),
        0,
        "nothing was written"
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM audit_log"),
        0,
        "not even an audit row"
    );
    assert_eq!(
        report.created, 0,
        "the report does not claim products it did not create"
    );

    let errors: Vec<(u32, &str, &str)> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.row, p.column.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (3, "Variant Barcode", "4006381333932"),
            (5, "Variant Price", "twaalf"),
            (6, "Variant SKU", "G-1"),
            (7, "Handle", ""),
        ],
        "each bad row is reported once, with the row the spreadsheet shows and its column"
    );
    let message = |row: u32| {
        report
            .problems
            .iter()
            .find(|p| p.row == row)
            .map(|p| p.message.clone())
            .unwrap()
    };
    assert!(
        message(3).contains("check digit"),
        "the EAN message names the check digit"
    );
    assert!(
        message(5).contains("12.50"),
        "the price message shows how to write an amount"
    );
    assert!(
        message(6).contains("row 2"),
        "the duplicate SKU message points at the first use"
    );
    assert!(
        message(7).contains("handle"),
        "the missing handle message says what to fill in"
    );
    assert!(
        matches!(
            report.problems.iter().find(|p| p.row == 6).unwrap().kind,
            ProblemKind::DuplicateSku { first_row: 2 }
        ),
        "the problem kind carries the facts for a translation"
    );
}

#[test]
fn valid_rows_only_imports_the_good_products_and_never_half_a_product() {
    let (_dir, store) = empty_store();
    let report = import(&store, BAD_ROWS, Mode::ValidRowsOnly, now());
    assert!(report.committed, "the valid products are saved");
    assert_eq!(report.created, 2, "goed-een and goed-twee");
    assert_eq!(report.skipped_rows, 5, "rows 3 to 7 are left out");
    let handles: Vec<String> = store
        .read(|tx| {
            let mut s = tx.prepare("SELECT handle FROM products ORDER BY handle")?;
            let rows = s
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .unwrap();
    assert_eq!(
        handles,
        ["goed-een", "goed-twee"],
        "only whole, valid products"
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM variants WHERE sku = 'P-S'"),
        0,
        "the good variant of a product with a bad row is not imported alone"
    );
    let notice = report.problems.iter().find(|p| p.row == 4).unwrap();
    assert_eq!(
        notice.severity,
        Severity::Notice,
        "the good row of a skipped product is explained"
    );
    assert!(
        notice.message.contains("row 5"),
        "and points at the bad row: {}",
        notice.message
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(DISTINCT batch_id) FROM audit_log WHERE source = 'import'"
        ),
        1,
        "one batch id for the whole import"
    );
}

#[test]
fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let (_dir, store) = empty_store();
    let first = import(&store, SHOPIFY, Mode::AllOrNothing, now());
    assert_eq!(first.created, 3);
    let audit_before = count(&store, "SELECT count(*) FROM audit_log");
    let counters_before = count(
        &store,
        "SELECT (SELECT sum(change_counter) FROM products) + (SELECT sum(change_counter) FROM variants)",
    );

    let second = import(&store, SHOPIFY, Mode::AllOrNothing, later());
    assert_eq!(second.created, 0, "re-import creates no duplicates");
    assert_eq!(
        second.updated, 0,
        "re-import of the same file updates nothing"
    );
    assert_eq!(
        second.unchanged, 3,
        "every product is recognised as unchanged"
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM products"),
        3,
        "still three products"
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM audit_log"),
        audit_before,
        "no new audit rows"
    );
    assert_eq!(
        count(
            &store,
            "SELECT (SELECT sum(change_counter) FROM products) + (SELECT sum(change_counter) FROM variants)"
        ),
        counters_before,
        "no change counter was bumped"
    );

    let exported = csv::export(&store, Format::Shopify).unwrap();
    let third = import(&store, &exported, Mode::AllOrNothing, later());
    assert_eq!(
        (third.created, third.updated),
        (0, 0),
        "Kanaal's own export re-imports as unchanged"
    );
}

#[test]
fn a_changed_price_on_reimport_updates_one_field_with_one_audit_row_and_a_counter_bump() {
    let (_dir, store) = empty_store();
    import(&store, SHOPIFY, Mode::AllOrNothing, now());
    let changed = String::from_utf8(SHOPIFY.to_vec()).unwrap().replace(
        "ETH-250-F,250,shopify,3,deny,manual,9.50",
        "ETH-250-F,250,shopify,3,deny,manual,9.95",
    );
    assert_ne!(changed.as_bytes(), SHOPIFY, "the test edits the file");
    let counter = || {
        count(
            &store,
            "SELECT change_counter FROM variants WHERE sku = 'ETH-250-F'",
        )
    };
    let before = counter();

    let report = import(&store, changed.as_bytes(), Mode::AllOrNothing, later());
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 1, 2),
        "one product changed"
    );
    assert_eq!(
        counter(),
        before + 1,
        "the update bumps the variant's change counter once"
    );
    let audit: Vec<AuditRow> = store
        .read(|tx| {
            let mut s = tx.prepare(
                "SELECT entity, field, old_value, new_value, batch_id FROM audit_log
                  WHERE at = '2026-11-24T09:00:00.000Z'",
            )?;
            let rows = s
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .unwrap();
    assert_eq!(audit.len(), 1, "one audit row per changed field: {audit:?}");
    let (entity, field, old, new, batch) = &audit[0];
    assert_eq!(
        (entity.as_str(), field.as_str()),
        ("variant", "price"),
        "the price changed"
    );
    assert_eq!(
        (old.as_deref(), new.as_deref()),
        (Some("9.50"), Some("9.95")),
        "old and new"
    );
    assert_eq!(
        batch.as_deref(),
        report.batch_id.as_deref(),
        "under the import's batch id"
    );
    assert_eq!(
        text(
            &store,
            "SELECT source FROM audit_log WHERE field = ?1",
            "price"
        )
        .as_deref(),
        Some("import"),
        "source is import"
    );
}

#[test]
fn columns_missing_from_the_file_keep_what_the_catalog_has() {
    let (_dir, store) = empty_store();
    import(&store, SHOPIFY, Mode::AllOrNothing, now());
    let small = "Handle,Title,Variant SKU,Variant Price,Option1 Name,Option1 Value\n\
                 cadeaubon,Cadeaubon €25,BON-25,25.00,Title,Default Title\n";
    let report = import(&store, small.as_bytes(), Mode::AllOrNothing, later());
    assert_eq!(report.problems, [], "a file with few columns is fine");
    assert_eq!(report.unchanged, 1, "nothing it gives differs");
    assert_eq!(
        text(
            &store,
            "SELECT vat_rate FROM variants WHERE sku = ?1",
            "BON-25"
        )
        .as_deref(),
        Some("zero"),
        "VAT is kept when the Variant Taxable column is absent"
    );
    assert_eq!(
        text(
            &store,
            "SELECT brand FROM products WHERE handle = ?1",
            "cadeaubon"
        )
        .as_deref(),
        Some("Brandpunt"),
        "the brand is kept when the Vendor column is absent"
    );
}

#[test]
fn a_dry_run_reports_what_would_happen_and_writes_nothing() {
    let (_dir, store) = empty_store();
    let report = csv::import(
        &store,
        SHOPIFY,
        Format::Auto,
        Mode::AllOrNothing,
        true,
        now(),
        Source::Import,
    )
    .unwrap();
    assert_eq!(report.created, 3, "the dry run counts what it would create");
    assert!(
        report.dry_run && !report.committed,
        "and says it saved nothing"
    );
    assert_eq!(report.batch_id, None, "no batch id for unsaved changes");
    assert_eq!(
        count(&store, "SELECT count(*) FROM products"),
        0,
        "nothing was written"
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM categories"),
        0,
        "not even categories"
    );
}

#[test]
fn a_sku_that_belongs_to_another_product_in_the_catalog_is_reported_not_moved() {
    let (_dir, store) = empty_store();
    import(&store, SHOPIFY, Mode::AllOrNothing, now());
    let other = "Handle,Title,Variant SKU,Variant Price,Option1 Name,Option1 Value\n\
                 nieuw,Nieuw product,MOKA-3,5.00,Title,Default Title\n";
    let report = import(&store, other.as_bytes(), Mode::AllOrNothing, later());
    let p = &report.problems[0];
    assert_eq!(
        (p.row, p.column.as_str()),
        (2, "Variant SKU"),
        "row and column of the SKU"
    );
    assert!(
        p.message.contains("moka-pot"),
        "names the product that has it: {}",
        p.message
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM products"),
        3,
        "nothing created"
    );
}

#[test]
fn a_file_that_is_no_product_export_is_refused_with_what_to_do() {
    let (_dir, store) = empty_store();
    let err = csv::import(
        &store,
        b"Naam;Prijs\nKoffie;9,50\n",
        Format::Auto,
        Mode::AllOrNothing,
        false,
        now(),
        Source::Import,
    )
    .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Input(kanaal_core::problem::InputProblem::NotAProductExport)
        ) && err.to_string().contains("Variant SKU"),
        "the message names the columns expected: {err}"
    );
}

#[test]
fn a_shopify_file_missing_a_needed_column_reports_it_on_the_header_row() {
    let plan = csv::parse(b"Handle,Title,Variant SKU\nx,X,X-1\n", Format::Shopify).unwrap();
    let p = &plan.problems[0];
    assert_eq!(
        (p.row, p.column.as_str()),
        (1, "Variant Price"),
        "the header is row 1"
    );
    assert!(
        plan.products.is_empty(),
        "nothing is planned from a file without prices"
    );
}

#[test]
fn shopifys_2024_column_names_are_read_too() {
    let file = "Title,URL handle,Description,Vendor,Type,Tags,Published on online store,Status,SKU,Barcode,\
                Option1 name,Option1 value,Price,Compare-at price,Cost per item,Charge tax,Inventory quantity,\
                Weight value (grams),Product image URL\n\
                Mok,mok,Een mok,Brandpunt,Servies,\"mok, wit\",TRUE,active,MOK-1,,Title,Default Title,\
                12.50,,3.00,TRUE,4,350,https://cdn.example/mok.jpg\n";
    let plan = csv::parse(file.as_bytes(), Format::Auto).unwrap();
    assert_eq!(plan.format, Format::Shopify, "recognised as Shopify");
    assert_eq!(plan.problems, [], "no problems");
    let p = &plan.products[0];
    assert_eq!(
        (p.handle.as_str(), p.title.as_str()),
        ("mok", "Mok"),
        "handle and title"
    );
    let v = &p.variants[0];
    assert_eq!(v.sku, "MOK-1", "SKU column");
    assert_eq!(v.stock, Some(4), "Inventory quantity column");
    assert_eq!(
        v.weight_grams,
        csv::Update::Set(Some(350)),
        "Weight value (grams) column"
    );
    assert_eq!(
        p.pictures
            .iter()
            .map(|p| p.url.as_str())
            .collect::<Vec<_>>(),
        ["https://cdn.example/mok.jpg"],
        "image address kept for the caller"
    );
}

#[test]
fn the_demo_shop_exported_to_either_platform_imports_back_unchanged() {
    use kanaal_core::clock::FixedClock;
    use kanaal_core::demo;
    use kanaal_core::progress::{CancelToken, NoProgress};

    let (_dir, store) = empty_store();
    let clock = FixedClock::at(now());
    demo::load(
        &store,
        &clock,
        demo::DEFAULT_SEED,
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    let products = count(&store, "SELECT count(*) FROM products") as u32;
    let audit = count(&store, "SELECT count(*) FROM audit_log");
    for format in [Format::Shopify, Format::WooCommerce] {
        let exported = csv::export(&store, format).unwrap();
        let report = csv::import(
            &store,
            &exported,
            format,
            Mode::AllOrNothing,
            false,
            later(),
            Source::Import,
        )
        .unwrap();
        assert_eq!(report.problems, [], "{format:?}: the demo exports cleanly");
        assert_eq!(
            (report.created, report.updated, report.unchanged),
            (0, 0, products),
            "{format:?}: a real catalog (two languages, 9 % VAT, several stock locations) \
             re-imports from its own export without a change"
        );
    }
    assert_eq!(
        count(&store, "SELECT count(*) FROM audit_log"),
        audit,
        "no audit rows"
    );
}

#[test]
fn a_new_variant_in_a_reimported_file_is_added_to_its_product() {
    let (_dir, store) = empty_store();
    import(&store, SHOPIFY, Mode::AllOrNothing, now());
    let mut file = String::from_utf8(SHOPIFY.to_vec()).unwrap();
    file.push_str(
        "moka-pot,,,,,,,,,9 kops,,,,,MOKA-9,1500,,,deny,manual,54.95,,TRUE,TRUE,,,,,,,,,,kg,,,\n",
    );
    let report = import(&store, file.as_bytes(), Mode::AllOrNothing, later());
    assert_eq!(report.problems, [], "the extra row is valid");
    assert_eq!(
        (report.created, report.updated),
        (0, 1),
        "the product is updated, not created"
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM variants v JOIN products p ON p.id = v.product_id
              WHERE p.handle = 'moka-pot'"
        ),
        3,
        "the moka pot now has three sizes"
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM audit_log WHERE entity = 'variant' AND field = 'created'
              AND new_value = 'MOKA-9' AND batch_id IS NOT NULL"
        ),
        1,
        "the new variant's creation is audited under the import's batch"
    );
}

/// A product the database refuses although the file's checks let it through (here a rule on
/// one SKU, as a value taken meanwhile by another program would be) is reported on its row,
/// typed so the window can say why in the merchant's language, and the others are written.
#[test]
fn a_product_the_database_refuses_is_reported_typed_and_the_others_are_written() {
    let (_dir, store) = empty_store();
    store
        .write(|tx| {
            tx.execute_batch(
                "CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.variants
                 WHEN new.sku = 'MOK-1' BEGIN SELECT RAISE(ABORT, 'taken'); END",
            )?;
            Ok(())
        })
        .unwrap();
    let report = import(
        &store,
        b"Handle,Title,Variant SKU,Variant Price\nkan,Kan,KAN-1,20.00\nmok,Mok,MOK-1,12.50\n",
        Mode::ValidRowsOnly,
        now(),
    );
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.created, 1, "the jug is written");
    let refused: Vec<_> = report
        .problems
        .iter()
        .filter(|p| matches!(p.kind, ProblemKind::Refused { .. }))
        .collect();
    assert_eq!(refused.len(), 1, "{:?}", report.problems);
    assert_eq!((refused[0].row, refused[0].value.as_str()), (3, "mok"));
    assert_eq!(
        refused[0].kind,
        ProblemKind::Refused {
            detail: "mok › variant 1 › SKU/EAN: SKU 'MOK-1' or its EAN is already used by \
                     another variant; each must be unique"
                .to_string(),
            problem: Some(kanaal_core::problem::InputProblem::SkuOrEanInUse {
                handle: "mok".to_string(),
                variant: 1,
                sku: "MOK-1".to_string(),
            }),
        }
    );
    assert_eq!(count(&store, "SELECT count(*) FROM products"), 1);
}
