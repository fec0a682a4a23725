/* The custom field columns of an export (docs/types.md): one column per field of the shop types
 * the export holds (the type filtered on, or every shop type), after the fixed columns, headed by
 * the field's label; and the names of the shop's own types for the type column. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include "service/svc_int.h"

int gd_svc__export_fields_load(struct gd_svc *svc, int64_t shop_id, int type, struct gd_arena *a,
                               struct gd_svc__export_fields *x, struct gd_err *err)
{
    struct gd_shop_field *all;
    int nall, ret;

    memset(x, 0, sizeof(*x));
    if ((ret = GD_STORE(svc->store, wo_types_list, shop_id, a, &x->types, &x->ntypes, err)) ||
        (ret = GD_STORE(svc->store, wo_fields_list, shop_id, -1, a, &all, &nall, err)) ||
        (ret = GD_STORE(svc->store, users_list, shop_id, a, &x->users, &x->nusers, err))) {
        return ret;
    }
    x->fields = gd_arena_zalloc(a, sizeof(*x->fields) * (size_t)(nall + 1));
    x->cols = gd_arena_zalloc(a, sizeof(*x->cols) * (size_t)(nall + 1));
    for (int i = 0; i < nall && x->nfields < GD_EXPORT_EXTRA_MAX; i++) {
        if (type >= 0 && all[i].type_code != type) {
            continue; /* a type filter exports that type's fields only (none for a built-in) */
        }
        x->fields[x->nfields] = all[i];
        x->cols[x->nfields] =
            (struct gd_export_column){.key = all[i].key,
                                      .zh = all[i].label_zh,
                                      .en = all[i].label_en,
                                      .kind = all[i].kind == GD_FIELD_MONEY  ? GD_CELL_MONEY
                                              : all[i].kind == GD_FIELD_BOOL ? GD_CELL_BOOL
                                                                             : GD_CELL_TEXT,
                                      .width = all[i].kind == GD_FIELD_LONG_TEXT ? 40 : 14};
        x->nfields++;
    }
    return GD_OK;
}

const char *gd_svc__export_type_label(const struct gd_svc__export_fields *x, int type, int lang)
{
    for (int i = 0; gd_type_is_shop(type) && i < x->ntypes; i++) {
        if (x->types[i].code == type) {
            return lang == GD_LANG_EN ? x->types[i].name_en : x->types[i].name_zh;
        }
    }
    return lang == GD_LANG_EN ? gd_type_label_en(type) : gd_type_label_zh(type);
}

static const char *user_name(const struct gd_svc__export_fields *x, const char *id)
{
    for (int i = 0; i < x->nusers; i++) {
        char s[24];
        snprintf(s, sizeof(s), "%lld", (long long)x->users[i].id);
        if (strcmp(s, id) == 0) {
            return x->users[i].display_name;
        }
    }
    return id;
}

/* One value as its cell: text, a number as written, money in fen, yes/no, the options of a
 * multiple choice joined by "; ", a user by their name. */
static void value_cell(const struct gd_svc__export_fields *x, const struct gd_shop_field *f,
                       json_t *v, struct gd_arena *a, struct gd_cell *c)
{
    c->null = false;
    switch (f->kind) {
    case GD_FIELD_MONEY:
        c->num = json_integer_value(v);
        return;
    case GD_FIELD_BOOL:
        c->flag = json_is_true(v);
        return;
    case GD_FIELD_NUMBER: {
        double d = json_number_value(v);
        c->text = d == floor(d) && fabs(d) < 9e15 ? gd_arena_printf(a, "%lld", (long long)d)
                                                  : gd_arena_printf(a, "%.15g", d);
        return;
    }
    case GD_FIELD_MULTI: {
        struct gd_strbuf sb = GD_STRBUF_INIT;
        json_t *o;
        size_t i;
        json_array_foreach (v, i, o) {
            gd_strbuf_addf(&sb, "%s%s", i ? "; " : "", json_string_value(o));
        }
        c->text = gd_arena_strdup(a, sb.buf);
        gd_strbuf_release(&sb);
        return;
    }
    case GD_FIELD_USER:
        c->text = gd_arena_strdup(a, user_name(x, json_string_value(v)));
        return;
    default:
        c->text = gd_arena_strdup(a, json_string_value(v) ? json_string_value(v) : "");
    }
}

void gd_svc__export_field_cells(const struct gd_svc__export_fields *x, const char *fields,
                                struct gd_arena *a, struct gd_cell *cells)
{
    json_t *o =
        x->nfields && fields && strcmp(fields, "{}") != 0 ? json_loads(fields, 0, NULL) : NULL;
    for (int i = 0; i < x->nfields; i++) {
        json_t *v = json_object_get(o, x->fields[i].key);
        cells[i] = (struct gd_cell){.null = true};
        if (v && !json_is_null(v)) {
            value_cell(x, &x->fields[i], v, a, &cells[i]);
        }
    }
    json_decref(o);
}
