-- Version 18: picture downloads queued before version 12 learn the import that queued them, so
-- that undo and redo of that import take them along like newer ones (picture_queue::set_aside
-- and restore go by batch_id, which version 12 added empty for the rows already there).
--
-- The rule, exact for what an older version wrote: an import queued its pictures in its own
-- transaction with its own moment, so a row's queued_at (set when it was first queued, never
-- changed after) is that import's moment to the millisecond. The import's undo step has the same
-- moment in edit_batches.at and in its id, 'import-<moment without - and :>-<file digest>-<n>'
-- (catalog::csv::batch_id); an edit that attaches downloaded pictures is named 'import-<n>' and
-- never matches. A row gets the batch only when exactly one import step has that moment. Left
-- as they are (no batch: undo keeps leaving them queued, as before): rows of an import that
-- changed nothing in the catalog (it has no undo step, so nothing can undo it), and rows whose
-- moment two import steps share (only a fixed clock does that).
--
-- Looked up by moment through small keyed tables: about 1 s for 100,000 queued pictures and
-- 2,000 imports (a join that compared every row with every import took 17 s).

-- The moments that exactly one import step has, with that step.
CREATE TEMP TABLE v18_moments (
    at       TEXT PRIMARY KEY, -- edit_batches.at = picture_fetches.queued_at
    batch_id TEXT NOT NULL
);
INSERT INTO temp.v18_moments (at, batch_id)
SELECT b.at, min(b.id)
  FROM edit_batches b
 WHERE b.id GLOB 'import-' || replace(replace(b.at, '-', ''), ':', '') || '-*'
 GROUP BY b.at
HAVING count(*) = 1;

CREATE TEMP TABLE v18_attributed (
    fetch_id INTEGER PRIMARY KEY, -- picture_fetches.id
    batch_id TEXT NOT NULL
);
INSERT INTO temp.v18_attributed (fetch_id, batch_id)
SELECT f.id, m.batch_id
  FROM picture_fetches f
  JOIN temp.v18_moments m ON m.at = f.queued_at
 WHERE f.batch_id IS NULL;

UPDATE picture_fetches
   SET batch_id = (SELECT a.batch_id FROM temp.v18_attributed a WHERE a.fetch_id = picture_fetches.id)
 WHERE id IN (SELECT fetch_id FROM temp.v18_attributed);

-- An import already undone before the upgrade left its pictures queued (for the products it
-- only changed; those of products it created went with them). Set them aside as undo does now,
-- so redo puts them back; for an import that can no longer be redone (discarded), the next undo
-- forgets them (picture_queue::forget_discarded), as it does for newer rows.
INSERT INTO picture_fetches_undone
       (id, batch_id, product_id, url, position, alt, row_number, column_name, state, attempts,
        failure, image_hash, queued_at, updated_at)
SELECT f.id, f.batch_id, f.product_id, f.url, f.position, f.alt, f.row_number, f.column_name,
       f.state, f.attempts, f.failure, f.image_hash, f.queued_at, f.updated_at
  FROM picture_fetches f
  JOIN temp.v18_attributed a ON a.fetch_id = f.id
  JOIN edit_batches b ON b.id = f.batch_id
 WHERE b.state IN ('undone', 'discarded');

DELETE FROM picture_fetches
 WHERE id IN (SELECT a.fetch_id FROM temp.v18_attributed a
                JOIN edit_batches b ON b.id = a.batch_id
               WHERE b.state IN ('undone', 'discarded'));

DROP TABLE temp.v18_attributed;
DROP TABLE temp.v18_moments;
