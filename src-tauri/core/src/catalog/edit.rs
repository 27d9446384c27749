//! Editing the catalog field by field, with history and undo/redo that survive a restart.
//!
//! Every edit — one price typed in the grid, ten thousand prices from a bulk edit — is a list of
//! [`Change`]s applied in one transaction as one *batch*: each change writes its column, bumps
//! the row's `change_counter` in the same statement (so the publish engine sees it), and records
//! an audit row (old and new value, time, source, batch id). The batches form the undo stack in
//! `edit_batches`: [`undo`] writes back the old values of the latest batch, [`redo`] the new
//! values of the batch undone last, and a new edit discards what could still be redone.
//!
//! A change carries the value its preview saw (`old`); applying it refuses when the catalog has
//! changed since, so a preview is never applied to data the merchant did not see.

use crate::ids::{LocationId, ProductId, VariantId};
use crate::money::Money;
use crate::problem::InputProblem;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

use super::rows::{self, Created};
use super::{gtin, ProductStatus, Source};
use crate::vat::VatRate;

/// A field the merchant can edit.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "location")]
pub enum Field {
    // Product fields.
    TitleNl,
    TitleEn,
    DescriptionNl,
    DescriptionEn,
    Brand,
    Status,
    Tags,
    /// The product's category in the merchant's tree (its id), or none.
    Category,
    /// The product's pictures in order, with alt text: a JSON list of [`ImageRef`].
    Images,
    // Variant fields.
    Sku,
    Gtin,
    Price,
    CompareAtPrice,
    Cost,
    VatRate,
    WeightGrams,
    /// Units in stock at one location.
    Stock(LocationId),
}

/// What a field belongs to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Target {
    Product(ProductId),
    Variant(VariantId),
}

/// One field of one row, from `old` to `new` (as stored: decimal text, JSON for tags, `None`
/// for empty).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub target: Target,
    pub field: Field,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One picture of a product, in the order the product shows them.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageRef {
    /// The stored file's SHA-256 (see [`crate::images`]).
    pub hash: String,
    /// Alt text: what the picture shows, for screen readers and search engines.
    #[serde(default)]
    pub alt_nl: String,
    #[serde(default)]
    pub alt_en: String,
}

/// A product's pictures in order.
pub fn image_refs(tx: &Transaction<'_>, product: ProductId) -> Result<Vec<ImageRef>> {
    let mut stmt = tx.prepare_cached(
        "SELECT image_hash, alt_nl, alt_en FROM product_images WHERE product_id = ?1 ORDER BY position",
    )?;
    let list = stmt
        .query_map([product], |r| {
            Ok(ImageRef {
                hash: r.get(0)?,
                alt_nl: r.get(1)?,
                alt_en: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(list)
}

/// A batch on the undo stack.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub id: String,
    pub label: String,
    pub changes: u32,
}

enum Kind {
    Text { required: bool },
    Money { required: bool },
    Integer,
    Status,
    Vat,
    Gtin,
    Tags,
    Category,
    Images,
}

struct Spec {
    entity: &'static str,
    table: &'static str,
    column: &'static str,
    kind: Kind,
}

impl Field {
    fn spec(self) -> Spec {
        use Kind::*;
        let p = |column, kind| Spec {
            entity: "product",
            table: "products",
            column,
            kind,
        };
        let v = |column, kind| Spec {
            entity: "variant",
            table: "variants",
            column,
            kind,
        };
        match self {
            Field::TitleNl => p("title_nl", Text { required: false }),
            Field::TitleEn => p("title_en", Text { required: false }),
            Field::DescriptionNl => p("description_nl", Text { required: false }),
            Field::DescriptionEn => p("description_en", Text { required: false }),
            Field::Brand => p("brand", Text { required: false }),
            Field::Status => p("status", Status),
            Field::Tags => p("tags", Tags),
            Field::Category => p("category_id", Category),
            Field::Images => p("images", Images),
            Field::Sku => v("sku", Text { required: true }),
            Field::Gtin => v("gtin", Gtin),
            Field::Price => v("price", Money { required: true }),
            Field::CompareAtPrice => v("compare_at_price", Money { required: false }),
            Field::Cost => v("cost", Money { required: false }),
            Field::VatRate => v("vat_rate", Vat),
            Field::WeightGrams => v("weight_grams", Integer),
            Field::Stock(_) => Spec {
                entity: "stock",
                table: "stock",
                column: "quantity",
                kind: Integer,
            },
        }
    }

    /// The name in the audit log: the column, and for stock the location too.
    pub fn audit_name(self) -> String {
        match self {
            Field::Stock(l) => format!("quantity@{l}"),
            f => f.spec().column.to_string(),
        }
    }

    /// Reads an audit field name back (the inverse of [`Field::audit_name`]).
    pub fn from_audit(entity: &str, name: &str) -> Option<Field> {
        if entity == "stock" {
            let l = name.strip_prefix("quantity@")?.parse().ok()?;
            return Some(Field::Stock(LocationId(l)));
        }
        ALL.iter()
            .copied()
            .find(|f| f.spec().entity == entity && f.spec().column == name)
    }

    /// `true` for fields of the product (titles, status, tags), `false` for a variant's.
    pub fn is_product_field(self) -> bool {
        self.spec().entity == "product"
    }
}

const ALL: [Field; 16] = [
    Field::TitleNl,
    Field::TitleEn,
    Field::DescriptionNl,
    Field::DescriptionEn,
    Field::Brand,
    Field::Status,
    Field::Tags,
    Field::Category,
    Field::Images,
    Field::Sku,
    Field::Gtin,
    Field::Price,
    Field::CompareAtPrice,
    Field::Cost,
    Field::VatRate,
    Field::WeightGrams,
];

/// Checks and normalises a new value: `12,50` becomes `12.50`, an empty text becomes `None`
/// where the field may be empty. The error names the field and what to do.
pub fn normalise(field: Field, value: Option<&str>) -> Result<Option<String>> {
    let name = field.audit_name();
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    let bad = |msg: String| Err(Error::invalid(name.clone(), msg));
    let refuse = |p: InputProblem| Err(Error::Input(p));
    match (field.spec().kind, value) {
        (Kind::Text { required: true }, None) | (Kind::Money { required: true }, None) => {
            refuse(InputProblem::Required { field })
        }
        (Kind::Text { .. }, v) => Ok(v.map(str::to_string)),
        (Kind::Money { .. }, Some(v)) => {
            let d = Money::parse_amount(v).map_err(|_| {
                Error::Input(InputProblem::NotAnAmount {
                    field,
                    value: v.to_string(),
                })
            })?;
            if d.is_sign_negative() {
                return refuse(InputProblem::BelowZero { field });
            }
            let mut d = d.round_dp(2);
            d.rescale(2);
            Ok(Some(d.to_string()))
        }
        (Kind::Integer, Some(v)) => match v.parse::<i64>() {
            Ok(n) if n >= 0 => Ok(Some(n.to_string())),
            _ => refuse(InputProblem::NotWholeNumber {
                field,
                value: v.to_string(),
            }),
        },
        (Kind::Status, Some(v)) => match ProductStatus::from_str(v) {
            Ok(s) => Ok(Some(s.code().to_string())),
            Err(_) => refuse(InputProblem::NotAChoice {
                field,
                value: v.to_string(),
            }),
        },
        (Kind::Vat, Some(v)) => match VatRate::from_str(v) {
            Ok(r) => Ok(Some(r.code().to_string())),
            Err(_) => refuse(InputProblem::NotAChoice {
                field,
                value: v.to_string(),
            }),
        },
        (Kind::Gtin, Some(v)) => match gtin::problem(v) {
            Some(p) => refuse(p),
            None => Ok(Some(v.to_string())),
        },
        (Kind::Tags, Some(v)) => {
            let tags: Vec<String> = serde_json::from_str(v)
                .map_err(|_| Error::invalid(name.clone(), "tags must be a list of words"))?;
            serde_json::to_string(&tags)
                .map(Some)
                .map_err(|e| Error::Corrupt(e.to_string()))
        }
        (Kind::Category, Some(v)) => match v.parse::<i64>() {
            Ok(n) if n > 0 => Ok(Some(n.to_string())),
            _ => bad(format!("'{v}' is not a category: choose one from the list")),
        },
        (Kind::Images, Some(v)) => {
            let images: Vec<ImageRef> = serde_json::from_str(v)
                .map_err(|_| Error::invalid(name.clone(), "must be a list of pictures"))?;
            if let Some(bad_ref) = images.iter().find(|i| !crate::images::is_hash(&i.hash)) {
                return bad(format!("'{}' is not a stored picture", bad_ref.hash));
            }
            let mut seen = std::collections::HashSet::new();
            if images.iter().any(|i| !seen.insert(i.hash.as_str())) {
                return refuse(InputProblem::PictureTwice);
            }
            let clean: Vec<ImageRef> = images
                .into_iter()
                .map(|i| ImageRef {
                    hash: i.hash,
                    alt_nl: i.alt_nl.trim().to_string(),
                    alt_en: i.alt_en.trim().to_string(),
                })
                .collect();
            serde_json::to_string(&clean)
                .map(Some)
                .map_err(|e| Error::Corrupt(e.to_string()))
        }
        (Kind::Status | Kind::Vat, None) => refuse(InputProblem::ChooseOne { field }),
        (Kind::Tags, None) | (Kind::Images, None) => Ok(Some("[]".to_string())),
        (Kind::Category, None) => Ok(None),
        (Kind::Money { .. } | Kind::Integer | Kind::Gtin, None) => Ok(None),
    }
}

fn check_target(target: Target, field: Field) -> Result<()> {
    let ok = matches!(
        (target, field.is_product_field()),
        (Target::Product(_), true) | (Target::Variant(_), false)
    );
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field.audit_name(),
            "this field belongs to the other kind of row",
        ))
    }
}

fn target_id(target: Target) -> i64 {
    match target {
        Target::Product(p) => p.0,
        Target::Variant(v) => v.0,
    }
}

/// Reads the current stored value of a field.
pub fn current(tx: &Transaction<'_>, target: Target, field: Field) -> Result<Option<String>> {
    check_target(target, field)?;
    let id = target_id(target);
    let value: Option<Option<Value>> = match field {
        // No stock row means none in stock: it reads as 0, as the grid shows it.
        Field::Stock(l) => Some(Some(
            tx.query_row(
                "SELECT quantity FROM stock WHERE variant_id = ?1 AND location_id = ?2",
                params![id, l],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(Value::Integer(0)),
        )),
        Field::Images => {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM products WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(Error::NotFound(format!("product {id}")));
            }
            let list = image_refs(tx, ProductId(id))?;
            Some(Some(Value::Text(
                serde_json::to_string(&list).map_err(|e| Error::Corrupt(e.to_string()))?,
            )))
        }
        f => {
            let s = f.spec();
            // Table and column come from the fixed field list above, never from input.
            let v: Option<Value> = tx
                .query_row(
                    &format!("SELECT {} FROM {} WHERE id = ?1", s.column, s.table),
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            match v {
                None => return Err(Error::NotFound(format!("{} {id}", s.entity))),
                some => some.map(Some),
            }
        }
    };
    Ok(match value.flatten() {
        None | Some(Value::Null) => None,
        Some(Value::Integer(n)) => Some(n.to_string()),
        Some(Value::Text(t)) => Some(t),
        Some(Value::Real(_)) | Some(Value::Blob(_)) => {
            return Err(Error::Corrupt(format!("{} of {id}", field.audit_name())))
        }
    })
}

fn write(
    tx: &Transaction<'_>,
    target: Target,
    field: Field,
    value: Option<&str>,
    now: &str,
) -> Result<()> {
    let id = target_id(target);
    let sql_value = |v: Option<&str>| -> Value {
        match (field.spec().kind, v) {
            (_, None) => Value::Null,
            (Kind::Integer, Some(t)) => t.parse::<i64>().map(Value::Integer).unwrap_or(Value::Null),
            (_, Some(t)) => Value::Text(t.to_string()),
        }
    };
    match field {
        Field::Stock(l) => {
            match value {
                Some(_) => tx.execute(
                    "INSERT INTO stock (variant_id, location_id, quantity, updated_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (variant_id, location_id)
                     DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at",
                    params![id, l, sql_value(value), now],
                )?,
                None => tx.execute(
                    "DELETE FROM stock WHERE variant_id = ?1 AND location_id = ?2",
                    params![id, l],
                )?,
            };
            // Available stock is part of what a channel shows: the variant must be re-sent.
            tx.execute(
                "UPDATE variants SET change_counter = change_counter + 1 WHERE id = ?1",
                [id],
            )?;
        }
        Field::Images => {
            let images: Vec<ImageRef> = serde_json::from_str(value.unwrap_or("[]"))
                .map_err(|_| Error::Corrupt(format!("picture list of product {id}")))?;
            tx.execute("DELETE FROM product_images WHERE product_id = ?1", [id])?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO product_images (product_id, position, image_hash, alt_nl, alt_en)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (position, image) in images.iter().enumerate() {
                let known: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM images WHERE hash = ?1)",
                    [&image.hash],
                    |r| r.get(0),
                )?;
                if !known {
                    return Err(Error::Input(InputProblem::PictureGone));
                }
                insert.execute(params![
                    id,
                    position as i64,
                    image.hash,
                    image.alt_nl,
                    image.alt_en
                ])?;
            }
            let updated = tx.execute(
                "UPDATE products SET updated_at = ?1, change_counter = change_counter + 1 WHERE id = ?2",
                params![now, id],
            )?;
            if updated == 0 {
                return Err(Error::NotFound(format!("product {id}")));
            }
        }
        Field::Category => {
            if let Some(c) = value {
                let known: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM categories WHERE id = ?1)",
                    [c],
                    |r| r.get(0),
                )?;
                if !known {
                    return Err(Error::Input(InputProblem::CategoryGone));
                }
            }
            let updated = tx.execute(
                "UPDATE products SET category_id = ?1, updated_at = ?2, change_counter = change_counter + 1 WHERE id = ?3",
                params![value.and_then(|v| v.parse::<i64>().ok()), now, id],
            )?;
            if updated == 0 {
                return Err(Error::NotFound(format!("product {id}")));
            }
        }
        f => {
            let s = f.spec();
            // Cached: a bulk edit writes the same field of thousands of rows, and preparing
            // the statement again each time also compiles the triggers it fires each time.
            let updated = tx
                .prepare_cached(&format!(
                    "UPDATE {} SET {} = ?1, updated_at = ?2, change_counter = change_counter + 1 WHERE id = ?3",
                    s.table, s.column
                ))
                .and_then(|mut stmt| stmt.execute(params![sql_value(value), now, id]));
            match updated {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    return Err(Error::Input(InputProblem::InUse {
                        field: f,
                        value: value.unwrap_or("").to_string(),
                    }))
                }
                r => {
                    if r? == 0 {
                        return Err(Error::NotFound(format!("{} {id}", s.entity)));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Writes a value back by its audit name: an editable [`Field`], or one of the few things only
/// an import changes (a product's option names, a variant's option values and currency).
fn write_named(
    tx: &Transaction<'_>,
    entity: &str,
    id: i64,
    name: &str,
    value: Option<&str>,
    now: &str,
) -> Result<()> {
    if let Some(field) = Field::from_audit(entity, name) {
        let target = if entity == "product" {
            Target::Product(ProductId(id))
        } else {
            Target::Variant(VariantId(id))
        };
        return write(tx, target, field, value, now);
    }
    let updated = match (entity, name) {
        ("product", "options") => {
            // Stored as [[Dutch, English], ...]: both languages come back.
            let names: Vec<(String, String)> = serde_json::from_str(value.unwrap_or("[]"))
                .map_err(|_| Error::Corrupt(format!("option names of product {id}")))?;
            tx.execute("DELETE FROM product_options WHERE product_id = ?1", [id])?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO product_options (product_id, position, name_nl, name_en)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (position, (nl, en)) in names.iter().enumerate() {
                insert.execute(params![id, position as i64, nl, en])?;
            }
            tx.execute(
                "UPDATE products SET updated_at = ?1, change_counter = change_counter + 1 WHERE id = ?2",
                params![now, id],
            )?
        }
        ("variant", "options") => tx.execute(
            "UPDATE variants SET options = ?1, updated_at = ?2, change_counter = change_counter + 1 WHERE id = ?3",
            params![value.unwrap_or("[]"), now, id],
        )?,
        // A listing's per-channel overrides (JSON), as adopting a change made on the channel
        // writes them (crate::drift); the channel must get the listing again.
        ("listing", "overrides") => tx.execute(
            "UPDATE listings SET overrides = ?1, change_counter = change_counter + 1 WHERE id = ?2",
            params![value.unwrap_or("{}"), id],
        )?,
        ("variant", "currency") => tx.execute(
            "UPDATE variants SET currency = ?1, updated_at = ?2, change_counter = change_counter + 1 WHERE id = ?3",
            params![value, now, id],
        )?,
        _ => {
            return Err(Error::Corrupt(format!(
                "history names an unknown field {entity}.{name}"
            )))
        }
    };
    if updated == 0 {
        return Err(Error::NotFound(format!("{entity} {id}")));
    }
    Ok(())
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Applies `changes` as one batch on the undo stack; returns it, or `None` when nothing changed.
/// Refuses (and writes nothing) when a value differs from what the change's `old` says.
pub fn apply(
    tx: &Transaction<'_>,
    changes: &[Change],
    label: &str,
    now: DateTime<Utc>,
    source: Source,
) -> Result<Option<Batch>> {
    let now_text = stamp(now);
    let mut effective = Vec::with_capacity(changes.len());
    for c in changes {
        let new = normalise(c.field, c.new.as_deref())?;
        let stored = current(tx, c.target, c.field)?;
        if stored != c.old {
            return Err(Error::Input(InputProblem::Stale { field: c.field }));
        }
        if new != stored {
            effective.push((c, stored, new));
        }
    }
    if effective.is_empty() {
        return Ok(None);
    }
    let batch = open_batch(tx, label, effective.len() as u32, source, &now_text)?;
    let mut audit = tx.prepare_cached(
        "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (c, old, new) in effective {
        write(tx, c.target, c.field, new.as_deref(), &now_text)?;
        audit.execute(params![
            now_text,
            source.code(),
            batch.id,
            c.field.spec().entity,
            target_id(c.target),
            c.field.audit_name(),
            old,
            new
        ])?;
    }
    Ok(Some(batch))
}

/// Puts a new batch of `changes` changes on top of the undo stack (its audit rows are the
/// caller's to write, with the batch's id). A new edit ends what could be redone.
pub(crate) fn open_batch(
    tx: &Transaction<'_>,
    label: &str,
    changes: u32,
    source: Source,
    now_text: &str,
) -> Result<Batch> {
    let seq: i64 = tx.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM edit_batches",
        [],
        |r| r.get(0),
    )?;
    let batch = Batch {
        id: format!("{}-{seq}", source.code()),
        label: label.to_string(),
        changes,
    };
    tx.execute(
        "UPDATE edit_batches SET state = 'discarded' WHERE state = 'undone'",
        [],
    )?;
    tx.execute(
        "INSERT INTO edit_batches (id, seq, at, source, label, changes, state, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'done', ?3)",
        params![
            batch.id,
            seq,
            now_text,
            source.code(),
            batch.label,
            batch.changes
        ],
    )?;
    Ok(batch)
}

/// Takes the latest batch back; `None` when there is nothing to undo.
pub fn undo(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<Option<Batch>> {
    step(tx, now, Direction::Undo)
}

/// Re-applies the batch undone last; `None` when there is nothing to redo.
pub fn redo(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<Option<Batch>> {
    step(tx, now, Direction::Redo)
}

/// entity, entity id, field, old value, new value.
type AuditRow = (String, i64, String, Option<String>, Option<String>);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Undo,
    Redo,
}

fn step(tx: &Transaction<'_>, now: DateTime<Utc>, dir: Direction) -> Result<Option<Batch>> {
    let pick = match dir {
        Direction::Undo => "SELECT id, label, changes FROM edit_batches WHERE state = 'done' ORDER BY seq DESC LIMIT 1",
        Direction::Redo => "SELECT id, label, changes FROM edit_batches WHERE state = 'undone' ORDER BY seq ASC LIMIT 1",
    };
    let batch = tx
        .query_row(pick, [], |r| {
            Ok(Batch {
                id: r.get(0)?,
                label: r.get(1)?,
                changes: r.get(2)?,
            })
        })
        .optional()?;
    let Some(batch) = batch else { return Ok(None) };
    if dir == Direction::Undo {
        // Before the import's products go: its queued picture downloads go aside for redo.
        crate::picture_queue::set_aside(tx, &batch.id)?;
    }
    let now_text = stamp(now);
    let order = if dir == Direction::Undo {
        "DESC"
    } else {
        "ASC"
    };
    let rows: Vec<AuditRow> = tx
        .prepare(&format!(
            "SELECT entity, entity_id, field, old_value, new_value FROM audit_log
              WHERE batch_id = ?1 AND source NOT IN ('undo', 'redo') ORDER BY id {order}"
        ))?
        .query_map([&batch.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (source, state) = match dir {
        Direction::Undo => ("undo", "undone"),
        Direction::Redo => ("redo", "done"),
    };
    for (entity, id, name, old, new) in rows {
        let (from, to) = match dir {
            Direction::Undo => (new, old),
            Direction::Redo => (old, new),
        };
        let (from, to) = if name == "created" {
            // Something an import created: removed by undo (its copy kept in the undo's own
            // audit row), put back by redo from that copy.
            let what = Created::from_audit(&entity, id).ok_or_else(|| {
                Error::Corrupt(format!("history names an unknown creation {entity}"))
            })?;
            match dir {
                Direction::Undo => (Some(rows::take(tx, what)?), None),
                Direction::Redo => {
                    let copy: Option<String> = tx
                        .query_row(
                            "SELECT old_value FROM audit_log
                              WHERE batch_id = ?1 AND source = 'undo' AND entity = ?2
                                AND entity_id = ?3 AND field = 'created'
                              ORDER BY id DESC LIMIT 1",
                            params![batch.id, entity, id],
                            |r| r.get(0),
                        )
                        .optional()?
                        .flatten();
                    let copy = copy.ok_or_else(|| {
                        Error::Corrupt(format!("no copy of {entity} {id} to redo"))
                    })?;
                    rows::put_back(tx, &copy)?;
                    (None, to)
                }
            }
        } else {
            write_named(tx, &entity, id, &name, to.as_deref(), &now_text)?;
            (from, to)
        };
        tx.execute(
            "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![now_text, source, batch.id, entity, id, name, from, to],
        )?;
    }
    if dir == Direction::Redo {
        crate::picture_queue::restore(tx, &batch.id)?;
    }
    tx.execute(
        "UPDATE edit_batches SET state = ?1, changed_at = ?2 WHERE id = ?3",
        params![state, now_text, batch.id],
    )?;
    Ok(Some(batch))
}

/// What undo and redo would do now, for the menu and the buttons.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoState {
    pub undo: Option<Batch>,
    pub redo: Option<Batch>,
}

pub fn undo_state(tx: &Transaction<'_>) -> Result<UndoState> {
    let get = |sql: &str| {
        tx.query_row(sql, [], |r| {
            Ok(Batch {
                id: r.get(0)?,
                label: r.get(1)?,
                changes: r.get(2)?,
            })
        })
        .optional()
    };
    Ok(UndoState {
        undo: get("SELECT id, label, changes FROM edit_batches WHERE state = 'done' ORDER BY seq DESC LIMIT 1")?,
        redo: get("SELECT id, label, changes FROM edit_batches WHERE state = 'undone' ORDER BY seq ASC LIMIT 1")?,
    })
}
