-- Statistics rollups and export jobs (issue 4).
--
-- stats_daily: per shop, creation day (in the shop's zone, days since 1970-01-01), type and
-- current handler (0 = none): what the work orders created that day contribute now. Kept in the
-- same transaction as every work order change, so a statistics request reads a few rows per day
-- instead of the work orders. fa_hist / done_hist: duration histograms (see core/stats.h).
CREATE TABLE stats_daily (
    shop_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    type TEXT NOT NULL,
    handler_id BIGINT NOT NULL,
    created BIGINT NOT NULL DEFAULT 0,
    done BIGINT NOT NULL DEFAULT 0,
    open BIGINT NOT NULL DEFAULT 0,
    overdue BIGINT NOT NULL DEFAULT 0,
    transferred BIGINT NOT NULL DEFAULT 0,
    within BIGINT NOT NULL DEFAULT 0,
    collab BIGINT NOT NULL DEFAULT 0,
    settled BIGINT NOT NULL DEFAULT 0,
    replied BIGINT NOT NULL DEFAULT 0,
    intervened BIGINT NOT NULL DEFAULT 0,
    judged BIGINT NOT NULL DEFAULT 0,
    against BIGINT NOT NULL DEFAULT 0,
    appeals BIGINT NOT NULL DEFAULT 0,
    overturned BIGINT NOT NULL DEFAULT 0,
    disputes BIGINT NOT NULL DEFAULT 0,
    fa_hist BYTEA NOT NULL DEFAULT ''::bytea,
    done_hist BYTEA NOT NULL DEFAULT ''::bytea,
    PRIMARY KEY (shop_id, day, type, handler_id)
);

-- The contribution each work order last made to stats_daily, so a change can take exactly that
-- back out (whatever path changed the work order, and even if the shop's zone changed since).
CREATE TABLE stats_wo (
    workorder_id BIGINT PRIMARY KEY,
    shop_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    type TEXT NOT NULL,
    handler_id BIGINT NOT NULL,
    counts TEXT NOT NULL, -- the counts of struct gd_stats_counts in order, space separated
    fa_bucket BIGINT NOT NULL,
    done_bucket BIGINT NOT NULL
);
CREATE INDEX stats_wo_shop ON stats_wo(shop_id);

-- Orders created per shop and day: the denominator of the dispute rate (纠纷率).
CREATE TABLE stats_orders (
    shop_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (shop_id, day)
);

-- Export jobs: run on a background thread; the finished file stays under <data-dir>/exports/.
CREATE TABLE exports (
    id BIGINT PRIMARY KEY,
    shop_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    params TEXT NOT NULL, -- JSON object of the request
    format TEXT NOT NULL,
    state TEXT NOT NULL, -- queued | running | done | failed
    rows_done BIGINT NOT NULL DEFAULT 0,
    rows_total BIGINT NOT NULL DEFAULT 0,
    file_name TEXT,
    path TEXT,
    error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX exports_state ON exports(state, id);

-- Exports walk a shop's work orders in id order, one keyset page at a time.
CREATE INDEX wo_shop_id ON workorders(shop_id, id);
