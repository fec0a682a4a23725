/* Orders in PostgreSQL: upsert (many at once), get, prefix search by number or buyer. */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

#define ORDER_COLS \
    "shop_id, order_no, buyer_nick, status, paid_amount, items, created_at, updated_at"

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

enum { A_NO, A_BUYER, A_STATUS, A_AMOUNT, A_ITEMS, A_CREATED, A_UPDATED, A_COUNT };

/* An order that was there before the upsert: its place in the call (from 1), its status. */
struct old_order {
    int64_t i;
    const char *status;
};

static void read_old(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct old_order *o = row;
    o->i = col_i64(st, 0);
    o->status = col_str(a, st, 1);
}

int gd_pg__orders_upsert(struct gd_store *s, int64_t shop_id, const struct gd_order *orders, int n,
                         struct gd_arena *a, const char **old_status, struct gd_err *err)
{
    /* the orders travel as one array per column; the statement reads the rows they are before
     * it writes (every part of one statement sees the same snapshot), so it answers the old
     * statuses of the orders that were there */
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "WITH v AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], "
        "$6::text[], $7::bigint[], $8::bigint[]) WITH ORDINALITY AS v(order_no, buyer_nick, "
        "status, paid_amount, items, created_at, updated_at, i)), "
        "old AS (SELECT v.i, o.status FROM v JOIN orders o ON o.shop_id = $1 AND "
        "o.order_no = v.order_no), "
        "up AS (INSERT INTO orders (" ORDER_COLS ") SELECT $1, order_no, buyer_nick, status, "
        "paid_amount, items, created_at, updated_at FROM v "
        "ON CONFLICT (shop_id, order_no) DO UPDATE SET buyer_nick = excluded.buyer_nick, "
        "status = excluded.status, paid_amount = excluded.paid_amount, items = excluded.items, "
        "updated_at = excluded.updated_at) "
        "SELECT i, status FROM old",
        err);
    struct gd_strbuf col[A_COUNT];
    struct old_order *old = NULL;
    int nold = 0, ret;

    if (!st) {
        return GD_EDB;
    }
    for (int c = 0; c < A_COUNT; c++) {
        col[c] = (struct gd_strbuf)GD_STRBUF_INIT;
        gd_strbuf_addch(&col[c], '{');
    }
    for (int i = 0; i < n; i++) {
        const struct gd_order *o = &orders[i];
        gd_pg__array_text(&col[A_NO], o->order_no);
        gd_pg__array_text(&col[A_BUYER], o->buyer_nick);
        gd_pg__array_text(&col[A_STATUS], o->status);
        gd_pg__array_i64(&col[A_AMOUNT], o->paid_amount);
        gd_pg__array_text(&col[A_ITEMS], o->items);
        gd_pg__array_i64(&col[A_CREATED], o->created_at);
        gd_pg__array_i64(&col[A_UPDATED], o->updated_at);
        old_status[i] = NULL;
    }
    bind_i64(st, 1, shop_id);
    for (int c = 0; c < A_COUNT; c++) {
        gd_strbuf_addch(&col[c], '}');
        bind_text(st, 2 + c, col[c].buf); /* by reference: the buffers live until the rows */
    }
    ret = gd_pg__rows(PG(s), st, a, sizeof(*old), read_old, (void **)&old, &nold, err);
    for (int k = 0; !ret && k < nold; k++) {
        if (old[k].i >= 1 && old[k].i <= n) {
            old_status[old[k].i - 1] = old[k].status;
        }
    }
    for (int c = 0; c < A_COUNT; c++) {
        gd_strbuf_release(&col[c]);
    }
    return ret;
}

int gd_pg__order_get(struct gd_store *s, int64_t shop_id, const char *order_no, struct gd_arena *a,
                     struct gd_order *out, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT " ORDER_COLS " FROM orders WHERE shop_id = $1 "
                                    "AND order_no = $2",
                                    err);
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
                         struct gd_arena *a, struct gd_order **out, int *count, struct gd_err *err)
{
    /* prefix match within the shop's orders, letters in either case as SQLite's LIKE: '\'
     * escapes LIKE wildcards in q */
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        q && *q ? "SELECT " ORDER_COLS
                  " FROM orders WHERE shop_id = $1 AND (order_no ILIKE $2 ESCAPE "
                  "'\\' OR buyer_nick ILIKE $2 ESCAPE '\\') ORDER BY updated_at DESC LIMIT $3"
                : "SELECT " ORDER_COLS
                  " FROM orders WHERE shop_id = $1 ORDER BY updated_at DESC LIMIT $2",
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

int gd_pg__orders_of_buyer(struct gd_store *s, int64_t shop_id, const char *buyer_nick, int limit,
                           struct gd_arena *a, struct gd_order **out, int *count,
                           struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT " ORDER_COLS " FROM orders WHERE shop_id = $1 "
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
