/* The chat-side panel's rows (docs/panel.md): a shop's frame origins and link-signing secret,
 * and the signed links already exchanged for a session. */
#include "store/sqlite/sqlite_int.h"

int gd_sq__panel_get(struct gd_store *s, int64_t shop_id, struct gd_arena *a, const char **origins,
                     const char **secret, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT origins, secret FROM panel_settings WHERE "
                               "shop_id = $1",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    *origins = "";
    *secret = NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *origins = col_str(a, st, 0);
        *secret = sqlite3_column_type(st, 1) == SQLITE_NULL ? NULL : col_str(a, st, 1);
    } else if (rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);
    return GD_OK;
}

int gd_sq__panel_put(struct gd_store *s, int64_t shop_id, const char *origins, const char *secret,
                     int64_t now, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO panel_settings (shop_id, origins, secret, "
                               "updated_at) VALUES ($1, coalesce($2, ''), $3, $4) ON "
                               "CONFLICT (shop_id) DO UPDATE SET origins = coalesce($2, "
                               "origins), secret = coalesce($3, secret), updated_at = $4",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, origins);
    bind_text(st, 3, secret);
    bind_i64(st, 4, now);
    return sq_exec(SQ(s), st, err);
}

int gd_sq__panel_link_use(struct gd_store *s, int64_t shop_id, const char *digest,
                          int64_t expires_at, int64_t now, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s), "DELETE FROM panel_links WHERE expires_at < $1", err);
    int ret;
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, now);
    if ((ret = sq_exec(SQ(s), st, err))) {
        return ret;
    }
    st = sq_prep(SQ(s),
                 "INSERT INTO panel_links (digest, shop_id, expires_at) VALUES ($1, $2, "
                 "$3) ON CONFLICT DO NOTHING",
                 err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, digest);
    bind_i64(st, 2, shop_id);
    bind_i64(st, 3, expires_at);
    if ((ret = sq_exec(SQ(s), st, err))) {
        return ret;
    }
    if (sqlite3_changes(SQ(s)->db) != 1) {
        return gd_err_set(err, GD_ECONFLICT, "the link was used already");
    }
    return GD_OK;
}
