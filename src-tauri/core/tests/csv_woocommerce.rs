//! Importing and exporting WooCommerce product CSVs.
//!
//! `fixtures/csv/woocommerce_sample_products.csv` is an excerpt of WooCommerce's own
//! `sample-data/sample_products.csv` (repository woocommerce/woocommerce): its header verbatim,
//! and its rows for both variable products with all their variations (one variation after the
//! grouped and external products, as in the original), four simple products (one downloadable
//! and virtual, one on sale), the grouped and the external product. Only the long lorem-ipsum
//! descriptions are shortened.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use kanaal_core::catalog::csv::{self, Format, ImportReport, Mode, Severity};
use kanaal_core::catalog::Source;
use kanaal_core::store::Store;

const WOO_SAMPLE: &[u8] = include_bytes!("fixtures/csv/woocommerce_sample_products.csv");

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn empty_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn import(store: &Store, bytes: &[u8], mode: Mode) -> ImportReport {
    csv::import(
        store,
        bytes,
        Format::Auto,
        mode,
        false,
        now(),
        Source::Import,
    )
    .unwrap()
}

fn strings(store: &Store, sql: &str, key: &str) -> Vec<String> {
    store
        .read(|tx| {
            let mut s = tx.prepare(sql)?;
            let rows = s
                .query_map([key], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .unwrap()
}

fn one(store: &Store, sql: &str, key: &str) -> String {
    strings(store, sql, key).pop().unwrap_or_default()
}

#[test]
fn the_woocommerce_sample_lands_variable_products_as_one_product_with_variants() {
    let (_dir, store) = empty_store();
    let report = import(&store, WOO_SAMPLE, Mode::AllOrNothing);
    assert_eq!(
        report.format,
        Format::WooCommerce,
        "recognised from its header"
    );
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.severity == Severity::Notice),
        "the sample has no errors: {:?}",
        report.problems
    );
    assert!(
        report.committed,
        "notices do not stop an all-or-nothing import"
    );
    assert_eq!(
        report.created, 6,
        "2 variable + 4 simple products; variations are not products"
    );

    let hoodie = strings(
        &store,
        "SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id
          WHERE p.handle = ?1 ORDER BY v.position",
        "woo-hoodie",
    );
    assert_eq!(
        hoodie,
        [
            "woo-hoodie-red",
            "woo-hoodie-green",
            "woo-hoodie-blue",
            "woo-hoodie-blue-logo"
        ],
        "the hoodie's four variations are its variants, including the one further down the file"
    );
    assert_eq!(
        strings(
            &store,
            "SELECT o.name_nl FROM product_options o JOIN products p ON p.id = o.product_id
              WHERE p.handle = ?1 ORDER BY o.position",
            "woo-hoodie"
        ),
        ["Color", "Logo"],
        "the parent's attributes are the options"
    );
    assert_eq!(
        one(
            &store,
            "SELECT options FROM variants WHERE sku = ?1",
            "woo-hoodie-blue-logo"
        ),
        r#"["Blue","Yes"]"#,
        "each variation's attribute values are its option values"
    );
    assert_eq!(
        strings(
            &store,
            "SELECT o.name_nl FROM product_options o JOIN products p ON p.id = o.product_id
              WHERE p.handle = ?1",
            "woo-vneck-tee"
        ),
        ["Color"],
        "Size, which no variation sets (\"any size\"), is not an option"
    );
    assert_eq!(
        one(
            &store,
            "SELECT price FROM variants WHERE sku = ?1",
            "woo-hoodie-red"
        ),
        "42",
        "the sale price is the price"
    );
    assert_eq!(
        one(
            &store,
            "SELECT compare_at_price FROM variants WHERE sku = ?1",
            "woo-hoodie-red"
        ),
        "45",
        "the regular price is the compare-at price during a sale"
    );
    let grams: i64 = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT weight_grams FROM variants WHERE sku = 'woo-vneck-tee-blue'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(
        grams, 227,
        "a variation without weight takes its parent's 0.5 lbs, in grams"
    );
    assert_eq!(
        one(
            &store,
            "SELECT c.name_nl FROM categories c JOIN products p ON p.category_id = c.id WHERE p.handle = ?1",
            "woo-belt"
        ),
        "Accessories",
        "Clothing > Accessories lands under Clothing"
    );
    assert_eq!(
        strings(
            &store,
            "SELECT handle FROM products WHERE handle = ?1",
            "woo-belt"
        )
        .len(),
        1,
        "a simple product is a product with one variant, known by its SKU"
    );
}

#[test]
fn grouped_and_external_products_are_left_out_with_a_notice_naming_the_row() {
    let plan = csv::parse(WOO_SAMPLE, Format::Auto).unwrap();
    let notices: Vec<(u32, &str, &str)> = plan
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        notices,
        [(14, "Type", "grouped"), (15, "Type", "external")],
        "each left-out row is named with its row and column"
    );
    assert_eq!(plan.skipped_rows(), 2, "and counted as skipped");
}

#[test]
fn the_woocommerce_export_imports_back_unchanged() {
    let (_dir, store) = empty_store();
    import(&store, WOO_SAMPLE, Mode::AllOrNothing);
    let exported = csv::export(&store, Format::WooCommerce).unwrap();
    let text = String::from_utf8(exported.clone()).unwrap();
    assert!(
        text.starts_with("ID,Type,SKU,\"GTIN, UPC, EAN, or ISBN\",Name,Published,Is featured?,"),
        "WooCommerce's column names: {}",
        &text[..100]
    );
    assert!(
        text.contains("\nvariation,") || text.contains(",variation,"),
        "variations are rows"
    );
    assert!(text.contains(",0.227,"), "weight in kilograms with a dot");

    let again = import(&store, &exported, Mode::AllOrNothing);
    assert_eq!(
        again.problems,
        [],
        "Kanaal's export reads back without problems"
    );
    assert_eq!(
        (again.created, again.updated),
        (0, 0),
        "and changes nothing"
    );
    assert_eq!(again.unchanged, 6, "every product is recognised");
}

#[test]
fn variations_may_name_their_parent_by_id_and_use_decimal_commas() {
    let file = "ID;Type;SKU;Name;Published;Tax status;Tax class;Stock;Weight (kg);Sale price;Regular price;\
                Categories;Parent;Attribute 1 name;Attribute 1 value(s);Attribute 1 visible;Attribute 1 global\n\
                10;variable;;Koffie Brazilië;1;taxable;reduced-rate;;0,25;;;Koffie;;Maling;Bonen, Filter;1;0\n\
                11;variation;BR-B;Koffie Brazilië - Bonen;1;taxable;parent;5;;;8,95;;id:10;Maling;Bonen;;0\n\
                12;variation;BR-F;Koffie Brazilië - Filter;1;taxable;parent;;;;8,95;;id:10;Maling;Filter;;0\n";
    let (_dir, store) = empty_store();
    let report = import(&store, file.as_bytes(), Mode::AllOrNothing);
    assert_eq!(report.problems, [], "no problems");
    assert_eq!(report.created, 1, "one product");
    assert_eq!(
        one(
            &store,
            "SELECT handle FROM products WHERE title_nl = ?1",
            "Koffie Brazilië"
        ),
        "koffie-brazilie",
        "a parent without SKU is known by its name's slug"
    );
    assert_eq!(
        one(&store, "SELECT price FROM variants WHERE sku = ?1", "BR-F"),
        "8.95",
        "8,95 read with its decimal comma"
    );
    assert_eq!(
        one(
            &store,
            "SELECT vat_rate FROM variants WHERE sku = ?1",
            "BR-B"
        ),
        "reduced",
        "tax class `parent` is the parent's reduced rate: 9 %"
    );
}

#[test]
fn an_unknown_parent_is_a_problem_on_the_variation_row() {
    let file = "Type,SKU,Name,Regular price,Parent,Attribute 1 name,Attribute 1 value(s)\n\
                variation,X-1,X - Red,5,id:99,Color,Red\n";
    let plan = csv::parse(file.as_bytes(), Format::WooCommerce).unwrap();
    let p = &plan.problems[0];
    assert_eq!(
        (p.row, p.column.as_str(), p.value.as_str()),
        (2, "Parent", "id:99"),
        "row, column, value"
    );
    assert_eq!(
        p.severity,
        Severity::Error,
        "an orphan variation is an error"
    );
}
