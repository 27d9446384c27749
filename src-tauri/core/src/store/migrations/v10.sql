-- Version 10: listings know whether they have something to send; the search index holds
-- folded text.
--
-- Whether each listing has something to send (listings.pending): the publish engine's test
-- (publish::listing_pending_sql: never published, or its own change counter plus its
-- product's and its listed variants' add up above zero), kept by these triggers whenever one of
-- those counters, the publish time or what the listing points at changes. The grid's "changed
-- since last publish" filter then reads the partial index instead of summing counters for every
-- listing (a second for 200,000 listings). Recomputed from the rows rather than adjusted, so the
-- order in which SQLite runs a cascade cannot leave it wrong (a missing product counts as 0:
-- during a product delete its variants go before its listings do). A counter that only grows
-- cannot end a listing's pending state, so those triggers skip listings already pending: a bulk
-- edit of three variants of a product recomputes its listings once, not three times.
ALTER TABLE listings ADD COLUMN pending INTEGER NOT NULL DEFAULT 1;
UPDATE listings SET pending = (listings.last_published_at IS NULL OR (listings.change_counter
      + coalesce((SELECT lp.change_counter FROM products lp WHERE lp.id = listings.product_id), 0)
      + coalesce((SELECT sum(lv.change_counter) FROM variants lv
                   WHERE lv.product_id = listings.product_id
                     AND (listings.variant_id IS NULL OR lv.id = listings.variant_id)), 0)) > 0);
CREATE INDEX listings_pending ON listings(product_id) WHERE pending = 1 AND state <> 'unpublished';
CREATE TRIGGER pending_listing_insert AFTER INSERT ON listings BEGIN
    UPDATE listings SET pending = (listings.last_published_at IS NULL OR (listings.change_counter
      + coalesce((SELECT lp.change_counter FROM products lp WHERE lp.id = listings.product_id), 0)
      + coalesce((SELECT sum(lv.change_counter) FROM variants lv
                   WHERE lv.product_id = listings.product_id
                     AND (listings.variant_id IS NULL OR lv.id = listings.variant_id)), 0)) > 0)
     WHERE id = new.id;
END;
CREATE TRIGGER pending_listing_update
AFTER UPDATE OF change_counter, last_published_at, product_id, variant_id ON listings BEGIN
    UPDATE listings SET pending = (listings.last_published_at IS NULL OR (listings.change_counter
      + coalesce((SELECT lp.change_counter FROM products lp WHERE lp.id = listings.product_id), 0)
      + coalesce((SELECT sum(lv.change_counter) FROM variants lv
                   WHERE lv.product_id = listings.product_id
                     AND (listings.variant_id IS NULL OR lv.id = listings.variant_id)), 0)) > 0)
     WHERE id = new.id;
END;
CREATE TRIGGER pending_product_update AFTER UPDATE OF change_counter ON products
WHEN old.change_counter IS NOT new.change_counter BEGIN
    UPDATE listings SET pending = (listings.last_published_at IS NULL OR (listings.change_counter
      + coalesce((SELECT lp.change_counter FROM products lp WHERE lp.id = listings.product_id), 0)
      + coalesce((SELECT sum(lv.change_counter) FROM variants lv
                   WHERE lv.product_id = listings.product_id
                     AND (listings.variant_id IS NULL OR lv.id = listings.variant_id)), 0)) > 0)
     WHERE product_id = new.id AND (pending = 0 OR new.change_counter < old.change_counter);
END;
CREATE TRIGGER pending_variant_insert AFTER INSERT ON variants BEGIN
    UPDATE listings SET pending = (listings.last_published_at IS NULL OR (listings.change_counter
      + coalesce((SELECT lp.change_counter FROM products lp WHERE lp.id = listings.product_id), 0)
      + coalesce((SELECT sum(lv.change_counter) FROM variants lv
                   WHERE lv.product_id = listings.product_id
                     AND (listings.variant_id IS NULL OR lv.id = listings.variant_id)), 0)) > 0)
     WHERE product_id = new.product_id AND (pending = 0 OR new.change_counter < 0);
END;
CREATE TRIGGER pending_variant_update AFTER UPDATE OF change_counter, product_id ON variants
WHEN old.change_counter IS NOT new.change_counter OR old.product_id IS NOT new.product_id BEGIN
    UPDATE listings SET pending = (listings.last_published_at IS NULL OR (listings.change_counter
      + coalesce((SELECT lp.change_counter FROM products lp WHERE lp.id = listings.product_id), 0)
      + coalesce((SELECT sum(lv.change_counter) FROM variants lv
                   WHERE lv.product_id = listings.product_id
                     AND (listings.variant_id IS NULL OR lv.id = listings.variant_id)), 0)) > 0)
     WHERE product_id IN (old.product_id, new.product_id)
       AND (pending = 0 OR new.change_counter < old.change_counter
            OR old.product_id IS NOT new.product_id);
END;
CREATE TRIGGER pending_variant_delete AFTER DELETE ON variants BEGIN
    UPDATE listings SET pending = (listings.last_published_at IS NULL OR (listings.change_counter
      + coalesce((SELECT lp.change_counter FROM products lp WHERE lp.id = listings.product_id), 0)
      + coalesce((SELECT sum(lv.change_counter) FROM variants lv
                   WHERE lv.product_id = listings.product_id
                     AND (listings.variant_id IS NULL OR lv.id = listings.variant_id)), 0)) > 0)
     WHERE product_id = old.product_id;
END;

-- The search index is made again with folded text, compared exactly (see schema.sql); every
-- product is indexed again before the upgrade commits (store::search::catch_up).
DROP TABLE catalog_search;
CREATE VIRTUAL TABLE catalog_search USING fts5(
    titles, brand_tags, handle, codes,
    tokenize = 'trigram case_sensitive 1'
);
INSERT OR IGNORE INTO search_pending_products (product_id) SELECT id FROM products;
