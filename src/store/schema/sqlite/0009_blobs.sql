-- Nothing to change: SQLite keeps attachment content, thumbnails and export files under
-- --data-dir (its one process owns them) and runs export jobs without leases. The number is kept
-- in step with pg/0009_blobs.sql, which stores them in the database.
SELECT 1;
