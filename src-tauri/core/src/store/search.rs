//! Keeps the catalog's full-text indexes (the `catalog_search` and `catalog_words` tables, one
//! row per product) up to date. Triggers note in `search_pending_products` every product whose
//! texts or variants' codes changed; [`catch_up`] re-indexes exactly those, once per write
//! transaction, just before it commits — so the index is never behind what a reader can see,
//! and a bulk write pays for one index update instead of one per row.
//!
//! `catalog_search` holds the texts folded by [`fold`] (lower case, accents removed), under a
//! case-sensitive trigram tokenizer: Kanaal folds, not SQLite, so the search can also check a
//! product's stored text itself (a plain `contains` on the folded text finds exactly what the
//! index finds; see `catalog::query`).
//!
//! Must not be called for reading; only [`super::Store::write`] and the schema upgrade call it.

use crate::Result;
use rusqlite::{params, Transaction};
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Text as the search index holds it and the search compares it: every character in lower
/// case, decomposed, without its accents ("Ethiopië" → "ethiopie", "CAFÉ" → "cafe"). Folds
/// character by character, so a piece of a text folds to a piece of the folded text, and it
/// never makes or removes a space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // Most of a catalog's text is ASCII, which has no accents to take off.
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            decompose_canonical(lower, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            });
        }
    }
    out
}

/// A product's titles as indexed: the English title only when it differs from the Dutch one
/// (an imported CSV gives both the same), so the same words are not indexed twice.
const TITLES: &str = "CASE WHEN p.title_en = p.title_nl THEN p.title_nl
                           ELSE p.title_nl || ' ' || p.title_en END";

/// Re-indexes the products noted as changed, then forgets the notes.
pub(crate) fn catch_up(tx: &Transaction<'_>) -> Result<()> {
    let pending: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM search_pending_products)",
        [],
        |r| r.get(0),
    )?;
    if !pending {
        return Ok(());
    }
    tx.execute_batch(
        "DELETE FROM catalog_search WHERE rowid IN (SELECT product_id FROM search_pending_products);",
    )?;
    {
        // The texts are folded here, one row at a time; one statement per row is cheap for the
        // full-text table (it keeps its pending index in memory until the transaction commits,
        // as long as no savepoint is open, which there is not at this point).
        let mut texts = tx.prepare(&format!(
            "SELECT p.id, {TITLES}, p.brand || ' ' || p.tags, p.handle,
                    coalesce((SELECT group_concat(v.sku || ' ' || coalesce(v.gtin, ''), ' ')
                                FROM variants v WHERE v.product_id = p.id), '')
               FROM products p WHERE p.id IN (SELECT product_id FROM search_pending_products)"
        ))?;
        let mut insert = tx.prepare(
            "INSERT INTO catalog_search (rowid, titles, brand_tags, handle, codes)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut rows = texts.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let titles: String = r.get(1)?;
            let brand_tags: String = r.get(2)?;
            let handle: String = r.get(3)?;
            let codes: String = r.get(4)?;
            insert.execute(params![
                id,
                fold(&titles),
                fold(&brand_tags),
                fold(&handle),
                fold(&codes)
            ])?;
        }
    }
    tx.execute_batch(&format!(
        "DELETE FROM catalog_words WHERE rowid IN (SELECT product_id FROM search_pending_products);
         INSERT INTO catalog_words (rowid, titles, skus)
         SELECT p.id, {TITLES},
                coalesce((SELECT group_concat(v.sku, ' ') FROM variants v
                           WHERE v.product_id = p.id), '')
           FROM products p WHERE p.id IN (SELECT product_id FROM search_pending_products);
         DELETE FROM search_pending_products;"
    ))?;
    Ok(())
}

/// A product created in the current transaction, with its texts as the catalog stores them
/// (`tags` is the stored JSON text; `codes` its variants' SKUs and EANs in position order).
pub(crate) struct NewTexts<'a> {
    pub id: i64,
    pub title_nl: &'a str,
    pub title_en: &'a str,
    pub brand: &'a str,
    pub tags: &'a str,
    pub handle: &'a str,
    pub codes: Vec<(&'a str, Option<&'a str>)>,
}

/// Indexes products created in this transaction that were not noted in
/// `search_pending_products`, with exactly the texts [`catch_up`] would have read for them
/// (a bulk import: building the texts from what it wrote is cheaper than reading them back
/// with a sub-query over each product's variants, and there is nothing to delete first).
///
/// Must be called with no savepoint open (see [`catch_up`]), and only for products the index
/// cannot have a row for yet.
pub(crate) fn index_new(tx: &Transaction<'_>, products: &[NewTexts<'_>]) -> Result<()> {
    // As TITLES: the English title only when it differs.
    let titles = |p: &NewTexts<'_>| {
        if p.title_en == p.title_nl {
            p.title_nl.to_string()
        } else {
            format!("{} {}", p.title_nl, p.title_en)
        }
    };
    // One table after the other, as catch_up writes them, so each table's rows lie together
    // in the file.
    let mut search = tx.prepare_cached(
        "INSERT INTO catalog_search (rowid, titles, brand_tags, handle, codes)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut codes = String::new();
    for p in products {
        // As group_concat joins the variants' codes, with an empty EAN as ''.
        codes.clear();
        for (i, (sku, gtin)) in p.codes.iter().enumerate() {
            if i > 0 {
                codes.push(' ');
            }
            codes.push_str(sku);
            codes.push(' ');
            codes.push_str(gtin.unwrap_or(""));
        }
        search.execute(params![
            p.id,
            fold(&titles(p)),
            fold(&format!("{} {}", p.brand, p.tags)),
            fold(p.handle),
            fold(&codes)
        ])?;
    }
    let mut words =
        tx.prepare_cached("INSERT INTO catalog_words (rowid, titles, skus) VALUES (?1, ?2, ?3)")?;
    let mut skus = String::new();
    for p in products {
        skus.clear();
        for (i, (sku, _)) in p.codes.iter().enumerate() {
            if i > 0 {
                skus.push(' ');
            }
            skus.push_str(sku);
        }
        words.execute(params![p.id, titles(p), skus])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::fold;
    use proptest::prelude::*;
    use unicode_normalization::char::{decompose_canonical, is_combining_mark};

    proptest! {
        /// The ASCII shortcut folds as the full rule does, character by character.
        #[test]
        fn folding_ascii_quickly_changes_nothing(text in "(?s).{0,40}", ascii in "[ -~]{0,40}") {
            for t in [text, ascii] {
                let mut slow = String::new();
                for c in t.chars() {
                    for lower in c.to_lowercase() {
                        decompose_canonical(lower, |d| {
                            if !is_combining_mark(d) {
                                slow.push(d);
                            }
                        });
                    }
                }
                prop_assert_eq!(fold(&t), slow);
            }
        }
    }

    #[test]
    fn folding_drops_case_and_accents_and_keeps_spaces_and_codes() {
        assert_eq!(fold("Ethiopië CAFÉ Crème"), "ethiopie cafe creme");
        assert_eq!(fold("P4711-500 8712345000011"), "p4711-500 8712345000011");
        assert_eq!(fold("ÅNGSTRÖM Ñandú"), "angstrom nandu");
        // Character by character: a piece of a text folds to a piece of the folded text.
        let text = "Koffiebonen Ethiopië";
        assert!(fold(text).contains(&fold("BONEN ETHIOP")));
    }
}
