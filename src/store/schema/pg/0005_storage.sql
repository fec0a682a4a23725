-- Retention (the scheduler's janitor pass, service/retention.c): what expires is found by time.
-- (The SQLite 0005 also splits search into pieces; here wo_search keeps a work order's fields and
-- its later pieces apart from the start, 0001_center.sql.)
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE INDEX idempotency_age ON idempotency(created_at);
CREATE INDEX attachments_unlinked ON attachments(created_at) WHERE workorder_id IS NULL;
CREATE INDEX attachments_sha ON attachments(sha256);
-- exports: state gains 'expired' (the file removed, the job kept so a download says so)
CREATE INDEX exports_finished ON exports(finished_at) WHERE state = 'done';
