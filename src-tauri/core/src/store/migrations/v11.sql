-- Version 11: order lines carry what the channel says about each line on its own: the moment
-- the platform cancels the line when it has not been shipped (bol.com gives
-- `fulfilment.expiryDate` per order item) and whether the customer asked to cancel it (bol.com
-- `cancellationRequest`). The order's own ship_by stays: the earliest deadline of its open
-- lines, which the inbox sorts and filters on.
ALTER TABLE order_lines ADD COLUMN ship_by TEXT;
ALTER TABLE order_lines ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
