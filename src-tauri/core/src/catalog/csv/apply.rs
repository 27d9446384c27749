//! Writing a checked plan into the catalog, inside the caller's transaction.
//!
//! The plan is first matched with the catalog ([`resolve`]: by handle for Shopify; by the
//! variants' SKUs, then by handle, for WooCommerce), and conflicts that only the catalog can
//! reveal become row problems before anything is written. New products go through
//! [`insert_product`], so they get the same validation as any other; existing ones are compared
//! field by field and only what differs is written (see `update.rs`). A file imported twice
//! therefore changes nothing the second time.
//!
//! Each product is written under a savepoint, so a product the database refuses is rolled back
//! whole and reported, never left half-written.
//!
//! The catalog module has no update functions yet; the plain parameterised SQL here and in
//! `update.rs` is the import's own and could move to `catalog::write` when the editor needs it.

mod bulk;

use super::plan::{Plan, PlannedProduct, PlannedVariant, VatUpdate};
use super::problems::{ProblemKind, RowProblem};
use super::resolve::resolve;
use super::snapshot::{self, Catalog, StoredCategory, Texts};
use super::update::Changes;
use super::Mode;
use crate::catalog::{
    write, NewProduct, NewVariant, ProductStatus, Source, StockLevel, VariantPrices,
};
use crate::ids::{CategoryId, LocationId, ProductId};
use crate::money::Money;
use crate::problem::InputProblem;
use crate::settings::Language;
use crate::vat::VatRate;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Transaction};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// What writing the plan did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub categories_created: u32,
    /// `true` when an all-or-nothing import must be rolled back.
    pub failed: bool,
}

/// Who is writing, and when.
pub(crate) struct Stamp<'a> {
    pub now: DateTime<Utc>,
    pub source: Source,
    pub batch_id: &'a str,
}

/// Resolves `plan` against the catalog, moves catalog conflicts into `plan.problems`, and writes
/// the products left. In all-or-nothing mode nothing is written once any error is known.
pub(crate) fn apply(
    tx: &Transaction<'_>,
    plan: &mut Plan,
    mode: Mode,
    stamp: &Stamp<'_>,
) -> Result<Outcome> {
    apply_with(tx, plan, mode, stamp, Writes::Bulk)
}

/// How [`apply_with`] writes new products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writes {
    /// All new products together, table by table ([`Writer::create_many`]); on any error,
    /// everything again one product at a time, which finds and reports the product at fault.
    Bulk,
    /// One product at a time.
    PerRow,
}

/// [`apply`], writing new products as `writes` says (the tests compare the two).
pub(crate) fn apply_with(
    tx: &Transaction<'_>,
    plan: &mut Plan,
    mode: Mode,
    stamp: &Stamp<'_>,
    writes: Writes,
) -> Result<Outcome> {
    let mut writes = writes;
    let catalog = snapshot::load(tx)?;
    let targets = resolve(plan, &catalog);
    if mode == Mode::AllOrNothing && plan.has_errors() {
        return Ok(Outcome {
            failed: true,
            ..Outcome::default()
        });
    }

    // One savepoint around all products, not one per product: SQLite's full-text index writes
    // its pending data to disk at every savepoint, which made a 100,000-product import take
    // minutes. A product the database refuses (a SKU another product has) is rare, since the
    // plan checks most of it: then everything is rolled back to the savepoint and written
    // again without that product (in valid-rows mode) or the import stops (all-or-nothing).
    let mut refused: Vec<RowProblem> = Vec::new();
    let mut left_out: HashSet<usize> = HashSet::new();
    let outcome = loop {
        let mut outcome = Outcome::default();
        let mut writer = Writer {
            tx,
            lang: catalog.language,
            location: catalog.location,
            categories: catalog.categories.clone(),
            catalog: &catalog,
            stamp,
            now_text: stamp
                .now
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            categories_created: 0,
        };
        tx.execute_batch("SAVEPOINT csv_import")?;
        let mut failure = None;
        // New products, written together after the loop (bulk writes only).
        let mut new: Vec<NewProduct> = Vec::new();
        for (index, p) in plan.products.iter().enumerate() {
            if left_out.contains(&index) {
                continue;
            }
            let target = targets.get(&p.handle).copied().flatten();
            let written = match target {
                Some(i) => match catalog.products.get(i) {
                    Some(stored) => writer.update(p, stored).map(|changed| {
                        if changed {
                            outcome.updated += 1;
                        } else {
                            outcome.unchanged += 1;
                        }
                    }),
                    None => Err(Error::Corrupt("a matched product vanished".to_string())),
                },
                // Its category and stock location are made here, in file order, as the other
                // path makes them; the product itself is written after the loop.
                None if writes == Writes::Bulk => writer.new_product(p).map(|product| {
                    new.push(product);
                    outcome.created += 1;
                }),
                None => writer.create(p).map(|()| outcome.created += 1),
            };
            if let Err(e) = written {
                failure = Some((index, e));
                break;
            }
        }
        let mut first_new = 0;
        if failure.is_none() {
            match writer.create_many(&new) {
                Ok(first) => first_new = first,
                Err(e) => {
                    // Which product is at fault (and whether it is the data's fault at all) only
                    // the one-at-a-time path can say: write everything again that way.
                    drop(writer);
                    tx.execute_batch("ROLLBACK TO csv_import; RELEASE csv_import")?;
                    let _ = e;

                    writes = Writes::PerRow;
                    continue;
                }
            }
        }
        outcome.categories_created = writer.categories_created;
        let Some((index, e)) = failure else {
            tx.execute_batch("RELEASE csv_import")?;
            bulk::index_created(tx, first_new, &new)?;
            break outcome;
        };
        tx.execute_batch("ROLLBACK TO csv_import; RELEASE csv_import")?;
        let p = &plan.products[index];
        let Some((detail, problem)) = refusal(&e, &p.handle) else {
            return Err(e);
        };
        refused.push(RowProblem::new(
            p.rows.first().copied().unwrap_or(0),
            &plan.columns.handle,
            &p.handle,
            ProblemKind::Refused { detail, problem },
        ));
        if mode == Mode::AllOrNothing {
            break Outcome {
                failed: true,
                ..Outcome::default()
            };
        }
        left_out.insert(index);
    };
    if !refused.is_empty() {
        let refused_rows: HashSet<u32> = refused.iter().map(|p| p.row).collect();
        plan.problems.extend(refused);
        plan.products
            .retain(|p| !p.rows.first().is_some_and(|r| refused_rows.contains(r)));
        plan.problems.sort_by_key(|p| p.row);
    }
    Ok(outcome)
}

/// Why the database refused product `handle`, for the report: in English, and typed where the
/// window words it; `None` for failures that are not about the data (a full disk), which stop
/// the whole import.
fn refusal(e: &Error, handle: &str) -> Option<(String, Option<InputProblem>)> {
    let typed = |problem: InputProblem| Some((problem.to_string(), Some(problem)));
    match e {
        Error::InvalidInput { field, message } => Some((format!("{field}: {message}"), None)),
        Error::Input(problem) => typed(problem.clone()),
        Error::Database(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            typed(InputProblem::CodeTaken {
                handle: handle.to_string(),
            })
        }
        _ => None,
    }
}

/// The state one import writes with.
pub(super) struct Writer<'a, 't> {
    pub(super) tx: &'a Transaction<'t>,
    pub(super) lang: Language,
    pub(super) catalog: &'a Catalog,
    /// The catalog's categories plus those this import created.
    pub(super) categories: HashMap<CategoryId, StoredCategory>,
    pub(super) location: Option<LocationId>,
    pub(super) stamp: &'a Stamp<'a>,
    pub(super) now_text: String,
    pub(super) categories_created: u32,
}

impl Writer<'_, '_> {
    /// Creates a product the catalog does not have yet.
    fn create(&mut self, p: &PlannedProduct) -> Result<()> {
        let new = self.new_product(p)?;
        write::insert_product_in_batch(
            self.tx,
            &new,
            self.stamp.now,
            self.stamp.source,
            Some(self.stamp.batch_id),
        )?;
        Ok(())
    }

    /// The product to create for `p`, with its category (and stock location) made first
    /// where the catalog lacks them.
    pub(super) fn new_product(&mut self, p: &PlannedProduct) -> Result<NewProduct> {
        let category = match p.category.set() {
            Some(path) if !path.is_empty() => Some(self.ensure_category(path)?),
            _ => None,
        };
        let mut variants = Vec::new();
        for v in &p.variants {
            variants.push(self.new_variant(v)?);
        }
        let description = p.description.set().cloned().unwrap_or_default();
        Ok(NewProduct {
            handle: p.handle.clone(),
            title_nl: p.title.clone(),
            title_en: p.title.clone(),
            description_nl: description.clone(),
            description_en: description,
            brand: p.brand.set().cloned().unwrap_or_default(),
            category,
            status: p.status.set().copied().unwrap_or(ProductStatus::Active),
            tags: p.tags.set().cloned().unwrap_or_default(),
            options: p.options.iter().map(|o| (o.clone(), o.clone())).collect(),
            variants,
            images: Vec::new(),
        })
    }

    pub(super) fn new_variant(&mut self, v: &PlannedVariant) -> Result<NewVariant> {
        let eur = |d: Decimal| Money::eur(d);
        let stock = match v.stock {
            Some(quantity) => vec![StockLevel {
                location: self.ensure_location()?,
                quantity,
            }],
            None => Vec::new(),
        };
        Ok(NewVariant {
            sku: v.sku.clone(),
            gtin: v.gtin.set().cloned().flatten(),
            options: v.options.clone(),
            prices: VariantPrices {
                price: eur(v.price),
                compare_at: v.compare_at.set().copied().flatten().map(eur),
                cost: v.cost.set().copied().flatten().map(eur),
                vat: match v.vat {
                    VatUpdate::Set(rate) => rate,
                    VatUpdate::Keep | VatUpdate::Taxed => VatRate::Standard,
                },
            },
            weight_grams: v.weight_grams.set().copied().flatten(),
            stock,
        })
    }

    /// One `UPDATE` that writes every changed column and bumps the counter, then one audit row
    /// per changed field.
    pub(super) fn write_changes(
        &self,
        table: &str,
        entity: &str,
        id: i64,
        c: &Changes,
    ) -> Result<()> {
        let mut assignments: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        for (column, value) in &c.sets {
            values.push(value.clone());
            assignments.push(format!("{column} = ?{}", values.len()));
        }
        values.push(Value::Text(self.now_text.clone()));
        assignments.push(format!("updated_at = ?{}", values.len()));
        assignments.push("change_counter = change_counter + 1".to_string());
        values.push(Value::Integer(id));
        // Table and column names come from this module's constants, never from the file.
        let sql = format!(
            "UPDATE {table} SET {} WHERE id = ?{}",
            assignments.join(", "),
            values.len()
        );
        self.tx.execute(&sql, params_from_iter(values.iter()))?;
        for (field, old, new) in &c.audit {
            self.audit(entity, id, field, old.as_deref(), new.as_deref())?;
        }
        Ok(())
    }

    pub(super) fn audit(
        &self,
        entity: &str,
        id: i64,
        field: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        stmt.execute(params![
            self.now_text,
            self.stamp.source.code(),
            self.stamp.batch_id,
            entity,
            id,
            field,
            old,
            new
        ])?;
        Ok(())
    }

    pub(super) fn insert_variant(
        &mut self,
        product: ProductId,
        position: i64,
        v: &PlannedVariant,
    ) -> Result<()> {
        let new = self.new_variant(v)?;
        let id = write::insert_variant(self.tx, product, position, &new, &self.now_text)?;
        self.audit("variant", id.0, "created", None, Some(&new.sku))
    }

    /// The location CSV stock goes to: the first one, or a new "Main location" in a catalog
    /// that has none yet.
    pub(super) fn ensure_location(&mut self) -> Result<LocationId> {
        if let Some(l) = self.location {
            return Ok(l);
        }
        let id = crate::catalog::add_location(self.tx, "main", "Main location")?;
        self.audit("location", id.0, "created", None, Some("main"))?;
        self.location = Some(id);
        Ok(id)
    }

    /// The category at `path` (names in the file's language), created level by level where the
    /// tree lacks it; a new category gets the name in both languages.
    pub(super) fn ensure_category(&mut self, path: &[String]) -> Result<CategoryId> {
        let mut parent: Option<CategoryId> = None;
        let mut found = None;
        for name in path {
            let lang = self.lang;
            let mut existing: Vec<CategoryId> = self
                .categories
                .iter()
                .filter(|(_, c)| c.parent == parent && c.name.in_lang(lang) == name)
                .map(|(id, _)| *id)
                .collect();
            existing.sort();
            let id = match existing.first() {
                Some(id) => *id,
                None => {
                    let position = self.categories.len() as i64;
                    let texts = Texts {
                        nl: name.clone(),
                        en: name.clone(),
                    };
                    let id = crate::catalog::add_category(
                        self.tx,
                        &crate::catalog::NewCategory {
                            parent,
                            name_nl: texts.nl.clone(),
                            name_en: texts.en.clone(),
                        },
                        position,
                    )?;
                    self.audit("category", id.0, "created", None, Some(name))?;
                    self.categories.insert(
                        id,
                        StoredCategory {
                            parent,
                            name: texts,
                        },
                    );
                    self.categories_created += 1;
                    id
                }
            };
            parent = Some(id);
            found = Some(id);
        }
        found.ok_or_else(|| Error::invalid("category", "a category needs a name"))
    }
}
