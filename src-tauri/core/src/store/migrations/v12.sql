-- Version 12: undo and redo of an import take its picture downloads along. Each queued picture
-- remembers the import that queued it first; undoing that import moves its rows aside (here,
-- without a link to products, because undo may remove the product they belong to), and redo
-- puts them back with the same ids and states, after the products are back.
ALTER TABLE picture_fetches ADD COLUMN batch_id TEXT; -- the import (edit_batches.id) that queued it
CREATE INDEX picture_fetches_batch ON picture_fetches(batch_id);
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
