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
    shop_id BIGINT NOT NULL,
    month BIGINT NOT NULL,
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
    PRIMARY KEY (shop_id, month, type, handler_id)
);

CREATE TABLE stats_type_daily (
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

-- gd_hist_sum(bytea): duration histograms (src/core/stats.h: sorted (u16 bucket, u32 count)
-- pairs, little endian) summed bucket by bucket into one, as the SQLite backend's aggregate of
-- the same name (src/store/sqlite/hist_sum.c). The state is the dense counts, buckets 0..2047.
CREATE FUNCTION gd_hist_sum_step(acc bigint[], h bytea) RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    i int;
    b int;
BEGIN
    IF acc IS NULL THEN
        acc := array_fill(0::bigint, ARRAY[2048], ARRAY[0]);
    END IF;
    FOR i IN 0 .. coalesce(length(h), 0) - 6 BY 6 LOOP
        b := get_byte(h, i) + get_byte(h, i + 1) * 256;
        IF b < 2048 THEN
            acc[b] := acc[b] + get_byte(h, i + 2) + get_byte(h, i + 3) * 256
                + get_byte(h, i + 4) * 65536 + get_byte(h, i + 5)::bigint * 16777216;
        END IF;
    END LOOP;
    RETURN acc;
END
$$;

CREATE FUNCTION gd_hist_sum_final(acc bigint[]) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    res bytea := ''::bytea;
    pair bytea;
    c bigint;
BEGIN
    IF acc IS NULL THEN
        RETURN res;
    END IF;
    FOR b IN 0 .. 2047 LOOP
        c := acc[b];
        IF c > 0 THEN
            pair := decode('000000000000', 'hex');
            pair := set_byte(pair, 0, b % 256);
            pair := set_byte(pair, 1, b / 256);
            pair := set_byte(pair, 2, (c % 256)::int);
            pair := set_byte(pair, 3, (c / 256 % 256)::int);
            pair := set_byte(pair, 4, (c / 65536 % 256)::int);
            pair := set_byte(pair, 5, (c / 16777216 % 256)::int);
            res := res || pair;
        END IF;
    END LOOP;
    RETURN res;
END
$$;

CREATE AGGREGATE gd_hist_sum(bytea) (
    SFUNC = gd_hist_sum_step,
    STYPE = bigint[],
    FINALFUNC = gd_hist_sum_final
);

-- The months of the days already counted.
INSERT INTO stats_monthly (shop_id, month, type, handler_id, created, done, open, overdue,
    transferred, within, collab, settled, replied, intervened, judged, against, appeals,
    overturned, disputes, fa_hist, done_hist)
SELECT shop_id, day + 1 - extract(day FROM date '1970-01-01' + day::int)::bigint, type,
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
