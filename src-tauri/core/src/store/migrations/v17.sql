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
