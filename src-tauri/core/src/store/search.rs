//! Keeps the catalog's full-text indexes (the `catalog_search` and `catalog_words` tables, one
//! row per product) up to date. Triggers note in `search_pending_products` every product whose
//! texts or variants' codes changed; [`catch_up`] re-indexes exactly those, once per write
//! transaction, just before it commits — so the index is never behind what a reader can see,
//! and a bulk write pays for one index update instead of one per row.
//!
//! Must not be called for reading; only [`super::Store::write`] and the schema upgrade call it.

use crate::Result;
use rusqlite::Transaction;

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
        "DELETE FROM catalog_search WHERE rowid IN (SELECT product_id FROM search_pending_products);
         INSERT INTO catalog_search (rowid, titles, brand_tags, handle, codes)
         SELECT p.id, p.title_nl || ' ' || p.title_en, p.brand || ' ' || p.tags, p.handle,
                coalesce((SELECT group_concat(v.sku || ' ' || coalesce(v.gtin, ''), ' ')
                            FROM variants v WHERE v.product_id = p.id), '')
           FROM products p WHERE p.id IN (SELECT product_id FROM search_pending_products);
         DELETE FROM catalog_words WHERE rowid IN (SELECT product_id FROM search_pending_products);
         INSERT INTO catalog_words (rowid, titles, skus)
         SELECT p.id, p.title_nl || ' ' || p.title_en,
                coalesce((SELECT group_concat(v.sku, ' ') FROM variants v
                           WHERE v.product_id = p.id), '')
           FROM products p WHERE p.id IN (SELECT product_id FROM search_pending_products);
         DELETE FROM search_pending_products;",
    )?;
    Ok(())
}
