-- Statistics summaries for long ranges (issue 12), stats_daily's rows summed two ways:
--   stats_monthly: per shop, month, type and handler. A long range reads its whole months here
--     and only the days at its two ends by day (docs/reports.md, "How it is kept"). The days are
--     the shop's (its zone), so the months are too. month: the month's first day, days since
--     1970-01-01.
--   stats_type_daily: per shop, day and type, every handler summed (handler_id is always -1; the
--     column is kept so the three levels share one layout and one code path): what a query not
--     split by handler reads by day.
-- Every change adds to the day's row, its month's and its day and type's in the same
-- transaction (stats_rollup_add); a rebuild recomputes both summaries from the days
-- (stats_summaries_refresh: the statements below for one shop).
CREATE TABLE stats_monthly (
    shop_id INTEGER NOT NULL,
    month INTEGER NOT NULL,
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
    PRIMARY KEY (shop_id, month, type, handler_id)
) WITHOUT ROWID, STRICT;

CREATE TABLE stats_type_daily (
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

-- The months of the days already counted. gd_hist_sum is the aggregate the store registers on
-- every connection (src/store/sqlite/hist_sum.c): the histograms summed bucket by bucket.
INSERT INTO stats_monthly (shop_id, month, type, handler_id, created, done, open, overdue,
    transferred, within, collab, settled, replied, intervened, judged, against, appeals,
    overturned, disputes, fa_hist, done_hist)
SELECT shop_id, day + 1 - CAST(strftime('%d', day * 86400, 'unixepoch') AS INTEGER), type,
    handler_id, sum(created), sum(done), sum(open), sum(overdue), sum(transferred), sum(within),
    sum(collab), sum(settled), sum(replied), sum(intervened), sum(judged), sum(against),
    sum(appeals), sum(overturned), sum(disputes), gd_hist_sum(fa_hist), gd_hist_sum(done_hist)
FROM stats_daily GROUP BY 1, 2, 3, 4;

-- The days by type of the days already counted.
INSERT INTO stats_type_daily (shop_id, day, type, handler_id, created, done, open, overdue,
    transferred, within, collab, settled, replied, intervened, judged, against, appeals,
    overturned, disputes, fa_hist, done_hist)
SELECT shop_id, day, type, -1, sum(created), sum(done), sum(open), sum(overdue), sum(transferred),
    sum(within), sum(collab), sum(settled), sum(replied), sum(intervened), sum(judged),
    sum(against), sum(appeals), sum(overturned), sum(disputes), gd_hist_sum(fa_hist),
    gd_hist_sum(done_hist)
FROM stats_daily GROUP BY 1, 2, 3;
