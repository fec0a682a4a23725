/* People and shops changed after creation, their credentials revoked, and the audit log
 * (0008_people.sql) in PostgreSQL. */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

/* GD_ENOTFOUND when the statement changed no row. */
static int exec_one(struct gd_store *s, struct gd_pg_stmt *st, const char *what, struct gd_err *err)
{
    int ret = pg_exec(PG(s), st, err);
    if (!ret && pg_changes(st) != 1) {
        return gd_err_set(err, GD_ENOTFOUND, "no such %s", what);
    }
    return ret;
}

int gd_pg__shop_update(struct gd_store *s, const struct gd_shop *shop, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "UPDATE shops SET name = $2, active = $3 WHERE id = $1", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop->id);
    bind_text(st, 2, shop->name);
    bind_i64(st, 3, shop->active);
    return exec_one(s, st, "shop", err);
}

int gd_pg__user_update(struct gd_store *s, const struct gd_user *u, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "UPDATE users SET display_name = $2, role = $3, pwhash = $4, "
                                    "active = $5, must_change_password = $6 WHERE id = $1",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, u->id);
    bind_text(st, 2, u->display_name);
    bind_text(st, 3, gd_role_name(u->role));
    bind_text(st, 4, u->pwhash);
    bind_i64(st, 5, u->active);
    bind_i64(st, 6, u->must_change_password);
    return exec_one(s, st, "user", err);
}

int gd_pg__user_credentials_revoke(struct gd_store *s, int64_t user_id, const char *keep_session,
                                   int *removed, struct gd_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM sessions WHERE user_id = $1 AND digest IS DISTINCT FROM $2",
        "DELETE FROM api_tokens WHERE user_id = $1",
    };
    *removed = 0;
    for (int i = 0; i < 2; i++) {
        struct gd_pg_stmt *st = pg_prep(PG(s), sql[i], err);
        if (!st) {
            return GD_EDB;
        }
        bind_i64(st, 1, user_id);
        if (i == 0) {
            bind_text(st, 2, keep_session);
        }
        int ret = pg_exec(PG(s), st, err);
        if (ret) {
            return ret;
        }
        *removed += pg_changes(st);
    }
    return GD_OK;
}

int gd_pg__audit_insert(struct gd_store *s, const struct gd_audit_event *ev, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO audit_events (id, shop_id, actor_id, action, "
                                    "target_user_id, target_shop_id, data, at) VALUES ($1, $2, "
                                    "$3, $4, $5, $6, $7, $8)",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, ev->id);
    bind_i64_nz(st, 2, ev->shop_id);
    bind_i64(st, 3, ev->actor_id);
    bind_text(st, 4, ev->action);
    bind_i64_nz(st, 5, ev->target_user_id);
    bind_i64_nz(st, 6, ev->target_shop_id);
    bind_text(st, 7, ev->data);
    bind_i64(st, 8, ev->at);
    return pg_exec(PG(s), st, err);
}

static void read_audit(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_audit_event *ev = row;

    ev->id = col_i64(st, 0);
    ev->shop_id = col_i64(st, 1);
    ev->actor_id = col_i64(st, 2);
    ev->actor_name = col_str(a, st, 3);
    ev->action = col_str(a, st, 4);
    ev->target_user_id = col_i64(st, 5);
    ev->target_shop_id = col_i64(st, 6);
    ev->data = col_str(a, st, 7);
    ev->at = col_i64(st, 8);
}

int gd_pg__audit_list(struct gd_store *s, int64_t shop_id, int64_t before_id, int limit,
                      struct gd_arena *a, struct gd_audit_event **out, int *count,
                      struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        shop_id ? "SELECT e.id, e.shop_id, e.actor_id, u.display_name, e.action, e.target_user_id, "
                  "e.target_shop_id, e.data, e.at FROM audit_events e JOIN users u ON u.id = "
                  "e.actor_id "
                  "WHERE e.shop_id = $1 AND e.id < $2 ORDER BY e.id DESC LIMIT $3"
                : "SELECT e.id, e.shop_id, e.actor_id, u.display_name, e.action, e.target_user_id, "
                  "e.target_shop_id, e.data, e.at FROM audit_events e JOIN users u ON u.id = "
                  "e.actor_id "
                  "WHERE $1 = 0 AND e.id < $2 ORDER BY e.id DESC LIMIT $3",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, before_id ? before_id : INT64_MAX);
    bind_i64(st, 3, limit);
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_audit, (void **)out, count, err);
}
