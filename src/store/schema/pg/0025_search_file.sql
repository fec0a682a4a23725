-- SQLite's search index in a file of its own (its 0025). PostgreSQL's GIN index keeps a pending
-- list of its own (fastupdate, as its 0023 says), so nothing changes here; the number is kept in
-- step.
SELECT 1;
