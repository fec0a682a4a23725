-- Search scoped to the shop (issue 14). Every piece of text gains its shop's token in a column of
-- its own, `shop` (char(1) || shop id; the gd_bigram tokenizer reads it as one token, which no
-- user text can produce: src/store/sqlite/bigram.c), and a search ANDs each term with it
-- (src/store/sqlite/filter.c). The index then intersects the term with the shop and yields only
-- that shop's pieces, where it yielded the term's pieces in every shop, each then looked up and
-- thrown away unless the work order was the shop's: the time grew with the installation.
-- FTS5 cannot add a column, so the table is made again from its rows (same piece numbers; the
-- text is tokenised again).
CREATE VIRTUAL TABLE wo_search_shop USING fts5(body, shop, workorder_id UNINDEXED, tokenize = 'gd_bigram');
INSERT INTO wo_search_shop (rowid, body, shop, workorder_id)
    SELECT t.rowid, t.body, char(1) || w.shop_id, t.workorder_id
    FROM wo_search_text t LEFT JOIN workorders w ON w.id = t.workorder_id
    ORDER BY t.rowid;
DROP TABLE wo_search_text;
ALTER TABLE wo_search_shop RENAME TO wo_search_text;
