-- Sign-in throttling and idempotency digests.
--
-- login_attempts: one row per throttled subject, 'user:<name>' or 'addr:<client address>'
-- (exact keys, no hashing into shared slots). An attempt is counted here before its password is
-- checked (one upsert that increments and returns the verdict), so parallel guesses cannot pass
-- the limit, and several processes on one database share the counts. `admitted` is the verdict
-- of the latest attempt, read back with RETURNING.
CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    admitted BIGINT NOT NULL DEFAULT 1
);

-- The digest of the request (method, path, body) that first used an Idempotency-Key: the same
-- key with another request is refused instead of answered with the first response. Rows written
-- before this migration have none and are replayed as before.
ALTER TABLE idempotency ADD COLUMN request_digest TEXT;
