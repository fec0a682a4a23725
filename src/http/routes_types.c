/* Routes of the work order types and custom fields a shop defines (docs/types.md): every user
 * of the shop lists the types (the built-in ones first, then the shop's with their fields); an
 * owner or lead adds and changes a type and its fields, and retires them. */
#include "http/req.h"

static void render_field(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct gd_shop_field *f = item;
    (void)ctx;
    gd_strbuf_adds(sb, "{\"key\":");
    gd_strbuf_add_json_str(sb, f->key);
    gd_strbuf_adds(sb, ",\"type\":");
    gd_strbuf_add_json_str(sb, gd_type_name(f->type_code));
    gd_strbuf_adds(sb, ",\"label_zh\":");
    gd_strbuf_add_json_str(sb, f->label_zh);
    gd_strbuf_adds(sb, ",\"label_en\":");
    gd_strbuf_add_json_str(sb, f->label_en);
    gd_strbuf_addf(sb, ",\"kind\":\"%s\",\"required\":%s,\"options\":", gd_field_kind_name(f->kind),
                   f->required ? "true" : "false");
    gd_strbuf_adds(sb, f->options && *f->options ? f->options : "[]");
    gd_strbuf_addf(sb, ",\"position\":%d,\"retired\":%s}", f->position,
                   f->retired ? "true" : "false");
}

static bool of_type(const void *field, void *code)
{
    return ((const struct gd_shop_field *)field)->type_code == *(const int *)code;
}

struct fields_of {
    const struct gd_shop_field *all;
    int n;
};

/* A type with its fields (ctx: struct fields_of, every field of the shop). */
static void render_type(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct gd_shop_type *t = item;
    const struct fields_of *fs = ctx;
    int code = t->code;

    gd_strbuf_adds(sb, "{\"key\":");
    gd_strbuf_add_json_str(sb, gd_type_name(t->code));
    gd_strbuf_addf(sb, ",\"builtin\":%s,\"name_zh\":", gd_type_is_shop(t->code) ? "false" : "true");
    gd_strbuf_add_json_str(sb, t->name_zh);
    gd_strbuf_adds(sb, ",\"name_en\":");
    gd_strbuf_add_json_str(sb, t->name_en);
    gd_strbuf_addf(sb, ",\"default_deadline_hours\":%lld,\"default_handler_id\":",
                   (long long)(t->deadline_ms / (3600 * 1000LL)));
    gd_render_id(sb, t->handler_id);
    gd_strbuf_adds(sb, ",\"color\":");
    if (t->color) {
        gd_strbuf_add_json_str(sb, t->color);
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_addf(sb, ",\"retired\":%s,\"fields\":", t->retired ? "true" : "false");
    gd_render_array_kept(sb, fs->all, fs->n, sizeof(*fs->all), of_type, render_field, &code);
    gd_strbuf_addch(sb, '}');
}

/* The shop's own types and every field of the shop; false when it answered the failure. */
static bool load_types(struct gd_req *r, struct gd_shop_type **own, int *nown, struct fields_of *fs)
{
    struct gd_shop_field *fields;
    struct gd_err err = {0};
    if (gd_svc_wo_types_list(r->svc, &r->actor, &r->a, own, nown, &fields, &fs->n, &err)) {
        gd_http_error(r, &err);
        return false;
    }
    fs->all = fields;
    return true;
}

static void types_list(struct gd_req *r)
{
    struct gd_shop_type *own;
    struct fields_of fs;
    int nown;

    if (!load_types(r, &own, &nown, &fs)) {
        return;
    }
    /* the built-in types as the same objects, so a client reads every name from one list */
    int n = GD_TYPE_COUNT + nown;
    struct gd_shop_type *all = gd_arena_zalloc(&r->a, sizeof(*all) * (size_t)n);
    for (int t = 0; t < GD_TYPE_COUNT; t++) {
        all[t] = (struct gd_shop_type){.code = t,
                                       .name_zh = gd_type_label_zh(t),
                                       .name_en = gd_type_label_en(t),
                                       .deadline_ms = gd_type_default_deadline_ms(t)};
    }
    if (nown) { /* an empty list may be NULL */
        memcpy(all + GD_TYPE_COUNT, own, sizeof(*own) * (size_t)nown);
    }
    gd_http_list(r, all, n, sizeof(*all), render_type, &fs, NULL);
}

/* One type as the answer of a create or a change. */
static void respond_type(struct gd_req *r, const struct gd_shop_type *t, int status)
{
    struct gd_shop_type *own;
    struct fields_of fs;
    int nown;

    if (load_types(r, &own, &nown, &fs)) {
        render_type(&r->out, t, &fs);
        gd_http_json(r, status);
    }
}

static const char *const type_keys[] = {
    "name_zh", "name_en", "default_deadline_hours", "default_handler_id", "color", "retired", NULL};

static int type_in(struct gd_req *r, json_t *o, bool create, struct gd_shop_type_input *in)
{
    *in = (struct gd_shop_type_input){.retired = -1};
    if (gd_in_str(r, o, "name_zh", create, 200, &in->name_zh) ||
        gd_in_str(r, o, "name_en", create, 200, &in->name_en) ||
        gd_in_str(r, o, "color", false, 16, &in->color) ||
        gd_in_int(r, o, "default_deadline_hours", false, 0, 8760, &in->deadline_hours,
                  &in->has_deadline) ||
        gd_in_id(r, o, "default_handler_id", false, &in->handler_id) ||
        gd_in_bool(r, o, "retired", &in->retired)) {
        return -1;
    }
    in->has_handler = json_object_get(o, "default_handler_id") != NULL; /* null: none */
    return 0;
}

/* The shop type named by the path's first part (404 for anything else). */
static int param_type(struct gd_req *r, int *code)
{
    *code = gd_type_parse(r->params[0]);
    if (!gd_type_is_shop(*code)) {
        struct gd_err err = {0};
        gd_err_set(&err, GD_ENOTFOUND,
                   "no type of this shop is '%s': the built-in types are "
                   "not changed",
                   r->params[0]);
        gd_http_error(r, &err);
        return -1;
    }
    return 0;
}

/* A type added (POST, 201 with its Location) or changed (PATCH of the path's type). */
static void type_write(struct gd_req *r, bool create)
{
    struct gd_shop_type_input in;
    struct gd_shop_type t;
    struct gd_err err = {0};
    int code = -1, ret;
    json_t *o = gd_http_body_object(r, type_keys);

    if (!o || (!create && param_type(r, &code)) || type_in(r, o, create, &in)) {
        return;
    }
    ret = create ? gd_svc_wo_type_create(r->svc, &r->actor, &in, &r->a, &t, &err)
                 : gd_svc_wo_type_update(r->svc, &r->actor, code, &in, &r->a, &t, &err);
    if (ret) {
        gd_http_error(r, &err);
        return;
    }
    if (create) {
        gd_http_header(r, "Location",
                       gd_arena_printf(&r->a, "/api/v1/workorder_types/%s", gd_type_name(t.code)));
    }
    respond_type(r, &t, create ? 201 : 200);
}

static void type_create(struct gd_req *r) { type_write(r, true); }

static void type_patch(struct gd_req *r) { type_write(r, false); }

static const char *const field_keys[] = {"key",     "label_zh", "label_en", "kind", "required",
                                         "options", "position", "retired",  NULL};

static int field_in(struct gd_req *r, json_t *o, bool create, struct gd_shop_field_input *in)
{
    char kinds[160];
    int64_t position = 0;
    *in = (struct gd_shop_field_input){.kind = -1, .required = -1, .retired = -1};
    json_t *options = json_object_get(o, "options");
    if (gd_in_str(r, o, "key", create, 32, &in->key) ||
        gd_in_str(r, o, "label_zh", create, 200, &in->label_zh) ||
        gd_in_str(r, o, "label_en", create, 200, &in->label_en) ||
        gd_in_enum(r, o, "kind", create, gd_field_kind_parse,
                   gd_field_kind_list(kinds, sizeof(kinds)), &in->kind) ||
        gd_in_bool(r, o, "required", &in->required) ||
        gd_in_int(r, o, "position", false, 0, 1000, &position, &in->has_position) ||
        gd_in_bool(r, o, "retired", &in->retired)) {
        return -1;
    }
    if (!create && json_object_get(o, "key")) {
        gd_http_fail(r, "validation_failed", "key",
                     "a field's key is fixed: its values and "
                     "filters are found by it");
        return -1;
    }
    if (options && !json_is_null(options)) {
        if (!json_is_array(options)) {
            gd_http_fail(r, "validation_failed", "options", "options must be a list of texts");
            return -1;
        }
        char *text = json_dumps(options, JSON_COMPACT);
        in->options = gd_arena_strdup(&r->a, text);
        free(text);
    }
    in->position = (int)position;
    return 0;
}

/* A field added to the path's type (POST, 201 with its Location) or changed (PATCH of the
 * path's field). */
static void field_write(struct gd_req *r, bool create)
{
    struct gd_shop_field_input in;
    struct gd_shop_field f;
    struct gd_err err = {0};
    int code, ret;
    json_t *o = gd_http_body_object(r, field_keys);

    if (!o || param_type(r, &code) || field_in(r, o, create, &in)) {
        return;
    }
    ret = create
              ? gd_svc_wo_field_create(r->svc, &r->actor, code, &in, &r->a, &f, &err)
              : gd_svc_wo_field_update(r->svc, &r->actor, code, r->params[1], &in, &r->a, &f, &err);
    if (ret) {
        gd_http_error(r, &err);
        return;
    }
    if (create) {
        gd_http_header(r, "Location",
                       gd_arena_printf(&r->a, "/api/v1/workorder_types/%s/fields/%s",
                                       gd_type_name(code), f.key));
    }
    render_field(&r->out, &f, NULL);
    gd_http_json(r, create ? 201 : 200);
}

static void field_create(struct gd_req *r) { field_write(r, true); }

static void field_patch(struct gd_req *r) { field_write(r, false); }

const struct gd_route gd_routes_types[] = {
    {"GET", "/api/v1/workorder_types", types_list, 0},
    {"POST", "/api/v1/workorder_types", type_create, 0},
    {"PATCH", "/api/v1/workorder_types/{}", type_patch, 0},
    {"POST", "/api/v1/workorder_types/{}/fields", field_create, 0},
    {"PATCH", "/api/v1/workorder_types/{}/fields/{}", field_patch, 0},
    {NULL, NULL, NULL, 0},
};
