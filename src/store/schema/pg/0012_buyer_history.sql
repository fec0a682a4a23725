-- The buyer's history on a work order page (GET /workorders/{id}/buyer_history): the shop's work
-- orders about one buyer, newest first, without reading the shop's other work orders.
CREATE INDEX wo_buyer ON workorders(shop_id, buyer_nick, id) WHERE buyer_nick IS NOT NULL;
