/* Assignment rules and agent availability in SQLite (schema 0017_assignment.sql). */
#include "store/sqlite/sqlite_int.h"

#define RULE_COLS "shop_id, type_key, kind, members, reassign, cursor_user_id, updated_at"

static void read_rule(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_assign_rule *r = row;
    r->shop_id = col_i64(st, 0);
    r->type_key = col_str(a, st, 1);
    r->kind = col_str(a, st, 2);
    r->members = col_str(a, st, 3);
    r->reassign = col_i64(st, 4) != 0;
    r->cursor_user_id = col_i64(st, 5);
    r->updated_at = col_i64(st, 6);
}

int gd_sq__assign_rules_list(struct gd_store *s, int64_t shop_id, struct gd_arena *a,
                             struct gd_assign_rule **out, int *count, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " RULE_COLS " FROM assign_rules WHERE shop_id = $1 "
                               "ORDER BY type_key",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_rule, (void **)out, count, err);
}

int gd_sq__assign_rule_get(struct gd_store *s, int64_t shop_id, const char *type_key,
                           struct gd_arena *a, struct gd_assign_rule *out, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " RULE_COLS " FROM assign_rules WHERE shop_id = $1 AND "
                               "type_key = $2",
                               err);
    int ret;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, type_key);
    ret = gd_sq__row(SQ(s), st, a, read_rule, out, err);
    if (ret == GD_ENOTFOUND) {
        return gd_err_set(err, GD_ENOTFOUND, "no assignment rule for %s", type_key);
    }
    return ret;
}

int gd_sq__assign_rule_put(struct gd_store *s, const struct gd_assign_rule *r, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO assign_rules (" RULE_COLS ") VALUES ($1, $2, $3, "
                               "$4, $5, 0, $6) ON CONFLICT (shop_id, type_key) DO UPDATE SET "
                               "kind = excluded.kind, members = excluded.members, reassign = "
                               "excluded.reassign, updated_at = excluded.updated_at",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, r->shop_id);
    bind_text(st, 2, r->type_key);
    bind_text(st, 3, r->kind);
    bind_text(st, 4, r->members);
    bind_i64(st, 5, r->reassign);
    bind_i64(st, 6, r->updated_at);
    return sq_exec(SQ(s), st, err);
}

/* One rule changed, or GD_ENOTFOUND (the type has none in the shop). */
static int one_changed(struct gd_store *s, sqlite3_stmt *st, const char *type_key,
                       struct gd_err *err)
{
    int ret = sq_exec(SQ(s), st, err);
    if (!ret && sqlite3_changes(SQ(s)->db) != 1) {
        return gd_err_set(err, GD_ENOTFOUND, "no assignment rule for %s", type_key);
    }
    return ret;
}

int gd_sq__assign_rule_delete(struct gd_store *s, int64_t shop_id, const char *type_key,
                              struct gd_err *err)
{
    sqlite3_stmt *st =
        sq_prep(SQ(s), "DELETE FROM assign_rules WHERE shop_id = $1 AND type_key = $2", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, type_key);
    return one_changed(s, st, type_key, err);
}

int gd_sq__assign_rule_cursor(struct gd_store *s, int64_t shop_id, const char *type_key,
                              int64_t user_id, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE assign_rules SET cursor_user_id = $3 WHERE shop_id = $1 "
                               "AND type_key = $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_text(st, 2, type_key);
    bind_i64(st, 3, user_id);
    return one_changed(s, st, type_key, err);
}

static void read_status(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_agent_status *x = row;
    x->user_id = col_i64(st, 0);
    x->shop_id = col_i64(st, 1);
    x->status = col_str(a, st, 2);
    x->workbench_only = col_i64(st, 3) != 0;
    x->updated_at = col_i64(st, 4);
    x->present = col_i64(st, 5) != 0;
}

int gd_sq__agent_statuses_list(struct gd_store *s, int64_t shop_id, int64_t present_since,
                               struct gd_arena *a, struct gd_agent_status **out, int *count,
                               struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT user_id, shop_id, status, workbench_only, updated_at, "
                               "CASE WHEN EXISTS (SELECT 1 FROM agent_presence p WHERE "
                               "p.user_id = agent_status.user_id AND p.seen_at >= $2) THEN 1 "
                               "ELSE 0 END FROM agent_status "
                               "WHERE shop_id = $1 ORDER BY user_id",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, present_since);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_status, (void **)out, count, err);
}

int gd_sq__agent_status_put(struct gd_store *s, const struct gd_agent_status *x, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO agent_status (user_id, shop_id, status, "
                               "workbench_only, updated_at) VALUES ($1, $2, $3, $4, $5) ON "
                               "CONFLICT (user_id) DO UPDATE SET status = excluded.status, "
                               "workbench_only = excluded.workbench_only, updated_at = "
                               "excluded.updated_at",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, x->user_id);
    bind_i64(st, 2, x->shop_id);
    bind_text(st, 3, x->status);
    bind_i64(st, 4, x->workbench_only);
    bind_i64(st, 5, x->updated_at);
    return sq_exec(SQ(s), st, err);
}

int gd_sq__agent_presence_touch(struct gd_store *s, int64_t user_id, int node, int64_t now,
                                struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO agent_presence (user_id, node, seen_at) SELECT $1, $2, "
                               "$3 WHERE EXISTS (SELECT 1 FROM agent_status WHERE user_id = "
                               "$1 AND workbench_only <> 0) ON CONFLICT (user_id, node) DO "
                               "UPDATE SET seen_at = excluded.seen_at",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    bind_i64(st, 2, node);
    bind_i64(st, 3, now);
    return sq_exec(SQ(s), st, err);
}

int gd_sq__agent_presence_drop(struct gd_store *s, int64_t user_id, int node, struct gd_err *err)
{
    sqlite3_stmt *st =
        sq_prep(SQ(s), "DELETE FROM agent_presence WHERE user_id = $1 AND node = $2", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    bind_i64(st, 2, node);
    return sq_exec(SQ(s), st, err);
}
