/* Orders in SQLite: upsert (many at once), get, prefix search by number or buyer. */
#include "store/sqlite/sqlite_int.h"

#define ORDER_COLS \
    "shop_id, order_no, buyer_nick, status, paid_amount, items, created_at, updated_at"

static void read_order(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_order *o = row;

    o->shop_id = col_i64(st, 0);
    o->order_no = col_str(a, st, 1);
    o->buyer_nick = col_str(a, st, 2);
    o->status = col_str(a, st, 3);
    o->paid_amount = col_i64(st, 4);
    o->items = col_str(a, st, 5);
    o->created_at = col_i64(st, 6);
    o->updated_at = col_i64(st, 7);
}

static void read_status(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    *(const char **)row = col_str(a, st, 0);
}

/* One order: its previous status read, then the row written (the statements are prepared once
 * per connection, so a loop over them is what SQLite does fastest). */
static int upsert_one(struct gd_store *s, int64_t shop_id, const struct gd_order *o,
                      struct gd_arena *a, const char **old_status, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT status FROM orders WHERE shop_id = $1 AND "
                               "order_no = $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, o->order_no);
    *old_status = NULL;
    int ret = gd_sq__row(SQ(s), st, a, read_status, old_status, err);
    if (ret && ret != GD_ENOTFOUND) {
        return ret;
    }
    st = sq_prep(
        SQ(s),
        "INSERT INTO orders (" ORDER_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (shop_id, order_no) DO UPDATE SET buyer_nick = excluded.buyer_nick, "
        "status = excluded.status, paid_amount = excluded.paid_amount, items = excluded.items, "
        "updated_at = excluded.updated_at",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, o->order_no);
    bind_text(st, 3, o->buyer_nick);
    bind_text(st, 4, o->status);
    bind_i64(st, 5, o->paid_amount);
    bind_text(st, 6, o->items);
    bind_i64(st, 7, o->created_at);
    bind_i64(st, 8, o->updated_at);
    return sq_exec(SQ(s), st, err);
}

int gd_sq__orders_upsert(struct gd_store *s, int64_t shop_id, const struct gd_order *orders, int n,
                         struct gd_arena *a, const char **old_status, struct gd_err *err)
{
    int ret = GD_OK;
    for (int i = 0; i < n && !ret; i++) {
        ret = upsert_one(s, shop_id, &orders[i], a, &old_status[i], err);
    }
    return ret;
}

int gd_sq__order_get(struct gd_store *s, int64_t shop_id, const char *order_no, struct gd_arena *a,
                     struct gd_order *out, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " ORDER_COLS " FROM orders WHERE shop_id = $1 "
                               "AND order_no = $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, order_no);
    int ret = gd_sq__row(SQ(s), st, a, read_order, out, err);
    return ret == GD_ENOTFOUND
               ? gd_err_field(err, ret, "order_no", "no order '%s' in this shop", order_no)
               : ret;
}

int gd_sq__orders_search(struct gd_store *s, int64_t shop_id, const char *q, int limit,
                         struct gd_arena *a, struct gd_order **out, int *count, struct gd_err *err)
{
    /* prefix match on the primary key / buyer index: '\' escapes LIKE wildcards in q */
    sqlite3_stmt *st =
        sq_prep(SQ(s),
                q && *q ? "SELECT " ORDER_COLS
                          " FROM orders WHERE shop_id = $1 AND (order_no LIKE $2 ESCAPE '\\' "
                          "OR buyer_nick LIKE $2 ESCAPE '\\') ORDER BY updated_at DESC LIMIT $3"
                        : "SELECT " ORDER_COLS
                          " FROM orders WHERE shop_id = $1 ORDER BY updated_at DESC LIMIT $3",
                err);

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    if (q && *q) {
        struct gd_strbuf_like {
            char b[512];
        } pat;
        size_t j = 0;
        for (const char *p = q; *p && j < sizeof(pat.b) - 3; p++) {
            if (*p == '%' || *p == '_' || *p == '\\') {
                pat.b[j++] = '\\';
            }
            pat.b[j++] = *p;
        }
        pat.b[j++] = '%';
        pat.b[j] = 0;
        sqlite3_bind_text(st, 2, pat.b, -1, SQLITE_TRANSIENT);
    }
    bind_i64(st, 3, limit);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_order, (void **)out, count, err);
}

int gd_sq__orders_of_buyer(struct gd_store *s, int64_t shop_id, const char *buyer_nick, int limit,
                           struct gd_arena *a, struct gd_order **out, int *count,
                           struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " ORDER_COLS " FROM orders WHERE shop_id = $1 AND "
                               "buyer_nick = $2 ORDER BY created_at DESC, order_no LIMIT $3",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, buyer_nick);
    bind_i64(st, 3, limit);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_order, (void **)out, count, err);
}
