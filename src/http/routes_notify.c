/* Routes of the notification centre (docs/notifications.md): each user reads their own
 * notifications, marks them read and chooses which kinds they are told of. Nobody reaches
 * another's: every route works on the caller's own rows. The bell's live count comes over the
 * stream (stream.c, event "notifications"). */
#include "http/req.h"

static void render_note(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct gd_notification *n = item;
    (void)ctx;
    gd_strbuf_adds(sb, "{\"id\":");
    gd_render_id(sb, n->id);
    gd_strbuf_adds(sb, ",\"kind\":");
    gd_strbuf_add_json_str(sb, n->kind);
    gd_strbuf_adds(sb, ",\"workorder\":{\"id\":");
    gd_render_id(sb, n->workorder_id);
    gd_strbuf_addf(sb, ",\"number\":\"GD-%06lld\",\"title\":", (long long)n->wo_number);
    gd_strbuf_add_json_str(sb, n->title);
    gd_strbuf_adds(sb, "},\"actor\":");
    if (n->actor_id) {
        gd_strbuf_adds(sb, "{\"id\":");
        gd_render_id(sb, n->actor_id);
        gd_strbuf_adds(sb, ",\"name\":");
        gd_strbuf_add_json_str(sb, n->actor_name);
        gd_strbuf_addch(sb, '}');
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"text\":");
    gd_strbuf_add_json_str(sb, n->text);
    gd_strbuf_adds(sb, ",\"created_at\":");
    gd_render_time(sb, n->created_at);
    gd_strbuf_adds(sb, ",\"read_at\":");
    gd_render_time(sb, n->read_at);
    gd_strbuf_addch(sb, '}');
}

/* GET /api/v1/notifications?limit=N&before=ID&unread=true */
static void notes_list(struct gd_req *r)
{
    struct gd_notification *ns;
    struct gd_err err = {0};
    const char *lim = gd_http_query(r, "limit"), *unread_q = gd_http_query(r, "unread");
    int64_t before = 0, unread = 0;
    long limit = 30;
    int n;
    char *end = NULL;

    if (gd_http_query_id(r, "before", &before) < 0) {
        return;
    }
    if (lim &&
        (limit = strtol(lim, &end, 10), !*lim || *end || limit < 1 || limit > GD_NOTIFY_PAGE_MAX)) {
        gd_http_fail(r, "validation_failed", "limit", "limit must be a whole number from 1 to %d",
                     GD_NOTIFY_PAGE_MAX);
        return;
    }
    if (unread_q && strcmp(unread_q, "true") != 0 && strcmp(unread_q, "false") != 0) {
        gd_http_fail(r, "validation_failed", "unread", "unread must be true or false");
        return;
    }
    if (gd_svc_notifications_list(r->svc, &r->actor, before, (int)limit,
                                  unread_q && !strcmp(unread_q, "true"), &r->a, &ns, &n, &unread,
                                  &err)) {
        gd_http_error(r, &err);
        return;
    }
    /* the next page starts below the last one shown; a short page is the last */
    const char *more = n == limit ? gd_arena_printf(&r->a,
                                                    "\"unread\":%lld,\"next_before\":"
                                                    "\"%lld\"",
                                                    (long long)unread, (long long)ns[n - 1].id)
                                  : gd_arena_printf(&r->a,
                                                    "\"unread\":%lld,\"next_before\":"
                                                    "null",
                                                    (long long)unread);
    gd_http_list(r, ns, n, sizeof(*ns), render_note, NULL, more);
}

static void render_unread(struct gd_req *r, int64_t unread)
{
    gd_strbuf_addf(&r->out, "{\"unread\":%lld}", (long long)unread);
    gd_http_json(r, 200);
}

/* POST /api/v1/notifications/read {"ids":[...]} or {"all":true} */
static void notes_read(struct gd_req *r)
{
    static const char *const allowed[] = {"ids", "all", NULL};
    int64_t ids[GD_NOTIFY_READ_MAX], unread = 0;
    struct gd_err err = {0};
    int n = 0, all = -1;
    json_t *o = gd_http_body_object(r, allowed);

    if (!o || gd_in_ids(r, o, "ids", GD_NOTIFY_READ_MAX, ids, &n) ||
        gd_in_bool(r, o, "all", &all)) {
        return;
    }
    if ((all == 1) == (n > 0)) {
        gd_http_fail(r, "validation_failed", "ids",
                     "give either ids (at most %d) or "
                     "\"all\": true",
                     GD_NOTIFY_READ_MAX);
        return;
    }
    if (gd_svc_notifications_read(r->svc, &r->actor, ids, n, &unread, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_unread(r, unread);
}

static void render_prefs(struct gd_req *r, const char *muted)
{
    gd_strbuf_adds(&r->out, "{\"kinds\":[");
    for (int i = 0; gd_notify_kinds[i]; i++) {
        gd_strbuf_addf(&r->out, "%s\"%s\"", i ? "," : "", gd_notify_kinds[i]);
    }
    gd_strbuf_adds(&r->out, "],\"muted\":");
    gd_render_names(&r->out, muted);
    gd_strbuf_addch(&r->out, '}');
    gd_http_json(r, 200);
}

static void prefs_get(struct gd_req *r)
{
    struct gd_err err = {0};
    const char *muted = "";

    if (gd_svc_notify_prefs_get(r->svc, &r->actor, &r->a, &muted, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_prefs(r, muted);
}

/* PUT /api/v1/notifications/preferences {"muted":[kinds]}: exactly these are turned off. */
static void prefs_put(struct gd_req *r)
{
    static const char *const allowed[] = {"muted", NULL};
    struct gd_err err = {0};
    const char **muted = NULL, *out = "";
    int n = 0;
    json_t *o = gd_http_body_object(r, allowed);

    if (!o || gd_in_strs(r, o, "muted", "an array of notification kinds", "a notification kind",
                         &muted, &n)) {
        return;
    }
    if (!json_object_get(o, "muted")) {
        gd_http_fail(r, "validation_failed", "muted",
                     "muted is required (an array of "
                     "notification kinds; [] turns every kind on)");
        return;
    }
    if (gd_svc_notify_prefs_set(r->svc, &r->actor, (const char *const *)muted, n, &r->a, &out,
                                &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_prefs(r, out);
}

const struct gd_route gd_routes_notify[] = {
    {"GET", "/api/v1/notifications", notes_list, 0},
    {"POST", "/api/v1/notifications/read", notes_read, 0},
    {"GET", "/api/v1/notifications/preferences", prefs_get, 0},
    {"PUT", "/api/v1/notifications/preferences", prefs_put, 0},
    {NULL, NULL, NULL, 0},
};
