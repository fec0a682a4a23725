-- Statistics rollups and export jobs (issue 4).
--
-- stats_daily: per shop, creation day (in the shop's zone, days since 1970-01-01), type and
-- current handler (0 = none): what the work orders created that day contribute now. Kept in the
-- same transaction as every work order change, so a statistics request reads a few rows per day
-- instead of the work orders. fa_hist / done_hist: duration histograms (see core/stats.h).
CREATE TABLE stats_daily (
    shop_id INTEGER NOT NULL,
    day INTEGER NOT NULL,
    type TEXT NOT NULL,
    handler_id INTEGER NOT NULL,
    created INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    open INTEGER NOT NULL DEFAULT 0,
    overdue INTEGER NOT NULL DEFAULT 0,
    transferred INTEGER NOT NULL DEFAULT 0,
    within INTEGER NOT NULL DEFAULT 0,
    collab INTEGER NOT NULL DEFAULT 0,
    settled INTEGER NOT NULL DEFAULT 0,
    replied INTEGER NOT NULL DEFAULT 0,
    intervened INTEGER NOT NULL DEFAULT 0,
    judged INTEGER NOT NULL DEFAULT 0,
    against INTEGER NOT NULL DEFAULT 0,
    appeals INTEGER NOT NULL DEFAULT 0,
    overturned INTEGER NOT NULL DEFAULT 0,
    disputes INTEGER NOT NULL DEFAULT 0,
    fa_hist BLOB NOT NULL DEFAULT x'',
    done_hist BLOB NOT NULL DEFAULT x'',
    PRIMARY KEY (shop_id, day, type, handler_id)
) WITHOUT ROWID, STRICT;

-- The contribution each work order last made to stats_daily, so a change can take exactly that
-- back out (whatever path changed the work order, and even if the shop's zone changed since).
CREATE TABLE stats_wo (
    workorder_id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL,
    day INTEGER NOT NULL,
    type TEXT NOT NULL,
    handler_id INTEGER NOT NULL,
    counts TEXT NOT NULL, -- the counts of struct gd_stats_counts in order, space separated
    fa_bucket INTEGER NOT NULL,
    done_bucket INTEGER NOT NULL
) STRICT;
CREATE INDEX stats_wo_shop ON stats_wo(shop_id);

-- Orders created per shop and day: the denominator of the dispute rate (纠纷率).
CREATE TABLE stats_orders (
    shop_id INTEGER NOT NULL,
    day INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (shop_id, day)
) WITHOUT ROWID, STRICT;

-- Export jobs: run on a background thread; the finished file stays under <data-dir>/exports/.
CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    params TEXT NOT NULL, -- JSON object of the request
    format TEXT NOT NULL,
    state TEXT NOT NULL, -- queued | running | done | failed
    rows_done INTEGER NOT NULL DEFAULT 0,
    rows_total INTEGER NOT NULL DEFAULT 0,
    file_name TEXT,
    path TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
) STRICT;
CREATE INDEX exports_state ON exports(state, id);

-- Exports walk a shop's work orders in id order, one keyset page at a time.
CREATE INDEX wo_shop_id ON workorders(shop_id, id);
