/* Routes of people and shops (docs/people.md): users of a shop and platform staff, one's own
 * account, shops, and the audit log of these changes. */
#include "http/req.h"

static void user_item(struct gd_strbuf *sb, const void *u, void *ctx)
{
    (void)ctx;
    gd_render_user(sb, u, NULL);
}

static void users_list(struct gd_req *r)
{
    struct gd_user *users;
    struct gd_err err = {0};
    int64_t shop_id;
    int n;

    if (gd_http_query_id(r, "shop_id", &shop_id)) {
        return;
    }
    if (gd_svc_users_list(r->svc, &r->actor, shop_id, &r->a, &users, &n, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_list(r, users, n, sizeof(*users), user_item, NULL, NULL);
}

#define ROLES                                                                  \
    "shop_owner, shop_lead, shop_agent, platform_agent, platform_supervisor, " \
    "platform_admin"

static void user_create(struct gd_req *r)
{
    static const char *const allowed[] = {"username", "display_name", "role",
                                          "password", "shop_id",      NULL};
    const char *username, *display_name, *password;
    struct gd_user u;
    struct gd_err err = {0};
    int64_t shop_id = 0;
    int role;

    json_t *o = gd_http_body_object(r, allowed);
    if (!o || gd_in_str(r, o, "username", true, GD_NAME_MAX, &username) ||
        gd_in_str(r, o, "display_name", true, GD_NAME_MAX, &display_name) ||
        gd_in_enum(r, o, "role", true, gd_role_parse, ROLES, &role) ||
        gd_in_str(r, o, "password", true, 256, &password) ||
        gd_in_id(r, o, "shop_id", false, &shop_id)) {
        return;
    }
    if (gd_svc_user_create(r->svc, &r->actor, shop_id, username, display_name, role, password,
                           &r->a, &u, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_header(r, "Location", gd_arena_printf(&r->a, "/api/v1/users/%lld", (long long)u.id));
    gd_render_user(&r->out, &u, NULL);
    gd_http_json(r, 201);
}

static void user_patch(struct gd_req *r)
{
    static const char *const allowed[] = {"display_name", "role", "active", NULL};
    struct gd_user_change c = {.role = -1, .active = -1};
    struct gd_user u;
    struct gd_err err = {0};
    int64_t id;

    json_t *o = gd_http_body_object(r, allowed);
    if (!o || gd_http_param_id(r, 0, &id) ||
        gd_in_str(r, o, "display_name", false, GD_NAME_MAX, &c.display_name) ||
        gd_in_enum(r, o, "role", false, gd_role_parse, ROLES, &c.role) ||
        gd_in_bool(r, o, "active", &c.active)) {
        return;
    }
    if (!c.display_name && c.role < 0 && c.active < 0) {
        gd_http_fail(r, "validation_failed", NULL,
                     "send at least one of display_name, role, active");
        return;
    }
    if (gd_svc_user_change(r->svc, &r->actor, id, &c, &r->a, &u, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_render_user(&r->out, &u, NULL);
    gd_http_json(r, 200);
}

static void user_password_reset(struct gd_req *r)
{
    static const char *const allowed[] = {"password", NULL};
    const char *password;
    struct gd_err err = {0};
    int64_t id;

    json_t *o = gd_http_body_object(r, allowed);
    if (!o || gd_http_param_id(r, 0, &id) || gd_in_str(r, o, "password", true, 256, &password)) {
        return;
    }
    if (gd_svc_user_reset_password(r->svc, &r->actor, id, password, &err)) {
        gd_http_error(r, &err);
        return;
    }
    r->status = 204;
}

static void me_patch(struct gd_req *r)
{
    static const char *const allowed[] = {"display_name", NULL};
    const char *name;
    struct gd_err err = {0};

    json_t *o = gd_http_body_object(r, allowed);
    if (!o || gd_in_str(r, o, "display_name", true, GD_NAME_MAX, &name)) {
        return;
    }
    if (gd_svc_me_rename(r->svc, &r->actor, name, &err)) {
        gd_http_error(r, &err);
        return;
    }
    r->status = 204;
}

static void me_password(struct gd_req *r)
{
    static const char *const allowed[] = {"current_password", "new_password", NULL};
    const char *current, *password;
    struct gd_err err = {0};

    json_t *o = gd_http_body_object(r, allowed);
    if (!o || gd_in_str(r, o, "current_password", true, 256, &current) ||
        gd_in_str(r, o, "new_password", true, 256, &password)) {
        return;
    }
    if (gd_svc_me_password(r->svc, &r->actor, current, password, &err)) {
        gd_http_error(r, &err);
        return;
    }
    r->status = 204;
}

static void shop_item(struct gd_strbuf *sb, const void *shop, void *ctx)
{
    (void)ctx;
    gd_render_shop(sb, shop);
}

static void shops_list(struct gd_req *r)
{
    struct gd_shop *shops;
    struct gd_err err = {0};
    int n;

    if (gd_svc_shops_list(r->svc, &r->actor, &r->a, &shops, &n, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_list(r, shops, n, sizeof(*shops), shop_item, NULL, NULL);
}

static void shop_create(struct gd_req *r)
{
    static const char *const allowed[] = {"name", NULL};
    const char *name;
    struct gd_shop shop;
    struct gd_err err = {0};

    json_t *o = gd_http_body_object(r, allowed);
    if (!o || gd_in_str(r, o, "name", true, GD_NAME_MAX, &name)) {
        return;
    }
    if (gd_svc_shop_create(r->svc, &r->actor, name, &r->a, &shop, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_header(r, "Location", gd_arena_printf(&r->a, "/api/v1/shops/%lld", (long long)shop.id));
    gd_render_shop(&r->out, &shop);
    gd_http_json(r, 201);
}

static void shop_patch(struct gd_req *r)
{
    static const char *const allowed[] = {"name", "active", NULL};
    const char *name;
    struct gd_shop shop;
    struct gd_err err = {0};
    int64_t id;
    int active;

    json_t *o = gd_http_body_object(r, allowed);
    if (!o || gd_http_param_id(r, 0, &id) || gd_in_str(r, o, "name", false, GD_NAME_MAX, &name) ||
        gd_in_bool(r, o, "active", &active)) {
        return;
    }
    if (!name && active < 0) {
        gd_http_fail(r, "validation_failed", NULL, "send at least one of name, active");
        return;
    }
    if (gd_svc_shop_change(r->svc, &r->actor, id, name, active, &r->a, &shop, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_render_shop(&r->out, &shop);
    gd_http_json(r, 200);
}

static void audit_item(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct gd_audit_event *e = item;
    (void)ctx;
    gd_strbuf_adds(sb, "{\"id\":");
    gd_render_id(sb, e->id);
    gd_strbuf_adds(sb, ",\"shop_id\":");
    gd_render_id(sb, e->shop_id);
    gd_strbuf_adds(sb, ",\"actor\":{\"id\":");
    gd_render_id(sb, e->actor_id);
    gd_strbuf_adds(sb, ",\"display_name\":");
    gd_strbuf_add_json_str(sb, e->actor_name);
    gd_strbuf_adds(sb, "},\"action\":");
    gd_strbuf_add_json_str(sb, e->action);
    gd_strbuf_adds(sb, ",\"target_user_id\":");
    gd_render_id(sb, e->target_user_id);
    gd_strbuf_adds(sb, ",\"target_shop_id\":");
    gd_render_id(sb, e->target_shop_id);
    gd_strbuf_adds(sb, ",\"at\":");
    gd_render_time(sb, e->at);
    gd_strbuf_addf(sb, ",\"data\":%s}", e->data);
}

static void audit_list(struct gd_req *r)
{
    struct gd_audit_event *evs;
    struct gd_err err = {0};
    int64_t shop_id, before;
    const char *lim = gd_http_query(r, "limit");
    int n, limit = 50;

    if (gd_http_query_id(r, "shop_id", &shop_id) || gd_http_query_id(r, "before", &before)) {
        return;
    }
    if (lim) {
        /* digits only, at most 3 of them; anything else is 0 and the service names the rule */
        limit = strspn(lim, "0123456789") == strlen(lim) && strlen(lim) <= 3 && *lim
                    ? (int)strtol(lim, NULL, 10)
                    : 0;
    }
    if (gd_svc_audit_list(r->svc, &r->actor, shop_id, before, limit, &r->a, &evs, &n, &err)) {
        gd_http_error(r, &err);
        return;
    }
    const char *more =
        n == limit ? gd_arena_printf(&r->a, "\"next_before\":\"%lld\"", (long long)evs[n - 1].id)
                   : "\"next_before\":null";
    gd_http_list(r, evs, n, sizeof(*evs), audit_item, NULL, more);
}

const struct gd_route gd_routes_people[] = {
    {"GET", "/api/v1/users", users_list, 0},
    {"POST", "/api/v1/users", user_create, 0},
    {"PATCH", "/api/v1/users/{}", user_patch, 0},
    {"POST", "/api/v1/users/{}/password", user_password_reset, 0},
    {"PATCH", "/api/v1/me", me_patch, 0},
    {"POST", "/api/v1/me/password", me_password, GD_R_PASSWORD_CHANGE},
    {"GET", "/api/v1/shops", shops_list, 0},
    {"POST", "/api/v1/shops", shop_create, 0},
    {"PATCH", "/api/v1/shops/{}", shop_patch, 0},
    {"GET", "/api/v1/audit", audit_list, 0},
    {0},
};
