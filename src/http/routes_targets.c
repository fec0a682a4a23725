/* Routes of time targets (docs/targets.md): a shop's hours and per-type targets
 * (GET/PUT /api/v1/targets) and one work order's targets as they stand
 * (GET /api/v1/workorders/{id}/targets). Their statistics are with the others (routes_reports). */
#include <limits.h>
#include "http/req.h"

static void hhmm(struct gd_strbuf *sb, const char *key, int min)
{
    gd_strbuf_addf(sb, "\"%s\":\"%02d:%02d\"", key, min / 60, min % 60);
}

static void render_hours(struct gd_strbuf *sb, int start_min, int end_min)
{
    gd_strbuf_adds(sb, "{");
    hhmm(sb, "start", start_min);
    gd_strbuf_adds(sb, ",");
    hhmm(sb, "end", end_min);
    gd_strbuf_adds(sb, "}");
}

static void render_policy(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct gd_target_policy *p = item;
    (void)ctx;
    gd_strbuf_addf(sb,
                   "{\"type\":\"%s\",\"first_response_minutes\":%d,\"resolution_minutes\":%d,"
                   "\"remind_before_minutes\":%d,\"escalate_to_queue\":%s}",
                   gd_type_name(p->type), p->first_response_min, p->resolution_min,
                   p->remind_before_min, p->escalate_to_queue ? "true" : "false");
}

static void render_settings(struct gd_req *r, const struct gd_target_settings *s)
{
    gd_strbuf_adds(&r->out, "{\"hours\":");
    render_hours(&r->out, s->start_min, s->end_min);
    gd_strbuf_adds(&r->out, ",\"types\":");
    gd_render_array(&r->out, s->policies, s->n, sizeof(s->policies[0]), render_policy, NULL);
    gd_strbuf_adds(&r->out, "}");
    gd_http_json(r, 200);
}

static void settings_get(struct gd_req *r)
{
    struct gd_target_settings s;
    struct gd_err err = {0};

    if (gd_svc_targets_get(r->svc, &r->actor, &s, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_settings(r, &s);
}

/* "HH:MM" as minutes after midnight (24:00 allowed for the end); -1 after writing a 422. */
static int in_hhmm(struct gd_req *r, json_t *hours, const char *name, int *out)
{
    const char *s;
    int h, m, n = 0;
    char field[16];

    snprintf(field, sizeof(field), "hours.%s", name);
    if (gd_in_str(r, hours, name, true, 5, &s)) {
        return -1;
    }
    if (strlen(s) != 5 || sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || h < 0 || h > 24 ||
        m < 0 || m > 59 || (h == 24 && m != 0)) {
        gd_http_fail(r, "validation_failed", field, "%s must be a time of day such as 09:00",
                     field);
        return -1;
    }
    *out = h * 60 + m;
    return 0;
}

/* One policy of the body; its ranges are the service's to check, which names the field with
 * its place (types[2].resolution_minutes). */
static int in_policy(struct gd_req *r, json_t *o, int i, struct gd_target_policy *p)
{
    static const char *const names[] = {"type",
                                        "first_response_minutes",
                                        "resolution_minutes",
                                        "remind_before_minutes",
                                        "escalate_to_queue",
                                        NULL};
    int64_t fr = 0, res = 0, before = 0;
    int escalate = 0, type;
    const char *key;

    if (gd_in_fields_known(r, o, names, gd_arena_printf(&r->a, "types[%d]", i))) {
        return -1;
    }
    if (gd_in_str(r, o, "type", true, 64, &key)) {
        return -1;
    }
    /* a built-in key or a shop's (x-1000): which of them this shop has is the service's check */
    if ((type = gd_type_parse(key)) < 0) {
        gd_http_fail(r, "validation_failed", gd_arena_printf(&r->a, "types[%d].type", i),
                     "types[%d].type: no work order type '%s'", i, key);
        return -1;
    }
    if (gd_in_int(r, o, "first_response_minutes", false, INT_MIN, INT_MAX, &fr, NULL) ||
        gd_in_int(r, o, "resolution_minutes", false, INT_MIN, INT_MAX, &res, NULL) ||
        gd_in_int(r, o, "remind_before_minutes", false, INT_MIN, INT_MAX, &before, NULL) ||
        gd_in_bool(r, o, "escalate_to_queue", &escalate)) {
        return -1;
    }
    *p = (struct gd_target_policy){type, (int)fr, (int)res, (int)before, escalate == 1};
    return 0;
}

static void settings_put(struct gd_req *r)
{
    static const char *const allowed[] = {"hours", "types", NULL};
    struct gd_target_settings in = {0}, out;
    struct gd_err err = {0};
    json_t *o = gd_http_body_object(r, allowed), *hours, *types, *v;
    size_t i;

    if (!o) {
        return;
    }
    hours = json_object_get(o, "hours");
    types = json_object_get(o, "types");
    if (!json_is_object(hours) || json_object_size(hours) != 2 ||
        !json_object_get(hours, "start") || !json_object_get(hours, "end")) {
        gd_http_fail(r, "validation_failed", "hours",
                     "hours is required: {\"start\": \"09:00\", \"end\": \"18:00\"}");
        return;
    }
    if (in_hhmm(r, hours, "start", &in.start_min) || in_hhmm(r, hours, "end", &in.end_min)) {
        return;
    }
    if (!json_is_array(types) || json_array_size(types) > GD_TARGET_POLICY_MAX) {
        gd_http_fail(r, "validation_failed", "types",
                     "types must be an array of at most %d targets, one per type",
                     GD_TARGET_POLICY_MAX);
        return;
    }
    json_array_foreach (types, i, v) {
        if (!json_is_object(v)) {
            gd_http_fail(r, "validation_failed", "types", "types[%zu] must be an object", i);
            return;
        }
        if (in_policy(r, v, (int)i, &in.policies[in.n++])) {
            return;
        }
    }
    if (gd_svc_targets_put(r->svc, &r->actor, &in, &out, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_settings(r, &out);
}

static void render_outcome(struct gd_strbuf *sb, int outcome)
{
    gd_strbuf_addf(sb, ",\"outcome\":\"%s\"", gd_target_outcome_name(outcome));
}

static void workorder_targets(struct gd_req *r)
{
    struct gd_targets_view v;
    struct gd_err err = {0};
    struct gd_strbuf *sb = &r->out;
    const struct gd_wo_target *t = &v.t;
    bool has;
    int64_t id;

    if (gd_http_param_id(r, 0, &id)) {
        return;
    }
    if (gd_svc_workorder_targets(r->svc, &r->actor, id, &r->a, &v, &has, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (!has) {
        gd_strbuf_adds(sb, "{\"rule\":null,\"hours\":null,\"first_response\":null,"
                           "\"resolution\":null}");
        gd_http_json(r, 200);
        return;
    }
    gd_strbuf_addf(sb, "{\"rule\":\"%s\",\"hours\":", gd_type_name(v.type));
    render_hours(sb, t->start_min, t->end_min);
    gd_strbuf_adds(sb, ",\"first_response\":");
    if (t->policy.first_response_min) {
        gd_strbuf_addf(sb, "{\"minutes\":%d,\"due_at\":", t->policy.first_response_min);
        gd_render_time(sb, t->fr_due);
        render_outcome(sb, t->fr_outcome);
        gd_strbuf_addf(sb, ",\"left_seconds\":%lld,\"at\":", (long long)(v.fr_left_ms / 1000));
        gd_render_time(sb, t->fr_at);
        gd_strbuf_adds(sb, ",\"by\":");
        gd_render_id(sb, t->fr_by);
        gd_strbuf_adds(sb, "}");
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"resolution\":");
    if (t->policy.resolution_min) {
        gd_strbuf_addf(sb, "{\"minutes\":%d,\"due_at\":", t->policy.resolution_min);
        gd_render_time(sb, t->res_due);
        render_outcome(sb, t->res_outcome);
        gd_strbuf_addf(sb, ",\"left_seconds\":%lld,\"paused\":%s,\"paused_seconds\":%lld}",
                       (long long)(v.res_left_ms / 1000), v.paused ? "true" : "false",
                       (long long)(v.paused_ms / 1000));
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, "}");
    gd_http_json(r, 200);
}

const struct gd_route gd_routes_targets[] = {
    {"GET", "/api/v1/targets", settings_get, 0},
    {"PUT", "/api/v1/targets", settings_put, 0},
    {"GET", "/api/v1/workorders/{}/targets", workorder_targets, 0},
    {0},
};
