/* Notifications and each user's choice of them in PostgreSQL (schema 0018_notifications.sql). */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

#define NOTE_COLS                                                                              \
    "id, user_id, shop_id, kind, workorder_id, wo_number, title, actor_id, actor_name, text, " \
    "created_at, read_at"

static void read_note(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_notification *n = row;
    n->id = col_i64(st, 0);
    n->user_id = col_i64(st, 1);
    n->shop_id = col_i64(st, 2);
    n->kind = col_str(a, st, 3);
    n->workorder_id = col_i64(st, 4);
    n->wo_number = col_i64(st, 5);
    n->title = col_str(a, st, 6);
    n->actor_id = col_i64(st, 7);
    n->actor_name = col_str(a, st, 8);
    n->text = col_str(a, st, 9);
    n->created_at = col_i64(st, 10);
    n->read_at = col_i64(st, 11);
}

int gd_pg__notification_insert(struct gd_store *s, const struct gd_notification *n,
                               struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO notifications (" NOTE_COLS ") VALUES ($1, $2, $3, "
                                    "$4, $5, $6, $7, $8, $9, $10, $11, 0)",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, n->id);
    bind_i64(st, 2, n->user_id);
    bind_i64(st, 3, n->shop_id);
    bind_text(st, 4, n->kind);
    bind_i64(st, 5, n->workorder_id);
    bind_i64(st, 6, n->wo_number);
    bind_text(st, 7, n->title ? n->title : "");
    bind_i64(st, 8, n->actor_id);
    bind_text(st, 9, n->actor_name ? n->actor_name : "");
    bind_text(st, 10, n->text ? n->text : "");
    bind_i64(st, 11, n->created_at);
    return pg_exec(PG(s), st, err);
}

int gd_pg__notifications_insert_many(struct gd_store *s, const struct gd_notification *ns, int n,
                                     struct gd_err *err)
{
    enum { C_ID, C_USER, C_SHOP, C_KIND, C_WO, C_NUMBER, C_TITLE, C_ACTOR, C_NAME, C_TEXT, C_AT };
    struct gd_pg_cols cols;

    if (n <= 0) {
        return GD_OK;
    }
    /* one array per column in NOTE_COLS' order, unread */
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                "INSERT INTO notifications (" NOTE_COLS ") SELECT *, 0 FROM unnest($1::bigint[], "
                "$2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], "
                "$8::bigint[], $9::text[], $10::text[], $11::bigint[])",
                err);
    if (!st) {
        return GD_EDB;
    }
    gd_pg__cols_open(&cols, C_AT + 1);
    for (int i = 0; i < n; i++) {
        const struct gd_notification *x = &ns[i];
        gd_pg__array_i64(&cols.col[C_ID], x->id);
        gd_pg__array_i64(&cols.col[C_USER], x->user_id);
        gd_pg__array_i64(&cols.col[C_SHOP], x->shop_id);
        gd_pg__array_text(&cols.col[C_KIND], x->kind);
        gd_pg__array_i64(&cols.col[C_WO], x->workorder_id);
        gd_pg__array_i64(&cols.col[C_NUMBER], x->wo_number);
        gd_pg__array_text(&cols.col[C_TITLE], x->title ? x->title : "");
        gd_pg__array_i64(&cols.col[C_ACTOR], x->actor_id);
        gd_pg__array_text(&cols.col[C_NAME], x->actor_name ? x->actor_name : "");
        gd_pg__array_text(&cols.col[C_TEXT], x->text ? x->text : "");
        gd_pg__array_i64(&cols.col[C_AT], x->created_at);
    }
    return gd_pg__cols_run(PG(s), st, &cols, err);
}

int gd_pg__notifications_list(struct gd_store *s, int64_t user_id, int64_t before, int limit,
                              bool unread_only, struct gd_arena *a, struct gd_notification **out,
                              int *count, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                "SELECT " NOTE_COLS " FROM notifications WHERE user_id = $1 AND "
                "($2::bigint = 0 OR id < $2::bigint) AND ($3::bigint = 0 OR read_at = 0) "
                "ORDER BY id DESC LIMIT $4",
                err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    bind_i64(st, 2, before);
    bind_i64(st, 3, unread_only);
    bind_i64(st, 4, limit);
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_note, (void **)out, count, err);
}

int gd_pg__notifications_unread(struct gd_store *s, int64_t user_id, int64_t *out,
                                struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND "
                                    "read_at = 0",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    return gd_pg__row(PG(s), st, NULL, gd_pg__read_i64, out, err);
}

int gd_pg__notifications_mark_read(struct gd_store *s, int64_t user_id, int64_t id, int64_t at,
                                   int *changed, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND "
                                    "read_at = 0 AND ($2::bigint = 0 OR id = $2::bigint)",
                                    err);
    int ret;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    bind_i64(st, 2, id);
    bind_i64(st, 3, at);
    ret = pg_exec(PG(s), st, err);
    *changed = ret ? 0 : (int)pg_changes(st);
    return ret;
}

static void read_text(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    *(const char **)row = col_str(a, st, 0);
}

int gd_pg__notify_prefs_get(struct gd_store *s, int64_t user_id, struct gd_arena *a,
                            const char **muted, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "SELECT muted FROM notify_prefs WHERE user_id = $1", err);
    int ret;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    ret = gd_pg__row(PG(s), st, a, read_text, muted, err);
    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        *muted = "";
        return GD_OK;
    }
    return ret;
}

int gd_pg__notify_prefs_set(struct gd_store *s, int64_t user_id, const char *muted, int64_t at,
                            struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO notify_prefs (user_id, muted, updated_at) VALUES "
                                    "($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET muted = "
                                    "excluded.muted, updated_at = excluded.updated_at",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    bind_text(st, 2, muted);
    bind_i64(st, 3, at);
    return pg_exec(PG(s), st, err);
}
