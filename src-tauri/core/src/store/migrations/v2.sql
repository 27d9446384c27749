-- Version 2: edit batches, for history and undo/redo across restarts.
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
