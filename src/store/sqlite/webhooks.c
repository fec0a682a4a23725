/* Webhook endpoints and the outbox in SQLite (schema 0004_webhooks.sql says why the outbox's
 * seq can serve as a cursor). */
#include "store/sqlite/sqlite_int.h"

#define HOOK_COLS                                                                             \
    "w.id, w.shop_id, w.url, w.secret, w.description, w.created_by, w.created_at, w.cursor, " \
    "w.delivered, w.failures, w.next_attempt_at, w.last_attempt_at, w.last_status, "          \
    "w.last_error, (SELECT COUNT(*) FROM outbox o WHERE o.shop_id = w.shop_id AND "           \
    "o.seq > w.cursor), w.events, w.lease_node, w.format"

static void read_hook(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_webhook *w = row;
    w->id = col_i64(st, 0);
    w->shop_id = col_i64(st, 1);
    w->url = col_str(a, st, 2);
    w->secret = col_str(a, st, 3);
    w->description = col_str(a, st, 4);
    w->created_by = col_i64(st, 5);
    w->created_at = col_i64(st, 6);
    w->cursor = col_i64(st, 7);
    w->delivered = col_i64(st, 8);
    w->failures = (int)col_i64(st, 9);
    w->next_attempt_at = col_i64(st, 10);
    w->last_attempt_at = col_i64(st, 11);
    w->last_status = (int)col_i64(st, 12);
    w->last_error = col_str(a, st, 13);
    w->pending = col_i64(st, 14);
    w->events = col_str(a, st, 15);
    w->lease_node = (int)col_i64(st, 16);
    w->format = col_str(a, st, 17);
}

int gd_sq__webhook_insert(struct gd_store *s, const struct gd_webhook *w, struct gd_err *err)
{
    gd_hook_cache_clear(&SQ(s)->hooks);
    sqlite3_stmt *st =
        sq_prep(SQ(s),
                "INSERT INTO webhooks (id, shop_id, url, secret, description, "
                "events, created_by, created_at, format, cursor) VALUES ($1, $2, $3, "
                "$4, $5, $8, $6, $7, $9, (SELECT COALESCE(MAX(seq), 0) FROM "
                "outbox))",
                err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, w->id);
    bind_i64(st, 2, w->shop_id);
    bind_text(st, 3, w->url);
    bind_text(st, 4, w->secret);
    bind_text(st, 5, w->description ? w->description : "");
    bind_i64(st, 6, w->created_by);
    bind_i64(st, 7, w->created_at);
    bind_text(st, 8, w->events ? w->events : "");
    bind_text(st, 9, w->format && *w->format ? w->format : "gongdan");
    return sq_exec(SQ(s), st, err);
}

int gd_sq__webhooks_list(struct gd_store *s, int64_t shop_id, struct gd_arena *a,
                         struct gd_webhook **out, int *count, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " HOOK_COLS " FROM webhooks w WHERE w.shop_id = $1 "
                               "ORDER BY w.id",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_hook, (void **)out, count, err);
}

int gd_sq__webhook_delete(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_err *err)
{
    gd_hook_cache_clear(&SQ(s)->hooks);
    sqlite3_stmt *st = sq_prep(SQ(s), "DELETE FROM webhooks WHERE id = $1 AND shop_id = $2", err);
    int ret;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    ret = sq_exec(SQ(s), st, err);
    if (!ret && sqlite3_changes(SQ(s)->db) != 1) {
        return gd_err_set(err, GD_ENOTFOUND, "no webhook %lld", (long long)id);
    }
    return ret;
}

int gd_sq__webhooks_due(struct gd_store *s, int64_t now, int limit, struct gd_arena *a,
                        struct gd_webhook **out, int *count, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " HOOK_COLS " FROM webhooks w WHERE "
                               "w.next_attempt_at <= $1 AND EXISTS (SELECT 1 FROM outbox o "
                               "WHERE o.shop_id = w.shop_id AND o.seq > w.cursor) ORDER BY "
                               "w.next_attempt_at, w.last_attempt_at, w.id LIMIT $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, now);
    bind_i64(st, 2, limit);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_hook, (void **)out, count, err);
}

/* An outcome changes the row only while `node` still holds the endpoint's lease: one row,
 * or GD_ESTALE (another node took it over and sends the batch again, or it was deleted). */
static int held_change(struct gd_store *s, sqlite3_stmt *st, int64_t id, int node,
                       struct gd_err *err)
{
    int ret = sq_exec(SQ(s), st, err);
    if (!ret && sqlite3_changes(SQ(s)->db) != 1) {
        return gd_err_set(err, GD_ESTALE,
                          "webhook %lld was deleted or is no longer held by "
                          "node slot %d",
                          (long long)id, node);
    }
    return ret;
}

int gd_sq__webhook_attempted(struct gd_store *s, int64_t shop_id, int64_t id,
                             const struct gd_webhook_attempt *att, struct gd_err *err)
{
    /* the new state is computed from the row's own columns (the backoff from its failures) */
    sqlite3_stmt *st =
        att->ok ? sq_prep(SQ(s),
                          "UPDATE webhooks SET cursor = MAX(cursor, $3), "
                          "delivered = delivered + $4, failures = 0, next_attempt_at = 0, "
                          "last_attempt_at = $5, last_status = $6, last_error = '' "
                          "WHERE id = $1 AND shop_id = $2 AND lease_node = $7",
                          err)
                : sq_prep(SQ(s),
                          "UPDATE webhooks SET failures = failures + 1, "
                          "next_attempt_at = $3 + MIN($7, $6 << MIN(failures, 32)), "
                          "last_attempt_at = $3, last_status = $4, last_error = $5 "
                          "WHERE id = $1 AND shop_id = $2 AND lease_node = $8",
                          err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    if (att->ok) {
        bind_i64(st, 3, att->upto_seq);
        bind_i64(st, 4, att->delivered);
        bind_i64(st, 5, att->at);
        bind_i64(st, 6, att->status);
    } else {
        bind_i64(st, 3, att->at);
        bind_i64(st, 4, att->status);
        bind_text(st, 5, att->error ? att->error : "");
        bind_i64(st, 6, att->backoff_ms);
        bind_i64(st, 7, att->backoff_max_ms);
    }
    bind_i64(st, att->ok ? 7 : 8, att->lease_node); /* the parameter after the outcome's */
    return held_change(s, st, id, att->lease_node, err);
}

int gd_sq__webhook_skip(struct gd_store *s, int64_t shop_id, int64_t id, int node, int64_t upto_seq,
                        struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE webhooks SET cursor = MAX(cursor, $3) "
                               "WHERE id = $1 AND shop_id = $2 AND lease_node = $4",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    bind_i64(st, 3, upto_seq);
    bind_i64(st, 4, node);
    return held_change(s, st, id, node, err);
}

/* The one process's clock in ms (SQLite has no other node to agree with). */
#define DB_NOW_MS "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"

int gd_sq__webhook_lease(struct gd_store *s, int64_t shop_id, int64_t id, int node,
                         int64_t lease_ms, bool *held, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE webhooks SET lease_node = $3, lease_until = " DB_NOW_MS
                               " + $4 WHERE id = $1 AND shop_id = $2 AND "
                               "(lease_node = $3 OR lease_until <= " DB_NOW_MS ")",
                               err);
    int ret;
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    bind_i64(st, 3, node);
    bind_i64(st, 4, lease_ms);
    ret = sq_exec(SQ(s), st, err);
    *held = !ret && sqlite3_changes(SQ(s)->db) == 1;
    return ret;
}

int gd_sq__webhook_leases_release(struct gd_store *s, int node, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE webhooks SET lease_until = 0 WHERE lease_node = $1 "
                               "AND lease_until > 0",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, node);
    return sq_exec(SQ(s), st, err);
}

/* Does the shop have a webhook endpoint? Most shops have none: a read answers that for less than
 * an insert that inserts nothing (which still opens the outbox and its AUTOINCREMENT bookkeeping
 * for writing), and a transaction asks once per shop (hook_cache.h). */
static int has_hooks(struct gd_store *s, int64_t shop_id, bool *out, struct gd_err *err)
{
    int has = SQ(s)->in_tx ? gd_hook_cache_get(&SQ(s)->hooks, shop_id) : -1;

    if (has < 0) {
        sqlite3_stmt *st = sq_prep(SQ(s), "SELECT 1 FROM webhooks WHERE shop_id = $1 LIMIT 1", err);
        if (!st) {
            return GD_EDB;
        }
        bind_i64(st, 1, shop_id);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            return sq_fail(SQ(s), st, err);
        }
        sq_done(st);
        has = rc == SQLITE_ROW;
        if (SQ(s)->in_tx) {
            gd_hook_cache_put(&SQ(s)->hooks, shop_id, has);
        }
    }
    *out = has;
    return GD_OK;
}

int gd_sq__outbox_add(struct gd_store *s, int64_t shop_id, int64_t event_id, struct gd_err *err)
{
    return gd_sq__outbox_add_many(s, shop_id, &event_id, 1, err);
}

int gd_sq__outbox_add_many(struct gd_store *s, int64_t shop_id, const int64_t *event_ids, int n,
                           struct gd_err *err)
{
    bool has = false;
    int ret = n > 0 ? has_hooks(s, shop_id, &has, err) : GD_OK;

    if (ret || n <= 0 || !has) {
        return ret;
    }
    /* the prepared single-row insert n times, in order (see workorders_mark_overdue_many) */
    sqlite3_stmt *st =
        sq_prep(SQ(s), "INSERT INTO outbox (shop_id, event_id) VALUES ($1, $2)", err);
    for (int i = 0; st && !ret && i < n; i++) {
        bind_i64(st, 1, shop_id);
        bind_i64(st, 2, event_ids[i]);
        ret = sq_exec(SQ(s), st, err);
    }
    return st ? ret : GD_EDB;
}

static void read_outbox(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_outbox_event *o = row;
    o->seq = col_i64(st, 0);
    o->ev.id = col_i64(st, 1);
    o->ev.shop_id = col_i64(st, 2);
    o->ev.workorder_id = col_i64(st, 3);
    o->ev.kind = col_str(a, st, 4);
    o->ev.actor_id = col_i64(st, 5);
    o->ev.actor_name = col_str(a, st, 6);
    o->ev.at = col_i64(st, 7);
    o->ev.data = col_str(a, st, 8);
    o->wo_number = col_i64(st, 9);
    o->wo_type = col_str(a, st, 10);
}

int gd_sq__outbox_list(struct gd_store *s, int64_t shop_id, int64_t after_seq, int limit,
                       struct gd_arena *a, struct gd_outbox_event **out, int *count,
                       struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT o.seq, e.id, e.shop_id, e.workorder_id, e.kind, "
                               "e.actor_id, u.display_name, e.at, e.data, w.number, w.type "
                               "FROM outbox o JOIN events e ON e.id = o.event_id AND "
                               "e.shop_id = o.shop_id JOIN workorders w ON w.id = "
                               "e.workorder_id LEFT JOIN users u ON u.id = e.actor_id WHERE "
                               "o.shop_id = $1 AND o.seq > $2 ORDER BY o.seq LIMIT $3",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, after_seq);
    bind_i64(st, 3, limit);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_outbox, (void **)out, count, err);
}

int gd_sq__outbox_trim(struct gd_store *s, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "DELETE FROM outbox WHERE seq <= COALESCE((SELECT "
                               "MIN(w.cursor) FROM webhooks w WHERE w.shop_id = "
                               "outbox.shop_id), seq)",
                               err);
    if (!st) {
        return GD_EDB;
    }
    return sq_exec(SQ(s), st, err);
}
