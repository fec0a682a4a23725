/* Events, counters and idempotency records in SQLite. */
#include "store/sqlite/sqlite_int.h"

#define EVENT_INSERT \
    "INSERT INTO events (id, shop_id, workorder_id, kind, actor_id, at, data) VALUES "
#define EVENT_ROW "(?, ?, ?, ?, ?, ?, ?)"
#define EVENT_ROWS4 EVENT_ROW ", " EVENT_ROW ", " EVENT_ROW ", " EVENT_ROW
#define EVENT_ROWS16 EVENT_ROWS4 ", " EVENT_ROWS4 ", " EVENT_ROWS4 ", " EVENT_ROWS4
#define EVENT_ROWS32 EVENT_ROWS16 ", " EVENT_ROWS16
#define EVENT_COLS 7

/* Binds `ev` as the row whose first parameter is number base + 1. */
static void bind_event(sqlite3_stmt *st, int base, const struct gd_event *ev)
{
    bind_i64(st, base + 1, ev->id);
    bind_i64(st, base + 2, ev->shop_id);
    bind_i64(st, base + 3, ev->workorder_id);
    bind_text(st, base + 4, ev->kind);
    bind_i64_nz(st, base + 5, ev->actor_id);
    bind_i64(st, base + 6, ev->at);
    bind_text(st, base + 7, ev->data ? ev->data : "{}");
}

int gd_sq__event_append(struct gd_store *s, const struct gd_event *ev, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s), EVENT_INSERT EVENT_ROW, err);
    if (!st) {
        return GD_EDB;
    }
    bind_event(st, 0, ev);
    return sq_exec(SQ(s), st, err);
}

int gd_sq__events_append_many(struct gd_store *s, const struct gd_event *evs, int n,
                              struct gd_err *err)
{
    /* 32 rows to a prepared statement of bound values (a statement's own cost, its cursors and
     * registers, once per 32 rows; JSON text to parse cost more than it saved), the rest one by
     * one */
    int ret = GD_OK, i = 0;
    for (; !ret && n - i >= 32; i += 32) {
        sqlite3_stmt *st = sq_prep(SQ(s), EVENT_INSERT EVENT_ROWS32, err);
        if (!st) {
            return GD_EDB;
        }
        for (int k = 0; k < 32; k++) {
            bind_event(st, k * EVENT_COLS, &evs[i + k]);
        }
        ret = sq_exec(SQ(s), st, err);
    }
    for (; !ret && i < n; i++) {
        ret = gd_sq__event_append(s, &evs[i], err);
    }
    return ret;
}

static void read_event(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_event *e = row;
    e->id = col_i64(st, 0);
    e->shop_id = col_i64(st, 1);
    e->workorder_id = col_i64(st, 2);
    e->kind = col_str(a, st, 3);
    e->actor_id = col_i64(st, 4);
    e->actor_name = col_str(a, st, 5);
    e->at = col_i64(st, 6);
    e->data = col_str(a, st, 7);
}

int gd_sq__events_list(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                       struct gd_arena *a, struct gd_event **out, int *count, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT e.id, e.shop_id, e.workorder_id, e.kind, e.actor_id, "
                               "u.display_name, e.at, e.data FROM events e LEFT JOIN users u "
                               "ON u.id = e.actor_id WHERE e.workorder_id = $1 AND "
                               "e.shop_id = $2 ORDER BY e.id",
                               err);

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, shop_id);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_event, (void **)out, count, err);
}

int gd_sq__counter_add(struct gd_store *s, int64_t shop_id, const char *key, int delta,
                       struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO counters (shop_id, key, n) VALUES ($1, $2, $3) "
                               "ON CONFLICT (shop_id, key) DO UPDATE SET n = counters.n + "
                               "excluded.n",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, key);
    bind_i64(st, 3, delta);
    return sq_exec(SQ(s), st, err);
}

int gd_sq__counter_get(struct gd_store *s, int64_t shop_id, const char *key, int64_t *out,
                       struct gd_err *err)
{
    sqlite3_stmt *st =
        sq_prep(SQ(s), "SELECT n FROM counters WHERE shop_id = $1 AND key = $2", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, key);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? col_i64(st, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);
    return GD_OK;
}

int gd_sq__idem_get(struct gd_store *s, int64_t user_id, const char *key, struct gd_arena *a,
                    int *status, const char **body, const char **digest, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT status, body, request_digest FROM idempotency "
                               "WHERE user_id = $1 AND key = $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    bind_text(st, 2, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *status = (int)col_i64(st, 0);
        *body = col_str(a, st, 1);
        *digest = col_str(a, st, 2);
        sq_done(st);
        return GD_OK;
    }
    if (rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);
    return GD_ENOTFOUND;
}

int gd_sq__idem_put(struct gd_store *s, int64_t user_id, const char *key, const char *digest,
                    int status, const char *body, int64_t now, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO idempotency (user_id, key, status, body, "
                               "created_at, request_digest) VALUES ($1, $2, $3, $4, $5, $6)",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    bind_text(st, 2, key);
    bind_i64(st, 3, status);
    bind_text(st, 4, body);
    bind_i64(st, 5, now);
    bind_text(st, 6, digest);
    return sq_exec(SQ(s), st, err);
}
