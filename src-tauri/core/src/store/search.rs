//! Keeps the catalog's full-text index (the `catalog_search` and `variant_search` tables) up to
//! date. Triggers note what changed in `search_pending_*`; [`catch_up`] re-indexes exactly those
//! rows, once per write transaction, just before it commits — so the index is never behind
//! what a reader can see, and a bulk write pays for one index update instead of one per row.
//!
//! Must not be called for reading, and nothing but [`super::Store::write`] needs to call it.

use crate::Result;
use rusqlite::Transaction;

/// Re-indexes the products and variants noted as changed, then forgets the notes.
pub(crate) fn catch_up(tx: &Transaction<'_>) -> Result<()> {
    let pending: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM search_pending_products)
             OR EXISTS (SELECT 1 FROM search_pending_variants)",
        [],
        |r| r.get(0),
    )?;
    if !pending {
        return Ok(());
    }
    tx.execute_batch(
        "DELETE FROM catalog_search WHERE rowid IN (SELECT product_id FROM search_pending_products);
         INSERT INTO catalog_search (rowid, titles, brand_tags, handle)
         SELECT id, title_nl || ' ' || title_en, brand || ' ' || tags, handle FROM products
          WHERE id IN (SELECT product_id FROM search_pending_products);
         DELETE FROM search_pending_products;
         DELETE FROM variant_search WHERE rowid IN (SELECT variant_id FROM search_pending_variants);
         INSERT INTO variant_search (rowid, codes, product_id)
         SELECT id, sku || ' ' || coalesce(gtin, ''), product_id FROM variants
          WHERE id IN (SELECT variant_id FROM search_pending_variants);
         DELETE FROM search_pending_variants;",
    )?;
    Ok(())
}
