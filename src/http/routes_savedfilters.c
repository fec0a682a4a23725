/* Routes of saved filters (docs/savedfilters.md): a shop user lists the filters shared with the
 * shop and their own, each with the count of work orders it matches now, and adds, changes and
 * deletes those they manage. A filter is a list (`view`) and the list's query text (`query`,
 * "state=open&type=shipping"); it is read with the list's own parser (gd_http_wo_filter) when
 * saved and when counted, so a saved filter means exactly what the list shows. */
#include "core/fields.h"
#include "http/req.h"
#include "http/viewcache.h"

/* The list's filter parameters a saved filter may hold (the view is its own field; the
 * platform's shop_id, the page's limit and cursor are not a filter of a shop's list). */
static const char *const filter_keys[] = {
    "type",       "state",         "handler",     "creator", "order_no", "buyer", "created_from",
    "created_to", "deadline_from", "deadline_to", "q",       "sort",     NULL};
#define NKEYS (sizeof(filter_keys) / sizeof(*filter_keys) - 1)

/* A saved filter's parameters, decoded, as the list's parser asks for them (r->lookup, and
 * r->lookup_each for the custom-field filters field[<key>]=<value> of docs/types.md). */
struct params {
    const char *view;
    const char *v[NKEYS]; /* by filter_keys' index; NULL = absent */
    int nfields;
    const char *field_name[GD_FIELD_FILTERS_MAX], *field_value[GD_FIELD_FILTERS_MAX];
};
static _Thread_local const struct params *tl_params;

static const char *params_lookup(struct gd_req *r, enum MHD_ValueKind kind, const char *name)
{
    (void)r;
    if (kind != MHD_GET_ARGUMENT_KIND) {
        return NULL;
    }
    if (strcmp(name, "view") == 0) {
        return tl_params->view;
    }
    for (size_t i = 0; i < NKEYS; i++) {
        if (strcmp(name, filter_keys[i]) == 0) {
            return tl_params->v[i];
        }
    }
    for (int i = 0; i < tl_params->nfields; i++) {
        if (strcmp(name, tl_params->field_name[i]) == 0) {
            return tl_params->field_value[i];
        }
    }
    return NULL;
}

static int params_each(struct gd_req *r, const char *prefix,
                       int (*fn)(void *ctx, const char *rest, const char *value), void *ctx)
{
    size_t n = strlen(prefix);
    int ret = 0;
    (void)r;
    for (int i = 0; i < tl_params->nfields && !ret; i++) {
        if (strncmp(tl_params->field_name[i], prefix, n) == 0) {
            ret = fn(ctx, tl_params->field_name[i] + n, tl_params->field_value[i]);
        }
    }
    return ret;
}

/* Keeps field[<key>]=<value> for the list's parser, which checks the key and the value; -1
 * after a 422 naming `query` for a field given twice or more than a list takes. */
static int keep_field(struct gd_req *r, struct params *p, const char *name, const char *val)
{
    for (int i = 0; i < p->nfields; i++) {
        if (strcmp(p->field_name[i], name) == 0) {
            gd_http_fail(r, "validation_failed", "query", "query: %s is given twice", name);
            return -1;
        }
    }
    if (p->nfields == GD_FIELD_FILTERS_MAX) {
        gd_http_fail(r, "validation_failed", "query",
                     "query: a list takes at most %d field filters", GD_FIELD_FILTERS_MAX);
        return -1;
    }
    p->field_name[p->nfields] = name;
    p->field_value[p->nfields++] = val;
    return 0;
}

/* Splits `query` (k=v&k=v, percent-encoded, '+' for a space) into p; -1 after a 422 naming
 * `query` for a key that is not a filter of the list, or one given twice. */
static int split_query(struct gd_req *r, const char *query, struct params *p)
{
    char *q = gd_arena_strdup(&r->a, query), *save = NULL;

    for (char *pair = strtok_r(q, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(pair, '=');
        char *val = eq ? eq + 1 : pair + strlen(pair);
        size_t i;
        if (eq) {
            *eq = '\0';
        }
        for (char *c = val; *c; c++) {
            *c = *c == '+' ? ' ' : *c;
        }
        MHD_http_unescape(pair);
        MHD_http_unescape(val);
        if (strncmp(pair, "field[", 6) == 0) {
            if (keep_field(r, p, pair, val)) {
                return -1;
            }
            continue;
        }
        for (i = 0; i < NKEYS && strcmp(pair, filter_keys[i]) != 0; i++) {
        }
        if (i == NKEYS) {
            gd_http_fail(r, "validation_failed", "query",
                         "query: %s is not a filter of the list (type, state, handler, creator, "
                         "order_no, buyer, created_from, created_to, deadline_from, deadline_to, "
                         "q, sort, field[<key>])",
                         pair);
            return -1;
        }
        if (p->v[i]) {
            gd_http_fail(r, "validation_failed", "query", "query: %s is given twice", pair);
            return -1;
        }
        p->v[i] = val;
    }
    return 0;
}

/* The list filter a saved filter stands for; -1 after a 422 naming `view` or `query`. */
static int read_filter(struct gd_req *r, const char *view, const char *query,
                       struct gd_wo_filter *f)
{
    struct params p = {.view = view};
    int v = gd_view_parse(view);

    if (v < 0 || v >= GD_VIEW_PLATFORM_VERIFY) {
        gd_http_fail(r, "validation_failed", "view",
                     "view must be one of: todo, created, assigned, shop, overdue, reassign");
        return -1;
    }
    if (split_query(r, query, &p)) {
        return -1;
    }
    const char *(*lookup)(struct gd_req *, enum MHD_ValueKind, const char *) = r->lookup;
    r->lookup = params_lookup;
    r->lookup_each = params_each;
    r->field_as = "query";
    tl_params = &p;
    int ret = gd_http_wo_filter(r, f);
    tl_params = NULL;
    r->field_as = NULL;
    r->lookup = lookup;
    r->lookup_each = NULL;
    return ret;
}

/* A filter with its count (count < 0: the reader may not open its list: a shared filter of a
 * lead's view read by an agent). */
struct counted {
    const struct gd_saved_filter *sf;
    int64_t count;
};

/* Counts `sf` for the reader into *out (-1 when its view is not theirs); -1 after an error
 * answer. */
static int count_filter(struct gd_req *r, const struct gd_saved_filter *sf, int64_t *out)
{
    struct gd_wo_filter f = {0};
    struct gd_err err = {0};

    if (read_filter(r, sf->view, sf->query, &f)) {
        return -1;
    }
    int ret = gd_svc_workorders_count(r->svc, &r->actor, &f, GD_SAVEDFILTER_COUNT_CAP, out, &err);
    if (ret == GD_EPERM) {
        *out = -1;
        return 0;
    }
    if (ret) {
        gd_http_error(r, &err);
        return -1;
    }
    return 0;
}

static void render_filter(struct gd_strbuf *sb, const struct gd_actor *actor,
                          const struct counted *c)
{
    const struct gd_saved_filter *sf = c->sf;
    gd_strbuf_adds(sb, "{\"id\":");
    gd_render_id(sb, sf->id);
    gd_strbuf_adds(sb, ",\"name\":");
    gd_strbuf_add_json_str(sb, sf->name);
    gd_strbuf_adds(sb, ",\"view\":");
    gd_strbuf_add_json_str(sb, sf->view);
    gd_strbuf_adds(sb, ",\"query\":");
    gd_strbuf_add_json_str(sb, sf->query);
    gd_strbuf_addf(
        sb, ",\"shared\":%s,\"can_manage\":%s,\"count\":", sf->owner_user_id ? "false" : "true",
        gd_perm_can_manage_savedfilter(actor, sf->owner_user_id) ? "true" : "false");
    if (c->count < 0) {
        gd_strbuf_adds(sb, "null,\"count_capped\":false");
    } else {
        gd_strbuf_addf(sb, "%lld,\"count_capped\":%s", (long long)c->count,
                       c->count >= GD_SAVEDFILTER_COUNT_CAP ? "true" : "false");
    }
    gd_strbuf_adds(sb, ",\"created_at\":");
    gd_render_time(sb, sf->created_at);
    gd_strbuf_adds(sb, ",\"updated_at\":");
    gd_render_time(sb, sf->updated_at);
    gd_strbuf_addch(sb, '}');
}

static void filter_item(struct gd_strbuf *sb, const void *item, void *ctx)
{
    render_filter(sb, ctx, item);
}

static void filters_list_render(struct gd_req *r)
{
    struct gd_saved_filter *sfs;
    struct gd_err err = {0};
    int n;

    if (gd_svc_savedfilters_list(r->svc, &r->actor, &r->a, &sfs, &n, &err)) {
        gd_http_error(r, &err);
        return;
    }
    struct counted *cs = gd_arena_alloc(&r->a, (size_t)(n ? n : 1) * sizeof(*cs));
    for (int i = 0; i < n; i++) {
        cs[i].sf = &sfs[i];
        if (count_filter(r, &sfs[i], &cs[i].count)) {
            return;
        }
    }
    gd_http_list(r, cs, n, sizeof(*cs), filter_item, &r->actor, NULL);
}

/* Read again on every change of the stream: served from the view cache while the database
 * generation of the user's shop has not moved, so many open workbenches cost one count per
 * change of their shop. */
static void filters_list(struct gd_req *r)
{
    struct gd_strbuf key = GD_STRBUF_INIT;
    int64_t gen;

    if (!gd_viewcache_enabled() || gd_svc_view_generation(r->svc, &r->actor, &r->auth_gen, &gen)) {
        filters_list_render(r);
        return;
    }
    gd_strbuf_adds(&key, "savedfilters:");
    gd_viewcache_key(r, &key);
    if (gd_viewcache_get(r, key.buf, gen)) {
        gd_http_json(r, 200);
    } else {
        filters_list_render(r);
        if (r->status == 200) {
            gd_viewcache_put(r, key.buf, gen);
        }
    }
    gd_strbuf_release(&key);
}

static const char *const allowed[] = {"name", "view", "query", "shared", NULL};

/* Answers with the filter and its count (status 200 or 201). */
static void answer(struct gd_req *r, const struct gd_saved_filter *sf, int status)
{
    struct counted c = {sf, 0};
    if (count_filter(r, sf, &c.count)) {
        return;
    }
    render_filter(&r->out, &r->actor, &c);
    gd_http_json(r, status);
}

static void filter_create(struct gd_req *r)
{
    struct gd_saved_filter sf;
    struct gd_wo_filter f = {0};
    struct gd_err err = {0};
    const char *name = NULL, *view = NULL, *query = NULL;
    int shared;
    int64_t n;
    json_t *o = gd_http_body_object(r, allowed);

    if (!o || gd_in_str(r, o, "name", true, SIZE_MAX, &name) ||
        gd_in_str(r, o, "view", true, 32, &view) ||
        gd_in_str(r, o, "query", false, GD_SAVEDFILTER_QUERY_MAX, &query) ||
        gd_in_bool(r, o, "shared", &shared) || read_filter(r, view, query ? query : "", &f)) {
        return;
    }
    /* a filter whose list the author may not open is refused (403 naming view), not kept */
    if (gd_svc_workorders_count(r->svc, &r->actor, &f, 1, &n, &err) ||
        gd_svc_savedfilter_create(r->svc, &r->actor, shared == 1, name, view, query, &r->a, &sf,
                                  &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_header(r, "Location",
                   gd_arena_printf(&r->a, "/api/v1/savedfilters/%lld", (long long)sf.id));
    answer(r, &sf, 201);
}

static void filter_patch(struct gd_req *r)
{
    struct gd_saved_filter sf;
    struct gd_wo_filter f = {0};
    struct gd_err err = {0};
    const char *name = NULL, *view = NULL, *query = NULL;
    int shared;
    int64_t id, n;
    json_t *o = gd_http_body_object(r, allowed);

    if (!o || gd_http_param_id(r, 0, &id) || gd_in_str(r, o, "name", false, SIZE_MAX, &name) ||
        gd_in_str(r, o, "view", false, 32, &view) ||
        gd_in_str(r, o, "query", false, GD_SAVEDFILTER_QUERY_MAX, &query) ||
        gd_in_bool(r, o, "shared", &shared)) {
        return;
    }
    if (shared >= 0) {
        gd_http_fail(r, "validation_failed", "shared",
                     "shared is chosen when a filter is saved; save a new one instead");
        return;
    }
    if (!name && !view && !query) {
        gd_http_fail(r, "validation_failed", NULL, "send at least one of name, view, query");
        return;
    }
    /* the query means something only with its view: they change together */
    if (!view != !json_object_get(o, "query")) {
        gd_http_fail(r, "validation_failed", view ? "query" : "view",
                     "view and query change together: send both");
        return;
    }
    if (view && (read_filter(r, view, query ? query : "", &f) ||
                 gd_svc_workorders_count(r->svc, &r->actor, &f, 1, &n, &err))) {
        if (err.code) {
            gd_http_error(r, &err);
        }
        return;
    }
    if (gd_svc_savedfilter_update(r->svc, &r->actor, id, name, view,
                                  view ? (query ? query : "") : NULL, &r->a, &sf, &err)) {
        gd_http_error(r, &err);
        return;
    }
    answer(r, &sf, 200);
}

static void filter_delete(struct gd_req *r)
{
    struct gd_err err = {0};
    int64_t id;

    if (gd_http_param_id(r, 0, &id)) {
        return;
    }
    if (gd_svc_savedfilter_delete(r->svc, &r->actor, id, &err)) {
        gd_http_error(r, &err);
        return;
    }
    r->status = 204;
}

const struct gd_route gd_routes_savedfilters[] = {
    {"GET", "/api/v1/savedfilters", filters_list, 0},
    {"POST", "/api/v1/savedfilters", filter_create, 0},
    {"PATCH", "/api/v1/savedfilters/{}", filter_patch, 0},
    {"DELETE", "/api/v1/savedfilters/{}", filter_delete, 0},
    {NULL, NULL, NULL, 0},
};
