/* Shops, users, sessions and API tokens in PostgreSQL. */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

#define USER_COLS                                                                             \
    "u.id, u.shop_id, u.username, u.display_name, u.role, u.pwhash, u.created_at, u.active, " \
    "u.must_change_password"
#define SHOP_COLS "id, name, tz, tz_offset_min, aftersales_handler_id, created_at, active"
/* a user who may act: active, of an active shop (or of the platform) */
#define USER_LIVE                                                                           \
    " AND u.active = 1 AND NOT EXISTS (SELECT 1 FROM shops sh WHERE sh.id = u.shop_id AND " \
    "sh.active = 0)"

static void read_user(struct gd_pg_stmt *st, int c, struct gd_arena *a, struct gd_user *u)
{
    u->id = col_i64(st, c);
    u->shop_id = col_i64(st, c + 1);
    u->username = col_str(a, st, c + 2);
    u->display_name = col_str(a, st, c + 3);
    u->role = gd_role_parse(col_text(st, c + 4));
    u->pwhash = col_str(a, st, c + 5);
    u->created_at = col_i64(st, c + 6);
    u->active = col_i64(st, c + 7) != 0;
    u->must_change_password = col_i64(st, c + 8) != 0;
}

static void read_user_row(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    read_user(st, 0, a, row);
}

static void read_shop(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_shop *s = row;

    s->id = col_i64(st, 0);
    s->name = col_str(a, st, 1);
    s->tz = col_str(a, st, 2);
    s->tz_offset_min = (int)col_i64(st, 3);
    s->aftersales_handler_id = col_i64(st, 4);
    s->created_at = col_i64(st, 5);
    s->active = col_i64(st, 6) != 0;
}

int gd_pg__shop_insert(struct gd_store *s, const struct gd_shop *shop, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                "INSERT INTO shops (id, name, tz, tz_offset_min, "
                "created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop->id);
    bind_text(st, 2, shop->name);
    bind_text(st, 3, shop->tz ? shop->tz : GD_SHOP_DEFAULT_TZ);
    bind_i64(st, 4, shop->tz ? shop->tz_offset_min : GD_SHOP_DEFAULT_TZ_OFFSET_MIN);
    bind_i64(st, 5, shop->created_at);
    /* a clash answers "conflict" without aborting the caller's transaction */
    int ret = pg_exec(PG(s), st, err);
    if (!ret && pg_changes(st) != 1) {
        return gd_err_set(err, GD_ECONFLICT, "already exists");
    }
    return ret;
}

static int shop_one(struct gd_store *s, const char *sql, int64_t id, const char *name,
                    struct gd_arena *a, struct gd_shop *out, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s), sql, err);
    if (!st) {
        return GD_EDB;
    }
    if (name) {
        bind_text(st, 1, name);
    } else {
        bind_i64(st, 1, id);
    }
    int ret = gd_pg__row(PG(s), st, a, read_shop, out, err);
    return ret == GD_ENOTFOUND ? gd_err_set(err, ret, "no such shop") : ret;
}

int gd_pg__shop_get(struct gd_store *s, int64_t id, struct gd_arena *a, struct gd_shop *out,
                    struct gd_err *err)
{
    return shop_one(s,
                    "SELECT " SHOP_COLS " "
                    "FROM shops WHERE id = $1",
                    id, NULL, a, out, err);
}

int gd_pg__shop_get_by_name(struct gd_store *s, const char *name, struct gd_arena *a,
                            struct gd_shop *out, struct gd_err *err)
{
    return shop_one(s,
                    "SELECT " SHOP_COLS " "
                    "FROM shops WHERE name = $1",
                    0, name, a, out, err);
}

int gd_pg__shops_list(struct gd_store *s, struct gd_arena *a, struct gd_shop **out, int *count,
                      struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s), "SELECT " SHOP_COLS " FROM shops ORDER BY name", err);

    if (!st) {
        return GD_EDB;
    }
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_shop, (void **)out, count, err);
}

int gd_pg__shop_set_aftersales(struct gd_store *s, int64_t shop_id, int64_t user_id,
                               struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "UPDATE shops SET aftersales_handler_id = $2 WHERE id = $1", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64_nz(st, 2, user_id);
    return pg_exec(PG(s), st, err);
}

int gd_pg__user_insert(struct gd_store *s, const struct gd_user *u, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "INSERT INTO users (id, shop_id, username, display_name, "
        "role, pwhash, created_at, must_change_password) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT DO NOTHING",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, u->id);
    bind_i64_nz(st, 2, u->shop_id);
    bind_text(st, 3, u->username);
    bind_text(st, 4, u->display_name);
    bind_text(st, 5, gd_role_name(u->role));
    bind_text(st, 6, u->pwhash);
    bind_i64(st, 7, u->created_at);
    bind_i64(st, 8, u->must_change_password);
    int ret = pg_exec(PG(s), st, err);
    if (ret == GD_ECONFLICT || (!ret && pg_changes(st) != 1)) {
        return gd_err_field(err, GD_ECONFLICT, "username", "username '%s' is taken", u->username);
    }
    return ret;
}

static int user_one(struct gd_store *s, struct gd_pg_stmt *st, struct gd_arena *a,
                    struct gd_user *out, struct gd_err *err)
{
    int ret = gd_pg__row(PG(s), st, a, read_user_row, out, err);
    return ret == GD_ENOTFOUND ? gd_err_set(err, ret, "no such user") : ret;
}

int gd_pg__user_get(struct gd_store *s, int64_t id, struct gd_arena *a, struct gd_user *out,
                    struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "SELECT " USER_COLS " FROM users u WHERE u.id = $1", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    return user_one(s, st, a, out, err);
}

int gd_pg__user_get_by_username(struct gd_store *s, const char *username, struct gd_arena *a,
                                struct gd_user *out, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "SELECT " USER_COLS " FROM users u WHERE u.username = $1", err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, username);
    return user_one(s, st, a, out, err);
}

int gd_pg__users_list(struct gd_store *s, int64_t shop_id, struct gd_arena *a, struct gd_user **out,
                      int *count, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                shop_id ? "SELECT " USER_COLS " FROM users u WHERE u.shop_id = $1 ORDER BY u.id"
                        : "SELECT " USER_COLS " FROM users u WHERE u.shop_id IS NULL ORDER BY u.id",
                err);

    if (!st) {
        return GD_EDB;
    }
    if (shop_id) {
        bind_i64(st, 1, shop_id);
    }
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_user_row, (void **)out, count, err);
}

int gd_pg__session_insert(struct gd_store *s, const char *digest, int64_t user_id, const char *csrf,
                          int64_t now, int64_t expires_at, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO sessions (digest, user_id, csrf, created_at, "
                                    "expires_at) VALUES ($1, $2, $3, $4, $5)",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, digest);
    bind_i64(st, 2, user_id);
    bind_text(st, 3, csrf);
    bind_i64(st, 4, now);
    bind_i64(st, 5, expires_at);
    return pg_exec(PG(s), st, err);
}

int gd_pg__session_get(struct gd_store *s, const char *digest, int64_t now, struct gd_arena *a,
                       struct gd_user *out, const char **csrf, int64_t *expires_at,
                       struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                "SELECT " USER_COLS ", x.csrf, x.expires_at FROM sessions x JOIN users u "
                "ON u.id = x.user_id WHERE x.digest = $1 AND x.expires_at > $2" USER_LIVE,
                err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, digest);
    bind_i64(st, 2, now);
    int rc = pg_step(st);
    if (rc == PG_ROW) {
        read_user(st, 0, a, out);
        *csrf = col_str(a, st, 9);
        if (expires_at) {
            *expires_at = col_i64(st, 10);
        }
        pg_done(st);
        return GD_OK;
    }
    if (rc != PG_DONE) {
        return pg_fail(PG(s), st, err);
    }
    pg_done(st);
    return gd_err_set(err, GD_ENOTFOUND, "no such session");
}

int gd_pg__session_delete(struct gd_store *s, const char *digest, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s), "DELETE FROM sessions WHERE digest = $1", err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, digest);
    return pg_exec(PG(s), st, err);
}

int gd_pg__token_insert(struct gd_store *s, const char *digest, int64_t id, int64_t user_id,
                        const char *name, int64_t now, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO api_tokens (digest, id, user_id, name, "
                                    "created_at) VALUES ($1, $2, $3, $4, $5)",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, digest);
    bind_i64(st, 2, id);
    bind_i64(st, 3, user_id);
    bind_text(st, 4, name);
    bind_i64(st, 5, now);
    return pg_exec(PG(s), st, err);
}

int gd_pg__token_get(struct gd_store *s, const char *digest, struct gd_arena *a,
                     struct gd_user *out, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT " USER_COLS " FROM api_tokens t JOIN users u "
                                    "ON u.id = t.user_id WHERE t.digest = $1" USER_LIVE,
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, digest);
    return user_one(s, st, a, out, err);
}

/* ---- sign-in attempts (login_attempts, 0005_signin.sql) ---- */

int gd_pg__login_attempt_reserve(struct gd_store *s, const char *key, int64_t now,
                                 int64_t window_ms, int max, int64_t lock_ms, bool *admitted,
                                 int64_t *locked_until, struct gd_err *err)
{
    /* One statement, so two attempts can never both read the count below the limit. A row
     * whose lock is over and whose window has passed starts afresh; a locked row is left as it
     * is and the attempt refused; otherwise the attempt is counted, and the one that reaches
     * `max` sets the lock. (SET expressions read the row as it was before this update.) */
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "INSERT INTO login_attempts AS l (key, window_start, failures, locked_until, "
        "admitted) "
        "VALUES ($1, $2::bigint, 1, CASE WHEN $4::bigint <= 1 THEN $2::bigint + $5::bigint ELSE 0 "
        "END, "
        "1) "
        "ON CONFLICT (key) DO UPDATE SET "
        "window_start = CASE WHEN l.locked_until <= $2 AND l.window_start <= $2 - $3::bigint "
        "THEN $2 ELSE l.window_start END, "
        "failures = CASE WHEN l.locked_until <= $2 AND l.window_start <= $2 - $3::bigint THEN 1 "
        "WHEN l.locked_until > $2 THEN l.failures ELSE l.failures + 1 END, "
        "locked_until = CASE WHEN l.locked_until > $2 THEN l.locked_until "
        "WHEN l.window_start <= $2 - $3::bigint THEN (CASE WHEN $4 <= 1 THEN $2 + $5 ELSE 0 END) "
        "WHEN l.failures + 1 >= $4 THEN $2 + $5 ELSE l.locked_until END, "
        "admitted = CASE WHEN l.locked_until > $2 THEN 0 ELSE 1 END "
        "RETURNING admitted, locked_until",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, key);
    bind_i64(st, 2, now);
    bind_i64(st, 3, window_ms);
    bind_i64(st, 4, max);
    bind_i64(st, 5, lock_ms);
    if (pg_step(st) != PG_ROW) {
        return pg_fail(PG(s), st, err);
    }
    *admitted = col_i64(st, 0) != 0;
    *locked_until = col_i64(st, 1);
    pg_done(st);
    return GD_OK;
}

int gd_pg__login_attempt_release(struct gd_store *s, const char *key, int max, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                "UPDATE login_attempts SET failures = greatest(failures - 1, 0), "
                "locked_until = CASE WHEN failures - 1 < $2 THEN 0 ELSE locked_until END "
                "WHERE key = $1",
                err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, key);
    bind_i64(st, 2, max);
    return pg_exec(PG(s), st, err);
}

int gd_pg__login_attempt_forget(struct gd_store *s, const char *key, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s), "DELETE FROM login_attempts WHERE key = $1", err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, key);
    return pg_exec(PG(s), st, err);
}

int gd_pg__login_attempts_prune(struct gd_store *s, int64_t now, int64_t window_ms,
                                struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "DELETE FROM login_attempts WHERE locked_until <= $1 "
                                    "AND window_start <= $1 - $2",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, now);
    bind_i64(st, 2, window_ms);
    return pg_exec(PG(s), st, err);
}
