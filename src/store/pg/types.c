/* Work order types and custom fields a shop defines, and the index of their values, in PostgreSQL
 * (schema 0016_shop_types.sql, docs/types.md). */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

#define TYPE_COLS                                                                            \
    "shop_id, code, name_zh, name_en, deadline_ms, handler_id, color, retired, created_at, " \
    "updated_at"
#define FIELD_COLS                                                                         \
    "id, shop_id, type_code, key, label_zh, label_en, kind, required, options, position, " \
    "retired, created_at, updated_at"

static void read_type(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_shop_type *t = row;
    t->shop_id = col_i64(st, 0);
    t->code = (int)col_i64(st, 1);
    t->name_zh = col_str(a, st, 2);
    t->name_en = col_str(a, st, 3);
    t->deadline_ms = col_i64(st, 4);
    t->handler_id = col_i64(st, 5); /* NULL reads 0: none */
    t->color = col_str(a, st, 6);
    t->retired = col_i64(st, 7) != 0;
    t->created_at = col_i64(st, 8);
    t->updated_at = col_i64(st, 9);
}

static void read_field(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_shop_field *f = row;
    f->id = col_i64(st, 0);
    f->shop_id = col_i64(st, 1);
    f->type_code = (int)col_i64(st, 2);
    f->key = col_str(a, st, 3);
    f->label_zh = col_str(a, st, 4);
    f->label_en = col_str(a, st, 5);
    f->kind = gd_field_kind_parse(col_text(st, 6));
    f->required = col_i64(st, 7) != 0;
    f->options = col_str(a, st, 8);
    f->position = (int)col_i64(st, 9);
    f->retired = col_i64(st, 10) != 0;
    f->created_at = col_i64(st, 11);
    f->updated_at = col_i64(st, 12);
}

int gd_pg__wo_types_list(struct gd_store *s, int64_t shop_id, struct gd_arena *a,
                         struct gd_shop_type **out, int *count, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "SELECT " TYPE_COLS " FROM wo_types WHERE shop_id = $1 ORDER BY code", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_type, (void **)out, count, err);
}

int gd_pg__wo_type_get(struct gd_store *s, int64_t shop_id, int code, struct gd_arena *a,
                       struct gd_shop_type *out, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "SELECT " TYPE_COLS " FROM wo_types WHERE shop_id = $1 AND code = $2", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, code);
    int ret = gd_pg__row(PG(s), st, a, read_type, out, err);
    return ret == GD_ENOTFOUND ? gd_err_set(err, ret, "no type %s", gd_type_name(code)) : ret;
}

static void read_code(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    (void)a;
    *(int *)row = (int)col_i64(st, 0);
}

int gd_pg__wo_type_insert(struct gd_store *s, struct gd_shop_type *t, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "INSERT INTO wo_types (" TYPE_COLS ") SELECT $1, COALESCE(MAX(code) + 1, $2), $3, $4, "
        "$5, $6, $7, $8, $9, $10 FROM wo_types WHERE shop_id = $1 RETURNING code",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, t->shop_id);
    bind_i64(st, 2, GD_TYPE_SHOP_FIRST);
    bind_text(st, 3, t->name_zh);
    bind_text(st, 4, t->name_en);
    bind_i64(st, 5, t->deadline_ms);
    bind_i64_nz(st, 6, t->handler_id);
    bind_text(st, 7, t->color);
    bind_i64(st, 8, t->retired);
    bind_i64(st, 9, t->created_at);
    bind_i64(st, 10, t->updated_at);
    return gd_pg__row(PG(s), st, NULL, read_code, &t->code, err);
}

/* One row changed, or GD_ENOTFOUND naming what is absent. */
static int one_changed(struct gd_store *s, struct gd_pg_stmt *st, const char *what,
                       struct gd_err *err)
{
    int ret = pg_exec(PG(s), st, err);
    if (!ret && pg_changes(st) != 1) {
        return gd_err_set(err, GD_ENOTFOUND, "no %s", what);
    }
    return ret;
}

int gd_pg__wo_type_update(struct gd_store *s, const struct gd_shop_type *t, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                "UPDATE wo_types SET name_zh = $3, name_en = $4, deadline_ms = $5, "
                "handler_id = $6, color = $7, retired = $8, updated_at = $9 "
                "WHERE shop_id = $1 AND code = $2",
                err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, t->shop_id);
    bind_i64(st, 2, t->code);
    bind_text(st, 3, t->name_zh);
    bind_text(st, 4, t->name_en);
    bind_i64(st, 5, t->deadline_ms);
    bind_i64_nz(st, 6, t->handler_id);
    bind_text(st, 7, t->color);
    bind_i64(st, 8, t->retired);
    bind_i64(st, 9, t->updated_at);
    return one_changed(s, st, "such type", err);
}

int gd_pg__wo_fields_list(struct gd_store *s, int64_t shop_id, int type_code, struct gd_arena *a,
                          struct gd_shop_field **out, int *count, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        type_code >= 0 ? pg_prep(PG(s),
                                 "SELECT " FIELD_COLS " FROM wo_fields WHERE shop_id = $1 AND "
                                 "type_code = $2 ORDER BY type_code, position, id",
                                 err)
                       : pg_prep(PG(s),
                                 "SELECT " FIELD_COLS " FROM wo_fields WHERE shop_id = $1 "
                                 "ORDER BY type_code, position, id",
                                 err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    if (type_code >= 0) {
        bind_i64(st, 2, type_code);
    }
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_field, (void **)out, count, err);
}

static void bind_new_field(struct gd_pg_stmt *st, const struct gd_shop_field *f)
{
    bind_i64(st, 1, f->id);
    bind_i64(st, 2, f->shop_id);
    bind_i64(st, 3, f->type_code);
    bind_text(st, 4, f->key);
    bind_text(st, 5, f->label_zh);
    bind_text(st, 6, f->label_en);
    bind_text(st, 7, gd_field_kind_name(f->kind));
    bind_i64(st, 8, f->required);
    bind_text(st, 9, f->options ? f->options : "[]");
    bind_i64(st, 10, f->position);
    bind_i64(st, 11, f->retired);
    bind_i64(st, 12, f->created_at);
    bind_i64(st, 13, f->updated_at);
}

int gd_pg__wo_field_insert(struct gd_store *s, const struct gd_shop_field *f, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                "INSERT INTO wo_fields (" FIELD_COLS ") VALUES ($1, $2, $3, $4, "
                "$5, $6, $7, $8, $9, $10, $11, $12, $13)",
                err);
    if (!st) {
        return GD_EDB;
    }
    bind_new_field(st, f);
    return pg_exec(PG(s), st, err);
}

int gd_pg__wo_field_update(struct gd_store *s, const struct gd_shop_field *f, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                "UPDATE wo_fields SET label_zh = $3, label_en = $4, required = $5, "
                "options = $6, position = $7, retired = $8, updated_at = $9 "
                "WHERE id = $1 AND shop_id = $2",
                err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, f->id);
    bind_i64(st, 2, f->shop_id);
    bind_text(st, 3, f->label_zh);
    bind_text(st, 4, f->label_en);
    bind_i64(st, 5, f->required);
    bind_text(st, 6, f->options ? f->options : "[]");
    bind_i64(st, 7, f->position);
    bind_i64(st, 8, f->retired);
    bind_i64(st, 9, f->updated_at);
    return one_changed(s, st, "such field", err);
}

int gd_pg__wo_field_values_set(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                               const struct gd_field_value *values, int n, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "DELETE FROM wo_field_values WHERE workorder_id = $1 AND shop_id = $2", err);
    int ret;
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, shop_id);
    if ((ret = pg_exec(PG(s), st, err))) {
        return ret;
    }
    for (int i = 0; i < n; i++) {
        st = pg_prep(PG(s),
                     "INSERT INTO wo_field_values (shop_id, field_id, value, workorder_id, "
                     "due_key) VALUES ($1, $2, $3, $4, (SELECT due_key FROM workorders WHERE "
                     "id = $4)) ON CONFLICT DO NOTHING",
                     err);
        if (!st) {
            return GD_EDB;
        }
        bind_i64(st, 1, shop_id);
        bind_i64(st, 2, values[i].field_id);
        bind_text(st, 3, values[i].value);
        bind_i64(st, 4, workorder_id);
        if ((ret = pg_exec(PG(s), st, err))) {
            return ret;
        }
    }
    return GD_OK;
}
