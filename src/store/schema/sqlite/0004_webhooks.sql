-- Outgoing webhooks (DESIGN.md "API conventions"): a shop's endpoints and the outbox of the
-- timeline events owed to them.
--
-- An outbox row is written in the same transaction as its event, and only when the shop has an
-- endpoint. SQLite has one writer at a time, so `seq` follows commit order: what a reader sees of
-- the outbox is always a prefix, and an endpoint's cursor (the last seq it acknowledged) can never
-- step over an event that commits later. Rows every endpoint of the shop has acknowledged are
-- trimmed by the deliverer.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    events TEXT NOT NULL DEFAULT '', -- the event kinds it takes, comma-separated; '' = every kind
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    cursor INTEGER NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX webhooks_shop ON webhooks(shop_id);

CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id INTEGER NOT NULL,
    event_id INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_shop ON outbox(shop_id, seq);
