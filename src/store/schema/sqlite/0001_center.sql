-- The work order center: accounts, orders, work orders, timeline, counters, search, idempotency.
-- Times are UTC milliseconds; ids are application-made 64-bit time-ordered integers.
CREATE TABLE shops (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    tz TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    tz_offset_min INTEGER NOT NULL DEFAULT 480,
    aftersales_handler_id INTEGER,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER REFERENCES shops(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    pwhash TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX users_shop ON users(shop_id, id);

CREATE TABLE sessions (
    digest TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE api_tokens (
    digest TEXT PRIMARY KEY,
    id INTEGER NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE orders (
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    order_no TEXT NOT NULL,
    buyer_nick TEXT NOT NULL,
    status TEXT NOT NULL,
    paid_amount INTEGER NOT NULL,
    items TEXT NOT NULL, -- JSON array [{title, sku, quantity, price}]
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (shop_id, order_no)
) STRICT;
CREATE INDEX orders_buyer ON orders(shop_id, buyer_nick);

CREATE TABLE workorders (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    number INTEGER NOT NULL,
    type TEXT NOT NULL,
    state TEXT NOT NULL,
    active INTEGER NOT NULL, -- 1 while someone must act (open, in_progress, awaiting_seller)
    priority TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    handler_id INTEGER REFERENCES users(id),
    creator_id INTEGER NOT NULL REFERENCES users(id),
    order_no TEXT,
    buyer_nick TEXT,
    deadline_at INTEGER,
    due_key INTEGER NOT NULL, -- deadline_at, or the largest integer when there is none: sorts last
    overdue INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    first_action_at INTEGER,
    done_at INTEGER,
    transfers INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    custom TEXT NOT NULL DEFAULT '{}',
    UNIQUE (shop_id, number)
) STRICT;
CREATE INDEX wo_todo ON workorders(shop_id, handler_id, active, due_key, id);
CREATE INDEX wo_handler ON workorders(shop_id, handler_id, id);
CREATE INDEX wo_creator ON workorders(shop_id, creator_id, id);
CREATE INDEX wo_shop_due ON workorders(shop_id, due_key, id);
CREATE INDEX wo_overdue ON workorders(shop_id, overdue, active, due_key) WHERE overdue = 1;
CREATE INDEX wo_order ON workorders(shop_id, order_no) WHERE order_no IS NOT NULL;

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL,
    workorder_id INTEGER NOT NULL REFERENCES workorders(id),
    kind TEXT NOT NULL,
    actor_id INTEGER,
    at INTEGER NOT NULL,
    data TEXT NOT NULL DEFAULT '{}' -- JSON object: before/after, reason, text...
) STRICT;
CREATE INDEX events_wo ON events(workorder_id, id);

CREATE TABLE counters (
    shop_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (shop_id, key)
) WITHOUT ROWID, STRICT;

CREATE TABLE idempotency (
    user_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT;

CREATE TABLE deadlines (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL,
    workorder_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', -- pending | fired | cancelled
    version INTEGER NOT NULL  -- the work order version the timer was set at
) STRICT;
CREATE INDEX deadlines_due ON deadlines(state, due_at);
CREATE INDEX deadlines_wo ON deadlines(workorder_id, state);

-- Search: every work order's title, content, notes, buyer and order number, tokenized into
-- overlapping character bigrams (and single characters) by the gd_bigram tokenizer, so
-- one- and two-character Chinese words match as well as longer ones.
CREATE VIRTUAL TABLE wo_search USING fts5(body, tokenize = 'gd_bigram');
