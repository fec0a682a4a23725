/* JSON rendering of the API's objects, written straight into a string buffer: the list views
 * are the hot path, and this avoids building a jansson tree per row. */
#include "base/timefmt.h"
#include "http/req.h"
#include "service/event_data.h"

void gd_render_time(struct gd_strbuf *sb, int64_t ms)
{
    char buf[40];
    if (!ms) {
        gd_strbuf_adds(sb, "null");
        return;
    }
    size_t n = gd_time_format(ms, GD_TZ_DEFAULT_MIN, buf + 1, sizeof(buf) - 2);
    buf[0] = '"';
    buf[n + 1] = '"';
    gd_strbuf_add(sb, buf, n + 2);
}

void gd_render_id(struct gd_strbuf *sb, int64_t id)
{
    if (!id) {
        gd_strbuf_adds(sb, "null");
        return;
    }
    gd_strbuf_addch(sb, '"');
    gd_strbuf_add_i64(sb, id);
    gd_strbuf_addch(sb, '"');
}

void gd_render_array_kept(struct gd_strbuf *sb, const void *items, int n, size_t size,
                          gd_render_keep_fn *keep, gd_render_item_fn *one, void *ctx)
{
    const char *item = items;
    bool first = true;
    gd_strbuf_addch(sb, '[');
    for (int i = 0; i < n; i++, item += size) {
        if (keep && !keep(item, ctx)) {
            continue;
        }
        if (!first) {
            gd_strbuf_addch(sb, ',');
        }
        first = false;
        one(sb, item, ctx);
    }
    gd_strbuf_addch(sb, ']');
}

void gd_render_array(struct gd_strbuf *sb, const void *items, int n, size_t size,
                     gd_render_item_fn *one, void *ctx)
{
    gd_render_array_kept(sb, items, n, size, NULL, one, ctx);
}

void gd_render_names(struct gd_strbuf *sb, const char *names)
{
    gd_strbuf_addch(sb, '[');
    for (const char *p = names; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        gd_strbuf_addch(sb, '"');
        gd_strbuf_add(sb, p, n); /* names are [a-z_]: nothing to escape */
        gd_strbuf_adds(sb, end ? "\"," : "\"");
        p += n + (end != NULL);
    }
    gd_strbuf_addch(sb, ']');
}

static void key(struct gd_strbuf *sb, const char *k) { gd_strbuf_adds(sb, k); }

static void str_or_null(struct gd_strbuf *sb, const char *s)
{
    if (s) {
        gd_strbuf_add_json_str(sb, s);
    } else {
        gd_strbuf_adds(sb, "null");
    }
}

static void person(struct gd_strbuf *sb, int64_t id, const char *name)
{
    if (!id) {
        gd_strbuf_adds(sb, "null");
        return;
    }
    gd_strbuf_adds(sb, "{\"id\":");
    gd_render_id(sb, id);
    gd_strbuf_adds(sb, ",\"display_name\":");
    str_or_null(sb, name);
    gd_strbuf_addch(sb, '}');
}

/* The work order's fields, its object left open for what a caller adds. */
static void workorder_fields(struct gd_strbuf *sb, const struct gd_workorder *wo)
{
    key(sb, "{\"id\":");
    gd_render_id(sb, wo->id);
    key(sb, ",\"shop_id\":");
    gd_render_id(sb, wo->shop_id);
    char num[16];
    int64_t v = wo->number;
    for (int i = 5; i >= 0; i--, v /= 10) {
        num[i] = (char)('0' + v % 10);
    }
    gd_strbuf_adds(sb, ",\"number\":\"GD-");
    if (wo->number >= 1000000) {
        gd_strbuf_add_i64(sb, wo->number);
    } else {
        gd_strbuf_add(sb, num, 6);
    }
    gd_strbuf_adds(sb, "\",\"type\":\"");
    gd_strbuf_adds(sb, gd_type_name(wo->type));
    gd_strbuf_adds(sb, "\",\"state\":\"");
    gd_strbuf_adds(sb, gd_state_name(wo->state));
    gd_strbuf_adds(sb, "\",\"priority\":\"");
    gd_strbuf_adds(sb, gd_priority_name(wo->priority));
    gd_strbuf_adds(sb, "\",\"title\":");
    gd_strbuf_add_json_str(sb, wo->title);
    key(sb, ",\"content\":");
    gd_strbuf_add_json_str(sb, wo->content ? wo->content : "");
    key(sb, ",\"handler\":");
    person(sb, wo->handler_id, wo->handler_name);
    key(sb, ",\"creator\":");
    person(sb, wo->creator_id, wo->creator_name);
    key(sb, ",\"order_no\":");
    str_or_null(sb, wo->order_no);
    key(sb, ",\"buyer_nick\":");
    str_or_null(sb, wo->buyer_nick);
    key(sb, ",\"deadline\":");
    gd_render_time(sb, wo->deadline_at);
    gd_strbuf_adds(sb, wo->overdue ? ",\"overdue\":true,\"created_at\":"
                                   : ",\"overdue\":false,\"created_at\":");
    gd_render_time(sb, wo->created_at);
    key(sb, ",\"updated_at\":");
    gd_render_time(sb, wo->updated_at);
    key(sb, ",\"first_action_at\":");
    gd_render_time(sb, wo->first_action_at);
    key(sb, ",\"done_at\":");
    gd_render_time(sb, wo->done_at);
    gd_strbuf_adds(sb, ",\"transfers\":");
    gd_strbuf_add_i64(sb, wo->transfers);
    gd_strbuf_adds(sb, ",\"version\":");
    gd_strbuf_add_i64(sb, wo->version);
    gd_strbuf_adds(sb, ",\"custom\":");
    gd_strbuf_adds(sb, wo->custom && *wo->custom ? wo->custom : "{}");
    gd_strbuf_adds(sb, ",\"fields\":");
    gd_strbuf_adds(sb, wo->fields && *wo->fields ? wo->fields : "{}");
}

void gd_render_workorder(struct gd_strbuf *sb, const struct gd_workorder *wo)
{
    workorder_fields(sb, wo);
    gd_strbuf_addch(sb, '}');
}

static bool has_purpose(const void *att, void *purpose)
{
    const struct gd_attachment *x = att;
    return x->purpose && strcmp(x->purpose, purpose) == 0;
}

static void render_files(struct gd_strbuf *sb, const struct gd_attachment *atts, int n,
                         const char *purpose)
{
    gd_render_array_kept(sb, atts, n, sizeof(*atts), has_purpose, gd_render_attachment_item,
                         (void *)purpose);
}

static void render_collab(struct gd_strbuf *sb, const struct gd_workorder *wo,
                          const struct gd_collab *c, const struct gd_attachment *atts, int n)
{
    gd_strbuf_adds(sb, "{\"category\":");
    gd_strbuf_add_json_str(sb, c->category);
    gd_strbuf_adds(sb, ",\"complaint\":");
    gd_strbuf_add_json_str(sb, c->complaint);
    gd_strbuf_adds(sb, ",\"remedy\":");
    gd_strbuf_add_json_str(sb, c->remedy);
    gd_strbuf_addf(sb, ",\"rule_version\":%lld,\"state\":\"%s\",\"reply_due\":",
                   (long long)c->rule_version, gd_state_name(wo->state));
    gd_render_time(sb, c->reply_due_at);
    gd_strbuf_adds(sb, ",\"due_at\":");
    gd_render_time(sb, wo->deadline_at);
    gd_strbuf_adds(sb, ",\"reply\":");
    if (c->replied_at) {
        gd_strbuf_adds(sb, "{\"option\":");
        gd_strbuf_add_json_str(sb, c->reply_option);
        gd_strbuf_adds(sb, ",\"description\":");
        str_or_null(sb, c->reply_description);
        gd_strbuf_adds(sb, ",\"contact_at\":");
        gd_render_time(sb, c->contact_at);
        gd_strbuf_adds(sb, ",\"replied_at\":");
        gd_render_time(sb, c->replied_at);
        gd_strbuf_adds(sb, ",\"evidence\":");
        render_files(sb, atts, n, "reply");
        gd_strbuf_addch(sb, '}');
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"evidence\":");
    render_files(sb, atts, n, "evidence");
    gd_strbuf_adds(sb, ",\"verification\":");
    if (c->verified_at) {
        gd_strbuf_adds(sb, "{\"result\":");
        gd_strbuf_add_json_str(sb, c->verify_result);
        gd_strbuf_adds(sb, ",\"remark\":");
        str_or_null(sb, c->verify_remark);
        gd_strbuf_adds(sb, ",\"at\":");
        gd_render_time(sb, c->verified_at);
        gd_strbuf_addch(sb, '}');
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"intervention\":");
    if (c->intervened_at) {
        gd_strbuf_adds(sb, "{\"reason\":");
        str_or_null(sb, c->intervention_reason);
        gd_strbuf_adds(sb, ",\"at\":");
        gd_render_time(sb, c->intervened_at);
        gd_strbuf_addch(sb, '}');
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"judgement\":");
    if (c->judged_at) {
        gd_strbuf_adds(sb, "{\"outcome\":");
        gd_strbuf_add_json_str(sb, c->outcome);
        gd_strbuf_adds(sb, ",\"remedy\":");
        str_or_null(sb, c->judged_remedy);
        gd_strbuf_adds(sb, ",\"liable_party\":");
        str_or_null(sb, c->liable_party);
        gd_strbuf_adds(sb, ",\"reasoning\":");
        str_or_null(sb, c->reasoning);
        gd_strbuf_adds(sb, ",\"rule_article\":");
        str_or_null(sb, c->rule_article);
        gd_strbuf_adds(sb, ",\"judge\":{\"id\":");
        gd_render_id(sb, c->judge_id);
        gd_strbuf_adds(sb, ",\"display_name\":");
        str_or_null(sb, c->judge_name);
        gd_strbuf_adds(sb, "},\"judged_at\":");
        gd_render_time(sb, c->judged_at);
        gd_strbuf_addf(sb, ",\"counts_against_seller\":%s}", c->judged_against ? "true" : "false");
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"appeal\":");
    if (c->appealed_at) {
        gd_strbuf_adds(sb, "{\"reason\":");
        str_or_null(sb, c->appeal_reason);
        gd_strbuf_adds(sb, ",\"appealed_at\":");
        gd_render_time(sb, c->appealed_at);
        gd_strbuf_adds(sb, ",\"evidence\":");
        render_files(sb, atts, n, "appeal");
        gd_strbuf_adds(sb, ",\"decision\":");
        str_or_null(sb, c->decision);
        gd_strbuf_adds(sb, ",\"remark\":");
        str_or_null(sb, c->decision_remark);
        gd_strbuf_adds(sb, ",\"decided_at\":");
        gd_render_time(sb, c->decided_at);
        gd_strbuf_addch(sb, '}');
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"final_at\":");
    gd_render_time(sb, c->finalized_at);
    gd_strbuf_addch(sb, '}');
}

/* Puts "collab":{...} inside the work order object that r->out ends with (a collaborative work
 * order only). Used by GET /api/v1/workorders/{id} and the step responses. */

void gd_render_workorder_collab(struct gd_strbuf *sb, const struct gd_workorder *wo,
                                const struct gd_collab *c, const struct gd_attachment *atts, int n)
{
    workorder_fields(sb, wo);
    gd_strbuf_adds(sb, ",\"collab\":");
    render_collab(sb, wo, c, atts, n);
    gd_strbuf_addch(sb, '}');
}

void gd_render_order(struct gd_strbuf *sb, const struct gd_order *o)
{
    key(sb, "{\"order_no\":");
    gd_strbuf_add_json_str(sb, o->order_no);
    key(sb, ",\"buyer_nick\":");
    gd_strbuf_add_json_str(sb, o->buyer_nick);
    key(sb, ",\"status\":");
    gd_strbuf_add_json_str(sb, o->status);
    gd_strbuf_addf(sb,
                   ",\"paid_amount\":%lld,\"items\":%s,\"created_at\":", (long long)o->paid_amount,
                   o->items ? o->items : "[]");
    gd_render_time(sb, o->created_at);
    key(sb, ",\"updated_at\":");
    gd_render_time(sb, o->updated_at);
    gd_strbuf_addch(sb, '}');
}

void gd_render_user(struct gd_strbuf *sb, const struct gd_user *u, const char *shop_name)
{
    key(sb, "{\"id\":");
    gd_render_id(sb, u->id);
    key(sb, ",\"username\":");
    gd_strbuf_add_json_str(sb, u->username);
    key(sb, ",\"display_name\":");
    gd_strbuf_add_json_str(sb, u->display_name);
    gd_strbuf_addf(sb, ",\"role\":\"%s\",\"shop_id\":", gd_role_name(u->role));
    gd_render_id(sb, u->shop_id);
    key(sb, ",\"shop_name\":");
    str_or_null(sb, shop_name);
    gd_strbuf_addf(sb, ",\"active\":%s,\"must_change_password\":%s}", u->active ? "true" : "false",
                   u->must_change_password ? "true" : "false");
}

void gd_render_shop(struct gd_strbuf *sb, const struct gd_shop *s)
{
    key(sb, "{\"id\":");
    gd_render_id(sb, s->id);
    key(sb, ",\"name\":");
    gd_strbuf_add_json_str(sb, s->name);
    key(sb, ",\"tz\":");
    gd_strbuf_add_json_str(sb, s->tz);
    gd_strbuf_addf(sb, ",\"active\":%s}", s->active ? "true" : "false");
}

void gd_render_event(struct gd_strbuf *sb, const struct gd_event *ev)
{
    key(sb, "{\"id\":");
    gd_render_id(sb, ev->id);
    key(sb, ",\"kind\":");
    gd_strbuf_add_json_str(sb, ev->kind);
    key(sb, ",\"actor\":");
    person(sb, ev->actor_id, ev->actor_name);
    key(sb, ",\"at\":");
    gd_render_time(sb, ev->at);
    gd_strbuf_adds(sb, ",\"data\":");
    gd_svc_event_data_render(sb, ev->data);
    gd_strbuf_addch(sb, '}');
}

/* Images get a thumbnail made on the server (GET .../thumbnail); other files show an icon. */
static bool has_thumbnail(const char *mime)
{
    return strcmp(mime, "image/jpeg") == 0 || strcmp(mime, "image/png") == 0 ||
           strcmp(mime, "image/webp") == 0;
}

/* An attachment's fields, its object left open for what a caller adds. */
static void attachment_fields(struct gd_strbuf *sb, const struct gd_attachment *x)
{
    gd_strbuf_adds(sb, "{\"id\":");
    gd_render_id(sb, x->id);
    gd_strbuf_adds(sb, ",\"filename\":");
    gd_strbuf_add_json_str(sb, x->filename);
    gd_strbuf_addf(sb,
                   ",\"mime\":\"%s\",\"size\":%lld,\"sha256\":\"%s\",\"party\":\"%s\","
                   "\"uploader_id\":",
                   x->mime, (long long)x->size, x->sha256, x->party);
    gd_render_id(sb, x->uploader_id);
    gd_strbuf_adds(sb, ",\"purpose\":");
    str_or_null(sb, x->purpose);
    gd_strbuf_adds(sb, ",\"created_at\":");
    gd_render_time(sb, x->created_at);
    gd_strbuf_addf(sb,
                   ",\"url\":\"/api/v1/attachments/%lld\",\"thumbnail_url\":", (long long)x->id);
    if (has_thumbnail(x->mime)) {
        gd_strbuf_addf(sb, "\"/api/v1/attachments/%lld/thumbnail\"", (long long)x->id);
    } else {
        gd_strbuf_adds(sb, "null");
    }
}

void gd_render_attachment(struct gd_strbuf *sb, const struct gd_attachment *x)
{
    attachment_fields(sb, x);
    gd_strbuf_addch(sb, '}');
}

void gd_render_uploaded(struct gd_strbuf *sb, const struct gd_attachment *rows, int n)
{
    attachment_fields(sb, &rows[0]);
    gd_strbuf_adds(sb, ",\"items\":");
    gd_render_array(sb, rows, n, sizeof(*rows), gd_render_attachment_item, NULL);
    gd_strbuf_addch(sb, '}');
}

/* ---- the same renderers as array elements (gd_render_item_fn) ---- */

void gd_render_workorder_item(struct gd_strbuf *sb, const void *wo, void *ctx)
{
    (void)ctx;
    gd_render_workorder(sb, wo);
}

void gd_render_order_item(struct gd_strbuf *sb, const void *o, void *ctx)
{
    (void)ctx;
    gd_render_order(sb, o);
}

void gd_render_attachment_item(struct gd_strbuf *sb, const void *x, void *ctx)
{
    (void)ctx;
    gd_render_attachment(sb, x);
}

void gd_render_event_item(struct gd_strbuf *sb, const void *ev, void *ctx)
{
    (void)ctx;
    gd_render_event(sb, ev);
}
