/* Statistics rollups and export jobs in PostgreSQL (issue 4): the per-work-order contributions, the
 * daily rollup rows with their histogram blobs, orders per day, the export row pages (work order
 * + order amount + newest note in one statement, keyset by id) and the export job table. */
#include "base/strbuf.h"
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"
#include "store/rollup.h"
#include "store/rollup_sql.h"

/* ---- statistics ---- */

static void counts_text(const struct gd_stats_counts *c, char *out, size_t n)
{
    const int64_t *x = (const int64_t *)c;
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < sizeof(*c) / sizeof(int64_t) && len < n; i++) {
        len += (size_t)snprintf(out + len, n - len, "%s%lld", i ? " " : "", (long long)x[i]);
    }
}

static void counts_parse(const char *s, struct gd_stats_counts *c)
{
    int64_t *x = (int64_t *)c;
    char *end;
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; s && *s && i < sizeof(*c) / sizeof(int64_t); i++) {
        x[i] = strtoll(s, &end, 10);
        if (end == s) {
            break;
        }
        s = end;
    }
}

int gd_pg__stats_contribs_get(struct gd_store *s, const int64_t *shop_ids,
                              const int64_t *workorder_ids, int n, struct gd_stats_contrib *out,
                              bool *found, struct gd_err *err)
{
    struct gd_strbuf wos = GD_STRBUF_INIT, shops = GD_STRBUF_INIT;
    int rc, ret = GD_OK;

    memset(out, 0, sizeof(*out) * (size_t)n);
    memset(found, 0, sizeof(*found) * (size_t)n);
    if (n <= 0) {
        return GD_OK;
    }
    /* each row put back at its key's position (1-based ordinality) */
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "SELECT k.i, s.day, s.type, s.handler_id, s.counts, s.fa_bucket, s.done_bucket FROM "
        "unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS k(workorder_id, shop_id, i) JOIN "
        "stats_wo s ON s.workorder_id = k.workorder_id AND s.shop_id = k.shop_id",
        err);
    if (!st) {
        return GD_EDB;
    }
    gd_strbuf_addch(&wos, '{');
    gd_strbuf_addch(&shops, '{');
    for (int i = 0; i < n; i++) {
        gd_pg__array_i64(&wos, workorder_ids[i]);
        gd_pg__array_i64(&shops, shop_ids[i]);
    }
    gd_strbuf_addch(&wos, '}');
    gd_strbuf_addch(&shops, '}');
    bind_text(st, 1, wos.buf); /* by reference: the buffers live until the rows are read */
    bind_text(st, 2, shops.buf);
    while ((rc = pg_step(st)) == PG_ROW) {
        int64_t i = col_i64(st, 0) - 1;
        if (i < 0 || i >= n) {
            continue;
        }
        found[i] = true;
        out[i].key.day = col_i64(st, 1);
        out[i].key.type = gd_type_parse(col_text(st, 2));
        out[i].key.handler_id = col_i64(st, 3);
        counts_parse(col_text(st, 4), &out[i].n);
        out[i].fa_bucket = (int)col_i64(st, 5);
        out[i].done_bucket = (int)col_i64(st, 6);
    }
    if (rc != PG_DONE) {
        ret = pg_fail(PG(s), st, err);
    } else {
        pg_done(st);
    }
    gd_strbuf_release(&wos);
    gd_strbuf_release(&shops);
    return ret;
}

int gd_pg__stats_contribs_put(struct gd_store *s, const int64_t *shop_ids,
                              const int64_t *workorder_ids, const struct gd_stats_contrib *c, int n,
                              struct gd_err *err)
{
    enum { C_WO, C_SHOP, C_DAY, C_TYPE, C_HANDLER, C_COUNTS, C_FA, C_DONE, C_COUNT };
    struct gd_pg_cols cols;
    struct gd_strbuf *col = cols.col;
    char counts[400];

    if (n <= 0) {
        return GD_OK;
    }
    /* one array per column, the rows unnested side by side */
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "INSERT INTO stats_wo (workorder_id, shop_id, day, type, handler_id, counts, fa_bucket, "
        "done_bucket) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], "
        "$5::bigint[], $6::text[], $7::bigint[], $8::bigint[]) ON CONFLICT (workorder_id) DO "
        "UPDATE SET day = excluded.day, type = excluded.type, handler_id = excluded.handler_id, "
        "counts = excluded.counts, fa_bucket = excluded.fa_bucket, "
        "done_bucket = excluded.done_bucket",
        err);
    if (!st) {
        return GD_EDB;
    }
    gd_pg__cols_open(&cols, C_COUNT);
    for (int i = 0; i < n; i++) {
        counts_text(&c[i].n, counts, sizeof(counts));
        gd_pg__array_i64(&col[C_WO], workorder_ids[i]);
        gd_pg__array_i64(&col[C_SHOP], shop_ids[i]);
        gd_pg__array_i64(&col[C_DAY], c[i].key.day);
        gd_pg__array_text(&col[C_TYPE], gd_type_name(c[i].key.type));
        gd_pg__array_i64(&col[C_HANDLER], c[i].key.handler_id);
        gd_pg__array_text(&col[C_COUNTS], counts);
        gd_pg__array_i64(&col[C_FA], c[i].fa_bucket);
        gd_pg__array_i64(&col[C_DONE], c[i].done_bucket);
    }
    return gd_pg__cols_run(PG(s), st, &cols, err);
}

int gd_pg__stats_contrib_get(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                             struct gd_stats_contrib *out, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT day, type, handler_id, counts, fa_bucket, "
                                    "done_bucket FROM stats_wo WHERE workorder_id = $1 AND "
                                    "shop_id = $2",
                                    err);
    int rc;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, shop_id);
    rc = pg_step(st);
    if (rc == PG_DONE) {
        pg_done(st);
        return GD_ENOTFOUND;
    }
    if (rc != PG_ROW) {
        return pg_fail(PG(s), st, err);
    }
    memset(out, 0, sizeof(*out));
    out->key.day = col_i64(st, 0);
    out->key.type = gd_type_parse(col_text(st, 1));
    out->key.handler_id = col_i64(st, 2);
    counts_parse(col_text(st, 3), &out->n);
    out->fa_bucket = (int)col_i64(st, 4);
    out->done_bucket = (int)col_i64(st, 5);
    pg_done(st);
    return GD_OK;
}

int gd_pg__stats_contrib_put(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                             const struct gd_stats_contrib *c, struct gd_err *err)
{
    char counts[400];
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "INSERT INTO stats_wo (workorder_id, shop_id, day, type, handler_id, counts, fa_bucket, "
        "done_bucket) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (workorder_id) DO "
        "UPDATE SET day = excluded.day, type = excluded.type, handler_id = excluded.handler_id, "
        "counts = excluded.counts, fa_bucket = excluded.fa_bucket, "
        "done_bucket = excluded.done_bucket",
        err);

    if (!st) {
        return GD_EDB;
    }
    counts_text(&c->n, counts, sizeof(counts));
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, shop_id);
    bind_i64(st, 3, c->key.day);
    bind_text(st, 4, gd_type_name(c->key.type));
    bind_i64(st, 5, c->key.handler_id);
    bind_text(st, 6, counts);
    bind_i64(st, 7, c->fa_bucket);
    bind_i64(st, 8, c->done_bucket);
    return pg_exec(PG(s), st, err);
}

/* The statements of the three levels of rollups (their columns and keys: store/rollup_sql.h). */
#define ROLLUP_LEVEL(table, key)                                                                  \
    {                                                                                             \
        "SELECT " GD_ROLLUP_COLS(key) " FROM " table " WHERE " GD_ROLLUP_KEY(key),                \
            "INSERT INTO " table " (shop_id, " key ", type, handler_id) VALUES ($1, $2, $3, $4) " \
            "ON CONFLICT (shop_id, " key ", type, handler_id) DO UPDATE SET created = " table     \
            ".created RETURNING " GD_ROLLUP_COLS(key),                                            \
            GD_ROLLUP_PUT(table, key), GD_ROLLUP_ADD(table, key),                                 \
            "DELETE FROM " table " WHERE " GD_ROLLUP_KEY(key),                                    \
            "SELECT " GD_ROLLUP_COLS(key) " FROM " table " WHERE ", key                           \
    }

enum { DAILY, MONTHLY, TYPE_DAILY };
static const struct rollup_level {
    const char *get, *lock, *put, *add, *del, *select, *key;
} levels[3] = {ROLLUP_LEVEL("stats_daily", "day"), ROLLUP_LEVEL("stats_monthly", "month"),
               ROLLUP_LEVEL("stats_type_daily", "day")};

#define col_blob gd_pg__col_blob

static void read_rollup(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_stats_row *r = row;
    int64_t *x = (int64_t *)&r->n;
    r->shop_id = col_i64(st, 0);
    r->key.day = col_i64(st, 1);
    r->key.type = gd_type_parse(col_text(st, 2));
    r->key.handler_id = col_i64(st, 3);
    for (int i = 0; i < 15; i++) {
        x[i] = col_i64(st, 4 + i);
    }
    r->fa_hist = col_blob(a, st, 19, &r->fa_len);
    r->done_hist = col_blob(a, st, 20, &r->done_len);
}

static void bind_key(struct gd_pg_stmt *st, int64_t shop_id, const struct gd_stats_key *k)
{
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, k->day);
    bind_text(st, 3, gd_type_name(k->type));
    bind_i64(st, 4, k->handler_id);
}

static int rollup_read(struct gd_store *s, const char *sql, int64_t shop_id,
                       const struct gd_stats_key *k, struct gd_arena *a, struct gd_stats_row *out,
                       struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s), sql, err);
    int rc;

    if (!st) {
        return GD_EDB;
    }
    bind_key(st, shop_id, k);
    memset(out, 0, sizeof(*out));
    out->shop_id = shop_id;
    out->key = *k;
    rc = pg_step(st);
    if (rc == PG_ROW) {
        read_rollup(st, a, out);
    } else if (rc != PG_DONE) {
        return pg_fail(PG(s), st, err);
    }
    pg_done(st);
    return GD_OK;
}

static int rollup_put(struct gd_store *s, int level, const struct gd_stats_row *r,
                      struct gd_err *err)
{
    const int64_t *x = (const int64_t *)&r->n;
    bool zero = gd_stats_counts_is_zero(&r->n);
    struct gd_pg_stmt *st = pg_prep(PG(s), zero ? levels[level].del : levels[level].put, err);

    if (!st) {
        return GD_EDB;
    }
    bind_key(st, r->shop_id, &r->key);
    if (!zero) {
        for (int i = 0; i < 15; i++) {
            bind_i64(st, 5 + i, x[i]);
        }
        gd_pg__bind_blob(st, 20, r->fa_hist, r->fa_len);
        gd_pg__bind_blob(st, 21, r->done_hist, r->done_len);
    }
    return pg_exec(PG(s), st, err);
}

int gd_pg__stats_rollup_get(struct gd_store *s, int64_t shop_id, const struct gd_stats_key *k,
                            struct gd_arena *a, struct gd_stats_row *out, struct gd_err *err)
{
    return rollup_read(s, levels[DAILY].get, shop_id, k, a, out, err);
}

int gd_pg__stats_rollup_put(struct gd_store *s, const struct gd_stats_row *r, struct gd_err *err)
{
    return rollup_put(s, DAILY, r, err);
}

/* Each row is made (zeros) when absent or else locked, and read, in one statement (an upsert
 * whose update changes nothing, RETURNING the row): two transactions adding to one row take
 * turns, each reading what the other committed. The day's row, its month's and its day and
 * type's move together, in that order. */
/* Counts added to a level's row in one upsert (a plain addition: store/rollup.h); the upsert
 * takes the row's lock as the read of the other path does. */
static int rollup_plus(struct gd_store *s, int level, int64_t shop_id, const struct gd_stats_key *k,
                       const struct gd_stats_counts *n, struct gd_err *err)
{
    const int64_t *x = (const int64_t *)n;
    struct gd_pg_stmt *st = pg_prep(PG(s), levels[level].add, err);

    if (!st) {
        return GD_EDB;
    }
    bind_key(st, shop_id, k);
    for (int i = 0; i < 15; i++) {
        bind_i64(st, 5 + i, x[i]);
    }
    return pg_exec(PG(s), st, err);
}

int gd_pg__stats_rollup_add(struct gd_store *s, int64_t shop_id, const struct gd_stats_key *k,
                            const struct gd_stats_counts *n, int fa_bucket, int done_bucket,
                            int sign, struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_strbuf fa = GD_STRBUF_INIT, done = GD_STRBUF_INIT;
    struct gd_stats_key month = {gd_stats_month_start(k->day), k->type, k->handler_id};
    struct gd_stats_key type_day = {k->day, k->type, -1};
    const struct gd_stats_key *keys[3] = {k, &month, &type_day};
    struct gd_stats_row row;
    int ret = GD_OK;

    bool plain = gd_stats_is_plain_addition(n, fa_bucket, done_bucket, sign);
    for (int level = DAILY; !ret && level <= TYPE_DAILY; level++) {
        if (plain) {
            ret = rollup_plus(s, level, shop_id, keys[level], n, err);
            continue;
        }
        ret = rollup_read(s, levels[level].lock, shop_id, keys[level], &a, &row, err);
        if (!ret) {
            gd_stats_row_add(&row, n, fa_bucket, done_bucket, sign, &fa, &done);
            ret = rollup_put(s, level, &row, err);
        }
    }
    gd_strbuf_release(&fa);
    gd_strbuf_release(&done);
    gd_arena_release(&a);
    return ret;
}

static int rollup_list(struct gd_store *s, int level, int64_t shop_id, int64_t from, int64_t to,
                       int type, int64_t handler_id, struct gd_arena *a, struct gd_stats_row **out,
                       int *count, struct gd_err *err)
{
    struct gd_pg_qb b = GD_PG_QB_INIT;
    struct gd_pg_stmt *st;
    int ret = GD_OK;

    /* the day (month) range comes first in the key after the shop, so one shop's range is one
     * index range scan; every shop is a scan filtered by day */
    gd_strbuf_adds(&b.sql, levels[level].select);
    gd_strbuf_addf(&b.sql, "%s >= $%d AND %s <= $%d", levels[level].key, gd_pg__qb_i64(&b, from),
                   levels[level].key, gd_pg__qb_i64(&b, to));
    if (shop_id) {
        gd_strbuf_addf(&b.sql, " AND shop_id = $%d", gd_pg__qb_i64(&b, shop_id));
    }
    if (type >= 0) {
        gd_strbuf_addf(&b.sql, " AND type = $%d", gd_pg__qb_text(&b, gd_type_name(type)));
    }
    if (handler_id >= 0) {
        gd_strbuf_addf(&b.sql, " AND handler_id = $%d", gd_pg__qb_i64(&b, handler_id));
    }
    /* the key's order (the index's), so groups come in the same order on every backend and
     * before and after a rebuild (a small table is read in whatever order its pages hold) */
    gd_strbuf_addf(&b.sql, " ORDER BY shop_id, %s, type, handler_id", levels[level].key);
    st = pg_prep(PG(s), b.sql.buf, err);
    if (!st) {
        ret = GD_EDB;
        goto out;
    }
    gd_pg__qb_bind(st, &b);
    ret = gd_pg__rows(PG(s), st, a, sizeof(**out), read_rollup, (void **)out, count, err);
out:
    gd_pg__qb_release(&b);
    return ret;
}

int gd_pg__stats_rollup_list(struct gd_store *s, int64_t shop_id, int64_t day_from, int64_t day_to,
                             int type, int64_t handler_id, struct gd_arena *a,
                             struct gd_stats_row **out, int *count, struct gd_err *err)
{
    return rollup_list(s, DAILY, shop_id, day_from, day_to, type, handler_id, a, out, count, err);
}

int gd_pg__stats_months_list(struct gd_store *s, int64_t shop_id, int64_t month_from,
                             int64_t month_to, int type, int64_t handler_id, struct gd_arena *a,
                             struct gd_stats_row **out, int *count, struct gd_err *err)
{
    return rollup_list(s, MONTHLY, shop_id, month_from, month_to, type, handler_id, a, out, count,
                       err);
}

int gd_pg__stats_type_days_list(struct gd_store *s, int64_t shop_id, int64_t day_from,
                                int64_t day_to, int type, struct gd_arena *a,
                                struct gd_stats_row **out, int *count, struct gd_err *err)
{
    return rollup_list(s, TYPE_DAILY, shop_id, day_from, day_to, type, -1, a, out, count, err);
}

/* The same statements as migration 0020's backfill, for one shop: each month's rows are its
 * days' rows summed (the first day of a day's month: the day less its day of the month), each
 * day and type's row its rows of every handler summed. */
int gd_pg__stats_summaries_refresh(struct gd_store *s, int64_t shop_id, struct gd_err *err)
{
    static const char *const sqls[] = {
        "DELETE FROM stats_monthly WHERE shop_id = $1",
        "DELETE FROM stats_type_daily WHERE shop_id = $1",
        "INSERT INTO stats_type_daily (" GD_ROLLUP_COLS(
            "day") ") SELECT shop_id, day, type, -1, "
                   "sum(created), sum(done), sum(open), sum(overdue), sum(transferred), "
                   "sum(within), "
                   "sum(collab), sum(settled), sum(replied), sum(intervened), sum(judged), "
                   "sum(against), "
                   "sum(appeals), sum(overturned), sum(disputes), gd_hist_sum(fa_hist), "
                   "gd_hist_sum(done_hist) FROM stats_daily WHERE shop_id = $1 GROUP BY 1, 2, 3",
        "INSERT INTO stats_monthly (" GD_ROLLUP_COLS(
            "month") ") SELECT shop_id, day + 1 - "
                     "extract(day FROM date '1970-01-01' + day::int)::bigint, type, handler_id, "
                     "sum(created), sum(done), sum(open), sum(overdue), sum(transferred), "
                     "sum(within), "
                     "sum(collab), sum(settled), sum(replied), sum(intervened), sum(judged), "
                     "sum(against), "
                     "sum(appeals), sum(overturned), sum(disputes), gd_hist_sum(fa_hist), "
                     "gd_hist_sum(done_hist) FROM stats_daily WHERE shop_id = $1 GROUP BY 1, 2, 3, "
                     "4",
    };
    for (size_t i = 0; i < sizeof(sqls) / sizeof(*sqls); i++) {
        struct gd_pg_stmt *st = pg_prep(PG(s), sqls[i], err);
        if (!st) {
            return GD_EDB;
        }
        bind_i64(st, 1, shop_id);
        if (pg_exec(PG(s), st, err)) {
            return GD_EDB;
        }
    }
    return GD_OK;
}

int gd_pg__stats_orders_add(struct gd_store *s, int64_t shop_id, int64_t day, int64_t delta,
                            struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO stats_orders (shop_id, day, n) VALUES ($1, $2, "
                                    "$3) ON CONFLICT (shop_id, day) DO UPDATE SET n = "
                                    "stats_orders.n + excluded.n",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, day);
    bind_i64(st, 3, delta);
    return pg_exec(PG(s), st, err);
}

int gd_pg__stats_orders_sum(struct gd_store *s, int64_t shop_id, int64_t day_from, int64_t day_to,
                            int64_t *out, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        shop_id
            ? "SELECT coalesce(sum(n), 0) FROM stats_orders WHERE shop_id = $1 AND day >= $2 AND "
              "day <= $3"
            : "SELECT coalesce(sum(n), 0) FROM stats_orders WHERE day >= $1 AND day <= $2",
        err);
    if (!st) {
        return GD_EDB;
    }
    int k = shop_id ? 2 : 1;
    if (shop_id) {
        bind_i64(st, 1, shop_id);
    }
    bind_i64(st, k, day_from);
    bind_i64(st, k + 1, day_to);
    if (pg_step(st) != PG_ROW) {
        return pg_fail(PG(s), st, err);
    }
    *out = col_i64(st, 0);
    pg_done(st);
    return GD_OK;
}

int gd_pg__stats_reset(struct gd_store *s, int64_t shop_id, int tz_offset_min, struct gd_err *err)
{
    static const char *const sqls[] = {
        "DELETE FROM stats_daily WHERE shop_id = $1",
        "DELETE FROM stats_monthly WHERE shop_id = $1",
        "DELETE FROM stats_type_daily WHERE shop_id = $1",
        "DELETE FROM stats_wo WHERE shop_id = $1",
        "DELETE FROM stats_orders WHERE shop_id = $1",
        /* floor division of a shifted time: order times are after 1970 */
        "INSERT INTO stats_orders (shop_id, day, n) SELECT shop_id, (created_at + $2) / 86400000, "
        "count(*) FROM orders WHERE shop_id = $1 GROUP BY shop_id, 2",
    };
    for (size_t i = 0; i < sizeof(sqls) / sizeof(*sqls); i++) {
        struct gd_pg_stmt *st = pg_prep(PG(s), sqls[i], err);
        if (!st) {
            return GD_EDB;
        }
        bind_i64(st, 1, shop_id);
        if (i == 5) {
            bind_i64(st, 2, (int64_t)tz_offset_min * 60000);
        }
        if (pg_exec(PG(s), st, err)) {
            return GD_EDB;
        }
    }
    return GD_OK;
}

/* ---- export rows ---- */

int gd_pg__export_count(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                        int64_t *count, int64_t *max_id, struct gd_err *err)
{
    struct gd_pg_qb b = GD_PG_QB_INIT;
    struct gd_pg_stmt *st;
    int ret = GD_OK;

    /* the largest id among the shop's (the platform's: among collaborative work orders) */
    gd_strbuf_adds(
        &b.sql,
        shop_id
            ? "SELECT count(*), (SELECT coalesce(max(id), 0) FROM workorders WHERE shop_id = $1) "
              "FROM workorders w"
            : "SELECT count(*), (SELECT coalesce(max(id), 0) FROM workorders WHERE type = "
              "'collab') FROM workorders w");
    gd_pg__qb_where(&b, shop_id, f);
    st = pg_prep(PG(s), b.sql.buf, err);
    if (!st) {
        ret = GD_EDB;
        goto out;
    }
    gd_pg__qb_bind(st, &b);
    if (pg_step(st) != PG_ROW) {
        ret = pg_fail(PG(s), st, err);
        goto out;
    }
    *count = col_i64(st, 0);
    *max_id = col_i64(st, 1);
    pg_done(st);
out:
    gd_pg__qb_release(&b);
    return ret;
}

int gd_pg__export_rows(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                       int64_t after_id, int64_t max_id, int limit, struct gd_arena *a,
                       struct gd_export_row **out, int *count, struct gd_err *err)
{
    struct gd_pg_qb b = GD_PG_QB_INIT;
    struct gd_export_row *arr = NULL;
    struct gd_pg_stmt *st;
    int n = 0, cap = 0, rc, ret = GD_OK;

    gd_strbuf_adds(
        &b.sql,
        "SELECT w.id, w.number, w.type, w.state, w.priority, w.title, w.content, w.handler_id, "
        "h.display_name, c.display_name, w.created_at, w.deadline_at, w.overdue, w.done_at, "
        "w.order_no, w.buyer_nick, o.paid_amount, (SELECT e.data FROM events e WHERE "
        "e.workorder_id = w.id AND e.kind = 'noted' AND e.data NOT LIKE '%\"internal\":true%' "
        "ORDER BY e.id DESC LIMIT 1), (SELECT string_agg(x.filename, '; ' ORDER BY x.id) "
        "FROM attachments x WHERE x.workorder_id = w.id), w.fields "
        "FROM workorders w LEFT JOIN users h ON h.id = w.handler_id JOIN users c ON "
        "c.id = w.creator_id LEFT JOIN orders o ON o.shop_id = w.shop_id AND "
        "o.order_no = w.order_no");
    gd_pg__qb_where(&b, shop_id, f);
    gd_strbuf_addf(&b.sql, " AND w.id > $%d", gd_pg__qb_i64(&b, after_id));
    gd_strbuf_addf(&b.sql, " AND w.id <= $%d", gd_pg__qb_i64(&b, max_id));
    gd_strbuf_addf(&b.sql, " ORDER BY w.id LIMIT $%d", gd_pg__qb_i64(&b, limit));
    st = pg_prep(PG(s), b.sql.buf, err);
    if (!st) {
        ret = GD_EDB;
        goto out;
    }
    gd_pg__qb_bind(st, &b);
    while ((rc = pg_step(st)) == PG_ROW) {
        arr = gd_pg__grow(a, arr, n, &cap, sizeof(*arr));
        struct gd_export_row *r = &arr[n++];
        struct gd_workorder *w = &r->wo;
        memset(r, 0, sizeof(*r));
        w->id = col_i64(st, 0);
        w->shop_id = shop_id;
        w->number = col_i64(st, 1);
        w->type = gd_type_parse(col_text(st, 2));
        w->state = gd_state_parse(col_text(st, 3));
        w->priority = gd_priority_parse(col_text(st, 4));
        w->title = col_str(a, st, 5);
        w->content = col_str(a, st, 6);
        w->handler_id = col_i64(st, 7);
        w->handler_name = col_str(a, st, 8);
        w->creator_name = col_str(a, st, 9);
        w->created_at = col_i64(st, 10);
        w->deadline_at = col_i64(st, 11);
        w->overdue = col_i64(st, 12) != 0;
        w->done_at = col_i64(st, 13);
        w->order_no = col_str(a, st, 14);
        w->buyer_nick = col_str(a, st, 15);
        r->has_paid = !gd_pg__col_null(st, 16);
        r->paid_amount = col_i64(st, 16);
        r->latest_note = col_str(a, st, 17);
        r->attachments = col_str(a, st, 18);
        w->fields = col_str(a, st, 19);
    }
    if (rc != PG_DONE) {
        ret = pg_fail(PG(s), st, err);
        goto out;
    }
    pg_done(st);
    *out = arr;
    *count = n;
out:
    gd_pg__qb_release(&b);
    return ret;
}

/* ---- export jobs ---- */

#define JOB_COLS                                                                            \
    "id, shop_id, user_id, params, format, state, rows_done, rows_total, file_name, path, " \
    "error, created_at, finished_at"

static void read_job(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_export_job *j = row;
    j->id = col_i64(st, 0);
    j->shop_id = col_i64(st, 1);
    j->user_id = col_i64(st, 2);
    j->params = col_str(a, st, 3);
    j->format = col_str(a, st, 4);
    j->state = col_str(a, st, 5);
    j->rows_done = col_i64(st, 6);
    j->rows_total = col_i64(st, 7);
    j->file_name = col_str(a, st, 8);
    j->path = col_str(a, st, 9);
    j->error = col_str(a, st, 10);
    j->created_at = col_i64(st, 11);
    j->finished_at = col_i64(st, 12);
}

int gd_pg__export_insert(struct gd_store *s, const struct gd_export_job *j, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO exports (id, shop_id, user_id, params, format, "
                                    "state, rows_total, file_name, created_at) VALUES ($1, $2, "
                                    "$3, $4, $5, $6, $7, $8, $9)",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, j->id);
    bind_i64(st, 2, j->shop_id);
    bind_i64(st, 3, j->user_id);
    bind_text(st, 4, j->params);
    bind_text(st, 5, j->format);
    bind_text(st, 6, j->state);
    bind_i64(st, 7, j->rows_total);
    bind_text(st, 8, j->file_name);
    bind_i64(st, 9, j->created_at);
    return pg_exec(PG(s), st, err);
}

int gd_pg__export_get(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                      struct gd_export_job *out, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                shop_id ? "SELECT " JOB_COLS " FROM exports WHERE id = $1 AND shop_id = $2"
                        : "SELECT " JOB_COLS " FROM exports WHERE id = $1",
                err);
    int ret;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    if (shop_id) {
        bind_i64(st, 2, shop_id);
    }
    ret = gd_pg__row(PG(s), st, a, read_job, out, err);
    return ret == GD_ENOTFOUND ? gd_err_set(err, ret, "no export %lld", (long long)id) : ret;
}

int gd_pg__export_update(struct gd_store *s, const struct gd_export_job *j, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "UPDATE exports SET state = $2, rows_done = $3, "
                                    "rows_total = $4, file_name = $5, path = $6, error = $7, "
                                    "finished_at = $8 WHERE id = $1 AND shop_id = $9",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, j->id);
    bind_text(st, 2, j->state);
    bind_i64(st, 3, j->rows_done);
    bind_i64(st, 4, j->rows_total);
    bind_text(st, 5, j->file_name);
    bind_text(st, 6, j->path);
    bind_text(st, 7, j->error);
    bind_i64_nz(st, 8, j->finished_at);
    bind_i64(st, 9, j->shop_id);
    return pg_exec(PG(s), st, err);
}

/* The database's clock in ms: leases are compared on one clock whatever the nodes' clocks say. */
#define DB_NOW_MS "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"

int gd_pg__export_claim(struct gd_store *s, int node, int64_t lease_ms, struct gd_arena *a,
                        struct gd_export_job *out, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "WITH j AS (SELECT e.id FROM exports e LEFT JOIN export_leases l ON l.job_id = e.id "
        "WHERE e.state = 'queued' OR (e.state = 'running' AND (l.lease_until IS NULL OR "
        "l.lease_until < " DB_NOW_MS ")) ORDER BY e.id LIMIT 1 FOR UPDATE OF e SKIP LOCKED), "
        "l AS (INSERT INTO export_leases (job_id, node, lease_until) SELECT id, $1, " DB_NOW_MS
        " + $2 FROM j ON CONFLICT (job_id) DO UPDATE SET node = excluded.node, "
        "lease_until = excluded.lease_until) "
        "UPDATE exports SET state = 'running', rows_done = 0 WHERE id = (SELECT id FROM j) "
        "RETURNING " JOB_COLS,
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, node);
    bind_i64(st, 2, lease_ms);
    /* two workers never claim the same job: the second skips the row the first locked; a job
     * whose node died (its lease ran out) is taken again, from the start */
    return gd_pg__row(PG(s), st, a, read_job, out, err);
}

int gd_pg__export_lease(struct gd_store *s, int64_t id, int node, int64_t lease_ms,
                        struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "UPDATE export_leases SET lease_until = " DB_NOW_MS
                                    " + $3 WHERE job_id = $1 AND node = $2",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, node);
    bind_i64(st, 3, lease_ms);
    if (pg_exec(PG(s), st, err)) {
        return GD_EDB;
    }
    return pg_changes(st) ? GD_OK
                          : gd_err_set(err, GD_ESTALE, "export %lld is run by another node now",
                                       (long long)id);
}

int gd_pg__exports_requeue(struct gd_store *s, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "UPDATE exports e SET state = 'queued', rows_done = 0 "
                                    "WHERE state = 'running' AND NOT EXISTS (SELECT 1 FROM "
                                    "export_leases l WHERE l.job_id = e.id AND "
                                    "l.lease_until >= " DB_NOW_MS ")",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    return pg_exec(PG(s), st, err);
}

int gd_pg__exports_finished(struct gd_store *s, int64_t before, int limit, struct gd_arena *a,
                            struct gd_export_job **out, int *count, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT " JOB_COLS " FROM exports WHERE state = 'done' "
                                    "AND finished_at < $1 ORDER BY finished_at LIMIT $2",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, before);
    bind_i64(st, 2, limit);
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_job, (void **)out, count, err);
}
