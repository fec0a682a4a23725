-- Search text indexed in batches (issue 12, docs/decisions.md "Search text indexed in batches").
-- FTS5 writes each committing transaction's new text as a segment of its own and merges
-- segments in proportion to the pages written, a page counting as full however little it holds:
-- a create's few hundred bytes of text cost a new segment and several pages of merging in its
-- COMMIT. A piece of text is now written here first, a plain row, and the writer moves the rows
-- into wo_search_text together once enough have gathered (src/store/sqlite/search.c), in the
-- transaction of the group that reaches the mark. A search reads both (filter.c), so a piece is
-- found from its commit on, whichever table holds it.
--
-- A piece keeps its number when moved: the numbers come from this table's sequence, which starts
-- above every piece already indexed, so wo_search_base.piece names a piece in either table.
CREATE TABLE wo_search_pending (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workorder_id INTEGER NOT NULL,
    shop_id INTEGER NOT NULL,
    body TEXT NOT NULL
);
INSERT INTO sqlite_sequence (name, seq)
    VALUES ('wo_search_pending', (SELECT coalesce(max(rowid), 0) FROM wo_search_text));
