/* The chat-side panel (docs/panel.md): the page /panel, framed only by the origins its shop lists,
 * where a shop's integration's signed link is exchanged for a session; and the panel's settings
 * (the origins, the link-signing secret), its owner's and leads'. */
#include <ctype.h>
#include "base/id.h"
#include "http/req.h"

/* Appends s percent-encoded as a query value. */
static void add_query_value(struct gd_strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (isalnum(*c) || *c == '-' || *c == '_' || *c == '.' || *c == '~') {
            gd_strbuf_addch(sb, (char)*c);
        } else {
            gd_strbuf_addch(sb, '%');
            gd_strbuf_addch(sb, hex[*c >> 4]);
            gd_strbuf_addch(sb, hex[*c & 15]);
        }
    }
}

/* Answers 303 to `location` (made in r->a). */
static void see_other(struct gd_req *r, const char *location)
{
    gd_http_header(r, "Location", location);
    gd_http_header(r, "Cache-Control", "no-store");
    r->response = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    r->status = 303;
}

/* /panel?shop&user&order_no|buyer&exp&sig: the link signs its user in once (a session cookie
 * made to live in the chat tool's frame) and leaves for the page without the signature, so a
 * reload or the history never sends it again. A refused link leaves for the page with
 * link_error (expired, signature, used, invalid) and no session. */
static void exchange_link(struct gd_req *r)
{
    struct gd_panel_link l = {
        .shop = gd_http_query(r, "shop"),
        .user = gd_http_query(r, "user"),
        .order_no = gd_http_query(r, "order_no"),
        .buyer = gd_http_query(r, "buyer"),
        .exp = gd_http_query(r, "exp"),
        .sig = gd_http_query(r, "sig"),
    };
    struct gd_login login;
    struct gd_err err = {0};
    struct gd_strbuf loc = GD_STRBUF_INIT;

    gd_strbuf_adds(&loc, "/panel?");
    if (gd_svc_panel_link_signin(r->svc, &l, &r->a, &login, &err)) {
        if (err.code != GD_EAUTH && err.code != GD_EINVAL) {
            gd_strbuf_release(&loc);
            gd_http_error(r, &err);
            return;
        }
        const char *why = err.code == GD_EINVAL        ? "invalid"
                          : !strcmp(err.field, "exp")  ? "expired"
                          : !strcmp(err.field, "link") ? "used"
                                                       : "signature";
        gd_strbuf_adds(&loc, "link_error=");
        gd_strbuf_adds(&loc, why);
        if (gd_id_parse(l.shop)) {
            gd_strbuf_addf(&loc, "&shop=%lld", (long long)gd_id_parse(l.shop));
        }
    } else {
        gd_http_header(r, "Set-Cookie", gd_http_session_set_cookie(r, login.session, 43200, true));
        gd_strbuf_adds(&loc, l.order_no && *l.order_no ? "order_no=" : "buyer=");
        add_query_value(&loc, l.order_no && *l.order_no ? l.order_no : l.buyer ? l.buyer : "");
    }
    see_other(r, gd_arena_strdup(&r->a, loc.buf));
    gd_strbuf_release(&loc);
}

/* Which shop's origins may frame this page: the signed-in user's shop; without a session, the
 * shop the address names (only the sign-in hint shows then, no data of anyone). */
static int64_t page_shop(struct gd_req *r)
{
    const char *sess = gd_http_session_cookie(r);
    const char *csrf;
    struct gd_actor actor;

    if (sess && strlen(sess) <= 128 &&
        gd_svc_auth_session(r->svc, sess, &r->a, &actor, &csrf, NULL, NULL) == GD_OK) {
        return actor.shop_id;
    }
    return gd_id_parse(gd_http_query(r, "shop"));
}

static void panel_page(struct gd_req *r)
{
    struct gd_err err = {0};
    const char *origins;

    if (gd_http_query(r, "sig")) {
        exchange_link(r);
        return;
    }
    if (gd_svc_panel_frame_origins(r->svc, page_shop(r), &r->a, &origins, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (!gd_http__serve_page(r, "panel.html", origins)) {
        gd_http_fail(r, "not_found", NULL, "the chat panel is not built (web/dist/panel.html)");
    }
}

static void render_settings(struct gd_req *r, const struct gd_panel_settings *s)
{
    /* stored as the CSP source list (space-separated); validated origins hold nothing JSON
     * escapes (letters, digits, ".-:/"), so they are written as a list of names */
    char *names = gd_arena_strdup(&r->a, s->origins);
    for (char *c = names; *c; c++) {
        *c = *c == ' ' ? ',' : *c;
    }
    gd_strbuf_adds(&r->out, "{\"origins\":");
    gd_render_names(&r->out, names);
    gd_strbuf_addf(&r->out, ",\"has_secret\":%s}", s->has_secret ? "true" : "false");
    gd_http_json(r, 200);
}

static void settings_get(struct gd_req *r)
{
    struct gd_panel_settings s;
    struct gd_err err = {0};

    if (gd_svc_panel_settings_get(r->svc, &r->actor, &r->a, &s, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_settings(r, &s);
}

static void settings_put(struct gd_req *r)
{
    static const char *const allowed[] = {"origins", NULL};
    const char *list[GD_PANEL_ORIGINS_MAX];
    struct gd_panel_settings s;
    struct gd_err err = {0};
    json_t *o = gd_http_body_object(r, allowed), *v;
    size_t i;

    if (!o) {
        return;
    }
    json_t *origins = json_object_get(o, "origins");
    if (!json_is_array(origins) || json_array_size(origins) > GD_PANEL_ORIGINS_MAX) {
        gd_http_fail(r, "validation_failed", "origins",
                     "origins must be an array of at most %d origins", GD_PANEL_ORIGINS_MAX);
        return;
    }
    json_array_foreach (origins, i, v) {
        if (!json_is_string(v)) {
            gd_http_fail(r, "validation_failed", "origins", "origins[%zu] must be a string", i);
            return;
        }
        list[i] = json_string_value(v);
    }
    if (gd_svc_panel_origins_set(r->svc, &r->actor, list, (int)json_array_size(origins), &r->a, &s,
                                 &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_settings(r, &s);
}

static void secret_rotate(struct gd_req *r)
{
    char secret[GD_PANEL_SECRET_LEN];
    struct gd_err err = {0};

    if (gd_svc_panel_secret_rotate(r->svc, &r->actor, secret, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_header(r, "Cache-Control", "no-store");
    gd_strbuf_adds(&r->out, "{\"secret\":");
    gd_strbuf_add_json_str(&r->out, secret);
    gd_strbuf_adds(&r->out, "}");
    gd_http_json(r, 200);
}

const struct gd_route gd_routes_panel[] = {
    {"GET", "/panel", panel_page, GD_R_PUBLIC},
    {"GET", "/api/v1/panel/settings", settings_get, 0},
    {"PUT", "/api/v1/panel/settings", settings_put, 0},
    {"POST", "/api/v1/panel/secret", secret_rotate, 0},
    {0},
};
