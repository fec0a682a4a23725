/* Routes of assignment rules and availability (docs/assignment.md): the owner's and leads'
 * rules per work order type, each person's own status, and the team's availability. */
#include "core/assign.h"
#include "http/req.h"

static void render_rule(struct gd_strbuf *sb, const struct gd_assign_rule *x)
{
    json_t *members = json_loads(x->members, 0, NULL), *m;
    size_t i;

    gd_strbuf_adds(sb, "{\"type\":");
    gd_strbuf_add_json_str(sb, x->type_key);
    gd_strbuf_adds(sb, ",\"kind\":");
    gd_strbuf_add_json_str(sb, x->kind);
    gd_strbuf_adds(sb, ",\"members\":[");
    json_array_foreach (members, i, m) {
        gd_strbuf_addf(sb, "%s\"%lld\"", i ? "," : "", (long long)json_integer_value(m));
    }
    json_decref(members);
    gd_strbuf_addf(sb, "],\"reassign\":%s,\"updated_at\":", x->reassign ? "true" : "false");
    gd_render_time(sb, x->updated_at);
    gd_strbuf_addch(sb, '}');
}

static void rule_item(struct gd_strbuf *sb, const void *item, void *ctx)
{
    (void)ctx;
    render_rule(sb, item);
}

static void rules_list(struct gd_req *r)
{
    struct gd_assign_rule *rules;
    struct gd_err err = {0};
    int n;

    if (gd_svc_assign_rules_list(r->svc, &r->actor, &r->a, &rules, &n, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_list(r, rules, n, sizeof(*rules), rule_item, NULL, NULL);
}

static const char *const rule_fields[] = {"kind", "members", "reassign", NULL};

static void rule_put(struct gd_req *r)
{
    struct gd_assign_rule out;
    struct gd_err err = {0};
    int64_t members[GD_ASSIGN_MEMBERS_MAX];
    struct gd_assign_rule_input in = {.type_key = r->nparams ? r->params[0] : ""};
    int reassign;
    json_t *o = gd_http_body_object(r, rule_fields);

    if (!o ||
        gd_in_enum(r, o, "kind", true, gd_assign_kind_parse, "fixed, round_robin, least_open",
                   &in.kind) ||
        gd_in_ids(r, o, "members", GD_ASSIGN_MEMBERS_MAX, members, &in.nmembers) ||
        gd_in_bool(r, o, "reassign", &reassign)) {
        return;
    }
    in.members = members;
    in.reassign = reassign == 1;
    if (gd_svc_assign_rule_put(r->svc, &r->actor, &in, &r->a, &out, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_rule(&r->out, &out);
    gd_http_json(r, 200);
}

static void rule_delete(struct gd_req *r)
{
    struct gd_err err = {0};

    if (gd_svc_assign_rule_delete(r->svc, &r->actor, r->nparams ? r->params[0] : "", &err)) {
        gd_http_error(r, &err);
        return;
    }
    r->status = 204;
}

static void render_availability(struct gd_strbuf *sb, const struct gd_agent_availability *x)
{
    gd_strbuf_adds(sb, "{\"user_id\":");
    gd_render_id(sb, x->user_id);
    gd_strbuf_adds(sb, ",\"display_name\":");
    gd_strbuf_add_json_str(sb, x->display_name);
    gd_strbuf_adds(sb, ",\"status\":");
    gd_strbuf_add_json_str(sb, x->status);
    gd_strbuf_addf(sb,
                   ",\"workbench_only\":%s,\"workbench_open\":%s,\"available\":%s,"
                   "\"updated_at\":",
                   x->workbench_only ? "true" : "false", x->present ? "true" : "false",
                   x->available ? "true" : "false");
    gd_render_time(sb, x->updated_at);
    gd_strbuf_addch(sb, '}');
}

static void availability_item(struct gd_strbuf *sb, const void *item, void *ctx)
{
    (void)ctx;
    render_availability(sb, item);
}

static void my_status(struct gd_req *r)
{
    struct gd_agent_availability x;
    struct gd_err err = {0};

    if (gd_svc_my_status(r->svc, &r->actor, &r->a, &x, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_availability(&r->out, &x);
    gd_http_json(r, 200);
}

static const char *const status_fields[] = {"status", "workbench_only", NULL};

static void my_status_put(struct gd_req *r)
{
    struct gd_agent_availability x;
    struct gd_err err = {0};
    int state, workbench_only;
    json_t *o = gd_http_body_object(r, status_fields);

    if (!o ||
        gd_in_enum(r, o, "status", true, gd_agent_state_parse, "online, busy, offline", &state) ||
        gd_in_bool(r, o, "workbench_only", &workbench_only)) {
        return;
    }
    if (gd_svc_my_status_set(r->svc, &r->actor, state, workbench_only, &r->a, &x, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_availability(&r->out, &x);
    gd_http_json(r, 200);
}

static void agents_status(struct gd_req *r)
{
    struct gd_agent_availability *xs;
    struct gd_err err = {0};
    int n;

    if (gd_svc_agents_status(r->svc, &r->actor, &r->a, &xs, &n, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_list(r, xs, n, sizeof(*xs), availability_item, NULL, NULL);
}

const struct gd_route gd_routes_assignment[] = {
    {"GET", "/api/v1/assignment/rules", rules_list, 0},
    {"PUT", "/api/v1/assignment/rules/{}", rule_put, 0},
    {"DELETE", "/api/v1/assignment/rules/{}", rule_delete, 0},
    {"GET", "/api/v1/me/status", my_status, 0},
    {"PUT", "/api/v1/me/status", my_status_put, 0},
    {"GET", "/api/v1/agents/status", agents_status, 0},
    {NULL, NULL, NULL, 0},
};
