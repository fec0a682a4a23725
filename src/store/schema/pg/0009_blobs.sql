-- Bytes every node reads (docs/decisions.md, "Several nodes on one PostgreSQL"): attachment
-- content and thumbnails (keyed by SHA-256) and export files (keyed by job), in chunks of 256 KiB
-- so a download reads one chunk at a time. A blob's row is written with its chunks in one
-- transaction: it is seen whole or not at all. STORAGE EXTERNAL: the bytes are mostly compressed
-- already (JPEG, PNG, MP4, XLSX), so PostgreSQL does not try again.
CREATE TABLE blobs (
    folder     text NOT NULL,
    key        text NOT NULL,
    size       bigint NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (folder, key)
);
CREATE TABLE blob_chunks (
    folder text NOT NULL,
    key    text NOT NULL,
    n      integer NOT NULL,
    data   bytea NOT NULL,
    PRIMARY KEY (folder, key, n),
    FOREIGN KEY (folder, key) REFERENCES blobs (folder, key) ON DELETE CASCADE
);
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- Which node runs an export job, until when (the database's clock, ms): a node that dies stops
-- renewing, and another node takes the job once the lease has expired.
CREATE TABLE export_leases (
    job_id      bigint PRIMARY KEY REFERENCES exports (id) ON DELETE CASCADE,
    node        integer NOT NULL,
    lease_until bigint NOT NULL
);
