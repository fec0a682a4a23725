/* Routes of statistics and export (issue 4): GET /api/v1/stats (and /stats/targets: time
 * targets met, docs/targets.md), POST /api/v1/exports,
 * GET /api/v1/exports/{id} and its file. Metric definitions are in docs/reports.md. */
#include "base/clock.h"
#include "base/id.h"
#include "base/timefmt.h"
#include "export/columns.h"
#include "http/req.h"

/* ---- statistics ---- */

/* YYYY-MM-DD as a civil day number; -1 after writing a 422. */
static int query_day(struct gd_req *r, const char *name, int64_t def, int64_t *out)
{
    const char *s = gd_http_query(r, name);
    int y, m, d, n = 0;

    *out = def;
    if (!s) {
        return 0;
    }
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || m < 1 ||
        m > 12 || d < 1 || d > 31 || y < 1970 || y > 9999) {
        gd_http_fail(r, "validation_failed", name, "%s must be a date such as 2026-01-02", name);
        return -1;
    }
    *out = gd_days_from_civil(y, m, d);
    return 0;
}

static void rate(struct gd_strbuf *sb, const char *key, int64_t num, int64_t den)
{
    if (den > 0) {
        gd_strbuf_addf(sb, ",\"%s\":%.10g", key, (double)num / (double)den);
    } else {
        gd_strbuf_addf(sb, ",\"%s\":null", key);
    }
}

static void seconds(struct gd_strbuf *sb, const char *key, int64_t s)
{
    if (s >= 0) {
        gd_strbuf_addf(sb, ",\"%s\":%lld", key, (long long)s);
    } else {
        gd_strbuf_addf(sb, ",\"%s\":null", key);
    }
}

static void render_figures(struct gd_strbuf *sb, const struct gd_stats_figures *f)
{
    const struct gd_stats_counts *n = &f->n;
    gd_strbuf_addf(sb,
                   "\"created\":%lld,\"done\":%lld,\"open\":%lld,\"overdue\":%lld,"
                   "\"transferred\":%lld,\"done_within_deadline\":%lld",
                   (long long)n->created, (long long)n->done, (long long)n->open,
                   (long long)n->overdue, (long long)n->transferred, (long long)n->within);
    seconds(sb, "first_action_p50_s", f->fa_p50);
    seconds(sb, "first_action_p90_s", f->fa_p90);
    seconds(sb, "done_p50_s", f->done_p50);
    seconds(sb, "done_p90_s", f->done_p90);
    rate(sb, "within_deadline_rate", n->within, n->done);
    gd_strbuf_addf(sb,
                   ",\"collab\":{\"count\":%lld,\"settled\":%lld,\"replied_within_window\":"
                   "%lld,\"intervened\":%lld,\"judged\":%lld,\"judged_against\":%lld,"
                   "\"appeals_decided\":%lld,\"appeals_overturned\":%lld,\"disputes\":%lld",
                   (long long)n->collab, (long long)n->settled, (long long)n->replied,
                   (long long)n->intervened, (long long)n->judged, (long long)n->against,
                   (long long)n->appeals, (long long)n->overturned, (long long)n->disputes);
    rate(sb, "reply_within_window_rate", n->replied, n->settled);
    rate(sb, "intervention_rate", n->intervened, n->collab);
    rate(sb, "judged_against_rate", n->against, n->judged);
    rate(sb, "appeal_success_rate", n->overturned, n->appeals);
    gd_strbuf_addch(sb, '}');
}

static void group_item(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct gd_stats_group_row *g = item;
    (void)ctx;
    gd_strbuf_adds(sb, "{\"key\":");
    gd_strbuf_add_json_str(sb, g->key);
    gd_strbuf_adds(sb, ",\"label\":");
    gd_strbuf_add_json_str(sb, g->label);
    gd_strbuf_addch(sb, ',');
    render_figures(sb, &g->f);
    gd_strbuf_addch(sb, '}');
}

static int group_parse(const char *s)
{
    static const char *const names[] = {"type", "handler", "day"};
    for (int i = 0; s && i < 3; i++) {
        if (strcmp(s, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static void stats(struct gd_req *r)
{
    struct gd_stats_query q = {.type = -1, .handler_id = -1};
    struct gd_stats_result res;
    struct gd_err err = {0};
    const char *s;
    int tz;
    int64_t today;

    s = gd_http_query(r, "shop_id");
    if (s && !(q.shop_id = gd_id_parse(s))) {
        gd_http_fail(r, "validation_failed", "shop_id", "shop_id must be a shop id");
        return;
    }
    /* "today" is the shop's: the actor's own, or the one asked about */
    if (gd_http_shop_tz(r, r->actor.shop_id ? r->actor.shop_id : q.shop_id, &tz, &err)) {
        gd_http_error(r, &err);
        return;
    }
    today = gd_stats_day(gd_clock_now_ms(), tz);
    if (query_day(r, "to", today, &q.day_to) || query_day(r, "from", q.day_to - 29, &q.day_from)) {
        return;
    }
    s = gd_http_query(r, "group");
    q.group = s ? group_parse(s) : GD_STATS_BY_TYPE;
    if (q.group < 0) {
        gd_http_fail(r, "validation_failed", "group",
                     "group must be one of: type, handler, "
                     "day");
        return;
    }
    s = gd_http_query(r, "type");
    if (s && (q.type = gd_type_parse(s)) < 0) {
        gd_http_fail(r, "validation_failed", "type", "type must be a work order type");
        return;
    }
    s = gd_http_query(r, "handler");
    if (s) {
        q.handler_id = strcmp(s, "none") == 0 ? 0 : gd_id_parse(s);
        if (!q.handler_id && strcmp(s, "none") != 0) {
            gd_http_fail(r, "validation_failed", "handler", "handler must be a user id or none");
            return;
        }
    }
    if (gd_svc_stats(r->svc, &r->actor, &q, &r->a, &res, &err)) {
        gd_http_error(r, &err);
        return;
    }
    int y, m, d;
    gd_civil_from_days(q.day_from, &y, &m, &d);
    gd_strbuf_addf(&r->out, "{\"from\":\"%04d-%02d-%02d\"", y, m, d);
    gd_civil_from_days(q.day_to, &y, &m, &d);
    gd_strbuf_addf(&r->out, ",\"to\":\"%04d-%02d-%02d\",\"group\":\"%s\",\"groups\":", y, m, d,
                   q.group == GD_STATS_BY_TYPE      ? "type"
                   : q.group == GD_STATS_BY_HANDLER ? "handler"
                                                    : "day");
    gd_render_array(&r->out, res.groups, res.ngroups, sizeof(*res.groups), group_item, NULL);
    gd_strbuf_adds(&r->out, ",\"totals\":{");
    render_figures(&r->out, &res.totals);
    gd_strbuf_addf(&r->out, "},\"orders\":%lld", (long long)res.orders);
    rate(&r->out, "dispute_rate", res.totals.n.disputes, res.orders);
    gd_strbuf_addch(&r->out, '}');
    gd_http_json(r, 200);
}

/* ---- time targets met (docs/targets.md) ---- */

static void target_half(struct gd_strbuf *sb, const char *key, int64_t met, int64_t missed)
{
    gd_strbuf_addf(sb, ",\"%s\":{\"met\":%lld,\"missed\":%lld", key, (long long)met,
                   (long long)missed);
    rate(sb, "met_rate", met, met + missed);
    gd_strbuf_addch(sb, '}');
}

static void target_row(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct gd_target_count *c = item;
    (void)ctx;
    if (c->type >= 0) {
        gd_strbuf_addf(sb, "{\"type\":\"%s\"", gd_type_name(c->type));
    } else {
        gd_strbuf_adds(sb, "{\"handler\":");
        gd_render_id(sb, c->handler_id);
    }
    target_half(sb, "first_response", c->fr_met, c->fr_missed);
    target_half(sb, "resolution", c->res_met, c->res_missed);
    gd_strbuf_addch(sb, '}');
}

/* Targets met of the work orders created from `from` to `to` (days of the shop, the last 30 by
 * default, as GET /stats), by type and by handler. */
static void target_stats(struct gd_req *r)
{
    struct gd_target_stats res;
    struct gd_err err = {0};
    int64_t day_from, day_to;
    int tz, y, m, d;

    if (gd_http_shop_tz(r, r->actor.shop_id, &tz, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (query_day(r, "to", gd_stats_day(gd_clock_now_ms(), tz), &day_to) ||
        query_day(r, "from", day_to - 29, &day_from)) {
        return;
    }
    int64_t off = (int64_t)tz * 60000, day_ms = 86400000;
    if (gd_svc_target_stats(r->svc, &r->actor, day_from * day_ms - off, (day_to + 1) * day_ms - off,
                            &r->a, &res, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_civil_from_days(day_from, &y, &m, &d);
    gd_strbuf_addf(&r->out, "{\"from\":\"%04d-%02d-%02d\"", y, m, d);
    gd_civil_from_days(day_to, &y, &m, &d);
    gd_strbuf_addf(&r->out, ",\"to\":\"%04d-%02d-%02d\",\"by_type\":", y, m, d);
    gd_render_array(&r->out, res.by_type, res.ntypes, sizeof(*res.by_type), target_row, NULL);
    gd_strbuf_adds(&r->out, ",\"by_handler\":");
    gd_render_array(&r->out, res.by_handler, res.nhandlers, sizeof(*res.by_handler), target_row,
                    NULL);
    gd_strbuf_addch(&r->out, '}');
    gd_http_json(r, 200);
}

/* ---- exports ---- */

static void render_job(struct gd_strbuf *sb, const struct gd_export_job *j)
{
    gd_strbuf_adds(sb, "{\"id\":");
    gd_render_id(sb, j->id);
    gd_strbuf_addf(sb,
                   ",\"state\":\"%s\",\"rows_done\":%lld,\"rows_total\":%lld,\"format\":\"%s\","
                   "\"file_name\":",
                   j->state, (long long)j->rows_done, (long long)j->rows_total, j->format);
    if (j->file_name) {
        gd_strbuf_add_json_str(sb, j->file_name);
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"error\":");
    if (j->error) {
        gd_strbuf_add_json_str(sb, j->error);
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"created_at\":");
    gd_render_time(sb, j->created_at);
    gd_strbuf_adds(sb, ",\"finished_at\":");
    gd_render_time(sb, j->finished_at);
    if (strcmp(j->state, "done") == 0) {
        gd_strbuf_addf(sb, ",\"file_url\":\"/api/v1/exports/%lld/file\"}", (long long)j->id);
    } else {
        gd_strbuf_adds(sb, ",\"file_url\":null}");
    }
}

static int body_time(struct gd_req *r, json_t *o, const char *name, int64_t *out)
{
    bool present;
    return gd_in_time(r, o, name, out, &present);
}

/* The answer to a create, kept with its Idempotency-Key. */
static char *render_created(void *ctx, const void *job)
{
    struct gd_strbuf sb = GD_STRBUF_INIT;
    (void)ctx;
    render_job(&sb, job);
    return gd_strbuf_detach(&sb, NULL);
}

static void export_create(struct gd_req *r)
{
    static const char *const allowed[] = {
        "format",     "headers",       "view",        "type",  "state",
        "handler",    "creator",       "order_no",    "buyer", "created_from",
        "created_to", "deadline_from", "deadline_to", "q",     NULL};
    struct gd_export_params p = {0};
    struct gd_export_job job;
    struct gd_err err = {0};
    const char *format = NULL, *headers = NULL;
    struct gd_idem idem = {.status = 202, .render = render_created, .ctx = NULL};
    json_t *o = gd_http_body_object(r, allowed);

    p.filter.type = p.filter.state = -1;
    if (!o || gd_in_str(r, o, "format", false, 8, &format) ||
        gd_in_str(r, o, "headers", false, 8, &headers) ||
        gd_in_enum(r, o, "view", false, gd_view_parse, "todo, created, assigned, shop, overdue",
                   &p.filter.view) ||
        gd_in_enum(r, o, "type", false, gd_type_parse,
                   "order_review, shipping, waybill, out_of_stock, after_sales, customer_memo, "
                   "task_memo, collab, or a key of the shop's own types (x-1000 ...)",
                   &p.filter.type) ||
        gd_in_enum(r, o, "state", false, gd_state_parse,
                   "open, in_progress, done, cancelled, "
                   "awaiting_seller, platform_verify, intervention, judged, appeal_review, "
                   "resolved, final, waiting_buyer",
                   &p.filter.state) ||
        gd_in_id(r, o, "handler", false, &p.filter.handler_id) ||
        gd_in_id(r, o, "creator", false, &p.filter.creator_id) ||
        gd_in_str(r, o, "order_no", false, 64, &p.filter.order_no) ||
        gd_in_str(r, o, "buyer", false, 64, &p.filter.buyer) ||
        gd_in_str(r, o, "q", false, 100, &p.filter.q) ||
        body_time(r, o, "created_from", &p.filter.created_from) ||
        body_time(r, o, "created_to", &p.filter.created_to) ||
        body_time(r, o, "deadline_from", &p.filter.deadline_from) ||
        body_time(r, o, "deadline_to", &p.filter.deadline_to)) {
        return;
    }
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
        gd_http_fail(r, "validation_failed", "format", "format must be csv or xlsx");
        return;
    }
    if (headers && strcmp(headers, "zh") != 0 && strcmp(headers, "en") != 0) {
        gd_http_fail(r, "validation_failed", "headers", "headers must be zh or en");
        return;
    }
    p.format = format && strcmp(format, "xlsx") == 0;
    p.lang = headers && strcmp(headers, "en") == 0 ? GD_LANG_EN : GD_LANG_ZH;
    if (p.filter.q && !*p.filter.q) {
        p.filter.q = NULL;
    }
    if (gd_http_idem_key(r, &idem.key, &idem.digest)) {
        return;
    }
    /* a request sending the key again gets the first answer and queues nothing new */
    if (gd_svc_export_create(r->svc, &r->actor, &p, &idem, &r->a, &job, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (idem.replay) {
        gd_http_replay(r, 202, idem.replay, "/api/v1/exports/", false);
        return;
    }
    gd_server_nudge_exports(r->srv);
    render_job(&r->out, &job);
    gd_http_header(r, "Location",
                   gd_arena_printf(&r->a, "/api/v1/exports/%lld", (long long)job.id));
    gd_http_json(r, 202);
}

static int load_job(struct gd_req *r, struct gd_export_job *job)
{
    struct gd_err err = {0};
    int64_t id;

    if (gd_http_param_id(r, 0, &id)) {
        return -1;
    }
    if (gd_svc_export_get(r->svc, &r->actor, id, &r->a, job, &err)) {
        gd_http_error(r, &err);
        return -1;
    }
    return 0;
}

static void export_get(struct gd_req *r)
{
    struct gd_export_job job;
    if (load_job(r, &job)) {
        return;
    }
    render_job(&r->out, &job);
    gd_http_json(r, 200);
}

static void export_file(struct gd_req *r)
{
    struct gd_export_job job;
    struct gd_svc_blob file;
    struct gd_err err = {0};
    int ret;

    if (load_job(r, &job)) {
        return;
    }
    if (strcmp(job.state, "expired") == 0) {
        gd_http_fail(r, "gone", NULL,
                     "the export file was removed %d days after the export "
                     "finished (retention); export again",
                     (int)(GD_RETAIN_EXPORT_MS / (24 * 3600 * 1000LL)));
        return;
    }
    if (strcmp(job.state, "done") != 0 || !job.path) {
        gd_http_fail(r, "not_ready", NULL,
                     "the export is %s; the file is there once it is "
                     "done",
                     job.state);
        return;
    }
    if ((ret = gd_svc_export_file(r->svc, gd_server_data_dir(r->srv), &job, &file, &err))) {
        if (ret == GD_ENOTFOUND) {
            gd_http_fail(r, "gone", NULL, "the export file is no longer there; export again");
        } else {
            gd_http_error(r, &err);
        }
        return;
    }
    gd_http_send_blob(r, &file);
    MHD_add_response_header(r->response, "Content-Type",
                            strcmp(job.format, "xlsx") == 0
                                ? "application/vnd.openxmlformats-officedocument.spreadsheetml."
                                  "sheet"
                                : "text/csv; charset=utf-8");
    MHD_add_response_header(r->response, "Content-Disposition",
                            gd_arena_printf(&r->a, "attachment; filename=\"%s\"", job.file_name));
    MHD_add_response_header(r->response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r->response, "Cache-Control", "private, no-store");
}

const struct gd_route gd_routes_reports[] = {
    {"GET", "/api/v1/stats", stats, 0},
    {"GET", "/api/v1/stats/targets", target_stats, 0},
    {"POST", "/api/v1/exports", export_create, 0},
    {"GET", "/api/v1/exports/{}", export_get, 0},
    {"GET", "/api/v1/exports/{}/file", export_file, 0},
    {NULL, NULL, NULL, 0},
};
