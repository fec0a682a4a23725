-- Each user's notifications stored together (WITHOUT ROWID, key (user_id, id)): every read of
-- them is one user's (the bell's list newest first, its unread count, marking read), so the
-- table is that order and notifications_user goes. A notification written is one table entry
-- and one notifications_unread entry, where the rowid table wrote a row and two index entries
-- (docs/PERFORMANCE.md, "The claim deletes a run"). The count and marking read name
-- notifications_unread (INDEXED BY): the table's order would walk the user's whole history.
-- SQLite only.
CREATE TABLE notifications_by_user (
    id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
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
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID, STRICT;
INSERT INTO notifications_by_user (id, user_id, shop_id, kind, workorder_id, wo_number, title,
                                   actor_id, actor_name, text, created_at, read_at)
    SELECT id, user_id, shop_id, kind, workorder_id, wo_number, title, actor_id, actor_name, text,
           created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_by_user RENAME TO notifications;
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at = 0;
