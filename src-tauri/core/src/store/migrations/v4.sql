-- Version 4: each product's stock in all, kept by triggers, for the grid's stock filter and sort
-- (summing stock over variants and locations per product made those a scan of every variant);
-- and the outbox by listing, for the publish plan.
ALTER TABLE products ADD COLUMN stock_total INTEGER NOT NULL DEFAULT 0;
UPDATE products SET stock_total = (SELECT coalesce(sum(s.quantity), 0) FROM variants v
    JOIN stock s ON s.variant_id = v.id WHERE v.product_id = products.id);
CREATE INDEX products_stock ON products(stock_total);
CREATE TRIGGER stock_total_insert AFTER INSERT ON stock BEGIN
    UPDATE products SET stock_total = (SELECT coalesce(sum(s.quantity), 0) FROM variants v
        JOIN stock s ON s.variant_id = v.id WHERE v.product_id = products.id)
     WHERE id = (SELECT product_id FROM variants WHERE id = new.variant_id);
END;
CREATE TRIGGER stock_total_update AFTER UPDATE OF variant_id, quantity ON stock BEGIN
    UPDATE products SET stock_total = (SELECT coalesce(sum(s.quantity), 0) FROM variants v
        JOIN stock s ON s.variant_id = v.id WHERE v.product_id = products.id)
     WHERE id IN (SELECT product_id FROM variants WHERE id IN (old.variant_id, new.variant_id));
END;
CREATE TRIGGER stock_total_delete AFTER DELETE ON stock BEGIN
    UPDATE products SET stock_total = (SELECT coalesce(sum(s.quantity), 0) FROM variants v
        JOIN stock s ON s.variant_id = v.id WHERE v.product_id = products.id)
     WHERE id = (SELECT product_id FROM variants WHERE id = old.variant_id);
END;
CREATE TRIGGER stock_total_variant_delete AFTER DELETE ON variants BEGIN
    UPDATE products SET stock_total = (SELECT coalesce(sum(s.quantity), 0) FROM variants v
        JOIN stock s ON s.variant_id = v.id WHERE v.product_id = products.id)
     WHERE id = old.product_id;
END;
CREATE TRIGGER stock_total_variant_move AFTER UPDATE OF product_id ON variants BEGIN
    UPDATE products SET stock_total = (SELECT coalesce(sum(s.quantity), 0) FROM variants v
        JOIN stock s ON s.variant_id = v.id WHERE v.product_id = products.id)
     WHERE id IN (old.product_id, new.product_id);
END;
CREATE INDEX outbox_listing ON outbox(listing_id);
