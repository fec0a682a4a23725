/* Webhook endpoints and the outbox in PostgreSQL (schema pg/0004_webhooks.sql says why the
 * per-shop outbox seq, taken under the lock of the shop's counter row, can serve as a cursor). */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

#define HOOK_COLS                                                                             \
    "w.id, w.shop_id, w.url, w.secret, w.description, w.created_by, w.created_at, w.cursor, " \
    "w.delivered, w.failures, w.next_attempt_at, w.last_attempt_at, w.last_status, "          \
    "w.last_error, (SELECT COUNT(*) FROM outbox o WHERE o.shop_id = w.shop_id AND "           \
    "o.seq > w.cursor), w.events, w.lease_node, w.format"

static void read_hook(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
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

int gd_pg__webhook_insert(struct gd_store *s, const struct gd_webhook *w, struct gd_err *err)
{
    gd_hook_cache_clear(&PG(s)->hooks);
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                "INSERT INTO webhooks (id, shop_id, url, secret, description, "
                "events, created_by, created_at, format, cursor) VALUES ($1, $2, $3, "
                "$4, $5, $8, $6, $7, $9, (SELECT COALESCE(MAX(seq), 0) FROM "
                "outbox WHERE shop_id = $2))",
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
    return pg_exec(PG(s), st, err);
}

int gd_pg__webhooks_list(struct gd_store *s, int64_t shop_id, struct gd_arena *a,
                         struct gd_webhook **out, int *count, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT " HOOK_COLS " FROM webhooks w WHERE w.shop_id = $1 "
                                    "ORDER BY w.id",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_hook, (void **)out, count, err);
}

int gd_pg__webhook_delete(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_err *err)
{
    gd_hook_cache_clear(&PG(s)->hooks);
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "DELETE FROM webhooks WHERE id = $1 AND shop_id = $2", err);
    int ret;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    ret = pg_exec(PG(s), st, err);
    if (!ret && pg_changes(st) != 1) {
        return gd_err_set(err, GD_ENOTFOUND, "no webhook %lld", (long long)id);
    }
    return ret;
}

int gd_pg__webhooks_due(struct gd_store *s, int64_t now, int limit, struct gd_arena *a,
                        struct gd_webhook **out, int *count, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
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
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_hook, (void **)out, count, err);
}

/* An outcome changes the row only while `node` still holds the endpoint's lease: one row,
 * or GD_ESTALE (another node took it over and sends the batch again, or it was deleted). */
static int held_change(struct gd_store *s, struct gd_pg_stmt *st, int64_t id, int node,
                       struct gd_err *err)
{
    int ret = pg_exec(PG(s), st, err);
    if (!ret && pg_changes(st) != 1) {
        return gd_err_set(err, GD_ESTALE,
                          "webhook %lld was deleted or is no longer held by "
                          "node slot %d",
                          (long long)id, node);
    }
    return ret;
}

int gd_pg__webhook_attempted(struct gd_store *s, int64_t shop_id, int64_t id,
                             const struct gd_webhook_attempt *att, struct gd_err *err)
{
    /* the new state is computed from the row's own columns (the backoff from its failures) */
    struct gd_pg_stmt *st =
        att->ok ? pg_prep(PG(s),
                          "UPDATE webhooks SET cursor = GREATEST(cursor, $3), "
                          "delivered = delivered + $4, failures = 0, next_attempt_at = 0, "
                          "last_attempt_at = $5, last_status = $6, last_error = '' "
                          "WHERE id = $1 AND shop_id = $2 AND lease_node = $7",
                          err)
                : pg_prep(PG(s),
                          "UPDATE webhooks SET failures = failures + 1, "
                          "next_attempt_at = $3::bigint + "
                          "LEAST($7::bigint, $6::bigint << LEAST(failures, 32)::int), "
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

int gd_pg__webhook_skip(struct gd_store *s, int64_t shop_id, int64_t id, int node, int64_t upto_seq,
                        struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "UPDATE webhooks SET cursor = GREATEST(cursor, $3) "
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

/* The database's clock in ms: the one clock every node shares. */
#define DB_NOW_MS "(extract(epoch from clock_timestamp()) * 1000)::bigint"

int gd_pg__webhook_lease(struct gd_store *s, int64_t shop_id, int64_t id, int node,
                         int64_t lease_ms, bool *held, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
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
    ret = pg_exec(PG(s), st, err);
    *held = !ret && pg_changes(st) == 1;
    return ret;
}

int gd_pg__webhook_leases_release(struct gd_store *s, int node, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "UPDATE webhooks SET lease_until = 0 WHERE lease_node "
                                    "= $1 AND lease_until > 0",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, node);
    return pg_exec(PG(s), st, err);
}

int gd_pg__outbox_add(struct gd_store *s, int64_t shop_id, int64_t event_id, struct gd_err *err)
{
    /* The seq comes from the shop's 'outbox' counter row, whose lock this transaction then holds
     * until it ends: another writer of the same shop waits for it, so the shop's rows commit in
     * seq order. Shops without an endpoint take no lock and write nothing, and a transaction
     * that found a shop has none does not ask again (hook_cache.h). */
    struct gd_pg *p = PG(s);
    if (p->in_tx && gd_hook_cache_get(&p->hooks, shop_id) == 0) {
        return GD_OK;
    }
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "WITH s AS (INSERT INTO counters (shop_id, key, n) SELECT $1, 'outbox', 1 WHERE EXISTS "
        "(SELECT 1 FROM webhooks WHERE shop_id = $1) ON CONFLICT (shop_id, key) DO UPDATE SET "
        "n = counters.n + 1 RETURNING n) INSERT INTO outbox (shop_id, seq, event_id) SELECT $1, "
        "n, $2 FROM s",
        err);

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, event_id);
    int ret = pg_exec(p, st, err);
    if (!ret && p->in_tx) {
        gd_hook_cache_put(&p->hooks, shop_id, pg_changes(st) == 1); /* a row: it has one */
    }
    return ret;
}

int gd_pg__outbox_add_many(struct gd_store *s, int64_t shop_id, const int64_t *event_ids, int n,
                           struct gd_err *err)
{
    /* as outbox_add, with n seqs taken from the counter row at once, given in the ids' order */
    struct gd_pg *p = PG(s);
    struct gd_strbuf ids = GD_STRBUF_INIT;

    if (n <= 0 || (p->in_tx && gd_hook_cache_get(&p->hooks, shop_id) == 0)) {
        return GD_OK;
    }
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "WITH s AS (INSERT INTO counters (shop_id, key, n) SELECT $1, 'outbox', "
        "cardinality($2::bigint[]) WHERE EXISTS (SELECT 1 FROM webhooks WHERE shop_id = $1) ON "
        "CONFLICT (shop_id, key) DO UPDATE SET n = counters.n + excluded.n RETURNING n) INSERT "
        "INTO outbox (shop_id, seq, event_id) SELECT $1, s.n - cardinality($2::bigint[]) + e.i, "
        "e.id FROM s, unnest($2::bigint[]) WITH ORDINALITY AS e(id, i)",
        err);
    if (!st) {
        return GD_EDB;
    }
    gd_strbuf_addch(&ids, '{');
    for (int i = 0; i < n; i++) {
        gd_pg__array_i64(&ids, event_ids[i]);
    }
    gd_strbuf_addch(&ids, '}');
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, ids.buf); /* by reference: the buffer lives until it ran */
    int ret = pg_exec(p, st, err);
    if (!ret && p->in_tx) {
        gd_hook_cache_put(&p->hooks, shop_id, pg_changes(st) > 0); /* rows: it has one */
    }
    gd_strbuf_release(&ids);
    return ret;
}

static void read_outbox(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
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

int gd_pg__outbox_list(struct gd_store *s, int64_t shop_id, int64_t after_seq, int limit,
                       struct gd_arena *a, struct gd_outbox_event **out, int *count,
                       struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
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
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_outbox, (void **)out, count, err);
}

int gd_pg__outbox_trim(struct gd_store *s, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "DELETE FROM outbox WHERE seq <= COALESCE((SELECT "
                                    "MIN(w.cursor) FROM webhooks w WHERE w.shop_id = "
                                    "outbox.shop_id), seq)",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    return pg_exec(PG(s), st, err);
}
