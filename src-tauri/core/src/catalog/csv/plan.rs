//! The plan: what a file asks of the catalog, read and checked but not yet written.
//!
//! Parsing a file gives a [`Plan`]: the products whose every row is valid, and a
//! [`RowProblem`] for each bad cell. A product with any bad row is not in the plan at all, so a
//! "valid rows only" import can never write half a product. The plan speaks the catalog's
//! language (grams, decimals, VAT rates), not either platform's.

use super::problems::{ProblemKind, RowProblem, Severity};
use super::Format;
use crate::catalog::ProductStatus;
use crate::vat::VatRate;
use rust_decimal::Decimal;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

/// A value the file sets, or leaves to the catalog because it has no column for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update<T> {
    /// The file has no such column: a new product gets the default, an existing one keeps its
    /// value (as Shopify does with columns left out of an import).
    Keep,
    Set(T),
}

impl<T> Update<T> {
    pub fn set(&self) -> Option<&T> {
        match self {
            Update::Keep => None,
            Update::Set(v) => Some(v),
        }
    }

    /// `Set(value)` when the file has the column, else `Keep`.
    pub(crate) fn when(present: bool, value: impl FnOnce() -> T) -> Self {
        if present {
            Update::Set(value())
        } else {
            Update::Keep
        }
    }
}

/// What the file says about a variant's VAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatUpdate {
    Keep,
    Set(VatRate),
    /// "Taxed, at some rate" (Shopify's `Variant Taxable`): a new variant gets the standard
    /// rate; an existing one keeps 21 % or 9 %, and goes from 0 % to the standard rate.
    Taxed,
}

/// A product as the file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedProduct {
    /// The spreadsheet rows that make up this product; the first is the product row.
    pub rows: Vec<u32>,
    pub handle: String,
    /// `true` when the handle is the platform's own key (Shopify) and the product is found by it
    /// alone; `false` when it was made up for the import (WooCommerce) and the product is found
    /// by its variants' SKUs first.
    pub matched_by_handle: bool,
    pub title: String,
    pub description: Update<String>,
    pub brand: Update<String>,
    /// Category names from the top of the tree down; empty for no category.
    pub category: Update<Vec<String>>,
    pub status: Update<ProductStatus>,
    pub tags: Update<Vec<String>>,
    /// Option names in order; each variant has one value per option.
    pub options: Vec<String>,
    pub variants: Vec<PlannedVariant>,
    /// The pictures the file names by web address, in the product's order. The core does not
    /// download: a committed import queues them (see [`crate::picture_queue`]).
    pub pictures: Vec<PlannedPicture>,
}

/// A picture a file names by web address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPicture {
    pub url: String,
    /// Alt text (Shopify's `Image Alt Text`); empty when the file has none.
    pub alt: String,
    /// The spreadsheet row and the column (as the file names it) that give the address, so a
    /// failed download can say where to look.
    pub row: u32,
    pub column: String,
}

/// A variant as the file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedVariant {
    pub row: u32,
    pub sku: String,
    pub options: Vec<String>,
    /// Consumer price including VAT, in euros.
    pub price: Decimal,
    pub compare_at: Update<Option<Decimal>>,
    pub cost: Update<Option<Decimal>>,
    pub gtin: Update<Option<String>>,
    pub vat: VatUpdate,
    pub weight_grams: Update<Option<i64>>,
    /// Quantity at the import location; `None` leaves stock as it is.
    pub stock: Option<i64>,
}

/// The names of the columns the plan's checks refer to, as the file writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyColumns {
    pub handle: String,
    pub sku: String,
    pub gtin: String,
    pub option_names: String,
}

/// A file read and checked: the products to write and the problems found.
#[derive(Debug, Clone)]
pub struct Plan {
    pub format: Format,
    /// Data rows in the file (the header not counted).
    pub data_rows: u32,
    pub products: Vec<PlannedProduct>,
    pub problems: Vec<RowProblem>,
    pub columns: KeyColumns,
}

impl Plan {
    /// `true` when some problem stops an all-or-nothing import.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// Rows that will not be imported: every data row that is not part of a planned product.
    pub fn skipped_rows(&self) -> u32 {
        let planned: usize = self.products.iter().map(|p| p.rows.len()).sum();
        self.data_rows
            .saturating_sub(u32::try_from(planned).unwrap_or(u32::MAX))
    }

    /// Takes out every product that has a problem on one of its rows, and tells its other rows
    /// why they were left out.
    pub(crate) fn drop_products_with_problems(&mut self) {
        let bad_rows: BTreeSet<u32> = self
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.row)
            .collect();
        let mut notices = Vec::new();
        self.products.retain(|p| {
            let Some(bad) = p.rows.iter().find(|r| bad_rows.contains(r)).copied() else {
                return true;
            };
            for row in p.rows.iter().filter(|r| !bad_rows.contains(r)) {
                notices.push(RowProblem::new(
                    *row,
                    "",
                    "",
                    ProblemKind::PartOfSkippedProduct { bad_row: bad },
                ));
            }
            false
        });
        self.problems.extend(notices);
        self.problems.sort_by_key(|p| p.row);
    }

    /// Checks across rows: a handle, SKU or EAN used twice, and two variants of one product
    /// with the same option values. The later row gets the problem.
    pub(crate) fn check_duplicates(&mut self) {
        // Keys borrowed from the plan, not copied: a 100,000-product file has 700,000 of them.
        let variants: usize = self.products.iter().map(|p| p.variants.len()).sum();
        let mut handles: HashMap<&str, u32> = HashMap::with_capacity(self.products.len());
        let mut skus: HashMap<&str, u32> = HashMap::with_capacity(variants);
        let mut gtins: HashMap<&str, u32> = HashMap::with_capacity(variants);
        let mut combos: HashMap<&[String], u32> = HashMap::new();
        let cols = &self.columns;
        let mut found = Vec::new();
        for p in &self.products {
            let first = p.rows.first().copied().unwrap_or(0);
            match handles.entry(&p.handle) {
                Entry::Occupied(earlier) => found.push(RowProblem::new(
                    first,
                    &cols.handle,
                    &p.handle,
                    ProblemKind::DuplicateHandle {
                        first_row: *earlier.get(),
                    },
                )),
                Entry::Vacant(e) => {
                    e.insert(first);
                }
            }
            // Most products have a few variants: comparing with the earlier ones is cheaper
            // than a map of their option values.
            let few = p.variants.len() <= 16;
            combos.clear();
            for (i, v) in p.variants.iter().enumerate() {
                match skus.entry(&v.sku) {
                    Entry::Occupied(earlier) => found.push(RowProblem::new(
                        v.row,
                        &cols.sku,
                        &v.sku,
                        ProblemKind::DuplicateSku {
                            first_row: *earlier.get(),
                        },
                    )),
                    Entry::Vacant(e) => {
                        e.insert(v.row);
                    }
                }
                if let Some(Some(g)) = v.gtin.set() {
                    match gtins.entry(g) {
                        Entry::Occupied(earlier) => found.push(RowProblem::new(
                            v.row,
                            &cols.gtin,
                            g,
                            ProblemKind::DuplicateGtin {
                                first_row: *earlier.get(),
                            },
                        )),
                        Entry::Vacant(e) => {
                            e.insert(v.row);
                        }
                    }
                }
                let earlier = if few {
                    p.variants
                        .get(..i)
                        .unwrap_or_default()
                        .iter()
                        .find(|w| w.options == v.options)
                        .map(|w| w.row)
                } else {
                    match combos.entry(&v.options) {
                        Entry::Occupied(earlier) => Some(*earlier.get()),
                        Entry::Vacant(e) => {
                            e.insert(v.row);
                            None
                        }
                    }
                };
                if let Some(earlier) = earlier {
                    found.push(RowProblem::new(
                        v.row,
                        &cols.option_names,
                        &v.options.join(" / "),
                        ProblemKind::DuplicateOptionValues { first_row: earlier },
                    ));
                }
            }
        }
        self.problems.extend(found);
        self.drop_products_with_problems();
    }
}
