-- Kanaal data file, the current schema (version 18). See store/schema.rs for how versions are
-- upgraded: a change here needs a step in migrations/ and a fixture in tests/fixtures/.
-- Money is TEXT (a decimal string such as '12.50') beside a currency column; time is TEXT in
-- RFC 3339 UTC. Every table that the merchant edits carries a change_counter that each edit bumps.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE categories (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES categories(id) ON DELETE RESTRICT,
    name_nl   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    position  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE products (
    id             INTEGER PRIMARY KEY,
    handle         TEXT NOT NULL UNIQUE,
    title_nl       TEXT NOT NULL,
    title_en       TEXT NOT NULL,
    description_nl TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    brand          TEXT NOT NULL DEFAULT '',
    category_id    INTEGER REFERENCES categories(id) ON DELETE SET NULL,
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
    tags           TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    change_counter INTEGER NOT NULL DEFAULT 1,
    -- Stock over every variant and location, kept by the stock_total_* triggers below.
    stock_total    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX products_category ON products(category_id);

-- The option names of a product (Gewicht, Maling), in order; values live on the variants.
CREATE TABLE product_options (
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name_nl    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    PRIMARY KEY (product_id, position)
) STRICT;

CREATE TABLE variants (
    id               INTEGER PRIMARY KEY,
    product_id       INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    sku              TEXT NOT NULL UNIQUE,
    gtin             TEXT,
    options          TEXT NOT NULL DEFAULT '[]', -- JSON array of option values, by option position
    price            TEXT NOT NULL,              -- incl. VAT
    compare_at_price TEXT,
    cost             TEXT,
    currency         TEXT NOT NULL DEFAULT 'EUR',
    vat_rate         TEXT NOT NULL DEFAULT 'standard' CHECK (vat_rate IN ('standard', 'reduced', 'zero')),
    weight_grams     INTEGER,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    change_counter   INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX variants_product ON variants(product_id, position);
CREATE UNIQUE INDEX variants_gtin ON variants(gtin) WHERE gtin IS NOT NULL;

CREATE TABLE locations (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE stock (
    variant_id  INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES locations(id) ON DELETE RESTRICT,
    quantity    INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (variant_id, location_id)
) STRICT;

-- Image files are stored content-addressed in the data folder (images/ab/abcdef...); this table
-- knows them by hash.
CREATE TABLE images (
    hash       TEXT PRIMARY KEY NOT NULL, -- sha256, lower-case hex
    mime       TEXT NOT NULL,
    bytes      INTEGER NOT NULL,
    width      INTEGER,
    height     INTEGER,
    created_at TEXT NOT NULL,
    thumb_hash TEXT -- a small copy of a raster picture, for lists; NULL for SVG
) STRICT;

CREATE TABLE product_images (
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    image_hash TEXT NOT NULL REFERENCES images(hash) ON DELETE RESTRICT,
    alt_nl     TEXT NOT NULL DEFAULT '',
    alt_en     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, position)
) STRICT;

-- A channel holds a reference to its credential in the OS keyring, never the secret itself.
CREATE TABLE channels (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    name           TEXT NOT NULL,
    settings       TEXT NOT NULL DEFAULT '{}', -- JSON
    credential_ref TEXT,
    enabled        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL
) STRICT;

CREATE TABLE channel_category_mappings (
    channel_id         INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    category_id        INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    remote_category_id TEXT NOT NULL,
    remote_path        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (channel_id, category_id)
) STRICT;

CREATE TABLE channel_rules (
    channel_id   INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
    price_rule   TEXT NOT NULL DEFAULT '{}', -- JSON: markup, rounding, minimum margin
    stock_buffer INTEGER NOT NULL DEFAULT 0,
    stock_max    INTEGER,
    stock_share  TEXT -- decimal fraction of stock offered on this channel
) STRICT;

CREATE TABLE listings (
    id                INTEGER PRIMARY KEY,
    channel_id        INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    product_id        INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    variant_id        INTEGER REFERENCES variants(id) ON DELETE CASCADE,
    remote_id         TEXT,
    state             TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'pending', 'live', 'rejected', 'unpublished')),
    overrides         TEXT NOT NULL DEFAULT '{}', -- JSON: title, description, price per listing
    change_counter    INTEGER NOT NULL DEFAULT 1,
    last_published_at TEXT,
    -- 1 while the listing has something to send (see the pending_* triggers below).
    pending           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (channel_id, product_id, variant_id)
) STRICT;
CREATE UNIQUE INDEX listings_remote ON listings(channel_id, remote_id) WHERE remote_id IS NOT NULL;
-- The grid's "changed since last publish" filter looks up each product's listings.
CREATE INDEX listings_product ON listings(product_id);
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
CREATE INDEX listings_pending ON listings(product_id) WHERE pending = 1 AND state <> 'unpublished';

-- The last copy of a listing the channel confirmed: the base of the three-way merge.
CREATE TABLE listing_mirror (
    listing_id INTEGER PRIMARY KEY REFERENCES listings(id) ON DELETE CASCADE,
    payload    TEXT NOT NULL, -- JSON as the channel returned it, unknown fields kept
    fetched_at TEXT NOT NULL,
    -- Digest of the fields the publish plan compares (publish::fast), set only when Kanaal's own
    -- send settled this payload; any other change of the payload clears it (trigger below).
    compared_digest BLOB
) STRICT;
CREATE TRIGGER listing_mirror_payload_changed AFTER UPDATE OF payload ON listing_mirror BEGIN
    UPDATE listing_mirror SET compared_digest = NULL WHERE listing_id = new.listing_id;
END;

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    channel_id       INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    listing_id       INTEGER REFERENCES listings(id) ON DELETE SET NULL,
    batch_id         TEXT NOT NULL,
    operation        TEXT NOT NULL,
    payload          TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    counter_snapshot INTEGER NOT NULL DEFAULT 0,
    state            TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'waiting', 'done', 'failed', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    remote_job_id    TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_pending ON outbox(channel_id, state, next_attempt_at);
CREATE INDEX outbox_listing ON outbox(listing_id);

-- What the last drift check found changed on the channel since it last confirmed a listing
-- (the mirror), per listing and field: 'remote' (only the channel changed it; can be adopted)
-- or 'conflict' (changed on both sides; the merchant chooses, the listing is held back from
-- publishing until then). Values are JSON: base (mirror), mine (rendered now), theirs (read back).
CREATE TABLE drift_findings (
    listing_id INTEGER NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
    field      TEXT NOT NULL, -- 'title', or 'price:<SKU>'
    kind       TEXT NOT NULL CHECK (kind IN ('remote', 'conflict')),
    base       TEXT,
    mine       TEXT NOT NULL,
    theirs     TEXT NOT NULL,
    found_at   TEXT NOT NULL,
    PRIMARY KEY (listing_id, field)
) STRICT;

-- Where each channel's order (and review, payout) stream was last read up to.
CREATE TABLE sync_cursors (
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    stream     TEXT NOT NULL,
    cursor     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (channel_id, stream)
) STRICT;

CREATE TABLE persons (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL
) STRICT;

-- Customers as each channel shows them (often masked). Matching uses keyed hashes only.
CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    channel_id     INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    remote_id      TEXT NOT NULL,
    name           TEXT,
    email          TEXT,
    phone          TEXT,
    postcode       TEXT,
    house_number   TEXT,
    city           TEXT,
    country        TEXT,
    masked_fields  TEXT NOT NULL DEFAULT '[]', -- JSON array of field names the channel hides
    match_keys     TEXT NOT NULL DEFAULT '{}', -- JSON of keyed hashes used for person matching
    person_id      INTEGER REFERENCES persons(id) ON DELETE SET NULL,
    UNIQUE (channel_id, remote_id)
) STRICT;

CREATE TABLE orders (
    id            INTEGER PRIMARY KEY,
    channel_id    INTEGER NOT NULL REFERENCES channels(id) ON DELETE RESTRICT,
    remote_id     TEXT NOT NULL,
    status        TEXT NOT NULL,
    placed_at     TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    currency      TEXT NOT NULL DEFAULT 'EUR',
    total         TEXT NOT NULL,
    shipping      TEXT,
    fees_reported TEXT,
    customer_id   INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    ship_by       TEXT,
    stock_applied INTEGER NOT NULL DEFAULT 0,
    raw           TEXT NOT NULL, -- the channel's payload, as received
    UNIQUE (channel_id, remote_id)
) STRICT;
CREATE INDEX orders_placed ON orders(placed_at);

CREATE TABLE order_lines (
    id             INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    line_no        INTEGER NOT NULL,
    remote_line_id TEXT,
    sku            TEXT,
    variant_id     INTEGER REFERENCES variants(id) ON DELETE SET NULL,
    title          TEXT NOT NULL,
    quantity       INTEGER NOT NULL,
    unit_price     TEXT NOT NULL,
    vat_rate       TEXT,
    fee_reported   TEXT,
    quantity_cancelled INTEGER NOT NULL DEFAULT 0, -- units cancelled (by the merchant or channel)
    stock_returned INTEGER NOT NULL DEFAULT 0, -- of those, units put back on the shelf
    ship_by        TEXT,    -- RFC 3339 UTC: the channel cancels this line unless shipped by then
    cancel_requested INTEGER NOT NULL DEFAULT 0, -- the customer asked the channel to cancel it
    UNIQUE (order_id, line_no)
) STRICT;

CREATE TABLE reviews (
    id         INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    remote_id  TEXT NOT NULL,
    product_id INTEGER REFERENCES products(id) ON DELETE SET NULL,
    order_id   INTEGER REFERENCES orders(id) ON DELETE SET NULL,
    rating     INTEGER CHECK (rating BETWEEN 1 AND 5),
    title      TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    language   TEXT,
    author     TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (channel_id, remote_id)
) STRICT;

-- Fee rules as versioned data with effective dates and a source.
CREATE TABLE fee_schedules (
    id             INTEGER PRIMARY KEY,
    channel_kind   TEXT NOT NULL,
    version        INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    effective_to   TEXT,
    source         TEXT NOT NULL,
    rules          TEXT NOT NULL, -- JSON
    UNIQUE (channel_kind, version)
) STRICT;

-- One row per changed field, for history and undo. batch_id groups a bulk edit or an import.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    source    TEXT NOT NULL, -- 'ui', 'import', 'cli', 'sync', 'demo'
    batch_id  TEXT,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
) STRICT;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

-- One row per edit batch (a single edit, a bulk edit, an import): the undo/redo stack. Undo
-- takes the latest 'done' batch back; redo re-applies the earliest 'undone' one; a new edit
-- discards what could still be redone.
CREATE TABLE edit_batches (
    id         TEXT PRIMARY KEY NOT NULL,
    seq        INTEGER NOT NULL UNIQUE,
    at         TEXT NOT NULL,
    source     TEXT NOT NULL,
    label      TEXT NOT NULL,
    changes    INTEGER NOT NULL,
    state      TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone', 'discarded')),
    changed_at TEXT NOT NULL
) STRICT;
CREATE INDEX audit_batch ON audit_log(batch_id);

-- Full-text search over the catalog, and the indexes the grid sorts and filters by.
--
-- The search index uses the trigram tokenizer: it finds any run of three or more letters inside
-- a word, so "bonen" finds "koffiebonen" (Dutch writes compounds as one word, which a
-- word-based tokenizer cannot split) and every prefix typed so far matches, in Dutch and English
-- alike. Descriptions are left out on purpose: in a coffee shop every description says
-- "koffie", and the grid's search is for finding a product by name, brand, tag, SKU or EAN.
-- One row per product (rowid = product id); `codes` holds the SKUs and EANs of all its
-- variants. A typed word never holds a space, so it cannot match across the spaces that join
-- them. The texts are stored folded by Kanaal (store::search::fold: lower case, no accents)
-- and compared exactly (case_sensitive 1), so that a search can also check a product's stored
-- text itself and find exactly what the index finds (catalog::query walks the list's order that
-- way for a word most products have).
CREATE VIRTUAL TABLE catalog_search USING fts5(
    titles, brand_tags, handle, codes,
    tokenize = 'trigram case_sensitive 1'
);
-- One or two letters are too short for the trigram index. They match the start of a word in
-- the titles, or of a SKU: words as the unicode61 tokenizer splits them (case and accents
-- ignored; '-', '_', '.' and '/' are part of a word, so "P4711-500" and "koffie-bonen" stay one
-- word each), with a prefix index for the first one and two letters.
CREATE VIRTUAL TABLE catalog_words USING fts5(
    titles, skus,
    tokenize = "unicode61 remove_diacritics 2 tokenchars '-_./'",
    prefix = '1 2'
);
-- What the search index has yet to take in. Triggers note every product whose searchable text
-- (or its variants' codes) changed; the store brings the index up to date once, just before
-- each write transaction commits (store::search::catch_up). Writing the full-text tables from
-- the triggers instead would make SQLite flush the index to disk after every single statement,
-- which turned a 100,000-product import from seconds into minutes.
CREATE TABLE search_pending_products (product_id INTEGER PRIMARY KEY) STRICT;
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
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (new.product_id);
END;
CREATE TRIGGER search_variant_update AFTER UPDATE OF sku, gtin, product_id ON variants BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id)
    VALUES (old.product_id), (new.product_id);
END;
CREATE TRIGGER search_variant_delete AFTER DELETE ON variants BEGIN
    INSERT OR IGNORE INTO search_pending_products (product_id) VALUES (old.product_id);
END;
-- The grid sorts by title in the merchant's language and by last change, and filters by status.
CREATE INDEX products_title_nl ON products(title_nl COLLATE NOCASE, id);
CREATE INDEX products_title_en ON products(title_en COLLATE NOCASE, id);
CREATE INDEX products_updated ON products(updated_at, id);
CREATE INDEX products_status ON products(status);

-- Version 17: a counter of the changes to the products' title order. The grid keeps the
-- product ids in title order in memory (catalog::query::TitleOrders) for searches that match
-- much of the catalog; it reads this one row with every search and reads the order again when
-- the number differs from the one it was built at. Any change that can move a product in the
-- order bumps it (a product added or removed, a title or id changed), from this program or any
-- other that writes the file, in the same transaction as the change.
CREATE TABLE title_order_counter (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    n   INTEGER NOT NULL
) STRICT;
INSERT INTO title_order_counter (one, n) VALUES (1, 0);
CREATE TRIGGER title_order_insert AFTER INSERT ON products BEGIN
    UPDATE title_order_counter SET n = n + 1;
END;
CREATE TRIGGER title_order_delete AFTER DELETE ON products BEGIN
    UPDATE title_order_counter SET n = n + 1;
END;
CREATE TRIGGER title_order_update AFTER UPDATE OF id, title_nl, title_en ON products
WHEN new.id IS NOT old.id OR new.title_nl IS NOT old.title_nl OR new.title_en IS NOT old.title_en
BEGIN
    UPDATE title_order_counter SET n = n + 1;
END;

-- Each product's stock in all, for the grid's stock filter and sort. Recomputed from the rows
-- rather than adjusted by the difference, so the order in which SQLite runs a cascade (a
-- variant deleted with its stock) cannot leave it wrong.
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


-- Version 8: pictures to fetch. A product CSV names its pictures by web address; the import
-- queues them here in its own transaction. The download then stores each picture ('fetched',
-- with its hash) and adds a product's fetched pictures to it in one transaction ('done'), so a
-- quit or a crash mid-download resumes where it stopped and never loses or doubles a picture.
CREATE TABLE picture_fetches (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    position    INTEGER NOT NULL, -- place among this product's pictures in the file, from 0
    alt         TEXT NOT NULL DEFAULT '',
    row_number  INTEGER NOT NULL, -- the spreadsheet row that names the picture (header = row 1)
    column_name TEXT NOT NULL,    -- the column that names it, as the file writes it
    state       TEXT NOT NULL DEFAULT 'waiting'
                CHECK (state IN ('waiting', 'fetched', 'done', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    failure     TEXT,             -- JSON: why the last try failed ('offline' keeps it waiting)
    image_hash  TEXT,             -- the picture as stored, once fetched
    queued_at   TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    batch_id    TEXT,             -- the import (edit_batches.id) that queued it first (v12;
                                  -- older rows got it in v18 where it can be told)
    UNIQUE (product_id, url)
) STRICT;
CREATE INDEX picture_fetches_state ON picture_fetches(state, product_id, position);
CREATE INDEX picture_fetches_batch ON picture_fetches(batch_id);

-- Version 12: undo and redo of an import take its picture downloads along. Each queued picture
-- remembers the import that queued it first; undoing that import moves its rows aside (here,
-- without a link to products, because undo may remove the product they belong to), and redo
-- puts them back with the same ids and states, after the products are back.
CREATE TABLE picture_fetches_undone (
    id          INTEGER NOT NULL,  -- the row's id in picture_fetches, kept for redo
    batch_id    TEXT NOT NULL,     -- the undone import
    product_id  INTEGER NOT NULL,
    url         TEXT NOT NULL,
    position    INTEGER NOT NULL,
    alt         TEXT NOT NULL,
    row_number  INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    state       TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    failure     TEXT,
    image_hash  TEXT,
    queued_at   TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX picture_fetches_undone_batch ON picture_fetches_undone(batch_id);

-- Version 13: the full-text tables keep up to 64 MiB of new index data in memory before writing
-- a segment (FTS5's default is 1 MiB): indexing a 100,000-product import then writes a few large
-- segments instead of hundreds that must be merged again, in about half the time. (Version 13
-- also had a marker table for bulk imports; version 15 removed it again.)
INSERT INTO catalog_search (catalog_search, rank) VALUES ('hashsize', 67108864);
INSERT INTO catalog_words (catalog_words, rank) VALUES ('hashsize', 67108864);

-- Version 16: indexes on the foreign keys that had none. Deleting a variant or product (an
-- undone import, a product removed in the editor) makes SQLite check every row that points at
-- it; without an index that check read all order lines, listings and reviews, once per deleted
-- row, which grows with the shop's history.
CREATE INDEX order_lines_variant ON order_lines(variant_id);
CREATE INDEX listings_variant ON listings(variant_id);
CREATE INDEX reviews_product ON reviews(product_id);
CREATE INDEX reviews_order ON reviews(order_id);
