-- Version 15: v13's marker table catalog_bulk_insert is gone again, and the four insert
-- triggers it quieted have no WHEN clause any more. A first import of many products now drops
-- those triggers inside its own transaction and creates them again from their stored SQL
-- (catalog::csv::apply::bulk), which measured faster: a statement that fires no trigger needs no
-- statement journal. See schema.sql.
DROP TRIGGER pending_variant_insert;
CREATE TRIGGER pending_variant_insert AFTER INSERT ON variants BEGIN
    UPDATE listings SET pending = (listings.last_published_at IS NULL OR (listings.change_counter
      + coalesce((SELECT lp.change_counter FROM products lp WHERE lp.id = listings.product_id), 0)
      + coalesce((SELECT sum(lv.change_counter) FROM variants lv
                   WHERE lv.product_id = listings.product_id
                     AND (listings.variant_id IS NULL OR lv.id = listings.variant_id)), 0)) > 0)
     WHERE product_id = new.product_id AND (pending = 0 OR new.change_counter < 0);
END;
DROP TRIGGER search_product_insert;
CREATE TRIGGER search_product_insert AFTER INSERT ON products BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (new.id);
END;
DROP TRIGGER search_variant_insert;
CREATE TRIGGER search_variant_insert AFTER INSERT ON variants BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (new.product_id);
END;
DROP TRIGGER stock_total_insert;
CREATE TRIGGER stock_total_insert AFTER INSERT ON stock BEGIN
    UPDATE products SET stock_total = (SELECT coalesce(sum(s.quantity), 0) FROM variants v
        JOIN stock s ON s.variant_id = v.id WHERE v.product_id = products.id)
     WHERE id = (SELECT product_id FROM variants WHERE id = new.variant_id);
END;
DROP TABLE catalog_bulk_insert;
