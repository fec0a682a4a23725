-- Notifications (docs/notifications.md): the in-app notification centre and the group robots.
--
-- A notification is one user told of one happening on a work order, written in the same
-- transaction as the change that caused it (a failed request writes none). It copies what the
-- bell's list shows (the work order's number and title, who did it, a short text), so the list
-- is one read of one user's rows. read_at 0 = unread; the partial index keeps the bell's count
-- (a user's unread rows) cheap however long the history grows.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
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
    read_at INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at = 0;

-- Each user's choice of what to be told of: the notification kinds they turned off,
-- comma-separated ('' or no row = every kind).
CREATE TABLE notify_prefs (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    muted TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
) STRICT;

-- A webhook endpoint's body and signing: gongdan (docs/webhooks.md), or a group robot:
-- dingtalk (custom robot, the secret signs the URL) or wecom (group robot webhook key URL).
ALTER TABLE webhooks ADD COLUMN format TEXT NOT NULL DEFAULT 'gongdan';
