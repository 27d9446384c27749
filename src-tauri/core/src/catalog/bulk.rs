//! Bulk edits: one operation over many variants (or their products), previewed as the exact
//! list of [`Change`]s — old and new value for every affected row — before anything is written.
//! Applying the preview is [`edit::apply`]: one transaction, one batch, one undo.

use super::edit::{self, Change, Field, Target};
use crate::ids::{LocationId, ProductId, VariantId};
use crate::problem::InputProblem;
use crate::{Error, Result};
use rusqlite::Transaction;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::str::FromStr;

/// How a price ends after rounding.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// € 12,95
    Cents95,
    /// € 12,99
    Cents99,
    /// € 13,00
    Whole,
}

/// One bulk operation.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum BulkOp {
    /// Sets a field to one value on every selected row.
    Set {
        field: Field,
        value: Option<String>,
    },
    /// Multiplies prices (1.10 is +10 %), rounded half-even to the cent.
    PriceFactor {
        #[cfg_attr(feature = "ts", ts(type = "string"))]
        factor: Decimal,
    },
    /// Adds an amount to prices (negative to lower them); a price never goes below zero.
    PriceDelta {
        #[cfg_attr(feature = "ts", ts(type = "string"))]
        amount: Decimal,
    },
    /// Rounds prices to the nearest ending (never below zero).
    RoundPrice {
        ending: Ending,
    },
    /// Adds units to (or with a negative number, removes them from) stock at a location;
    /// stock never goes below zero.
    StockDelta {
        location: LocationId,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        units: i64,
    },
    AddTag {
        tag: String,
    },
    RemoveTag {
        tag: String,
    },
}

/// The changes `op` would make to the selected variants (product fields: to their products).
pub fn preview(tx: &Transaction<'_>, variants: &[VariantId], op: &BulkOp) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    let products = || -> Result<BTreeSet<ProductId>> {
        let mut stmt = tx.prepare_cached("SELECT product_id FROM variants WHERE id = ?1")?;
        let mut set = BTreeSet::new();
        for v in variants {
            set.insert(ProductId(stmt.query_row([v], |r| r.get(0))?));
        }
        Ok(set)
    };
    let mut push = |target: Target, field: Field, new: Option<String>| -> Result<()> {
        let old = edit::current(tx, target, field)?;
        if old != new {
            out.push(Change {
                target,
                field,
                old,
                new,
            });
        }
        Ok(())
    };
    match op {
        BulkOp::Set { field, value } => {
            let value = edit::normalise(*field, value.as_deref())?;
            if matches!(field, Field::Sku) && variants.len() > 1 {
                return Err(Error::Input(InputProblem::OneSkuForMany));
            }
            if field.is_product_field() {
                for p in products()? {
                    push(Target::Product(p), *field, value.clone())?;
                }
            } else {
                for v in variants {
                    push(Target::Variant(*v), *field, value.clone())?;
                }
            }
        }
        BulkOp::PriceFactor { .. } | BulkOp::PriceDelta { .. } | BulkOp::RoundPrice { .. } => {
            for v in variants {
                let target = Target::Variant(*v);
                let old = edit::current(tx, target, Field::Price)?
                    .ok_or_else(|| Error::Corrupt(format!("variant {v} has no price")))?;
                let price = Decimal::from_str(&old)
                    .map_err(|_| Error::Corrupt(format!("price '{old}'")))?;
                let new = reprice(price, op);
                push(target, Field::Price, Some(money_text(new)))?;
            }
        }
        BulkOp::StockDelta { location, units } => {
            for v in variants {
                let target = Target::Variant(*v);
                let field = Field::Stock(*location);
                let old: i64 = edit::current(tx, target, field)?
                    .map(|t| t.parse().unwrap_or(0))
                    .unwrap_or(0);
                push(target, field, Some((old + units).max(0).to_string()))?;
            }
        }
        BulkOp::AddTag { tag } | BulkOp::RemoveTag { tag } => {
            let tag = tag.trim();
            if tag.is_empty() {
                return Err(Error::Input(InputProblem::NoTag));
            }
            for p in products()? {
                let target = Target::Product(p);
                let old =
                    edit::current(tx, target, Field::Tags)?.unwrap_or_else(|| "[]".to_string());
                let mut tags: Vec<String> = serde_json::from_str(&old).unwrap_or_default();
                match op {
                    BulkOp::AddTag { .. } if !tags.iter().any(|t| t == tag) => {
                        tags.push(tag.to_string())
                    }
                    BulkOp::RemoveTag { .. } => tags.retain(|t| t != tag),
                    _ => {}
                }
                let new =
                    serde_json::to_string(&tags).map_err(|e| Error::Corrupt(e.to_string()))?;
                push(target, Field::Tags, Some(new))?;
            }
        }
    }
    Ok(out)
}

/// Every variant of the given products, in catalog order.
pub fn variants_of(tx: &Transaction<'_>, products: &[ProductId]) -> Result<Vec<VariantId>> {
    let mut stmt =
        tx.prepare_cached("SELECT id FROM variants WHERE product_id = ?1 ORDER BY position")?;
    let mut out = Vec::new();
    for p in products {
        for v in stmt.query_map([p], |r| r.get(0))? {
            out.push(v?);
        }
    }
    Ok(out)
}

/// One line of a preview as the merchant reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    pub change: Change,
    pub title_nl: String,
    pub title_en: String,
    /// The variant's SKU, or `None` for a product field.
    pub sku: Option<String>,
}

/// Names the rows of a preview (product title, SKU).
pub fn describe(tx: &Transaction<'_>, changes: Vec<Change>) -> Result<Vec<PreviewRow>> {
    let mut by_variant = tx.prepare_cached(
        "SELECT p.title_nl, p.title_en, v.sku FROM variants v JOIN products p ON p.id = v.product_id WHERE v.id = ?1",
    )?;
    let mut by_product =
        tx.prepare_cached("SELECT title_nl, title_en FROM products WHERE id = ?1")?;
    changes
        .into_iter()
        .map(|change| {
            let (title_nl, title_en, sku) = match change.target {
                Target::Variant(v) => {
                    by_variant.query_row([v], |r| Ok((r.get(0)?, r.get(1)?, Some(r.get(2)?))))?
                }
                Target::Product(p) => {
                    by_product.query_row([p], |r| Ok((r.get(0)?, r.get(1)?, None)))?
                }
            };
            Ok(PreviewRow {
                change,
                title_nl,
                title_en,
                sku,
            })
        })
        .collect()
}

fn money_text(d: Decimal) -> String {
    let mut d = d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    d.rescale(2);
    d.to_string()
}

/// The new price for a price operation.
pub fn reprice(price: Decimal, op: &BulkOp) -> Decimal {
    let new = match op {
        BulkOp::PriceFactor { factor } => price * factor,
        BulkOp::PriceDelta { amount } => price + amount,
        BulkOp::RoundPrice { ending } => round_to(price, *ending),
        _ => price,
    };
    new.max(Decimal::ZERO)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
}

/// The nearest price with the given ending (ties go up); never negative.
fn round_to(price: Decimal, ending: Ending) -> Decimal {
    let cents = match ending {
        Ending::Cents95 => Decimal::new(95, 2),
        Ending::Cents99 => Decimal::new(99, 2),
        Ending::Whole => Decimal::ZERO,
    };
    // Candidates: the ending in the euro below and in this euro (and the next, for .00).
    let euro = price.trunc();
    let candidates = [
        euro - Decimal::ONE + cents,
        euro + cents,
        euro + Decimal::ONE + cents,
    ];
    candidates
        .into_iter()
        .filter(|c| !c.is_sign_negative())
        .min_by(|a, b| {
            let (da, db) = ((price - a).abs(), (price - b).abs());
            da.cmp(&db).then(b.cmp(a))
        })
        .unwrap_or(Decimal::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn prices_round_to_the_nearest_ending() {
        let r = |p, e| round_to(p, e);
        assert_eq!(
            r(dec!(12.40), Ending::Cents95),
            dec!(11.95),
            "12,40 is nearer 11,95 than 12,95"
        );
        assert_eq!(r(dec!(12.50), Ending::Cents95), dec!(12.95));
        assert_eq!(r(dec!(12.97), Ending::Cents99), dec!(12.99));
        assert_eq!(r(dec!(12.49), Ending::Whole), dec!(12.00));
        assert_eq!(r(dec!(12.50), Ending::Whole), dec!(13.00), "a tie goes up");
        assert_eq!(
            r(dec!(0.20), Ending::Cents95),
            dec!(0.95),
            "never below zero"
        );
    }

    #[test]
    fn ten_percent_up_is_rounded_half_even_to_the_cent() {
        let op = BulkOp::PriceFactor { factor: dec!(1.10) };
        assert_eq!(
            reprice(dec!(8.95), &op),
            dec!(9.84),
            "8,95 × 1,1 = 9,845 → 9,84"
        );
        assert_eq!(
            reprice(dec!(9.95), &op),
            dec!(10.94),
            "9,95 × 1,1 = 10,945 → 10,94"
        );
        let down = BulkOp::PriceDelta { amount: dec!(-20) };
        assert_eq!(
            reprice(dec!(5), &down),
            dec!(0),
            "a price never goes below zero"
        );
    }
}
