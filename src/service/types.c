/* Work order types and custom fields a shop defines (docs/types.md): an owner or lead adds a
 * type (names, default deadline and handler, colour) and its fields, changes them, and retires
 * what is no longer wanted; nothing is deleted, so every work order keeps its type and values.
 * Each write is one unit of the shop, so a count and the insert it allows are one
 * transaction. */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "service/svc_int.h"

#define NAME_MAX_CHARS 30
#define DEADLINE_HOURS_MAX 8760
#define HOUR_MS (3600 * 1000LL)
#define COLOR_DEFAULT "#1677ff"

static int need_shop_user(const struct gd_actor *actor, struct gd_err *err)
{
    if (!gd_perm_can_read_orders(actor)) {
        return gd_err_set(err, GD_EPERM, "work order types belong to a shop's users");
    }
    return GD_OK;
}

static int need_manager(const struct gd_actor *actor, struct gd_err *err)
{
    if (!gd_perm_can_manage_types(actor)) {
        return gd_err_set(err, GD_EPERM,
                          "only the shop's owners and leads define work order "
                          "types and fields");
    }
    return GD_OK;
}

int gd_svc_wo_types_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                         struct gd_shop_type **types, int *ntypes, struct gd_shop_field **fields,
                         int *nfields, struct gd_err *err)
{
    int ret;
    if ((ret = need_shop_user(actor, err)) ||
        (ret = GD_STORE(svc->store, wo_types_list, actor->shop_id, a, types, ntypes, err))) {
        return ret;
    }
    return GD_STORE(svc->store, wo_fields_list, actor->shop_id, -1, a, fields, nfields, err);
}

static bool is_color(const char *s)
{
    if (strlen(s) != 7 || s[0] != '#') {
        return false;
    }
    for (int i = 1; i < 7; i++) {
        if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

/* Applies what `in` sends to `t`, checking each value. */
static int type_apply(struct gd_svc *svc, const struct gd_shop_type_input *in,
                      struct gd_shop_type *t, struct gd_arena *a, struct gd_err *err)
{
    int ret;
    if ((in->name_zh && (ret = gd_svc__text("name_zh", in->name_zh, true, NAME_MAX_CHARS, err))) ||
        (in->name_en && (ret = gd_svc__text("name_en", in->name_en, true, NAME_MAX_CHARS, err)))) {
        return ret;
    }
    if (in->color && !is_color(in->color)) {
        return gd_err_field(err, GD_EINVAL, "color", "color must be #rrggbb (like #1677ff)");
    }
    if (in->has_deadline && (in->deadline_hours < 0 || in->deadline_hours > DEADLINE_HOURS_MAX)) {
        return gd_err_field(err, GD_EINVAL, "default_deadline_hours",
                            "default_deadline_hours "
                            "must be 0 (none) to %d",
                            DEADLINE_HOURS_MAX);
    }
    if (in->has_handler && in->handler_id) {
        struct gd_user u;
        ret = GD_STORE(svc->store, user_get, in->handler_id, a, &u, err);
        if (ret == GD_ENOTFOUND || (!ret && (u.shop_id != t->shop_id || !u.active))) {
            return gd_err_field(err, GD_EINVAL, "default_handler_id",
                                "default_handler_id must "
                                "be an active user of this shop");
        }
        if (ret) {
            return ret;
        }
    }
    if (in->name_zh) {
        t->name_zh = in->name_zh;
    }
    if (in->name_en) {
        t->name_en = in->name_en;
    }
    if (in->color) {
        char *c = gd_arena_strdup(a, in->color);
        for (char *p = c; *p; p++) {
            *p = (char)tolower((unsigned char)*p);
        }
        t->color = c;
    }
    if (in->has_deadline) {
        t->deadline_ms = in->deadline_hours * HOUR_MS;
    }
    if (in->has_handler) {
        t->handler_id = in->handler_id;
    }
    if (in->retired >= 0) {
        t->retired = in->retired != 0;
    }
    return GD_OK;
}

struct type_write {
    const struct gd_actor *actor;
    int code; /* 0: a create */
    const struct gd_shop_type_input *in;
    struct gd_arena *a;
    struct gd_shop_type t;
};

static int type_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct type_write *x = ctx;
    int64_t shop = x->actor->shop_id, now = gd_clock_now_ms();
    struct gd_shop_type *list;
    int n, ret;

    if (!x->code) {
        if ((ret = GD_STORE(svc->store, wo_types_list, shop, x->a, &list, &n, err))) {
            return ret;
        }
        if (n >= GD_TYPE_SHOP_MAX) {
            return gd_err_field(err, GD_EINVAL, "name_zh",
                                "a shop has at most %d types of its "
                                "own: retire one no longer used and reuse it",
                                GD_TYPE_SHOP_MAX);
        }
        x->t = (struct gd_shop_type){.shop_id = shop, .color = COLOR_DEFAULT, .created_at = now};
    } else if ((ret = GD_STORE(svc->store, wo_type_get, shop, x->code, x->a, &x->t, err))) {
        return ret;
    }
    if ((ret = type_apply(svc, x->in, &x->t, x->a, err))) {
        return ret;
    }
    x->t.updated_at = now;
    return x->code ? GD_STORE(svc->store, wo_type_update, &x->t, err)
                   : GD_STORE(svc->store, wo_type_insert, &x->t, err);
}

int gd_svc_wo_type_create(struct gd_svc *svc, const struct gd_actor *actor,
                          const struct gd_shop_type_input *in, struct gd_arena *a,
                          struct gd_shop_type *out, struct gd_err *err)
{
    struct type_write x = {actor, 0, in, a, {0}};
    int ret;
    if ((ret = need_manager(actor, err))) {
        return ret;
    }
    if (!in->name_zh || !in->name_en) {
        const char *f = !in->name_zh ? "name_zh" : "name_en";
        return gd_err_field(err, GD_EINVAL, f, "%s is required", f);
    }
    if ((ret = gd_svc__uow_run(svc, actor->shop_id, type_unit, &x, err))) {
        return ret;
    }
    *out = x.t;
    return GD_OK;
}

int gd_svc_wo_type_update(struct gd_svc *svc, const struct gd_actor *actor, int code,
                          const struct gd_shop_type_input *in, struct gd_arena *a,
                          struct gd_shop_type *out, struct gd_err *err)
{
    struct type_write x = {actor, code, in, a, {0}};
    int ret;
    if ((ret = need_manager(actor, err))) {
        return ret;
    }
    if (!gd_type_is_shop(code)) {
        return gd_err_set(err, GD_ENOTFOUND,
                          "no type of this shop is %s: the built-in types "
                          "are not changed",
                          gd_type_name(code));
    }
    if ((ret = gd_svc__uow_run(svc, actor->shop_id, type_unit, &x, err))) {
        return ret;
    }
    *out = x.t;
    return GD_OK;
}

/* ---- fields ---- */

static bool is_key(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 32 || s[0] < 'a' || s[0] > 'z') {
        return false;
    }
    for (size_t i = 1; i < n; i++) {
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) {
            return false;
        }
    }
    return true;
}

/* Options of a choice field: 1 to GD_FIELD_OPTIONS_MAX distinct texts, each 1 to
 * GD_FIELD_OPTION_MAX characters; *out the compact JSON array. */
static int check_options(const char *text, struct gd_arena *a, const char **out, struct gd_err *err)
{
    json_t *arr = json_loads(text, 0, NULL), *x;
    size_t i, n = json_is_array(arr) ? json_array_size(arr) : 0;
    int ret = GD_OK;

    if (n < 1 || n > GD_FIELD_OPTIONS_MAX) {
        ret = gd_err_field(err, GD_EINVAL, "options", "options must be a list of 1 to %d texts",
                           GD_FIELD_OPTIONS_MAX);
        goto out;
    }
    json_array_foreach (arr, i, x) {
        const char *o = json_is_string(x) ? json_string_value(x) : NULL;
        if (!o || gd_svc__text("options", o, true, GD_FIELD_OPTION_MAX, err)) {
            ret = gd_err_field(err, GD_EINVAL, "options",
                               "each option must be a text of 1 to %d "
                               "characters",
                               GD_FIELD_OPTION_MAX);
            goto out;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(json_string_value(json_array_get(arr, j)), o) == 0) {
                ret = gd_err_field(err, GD_EINVAL, "options", "options lists '%s' twice", o);
                goto out;
            }
        }
    }
    char *s = json_dumps(arr, JSON_COMPACT);
    *out = gd_arena_strdup(a, s);
    free(s);
out:
    json_decref(arr);
    return ret;
}

static int field_apply(const struct gd_shop_field_input *in, struct gd_shop_field *f,
                       struct gd_arena *a, struct gd_err *err)
{
    int ret;
    if ((in->label_zh &&
         (ret = gd_svc__text("label_zh", in->label_zh, true, NAME_MAX_CHARS, err))) ||
        (in->label_en &&
         (ret = gd_svc__text("label_en", in->label_en, true, NAME_MAX_CHARS, err)))) {
        return ret;
    }
    if (in->options && !gd_field_kind_has_options(f->kind)) {
        return gd_err_field(err, GD_EINVAL, "options", "a %s field has no options",
                            gd_field_kind_name(f->kind));
    }
    if (in->options && (ret = check_options(in->options, a, &f->options, err))) {
        return ret;
    }
    if (gd_field_kind_has_options(f->kind) && (!f->options || strcmp(f->options, "[]") == 0)) {
        return gd_err_field(err, GD_EINVAL, "options", "a %s field needs its options",
                            gd_field_kind_name(f->kind));
    }
    if (in->has_position && (in->position < 0 || in->position > 1000)) {
        return gd_err_field(err, GD_EINVAL, "position", "position must be 0 to 1000");
    }
    if (in->label_zh) {
        f->label_zh = in->label_zh;
    }
    if (in->label_en) {
        f->label_en = in->label_en;
    }
    if (in->required >= 0) {
        f->required = in->required != 0;
    }
    if (in->has_position) {
        f->position = in->position;
    }
    if (in->retired >= 0) {
        f->retired = in->retired != 0;
    }
    return GD_OK;
}

struct field_write {
    const struct gd_actor *actor;
    int code;
    const char *key; /* NULL: a create */
    const struct gd_shop_field_input *in;
    struct gd_arena *a;
    struct gd_shop_field f;
};

static int field_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct field_write *x = ctx;
    int64_t shop = x->actor->shop_id, now = gd_clock_now_ms();
    struct gd_shop_type t;
    struct gd_shop_field *list;
    int n, ret;

    if ((ret = GD_STORE(svc->store, wo_type_get, shop, x->code, x->a, &t, err)) ||
        (ret = GD_STORE(svc->store, wo_fields_list, shop, x->code, x->a, &list, &n, err))) {
        return ret;
    }
    if (x->key) {
        int i = 0;
        while (i < n && strcmp(list[i].key, x->key) != 0) {
            i++;
        }
        if (i == n) {
            return gd_err_set(err, GD_ENOTFOUND, "type %s has no field '%s'", gd_type_name(x->code),
                              x->key);
        }
        x->f = list[i];
    } else {
        if (n >= GD_FIELDS_PER_TYPE_MAX) {
            return gd_err_field(err, GD_EINVAL, "key", "a type has at most %d fields",
                                GD_FIELDS_PER_TYPE_MAX);
        }
        x->f = (struct gd_shop_field){.id = gd_id_new(),
                                      .shop_id = shop,
                                      .type_code = x->code,
                                      .key = x->in->key,
                                      .kind = x->in->kind,
                                      .options = "[]",
                                      .position = n ? list[n - 1].position + 1 : 0,
                                      .created_at = now};
    }
    if ((ret = field_apply(x->in, &x->f, x->a, err))) {
        return ret;
    }
    x->f.updated_at = now;
    if (x->key) {
        return GD_STORE(svc->store, wo_field_update, &x->f, err);
    }
    ret = GD_STORE(svc->store, wo_field_insert, &x->f, err);
    if (ret == GD_ECONFLICT) {
        return gd_err_field(err, GD_ECONFLICT, "key",
                            "the shop has a field '%s' already (keys "
                            "are unique across its types)",
                            x->f.key);
    }
    return ret;
}

static int field_write(struct gd_svc *svc, struct field_write *x, struct gd_shop_field *out,
                       struct gd_err *err)
{
    int ret;
    if ((ret = need_manager(x->actor, err))) {
        return ret;
    }
    if (!gd_type_is_shop(x->code)) {
        return gd_err_set(err, GD_ENOTFOUND,
                          "no type of this shop is %s: only a shop's own "
                          "types have fields",
                          gd_type_name(x->code));
    }
    if ((ret = gd_svc__uow_run(svc, x->actor->shop_id, field_unit, x, err))) {
        return ret;
    }
    *out = x->f;
    return GD_OK;
}

int gd_svc_wo_field_create(struct gd_svc *svc, const struct gd_actor *actor, int code,
                           const struct gd_shop_field_input *in, struct gd_arena *a,
                           struct gd_shop_field *out, struct gd_err *err)
{
    struct field_write x = {actor, code, NULL, in, a, {0}};
    char kinds[160];
    if (!in->key || !is_key(in->key)) {
        return gd_err_field(err, GD_EINVAL, "key",
                            "key must be 1 to 32 of a-z, 0-9 and _, "
                            "starting with a letter");
    }
    if (in->kind < 0) {
        return gd_err_field(err, GD_EINVAL, "kind", "kind must be one of: %s",
                            gd_field_kind_list(kinds, sizeof(kinds)));
    }
    if (!in->label_zh || !in->label_en) {
        const char *f = !in->label_zh ? "label_zh" : "label_en";
        return gd_err_field(err, GD_EINVAL, f, "%s is required", f);
    }
    return field_write(svc, &x, out, err);
}

int gd_svc_wo_field_update(struct gd_svc *svc, const struct gd_actor *actor, int code,
                           const char *key, const struct gd_shop_field_input *in,
                           struct gd_arena *a, struct gd_shop_field *out, struct gd_err *err)
{
    struct field_write x = {actor, code, key, in, a, {0}};
    if (in->kind >= 0) {
        return gd_err_field(err, GD_EINVAL, "kind",
                            "a field's kind is fixed: add a new field "
                            "(and retire this one) to hold another kind");
    }
    return field_write(svc, &x, out, err);
}
