/* Work orders in PostgreSQL: insert, get, optimistic update, the views with keyset pagination, and
 * the search index. */
#include "base/strbuf.h"
#include "store/list_order.h"
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

/* The columns of a brief row (read_brief: what an overdue firing reads), then the rest of a full
 * one (read_wo); a key read beside a full row comes after them, as column 24. */
#define WO_BRIEF_COLS                                                                         \
    "w.id, w.shop_id, w.number, w.type, w.state, w.priority, w.title, w.handler_id, "         \
    "w.creator_id, w.deadline_at, w.overdue, w.created_at, w.updated_at, w.first_action_at, " \
    "w.done_at, w.transfers, w.version"
#define WO_COLS                                                                             \
    WO_BRIEF_COLS ", w.content, h.display_name, c.display_name, w.order_no, w.buyer_nick, " \
                  "w.custom, w.fields"
#define WO_FROM                                                    \
    " FROM workorders w LEFT JOIN users h ON h.id = w.handler_id " \
    "JOIN users c ON c.id = w.creator_id "

/* A row of workorders_get_brief: what an overdue firing reads (store.h) */
static void read_brief(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_workorder *w = row;

    w->id = col_i64(st, 0);
    w->shop_id = col_i64(st, 1);
    w->number = col_i64(st, 2);
    w->type = gd_type_parse(col_text(st, 3));
    w->state = gd_state_parse(col_text(st, 4));
    w->priority = gd_priority_parse(col_text(st, 5));
    w->title = col_str(a, st, 6);
    w->handler_id = col_i64(st, 7);
    w->creator_id = col_i64(st, 8);
    w->deadline_at = col_i64(st, 9);
    w->overdue = col_i64(st, 10) != 0;
    w->created_at = col_i64(st, 11);
    w->updated_at = col_i64(st, 12);
    w->first_action_at = col_i64(st, 13);
    w->done_at = col_i64(st, 14);
    w->transfers = col_i64(st, 15);
    w->version = col_i64(st, 16);
}

static void read_wo(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_workorder *w = row;

    read_brief(st, a, row);
    w->content = col_str(a, st, 17);
    w->handler_name = col_str(a, st, 18);
    w->creator_name = col_str(a, st, 19);
    w->order_no = col_str(a, st, 20);
    w->buyer_nick = col_str(a, st, 21);
    w->custom = col_str(a, st, 22);
    w->fields = col_str(a, st, 23);
}

int gd_pg__workorder_next_number(struct gd_store *s, int64_t shop_id, int64_t *out,
                                 struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO counters (shop_id, key, n) VALUES ($1, 'seq', 1) "
                                    "ON CONFLICT (shop_id, key) DO UPDATE SET n = counters.n + 1 "
                                    "RETURNING n",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    if (pg_step(st) != PG_ROW) {
        return pg_fail(PG(s), st, err);
    }
    *out = col_i64(st, 0);
    pg_done(st);
    return GD_OK;
}

static void bind_wo(struct gd_pg_stmt *st, const struct gd_workorder *w)
{
    bind_i64(st, 1, w->id);
    bind_i64(st, 2, w->shop_id);
    bind_i64(st, 3, w->number);
    bind_text(st, 4, gd_type_name(w->type));
    bind_text(st, 5, gd_state_name(w->state));
    bind_i64(st, 6, gd_state_is_active(w->state));
    bind_text(st, 7, gd_priority_name(w->priority));
    bind_text(st, 8, w->title);
    bind_text(st, 9, w->content);
    bind_i64_nz(st, 10, w->handler_id);
    bind_i64(st, 11, w->creator_id);
    bind_text(st, 12, w->order_no);
    bind_text(st, 13, w->buyer_nick);
    bind_i64_nz(st, 14, w->deadline_at);
    bind_i64(st, 15, gd_workorder_due_key(w));
    bind_i64(st, 16, w->overdue);
    bind_i64(st, 17, w->created_at);
    bind_i64(st, 18, w->updated_at);
    bind_i64_nz(st, 19, w->first_action_at);
    bind_i64_nz(st, 20, w->done_at);
    bind_i64(st, 21, w->transfers);
    bind_i64(st, 22, w->version);
    bind_text(st, 23, w->custom ? w->custom : "{}");
    bind_text(st, 24, w->fields ? w->fields : "{}");
}

int gd_pg__workorder_insert(struct gd_store *s, const struct gd_workorder *w, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "INSERT INTO workorders (id, shop_id, number, type, state, active, priority, title, "
        "content, handler_id, creator_id, order_no, buyer_nick, deadline_at, due_key, overdue, "
        "created_at, updated_at, first_action_at, done_at, transfers, version, custom, fields) "
        "VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
        "$20, $21, $22, $23, $24)",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_wo(st, w);
    return pg_exec(PG(s), st, err);
}

int gd_pg__workorder_update(struct gd_store *s, const struct gd_workorder *w,
                            int64_t expected_version, struct gd_err *err)
{
    if (gd_store__version_moves(w, expected_version, err)) {
        return GD_EINVAL;
    }
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "UPDATE workorders SET number = $3, type = $4, state = $5, active = $6, priority = $7, "
        "title = $8, content = $9, handler_id = $10, creator_id = $11, order_no = $12, "
        "buyer_nick = $13, deadline_at = $14, due_key = $15, overdue = $16, created_at = $17, "
        "updated_at = $18, first_action_at = $19, done_at = $20, transfers = $21, version = $22, "
        "custom = $23, fields = $24 WHERE id = $1 AND shop_id = $2 AND version = $25",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_wo(st, w);
    bind_i64(st, 25, expected_version);
    int ret = pg_exec(PG(s), st, err);
    if (ret) {
        return ret;
    }
    if (pg_changes(st) != 1) {
        return gd_err_set(err, GD_ESTALE, "the work order was changed by someone else");
    }
    return GD_OK;
}

int gd_pg__workorder_get(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                         struct gd_workorder *out, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                shop_id ? "SELECT " WO_COLS WO_FROM "WHERE w.id = $1 AND w.shop_id = $2"
                        : "SELECT " WO_COLS WO_FROM "WHERE w.id = $1",
                err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    if (shop_id) {
        bind_i64(st, 2, shop_id);
    }
    int ret = gd_pg__row(PG(s), st, a, read_wo, out, err);
    return ret == GD_ENOTFOUND ? gd_err_set(err, ret, "no work order %lld", (long long)id) : ret;
}

/* The work orders of n (shop, id) keys by `sql`, whose rows are read by `read` and end with the
 * key's 1-based position (column `pos`): the keys as two arrays, each row put back at its pair's
 * position. */
static int get_keyed(struct gd_store *s, const char *sql, int pos, gd_pg_read_fn read,
                     const int64_t *shop_ids, const int64_t *ids, int n, struct gd_arena *a,
                     struct gd_workorder *out, struct gd_err *err)
{
    struct gd_strbuf idv = GD_STRBUF_INIT, shopv = GD_STRBUF_INIT;
    int rc, ret = GD_OK;

    memset(out, 0, sizeof(*out) * (size_t)n);
    if (n <= 0) {
        return GD_OK;
    }
    struct gd_pg_stmt *st = pg_prep(PG(s), sql, err);
    if (!st) {
        return GD_EDB;
    }
    gd_strbuf_addch(&idv, '{');
    gd_strbuf_addch(&shopv, '{');
    for (int i = 0; i < n; i++) {
        gd_pg__array_i64(&idv, ids[i]);
        gd_pg__array_i64(&shopv, shop_ids[i]);
    }
    gd_strbuf_addch(&idv, '}');
    gd_strbuf_addch(&shopv, '}');
    bind_text(st, 1, idv.buf); /* by reference: the buffers live until the rows are read */
    bind_text(st, 2, shopv.buf);
    while ((rc = pg_step(st)) == PG_ROW) {
        int64_t i = col_i64(st, pos) - 1;
        if (i >= 0 && i < n) {
            read(st, a, &out[i]);
        }
    }
    if (rc != PG_DONE) {
        ret = pg_fail(PG(s), st, err);
    } else {
        pg_done(st);
    }
    gd_strbuf_release(&idv);
    gd_strbuf_release(&shopv);
    return ret;
}

#define KEYS_FROM                                                                         \
    " FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS k(id, shop_id, i) JOIN " \
    "workorders w ON w.id = k.id AND w.shop_id = k.shop_id"

int gd_pg__workorders_get_many(struct gd_store *s, const int64_t *shop_ids, const int64_t *ids,
                               int n, struct gd_arena *a, struct gd_workorder *out,
                               struct gd_err *err)
{
    return get_keyed(s,
                     "SELECT " WO_COLS ", k.i" KEYS_FROM " LEFT JOIN users h ON h.id = "
                     "w.handler_id JOIN users c ON c.id = w.creator_id",
                     24, read_wo, shop_ids, ids, n, a, out, err);
}

int gd_pg__workorders_get_brief(struct gd_store *s, const int64_t *shop_ids, const int64_t *ids,
                                int n, struct gd_arena *a, struct gd_workorder *out,
                                struct gd_err *err)
{
    /* without the two look-ups of the users for their names and the long text columns */
    return get_keyed(s, "SELECT " WO_BRIEF_COLS ", k.i" KEYS_FROM, 17, read_brief, shop_ids, ids, n,
                     a, out, err);
}

/* The list's statement selecting `cols` from `from`, its rows read by `read`. */
static int list_rows(struct gd_store *s, const char *cols, const char *from, gd_pg_read_fn read,
                     int64_t shop_id, const struct gd_wo_filter *f, struct gd_arena *a,
                     struct gd_workorder **out, int *count, struct gd_err *err)
{
    struct gd_pg_qb b = GD_PG_QB_INIT;
    int ret = GD_OK;
    struct gd_list_order o = gd_store__list_order(shop_id, f);
    int k = 0, i = 0;

    gd_strbuf_adds(&b.sql, "SELECT ");
    gd_strbuf_adds(&b.sql, cols);
    gd_strbuf_adds(&b.sql, from);
    gd_pg__qb_where(&b, shop_id, f);
    if (f->has_cursor) {
        k = gd_pg__qb_i64(&b, f->cursor_key);
        i = gd_pg__qb_i64(&b, f->cursor_id);
    }
    gd_store__list_order_sql(&b.sql, &o, f->has_cursor, k, i);
    gd_strbuf_addf(&b.sql, " LIMIT $%d", gd_pg__qb_i64(&b, f->limit));

    struct gd_pg_stmt *st = pg_prep(PG(s), b.sql.buf, err);
    if (!st) {
        ret = GD_EDB;
        goto out;
    }
    gd_pg__qb_bind(st, &b);
    ret = gd_pg__rows(PG(s), st, a, sizeof(**out), read, (void **)out, count, err);
out:
    gd_pg__qb_release(&b);
    return ret;
}

int gd_pg__workorders_list(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                           struct gd_arena *a, struct gd_workorder **out, int *count,
                           struct gd_err *err)
{
    return list_rows(s, WO_COLS, WO_FROM, read_wo, shop_id, f, a, out, count, err);
}

static void read_key(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_workorder *w = row;

    (void)a;
    memset(w, 0, sizeof(*w));
    w->id = col_i64(st, 0);
    w->shop_id = col_i64(st, 1);
    w->version = col_i64(st, 2);
    w->state = gd_state_parse(col_text(st, 3));
    w->deadline_at = col_i64(st, 4);
    w->handler_id = col_i64(st, 5);
    w->creator_id = col_i64(st, 6);
}

/* the keys and the two names after them */
static void read_key_named(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_workorder *w = row;

    read_key(st, a, row);
    w->handler_name = col_str(a, st, 7);
    w->creator_name = col_str(a, st, 8);
}

#define KEY_COLS "w.id, w.shop_id, w.version, w.state, w.deadline_at, w.handler_id, w.creator_id"

int gd_pg__workorders_list_keys(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                                struct gd_arena *a, struct gd_workorder **out, int *count,
                                struct gd_err *err)
{
    /* the names joined (one round trip), unless the caller has them: the creators' look-ups are
     * two thirds of this statement's time (docs/PERFORMANCE.md) */
    if (f->keys_unnamed) {
        return list_rows(s, KEY_COLS, " FROM workorders w", read_key, shop_id, f, a, out, count,
                         err);
    }
    return list_rows(s, KEY_COLS ", h.display_name, c.display_name", WO_FROM, read_key_named,
                     shop_id, f, a, out, count, err);
}

int gd_pg__users_names(struct gd_store *s, const int64_t *ids, int n, struct gd_arena *a,
                       const char **names, struct gd_err *err)
{
    struct gd_strbuf idv = GD_STRBUF_INIT;
    int rc, ret = GD_OK;

    memset(names, 0, sizeof(char *) * (size_t)(n > 0 ? n : 0));
    if (n <= 0) {
        return GD_OK;
    }
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "SELECT id, display_name FROM users WHERE id = ANY($1::bigint[])", err);
    if (!st) {
        return GD_EDB;
    }
    gd_strbuf_addch(&idv, '{');
    for (int i = 0; i < n; i++) {
        gd_pg__array_i64(&idv, ids[i]);
    }
    gd_strbuf_addch(&idv, '}');
    bind_text(st, 1, idv.buf); /* by reference: the buffer lives until the rows are read */
    while ((rc = pg_step(st)) == PG_ROW) {
        int64_t id = col_i64(st, 0);
        for (int i = 0; i < n; i++) {
            if (ids[i] == id) {
                names[i] = col_str(a, st, 1);
            }
        }
    }
    if (rc != PG_DONE) {
        ret = pg_fail(PG(s), st, err);
    } else {
        pg_done(st);
    }
    gd_strbuf_release(&idv);
    return ret;
}

int gd_pg__workorders_by_order(struct gd_store *s, int64_t shop_id, const char *order_no, int type,
                               struct gd_arena *a, struct gd_workorder **out, int *count,
                               struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT " WO_COLS WO_FROM "WHERE w.shop_id = $1 AND "
                                    "w.order_no = $2 AND w.type = $3 AND w.active = 1",
                                    err);

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, order_no);
    bind_text(st, 3, gd_type_name(type));
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_wo, (void **)out, count, err);
}

/* A piece is written only for a work order of the shop (its tokens hold the shop's, search.c):
 * nothing written is GD_ENOTFOUND. */
static int piece_written(struct gd_pg_stmt *st, int ret, int64_t workorder_id, struct gd_err *err)
{
    if (!ret && pg_changes(st) != 1) {
        return gd_err_set(err, GD_ENOTFOUND, "no work order %lld", (long long)workorder_id);
    }
    return ret;
}

int gd_pg__search_set(struct gd_store *s, int64_t shop_id, int64_t workorder_id, const char *text,
                      struct gd_err *err)
{
    struct gd_strbuf body = GD_STRBUF_INIT, grams = GD_STRBUF_INIT;
    /* the work order's own fields: replaced; the pieces appended later stay */
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO wo_search (workorder_id, base, body, "
                                    "grams) SELECT $1, true, $2, $3::text[] WHERE EXISTS "
                                    "(SELECT 1 FROM workorders WHERE id = $1 AND shop_id = "
                                    "$4) ON CONFLICT (workorder_id) WHERE base DO UPDATE "
                                    "SET body = excluded.body, grams = excluded.grams",
                                    err);
    int ret = GD_EDB;
    if (st) {
        gd_pg__fold(&body, text);
        gd_pg__grams(&grams, shop_id, text);
        bind_i64(st, 1, workorder_id);
        bind_text(st, 2, body.buf ? body.buf : "");
        bind_text(st, 3, grams.buf);
        bind_i64(st, 4, shop_id);
        ret = piece_written(st, pg_exec(PG(s), st, err), workorder_id, err);
    }
    gd_strbuf_release(&body);
    gd_strbuf_release(&grams);
    return ret;
}

int gd_pg__search_append(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                         const char *text, struct gd_err *err)
{
    /* one more piece: only its own text is tokenised */
    struct gd_strbuf body = GD_STRBUF_INIT, grams = GD_STRBUF_INIT;
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO wo_search (workorder_id, base, body, "
                                    "grams) SELECT $1, false, $2, $3::text[] WHERE EXISTS "
                                    "(SELECT 1 FROM workorders WHERE id = $1 AND shop_id = "
                                    "$4)",
                                    err);
    int ret = GD_EDB;
    if (st) {
        gd_pg__fold(&body, text);
        gd_pg__grams(&grams, shop_id, text);
        bind_i64(st, 1, workorder_id);
        bind_text(st, 2, body.buf ? body.buf : "");
        bind_text(st, 3, grams.buf);
        bind_i64(st, 4, shop_id);
        ret = piece_written(st, pg_exec(PG(s), st, err), workorder_id, err);
    }
    gd_strbuf_release(&body);
    gd_strbuf_release(&grams);
    return ret;
}
