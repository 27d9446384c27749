//! Updating an existing product from the file: compare field by field, write only what
//! differs, in one statement per row that also bumps its `change_counter`, with one audit row
//! per changed field.

use super::apply::Writer;

use super::plan::{PlannedProduct, PlannedVariant, VatUpdate};
use super::snapshot::{StoredProduct, StoredVariant, Texts};
use crate::ids::{LocationId, VariantId};
use crate::money::Currency;
use crate::settings::Language;
use crate::vat::VatRate;
use crate::Result;
use rusqlite::params;
use rusqlite::types::Value;
use rust_decimal::Decimal;

/// The columns and audit rows of one entity's update.
#[derive(Default)]
pub(super) struct Changes {
    pub(super) sets: Vec<(&'static str, Value)>,
    pub(super) audit: Vec<(String, Option<String>, Option<String>)>,
}

impl Changes {
    fn set(
        &mut self,
        column: &'static str,
        value: Value,
        old: Option<String>,
        new: Option<String>,
    ) {
        self.sets.push((column, value));
        self.audit.push((column.to_string(), old, new));
    }

    fn is_empty(&self) -> bool {
        self.audit.is_empty()
    }
}

fn text_value(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn opt_text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, text_value)
}

fn opt_amount(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, |d| Value::Text(d.to_string()))
}

impl Writer<'_, '_> {
    /// Brings an existing product in line with the file; `true` when anything changed.
    pub(super) fn update(&mut self, p: &PlannedProduct, stored: &StoredProduct) -> Result<bool> {
        let lang = self.lang;
        let mut c = Changes::default();
        translated(
            &mut c,
            ("title_nl", "title_en"),
            &stored.title,
            &p.title,
            lang,
        );
        if let Some(d) = p.description.set() {
            translated(
                &mut c,
                ("description_nl", "description_en"),
                &stored.description,
                d,
                lang,
            );
        }
        if let Some(brand) = p.brand.set() {
            if *brand != stored.brand {
                c.set(
                    "brand",
                    text_value(brand),
                    Some(stored.brand.clone()),
                    Some(brand.clone()),
                );
            }
        }
        if let Some(path) = p.category.set() {
            let current = stored
                .category
                .map(|id| self.catalog.category_path(id, lang))
                .unwrap_or_default();
            if *path != current {
                let id = if path.is_empty() {
                    None
                } else {
                    Some(self.ensure_category(path)?)
                };
                // The audit names categories by id, as an edit does, so undo can put it back.
                c.set(
                    "category_id",
                    id.map_or(Value::Null, |id| Value::Integer(id.0)),
                    stored.category.map(|id| id.0.to_string()),
                    id.map(|id| id.0.to_string()),
                );
            }
        }
        if let Some(status) = p.status.set() {
            if *status != stored.status {
                c.set(
                    "status",
                    text_value(status.code()),
                    Some(stored.status.code().to_string()),
                    Some(status.code().to_string()),
                );
            }
        }
        if let Some(tags) = p.tags.set() {
            if *tags != stored.tags {
                let json = |t: &[String]| serde_json::to_string(t).unwrap_or_default();
                c.set(
                    "tags",
                    text_value(&json(tags)),
                    Some(json(&stored.tags)),
                    Some(json(tags)),
                );
            }
        }
        let options_changed = self.update_options(p, stored, &mut c)?;
        let product_changed = !c.is_empty() || options_changed;
        if product_changed {
            self.write_changes("products", "product", stored.id.0, &c)?;
        }

        let mut variants_changed = false;
        let mut next_position = stored
            .variants
            .iter()
            .map(|v| v.position + 1)
            .max()
            .unwrap_or(0);
        for v in &p.variants {
            match stored.variants.iter().find(|s| s.sku == v.sku) {
                Some(s) => variants_changed |= self.update_variant(v, s)?,
                None => {
                    self.insert_variant(stored.id, next_position, v)?;
                    next_position += 1;
                    variants_changed = true;
                }
            }
        }
        Ok(product_changed || variants_changed)
    }

    /// Option names: renamed in place, or replaced when their number changed (resolve made sure
    /// every variant is then in the file). Returns `true` when the option rows changed.
    fn update_options(
        &mut self,
        p: &PlannedProduct,
        stored: &StoredProduct,
        c: &mut Changes,
    ) -> Result<bool> {
        let lang = self.lang;
        let names_of = |o: &[Texts]| -> Vec<String> {
            o.iter().map(|t| t.in_lang(lang).to_string()).collect()
        };
        let old = names_of(&stored.options);
        if old == p.options {
            return Ok(false);
        }
        // The audit keeps both languages ([[Dutch, English], ...]), so undo restores both.
        let json = |n: &[(String, String)]| serde_json::to_string(n).unwrap_or_default();
        let old_pairs: Vec<(String, String)> = stored
            .options
            .iter()
            .map(|t| (t.nl.clone(), t.en.clone()))
            .collect();
        let new_pairs: Vec<(String, String)> = if stored.options.len() == p.options.len() {
            stored
                .options
                .iter()
                .zip(&p.options)
                .map(|(texts, name)| {
                    if texts.in_lang(lang) == name {
                        (texts.nl.clone(), texts.en.clone())
                    } else {
                        translated_pair(texts, name, lang)
                    }
                })
                .collect()
        } else {
            p.options.iter().map(|n| (n.clone(), n.clone())).collect()
        };
        c.audit.push((
            "options".to_string(),
            Some(json(&old_pairs)),
            Some(json(&new_pairs)),
        ));
        if stored.options.len() == p.options.len() {
            for (pos, (texts, name)) in stored.options.iter().zip(&p.options).enumerate() {
                if texts.in_lang(lang) == name {
                    continue;
                }
                let (nl, en) = translated_pair(texts, name, lang);
                let mut stmt = self.tx.prepare_cached(
                    "UPDATE product_options SET name_nl = ?1, name_en = ?2
                      WHERE product_id = ?3 AND position = ?4",
                )?;
                stmt.execute(params![nl, en, stored.id, pos as i64])?;
            }
        } else {
            let mut stmt = self
                .tx
                .prepare_cached("DELETE FROM product_options WHERE product_id = ?1")?;
            stmt.execute(params![stored.id])?;
            for (pos, name) in p.options.iter().enumerate() {
                let mut stmt = self.tx.prepare_cached(
                    "INSERT INTO product_options (product_id, position, name_nl, name_en)
                     VALUES (?1, ?2, ?3, ?3)",
                )?;
                stmt.execute(params![stored.id, pos as i64, name])?;
            }
        }
        Ok(true)
    }

    fn update_variant(&mut self, v: &PlannedVariant, s: &StoredVariant) -> Result<bool> {
        let mut c = Changes::default();
        if v.options != s.options {
            let json = |o: &[String]| serde_json::to_string(o).unwrap_or_default();
            c.set(
                "options",
                text_value(&json(&v.options)),
                Some(json(&s.options)),
                Some(json(&v.options)),
            );
        }
        if v.price != s.price {
            amount_change(&mut c, "price", Some(s.price), Some(v.price));
        }
        if s.currency != Currency::EUR.as_str() {
            c.set(
                "currency",
                text_value(Currency::EUR.as_str()),
                Some(s.currency.clone()),
                Some(Currency::EUR.to_string()),
            );
        }
        if let Some(new) = v.compare_at.set() {
            if *new != s.compare_at {
                amount_change(&mut c, "compare_at_price", s.compare_at, *new);
            }
        }
        if let Some(new) = v.cost.set() {
            if *new != s.cost {
                amount_change(&mut c, "cost", s.cost, *new);
            }
        }
        if let Some(new) = v.gtin.set() {
            if *new != s.gtin {
                c.set(
                    "gtin",
                    opt_text(new.as_deref()),
                    s.gtin.clone(),
                    new.clone(),
                );
            }
        }
        let vat = match v.vat {
            VatUpdate::Keep => s.vat,
            VatUpdate::Set(rate) => rate,
            VatUpdate::Taxed if s.vat == VatRate::Zero => VatRate::Standard,
            VatUpdate::Taxed => s.vat,
        };
        if vat != s.vat {
            c.set(
                "vat_rate",
                text_value(vat.code()),
                Some(s.vat.code().to_string()),
                Some(vat.code().to_string()),
            );
        }
        if let Some(new) = v.weight_grams.set() {
            if *new != s.weight_grams {
                c.set(
                    "weight_grams",
                    new.map_or(Value::Null, Value::Integer),
                    s.weight_grams.map(|g| g.to_string()),
                    new.map(|g| g.to_string()),
                );
            }
        }
        let stock_changed = match v.stock {
            Some(q) if s.stock != Some(q) => Some(q),
            _ => None,
        };
        if c.is_empty() && stock_changed.is_none() {
            return Ok(false);
        }
        self.write_changes("variants", "variant", s.id.0, &c)?;
        if let Some(q) = stock_changed {
            let location = self.set_stock(s.id, q)?;
            // Named as an edit of stock at a location names it, so undo can put it back.
            self.audit(
                "stock",
                s.id.0,
                &format!("quantity@{location}"),
                s.stock.map(|q| q.to_string()).as_deref(),
                Some(&q.to_string()),
            )?;
        }
        Ok(true)
    }

    /// Sets the variant's stock at the import's location, and says which location that is.
    fn set_stock(&mut self, variant: VariantId, quantity: i64) -> Result<LocationId> {
        let location = self.ensure_location()?;
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO stock (variant_id, location_id, quantity, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (variant_id, location_id)
             DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at",
        )?;
        stmt.execute(params![variant, location, quantity, self.now_text])?;
        Ok(location)
    }
}

/// A translated text changes in the file's language; the other language follows when it was an
/// untranslated copy (the same text, as an import creates it), and is kept when translated.
fn translated(
    c: &mut Changes,
    (col_nl, col_en): (&'static str, &'static str),
    stored: &Texts,
    new: &str,
    lang: Language,
) {
    if stored.in_lang(lang) == new {
        return;
    }
    let (col, other_col) = match lang {
        Language::Nl => (col_nl, col_en),
        Language::En => (col_en, col_nl),
    };
    let old = stored.exact(lang);
    c.set(
        col,
        text_value(new),
        Some(old.to_string()),
        Some(new.to_string()),
    );
    if stored.other(lang) == old {
        c.set(
            other_col,
            text_value(new),
            Some(stored.other(lang).to_string()),
            Some(new.to_string()),
        );
    }
}

/// The (Dutch, English) pair after a rename in `lang`, by the same rule as [`translated`].
fn translated_pair(stored: &Texts, new: &str, lang: Language) -> (String, String) {
    let follows = stored.other(lang) == stored.exact(lang);
    let other = if follows {
        new.to_string()
    } else {
        stored.other(lang).to_string()
    };
    match lang {
        Language::Nl => (new.to_string(), other),
        Language::En => (other, new.to_string()),
    }
}

fn amount_change(
    c: &mut Changes,
    column: &'static str,
    old: Option<Decimal>,
    new: Option<Decimal>,
) {
    c.set(
        column,
        opt_amount(new),
        old.map(|d| d.to_string()),
        new.map(|d| d.to_string()),
    );
}
