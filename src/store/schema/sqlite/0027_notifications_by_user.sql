-- Each user's notifications stored together, without a rowid, keyed (user_id, unread, id): every
-- read of them is one user's (the bell's list newest first, its unread count, marking read), so
-- a user's unread rows are one run of the table (the count and marking read walk it alone) and
-- the read ones another, and a notification written is one table entry, where the rowid table
-- wrote a row, its notifications_user entry and its unread entry (docs/PERFORMANCE.md, "The claim
-- deletes a run"). unread is read_at = 0, kept by the store's two writes and checked here. A
-- user's list newest first merges the two runs (store/sqlite/notifications.c). SQLite only.
-- The key's columns come first, in the key's order: with them elsewhere, SQLite 3.40's
-- PRAGMA integrity_check reports a NULL in every other column of every row (a false alarm).
CREATE TABLE notifications_by_user (
    user_id INTEGER NOT NULL REFERENCES users(id),
    unread INTEGER NOT NULL DEFAULT 1 CHECK (unread = (read_at = 0)),
    id INTEGER NOT NULL,
    shop_id INTEGER NOT NULL, -- the work order's shop
    kind TEXT NOT NULL,
    workorder_id INTEGER NOT NULL,
    wo_number INTEGER NOT NULL,
    title TEXT NOT NULL,
    actor_id INTEGER NOT NULL DEFAULT 0, -- 0 = the system
    actor_name TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    read_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, unread, id)
) WITHOUT ROWID, STRICT;
INSERT INTO notifications_by_user (id, user_id, shop_id, kind, workorder_id, wo_number, title,
                                   actor_id, actor_name, text, created_at, read_at, unread)
    SELECT id, user_id, shop_id, kind, workorder_id, wo_number, title, actor_id, actor_name, text,
           created_at, read_at, read_at = 0 FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_by_user RENAME TO notifications;
