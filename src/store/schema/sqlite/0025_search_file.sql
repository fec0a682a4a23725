-- The search index in a file of its own (issue 12, docs/decisions.md "SQLite keeps its search
-- index in a file of its own"). FTS5 merges its segments in bursts of tens of milliseconds; while
-- the batch move ran in the writer's transaction every create queued behind it waited. The index
-- now lives in the database file's neighbour `<database>-search`, attached to every connection
-- as `search` (src/store/sqlite/db.c), and only the search index's thread writes it
-- (src/store/sqlite/search_mover.c). search_moved.upto is the highest waiting piece that thread
-- has indexed; wo_search_gone names the pieces replaced since, left out of a search until the
-- thread has deleted them from the index.
--
-- The index is copied as FTS5 keeps it, its shadow tables row for row (the same table definition,
-- so the same tokenizer and the same segments), not tokenised again. SQLite in WAL mode commits
-- the two files one after the other, main first: the copy is committed before the old table is
-- dropped, so a crash between the two leaves the migration to run again from the start (the copy
-- made again from the table that is still there), never a database without its index.
DROP TABLE IF EXISTS search.wo_search_text;
DROP TABLE IF EXISTS search.search_moved;
CREATE VIRTUAL TABLE search.wo_search_text USING fts5(body, shop, workorder_id UNINDEXED, tokenize = 'gd_bigram');
DELETE FROM search.wo_search_text_data;
INSERT INTO search.wo_search_text_data SELECT * FROM main.wo_search_text_data;
DELETE FROM search.wo_search_text_idx;
INSERT INTO search.wo_search_text_idx SELECT * FROM main.wo_search_text_idx;
DELETE FROM search.wo_search_text_content;
INSERT INTO search.wo_search_text_content SELECT * FROM main.wo_search_text_content;
DELETE FROM search.wo_search_text_docsize;
INSERT INTO search.wo_search_text_docsize SELECT * FROM main.wo_search_text_docsize;
DELETE FROM search.wo_search_text_config;
INSERT INTO search.wo_search_text_config SELECT * FROM main.wo_search_text_config;
CREATE TABLE search.search_moved (upto INTEGER NOT NULL);
INSERT INTO search.search_moved VALUES (0);
COMMIT;
BEGIN IMMEDIATE;
DROP TABLE main.wo_search_text;
CREATE TABLE wo_search_gone (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    piece INTEGER NOT NULL
);
