-- Version 3: full-text search over the catalog, and the indexes the grid sorts and filters by.
--
-- The search index uses the trigram tokenizer: it finds any run of three or more letters inside
-- a word, so "bonen" finds "koffiebonen" (Dutch writes compounds as one word, which a
-- word-based tokenizer cannot split) and every prefix typed so far matches, in Dutch and English
-- alike. Descriptions are left out on purpose: in a coffee shop every description says
-- "koffie", and the grid's search is for finding a product by name, brand, tag, SKU or EAN.
CREATE VIRTUAL TABLE catalog_search USING fts5(
    titles, brand_tags, codes,
    tokenize = 'trigram remove_diacritics 1'
);
INSERT INTO catalog_search (rowid, titles, brand_tags, codes)
SELECT p.id, p.title_nl || ' ' || p.title_en, p.brand || ' ' || p.tags,
       p.handle || ' ' || coalesce((SELECT group_concat(v.sku || ' ' || coalesce(v.gtin, ''), ' ')
                                      FROM variants v WHERE v.product_id = p.id), '')
  FROM products p;
CREATE TRIGGER catalog_search_product_insert AFTER INSERT ON products BEGIN
    INSERT INTO catalog_search (rowid, titles, brand_tags, codes)
    VALUES (new.id, new.title_nl || ' ' || new.title_en, new.brand || ' ' || new.tags, new.handle);
END;
CREATE TRIGGER catalog_search_product_update
AFTER UPDATE OF handle, title_nl, title_en, brand, tags ON products BEGIN
    UPDATE catalog_search
       SET titles = new.title_nl || ' ' || new.title_en, brand_tags = new.brand || ' ' || new.tags,
           codes = new.handle || ' ' || coalesce((SELECT group_concat(v.sku || ' ' || coalesce(v.gtin, ''), ' ')
                                                    FROM variants v WHERE v.product_id = new.id), '')
     WHERE rowid = new.id;
END;
CREATE TRIGGER catalog_search_product_delete AFTER DELETE ON products BEGIN
    DELETE FROM catalog_search WHERE rowid = old.id;
END;
CREATE TRIGGER catalog_search_variant_insert AFTER INSERT ON variants BEGIN
    UPDATE catalog_search
       SET codes = (SELECT p.handle || ' ' || coalesce(group_concat(v.sku || ' ' || coalesce(v.gtin, ''), ' '), '')
                      FROM products p LEFT JOIN variants v ON v.product_id = p.id
                     WHERE p.id = new.product_id)
     WHERE rowid = new.product_id;
END;
CREATE TRIGGER catalog_search_variant_update AFTER UPDATE OF sku, gtin ON variants BEGIN
    UPDATE catalog_search
       SET codes = (SELECT p.handle || ' ' || coalesce(group_concat(v.sku || ' ' || coalesce(v.gtin, ''), ' '), '')
                      FROM products p LEFT JOIN variants v ON v.product_id = p.id
                     WHERE p.id = new.product_id)
     WHERE rowid = new.product_id;
END;
CREATE TRIGGER catalog_search_variant_delete AFTER DELETE ON variants BEGIN
    UPDATE catalog_search
       SET codes = (SELECT p.handle || ' ' || coalesce(group_concat(v.sku || ' ' || coalesce(v.gtin, ''), ' '), '')
                      FROM products p LEFT JOIN variants v ON v.product_id = p.id
                     WHERE p.id = old.product_id)
     WHERE rowid = old.product_id;
END;
-- A raster picture gets a small copy for lists (the grid shows hundreds at once); an SVG is
-- drawn at any size and has none.
ALTER TABLE images ADD COLUMN thumb_hash TEXT;
-- The grid sorts by title in the merchant's language and by last change, and filters by status.
CREATE INDEX products_title_nl ON products(title_nl COLLATE NOCASE, id);
CREATE INDEX products_title_en ON products(title_en COLLATE NOCASE, id);
CREATE INDEX products_updated ON products(updated_at, id);
CREATE INDEX products_status ON products(status);
