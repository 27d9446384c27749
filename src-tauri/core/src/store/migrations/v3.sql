-- Version 3: full-text search over the catalog, and the indexes the grid sorts and filters by.
--
-- The search index uses the trigram tokenizer: it finds any run of three or more letters inside
-- a word, so "bonen" finds "koffiebonen" (Dutch writes compounds as one word, which a
-- word-based tokenizer cannot split) and every prefix typed so far matches, in Dutch and English
-- alike. Descriptions are left out on purpose: in a coffee shop every description says
-- "koffie", and the grid's search is for finding a product by name, brand, tag, SKU or EAN.
CREATE VIRTUAL TABLE catalog_search USING fts5(
    titles, brand_tags, handle,
    tokenize = 'trigram remove_diacritics 1'
);
-- SKUs and EANs in a table of their own, one row per variant.
CREATE VIRTUAL TABLE variant_search USING fts5(
    codes, product_id UNINDEXED,
    tokenize = 'trigram remove_diacritics 1'
);
-- What the search index has yet to take in. Triggers note every product and variant whose
-- searchable text changed; the store brings the index up to date once, just before each write
-- transaction commits (store::search::catch_up). Writing the full-text tables from the triggers
-- instead would make SQLite flush the index to disk after every single statement, which turned a
-- 100,000-product import from seconds into minutes.
CREATE TABLE search_pending_products (product_id INTEGER PRIMARY KEY) STRICT;
CREATE TABLE search_pending_variants (variant_id INTEGER PRIMARY KEY) STRICT;
INSERT INTO catalog_search (rowid, titles, brand_tags, handle)
SELECT id, title_nl || ' ' || title_en, brand || ' ' || tags, handle FROM products;
INSERT INTO variant_search (rowid, codes, product_id)
SELECT id, sku || ' ' || coalesce(gtin, ''), product_id FROM variants;
CREATE TRIGGER search_product_insert AFTER INSERT ON products BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (new.id);
END;
CREATE TRIGGER search_product_update
AFTER UPDATE OF handle, title_nl, title_en, brand, tags ON products BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (new.id);
END;
CREATE TRIGGER search_product_delete AFTER DELETE ON products BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (old.id);
END;
CREATE TRIGGER search_variant_insert AFTER INSERT ON variants BEGIN
    INSERT OR IGNORE INTO search_pending_variants (variant_id) VALUES (new.id);
END;
CREATE TRIGGER search_variant_update AFTER UPDATE OF sku, gtin ON variants BEGIN
    INSERT OR IGNORE INTO search_pending_variants (variant_id) VALUES (new.id);
END;
CREATE TRIGGER search_variant_delete AFTER DELETE ON variants BEGIN
    INSERT OR IGNORE INTO search_pending_variants (variant_id) VALUES (old.id);
END;
-- A raster picture gets a small copy for lists (the grid shows hundreds at once); an SVG is
-- drawn at any size and has none.
ALTER TABLE images ADD COLUMN thumb_hash TEXT;
-- The grid sorts by title in the merchant's language and by last change, and filters by status.
CREATE INDEX products_title_nl ON products(title_nl COLLATE NOCASE, id);
CREATE INDEX products_title_en ON products(title_en COLLATE NOCASE, id);
CREATE INDEX products_updated ON products(updated_at, id);
CREATE INDEX products_status ON products(status);
