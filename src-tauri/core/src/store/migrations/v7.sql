-- Version 7: drift findings. What the last drift check (a read-back of the channel compared
-- with the listing mirror) found changed on the channel, per listing and field: 'remote' when
-- only the channel changed it (can be adopted), 'conflict' when Kanaal's copy changed too (the
-- merchant chooses; the listing is held back from publishing until then). Values are JSON:
-- base = what the channel last confirmed (the mirror), mine = rendered from the catalog now,
-- theirs = what the channel shows now.
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
