/* Notifications and each user's choice of them in SQLite (schema 0018_notifications.sql). */
#include "store/sqlite/sqlite_int.h"

#define NOTE_COLS                                                                              \
    "id, user_id, shop_id, kind, workorder_id, wo_number, title, actor_id, actor_name, text, " \
    "created_at, read_at"

static void read_note(sqlite3_stmt *st, struct gd_arena *a, void *row)
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

#define NOTE_INSERT "INSERT INTO notifications (" NOTE_COLS ") VALUES "
#define NOTE_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
#define NOTE_ROWS4 NOTE_ROW ", " NOTE_ROW ", " NOTE_ROW ", " NOTE_ROW
#define NOTE_ROWS16 NOTE_ROWS4 ", " NOTE_ROWS4 ", " NOTE_ROWS4 ", " NOTE_ROWS4
#define NOTE_ROWS32 NOTE_ROWS16 ", " NOTE_ROWS16
#define NOTE_PARAMS 11

/* Binds `n` as the row whose first parameter is number base + 1. */
static void bind_note(sqlite3_stmt *st, int base, const struct gd_notification *n)
{
    bind_i64(st, base + 1, n->id);
    bind_i64(st, base + 2, n->user_id);
    bind_i64(st, base + 3, n->shop_id);
    bind_text(st, base + 4, n->kind);
    bind_i64(st, base + 5, n->workorder_id);
    bind_i64(st, base + 6, n->wo_number);
    bind_text(st, base + 7, n->title ? n->title : "");
    bind_i64(st, base + 8, n->actor_id);
    bind_text(st, base + 9, n->actor_name ? n->actor_name : "");
    bind_text(st, base + 10, n->text ? n->text : "");
    bind_i64(st, base + 11, n->created_at);
}

int gd_sq__notification_insert(struct gd_store *s, const struct gd_notification *n,
                               struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s), NOTE_INSERT NOTE_ROW, err);
    if (!st) {
        return GD_EDB;
    }
    bind_note(st, 0, n);
    return sq_exec(SQ(s), st, err);
}

int gd_sq__notifications_insert_many(struct gd_store *s, const struct gd_notification *ns, int n,
                                     struct gd_err *err)
{
    /* 32 rows to a statement, the rest one by one (as events_append_many) */
    int ret = GD_OK, i = 0;
    for (; !ret && n - i >= 32; i += 32) {
        sqlite3_stmt *st = sq_prep(SQ(s), NOTE_INSERT NOTE_ROWS32, err);
        if (!st) {
            return GD_EDB;
        }
        for (int k = 0; k < 32; k++) {
            bind_note(st, k * NOTE_PARAMS, &ns[i + k]);
        }
        ret = sq_exec(SQ(s), st, err);
    }
    for (; !ret && i < n; i++) {
        ret = gd_sq__notification_insert(s, &ns[i], err);
    }
    return ret;
}

int gd_sq__notifications_list(struct gd_store *s, int64_t user_id, int64_t before, int limit,
                              bool unread_only, struct gd_arena *a, struct gd_notification **out,
                              int *count, struct gd_err *err)
{
    /* the user's unread run and read run (the key is user, unread, id: migration 0027), each
     * newest first and cut at the limit, merged: at most twice the limit sorted */
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT * FROM (SELECT " NOTE_COLS " FROM notifications WHERE "
                               "user_id = $1 AND unread = 1 AND ($2 = 0 OR id < $2) ORDER BY id "
                               "DESC LIMIT $4) UNION ALL SELECT * FROM (SELECT " NOTE_COLS
                               " FROM notifications WHERE user_id = $1 AND unread = 0 AND $3 = 0 "
                               "AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $4) ORDER BY id "
                               "DESC LIMIT $4",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    bind_i64(st, 2, before);
    bind_i64(st, 3, unread_only);
    bind_i64(st, 4, limit);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_note, (void **)out, count, err);
}

int gd_sq__notifications_unread(struct gd_store *s, int64_t user_id, int64_t *out,
                                struct gd_err *err)
{
    /* the user's unread run of the table (migration 0027) */
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND "
                               "unread = 1",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    return gd_sq__row(SQ(s), st, NULL, gd_sq__read_i64, out, err);
}

int gd_sq__notifications_mark_read(struct gd_store *s, int64_t user_id, int64_t id, int64_t at,
                                   int *changed, struct gd_err *err)
{
    /* a row read moves from the user's unread run to the read one (its key changes) */
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE notifications SET read_at = $3, unread = 0 WHERE user_id = "
                               "$1 AND unread = 1 AND ($2 = 0 OR id = $2)",
                               err);
    int ret;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    bind_i64(st, 2, id);
    bind_i64(st, 3, at);
    ret = sq_exec(SQ(s), st, err);
    *changed = ret ? 0 : (int)sqlite3_changes(SQ(s)->db);
    return ret;
}

static void read_text(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    *(const char **)row = col_str(a, st, 0);
}

int gd_sq__notify_prefs_get(struct gd_store *s, int64_t user_id, struct gd_arena *a,
                            const char **muted, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s), "SELECT muted FROM notify_prefs WHERE user_id = $1", err);
    int ret;

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, user_id);
    ret = gd_sq__row(SQ(s), st, a, read_text, muted, err);
    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        *muted = "";
        return GD_OK;
    }
    return ret;
}

int gd_sq__notify_prefs_set(struct gd_store *s, int64_t user_id, const char *muted, int64_t at,
                            struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
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
    return sq_exec(SQ(s), st, err);
}
