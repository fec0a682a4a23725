-- Storage hardening: search as one row per piece of text, and the indexes retention uses.

-- Search, one row per piece of a work order's text: its own fields (title, content, buyer, order
-- number, GD-number; replaced when they are edited) and each piece written later (a note, a
-- completion remark, a collaborative complaint). Adding a note indexes only the note, where one
-- document per work order was re-tokenised whole on every note. A search term matches a work
-- order when any of its pieces contains it (filter.c); a term never spans pieces, as it never
-- spanned the white space that joined them.
CREATE VIRTUAL TABLE wo_search_text USING fts5(body, workorder_id UNINDEXED, tokenize = 'gd_bigram');
-- which piece holds the work order's own fields
CREATE TABLE wo_search_base (
    workorder_id INTEGER PRIMARY KEY,
    piece INTEGER NOT NULL
) STRICT;

-- rebuilt from the rows the old documents were made of
INSERT INTO wo_search_text (rowid, body, workorder_id)
    SELECT id, title || char(10) || content || coalesce(char(10) || buyer_nick, '') ||
               coalesce(char(10) || order_no, '') || char(10) || printf('GD-%06d', number), id
    FROM workorders;
INSERT INTO wo_search_base (workorder_id, piece) SELECT id, id FROM workorders;
INSERT INTO wo_search_text (body, workorder_id)
    SELECT category || char(10) || complaint, workorder_id FROM collab;
INSERT INTO wo_search_text (body, workorder_id)
    SELECT json_extract(e.data, '$.text'), e.workorder_id FROM events e
    WHERE (e.kind = 'noted' AND json_extract(e.data, '$.internal') IS NOT 1 OR
           e.kind = 'state_changed' AND
           (SELECT type FROM workorders w WHERE w.id = e.workorder_id) <> 'collab')
      AND json_extract(e.data, '$.text') <> ''
    ORDER BY e.id;
DROP TABLE wo_search;

-- Retention (the scheduler's janitor pass, service/retention.c): what expires is found by time.
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE INDEX idempotency_age ON idempotency(created_at);
CREATE INDEX attachments_unlinked ON attachments(created_at) WHERE workorder_id IS NULL;
CREATE INDEX attachments_sha ON attachments(sha256);
-- exports: state gains 'expired' (the file removed, the job kept so a download says so)
CREATE INDEX exports_finished ON exports(finished_at) WHERE state = 'done';
