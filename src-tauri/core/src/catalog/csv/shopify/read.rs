//! Reading a Shopify product CSV into a plan.

use super::{
    BARCODE, BODY, COLUMNS, COMPARE_AT, COST, DEFAULT_OPTION, GRAMS, HANDLE, IMAGE_ALT,
    IMAGE_POSITION, IMAGE_SRC, OPTION_NAMES, OPTION_VALUES, PRICE, PUBLISHED, QTY, SKU, STATUS,
    TAGS, TAXABLE, TITLE, TYPE, VARIANT_IMAGE, VENDOR,
};
use crate::catalog::csv::columns::Columns;
use crate::catalog::csv::decode::{Line, Sheet};
use crate::catalog::csv::fields;
use crate::catalog::csv::plan::{
    KeyColumns, Plan, PlannedPicture, PlannedProduct, PlannedVariant, Update, VatUpdate,
};
use crate::catalog::csv::problems::{ProblemKind, RowProblem};
use crate::catalog::csv::Format;
use crate::catalog::ProductStatus;
use crate::vat::VatRate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Reads a Shopify product CSV into a plan. Nothing is written.
pub(crate) fn read(table: &Sheet<'_>) -> Plan {
    let cols = Columns::find(table.headers, COLUMNS);
    let mut plan = Plan {
        format: Format::Shopify,
        data_rows: u32::try_from(table.rows.len()).unwrap_or(u32::MAX),
        products: Vec::new(),
        problems: Vec::new(),
        columns: KeyColumns {
            handle: cols.name(HANDLE),
            sku: cols.name(SKU),
            gtin: cols.name(BARCODE),
            option_names: cols.name("Option1 Value"),
        },
    };
    if cols.report_missing(&[HANDLE, TITLE, SKU, PRICE], "Shopify", &mut plan.problems) {
        return plan;
    }

    for group in group_rows(table, &cols, &mut plan.problems) {
        if let Some(p) = read_product(&group, &cols, &mut plan.problems) {
            plan.products.push(p);
        }
    }
    plan.drop_products_with_problems();
    plan.check_duplicates();
    plan
}

/// Splits rows into products: a row with a new handle starts one; rows repeating the handle
/// belong to it, even when other products come between (Shopify groups by handle). A second
/// row with a title for a handle already seen starts a duplicate, which is a problem.
fn group_rows<'t>(
    table: &'t Sheet<'t>,
    cols: &Columns,
    problems: &mut Vec<RowProblem>,
) -> Vec<Vec<&'t Line<'t>>> {
    let mut groups: Vec<Vec<&Line<'_>>> = Vec::new();
    let mut by_handle: HashMap<&str, usize> = HashMap::new();
    for row in &table.rows {
        let handle = cols.get(row, HANDLE);
        if handle.is_empty() {
            problems.push(RowProblem::new(
                row.number,
                &cols.name(HANDLE),
                "",
                ProblemKind::MissingHandle,
            ));
            continue;
        }
        match by_handle.get(handle) {
            Some(&g) if cols.get(row, TITLE).is_empty() => {
                if let Some(group) = groups.get_mut(g) {
                    group.push(row);
                }
            }
            Some(&g) => {
                let first_row = groups
                    .get(g)
                    .and_then(|group| group.first())
                    .map_or(0, |r| r.number);
                problems.push(RowProblem::new(
                    row.number,
                    &cols.name(HANDLE),
                    handle,
                    ProblemKind::DuplicateHandle { first_row },
                ));
            }
            None => {
                by_handle.insert(handle, groups.len());
                groups.push(vec![row]);
            }
        }
    }
    groups
}

/// Collects problems for one cell at a time.
struct Cells<'a> {
    cols: &'a Columns,
    problems: &'a mut Vec<RowProblem>,
}

impl Cells<'_> {
    fn read<T>(
        &mut self,
        row: &Line<'_>,
        key: &str,
        parse: impl FnOnce(&str) -> std::result::Result<T, ProblemKind>,
    ) -> Option<T> {
        let cell = self.cols.get(row, key);
        match parse(cell) {
            Ok(v) => Some(v),
            Err(kind) => {
                self.problems.push(RowProblem::new(
                    row.number,
                    &self.cols.name(key),
                    cell,
                    kind,
                ));
                None
            }
        }
    }

    fn problem(&mut self, row: &Line<'_>, key: &str, kind: ProblemKind) {
        let cell = self.cols.get(row, key);
        self.problems.push(RowProblem::new(
            row.number,
            &self.cols.name(key),
            cell,
            kind,
        ));
    }
}

fn read_product(
    rows: &[&Line<'_>],
    cols: &Columns,
    problems: &mut Vec<RowProblem>,
) -> Option<PlannedProduct> {
    let first = *rows.first()?;
    let mut cells = Cells { cols, problems };
    let title = cols.get(first, TITLE).to_string();
    if title.is_empty() {
        cells.problem(first, TITLE, ProblemKind::MissingTitle);
    }

    let mut options: Vec<String> = OPTION_NAMES
        .iter()
        .map(|k| cols.get(first, k).to_string())
        .collect();
    while options.last().is_some_and(String::is_empty) {
        options.pop();
    }
    let is_default_option = options.len() == 1
        && options[0].eq_ignore_ascii_case(DEFAULT_OPTION.0)
        && cols
            .get(first, OPTION_VALUES[0])
            .eq_ignore_ascii_case(DEFAULT_OPTION.1);
    if is_default_option {
        options.clear();
    }

    let status = match cols.get_if_present(first, STATUS) {
        Some(s) if !s.is_empty() => cells.read(first, STATUS, parse_status).map(Update::Set),
        _ => cells
            .read(first, PUBLISHED, fields::yes_no)
            .map(|published| match published {
                Some(true) => Update::Set(ProductStatus::Active),
                Some(false) => Update::Set(ProductStatus::Draft),
                None => Update::Keep,
            }),
    }
    .unwrap_or(Update::Keep);

    let mut variants = Vec::new();
    for row in rows {
        let is_variant_row = !cols.get(row, SKU).is_empty()
            || !cols.get(row, PRICE).is_empty()
            || OPTION_VALUES.iter().any(|k| !cols.get(row, k).is_empty());
        if is_variant_row {
            variants.push(read_variant(row, &options, &mut cells));
        }
    }
    if variants.is_empty() {
        cells.problem(first, PRICE, ProblemKind::NoVariants);
    }

    Some(PlannedProduct {
        rows: rows.iter().map(|r| r.number).collect(),
        handle: cols.get(first, HANDLE).to_string(),
        matched_by_handle: true,
        title,
        description: Update::when(cols.has(BODY), || cols.get(first, BODY).to_string()),
        brand: Update::when(cols.has(VENDOR), || cols.get(first, VENDOR).to_string()),
        category: Update::when(cols.has(TYPE), || {
            fields::category_path(cols.get(first, TYPE))
        }),
        status,
        tags: Update::when(cols.has(TAGS), || fields::comma_list(cols.get(first, TAGS))),
        options,
        variants: variants.into_iter().flatten().collect(),
        pictures: pictures(rows, cols),
    })
}

/// The product's pictures: `Image Src` in `Image Position` order (rows without a position
/// after those with one, in file order), then `Variant Image` addresses not already named.
fn pictures(rows: &[&Line<'_>], cols: &Columns) -> Vec<PlannedPicture> {
    let mut listed: Vec<(u32, PlannedPicture)> = Vec::new();
    for row in rows {
        let url = cols.get(row, IMAGE_SRC);
        if url.is_empty() || listed.iter().any(|(_, p)| p.url == url) {
            continue;
        }
        let position = cols.get(row, IMAGE_POSITION).parse().unwrap_or(u32::MAX);
        listed.push((
            position,
            PlannedPicture {
                url: url.to_string(),
                alt: cols.get(row, IMAGE_ALT).to_string(),
                row: row.number,
                column: cols.name(IMAGE_SRC),
            },
        ));
    }
    listed.sort_by_key(|(position, _)| *position);
    let mut out: Vec<PlannedPicture> = listed.into_iter().map(|(_, p)| p).collect();
    for row in rows {
        let url = cols.get(row, VARIANT_IMAGE);
        if !url.is_empty() && !out.iter().any(|p| p.url == url) {
            out.push(PlannedPicture {
                url: url.to_string(),
                alt: String::new(),
                row: row.number,
                column: cols.name(VARIANT_IMAGE),
            });
        }
    }
    out
}

fn read_variant(
    row: &Line<'_>,
    options: &[String],
    cells: &mut Cells<'_>,
) -> Option<PlannedVariant> {
    let cols = cells.cols;
    let mut ok = true;
    let mut values = Vec::new();
    for (name, key) in options.iter().zip(OPTION_VALUES) {
        let value = cols.get(row, key);
        if value.is_empty() {
            cells.problem(
                row,
                key,
                ProblemKind::MissingOptionValue {
                    option: name.clone(),
                },
            );
            ok = false;
        }
        values.push(value.to_string());
    }
    let sku = cols.get(row, SKU);
    if sku.is_empty() {
        cells.problem(row, SKU, ProblemKind::MissingSku);
        ok = false;
    }
    let price = match cells.read(row, PRICE, fields::amount) {
        Some(Some(p)) => Some(p),
        Some(None) => {
            cells.problem(row, PRICE, ProblemKind::MissingPrice);
            None
        }
        None => None,
    };
    let compare_at = read_update(cells, row, COMPARE_AT, fields::amount);
    let cost = read_update(cells, row, COST, fields::amount);
    let gtin = read_update(cells, row, BARCODE, fields::barcode);
    // Shopify writes 0 grams for "no weight given".
    let weight = read_update(cells, row, GRAMS, |c| {
        fields::grams(c, Decimal::ONE).map(|g| g.filter(|g| *g != 0))
    });
    let stock = cells.read(row, QTY, fields::whole);
    let vat = match cells.read(row, TAXABLE, fields::yes_no) {
        Some(Some(false)) => Some(VatUpdate::Set(VatRate::Zero)),
        Some(Some(true)) => Some(VatUpdate::Taxed),
        Some(None) => Some(VatUpdate::Keep),
        None => None,
    };
    if !ok {
        return None;
    }
    Some(PlannedVariant {
        row: row.number,
        sku: sku.to_string(),
        options: values,
        price: price?,
        compare_at: compare_at?,
        cost: cost?,
        gtin: gtin?,
        vat: vat?,
        weight_grams: weight?,
        stock: stock?,
    })
}

/// `Keep` when the file has no such column, else the parsed cell (`None` after a problem).
fn read_update<T>(
    cells: &mut Cells<'_>,
    row: &Line<'_>,
    key: &str,
    parse: impl FnOnce(&str) -> std::result::Result<T, ProblemKind>,
) -> Option<Update<T>> {
    if cells.cols.has(key) {
        cells.read(row, key, parse).map(Update::Set)
    } else {
        Some(Update::Keep)
    }
}

fn parse_status(cell: &str) -> std::result::Result<ProductStatus, ProblemKind> {
    match cell.to_ascii_lowercase().as_str() {
        "active" | "actief" => Ok(ProductStatus::Active),
        "draft" | "concept" => Ok(ProductStatus::Draft),
        "archived" | "gearchiveerd" => Ok(ProductStatus::Archived),
        _ => Err(ProblemKind::BadStatus),
    }
}
