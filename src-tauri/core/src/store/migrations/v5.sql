-- Version 5: search in one full-text row per product, and a word index for short input.
--
-- A product's SKUs and EANs move into its own row of catalog_search (column `codes`), so a
-- search is one full-text query whose rowids are product ids, instead of two whose results had
-- to be merged (and, for the codes, looked up variant by variant). A typed word never holds a
-- space, so it cannot match across the spaces that join the codes of different variants.
--
-- One or two letters are too short for the trigram index. They match the start of a word in
-- the titles, or of a SKU, through catalog_words: words as the unicode61 tokenizer splits them
-- (case and accents ignored; '-', '_', '.' and '/' are part of a word, so "P4711-500" and
-- "koffie-bonen" stay one word each), with a prefix index for the first one and two letters.
DROP TRIGGER search_variant_insert;
DROP TRIGGER search_variant_update;
DROP TRIGGER search_variant_delete;
DROP TABLE search_pending_variants;
DROP TABLE variant_search;
DROP TABLE catalog_search;
CREATE VIRTUAL TABLE catalog_search USING fts5(
    titles, brand_tags, handle, codes,
    tokenize = 'trigram remove_diacritics 1'
);
CREATE VIRTUAL TABLE catalog_words USING fts5(
    titles, skus,
    tokenize = "unicode61 remove_diacritics 2 tokenchars '-_./'",
    prefix = '1 2'
);
CREATE TRIGGER search_variant_insert AFTER INSERT ON variants BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (new.product_id);
END;
CREATE TRIGGER search_variant_update AFTER UPDATE OF sku, gtin, product_id ON variants BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id)
    VALUES (old.product_id), (new.product_id);
END;
CREATE TRIGGER search_variant_delete AFTER DELETE ON variants BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (old.product_id);
END;
-- Every product is indexed again by store::search::catch_up, in the upgrade's transaction.
INSERT OR IGNORE INTO search_pending_products (product_id) SELECT id FROM products;
