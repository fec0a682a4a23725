/* Routes of quick replies (快捷短语, docs/quickreplies.md): a shop user lists the shop-wide
 * replies and their own, adds, changes and deletes those they manage. */
#include "http/req.h"

static void render_reply(struct gd_strbuf *sb, const struct gd_actor *actor,
                         const struct gd_quickreply *q)
{
    gd_strbuf_adds(sb, "{\"id\":");
    gd_render_id(sb, q->id);
    gd_strbuf_adds(sb, ",\"title\":");
    gd_strbuf_add_json_str(sb, q->title);
    gd_strbuf_adds(sb, ",\"body\":");
    gd_strbuf_add_json_str(sb, q->body);
    gd_strbuf_addf(
        sb, ",\"shared\":%s,\"can_manage\":%s,\"created_at\":", q->owner_user_id ? "false" : "true",
        gd_perm_can_manage_quickreply(actor, q->owner_user_id) ? "true" : "false");
    gd_render_time(sb, q->created_at);
    gd_strbuf_adds(sb, ",\"updated_at\":");
    gd_render_time(sb, q->updated_at);
    gd_strbuf_addch(sb, '}');
}

/* A list element; ctx is the reader (what they may manage). */
static void reply_item(struct gd_strbuf *sb, const void *item, void *ctx)
{
    render_reply(sb, ctx, item);
}

static void replies_list(struct gd_req *r)
{
    struct gd_quickreply *qs;
    struct gd_err err = {0};
    int n;

    if (gd_svc_quickreplies_list(r->svc, &r->actor, &r->a, &qs, &n, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_list(r, qs, n, sizeof(*qs), reply_item, &r->actor, NULL);
}

static const char *const allowed[] = {"title", "body", "shared", NULL};

/* The lengths are the service's limits (it counts the refusals); the body's own limit bounds
 * both here. */
static void reply_create(struct gd_req *r)
{
    struct gd_quickreply q;
    struct gd_err err = {0};
    const char *title = NULL, *body = NULL;
    int shared;
    json_t *o = gd_http_body_object(r, allowed);

    if (!o || gd_in_str(r, o, "title", true, SIZE_MAX, &title) ||
        gd_in_str(r, o, "body", true, SIZE_MAX, &body) || gd_in_bool(r, o, "shared", &shared)) {
        return;
    }
    if (gd_svc_quickreply_create(r->svc, &r->actor, shared == 1, title, body, &r->a, &q, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_reply(&r->out, &r->actor, &q);
    gd_http_header(r, "Location",
                   gd_arena_printf(&r->a, "/api/v1/quickreplies/%lld", (long long)q.id));
    gd_http_json(r, 201);
}

static void reply_patch(struct gd_req *r)
{
    struct gd_quickreply q;
    struct gd_err err = {0};
    const char *title = NULL, *body = NULL;
    int shared;
    int64_t id;
    json_t *o = gd_http_body_object(r, allowed);

    if (!o || gd_http_param_id(r, 0, &id) || gd_in_str(r, o, "title", false, SIZE_MAX, &title) ||
        gd_in_str(r, o, "body", false, SIZE_MAX, &body) || gd_in_bool(r, o, "shared", &shared)) {
        return;
    }
    if (shared >= 0) {
        gd_http_fail(r, "validation_failed", "shared",
                     "shared is chosen when a reply is made; make a new one instead");
        return;
    }
    if (!title && !body) {
        gd_http_fail(r, "validation_failed", NULL, "send at least one of title, body");
        return;
    }
    if (gd_svc_quickreply_update(r->svc, &r->actor, id, title, body, &r->a, &q, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_reply(&r->out, &r->actor, &q);
    gd_http_json(r, 200);
}

static void reply_delete(struct gd_req *r)
{
    struct gd_err err = {0};
    int64_t id;

    if (gd_http_param_id(r, 0, &id)) {
        return;
    }
    if (gd_svc_quickreply_delete(r->svc, &r->actor, id, &err)) {
        gd_http_error(r, &err);
        return;
    }
    r->status = 204;
}

const struct gd_route gd_routes_quickreplies[] = {
    {"GET", "/api/v1/quickreplies", replies_list, 0},
    {"POST", "/api/v1/quickreplies", reply_create, 0},
    {"PATCH", "/api/v1/quickreplies/{}", reply_patch, 0},
    {"DELETE", "/api/v1/quickreplies/{}", reply_delete, 0},
    {NULL, NULL, NULL, 0},
};
