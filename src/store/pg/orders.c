/* Orders in PostgreSQL: upsert, get, prefix search by number or buyer. */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

#define ORDER_COLS "shop_id, order_no, buyer_nick, status, paid_amount, items, created_at, updated_at"

static void read_order(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
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

int gd_pg__order_upsert(struct gd_store *s, const struct gd_order *o, struct gd_arena *a,
                        const char **old_status, struct gd_err *err)
{
    struct gd_order prev;
    int ret = gd_pg__order_get(s, o->shop_id, o->order_no, a, &prev, NULL);
    *old_status = ret == GD_OK ? prev.status : NULL;
    if (ret != GD_OK && ret != GD_ENOTFOUND) {
        return gd_err_set(err, GD_EDB, "database error");
    }
    struct gd_pg_stmt *st = pg_prep(PG(s),
        "INSERT INTO orders (" ORDER_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (shop_id, order_no) DO UPDATE SET buyer_nick = excluded.buyer_nick, "
        "status = excluded.status, paid_amount = excluded.paid_amount, items = excluded.items, "
        "updated_at = excluded.updated_at", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, o->shop_id);
    bind_text(st, 2, o->order_no);
    bind_text(st, 3, o->buyer_nick);
    bind_text(st, 4, o->status);
    bind_i64(st, 5, o->paid_amount);
    bind_text(st, 6, o->items);
    bind_i64(st, 7, o->created_at);
    bind_i64(st, 8, o->updated_at);
    return pg_exec(PG(s), st, err);
}

int gd_pg__order_get(struct gd_store *s, int64_t shop_id, const char *order_no,
                     struct gd_arena *a, struct gd_order *out, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s), "SELECT " ORDER_COLS " FROM orders WHERE shop_id = $1 "
                                      "AND order_no = $2", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, order_no);
    int ret = gd_pg__row(PG(s), st, a, read_order, out, err);
    return ret == GD_ENOTFOUND
               ? gd_err_field(err, ret, "order_no", "no order '%s' in this shop", order_no)
               : ret;
}

int gd_pg__orders_search(struct gd_store *s, int64_t shop_id, const char *q, int limit,
                         struct gd_arena *a, struct gd_order **out, int *count,
                         struct gd_err *err)
{
    /* prefix match within the shop's orders, letters in either case as SQLite's LIKE: '\'
     * escapes LIKE wildcards in q */
    struct gd_pg_stmt *st = pg_prep(PG(s), q && *q
        ? "SELECT " ORDER_COLS " FROM orders WHERE shop_id = $1 AND (order_no ILIKE $2 ESCAPE "
          "'\\' OR buyer_nick ILIKE $2 ESCAPE '\\') ORDER BY updated_at DESC LIMIT $3"
        : "SELECT " ORDER_COLS " FROM orders WHERE shop_id = $1 ORDER BY updated_at DESC LIMIT $2",
        err);

    struct {
        char b[512];
    } pat; /* bound by reference: lives until the rows are read */

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    if (q && *q) {
        size_t j = 0;
        for (const char *p = q; *p && j < sizeof(pat.b) - 3; p++) {
            if (*p == '%' || *p == '_' || *p == '\\') {
                pat.b[j++] = '\\';
            }
            pat.b[j++] = *p;
        }
        pat.b[j++] = '%';
        pat.b[j] = 0;
        bind_text(st, 2, pat.b);
    }
    bind_i64(st, q && *q ? 3 : 2, limit);
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_order, (void **)out, count, err);
}

int gd_pg__orders_of_buyer(struct gd_store *s, int64_t shop_id, const char *buyer_nick,
                           int limit, struct gd_arena *a, struct gd_order **out, int *count,
                           struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s), "SELECT " ORDER_COLS " FROM orders WHERE shop_id = $1 "
                                           "AND buyer_nick = $2 ORDER BY created_at DESC, "
                                           "order_no LIMIT $3",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, buyer_nick);
    bind_i64(st, 3, limit);
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_order, (void **)out, count, err);
}
