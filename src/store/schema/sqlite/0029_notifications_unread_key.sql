-- The bell's unread rows as a part of the notifications' key, not an index beside them: the key
-- (user_id, unread, id) keeps each user's unread rows together (the bell's count and marking
-- read walk them alone) and the read ones after, so a notification written is one table entry
-- where 0028 wrote a table entry and a notifications_unread entry (docs/PERFORMANCE.md, "The
-- claim deletes a run"). unread is read_at = 0, kept by the store's two writes and checked
-- here. A user's list newest first merges the two runs (store/sqlite/notifications.c). SQLite
-- only.
CREATE TABLE notifications_unread_key (
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
    unread INTEGER NOT NULL DEFAULT 1 CHECK (unread = (read_at = 0)),
    PRIMARY KEY (user_id, unread, id)
) WITHOUT ROWID, STRICT;
INSERT INTO notifications_unread_key (id, user_id, shop_id, kind, workorder_id, wo_number, title,
                                      actor_id, actor_name, text, created_at, read_at, unread)
    SELECT id, user_id, shop_id, kind, workorder_id, wo_number, title, actor_id, actor_name, text,
           created_at, read_at, read_at = 0 FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_unread_key RENAME TO notifications;
