//! Whole-row copies of what an import created (a product with its options, pictures, variants
//! and stock; a variant with its stock; a category; a location), so that undo can remove it and
//! redo can put it back with the same ids.
//!
//! Undo takes the copy at the moment it removes the row — the state the import left, plus
//! anything that happened to it since — and stores it in its own audit row; redo reads it back
//! from there. An import of 100,000 new products therefore costs nothing extra until it is
//! undone. It must not remove anything a channel or an order refers to: a product that is
//! listed or sold is the merchant's history, and undo refuses with words that say what to do.

use crate::problem::InputProblem;
use crate::{Error, Result};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};

/// The tables a copy may hold rows of, in the order they are put back (parents first).
const TABLES: [&str; 7] = [
    "locations",
    "categories",
    "products",
    "product_options",
    "product_images",
    "variants",
    "stock",
];

/// Rows of one table: column names, then each row's values as JSON (null, integer or text).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct TableRows {
    table: String,
    columns: Vec<String>,
    rows: Vec<Vec<serde_json::Value>>,
}

/// A copy of everything one created entity consists of.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Copy {
    tables: Vec<TableRows>,
}

fn corrupt(what: &str) -> Error {
    Error::Corrupt(format!("the copy kept for redo is damaged ({what})"))
}

fn to_json(v: ValueRef<'_>) -> Result<serde_json::Value> {
    Ok(match v {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(n) => serde_json::Value::from(n),
        ValueRef::Text(t) => serde_json::Value::from(
            std::str::from_utf8(t).map_err(|_| Error::Corrupt("text that is not UTF-8".into()))?,
        ),
        // The catalog's tables hold no floating point or binary columns (money is text).
        ValueRef::Real(_) | ValueRef::Blob(_) => {
            return Err(Error::Corrupt("an unexpected column type".into()))
        }
    })
}

fn to_sql(v: &serde_json::Value) -> Result<Value> {
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Number(n) => {
            Value::Integer(n.as_i64().ok_or_else(|| corrupt("number"))?)
        }
        serde_json::Value::String(s) => Value::Text(s.clone()),
        _ => return Err(corrupt("value")),
    })
}

/// Reads the rows of `table` that `filter` (a fixed condition with one parameter) selects.
fn read(tx: &Transaction<'_>, table: &'static str, filter: &str, id: i64) -> Result<TableRows> {
    // Table and condition are constants of this module, never input.
    let mut stmt = tx.prepare(&format!("SELECT * FROM {table} WHERE {filter}"))?;
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let n = columns.len();
    let mut rows = Vec::new();
    let mut q = stmt.query([id])?;
    while let Some(r) = q.next()? {
        let mut row = Vec::with_capacity(n);
        for i in 0..n {
            row.push(to_json(r.get_ref(i)?)?);
        }
        rows.push(row);
    }
    Ok(TableRows {
        table: table.to_string(),
        columns,
        rows,
    })
}

/// What an import's `created` audit row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Created {
    Product(i64),
    Variant(i64),
    Category(i64),
    Location(i64),
}

impl Created {
    pub(crate) fn from_audit(entity: &str, id: i64) -> Option<Created> {
        match entity {
            "product" => Some(Created::Product(id)),
            "variant" => Some(Created::Variant(id)),
            "category" => Some(Created::Category(id)),
            "location" => Some(Created::Location(id)),
            _ => None,
        }
    }
}

/// Copies what `what` consists of and removes it. Refuses what channels or orders refer to.
pub(crate) fn take(tx: &Transaction<'_>, what: Created) -> Result<String> {
    // A category or location the merchant has used since the import stays, as one of theirs:
    // nothing is removed, so there is nothing for redo to put back.
    let in_use: bool = match what {
        Created::Category(id) => tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM products WHERE category_id = ?1)
                 OR EXISTS (SELECT 1 FROM categories WHERE parent_id = ?1)",
            [id],
            |r| r.get(0),
        )?,
        Created::Location(id) => tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM stock WHERE location_id = ?1)",
            [id],
            |r| r.get(0),
        )?,
        Created::Product(_) | Created::Variant(_) => false,
    };
    if in_use {
        return serde_json::to_string(&Copy { tables: Vec::new() })
            .map_err(|e| Error::Corrupt(e.to_string()));
    }
    let tables = match what {
        Created::Product(id) => {
            let (handle, listed, sold): (String, bool, bool) = tx.query_row(
                "SELECT handle,
                        EXISTS (SELECT 1 FROM listings WHERE product_id = p.id),
                        EXISTS (SELECT 1 FROM order_lines l JOIN variants v ON v.id = l.variant_id
                                 WHERE v.product_id = p.id)
                   FROM products p WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if listed || sold {
                return Err(Error::Input(InputProblem::UndoWouldRemove {
                    name: handle,
                    variant: false,
                    sold,
                }));
            }
            vec![
                read(tx, "products", "id = ?1", id)?,
                read(tx, "product_options", "product_id = ?1", id)?,
                read(tx, "product_images", "product_id = ?1", id)?,
                read(tx, "variants", "product_id = ?1", id)?,
                read(
                    tx,
                    "stock",
                    "variant_id IN (SELECT id FROM variants WHERE product_id = ?1)",
                    id,
                )?,
            ]
        }
        Created::Variant(id) => {
            let (sku, listed, sold): (String, bool, bool) = tx.query_row(
                "SELECT sku,
                        EXISTS (SELECT 1 FROM listings WHERE variant_id = v.id),
                        EXISTS (SELECT 1 FROM order_lines WHERE variant_id = v.id)
                   FROM variants v WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if listed || sold {
                return Err(Error::Input(InputProblem::UndoWouldRemove {
                    name: sku,
                    variant: true,
                    sold,
                }));
            }
            vec![
                read(tx, "variants", "id = ?1", id)?,
                read(tx, "stock", "variant_id = ?1", id)?,
            ]
        }
        Created::Category(id) => vec![read(tx, "categories", "id = ?1", id)?],
        Created::Location(id) => vec![read(tx, "locations", "id = ?1", id)?],
    };
    let removed = match what {
        // Options, pictures, variants and stock go with the product (ON DELETE CASCADE).
        Created::Product(id) => tx.execute("DELETE FROM products WHERE id = ?1", [id])?,
        Created::Variant(id) => tx.execute("DELETE FROM variants WHERE id = ?1", [id])?,
        Created::Category(id) => tx.execute("DELETE FROM categories WHERE id = ?1", [id])?,
        Created::Location(id) => tx.execute("DELETE FROM locations WHERE id = ?1", [id])?,
    };
    if removed == 0 {
        return Err(Error::NotFound(format!("{what:?} to undo")));
    }
    serde_json::to_string(&Copy { tables }).map_err(|e| Error::Corrupt(e.to_string()))
}

/// Puts back what [`take`] copied, with the same ids, and marks it for the next publish.
pub(crate) fn put_back(tx: &Transaction<'_>, copy: &str) -> Result<()> {
    let copy: Copy = serde_json::from_str(copy).map_err(|_| corrupt("not a copy"))?;
    let mut tables = copy.tables;
    tables.sort_by_key(|t| TABLES.iter().position(|name| *name == t.table));
    for t in &tables {
        let Some(table) = TABLES.iter().find(|name| **name == t.table) else {
            return Err(corrupt("table"));
        };
        // Column names are checked against the table's own, so the statement is built from
        // the schema only.
        let known: Vec<String> = tx
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if t.columns.iter().any(|c| !known.contains(c)) {
            return Err(corrupt("column"));
        }
        let placeholders: Vec<String> = (1..=t.columns.len()).map(|i| format!("?{i}")).collect();
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            t.columns.join(", "),
            placeholders.join(", ")
        ))?;
        for row in &t.rows {
            let values = row.iter().map(to_sql).collect::<Result<Vec<Value>>>()?;
            insert.execute(rusqlite::params_from_iter(values))?;
        }
        if matches!(*table, "products" | "variants") {
            // Whatever a channel had of it is gone: the next publish sends it whole.
            for row in &t.rows {
                let id = t
                    .columns
                    .iter()
                    .position(|c| c == "id")
                    .and_then(|i| row.get(i))
                    .and_then(serde_json::Value::as_i64)
                    .ok_or_else(|| corrupt("id"))?;
                tx.execute(
                    &format!(
                        "UPDATE {table} SET change_counter = change_counter + 1 WHERE id = ?1"
                    ),
                    params![id],
                )?;
            }
        }
    }
    Ok(())
}
