-- The work order center: accounts, orders, work orders, timeline, counters, search, idempotency.
-- Times are UTC milliseconds; ids are application-made 64-bit time-ordered integers.
-- (PostgreSQL dialect of src/store/schema/sqlite/0001_center.sql: BIGINT for INTEGER.)
CREATE TABLE shops (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    tz TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    tz_offset_min BIGINT NOT NULL DEFAULT 480,
    aftersales_handler_id BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    shop_id BIGINT REFERENCES shops(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    pwhash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_shop ON users(shop_id, id);

CREATE TABLE sessions (
    digest TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    digest TEXT PRIMARY KEY,
    id BIGINT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE orders (
    shop_id BIGINT NOT NULL REFERENCES shops(id),
    order_no TEXT NOT NULL,
    buyer_nick TEXT NOT NULL,
    status TEXT NOT NULL,
    paid_amount BIGINT NOT NULL,
    items TEXT NOT NULL, -- JSON array [{title, sku, quantity, price}]
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (shop_id, order_no)
);
CREATE INDEX orders_buyer ON orders(shop_id, buyer_nick);

CREATE TABLE workorders (
    id BIGINT PRIMARY KEY,
    shop_id BIGINT NOT NULL REFERENCES shops(id),
    number BIGINT NOT NULL,
    type TEXT NOT NULL,
    state TEXT NOT NULL,
    active BIGINT NOT NULL, -- 1 while someone must act (open, in_progress, awaiting_seller)
    priority TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    handler_id BIGINT REFERENCES users(id),
    creator_id BIGINT NOT NULL REFERENCES users(id),
    order_no TEXT,
    buyer_nick TEXT,
    deadline_at BIGINT,
    due_key BIGINT NOT NULL, -- deadline_at, or the largest integer when there is none: sorts last
    overdue BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    first_action_at BIGINT,
    done_at BIGINT,
    transfers BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL,
    custom TEXT NOT NULL DEFAULT '{}',
    UNIQUE (shop_id, number)
);
CREATE INDEX wo_todo ON workorders(shop_id, handler_id, active, due_key, id);
CREATE INDEX wo_handler ON workorders(shop_id, handler_id, id);
CREATE INDEX wo_creator ON workorders(shop_id, creator_id, id);
CREATE INDEX wo_shop_due ON workorders(shop_id, due_key, id);
CREATE INDEX wo_overdue ON workorders(shop_id, overdue, active, due_key) WHERE overdue = 1;
CREATE INDEX wo_order ON workorders(shop_id, order_no) WHERE order_no IS NOT NULL;

CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    shop_id BIGINT NOT NULL,
    workorder_id BIGINT NOT NULL REFERENCES workorders(id),
    kind TEXT NOT NULL,
    actor_id BIGINT,
    at BIGINT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}' -- JSON object: before/after, reason, text...
);
CREATE INDEX events_wo ON events(workorder_id, id);

CREATE TABLE counters (
    shop_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (shop_id, key)
);

CREATE TABLE idempotency (
    user_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    status BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE deadlines (
    id BIGINT PRIMARY KEY,
    shop_id BIGINT NOT NULL,
    workorder_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', -- pending | fired | cancelled
    version BIGINT NOT NULL  -- the work order version the timer was set at
);
CREATE INDEX deadlines_due ON deadlines(state, due_at);
CREATE INDEX deadlines_wo ON deadlines(workorder_id, state);

-- Search: one row per piece of a work order's text: its own fields (title, content, buyer, order
-- number; `base`, replaced when they are edited) and each piece written later (a note, a remark,
-- a collaborative complaint), so adding a note indexes only the note. `body` is the piece with
-- ASCII letters folded to lower case; `grams` its tokens: at every character position the
-- character and the bigram it starts (src/store/pg/search.c, the same tokens as the SQLite
-- backend's gd_bigram tokenizer), under a GIN index. A query term of one character looks up its
-- unigram, a longer one all its bigrams (`grams @> ...`, from the index), confirmed by substring
-- (`strpos`); a work order matches when every term is in one of its pieces. So 退, 退款 and
-- 申请退款 all use the index (pg_trgm cannot serve terms under three characters).
CREATE TABLE wo_search (
    piece BIGSERIAL PRIMARY KEY,
    workorder_id BIGINT NOT NULL,
    base BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    grams TEXT[] NOT NULL
);
CREATE INDEX wo_search_wo ON wo_search(workorder_id);
CREATE UNIQUE INDEX wo_search_base ON wo_search(workorder_id) WHERE base;
CREATE INDEX wo_search_grams ON wo_search USING gin (grams);
