/* Work orders in SQLite: insert, get, optimistic update, the views with keyset pagination, and
 * the search index. */
#include "base/strbuf.h"
#include "store/list_order.h"
#include "store/sqlite/sqlite_int.h"

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
static void read_brief(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_workorder *w = row;

    w->id = col_i64(st, 0);
    w->shop_id = col_i64(st, 1);
    w->number = col_i64(st, 2);
    w->type = gd_type_parse((const char *)sqlite3_column_text(st, 3));
    w->state = gd_state_parse((const char *)sqlite3_column_text(st, 4));
    w->priority = gd_priority_parse((const char *)sqlite3_column_text(st, 5));
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

static void read_wo(sqlite3_stmt *st, struct gd_arena *a, void *row)
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

int gd_sq__workorder_next_number(struct gd_store *s, int64_t shop_id, int64_t *out,
                                 struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO counters (shop_id, key, n) VALUES ($1, 'seq', 1) "
                               "ON CONFLICT (shop_id, key) DO UPDATE SET n = counters.n + 1 "
                               "RETURNING n",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        return sq_fail(SQ(s), st, err);
    }
    *out = col_i64(st, 0);
    sq_done(st);
    return GD_OK;
}

static void bind_wo(sqlite3_stmt *st, const struct gd_workorder *w)
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

int gd_sq__workorder_insert(struct gd_store *s, const struct gd_workorder *w, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(
        SQ(s),
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
    return sq_exec(SQ(s), st, err);
}

int gd_sq__workorder_update(struct gd_store *s, const struct gd_workorder *w,
                            int64_t expected_version, struct gd_err *err)
{
    if (gd_store__version_moves(w, expected_version, err)) {
        return GD_EINVAL;
    }
    sqlite3_stmt *st = sq_prep(
        SQ(s),
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
    int ret = sq_exec(SQ(s), st, err);
    if (ret) {
        return ret;
    }
    if (sqlite3_changes(SQ(s)->db) != 1) {
        return gd_err_set(err, GD_ESTALE, "the work order was changed by someone else");
    }
    return GD_OK;
}

int gd_sq__workorder_get(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                         struct gd_workorder *out, struct gd_err *err)
{
    sqlite3_stmt *st =
        sq_prep(SQ(s),
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
    int ret = gd_sq__row(SQ(s), st, a, read_wo, out, err);
    return ret == GD_ENOTFOUND ? gd_err_set(err, ret, "no work order %lld", (long long)id) : ret;
}

struct many {
    int n;
    struct gd_arena *a;
    struct gd_workorder *out;
};

/* A row of workorders_get_many, at its key's index (the last column) */
static void read_many(sqlite3_stmt *st, void *ctx)
{
    const struct many *m = ctx;
    int64_t i = col_i64(st, 24);
    if (i >= 0 && i < m->n) {
        read_wo(st, m->a, &m->out[i]);
    }
}

int gd_sq__workorders_get_many(struct gd_store *s, const int64_t *shop_ids, const int64_t *ids,
                               int n, struct gd_arena *a, struct gd_workorder *out,
                               struct gd_err *err)
{
    /* the keys as one JSON array of [id, shop] pairs, each row found by its id (CROSS JOIN keeps
     * the pairs outside: one primary key look-up each) and put back at its pair's index */
    struct many m = {n, a, out};

    memset(out, 0, sizeof(*out) * (size_t)n);
    if (n <= 0) {
        return GD_OK;
    }
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " WO_COLS ", k.key FROM json_each($1) k CROSS JOIN "
                               "workorders w ON w.id = k.value ->> 0 AND w.shop_id = k.value ->> 1 "
                               "LEFT JOIN users h ON h.id = w.handler_id CROSS JOIN users c ON "
                               "c.id = w.creator_id",
                               err);
    if (!st) {
        return GD_EDB;
    }
    return gd_sq__each_pair(SQ(s), st, ids, shop_ids, n, read_many, &m, err);
}

#define BRIEF_SELECT "SELECT " WO_BRIEF_COLS " FROM workorders w WHERE "
#define BRIEF_IDS4 "?, ?, ?, ?"
#define BRIEF_IDS16 BRIEF_IDS4 ", " BRIEF_IDS4 ", " BRIEF_IDS4 ", " BRIEF_IDS4
#define BRIEF_IDS32 BRIEF_IDS16 ", " BRIEF_IDS16

/* The work orders of 32 keys in one statement (`id IN`: a primary key look-up each), each row
 * put at every place its id was asked for in its shop. */
static int brief_32(struct gd_store *s, const int64_t *shop_ids, const int64_t *ids,
                    struct gd_arena *a, struct gd_workorder *out, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s), BRIEF_SELECT "w.id IN (" BRIEF_IDS32 ")", err);
    struct gd_workorder w;
    int rc;

    if (!st) {
        return GD_EDB;
    }
    for (int k = 0; k < 32; k++) {
        bind_i64(st, k + 1, ids[k]);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&w, 0, sizeof(w));
        read_brief(st, a, &w);
        for (int k = 0; k < 32; k++) {
            if (ids[k] == w.id && shop_ids[k] == w.shop_id) {
                out[k] = w;
            }
        }
    }
    if (rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);
    return GD_OK;
}

int gd_sq__workorders_get_brief(struct gd_store *s, const int64_t *shop_ids, const int64_t *ids,
                                int n, struct gd_arena *a, struct gd_workorder *out,
                                struct gd_err *err)
{
    /* Without the users' names and the long text there is no join: 32 keys to a statement of
     * bound values, the rest by the single-row statement; both cost less than one statement over
     * the keys as JSON text, whose parsing took more than the statements it saved
     * (docs/PERFORMANCE.md, "One read fewer per firing") */
    int ret = GD_OK, i = 0;

    memset(out, 0, sizeof(*out) * (size_t)(n > 0 ? n : 0));
    for (; !ret && n - i >= 32; i += 32) {
        ret = brief_32(s, shop_ids + i, ids + i, a, out + i, err);
    }
    for (; !ret && i < n; i++) {
        sqlite3_stmt *st = sq_prep(SQ(s), BRIEF_SELECT "w.id = $1 AND w.shop_id = $2", err);
        if (!st) {
            return GD_EDB;
        }
        bind_i64(st, 1, ids[i]);
        bind_i64(st, 2, shop_ids[i]);
        ret = gd_sq__row(SQ(s), st, a, read_brief, &out[i], err);
        if (ret == GD_ENOTFOUND) {
            ret = GD_OK; /* no such work order in that shop: out[i].id stays 0 */
        }
    }
    return ret;
}

void gd_sq__workorders_list_sql(struct gd_sq_qb *b, const char *select, int64_t shop_id,
                                const struct gd_wo_filter *f)
{
    struct gd_list_order o = gd_store__list_order(shop_id, f);
    int k = 0, i = 0;

    gd_strbuf_adds(&b->sql, select ? select : "SELECT " WO_COLS WO_FROM);
    gd_sq__qb_where(b, shop_id, f);
    if (f->has_cursor) {
        k = gd_sq__qb_i64(b, f->cursor_key);
        i = gd_sq__qb_i64(b, f->cursor_id);
    }
    gd_store__list_order_sql(&b->sql, &o, f->has_cursor, k, i);
    gd_strbuf_addf(&b->sql, " LIMIT $%d", gd_sq__qb_i64(b, f->limit));
}

/* The list's statement with `select` (NULL: every column), its rows read by `read`. */
static int list_rows(struct gd_store *s, const char *select, gd_sq_read_fn read, int64_t shop_id,
                     const struct gd_wo_filter *f, struct gd_arena *a, struct gd_workorder **out,
                     int *count, struct gd_err *err)
{
    struct gd_sq_qb b = GD_SQ_QB_INIT;
    int ret = GD_OK;

    gd_sq__workorders_list_sql(&b, select, shop_id, f);
    sqlite3_stmt *st = sq_prep(SQ(s), b.sql.buf, err);
    if (!st) {
        ret = GD_EDB;
        goto out;
    }
    gd_sq__qb_bind(st, &b);
    ret = gd_sq__rows(SQ(s), st, a, sizeof(**out), read, (void **)out, count, err);
out:
    gd_sq__qb_release(&b);
    return ret;
}

int gd_sq__workorders_list(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                           struct gd_arena *a, struct gd_workorder **out, int *count,
                           struct gd_err *err)
{
    return list_rows(s, NULL, read_wo, shop_id, f, a, out, count, err);
}

static void read_key(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_workorder *w = row;

    (void)a;
    memset(w, 0, sizeof(*w));
    w->id = col_i64(st, 0);
    w->shop_id = col_i64(st, 1);
    w->version = col_i64(st, 2);
    w->state = gd_state_parse((const char *)sqlite3_column_text(st, 3));
    w->deadline_at = col_i64(st, 4);
    w->handler_id = col_i64(st, 5);
    w->creator_id = col_i64(st, 6);
}

/* The people a page names, each once: ids[i] and names[i] (NULL until read). */
struct people {
    int n;
    int64_t *ids;
    const char **names;
};

static void people_add(struct people *p, int64_t id)
{
    for (int i = 0; i < p->n; i++) {
        if (p->ids[i] == id) {
            return;
        }
    }
    p->ids[p->n++] = id;
}

static const char *people_name(const struct people *p, int64_t id)
{
    for (int i = 0; i < p->n; i++) {
        if (p->ids[i] == id) {
            return p->names[i];
        }
    }
    return NULL;
}

/* users_names' rows: each name at its id's index */
struct names {
    int n;
    const int64_t *ids;
    const char **names;
    struct gd_arena *a;
};

static void read_person(sqlite3_stmt *st, void *ctx)
{
    struct names *p = ctx;
    int64_t id = col_i64(st, 0);
    for (int i = 0; i < p->n; i++) {
        if (p->ids[i] == id) {
            p->names[i] = col_str(p->a, st, 1);
        }
    }
}

int gd_sq__users_names(struct gd_store *s, const int64_t *ids, int n, struct gd_arena *a,
                       const char **names, struct gd_err *err)
{
    struct names p = {n, ids, names, a};

    memset(names, 0, sizeof(char *) * (size_t)(n > 0 ? n : 0));
    if (n <= 0) {
        return GD_OK;
    }
    sqlite3_stmt *st =
        sq_prep(SQ(s),
                "SELECT u.id, u.display_name FROM json_each($1) k CROSS JOIN users u "
                "ON u.id = k.value ->> 0",
                err);
    if (!st) {
        return GD_EDB;
    }
    /* gd_sq__each_pair binds [id, id] pairs: the first is the person's id */
    return gd_sq__each_pair(SQ(s), st, ids, ids, n, read_person, &p, err);
}

int gd_sq__workorders_list_keys(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                                struct gd_arena *a, struct gd_workorder **out, int *count,
                                struct gd_err *err)
{
    /* the names not joined per row but read once per person: a page names one handler and a
     * few creators, and the two joins were a third of this narrow read (docs/PERFORMANCE.md) */
    int ret = list_rows(s,
                        "SELECT w.id, w.shop_id, w.version, w.state, w.deadline_at, w.handler_id, "
                        "w.creator_id FROM workorders w",
                        read_key, shop_id, f, a, out, count, err);
    if (ret || !*count || f->keys_unnamed) {
        return ret;
    }
    struct gd_workorder *rows = *out;
    int n = *count;
    struct people p = {0, gd_arena_alloc(a, sizeof(int64_t) * 2 * (size_t)n),
                       gd_arena_alloc(a, sizeof(char *) * 2 * (size_t)n)};
    for (int i = 0; i < n; i++) {
        if (rows[i].handler_id) {
            people_add(&p, rows[i].handler_id);
        }
        people_add(&p, rows[i].creator_id);
    }
    if ((ret = gd_sq__users_names(s, p.ids, p.n, a, p.names, err))) {
        return ret;
    }
    for (int i = 0; i < n; i++) {
        rows[i].handler_name = people_name(&p, rows[i].handler_id);
        rows[i].creator_name = people_name(&p, rows[i].creator_id);
    }
    return GD_OK;
}

int gd_sq__workorders_by_order(struct gd_store *s, int64_t shop_id, const char *order_no, int type,
                               struct gd_arena *a, struct gd_workorder **out, int *count,
                               struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " WO_COLS WO_FROM "WHERE w.shop_id = $1 AND "
                               "w.order_no = $2 AND w.type = $3 AND w.active = 1",
                               err);

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, order_no);
    bind_text(st, 3, gd_type_name(type));
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_wo, (void **)out, count, err);
}
