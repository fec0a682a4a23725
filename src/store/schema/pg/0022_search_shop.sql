-- Search scoped to the shop (issue 14). Every piece's tokens gain its shop's, 'shop <id>' (it
-- holds a space, which no token of text holds: src/store/pg/search.c), and a search adds it to
-- each term's tokens (src/store/pg/filter.c), so the GIN index intersects the term with the
-- shop and yields only that shop's pieces, where it yielded the term's pieces in every shop,
-- each then fetched, rechecked and thrown away unless the work order was the shop's: the time
-- grew with the installation. The index is built again once over the rewritten rows rather than
-- updated row by row.
DROP INDEX wo_search_grams;
UPDATE wo_search s SET grams = s.grams || ('shop ' || w.shop_id)
    FROM workorders w WHERE w.id = s.workorder_id;
CREATE INDEX wo_search_grams ON wo_search USING gin (grams);
