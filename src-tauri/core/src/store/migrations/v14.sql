-- Version 14: a listing's mirror remembers a digest of the fields the publish plan compares,
-- written when Kanaal's own send settled it (publish::outbox::after_success). The planner then
-- recognises an unchanged listing by that digest, without reading or parsing the mirror text.
-- Any other change of the payload (a drift adoption, a read-back from the channel) clears the
-- digest, so a digest always describes the payload beside it. See schema.sql.
ALTER TABLE listing_mirror ADD COLUMN compared_digest BLOB;
CREATE TRIGGER listing_mirror_payload_changed AFTER UPDATE OF payload ON listing_mirror BEGIN
    UPDATE listing_mirror SET compared_digest = NULL WHERE listing_id = new.listing_id;
END;
