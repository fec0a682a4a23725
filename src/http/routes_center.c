/* Routes of the work order center: session, me, orders, work orders and their actions,
 * the views and their counts. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <strings.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "http/req.h"
#include "http/rowcache.h"
#include "http/viewcache.h"

/* ---- session ---- */

/* Sign-in is the one write a stranger may send, so it is where login CSRF is stopped: a
 * cross-site page can post a text/plain "form" without a preflight, but not a JSON body, and
 * a browser names the page's origin. */
static bool session_request_ok(struct gd_req *r)
{
    const char *ct = gd_http_header_in(r, "Content-Type");
    const char *origin = gd_http_header_in(r, "Origin");
    size_t n = strlen("application/json");

    if (!ct || strncasecmp(ct, "application/json", n) != 0 ||
        (ct[n] && ct[n] != ';' && ct[n] != ' ')) {
        gd_http_fail(r, "unsupported_media_type", "Content-Type",
                     "sign-in needs the header 'Content-Type: application/json'");
        return false;
    }
    if (origin) {
        const char *own = gd_http_own_origin(r);
        if (!own || strcasecmp(origin, own) != 0) {
            gd_http_fail(r, "cross_origin", "Origin",
                         "sign-in from another site is refused: "
                         "the Origin header must be this server's own origin (%s)",
                         own ? own : "unknown");
            return false;
        }
    }
    return true;
}

static const char *session_cookie(struct gd_req *r, const char *value, int max_age)
{
    return gd_http_session_set_cookie(r, value, max_age, false);
}

/* A lookup's outcome: *out tells found, not found is no error, a failure is returned. */
static int found(int ret, bool *out, struct gd_err *err)
{
    *out = ret == GD_OK;
    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        return GD_OK;
    }
    return ret;
}

static void session_create(struct gd_req *r)
{
    static const char *const allowed[] = {"username", "password", NULL};
    const char *username, *password;
    struct gd_login login;
    struct gd_shop shop = {0};
    struct gd_err err = {0};

    if (!session_request_ok(r)) {
        return;
    }
    json_t *o = gd_http_body_object(r, allowed);
    if (!o || gd_in_str(r, o, "username", true, 64, &username) ||
        gd_in_str(r, o, "password", true, 256, &password)) {
        return;
    }
    if (gd_svc_login(r->svc, username, password, gd_http_client_addr(r), &r->a, &login, &err)) {
        if (err.code == GD_ELIMIT) {
            gd_http_header(r, "Retry-After",
                           gd_arena_printf(&r->a, "%lld", (long long)login.retry_after_s));
        }
        gd_http_error(r, &err);
        return;
    }
    bool has_shop = false;
    if (login.user.shop_id &&
        found(gd_svc_shop_get(r->svc, login.user.shop_id, &r->a, &shop, &err), &has_shop, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_header(r, "Set-Cookie", session_cookie(r, login.session, 43200));
    gd_strbuf_adds(&r->out, "{\"user\":");
    gd_render_user(&r->out, &login.user, has_shop ? shop.name : NULL);
    gd_strbuf_adds(&r->out, ",\"csrf_token\":");
    gd_strbuf_add_json_str(&r->out, login.csrf);
    gd_strbuf_adds(&r->out, "}");
    gd_http_json(r, 200);
}

static void session_delete(struct gd_req *r)
{
    const char *sess = gd_http_session_cookie(r);
    if (sess && r->via_cookie) {
        gd_svc_logout(r->svc, sess);
    }
    /* cleared under the name (and with the attributes) it was set with */
    gd_http_header(r, "Set-Cookie", session_cookie(r, "", 0));
    r->status = 204;
}

static void me(struct gd_req *r)
{
    struct gd_user u;
    struct gd_shop shop = {0};
    struct gd_err err = {0};
    const char *csrf = NULL;

    if (gd_svc_user_get(r->svc, r->actor.user_id, &r->a, &u, &err)) {
        gd_http_error(r, &err);
        return;
    }
    bool has_shop = false;
    if (u.shop_id &&
        found(gd_svc_shop_get(r->svc, u.shop_id, &r->a, &shop, &err), &has_shop, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (r->via_cookie) {
        struct gd_actor again;
        gd_svc_auth_session(r->svc, gd_http_session_cookie(r), &r->a, &again, &csrf, NULL, NULL);
    }
    gd_strbuf_adds(&r->out, "{\"user\":");
    gd_render_user(&r->out, &u, has_shop ? shop.name : NULL);
    gd_strbuf_adds(&r->out, ",\"csrf_token\":");
    if (csrf) {
        gd_strbuf_add_json_str(&r->out, csrf);
    } else {
        gd_strbuf_adds(&r->out, "null");
    }
    gd_strbuf_adds(&r->out, "}");
    gd_http_json(r, 200);
}

/* ---- orders ---- */

static void order_put(struct gd_req *r)
{
    static const char *const allowed[] = {"buyer_nick", "status",     "paid_amount",
                                          "items",      "created_at", NULL};
    struct gd_order o = {0};
    struct gd_err err = {0};
    bool created, present;
    json_t *o_json = gd_http_body_object(r, allowed);

    if (!o_json || gd_in_str(r, o_json, "buyer_nick", true, 64, &o.buyer_nick) ||
        gd_in_str(r, o_json, "status", true, 16, &o.status) ||
        gd_in_int(r, o_json, "paid_amount", true, 0, 100000000000LL, &o.paid_amount, NULL) ||
        gd_in_time(r, o_json, "created_at", &o.created_at, &present)) {
        return;
    }
    json_t *items = json_object_get(o_json, "items");
    if (items && !json_is_array(items)) {
        gd_http_fail(r, "validation_failed", "items", "items must be an array");
        return;
    }
    o.items = "[]";
    if (items) {
        char *text = json_dumps(items, JSON_COMPACT);
        o.items = gd_arena_strdup(&r->a, text);
        free(text);
    }
    o.order_no = r->params[0];
    if (gd_svc_order_upsert(r->svc, &r->actor, &o, &r->a, &created, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_render_order(&r->out, &o);
    gd_http_json(r, created ? 201 : 200);
}

static void order_get(struct gd_req *r)
{
    struct gd_order o;
    struct gd_err err = {0};
    if (gd_svc_order_get(r->svc, &r->actor, r->params[0], &r->a, &o, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_render_order(&r->out, &o);
    gd_http_json(r, 200);
}

/* MHD hands over the query's bytes as decoded (q=%FF is one 0xFF byte): check they are text
 * before they reach a search or a comparison that would quietly match nothing. */
static int query_str(struct gd_req *r, const char *name, size_t max, const char **out)
{
    *out = gd_http_query(r, name);
    if (*out && !gd_utf8_valid(*out, strlen(*out))) {
        gd_http_fail(r, "validation_failed", name, "%s must be UTF-8 text", name);
        return -1;
    }
    if (*out && (!**out || strlen(*out) > max * 4 || gd_utf8_len(*out) > max)) {
        gd_http_fail(r, "validation_failed", name, "%s must be 1 to %zu characters", name, max);
        return -1;
    }
    return 0;
}

static int query_limit(struct gd_req *r, int def, int *out)
{
    const char *s = gd_http_query(r, "limit");
    char *end;
    *out = def;
    if (!s) {
        return 0;
    }
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 1 || v > 200) {
        gd_http_fail(r, "validation_failed", "limit", "limit must be 1 to 200");
        return -1;
    }
    *out = (int)v;
    return 0;
}

static void orders_search(struct gd_req *r)
{
    struct gd_order *rows;
    int n, limit;
    struct gd_err err = {0};
    const char *q;

    /* checked here for every caller: the service skips the search (and its checks) for a
     * caller who may not read orders */
    if (query_str(r, "q", 64, &q) || query_limit(r, 20, &limit)) {
        return;
    }
    if (gd_svc_orders_search(r->svc, &r->actor, q, limit, &r->a, &rows, &n, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_list(r, rows, n, sizeof(*rows), gd_render_order_item, NULL, NULL);
}

static void import_error_item(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct gd_import_error *e = item;
    (void)ctx;
    gd_strbuf_addf(sb, "{\"line\":%d,\"reason\":", e->line);
    gd_strbuf_add_json_str(sb, e->reason);
    gd_strbuf_addch(sb, '}');
}

bool gd_http__import_headers(struct gd_req *r)
{
    struct gd_err err = {0};
    const char *ct = gd_http_header_in(r, "Content-Type");
    if (!ct || strncmp(ct, "text/csv", 8) != 0) {
        gd_http_fail(r, "unsupported_media_type", "Content-Type",
                     "send the CSV file as the body with Content-Type: text/csv");
        return false;
    }
    if (gd_svc_import_admits(r->actor.shop_id, &err)) {
        gd_http_error(r, &err);
        return false;
    }
    return true;
}

static void orders_import(struct gd_req *r)
{
    struct gd_import_report *rep = gd_arena_zalloc(&r->a, sizeof(*rep));
    struct gd_err err = {0};

    if (gd_svc_orders_import_csv(r->svc, r->actor.shop_id, r->body.buf, r->body.len, rep, NULL,
                                 &err) &&
        !rep->stopped_at_line) {
        gd_http_error(r, &err);
        return;
    }
    gd_strbuf_addch(&r->out, '{');
    if (rep->stopped_at_line) {
        /* a database failure mid-way: the chunks before it are stored, and the caller must know
         * which lines to send again (details of the failure are in the log) */
        gd_log(GD_LOG_ERROR, "import stopped rid=%s line=%d msg=%s", r->request_id,
               rep->stopped_at_line, err.msg);
        gd_strbuf_addf(&r->out,
                       "\"error\":{\"code\":\"internal\",\"message\":\"the import "
                       "stopped at line %d on a database error: the %d rows before it are stored, "
                       "nothing from line %d on\",\"request_id\":",
                       rep->stopped_at_line, rep->stored, rep->stopped_at_line);
        gd_strbuf_add_json_str(&r->out, r->request_id);
        gd_strbuf_addf(&r->out, "},\"stopped_at_line\":%d,", rep->stopped_at_line);
    }
    gd_strbuf_addf(&r->out, "\"rows\":%d,\"stored\":%d,\"rejected\":%d,\"errors\":", rep->rows,
                   rep->stored, rep->rejected);
    gd_render_array(&r->out, rep->errors, rep->rejected < 100 ? rep->rejected : 100,
                    sizeof(*rep->errors), import_error_item, NULL);
    gd_strbuf_addch(&r->out, '}');
    gd_http_json(r, rep->stopped_at_line ? 500 : 200);
}

/* ---- work orders ---- */

static void wo_create(struct gd_req *r)
{
    static const char *const allowed[] = {"type",     "title",    "content",        "handler_id",
                                          "priority", "deadline", "order_no",       "buyer_nick",
                                          "custom",   "fields",   "attachment_ids", NULL};
    struct gd_wo_input in = {.priority = -1};
    int64_t ids[GD_COLLAB_MAX_IDS];
    struct gd_workorder wo;
    struct gd_err err = {0};
    const char *replay = NULL;
    char types[256];
    /* every type but collab, which opens a case (gd_http_collab_create), and the shop's own */
    const char *creatable = gd_arena_printf(&r->a,
                                            "%s, or a key of the shop's own types "
                                            "(GET /api/v1/workorder_types)",
                                            gd_type_list(types, sizeof(types), GD_TYPE_COLLAB));
    json_t *o;

    if (gd_http_collab_wanted(r)) {
        gd_http_collab_create(r);
        return;
    }
    o = gd_http_body_object(r, allowed);
    if (!o || gd_in_enum(r, o, "type", true, gd_type_parse, creatable, &in.type) ||
        gd_in_str(r, o, "title", true, GD_TITLE_MAX, &in.title) ||
        gd_in_str(r, o, "content", false, GD_CONTENT_MAX, &in.content) ||
        gd_in_id(r, o, "handler_id", false, &in.handler_id) ||
        gd_in_enum(r, o, "priority", false, gd_priority_parse, "low, normal, high, urgent",
                   &in.priority) ||
        gd_in_time(r, o, "deadline", &in.deadline_at, &in.has_deadline) ||
        gd_in_str(r, o, "order_no", false, 64, &in.order_no) ||
        gd_in_str(r, o, "buyer_nick", false, 64, &in.buyer_nick) ||
        gd_in_ids(r, o, "attachment_ids", GD_COLLAB_MAX_IDS, ids, &in.nattachments)) {
        return;
    }
    in.attachment_ids = ids;
    if (gd_in_object(r, o, "custom", 50, 8192, &in.custom)) {
        return;
    }
    if (gd_in_object(r, o, "fields", GD_FIELDS_PER_TYPE_MAX, 65536, &in.fields) ||
        gd_http_idem_key(r, &in.idem_key, &in.idem_digest)) {
        return;
    }
    if (gd_svc_workorder_create(r->svc, &r->actor, &in, gd_http_render_created, r, &r->a, &wo,
                                &replay, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_respond_created(r, &wo, replay);
}

/* Platform-internal notes are not for the shop (gd_http_collab_event_hidden); ctx: the request. */
static bool event_shown(const void *ev, void *r) { return !gd_http_collab_event_hidden(r, ev); }

static void wo_get(struct gd_req *r)
{
    struct gd_workorder wo;
    struct gd_order order;
    struct gd_shop shop;
    struct gd_attachment *atts;
    int natts;
    struct gd_event *evs;
    struct gd_err err = {0};
    char allowed[256];
    int64_t id;
    int n;

    if (gd_http_param_id(r, 0, &id)) {
        return;
    }
    if (gd_svc_workorder_get(r->svc, &r->actor, id, &r->a, &wo, &err) ||
        gd_svc_workorder_events(r->svc, &wo, &r->a, &evs, &n, &err) ||
        gd_svc_workorder_attachments(r->svc, &wo, &r->a, &atts, &natts, &err)) {
        gd_http_error(r, &err);
        return;
    }
    /* the order and the shop are looked up, not required: absent renders null, a failed read
     * fails the request rather than passing for absent */
    bool has_order = false, has_shop = false;
    if (found(gd_svc_workorder_order(r->svc, &wo, &r->a, &order, &err), &has_order, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (found(gd_svc_shop_get(r->svc, wo.shop_id, &r->a, &shop, &err), &has_shop, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_strbuf_adds(&r->out, "{\"workorder\":");
    if (gd_http_render_workorder(r, &r->out, &wo, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_strbuf_adds(&r->out, ",\"order\":");
    if (has_order) {
        gd_render_order(&r->out, &order);
    } else {
        gd_strbuf_adds(&r->out, "null");
    }
    gd_strbuf_adds(&r->out, ",\"shop\":");
    if (has_shop) {
        gd_strbuf_adds(&r->out, "{\"id\":");
        gd_render_id(&r->out, shop.id);
        gd_strbuf_adds(&r->out, ",\"name\":");
        gd_strbuf_add_json_str(&r->out, shop.name);
        gd_strbuf_addch(&r->out, '}');
    } else {
        gd_strbuf_adds(&r->out, "null");
    }
    gd_strbuf_adds(&r->out, ",\"attachments\":");
    gd_render_array(&r->out, atts, natts, sizeof(*atts), gd_render_attachment_item, NULL);
    gd_strbuf_adds(&r->out, ",\"events\":");
    gd_render_array_kept(&r->out, evs, n, sizeof(*evs), event_shown, gd_render_event_item, r);
    gd_strbuf_adds(&r->out, ",\"allowed_actions\":");
    gd_svc_allowed_actions(&r->actor, &wo, allowed, sizeof(allowed));
    gd_render_names(&r->out, allowed);
    gd_strbuf_addch(&r->out, '}');
    gd_http_etag(r, wo.version);
    gd_http_json(r, 200);
}

static const char *const f_files[] = {"attachment_ids", NULL};

/* One handler for every action; the body fields depend on the action. A note's text may be
 * left out when it brings files (attachment_ids); POST .../attachments (f_files) is such a
 * note, and needs them. */
static void wo_act(struct gd_req *r, int action, const char *const *allowed)
{
    struct gd_act_input in = {.action = action, .priority = -1};
    int64_t ids[GD_COLLAB_MAX_IDS];
    bool files_only = allowed == f_files;
    struct gd_workorder wo;
    struct gd_err err = {0};
    int64_t id;
    json_t *o = NULL;

    if (gd_http_param_id(r, 0, &id) || gd_http_if_match(r, &in.if_match)) {
        return;
    }
    if (r->body.len || action == GD_ACT_NOTE || action == GD_ACT_TRANSFER ||
        action == GD_ACT_ASSIGN || action == GD_ACT_EDIT) {
        o = gd_http_body_object(r, allowed);
        if (!o) {
            return;
        }
    }
    if (o && gd_in_ids(r, o, "attachment_ids", GD_COLLAB_MAX_IDS, ids, &in.nattachments)) {
        return;
    }
    if (files_only && !in.nattachments) {
        gd_http_fail(r, "validation_failed", "attachment_ids",
                     "attachment_ids is required: the ids of your uploads (POST "
                     "/api/v1/attachments)");
        return;
    }
    in.attachment_ids = ids;
    if (o && (gd_in_id(r, o, "to", action == GD_ACT_ASSIGN || action == GD_ACT_TRANSFER, &in.to) ||
              gd_in_str(r, o, "reason", action == GD_ACT_TRANSFER, GD_NOTE_MAX, &in.reason) ||
              gd_in_str(r, o, "text", action == GD_ACT_NOTE && !in.nattachments, GD_NOTE_MAX,
                        &in.text) ||
              gd_in_str(r, o, "title", false, GD_TITLE_MAX, &in.title) ||
              gd_in_str(r, o, "content", false, GD_CONTENT_MAX, &in.content) ||
              gd_in_enum(r, o, "priority", false, gd_priority_parse, "low, normal, high, urgent",
                         &in.priority) ||
              gd_in_time(r, o, "deadline", &in.deadline_at, &in.has_deadline) ||
              gd_in_object(r, o, "fields", GD_FIELDS_PER_TYPE_MAX, 65536, &in.fields))) {
        return;
    }
    if (gd_svc_workorder_act(r->svc, &r->actor, id, &in, &r->a, &wo, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_etag(r, wo.version);
    gd_render_workorder(&r->out, &wo);
    gd_http_json(r, 200);
}

static const char *const f_none[] = {NULL};
static const char *const f_to[] = {"to", "reason", NULL};
static const char *const f_text[] = {"text", NULL};
static const char *const f_note[] = {"text", "attachment_ids", NULL};
static const char *const f_reason[] = {"reason", NULL};
static const char *const f_edit[] = {"title", "content", "priority", "deadline", "fields", NULL};

static void wo_assign(struct gd_req *r) { wo_act(r, GD_ACT_ASSIGN, f_to); }
static void wo_transfer(struct gd_req *r) { wo_act(r, GD_ACT_TRANSFER, f_to); }
static void wo_note(struct gd_req *r) { wo_act(r, GD_ACT_NOTE, f_note); }
static void wo_attach(struct gd_req *r) { wo_act(r, GD_ACT_NOTE, f_files); }
static void wo_chase(struct gd_req *r) { wo_act(r, GD_ACT_CHASE, f_text); }
static void wo_start(struct gd_req *r) { wo_act(r, GD_ACT_START, f_none); }
static void wo_complete(struct gd_req *r) { wo_act(r, GD_ACT_COMPLETE, f_text); }
static void wo_reopen(struct gd_req *r) { wo_act(r, GD_ACT_REOPEN, f_reason); }
static void wo_cancel(struct gd_req *r) { wo_act(r, GD_ACT_CANCEL, f_reason); }
static void wo_edit(struct gd_req *r) { wo_act(r, GD_ACT_EDIT, f_edit); }
static void wo_wait_buyer(struct gd_req *r) { wo_act(r, GD_ACT_WAIT_BUYER, f_text); }

/* Query time filter: RFC 3339 or a date (midnight, shop time: the actor's shop's offset, read
 * on the first date; *tz starts below -1440 for "not read yet"). */
static int query_time(struct gd_req *r, const char *name, int *tz, int64_t *out)
{
    const char *s = gd_http_query(r, name);
    struct gd_err err = {0};
    *out = 0;
    if (!s) {
        return 0;
    }
    if (*tz < -1440 && gd_http_shop_tz(r, r->actor.shop_id, tz, &err)) {
        gd_http_error(r, &err);
        return -1;
    }
    if (!gd_time_parse(s, *tz, out)) {
        gd_http_fail(r, "validation_failed", name,
                     "%s must be a date (2026-01-02) or an RFC 3339 time", name);
        return -1;
    }
    return 0;
}

static int query_enum(struct gd_req *r, const char *name, int (*parse)(const char *),
                      const char *allowed, int *out)
{
    const char *s = gd_http_query(r, name);
    *out = -1;
    if (s && (*out = parse(s)) < 0) {
        gd_http_fail(r, "validation_failed", name, "%s must be one of: %s", name, allowed);
        return -1;
    }
    return 0;
}

static int sort_parse(const char *s)
{
    static const char *const names[] = {"deadline", "-deadline", "created",
                                        "-created", "shop",      "-shop"};
    for (int i = 0; i < 6; i++) {
        if (strcmp(s, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static void wo_list_render(struct gd_req *r);

struct field_filters {
    struct gd_req *r;
    struct gd_wo_filter *f;
};

/* field[<key>]=<value> (an OpenAPI deepObject): the service resolves the key among the shop's
 * fields and the value by the field's kind; a refusal is answered here. */
static int field_filter(void *ctx, const char *rest, const char *value)
{
    struct field_filters *x = ctx;
    struct gd_err err = {0};
    size_t n = strlen(rest);
    const char *name = gd_arena_printf(&x->r->a, "field[%s", rest), *v;

    if (n < 2 || rest[n - 1] != ']' || n > 34) {
        gd_http_fail(x->r, "validation_failed", name, "a field filter is field[<key>]=<value>");
        return -1;
    }
    if (query_str(x->r, name, GD_FIELD_TEXT_MAX, &v)) {
        return -1;
    }
    if (gd_svc_workorders_field_filter(x->r->svc, &x->r->actor,
                                       gd_arena_strndup(&x->r->a, rest, n - 1), value, x->f,
                                       &x->r->a, &err)) {
        gd_http_error(x->r, &err);
        return -1;
    }
    return 0;
}

/* The views are read far more often than the data changes: serve a rendered view again while
 * the generation of the user's shop has not moved (see viewcache.h). */
static void wo_list(struct gd_req *r)
{
    struct gd_strbuf key = GD_STRBUF_INIT;
    int64_t gen;

    if (!gd_viewcache_enabled() || gd_svc_view_generation(r->svc, &r->actor, &r->auth_gen, &gen)) {
        wo_list_render(r);
        return;
    }
    gd_viewcache_key(r, &key);
    if (gd_viewcache_get(r, key.buf, gen)) {
        gd_http_json(r, 200);
    } else {
        wo_list_render(r);
        if (r->status == 200) {
            gd_viewcache_put(r, key.buf, gen);
        }
    }
    gd_strbuf_release(&key);
}

/* What type= and state= allow, for their messages: the same for every request, so written once
 * rather than on every view. */
static pthread_once_t allowed_once = PTHREAD_ONCE_INIT;
static char allowed_types[320], allowed_states[256];

static void allowed_make(void)
{
    char types[256];
    snprintf(allowed_types, sizeof(allowed_types),
             "%s, or a key of the shop's own types (x-1000 ...)",
             gd_type_list(types, sizeof(types), GD_TYPE_COUNT));
    gd_state_list(allowed_states, sizeof(allowed_states));
}

int gd_http_wo_filter(struct gd_req *r, struct gd_wo_filter *f)
{
    int tz = INT_MIN;

    f->limit = 50;
    pthread_once(&allowed_once, allowed_make);
    if (query_enum(r, "view", gd_view_parse,
                   "todo, created, assigned, shop, overdue, "
                   "reassign, platform_verify, intervention, appeal_review",
                   &f->view) ||
        query_enum(r, "type", gd_type_parse, allowed_types, &f->type) ||
        query_enum(r, "state", gd_state_parse, allowed_states, &f->state) ||
        query_enum(r, "sort", sort_parse, "deadline, -deadline, created, -created, shop, -shop",
                   &f->sort) ||
        gd_http_query_id(r, "handler", &f->handler_id) ||
        gd_http_query_id(r, "creator", &f->creator_id) ||
        gd_http_query_id(r, "shop_id", &f->shop_id) || query_str(r, "order_no", 64, &f->order_no) ||
        query_str(r, "buyer", 64, &f->buyer) || query_str(r, "q", 100, &f->q) ||
        query_time(r, "created_from", &tz, &f->created_from) ||
        query_time(r, "created_to", &tz, &f->created_to) ||
        query_time(r, "deadline_from", &tz, &f->deadline_from) ||
        query_time(r, "deadline_to", &tz, &f->deadline_to) || query_limit(r, 50, &f->limit)) {
        return -1;
    }
    struct field_filters ff = {r, f};
    if (gd_http_query_each(r, "field[", field_filter, &ff)) {
        return -1;
    }
    if (f->view < 0) {
        f->view = GD_VIEW_TODO;
    }
    if (f->sort < 0) {
        f->sort = GD_SORT_DEADLINE;
    }
    return 0;
}

/* The page's next_cursor member: its last row's key in the list's order, null when the page is
 * not full. */
static const char *next_cursor(struct gd_req *r, const struct gd_wo_filter *f,
                               const struct gd_workorder *rows, int n)
{
    if (n != f->limit) {
        return "\"next_cursor\":null";
    }
    const struct gd_workorder *last = &rows[n - 1];
    bool by_due = f->sort == GD_SORT_DEADLINE || f->sort == GD_SORT_DEADLINE_DESC;
    bool by_shop = f->sort == GD_SORT_SHOP || f->sort == GD_SORT_SHOP_DESC;
    int64_t key = by_due ? gd_workorder_due_key(last) : by_shop ? last->shop_id : last->id;
    return gd_arena_printf(&r->a, "\"next_cursor\":\"%lld.%lld\"", (long long)key,
                           (long long)last->id);
}

/* A row of the page, rendered (kept or fresh). */
struct rendered_row {
    const char *json;
    size_t len;
};

static void rendered_row_item(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct rendered_row *row = item;
    (void)ctx;
    gd_strbuf_add(sb, row->json, row->len);
}

/* The page from its keys: the rows kept rendered at the same version and names are copied, the
 * others read in one call, rendered and kept. False (nothing written) when a row read differs
 * from its key, i.e. a write came between the two reads: the caller reads the page whole. */
static bool wo_list_kept(struct gd_req *r, struct gd_wo_filter *f)
{
    struct gd_workorder *keys, *rows;
    struct gd_err err = {0};
    struct gd_strbuf one = GD_STRBUF_INIT;
    int n, missing = 0;
    bool answered = true;

    if (gd_svc_workorders_list_keys(r->svc, &r->actor, f, &r->auth_gen, &r->a, &keys, &n, &err)) {
        gd_http_error(r, &err);
        return true;
    }
    struct rendered_row *page = gd_arena_alloc(&r->a, sizeof(*page) * (size_t)(n + 1));
    const struct gd_workorder **miss = gd_arena_alloc(&r->a, sizeof(*miss) * (size_t)(n + 1));
    int *at = gd_arena_alloc(&r->a, sizeof(*at) * (size_t)(n + 1));
    int64_t now = gd_clock_now_ms(); /* after the keys: a mark before them is seen (rowcache.h) */
    for (int i = 0; i < n; i++) {
        if (!gd_rowcache_get(&keys[i], now, &r->a, &page[i].json, &page[i].len)) {
            miss[missing] = &keys[i];
            at[missing++] = i;
        }
    }
    if (missing) {
        rows = gd_arena_alloc(&r->a, sizeof(*rows) * (size_t)missing);
        if (gd_svc_workorders_list_rows(r->svc, miss, missing, &r->a, rows, &err)) {
            gd_http_error(r, &err);
            return true;
        }
        for (int j = 0; j < missing && answered; j++) {
            answered = gd_rowcache_is_same(&rows[j], miss[j]);
            if (answered) {
                gd_strbuf_reset(&one);
                gd_render_workorder(&one, &rows[j]);
                gd_rowcache_put(&rows[j], one.buf, one.len);
                page[at[j]].json = gd_arena_strndup(&r->a, one.buf, one.len);
                page[at[j]].len = one.len;
            }
        }
        gd_strbuf_release(&one);
    }
    if (answered) {
        gd_strbuf_grow(&r->out, (size_t)n * 900 + 64);
        gd_http_list(r, page, n, sizeof(*page), rendered_row_item, NULL,
                     next_cursor(r, f, keys, n));
    }
    return answered;
}

static void wo_list_render(struct gd_req *r)
{
    struct gd_wo_filter f = {0};
    struct gd_workorder *rows;
    struct gd_err err = {0};
    int n;
    const char *cursor = gd_http_query(r, "cursor");

    if (gd_http_wo_filter(r, &f)) {
        return;
    }
    if (cursor) {
        /* "key.id" as next_cursor wrote it; checked strtoll, as sscanf's %lld is undefined on
         * overflow */
        char *dot, *end = NULL;
        errno = 0;
        long long k = strtoll(cursor, &dot, 10);
        long long i = *dot == '.' ? strtoll(dot + 1, &end, 10) : 0;
        if (dot == cursor || *dot != '.' || end == dot + 1 || *end || errno || i <= 0) {
            gd_http_fail(r, "validation_failed", "cursor",
                         "cursor must be the next_cursor of the previous page");
            return;
        }
        f.has_cursor = true;
        f.cursor_key = k;
        f.cursor_id = i;
    }
    if (gd_rowcache_enabled() && wo_list_kept(r, &f)) {
        return;
    }
    if (gd_svc_workorders_list(r->svc, &r->actor, &f, &r->a, &rows, &n, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_strbuf_grow(&r->out, (size_t)n * 900 + 64);
    gd_http_list(r, rows, n, sizeof(*rows), gd_render_workorder_item, NULL,
                 next_cursor(r, &f, rows, n));
}

static void wo_counts(struct gd_req *r)
{
    struct gd_counts c;
    struct gd_err err = {0};

    if (gd_svc_counts(r->svc, &r->actor, &r->a, &c, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (gd_role_is_platform(r->actor.role)) {
        gd_strbuf_addf(&r->out,
                       "{\"platform_verify\":%lld,\"intervention\":%lld,"
                       "\"appeal_review\":%lld}",
                       (long long)c.platform_verify, (long long)c.intervention,
                       (long long)c.appeal_review);
    } else {
        gd_strbuf_addf(&r->out,
                       "{\"todo\":%lld,\"created\":%lld,\"assigned\":%lld,"
                       "\"overdue\":%lld,\"due_soon\":%lld,\"collab_awaiting\":%lld,"
                       "\"shop\":",
                       (long long)c.todo, (long long)c.created, (long long)c.assigned,
                       (long long)c.overdue, (long long)c.due_soon, (long long)c.collab_awaiting);
        if (c.has_shop) {
            gd_strbuf_addf(&r->out, "%lld}", (long long)c.shop);
        } else {
            gd_strbuf_adds(&r->out, "null}");
        }
    }
    gd_http_json(r, 200);
}

const struct gd_route gd_routes_center[] = {
    {"POST", "/api/v1/session", session_create, GD_R_PUBLIC},
    {"DELETE", "/api/v1/session", session_delete, GD_R_PASSWORD_CHANGE},
    {"GET", "/api/v1/me", me, GD_R_PASSWORD_CHANGE},
    {"GET", "/api/v1/orders", orders_search, 0},
    {"POST", "/api/v1/orders/import", orders_import,
     GD_R_RAW_BODY | GD_R_CSV_BODY | GD_R_ORDERS_WRITE | GD_R_LONG_WRITE},
    {"PUT", "/api/v1/orders/{}", order_put, 0},
    {"GET", "/api/v1/orders/{}", order_get, 0},
    {"GET", "/api/v1/workorders", wo_list, 0},
    {"POST", "/api/v1/workorders", wo_create, GD_R_WRITE_WAITS},
    {"GET", "/api/v1/workorders/counts", wo_counts, 0},
    {"GET", "/api/v1/workorders/{}", wo_get, 0},
    {"PATCH", "/api/v1/workorders/{}", wo_edit, 0},
    {"POST", "/api/v1/workorders/{}/assign", wo_assign, 0},
    {"POST", "/api/v1/workorders/{}/transfer", wo_transfer, 0},
    {"POST", "/api/v1/workorders/{}/notes", wo_note, 0},
    {"POST", "/api/v1/workorders/{}/attachments", wo_attach, 0},
    {"POST", "/api/v1/workorders/{}/chase", wo_chase, 0},
    {"POST", "/api/v1/workorders/{}/start", wo_start, 0},
    {"POST", "/api/v1/workorders/{}/complete", wo_complete, 0},
    {"POST", "/api/v1/workorders/{}/reopen", wo_reopen, 0},
    {"POST", "/api/v1/workorders/{}/cancel", wo_cancel, 0},
    {"POST", "/api/v1/workorders/{}/wait_buyer", wo_wait_buyer, 0},
    {NULL, NULL, NULL, 0},
};
