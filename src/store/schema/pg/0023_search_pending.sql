-- SQLite's search text indexed in batches (its 0023). PostgreSQL's GIN index keeps a pending
-- list of its own (fastupdate), so nothing changes here; the number is kept in step.
SELECT 1;
