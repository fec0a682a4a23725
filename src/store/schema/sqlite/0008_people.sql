-- People (docs/people.md): a user or a shop can be deactivated (it cannot sign in, and its
-- sessions and API tokens stop working) and reactivated; a password set by someone else must
-- be changed at the next sign-in. audit_events records every such change: who, when, what,
-- before -> after (shop_id NULL: a change of the platform's own staff or of shops).
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER REFERENCES shops(id),
    actor_id INTEGER NOT NULL REFERENCES users(id),
    action TEXT NOT NULL,
    target_user_id INTEGER REFERENCES users(id),
    target_shop_id INTEGER REFERENCES shops(id),
    data TEXT NOT NULL, -- JSON object: the fields changed, before and after
    at INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_events_shop ON audit_events(shop_id, id);
