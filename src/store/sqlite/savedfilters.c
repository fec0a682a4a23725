/* Saved filters in SQLite: a shop's shared list filters and each user's own
 * (schema 0014_saved_filters.sql), and the bounded count of the work orders a filter matches. */
#include "store/sqlite/sqlite_int.h"

#define SF_COLS "id, shop_id, owner_user_id, name, view, query, created_at, updated_at"

static void read_sf(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_saved_filter *f = row;
    f->id = col_i64(st, 0);
    f->shop_id = col_i64(st, 1);
    f->owner_user_id = col_i64(st, 2); /* NULL reads 0: shared */
    f->name = col_str(a, st, 3);
    f->view = col_str(a, st, 4);
    f->query = col_str(a, st, 5);
    f->created_at = col_i64(st, 6);
    f->updated_at = col_i64(st, 7);
}

int gd_sq__savedfilters_list(struct gd_store *s, int64_t shop_id, int64_t user_id,
                             struct gd_arena *a, struct gd_saved_filter **out, int *count,
                             struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " SF_COLS " FROM saved_filters WHERE shop_id = $1 "
                               "AND (owner_user_id IS NULL OR owner_user_id = $2) ORDER BY "
                               "owner_user_id IS NOT NULL, name, id",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, user_id);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_sf, (void **)out, count, err);
}

int gd_sq__savedfilters_count(struct gd_store *s, int64_t shop_id, int64_t owner_user_id, int *out,
                              struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT COUNT(*) FROM saved_filters WHERE shop_id = $1 AND "
                               "owner_user_id IS $2",
                               err);
    int64_t n = 0;
    int ret;
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64_nz(st, 2, owner_user_id);
    ret = gd_sq__row(SQ(s), st, NULL, gd_sq__read_i64, &n, err);
    *out = (int)n;
    return ret;
}

int gd_sq__savedfilter_get(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                           struct gd_saved_filter *out, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " SF_COLS " FROM saved_filters WHERE id = $1 AND "
                               "shop_id = $2",
                               err);
    int ret;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    ret = gd_sq__row(SQ(s), st, a, read_sf, out, err);
    if (ret == GD_ENOTFOUND) {
        return gd_err_set(err, GD_ENOTFOUND, "no saved filter %lld", (long long)id);
    }
    return ret;
}

int gd_sq__savedfilter_insert(struct gd_store *s, const struct gd_saved_filter *f,
                              struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO saved_filters (" SF_COLS ") VALUES ($1, $2, "
                               "$3, $4, $5, $6, $7, $8)",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, f->id);
    bind_i64(st, 2, f->shop_id);
    bind_i64_nz(st, 3, f->owner_user_id);
    bind_text(st, 4, f->name);
    bind_text(st, 5, f->view);
    bind_text(st, 6, f->query);
    bind_i64(st, 7, f->created_at);
    bind_i64(st, 8, f->updated_at);
    return sq_exec(SQ(s), st, err);
}

/* One row changed, or GD_ENOTFOUND (no such filter in the shop). */
static int one_changed(struct gd_store *s, sqlite3_stmt *st, int64_t id, struct gd_err *err)
{
    int ret = sq_exec(SQ(s), st, err);
    if (!ret && sqlite3_changes(SQ(s)->db) != 1) {
        return gd_err_set(err, GD_ENOTFOUND, "no saved filter %lld", (long long)id);
    }
    return ret;
}

int gd_sq__savedfilter_update(struct gd_store *s, const struct gd_saved_filter *f,
                              struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE saved_filters SET name = $3, view = $4, query = $5, "
                               "updated_at = $6 WHERE id = $1 AND shop_id = $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, f->id);
    bind_i64(st, 2, f->shop_id);
    bind_text(st, 3, f->name);
    bind_text(st, 4, f->view);
    bind_text(st, 5, f->query);
    bind_i64(st, 6, f->updated_at);
    return one_changed(s, st, f->id, err);
}

int gd_sq__savedfilter_delete(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_err *err)
{
    sqlite3_stmt *st =
        sq_prep(SQ(s), "DELETE FROM saved_filters WHERE id = $1 AND shop_id = $2", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    return one_changed(s, st, id, err);
}

/* The list's own WHERE (and so its indexes) under a LIMIT: at most `cap` rows are looked at. */
int gd_sq__workorders_count(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                            int cap, int64_t *out, struct gd_err *err)
{
    struct gd_sq_qb b = GD_SQ_QB_INIT;
    sqlite3_stmt *st;
    int ret;

    gd_strbuf_adds(&b.sql, "SELECT count(*) FROM (SELECT 1 FROM workorders w");
    gd_sq__qb_where(&b, shop_id, f);
    gd_strbuf_addf(&b.sql, " LIMIT $%d) AS m", gd_sq__qb_i64(&b, cap));
    st = sq_prep(SQ(s), b.sql.buf, err);
    if (!st) {
        gd_sq__qb_release(&b);
        return GD_EDB;
    }
    gd_sq__qb_bind(st, &b);
    *out = 0;
    ret = gd_sq__row(SQ(s), st, NULL, gd_sq__read_i64, out, err);
    gd_sq__qb_release(&b);
    return ret;
}
