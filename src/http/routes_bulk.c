/* Route of bulk work (docs/bulk.md): a lead's one action on many work orders, answered per item
 * (done, or the error that item met), each item done whole or not at all. */
#include "http/req.h"

/* Ids read from one request: the first GD_BULK_MAX are acted on, the rest answered "too_large"
 * by name; beyond this many the request itself is refused. */
#define BULK_READ_MAX 2000

static void render_item(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct gd_bulk_item *it = item;
    (void)ctx;
    gd_strbuf_adds(sb, "{\"id\":");
    gd_render_id(sb, it->id);
    if (it->err.code == GD_OK) {
        gd_strbuf_addf(sb, ",\"ok\":true,\"version\":%lld}", (long long)it->version);
        return;
    }
    const char *kind = gd_http_error_kind(&it->err);
    bool internal = strcmp(kind, "internal") == 0; /* its text is for the log only */
    gd_strbuf_adds(sb, ",\"ok\":false,\"error\":{\"code\":");
    gd_strbuf_add_json_str(sb, kind);
    gd_strbuf_adds(sb, ",\"message\":");
    gd_strbuf_add_json_str(sb, internal || !it->err.msg[0] ? kind : it->err.msg);
    if (!internal && it->err.field[0]) {
        gd_strbuf_adds(sb, ",\"field\":");
        gd_strbuf_add_json_str(sb, it->err.field);
    }
    gd_strbuf_adds(sb, "}}");
}

static void bulk(struct gd_req *r)
{
    static const char *const allowed[] = {"action", "ids", "to", "reason", "text", NULL};
    struct gd_act_input in = {.priority = -1};
    struct gd_err err = {0};
    int64_t *ids = gd_arena_alloc(&r->a, BULK_READ_MAX * sizeof(*ids));
    int n = 0, done = 0;
    json_t *o = gd_http_body_object(r, allowed);

    if (!o ||
        gd_in_enum(r, o, "action", true, gd_action_parse,
                   "assign, transfer, chase, note, complete, cancel", &in.action) ||
        gd_in_ids(r, o, "ids", BULK_READ_MAX, ids, &n) ||
        gd_in_id(r, o, "to", in.action == GD_ACT_ASSIGN || in.action == GD_ACT_TRANSFER, &in.to) ||
        gd_in_str(r, o, "reason", in.action == GD_ACT_TRANSFER, GD_NOTE_MAX, &in.reason) ||
        gd_in_str(r, o, "text", in.action == GD_ACT_NOTE, GD_NOTE_MAX, &in.text)) {
        return;
    }
    if (n == 0) {
        gd_http_fail(r, "validation_failed", "ids", "ids must name at least one work order");
        return;
    }
    struct gd_bulk_item *items = gd_arena_alloc(&r->a, (size_t)n * sizeof(*items));
    for (int i = 0; i < n; i++) {
        items[i].id = ids[i];
    }
    if (gd_svc_workorders_bulk(r->svc, &r->actor, &in, items, n, &r->a, &err)) {
        gd_http_error(r, &err);
        return;
    }
    for (int i = 0; i < n; i++) {
        done += items[i].err.code == GD_OK;
    }
    gd_http_list(r, items, n, sizeof(*items), render_item, NULL,
                 gd_arena_printf(&r->a, "\"done\":%d,\"failed\":%d", done, n - done));
}

const struct gd_route gd_routes_bulk[] = {
    {"POST", "/api/v1/workorders/bulk", bulk, 0},
    {NULL, NULL, NULL, 0},
};
