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
    UNIQUE (product_id, url)
) STRICT;
CREATE INDEX picture_fetches_state ON picture_fetches(state, product_id, position);
