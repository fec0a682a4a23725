/* Statistics rollups and export jobs in SQLite (issue 4): the per-work-order contributions, the
 * daily rollup rows with their histogram blobs, orders per day, the export row pages (work order
 * + order amount + newest note in one statement, keyset by id) and the export job table. */
#include "base/strbuf.h"
#include "store/rollup.h"
#include "store/rollup_sql.h"
#include "store/sqlite/sqlite_int.h"

/* ---- statistics ---- */

/* The counts space separated, written digit by digit: a printf per count was 7% of the deadline
 * engine's instructions per timer (each firing writes its work order's counts). `out` holds 21
 * bytes per count. */
static void counts_text(const struct gd_stats_counts *c, char *out, size_t n)
{
    const int64_t *x = (const int64_t *)c;
    size_t len = 0, k = sizeof(*c) / sizeof(int64_t);
    char digits[24];

    if (n < 21 * k) {
        out[0] = 0;
        return;
    }
    for (size_t i = 0; i < k; i++) {
        uint64_t v = x[i] < 0 ? -(uint64_t)x[i] : (uint64_t)x[i];
        int d = 0;
        do {
            digits[d++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        if (i) {
            out[len++] = ' ';
        }
        if (x[i] < 0) {
            out[len++] = '-';
        }
        while (d) {
            out[len++] = digits[--d];
        }
    }
    out[len] = 0;
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

int gd_sq__stats_contribs_get(struct gd_store *s, const int64_t *shop_ids,
                              const int64_t *workorder_ids, int n, struct gd_stats_contrib *out,
                              bool *found, struct gd_err *err)
{
    /* the prepared single-row read n times: cheaper in SQLite than one statement over the keys
     * as JSON text, as for the writes below */
    int ret = GD_OK;

    memset(out, 0, sizeof(*out) * (size_t)n);
    memset(found, 0, sizeof(*found) * (size_t)n);
    for (int i = 0; !ret && i < n; i++) {
        ret = gd_sq__stats_contrib_get(s, shop_ids[i], workorder_ids[i], &out[i], err);
        found[i] = ret == GD_OK;
        ret = ret == GD_ENOTFOUND ? GD_OK : ret;
    }
    return ret;
}

int gd_sq__stats_contribs_put(struct gd_store *s, const int64_t *shop_ids,
                              const int64_t *workorder_ids, const struct gd_stats_contrib *c, int n,
                              struct gd_err *err)
{
    /* the prepared single-row upsert n times: in SQLite it costs a third of one statement
     * reading the rows from bound JSON text (the JSON functions parse each row again) */
    int ret = GD_OK;
    for (int i = 0; !ret && i < n; i++) {
        ret = gd_sq__stats_contrib_put(s, shop_ids[i], workorder_ids[i], &c[i], err);
    }
    return ret;
}

int gd_sq__stats_contrib_get(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                             struct gd_stats_contrib *out, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
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
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sq_done(st);
        return GD_ENOTFOUND;
    }
    if (rc != SQLITE_ROW) {
        return sq_fail(SQ(s), st, err);
    }
    memset(out, 0, sizeof(*out));
    out->key.day = col_i64(st, 0);
    out->key.type = gd_type_parse((const char *)sqlite3_column_text(st, 1));
    out->key.handler_id = col_i64(st, 2);
    counts_parse((const char *)sqlite3_column_text(st, 3), &out->n);
    out->fa_bucket = (int)col_i64(st, 4);
    out->done_bucket = (int)col_i64(st, 5);
    sq_done(st);
    return GD_OK;
}

int gd_sq__stats_contrib_put(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                             const struct gd_stats_contrib *c, struct gd_err *err)
{
    char counts[400];
    sqlite3_stmt *st = sq_prep(
        SQ(s),
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
    return sq_exec(SQ(s), st, err);
}

/* The statements of the three levels of rollups (their columns and keys: store/rollup_sql.h). */
#define ROLLUP_LEVEL(table, key)                                                                   \
    {                                                                                              \
        "SELECT " GD_ROLLUP_COLS(key) " FROM " table " WHERE " GD_ROLLUP_KEY(key),                 \
            GD_ROLLUP_PUT(table, key), GD_ROLLUP_ADD(table, key),                                  \
            "DELETE FROM " table " WHERE " GD_ROLLUP_KEY(key),                                     \
            "SELECT " GD_ROLLUP_COLS(key) " FROM " table " WHERE " key " >= $2 AND " key " <= $3", \
            " ORDER BY shop_id, " key ", type, handler_id"                                         \
    }

enum { DAILY, MONTHLY, TYPE_DAILY };
static const struct rollup_level {
    const char *get, *put, *add, *del, *range, *order;
} levels[3] = {ROLLUP_LEVEL("stats_daily", "day"), ROLLUP_LEVEL("stats_monthly", "month"),
               ROLLUP_LEVEL("stats_type_daily", "day")};

static const unsigned char *col_blob(struct gd_arena *a, sqlite3_stmt *st, int col, size_t *len)
{
    const void *b = sqlite3_column_blob(st, col);
    *len = (size_t)sqlite3_column_bytes(st, col);
    if (!b || !*len) {
        *len = 0;
        return NULL;
    }
    unsigned char *copy = gd_arena_alloc(a, *len);
    memcpy(copy, b, *len);
    return copy;
}

static void read_rollup(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_stats_row *r = row;
    int64_t *x = (int64_t *)&r->n;
    r->shop_id = col_i64(st, 0);
    r->key.day = col_i64(st, 1);
    r->key.type = gd_type_parse((const char *)sqlite3_column_text(st, 2));
    r->key.handler_id = col_i64(st, 3);
    for (int i = 0; i < 15; i++) {
        x[i] = col_i64(st, 4 + i);
    }
    r->fa_hist = col_blob(a, st, 19, &r->fa_len);
    r->done_hist = col_blob(a, st, 20, &r->done_len);
}

/* A rollup row's key, parameters 1-4 of every statement on the rollup tables (rollup_sql.h). */
static void bind_rollup_key(sqlite3_stmt *st, int64_t shop_id, const struct gd_stats_key *k)
{
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, k->day);
    bind_text(st, 3, gd_type_name(k->type));
    bind_i64(st, 4, k->handler_id);
}

static int rollup_get(struct gd_store *s, int level, int64_t shop_id, const struct gd_stats_key *k,
                      struct gd_arena *a, struct gd_stats_row *out, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s), levels[level].get, err);
    int rc;

    if (!st) {
        return GD_EDB;
    }
    bind_rollup_key(st, shop_id, k);
    memset(out, 0, sizeof(*out));
    out->shop_id = shop_id;
    out->key = *k;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_rollup(st, a, out);
    } else if (rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);
    return GD_OK;
}

static int rollup_put(struct gd_store *s, int level, const struct gd_stats_row *r,
                      struct gd_err *err)
{
    const int64_t *x = (const int64_t *)&r->n;
    bool zero = gd_stats_counts_is_zero(&r->n);
    sqlite3_stmt *st = sq_prep(SQ(s), zero ? levels[level].del : levels[level].put, err);

    if (!st) {
        return GD_EDB;
    }
    bind_rollup_key(st, r->shop_id, &r->key);
    if (!zero) {
        for (int i = 0; i < 15; i++) {
            bind_i64(st, 5 + i, x[i]);
        }
        sqlite3_bind_blob(st, 20, r->fa_hist ? (const void *)r->fa_hist : "", (int)r->fa_len,
                          SQLITE_STATIC);
        sqlite3_bind_blob(st, 21, r->done_hist ? (const void *)r->done_hist : "", (int)r->done_len,
                          SQLITE_STATIC);
    }
    return sq_exec(SQ(s), st, err);
}

int gd_sq__stats_rollup_get(struct gd_store *s, int64_t shop_id, const struct gd_stats_key *k,
                            struct gd_arena *a, struct gd_stats_row *out, struct gd_err *err)
{
    return rollup_get(s, DAILY, shop_id, k, a, out, err);
}

int gd_sq__stats_rollup_put(struct gd_store *s, const struct gd_stats_row *r, struct gd_err *err)
{
    return rollup_put(s, DAILY, r, err);
}

/* The writer runs one transaction at a time: reading a row and writing it back inside this one
 * call is atomic. The day's row, its month's and its day and type's move together. */
/* Counts added to a level's row in one upsert (a plain addition: store/rollup.h). */
static int rollup_plus(struct gd_store *s, int level, int64_t shop_id, const struct gd_stats_key *k,
                       const struct gd_stats_counts *n, struct gd_err *err)
{
    const int64_t *x = (const int64_t *)n;
    sqlite3_stmt *st = sq_prep(SQ(s), levels[level].add, err);

    if (!st) {
        return GD_EDB;
    }
    bind_rollup_key(st, shop_id, k);
    for (int i = 0; i < 15; i++) {
        bind_i64(st, 5 + i, x[i]);
    }
    return sq_exec(SQ(s), st, err);
}

int gd_sq__stats_rollup_add(struct gd_store *s, int64_t shop_id, const struct gd_stats_key *k,
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
        ret = rollup_get(s, level, shop_id, keys[level], &a, &row, err);
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
    struct gd_strbuf sql = GD_STRBUF_INIT;
    sqlite3_stmt *st;
    int ret = GD_OK;

    /* the day (month) range comes first in the key after the shop, so one shop's range is one
     * index range scan; every shop is a scan filtered by day */
    gd_strbuf_adds(&sql, levels[level].range);
    if (shop_id) {
        gd_strbuf_adds(&sql, " AND shop_id = $1");
    }
    if (type >= 0) {
        gd_strbuf_adds(&sql, " AND type = $4");
    }
    if (handler_id >= 0) {
        gd_strbuf_adds(&sql, " AND handler_id = $5");
    }
    /* the key's order (the index's: no sort), so groups come in the same order on every backend
     * and before and after a rebuild */
    gd_strbuf_adds(&sql, levels[level].order);
    st = sq_prep(SQ(s), sql.buf, err);
    if (!st) {
        ret = GD_EDB;
        goto out;
    }
    if (shop_id) {
        bind_i64(st, 1, shop_id);
    }
    bind_i64(st, 2, from);
    bind_i64(st, 3, to);
    if (type >= 0) {
        bind_text(st, 4, gd_type_name(type));
    }
    if (handler_id >= 0) {
        bind_i64(st, 5, handler_id);
    }
    ret = gd_sq__rows(SQ(s), st, a, sizeof(**out), read_rollup, (void **)out, count, err);
out:
    gd_strbuf_release(&sql);
    return ret;
}

int gd_sq__stats_rollup_list(struct gd_store *s, int64_t shop_id, int64_t day_from, int64_t day_to,
                             int type, int64_t handler_id, struct gd_arena *a,
                             struct gd_stats_row **out, int *count, struct gd_err *err)
{
    return rollup_list(s, DAILY, shop_id, day_from, day_to, type, handler_id, a, out, count, err);
}

int gd_sq__stats_months_list(struct gd_store *s, int64_t shop_id, int64_t month_from,
                             int64_t month_to, int type, int64_t handler_id, struct gd_arena *a,
                             struct gd_stats_row **out, int *count, struct gd_err *err)
{
    return rollup_list(s, MONTHLY, shop_id, month_from, month_to, type, handler_id, a, out, count,
                       err);
}

int gd_sq__stats_type_days_list(struct gd_store *s, int64_t shop_id, int64_t day_from,
                                int64_t day_to, int type, struct gd_arena *a,
                                struct gd_stats_row **out, int *count, struct gd_err *err)
{
    return rollup_list(s, TYPE_DAILY, shop_id, day_from, day_to, type, -1, a, out, count, err);
}

/* The same statements as migration 0020's backfill, for one shop: each month's rows are its
 * days' rows summed (the first day of a day's month: the day less its day of the month), each
 * day and type's row its rows of every handler summed. */
int gd_sq__stats_summaries_refresh(struct gd_store *s, int64_t shop_id, struct gd_err *err)
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
                     "CAST(strftime('%d', day * 86400, 'unixepoch') AS INTEGER), type, handler_id, "
                     "sum(created), sum(done), sum(open), sum(overdue), sum(transferred), "
                     "sum(within), "
                     "sum(collab), sum(settled), sum(replied), sum(intervened), sum(judged), "
                     "sum(against), "
                     "sum(appeals), sum(overturned), sum(disputes), gd_hist_sum(fa_hist), "
                     "gd_hist_sum(done_hist) FROM stats_daily WHERE shop_id = $1 GROUP BY 1, 2, 3, "
                     "4",
    };
    for (size_t i = 0; i < sizeof(sqls) / sizeof(*sqls); i++) {
        sqlite3_stmt *st = sq_prep(SQ(s), sqls[i], err);
        if (!st) {
            return GD_EDB;
        }
        bind_i64(st, 1, shop_id);
        if (sq_exec(SQ(s), st, err)) {
            return GD_EDB;
        }
    }
    return GD_OK;
}

int gd_sq__stats_orders_add(struct gd_store *s, int64_t shop_id, int64_t day, int64_t delta,
                            struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
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
    return sq_exec(SQ(s), st, err);
}

int gd_sq__stats_orders_sum(struct gd_store *s, int64_t shop_id, int64_t day_from, int64_t day_to,
                            int64_t *out, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(
        SQ(s),
        shop_id
            ? "SELECT coalesce(sum(n), 0) FROM stats_orders WHERE shop_id = $1 AND day >= $2 AND "
              "day <= $3"
            : "SELECT coalesce(sum(n), 0) FROM stats_orders WHERE day >= $2 AND day <= $3",
        err);
    if (!st) {
        return GD_EDB;
    }
    if (shop_id) {
        bind_i64(st, 1, shop_id);
    }
    bind_i64(st, 2, day_from);
    bind_i64(st, 3, day_to);
    if (sqlite3_step(st) != SQLITE_ROW) {
        return sq_fail(SQ(s), st, err);
    }
    *out = col_i64(st, 0);
    sq_done(st);
    return GD_OK;
}

int gd_sq__stats_reset(struct gd_store *s, int64_t shop_id, int tz_offset_min, struct gd_err *err)
{
    static const char *const sqls[] = {
        "DELETE FROM stats_daily WHERE shop_id = $1",
        "DELETE FROM stats_monthly WHERE shop_id = $1",
        "DELETE FROM stats_type_daily WHERE shop_id = $1",
        "DELETE FROM stats_wo WHERE shop_id = $1",
        "DELETE FROM stats_orders WHERE shop_id = $1",
        /* floor division of a shifted time: order times are after 1970 */
        "INSERT INTO stats_orders (shop_id, day, n) SELECT shop_id, (created_at + $2) / 86400000, "
        "count(*) FROM orders WHERE shop_id = $1 GROUP BY 2",
    };
    for (size_t i = 0; i < sizeof(sqls) / sizeof(*sqls); i++) {
        sqlite3_stmt *st = sq_prep(SQ(s), sqls[i], err);
        if (!st) {
            return GD_EDB;
        }
        bind_i64(st, 1, shop_id);
        if (i == 5) {
            bind_i64(st, 2, (int64_t)tz_offset_min * 60000);
        }
        if (sq_exec(SQ(s), st, err)) {
            return GD_EDB;
        }
    }
    return GD_OK;
}

/* ---- export rows ---- */

int gd_sq__export_count(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                        int64_t *count, int64_t *max_id, struct gd_err *err)
{
    struct gd_sq_qb b = GD_SQ_QB_INIT;
    sqlite3_stmt *st;
    int ret = GD_OK;

    /* an export reads its rows once, in order: a large page cache would only cost memory on
     * the export's own connection (the worker's, or the CLI's) */
    if (sqlite3_exec(SQ(s)->db, "PRAGMA cache_size=-2000", NULL, NULL, NULL) != SQLITE_OK) {
        return sq_fail(SQ(s), NULL, err);
    }
    gd_strbuf_adds(&b.sql, "SELECT count(*), (SELECT coalesce(max(id), 0) FROM workorders WHERE "
                           "shop_id = $1) FROM workorders w");
    gd_sq__qb_where(&b, shop_id, f);
    st = sq_prep(SQ(s), b.sql.buf, err);
    if (!st) {
        ret = GD_EDB;
        goto out;
    }
    gd_sq__qb_bind(st, &b);
    if (sqlite3_step(st) != SQLITE_ROW) {
        ret = sq_fail(SQ(s), st, err);
        goto out;
    }
    *count = col_i64(st, 0);
    *max_id = col_i64(st, 1);
    sq_done(st);
out:
    gd_sq__qb_release(&b);
    return ret;
}

int gd_sq__export_rows(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                       int64_t after_id, int64_t max_id, int limit, struct gd_arena *a,
                       struct gd_export_row **out, int *count, struct gd_err *err)
{
    struct gd_sq_qb b = GD_SQ_QB_INIT;
    struct gd_export_row *arr = NULL;
    sqlite3_stmt *st;
    int n = 0, cap = 0, rc, ret = GD_OK;

    gd_strbuf_adds(
        &b.sql,
        "SELECT w.id, w.number, w.type, w.state, w.priority, w.title, w.content, w.handler_id, "
        "h.display_name, c.display_name, w.created_at, w.deadline_at, w.overdue, w.done_at, "
        "w.order_no, w.buyer_nick, o.paid_amount, (SELECT e.data FROM events e WHERE "
        "e.workorder_id = w.id AND e.kind = 'noted' AND e.data NOT LIKE '%\"internal\":true%' "
        "ORDER BY e.id DESC LIMIT 1), (SELECT group_concat(x.filename, '; ') FROM (SELECT "
        "filename FROM attachments WHERE workorder_id = w.id ORDER BY id) x), w.fields "
        "FROM workorders w LEFT JOIN users h ON h.id = w.handler_id JOIN users c ON "
        "c.id = w.creator_id LEFT JOIN orders o ON o.shop_id = w.shop_id AND "
        "o.order_no = w.order_no");
    gd_sq__qb_where(&b, shop_id, f);
    gd_strbuf_addf(&b.sql, " AND w.id > $%d", gd_sq__qb_i64(&b, after_id));
    gd_strbuf_addf(&b.sql, " AND w.id <= $%d", gd_sq__qb_i64(&b, max_id));
    gd_strbuf_addf(&b.sql, " ORDER BY w.id LIMIT $%d", gd_sq__qb_i64(&b, limit));
    st = sq_prep(SQ(s), b.sql.buf, err);
    if (!st) {
        ret = GD_EDB;
        goto out;
    }
    gd_sq__qb_bind(st, &b);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        arr = gd_sq__grow(a, arr, n, &cap, sizeof(*arr));
        struct gd_export_row *r = &arr[n++];
        struct gd_workorder *w = &r->wo;
        memset(r, 0, sizeof(*r));
        w->id = col_i64(st, 0);
        w->shop_id = shop_id;
        w->number = col_i64(st, 1);
        w->type = gd_type_parse((const char *)sqlite3_column_text(st, 2));
        w->state = gd_state_parse((const char *)sqlite3_column_text(st, 3));
        w->priority = gd_priority_parse((const char *)sqlite3_column_text(st, 4));
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
        r->has_paid = sqlite3_column_type(st, 16) != SQLITE_NULL;
        r->paid_amount = col_i64(st, 16);
        r->latest_note = col_str(a, st, 17);
        r->attachments = col_str(a, st, 18);
        w->fields = col_str(a, st, 19);
    }
    if (rc != SQLITE_DONE) {
        ret = sq_fail(SQ(s), st, err);
        goto out;
    }
    sq_done(st);
    *out = arr;
    *count = n;
out:
    gd_sq__qb_release(&b);
    return ret;
}

/* ---- export jobs ---- */

#define JOB_COLS                                                                            \
    "id, shop_id, user_id, params, format, state, rows_done, rows_total, file_name, path, " \
    "error, created_at, finished_at"

static void read_job(sqlite3_stmt *st, struct gd_arena *a, void *row)
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

int gd_sq__export_insert(struct gd_store *s, const struct gd_export_job *j, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
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
    return sq_exec(SQ(s), st, err);
}

int gd_sq__export_get(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                      struct gd_export_job *out, struct gd_err *err)
{
    sqlite3_stmt *st =
        sq_prep(SQ(s),
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
    ret = gd_sq__row(SQ(s), st, a, read_job, out, err);
    return ret == GD_ENOTFOUND ? gd_err_set(err, ret, "no export %lld", (long long)id) : ret;
}

int gd_sq__export_update(struct gd_store *s, const struct gd_export_job *j, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
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
    return sq_exec(SQ(s), st, err);
}

int gd_sq__export_claim(struct gd_store *s, int node, int64_t lease_ms, struct gd_arena *a,
                        struct gd_export_job *out, struct gd_err *err)
{
    (void)node; /* one process owns the file: no other node can take a job over */
    (void)lease_ms;
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE exports SET state = 'running' WHERE id = (SELECT id "
                               "FROM exports WHERE state = 'queued' ORDER BY id LIMIT 1) "
                               "RETURNING " JOB_COLS,
                               err);
    if (!st) {
        return GD_EDB;
    }
    /* the update is made by the first step; resetting after its one row keeps it */
    return gd_sq__row(SQ(s), st, a, read_job, out, err);
}

int gd_sq__export_lease(struct gd_store *s, int64_t id, int node, int64_t lease_ms,
                        struct gd_err *err)
{
    (void)s, (void)id, (void)node, (void)lease_ms, (void)err;
    return GD_OK; /* no lease to renew (export_claim) */
}

int gd_sq__exports_requeue(struct gd_store *s, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE exports SET state = 'queued', rows_done = 0 WHERE "
                               "state = 'running'",
                               err);
    if (!st) {
        return GD_EDB;
    }
    return sq_exec(SQ(s), st, err);
}

int gd_sq__exports_finished(struct gd_store *s, int64_t before, int limit, struct gd_arena *a,
                            struct gd_export_job **out, int *count, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " JOB_COLS " FROM exports WHERE state = 'done' AND "
                               "finished_at < $1 ORDER BY finished_at LIMIT $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, before);
    bind_i64(st, 2, limit);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_job, (void **)out, count, err);
}
