/* Routes of outgoing webhooks (docs/webhooks.md): a shop's owner or lead lists, adds and removes
 * the endpoints the shop's timeline events are posted to, and sees how delivery goes. */
#include "http/req.h"

static void render_hook(struct gd_strbuf *sb, const struct gd_webhook *w, bool with_secret)
{
    gd_strbuf_adds(sb, "{\"id\":");
    gd_render_id(sb, w->id);
    gd_strbuf_adds(sb, ",\"url\":");
    gd_strbuf_add_json_str(sb, w->url);
    gd_strbuf_adds(sb, ",\"description\":");
    gd_strbuf_add_json_str(sb, w->description ? w->description : "");
    gd_strbuf_adds(sb, ",\"events\":");
    gd_render_names(sb, w->events);
    gd_strbuf_adds(sb, ",\"format\":");
    gd_strbuf_add_json_str(sb, w->format ? w->format : "gongdan");
    /* a robot's secret is DingTalk's, given by the shop: never sent back */
    if (with_secret && !gd_svc_robot_format(w->format)) {
        gd_strbuf_adds(sb, ",\"secret\":");
        gd_strbuf_add_json_str(sb, w->secret);
    }
    gd_strbuf_adds(sb, ",\"created_at\":");
    gd_render_time(sb, w->created_at);
    gd_strbuf_addf(sb, ",\"delivered\":%lld,\"pending\":%lld,\"failures\":%d,\"last_status\":",
                   (long long)w->delivered, (long long)w->pending, w->failures);
    if (w->last_status) {
        gd_strbuf_addf(sb, "%d", w->last_status);
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"last_attempt_at\":");
    gd_render_time(sb, w->last_attempt_at);
    gd_strbuf_adds(sb, ",\"next_attempt_at\":");
    gd_render_time(sb, w->failures ? w->next_attempt_at : 0);
    gd_strbuf_adds(sb, ",\"last_error\":");
    if (w->last_error && *w->last_error) {
        gd_strbuf_add_json_str(sb, w->last_error);
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_addch(sb, '}');
}

/* A hook in the list: its secret was shown once, at its creation. */
static void hook_item(struct gd_strbuf *sb, const void *hook, void *ctx)
{
    (void)ctx;
    render_hook(sb, hook, false);
}

static void hooks_list(struct gd_req *r)
{
    struct gd_webhook *hooks;
    struct gd_err err = {0};
    int n;

    if (gd_svc_webhooks_list(r->svc, &r->actor, &r->a, &hooks, &n, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_list(r, hooks, n, sizeof(*hooks), hook_item, NULL, NULL);
}

/* The answer to a create, kept with its Idempotency-Key. */
static char *render_created(void *ctx, const void *hook)
{
    struct gd_strbuf sb = GD_STRBUF_INIT;
    (void)ctx;
    render_hook(&sb, hook, true);
    return gd_strbuf_detach(&sb, NULL);
}

static void hook_create(struct gd_req *r)
{
    static const char *const allowed[] = {"url", "description", "events", "format", "secret", NULL};
    struct gd_webhook w;
    struct gd_err err = {0};
    const char *url = NULL, *desc = NULL, **kinds = NULL, *format = NULL, *secret = NULL;
    struct gd_idem idem = {.status = 201, .render = render_created, .ctx = NULL};
    int nkinds = 0;
    json_t *o = gd_http_body_object(r, allowed);
    char rule[64];

    /* the url's length and the number of kinds are the service's limits (it counts them); the
     * request body's own limit bounds both here */
    snprintf(rule, sizeof(rule), "an array of at most %d event kinds", GD_WEBHOOK_EVENTS_MAX);
    if (!o || gd_in_str(r, o, "url", true, SIZE_MAX, &url) ||
        gd_in_str(r, o, "description", false, GD_WEBHOOK_DESC_MAX, &desc) ||
        gd_in_str(r, o, "format", false, 16, &format) ||
        gd_in_str(r, o, "secret", false, SIZE_MAX, &secret) ||
        gd_in_strs(r, o, "events", rule, "an event kind", &kinds, &nkinds) ||
        gd_http_idem_key(r, &idem.key, &idem.digest)) {
        return;
    }
    if (gd_svc_webhook_create(r->svc, &r->actor, url, desc, (const char *const *)kinds, nkinds,
                              format, secret, &idem, &r->a, &w, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (idem.replay) {
        gd_http_replay(r, 201, idem.replay, "/api/v1/webhooks/", false);
        return;
    }
    /* the secret is shown here, once (and to a request repeating this one's key); deliveries
     * are signed with it */
    render_hook(&r->out, &w, true);
    gd_http_header(r, "Location", gd_arena_printf(&r->a, "/api/v1/webhooks/%lld", (long long)w.id));
    gd_http_json(r, 201);
}

static void hook_delete(struct gd_req *r)
{
    struct gd_err err = {0};
    int64_t id;

    if (gd_http_param_id(r, 0, &id)) {
        return;
    }
    if (gd_svc_webhook_delete(r->svc, &r->actor, id, &err)) {
        gd_http_error(r, &err);
        return;
    }
    r->status = 204;
}

const struct gd_route gd_routes_webhooks[] = {
    {"GET", "/api/v1/webhooks", hooks_list, 0},
    {"POST", "/api/v1/webhooks", hook_create, 0},
    {"DELETE", "/api/v1/webhooks/{}", hook_delete, 0},
    {NULL, NULL, NULL, 0},
};
