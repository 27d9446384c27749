//! Reading a WooCommerce product CSV into a plan.

use super::{
    attribute_columns, weight_column, BRANDS, CATEGORIES, COLUMNS, COST, DESCRIPTION, GTIN, ID,
    IMAGES, NAME, PARENT, PUBLISHED, REGULAR_PRICE, SALE_PRICE, SKU, STOCK, TAGS, TAX_CLASS,
    TAX_STATUS, TYPE,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Simple,
    Variable,
    Variation,
    Unsupported,
    Unknown,
}

fn kind_of(cell: &str) -> Kind {
    let types = fields::comma_list(&cell.to_ascii_lowercase());
    let has = |t: &str| types.iter().any(|x| x == t);
    if has("variation") {
        Kind::Variation
    } else if has("variable") {
        Kind::Variable
    } else if has("simple") {
        Kind::Simple
    } else if has("grouped") || has("external") {
        Kind::Unsupported
    } else {
        Kind::Unknown
    }
}

/// One file's columns, with the dynamic ones found.
struct File<'t> {
    cols: Columns,
    attributes: Vec<(usize, usize)>,
    weight: Option<(usize, Decimal)>,
    headers: &'t [String],
}

impl File<'_> {
    fn cell<'r>(&self, row: &'r Line<'_>, index: usize) -> &'r str {
        row.cell(index).map_or("", str::trim)
    }

    fn header(&self, index: usize) -> String {
        self.headers.get(index).cloned().unwrap_or_default()
    }

    /// The row's attributes as (name, cell, value column index).
    fn attributes<'r>(&self, row: &'r Line<'_>) -> Vec<(&'r str, &'r str, usize)> {
        self.attributes
            .iter()
            .map(|(n, v)| (self.cell(row, *n), self.cell(row, *v), *v))
            .filter(|(name, _, _)| !name.is_empty())
            .collect()
    }
}

/// Reads a WooCommerce product CSV into a plan. Nothing is written.
pub(crate) fn read(table: &Sheet<'_>) -> Plan {
    let file = File {
        cols: Columns::find(table.headers, COLUMNS),
        attributes: attribute_columns(table.headers),
        weight: weight_column(table.headers),
        headers: table.headers,
    };
    let cols = &file.cols;
    let mut plan = Plan {
        format: Format::WooCommerce,
        data_rows: u32::try_from(table.rows.len()).unwrap_or(u32::MAX),
        products: Vec::new(),
        problems: Vec::new(),
        columns: KeyColumns {
            handle: cols.name(SKU),
            sku: cols.name(SKU),
            gtin: cols.name(GTIN),
            option_names: file.attributes.first().map_or_else(
                || "Attribute 1 value(s)".to_string(),
                |(_, v)| file.header(*v),
            ),
        },
    };
    if cols.report_missing(
        &[TYPE, SKU, NAME, REGULAR_PRICE],
        "WooCommerce",
        &mut plan.problems,
    ) {
        return plan;
    }

    // Parents by `id:NN` and by SKU, so variations can name them either way.
    let kinds: Vec<Kind> = table
        .rows
        .iter()
        .map(|r| kind_of(cols.get(r, TYPE)))
        .collect();
    let mut parents: HashMap<String, usize> = HashMap::new();
    for (i, (row, kind)) in table.rows.iter().zip(&kinds).enumerate() {
        if *kind == Kind::Variable {
            let id = cols.get(row, ID);
            if !id.is_empty() {
                parents.insert(format!("id:{id}"), i);
            }
            let sku = cols.get(row, SKU);
            if !sku.is_empty() {
                parents.entry(sku.to_string()).or_insert(i);
            }
        }
    }
    let mut children: HashMap<usize, Vec<&Line<'_>>> = HashMap::new();
    for (row, kind) in table.rows.iter().zip(&kinds) {
        match kind {
            Kind::Variation => {
                let parent = cols.get(row, PARENT);
                match parents.get(parent) {
                    Some(p) => children.entry(*p).or_default().push(row),
                    None => plan.problems.push(RowProblem::new(
                        row.number,
                        &cols.name(PARENT),
                        parent,
                        ProblemKind::UnknownParent,
                    )),
                }
            }
            Kind::Unsupported => plan.problems.push(RowProblem::new(
                row.number,
                &cols.name(TYPE),
                cols.get(row, TYPE),
                ProblemKind::UnsupportedProductType,
            )),
            Kind::Unknown => plan.problems.push(RowProblem::new(
                row.number,
                &cols.name(TYPE),
                cols.get(row, TYPE),
                ProblemKind::UnknownProductType,
            )),
            Kind::Simple | Kind::Variable => {}
        }
    }

    for (i, (row, kind)) in table.rows.iter().zip(&kinds).enumerate() {
        let product = match kind {
            Kind::Simple => read_simple(&file, row, &mut plan.problems),
            Kind::Variable => {
                let variations = children.remove(&i).unwrap_or_default();
                read_variable(&file, row, &variations, &mut plan.problems)
            }
            _ => None,
        };
        plan.products.extend(product);
    }
    plan.drop_products_with_problems();
    plan.check_duplicates();
    plan
}

/// Collects problems for one cell at a time.
struct Cells<'a, 'f> {
    file: &'a File<'f>,
    problems: &'a mut Vec<RowProblem>,
}

impl Cells<'_, '_> {
    fn problem(&mut self, row: &Line<'_>, key: &str, kind: ProblemKind) {
        let cols = &self.file.cols;
        self.problems.push(RowProblem::new(
            row.number,
            &cols.name(key),
            cols.get(row, key),
            kind,
        ));
    }

    fn read<T>(
        &mut self,
        row: &Line<'_>,
        key: &str,
        parse: impl FnOnce(&str) -> std::result::Result<T, ProblemKind>,
    ) -> Option<T> {
        match parse(self.file.cols.get(row, key)) {
            Ok(v) => Some(v),
            Err(kind) => {
                self.problem(row, key, kind);
                None
            }
        }
    }

    /// `Keep` when the file lacks the column, else the parsed cell; `None` after a problem.
    fn update<T>(
        &mut self,
        row: &Line<'_>,
        key: &str,
        parse: impl FnOnce(&str) -> std::result::Result<T, ProblemKind>,
    ) -> Option<Update<T>> {
        if self.file.cols.has(key) {
            self.read(row, key, parse).map(Update::Set)
        } else {
            Some(Update::Keep)
        }
    }
}

/// The product columns shared by simple and variable products.
fn product_fields(
    file: &File<'_>,
    row: &Line<'_>,
    cells: &mut Cells<'_, '_>,
    handle: String,
) -> PlannedProduct {
    let cols = &file.cols;
    let title = cols.get(row, NAME).to_string();
    if title.is_empty() {
        cells.problem(row, NAME, ProblemKind::MissingTitle);
    }
    let status = cells
        .read(row, PUBLISHED, parse_published)
        .unwrap_or(Update::Keep);
    PlannedProduct {
        rows: vec![row.number],
        handle,
        matched_by_handle: false,
        title,
        description: Update::when(cols.has(DESCRIPTION), || {
            fields::woo_unescape_description(cols.get(row, DESCRIPTION))
        }),
        brand: Update::when(cols.has(BRANDS), || {
            fields::woo_list(cols.get(row, BRANDS))
                .into_iter()
                .next()
                .unwrap_or_default()
        }),
        category: Update::when(cols.has(CATEGORIES), || {
            fields::woo_list(cols.get(row, CATEGORIES))
                .first()
                .map(|c| fields::category_path(c))
                .unwrap_or_default()
        }),
        status,
        tags: Update::when(cols.has(TAGS), || fields::woo_list(cols.get(row, TAGS))),
        options: Vec::new(),
        variants: Vec::new(),
        pictures: fields::woo_list(cols.get(row, IMAGES))
            .into_iter()
            .map(|url| PlannedPicture {
                url,
                alt: String::new(),
                row: row.number,
                column: cols.name(IMAGES),
            })
            .collect(),
    }
}

fn read_simple(
    file: &File<'_>,
    row: &Line<'_>,
    problems: &mut Vec<RowProblem>,
) -> Option<PlannedProduct> {
    let mut cells = Cells { file, problems };
    let sku = file.cols.get(row, SKU).to_string();
    let mut product = product_fields(file, row, &mut cells, sku);
    let variant = read_variant(file, row, None, &[], &mut cells);
    product.variants.extend(variant);
    Some(product)
}

fn read_variable(
    file: &File<'_>,
    row: &Line<'_>,
    variations: &[&Line<'_>],
    problems: &mut Vec<RowProblem>,
) -> Option<PlannedProduct> {
    let mut cells = Cells { file, problems };
    let sku = file.cols.get(row, SKU);
    let handle = if sku.is_empty() {
        fields::slug(file.cols.get(row, NAME))
    } else {
        sku.to_string()
    };
    if handle.is_empty() {
        cells.problem(row, SKU, ProblemKind::MissingSku);
    }
    let mut product = product_fields(file, row, &mut cells, handle);

    // Options: the parent's attributes, then any only the variations name, kept when at least
    // one variation gives a value.
    let mut names: Vec<String> = Vec::new();
    let sources = std::iter::once(row).chain(variations.iter().copied());
    for r in sources {
        for (name, _, _) in file.attributes(r) {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.to_string());
            }
        }
    }
    names.retain(|name| {
        variations.iter().any(|v| {
            file.attributes(v)
                .iter()
                .any(|(n, value, _)| n.eq_ignore_ascii_case(name) && !value.is_empty())
        })
    });
    product.options = names;

    if variations.is_empty() {
        cells.problem(row, TYPE, ProblemKind::NoVariants);
    }
    for v in variations {
        product.rows.push(v.number);
        let variant = read_variant(file, v, Some(row), &product.options, &mut cells);
        product.variants.extend(variant);
    }
    product.rows.sort_unstable();
    Some(product)
}

fn read_variant(
    file: &File<'_>,
    row: &Line<'_>,
    parent: Option<&Line<'_>>,
    options: &[String],
    cells: &mut Cells<'_, '_>,
) -> Option<PlannedVariant> {
    let cols = &file.cols;
    let mut ok = true;
    let sku = cols.get(row, SKU);
    if sku.is_empty() {
        cells.problem(row, SKU, ProblemKind::MissingSku);
        ok = false;
    }

    let attributes = file.attributes(row);
    let mut values = Vec::new();
    for name in options {
        let found = attributes
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name));
        match found {
            Some((_, value, _)) if !value.is_empty() => values.push(value.replace("\\,", ",")),
            _ => {
                let column = found.map_or_else(
                    || cols.name("Attribute 1 value(s)"),
                    |(_, _, i)| file.header(*i),
                );
                cells.problems.push(RowProblem::new(
                    row.number,
                    &column,
                    "",
                    ProblemKind::MissingOptionValue {
                        option: name.clone(),
                    },
                ));
                ok = false;
            }
        }
    }

    let sale = cells.read(row, SALE_PRICE, fields::amount);
    let regular = cells.read(row, REGULAR_PRICE, fields::amount);
    let (price, compare_at) = match (sale, regular) {
        (Some(Some(sale)), Some(regular)) => (Some(sale), Some(regular)),
        (Some(None), Some(Some(regular))) => (Some(regular), Some(None)),
        (Some(None), Some(None)) => {
            cells.problem(row, REGULAR_PRICE, ProblemKind::MissingPrice);
            (None, None)
        }
        _ => (None, None),
    };

    let gtin = cells.update(row, GTIN, fields::barcode);
    let cost = cells.update(row, COST, fields::amount);
    let vat = read_vat(file, row, parent, cells);
    let weight = match file.weight {
        None => Some(Update::Keep),
        Some((i, unit)) => {
            let own = file.cell(row, i);
            let cell = match parent {
                Some(p) if own.is_empty() => file.cell(p, i),
                _ => own,
            };
            match fields::grams(cell, unit) {
                Ok(g) => Some(Update::Set(g)),
                Err(kind) => {
                    cells
                        .problems
                        .push(RowProblem::new(row.number, &file.header(i), cell, kind));
                    None
                }
            }
        }
    };
    // `parent` means the parent manages one stock for all variations: not a variant's stock.
    let stock = cells.read(row, STOCK, |c| {
        if c.eq_ignore_ascii_case("parent") {
            Ok(None)
        } else {
            fields::whole(c)
        }
    });

    if !ok {
        return None;
    }
    Some(PlannedVariant {
        row: row.number,
        sku: sku.to_string(),
        options: values,
        price: price?,
        compare_at: Update::Set(compare_at?),
        cost: cost?,
        gtin: gtin?,
        vat: vat?,
        weight_grams: weight?,
        stock: stock?,
    })
}

/// The VAT rate from `Tax status` and `Tax class`; a variation's class `parent` (or an empty
/// cell) is its parent's.
fn read_vat(
    file: &File<'_>,
    row: &Line<'_>,
    parent: Option<&Line<'_>>,
    cells: &mut Cells<'_, '_>,
) -> Option<VatUpdate> {
    let cols = &file.cols;
    if !cols.has(TAX_STATUS) && !cols.has(TAX_CLASS) {
        return Some(VatUpdate::Keep);
    }
    let inherited = |key: &str| {
        let own = cols.get(row, key);
        match parent {
            Some(p) if own.is_empty() || own.eq_ignore_ascii_case("parent") => cols.get(p, key),
            _ => own,
        }
    };
    if inherited(TAX_STATUS).eq_ignore_ascii_case("none") {
        return Some(VatUpdate::Set(VatRate::Zero));
    }
    let class = inherited(TAX_CLASS).to_ascii_lowercase();
    let rate = match class.as_str() {
        "" | "standard" | "standaard" | "standard-rate" | "21" => VatRate::Standard,
        "reduced-rate" | "reduced" | "gereduceerd-tarief" | "laag-tarief" | "verlaagd-tarief"
        | "9" => VatRate::Reduced,
        "zero-rate" | "zero" | "nultarief" | "nul-tarief" | "0" => VatRate::Zero,
        _ => {
            cells.problem(row, TAX_CLASS, ProblemKind::BadTaxClass);
            return None;
        }
    };
    Some(VatUpdate::Set(rate))
}

/// WooCommerce's `Published`: 1 published, 0 private, -1 draft (2 pending review).
fn parse_published(cell: &str) -> std::result::Result<Update<ProductStatus>, ProblemKind> {
    match cell {
        "" => Ok(Update::Keep),
        "1" => Ok(Update::Set(ProductStatus::Active)),
        "0" => Ok(Update::Set(ProductStatus::Archived)),
        "-1" | "2" => Ok(Update::Set(ProductStatus::Draft)),
        _ => Err(ProblemKind::BadStatus),
    }
}
