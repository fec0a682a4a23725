/* Events, counters and idempotency records in PostgreSQL. */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

int gd_pg__event_append(struct gd_store *s, const struct gd_event *ev, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO events (id, shop_id, workorder_id, kind, "
                                    "actor_id, at, data) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, ev->id);
    bind_i64(st, 2, ev->shop_id);
    bind_i64(st, 3, ev->workorder_id);
    bind_text(st, 4, ev->kind);
    bind_i64_nz(st, 5, ev->actor_id);
    bind_i64(st, 6, ev->at);
    bind_text(st, 7, ev->data ? ev->data : "{}");
    return pg_exec(PG(s), st, err);
}

int gd_pg__events_append_many(struct gd_store *s, const struct gd_event *evs, int n,
                              struct gd_err *err)
{
    enum { C_ID, C_SHOP, C_WO, C_KIND, C_ACTOR, C_AT, C_DATA, C_COUNT };
    struct gd_pg_cols cols;

    if (n <= 0) {
        return GD_OK;
    }
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "INSERT INTO events (id, shop_id, workorder_id, kind, actor_id, at, data) SELECT id, "
        "shop_id, workorder_id, kind, NULLIF(actor_id, 0), at, data FROM unnest($1::bigint[], "
        "$2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::text[]) AS "
        "e(id, shop_id, workorder_id, kind, actor_id, at, data)",
        err);
    if (!st) {
        return GD_EDB;
    }
    gd_pg__cols_open(&cols, C_COUNT);
    for (int i = 0; i < n; i++) {
        gd_pg__array_i64(&cols.col[C_ID], evs[i].id);
        gd_pg__array_i64(&cols.col[C_SHOP], evs[i].shop_id);
        gd_pg__array_i64(&cols.col[C_WO], evs[i].workorder_id);
        gd_pg__array_text(&cols.col[C_KIND], evs[i].kind);
        gd_pg__array_i64(&cols.col[C_ACTOR], evs[i].actor_id);
        gd_pg__array_i64(&cols.col[C_AT], evs[i].at);
        gd_pg__array_text(&cols.col[C_DATA], evs[i].data ? evs[i].data : "{}");
    }
    return gd_pg__cols_run(PG(s), st, &cols, err);
}

static void read_event(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
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

int gd_pg__events_list(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                       struct gd_arena *a, struct gd_event **out, int *count, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
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
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_event, (void **)out, count, err);
}

int gd_pg__counter_add(struct gd_store *s, int64_t shop_id, const char *key, int delta,
                       struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
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
    return pg_exec(PG(s), st, err);
}

int gd_pg__counter_get(struct gd_store *s, int64_t shop_id, const char *key, int64_t *out,
                       struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "SELECT n FROM counters WHERE shop_id = $1 AND key = $2", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, key);
    int rc = pg_step(st);
    *out = rc == PG_ROW ? col_i64(st, 0) : 0;
    if (rc != PG_ROW && rc != PG_DONE) {
        return pg_fail(PG(s), st, err);
    }
    pg_done(st);
    return GD_OK;
}

int gd_pg__idem_get(struct gd_store *s, int64_t user_id, const char *key, struct gd_arena *a,
                    int *status, const char **body, const char **digest, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT status, body, request_digest FROM idempotency "
                                    "WHERE user_id = $1 AND key = $2",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    bind_text(st, 2, key);
    int rc = pg_step(st);
    if (rc == PG_ROW) {
        *status = (int)col_i64(st, 0);
        *body = col_str(a, st, 1);
        *digest = col_str(a, st, 2);
        pg_done(st);
        return GD_OK;
    }
    if (rc != PG_DONE) {
        return pg_fail(PG(s), st, err);
    }
    pg_done(st);
    return GD_ENOTFOUND;
}

int gd_pg__idem_put(struct gd_store *s, int64_t user_id, const char *key, const char *digest,
                    int status, const char *body, int64_t now, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO idempotency (user_id, key, status, body, "
                                    "created_at, request_digest) VALUES ($1, $2, $3, $4, "
                                    "$5, $6) ON CONFLICT DO NOTHING",
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
    /* a clash answers "conflict" without aborting the caller's transaction */
    int ret = pg_exec(PG(s), st, err);
    if (!ret && pg_changes(st) != 1) {
        return gd_err_set(err, GD_ECONFLICT, "already exists");
    }
    return ret;
}
