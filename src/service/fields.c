/* The values of custom fields (docs/types.md): each checked against its field on the server
 * (kind, options, a user of the shop, required, retired), turned into what the work order shows
 * (a JSON object by field key) and into what the list filters look up (wo_field_values: one
 * canonical text per value, one per option of a multiple choice). A refused value names its
 * field as "fields.<key>" (a filter's as "field[<key>]"). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include "base/id.h"
#include "base/utf8.h"
#include "service/svc_int.h"

static const struct gd_shop_field *find_field(const struct gd_shop_field *defs, int n,
                                              const char *key)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(defs[i].key, key) == 0) {
            return &defs[i];
        }
    }
    return NULL;
}

static bool is_option(const char *options, const char *s)
{
    json_t *arr = json_loads(options ? options : "[]", 0, NULL), *x;
    size_t i;
    bool found = false;
    json_array_foreach (arr, i, x) {
        if (json_is_string(x) && strcmp(json_string_value(x), s) == 0) {
            found = true;
        }
    }
    json_decref(arr);
    return found;
}

/* The indexed text of a number: integers exactly, others with 15 significant digits, so a
 * filter's "3" finds a stored 3 or 3.0. */
static const char *number_text(struct gd_arena *a, double v)
{
    if (v == floor(v) && fabs(v) < 9e15) {
        return gd_arena_printf(a, "%lld", (long long)v);
    }
    return gd_arena_printf(a, "%.15g", v);
}

/* A user of the shop (the value of a `user` field). */
static int check_user(struct gd_svc *svc, int64_t shop_id, int64_t id, const char *name,
                      struct gd_arena *a, struct gd_err *err)
{
    struct gd_user u;
    int ret = GD_STORE(svc->store, user_get, id, a, &u, err);
    if (ret == GD_ENOTFOUND || (!ret && u.shop_id != shop_id)) {
        return gd_err_field(err, GD_EINVAL, name, "%s must be a user of this shop", name);
    }
    return ret;
}

/* Appends the indexed texts of a value of field f that has been checked (when it was set). */
static void index_value(const struct gd_shop_field *f, json_t *v, struct gd_arena *a,
                        struct gd_field_value *vals, int *nvals)
{
    const char *text = json_is_string(v) ? json_string_value(v) : NULL;
    json_t *x;
    size_t i;

    switch (f->kind) {
    case GD_FIELD_LONG_TEXT:
        return; /* not a filter */
    case GD_FIELD_NUMBER:
    case GD_FIELD_MONEY:
        text = json_is_number(v) ? number_text(a, json_number_value(v)) : NULL;
        break;
    case GD_FIELD_BOOL:
        text = json_is_boolean(v) ? (json_is_true(v) ? "true" : "false") : NULL;
        break;
    case GD_FIELD_MULTI:
        json_array_foreach (v, i, x) {
            if (json_is_string(x)) {
                vals[*nvals].field_id = f->id;
                vals[(*nvals)++].value = gd_arena_strdup(a, json_string_value(x));
            }
        }
        return;
    default:
        break;
    }
    if (text) {
        vals[*nvals].field_id = f->id;
        vals[(*nvals)++].value = gd_arena_strdup(a, text);
    }
}

/* Checks a value sent for field f, named `name` in messages. */
static int check_value(struct gd_svc *svc, int64_t shop_id, const struct gd_shop_field *f,
                       json_t *v, const char *name, struct gd_arena *a, struct gd_err *err)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;

    switch (f->kind) {
    case GD_FIELD_TEXT:
    case GD_FIELD_LONG_TEXT:
        if (!s) {
            return gd_err_field(err, GD_EINVAL, name, "%s must be text", name);
        }
        return gd_svc__text(name, s, f->required,
                            f->kind == GD_FIELD_TEXT ? GD_FIELD_TEXT_MAX : GD_FIELD_LONG_TEXT_MAX,
                            err);
    case GD_FIELD_NUMBER:
        if (!json_is_number(v) || !isfinite(json_number_value(v))) {
            return gd_err_field(err, GD_EINVAL, name, "%s must be a number", name);
        }
        return GD_OK;
    case GD_FIELD_MONEY:
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > GD_FIELD_MONEY_MAX) {
            return gd_err_field(err, GD_EINVAL, name,
                                "%s must be an amount in fen: a whole "
                                "number from 0 to %lld",
                                name, (long long)GD_FIELD_MONEY_MAX);
        }
        return GD_OK;
    case GD_FIELD_DATE:
        if (!s || !gd_field_date_valid(s)) {
            return gd_err_field(err, GD_EINVAL, name, "%s must be a date (YYYY-MM-DD)", name);
        }
        return GD_OK;
    case GD_FIELD_CHOICE:
        if (!s || !is_option(f->options, s)) {
            return gd_err_field(err, GD_EINVAL, name, "%s must be one of its options: %s", name,
                                f->options);
        }
        return GD_OK;
    case GD_FIELD_MULTI: {
        json_t *x;
        size_t i, n = json_is_array(v) ? json_array_size(v) : 0;
        if (!json_is_array(v) || n > GD_FIELD_OPTIONS_MAX || (f->required && n == 0)) {
            return gd_err_field(err, GD_EINVAL, name, "%s must be a list of %sits options: %s",
                                name, f->required ? "at least one of " : "", f->options);
        }
        json_array_foreach (v, i, x) {
            const char *o = json_is_string(x) ? json_string_value(x) : NULL;
            if (!o || !is_option(f->options, o)) {
                return gd_err_field(err, GD_EINVAL, name, "%s must be a list of its options: %s",
                                    name, f->options);
            }
            for (size_t j = 0; j < i; j++) {
                if (strcmp(json_string_value(json_array_get(v, j)), o) == 0) {
                    return gd_err_field(err, GD_EINVAL, name, "%s lists '%s' twice", name, o);
                }
            }
        }
        return GD_OK;
    }
    case GD_FIELD_BOOL:
        if (!json_is_boolean(v)) {
            return gd_err_field(err, GD_EINVAL, name, "%s must be true or false", name);
        }
        return GD_OK;
    case GD_FIELD_USER: {
        int64_t id = s ? gd_id_parse(s) : 0;
        if (!id) {
            return gd_err_field(err, GD_EINVAL, name, "%s must be a user id (a string of digits)",
                                name);
        }
        return check_user(svc, shop_id, id, name, a, err);
    }
    }
    return gd_err_set(err, GD_EDB, "field %s has an unknown kind", f->key);
}

int gd_svc__fields_apply(struct gd_svc *svc, int64_t shop_id, int type, const char *input,
                         const char *current, struct gd_arena *a, struct gd_svc__fields *out,
                         struct gd_err *err)
{
    struct gd_shop_field *defs = NULL;
    int ndefs = 0, ret = GD_OK;
    json_t *in = NULL, *now = NULL, *v;
    const char *key;
    struct gd_strbuf changed = GD_STRBUF_INIT;
    bool creating = current == NULL;

    memset(out, 0, sizeof(*out));
    out->json = current ? current : "{}";
    if (input) {
        in = json_loads(input, 0, NULL);
        if (!json_is_object(in)) {
            ret = gd_err_field(err, GD_EINVAL, "fields",
                               "fields must be an object of values "
                               "by field key");
            goto out;
        }
        if (json_object_size(in) && !gd_type_is_shop(type)) {
            ret = gd_err_field(err, GD_EINVAL, "fields",
                               "a %s work order has no custom fields: "
                               "only a shop's own types have them",
                               gd_type_name(type));
            goto out;
        }
    }
    if (!gd_type_is_shop(type) || (!in && !creating)) {
        goto out; /* nothing to check or change */
    }
    if ((ret = GD_STORE(svc->store, wo_fields_list, shop_id, type, a, &defs, &ndefs, err))) {
        goto out;
    }
    now = json_loads(out->json, 0, NULL);
    if (!json_is_object(now)) {
        json_decref(now);
        now = json_object();
    }
    json_object_foreach (in, key, v) {
        const struct gd_shop_field *f = find_field(defs, ndefs, key);
        const char *name = gd_arena_printf(a, "fields.%s", key);
        if (!f) {
            ret = gd_err_field(err, GD_EINVAL, name, "%s: type %s has no field '%s'", name,
                               gd_type_name(type), key);
            goto out;
        }
        if (json_is_null(v)) {
            if (f->required && !f->retired) {
                ret = gd_err_field(err, GD_EINVAL, name, "%s is required", name);
                goto out;
            }
            if (json_object_get(now, key)) {
                gd_strbuf_addf(&changed, "%s%s", changed.len ? "," : "", key);
                json_object_del(now, key);
            }
            continue;
        }
        if (f->retired) {
            ret = gd_err_field(err, GD_EINVAL, name, "%s is retired: it takes no new values", name);
            goto out;
        }
        if (!json_equal(json_object_get(now, key), v)) {
            gd_strbuf_addf(&changed, "%s%s", changed.len ? "," : "", key);
            json_object_set(now, key, v);
        }
    }
    /* every value the work order keeps is checked and indexed again: the index is replaced
     * whole, and a required field may not be missing */
    out->values =
        gd_arena_alloc(a, sizeof(*out->values) * (size_t)(ndefs * GD_FIELD_OPTIONS_MAX + 1));
    for (int i = 0; i < ndefs; i++) {
        const struct gd_shop_field *f = &defs[i];
        const char *name = gd_arena_printf(a, "fields.%s", f->key);
        json_t *val = json_object_get(now, f->key);
        if (!val) {
            if (f->required && !f->retired) {
                ret = gd_err_field(err, GD_EINVAL, name, "%s is required", name);
                goto out;
            }
            continue;
        }
        if (in && json_object_get(in, f->key) &&
            (ret = check_value(svc, shop_id, f, val, name, a, err))) {
            goto out;
        }
        /* a value kept from before is indexed as it was checked then (its field's options
         * may have changed since) */
        index_value(f, val, a, out->values, &out->nvalues);
    }
    char *text = json_dumps(now, JSON_COMPACT | JSON_SORT_KEYS);
    out->json = gd_arena_strdup(a, text);
    free(text);
    out->changed = changed.len > 0;
    out->changed_keys = gd_arena_strdup(a, changed.buf);
out:
    gd_strbuf_release(&changed);
    json_decref(in);
    json_decref(now);
    return ret;
}

int gd_svc_workorders_field_filter(struct gd_svc *svc, const struct gd_actor *actor,
                                   const char *key, const char *value, struct gd_wo_filter *f,
                                   struct gd_arena *a, struct gd_err *err)
{
    struct gd_shop_field *defs;
    int ndefs, ret;
    const char *name = gd_arena_printf(a, "field[%s]", key);

    if (f->nfields >= GD_FIELD_FILTERS_MAX) {
        return gd_err_field(err, GD_EINVAL, name, "a list takes at most %d field filters",
                            GD_FIELD_FILTERS_MAX);
    }
    if (!actor->shop_id) {
        return gd_err_field(err, GD_EINVAL, name, "%s: custom fields are a shop's", name);
    }
    if ((ret = GD_STORE(svc->store, wo_fields_list, actor->shop_id, -1, a, &defs, &ndefs, err))) {
        return ret;
    }
    const struct gd_shop_field *def = find_field(defs, ndefs, key);
    if (!def) {
        return gd_err_field(err, GD_EINVAL, name, "%s: the shop has no field '%s'", name, key);
    }
    const char *text = value;
    if (def->kind == GD_FIELD_LONG_TEXT) {
        return gd_err_field(err, GD_EINVAL, name,
                            "%s is long text, which lists do not filter "
                            "on",
                            name);
    }
    if (def->kind == GD_FIELD_NUMBER || def->kind == GD_FIELD_MONEY) {
        char *end;
        double v = strtod(value, &end);
        if (!*value || *end || !isfinite(v)) {
            return gd_err_field(err, GD_EINVAL, name, "%s must be a number", name);
        }
        text = number_text(a, v);
    } else if (def->kind == GD_FIELD_BOOL && strcmp(value, "true") != 0 &&
               strcmp(value, "false") != 0) {
        return gd_err_field(err, GD_EINVAL, name, "%s must be true or false", name);
    } else if (def->kind == GD_FIELD_DATE && !gd_field_date_valid(value)) {
        return gd_err_field(err, GD_EINVAL, name, "%s must be a date (YYYY-MM-DD)", name);
    }
    f->fields[f->nfields].field_id = def->id;
    f->fields[f->nfields++].value = text;
    return GD_OK;
}
