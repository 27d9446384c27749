-- Version 16: indexes on the foreign keys that had none. Deleting a variant or product (an
-- undone import, a product removed in the editor) makes SQLite check every row that points at
-- it; without an index that check read all order lines, listings and reviews, once per deleted
-- row, which grows with the shop's history.
CREATE INDEX order_lines_variant ON order_lines(variant_id);
CREATE INDEX listings_variant ON listings(variant_id);
CREATE INDEX reviews_product ON reviews(product_id);
CREATE INDEX reviews_order ON reviews(order_id);
