-- Version 13: a first import of many products writes them table by table, many rows per
-- statement (catalog::csv::bulk), with the per-row insert triggers quiet while the marker table
-- catalog_bulk_insert has its row (only inside such an import's transaction; the import does
-- their work itself, set-based). The full-text tables keep more new index data in memory before
-- writing a segment. See schema.sql.
CREATE TABLE catalog_bulk_insert (only_row INTEGER PRIMARY KEY CHECK (only_row = 1)) STRICT;
DROP TRIGGER pending_variant_insert;
CREATE TRIGGER pending_variant_insert AFTER INSERT ON variants
WHEN NOT EXISTS (SELECT 1 FROM catalog_bulk_insert) BEGIN
    UPDATE listings SET pending = (listings.last_published_at IS NULL OR (listings.change_counter
      + coalesce((SELECT lp.change_counter FROM products lp WHERE lp.id = listings.product_id), 0)
      + coalesce((SELECT sum(lv.change_counter) FROM variants lv
                   WHERE lv.product_id = listings.product_id
                     AND (listings.variant_id IS NULL OR lv.id = listings.variant_id)), 0)) > 0)
     WHERE product_id = new.product_id AND (pending = 0 OR new.change_counter < 0);
END;
DROP TRIGGER search_product_insert;
CREATE TRIGGER search_product_insert AFTER INSERT ON products
WHEN NOT EXISTS (SELECT 1 FROM catalog_bulk_insert) BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (new.id);
END;
DROP TRIGGER search_variant_insert;
CREATE TRIGGER search_variant_insert AFTER INSERT ON variants
WHEN NOT EXISTS (SELECT 1 FROM catalog_bulk_insert) BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (new.product_id);
END;
DROP TRIGGER stock_total_insert;
CREATE TRIGGER stock_total_insert AFTER INSERT ON stock
WHEN NOT EXISTS (SELECT 1 FROM catalog_bulk_insert) BEGIN
    UPDATE products SET stock_total = (SELECT coalesce(sum(s.quantity), 0) FROM variants v
        JOIN stock s ON s.variant_id = v.id WHERE v.product_id = products.id)
     WHERE id = (SELECT product_id FROM variants WHERE id = new.variant_id);
END;
INSERT INTO catalog_search (catalog_search, rank) VALUES ('hashsize', 67108864);
INSERT INTO catalog_words (catalog_words, rank) VALUES ('hashsize', 67108864);
