-- Version 9: order lines remember how many units were cancelled and how many of those were put
-- back on the shelf. Both Kanaal's own "Cancel" (once the channel confirmed it) and a
-- cancellation read from the channel add only the difference up to the line's quantity, so
-- stock is returned exactly once whichever comes first.
ALTER TABLE order_lines ADD COLUMN quantity_cancelled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN stock_returned INTEGER NOT NULL DEFAULT 0;
