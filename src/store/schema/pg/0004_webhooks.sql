-- Outgoing webhooks (DESIGN.md "API conventions"): a shop's endpoints and the outbox of the
-- timeline events owed to them.
--
-- An outbox row is written in the same transaction as its event, and only when the shop has an
-- endpoint. PostgreSQL runs writers concurrently, so a global sequence would not follow commit
-- order (a reader could see seq 8 before seq 7 commits, and a cursor would step over 7). Instead
-- `seq` is per shop, taken from the shop's counters row ('outbox') by an UPDATE that holds that
-- row's lock until the transaction ends: the next writer of the same shop waits, so a shop's
-- outbox rows commit in seq order and what a reader sees of them is always a prefix.
CREATE TABLE webhooks (
    id BIGINT PRIMARY KEY,
    shop_id BIGINT NOT NULL REFERENCES shops(id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    events TEXT NOT NULL DEFAULT '', -- the event kinds it takes, comma-separated; '' = every kind
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    cursor BIGINT NOT NULL,
    delivered BIGINT NOT NULL DEFAULT 0,
    failures BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL DEFAULT 0,
    last_attempt_at BIGINT NOT NULL DEFAULT 0,
    last_status BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhooks_shop ON webhooks(shop_id);

CREATE TABLE outbox (
    shop_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    event_id BIGINT NOT NULL,
    PRIMARY KEY (shop_id, seq)
);
