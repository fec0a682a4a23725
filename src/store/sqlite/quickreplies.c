/* Quick replies (快捷短语) in SQLite: a shop's shop-wide texts and each user's own
 * (schema 0013_quick_replies.sql). */
#include "store/sqlite/sqlite_int.h"

#define QR_COLS "id, shop_id, owner_user_id, title, body, created_at, updated_at"

static void read_qr(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_quickreply *q = row;
    q->id = col_i64(st, 0);
    q->shop_id = col_i64(st, 1);
    q->owner_user_id = col_i64(st, 2); /* NULL reads 0: shop-wide */
    q->title = col_str(a, st, 3);
    q->body = col_str(a, st, 4);
    q->created_at = col_i64(st, 5);
    q->updated_at = col_i64(st, 6);
}

int gd_sq__quickreplies_list(struct gd_store *s, int64_t shop_id, int64_t user_id,
                             struct gd_arena *a, struct gd_quickreply **out, int *count,
                             struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " QR_COLS " FROM quick_replies WHERE shop_id = $1 "
                               "AND (owner_user_id IS NULL OR owner_user_id = $2) ORDER BY "
                               "owner_user_id IS NOT NULL, title, id",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, user_id);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_qr, (void **)out, count, err);
}

int gd_sq__quickreplies_count(struct gd_store *s, int64_t shop_id, int64_t owner_user_id, int *out,
                              struct gd_err *err)
{
    sqlite3_stmt *st = owner_user_id
                           ? sq_prep(SQ(s),
                                     "SELECT COUNT(*) FROM quick_replies WHERE shop_id = $1 AND "
                                     "owner_user_id = $2",
                                     err)
                           : sq_prep(SQ(s),
                                     "SELECT COUNT(*) FROM quick_replies WHERE shop_id = $1 AND "
                                     "owner_user_id IS NULL",
                                     err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    if (owner_user_id) {
        bind_i64(st, 2, owner_user_id);
    }
    int64_t n = 0;
    int ret = gd_sq__row(SQ(s), st, NULL, gd_sq__read_i64, &n, err);
    *out = (int)n;
    return ret;
}

int gd_sq__quickreply_get(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                          struct gd_quickreply *out, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " QR_COLS " FROM quick_replies WHERE id = $1 AND "
                               "shop_id = $2",
                               err);
    int ret;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    ret = gd_sq__row(SQ(s), st, a, read_qr, out, err);
    if (ret == GD_ENOTFOUND) {
        return gd_err_set(err, GD_ENOTFOUND, "no quick reply %lld", (long long)id);
    }
    return ret;
}

int gd_sq__quickreply_insert(struct gd_store *s, const struct gd_quickreply *q, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO quick_replies (" QR_COLS ") VALUES ($1, $2, "
                               "$3, $4, $5, $6, $7)",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, q->id);
    bind_i64(st, 2, q->shop_id);
    bind_i64_nz(st, 3, q->owner_user_id);
    bind_text(st, 4, q->title);
    bind_text(st, 5, q->body);
    bind_i64(st, 6, q->created_at);
    bind_i64(st, 7, q->updated_at);
    return sq_exec(SQ(s), st, err);
}

/* One row changed, or GD_ENOTFOUND (no such reply in the shop). */
static int one_changed(struct gd_store *s, sqlite3_stmt *st, int64_t id, struct gd_err *err)
{
    int ret = sq_exec(SQ(s), st, err);
    if (!ret && sqlite3_changes(SQ(s)->db) != 1) {
        return gd_err_set(err, GD_ENOTFOUND, "no quick reply %lld", (long long)id);
    }
    return ret;
}

int gd_sq__quickreply_update(struct gd_store *s, const struct gd_quickreply *q, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE quick_replies SET title = $3, body = $4, "
                               "updated_at = $5 WHERE id = $1 AND shop_id = $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, q->id);
    bind_i64(st, 2, q->shop_id);
    bind_text(st, 3, q->title);
    bind_text(st, 4, q->body);
    bind_i64(st, 5, q->updated_at);
    return one_changed(s, st, q->id, err);
}

int gd_sq__quickreply_delete(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_err *err)
{
    sqlite3_stmt *st =
        sq_prep(SQ(s), "DELETE FROM quick_replies WHERE id = $1 AND shop_id = $2", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    return one_changed(s, st, id, err);
}
