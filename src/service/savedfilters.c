/* Saved filters (docs/savedfilters.md): a list filter kept under a name, shared with the shop by
 * its owner or a lead, or a user's own; the workbench shows each with its count. Who manages
 * which is the quick replies' rule (gd_perm_can_manage_savedfilter). The filter's text is
 * checked by the route with the list's own parser: the service keeps it as given. Writes run as
 * units of the shop, so a count and the insert it allows are one transaction. */
#include <stdatomic.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "service/svc_int.h"

enum limit { LIMIT_NAME, LIMIT_SHOP, LIMIT_PERSON, NLIMITS };
static const char *const limit_names[NLIMITS] = {"name_length", "per_shop", "per_person"};
static _Atomic long limit_refusals[NLIMITS];

static int refuse_at(enum limit which, int ret)
{
    atomic_fetch_add(&limit_refusals[which], 1);
    return ret;
}

void gd_svc_savedfilter_metrics(struct gd_strbuf *sb)
{
    gd_svc__limit_refusals_metric(
        sb, "gongdan_savedfilter_limit_refusals_total",
        "Saved filter requests refused at a limit (name_length, per_shop, per_person).",
        limit_names, limit_refusals, NLIMITS);
}

static int need_shop_user(const struct gd_actor *actor, struct gd_err *err)
{
    if (!gd_perm_can_use_savedfilters(actor)) {
        return gd_err_set(err, GD_EPERM, "saved filters belong to a shop's users");
    }
    return GD_OK;
}

/* Name and query as given (NULL: not sent, kept by an update). */
static int check_texts(const char *name, const char *query, bool required, struct gd_err *err)
{
    int ret;
    if ((name || required) &&
        (ret = gd_svc__text("name", name, true, GD_SAVEDFILTER_NAME_MAX, err))) {
        return ret == GD_EINVAL && name && gd_utf8_len(name) > GD_SAVEDFILTER_NAME_MAX
                   ? refuse_at(LIMIT_NAME, ret)
                   : ret;
    }
    if (query && strlen(query) > GD_SAVEDFILTER_QUERY_MAX) {
        return gd_err_field(err, GD_EINVAL, "query", "query must be at most %d bytes",
                            GD_SAVEDFILTER_QUERY_MAX);
    }
    return GD_OK;
}

int gd_svc_savedfilters_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                             struct gd_saved_filter **out, int *count, struct gd_err *err)
{
    int ret = need_shop_user(actor, err);
    return ret ? ret
               : GD_STORE(svc->store, savedfilters_list, actor->shop_id, actor->user_id, a, out,
                          count, err);
}

static int create_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    const struct gd_saved_filter *f = ctx;
    bool shared = f->owner_user_id == 0;
    int max = shared ? GD_SAVEDFILTERS_SHOP_MAX : GD_SAVEDFILTERS_PERSON_MAX, n = 0;
    int ret = GD_STORE(svc->store, savedfilters_count, f->shop_id, f->owner_user_id, &n, err);

    if (ret) {
        return ret;
    }
    if (n >= max) {
        return refuse_at(shared ? LIMIT_SHOP : LIMIT_PERSON,
                         gd_err_field(err, GD_EINVAL, "shared",
                                      shared ? "a shop has at most %d shared filters; delete one "
                                               "first"
                                             : "a person has at most %d saved filters of their "
                                               "own; delete one first",
                                      max));
    }
    return GD_STORE(svc->store, savedfilter_insert, f, err);
}

int gd_svc_savedfilter_create(struct gd_svc *svc, const struct gd_actor *actor, bool shared,
                              const char *name, const char *view, const char *query,
                              struct gd_arena *a, struct gd_saved_filter *out, struct gd_err *err)
{
    int ret;

    if ((ret = need_shop_user(actor, err))) {
        return ret;
    }
    if (shared && !gd_perm_can_manage_savedfilter(actor, 0)) {
        return gd_err_field(err, GD_EPERM, "shared",
                            "filters shared with the shop are managed by its owner or leads");
    }
    if ((ret = check_texts(name, query ? query : "", true, err))) {
        return ret;
    }
    memset(out, 0, sizeof(*out));
    out->id = gd_id_new();
    out->shop_id = actor->shop_id;
    out->owner_user_id = shared ? 0 : actor->user_id;
    out->name = gd_arena_strdup(a, name);
    out->view = gd_arena_strdup(a, view);
    out->query = gd_arena_strdup(a, query ? query : "");
    out->created_at = out->updated_at = gd_clock_now_ms();
    return gd_svc__uow_run(svc, actor->shop_id, create_unit, out, err);
}

/* The filter `id` of the actor's shop as they may manage it: 404 for one they do not use
 * (someone else's own), 403 for a shared one they use but do not manage. */
static int load_managed(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                        struct gd_arena *a, struct gd_saved_filter *out, struct gd_err *err)
{
    int ret = GD_STORE(svc->store, savedfilter_get, actor->shop_id, id, a, out, err);
    if (ret) {
        return ret;
    }
    if (out->owner_user_id && out->owner_user_id != actor->user_id) {
        return gd_err_set(err, GD_ENOTFOUND, "no saved filter %lld", (long long)id);
    }
    if (!gd_perm_can_manage_savedfilter(actor, out->owner_user_id)) {
        return gd_err_set(err, GD_EPERM,
                          "filters shared with the shop are managed by its owner or leads");
    }
    return GD_OK;
}

struct change {
    const struct gd_actor *actor;
    int64_t id;
    const char *name, *view, *query; /* NULL: kept */
    bool remove;
    struct gd_arena *a;
    struct gd_saved_filter *row;
};

static int change_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct change *x = ctx;
    int ret = load_managed(svc, x->actor, x->id, x->a, x->row, err);

    if (ret) {
        return ret;
    }
    if (x->remove) {
        return GD_STORE(svc->store, savedfilter_delete, x->actor->shop_id, x->id, err);
    }
    x->row->name = x->name ? x->name : x->row->name;
    x->row->view = x->view ? x->view : x->row->view;
    x->row->query = x->query ? x->query : x->row->query;
    x->row->updated_at = gd_clock_now_ms();
    return GD_STORE(svc->store, savedfilter_update, x->row, err);
}

/* Platform staff have no saved filters: every id is 404 to them. */
static int run_change(struct gd_svc *svc, struct change *x, struct gd_err *err)
{
    if (!gd_perm_can_use_savedfilters(x->actor)) {
        return gd_err_set(err, GD_ENOTFOUND, "no saved filter %lld", (long long)x->id);
    }
    return gd_svc__uow_run(svc, x->actor->shop_id, change_unit, x, err);
}

int gd_svc_savedfilter_update(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                              const char *name, const char *view, const char *query,
                              struct gd_arena *a, struct gd_saved_filter *out, struct gd_err *err)
{
    int ret = check_texts(name, query, false, err);
    if (ret) {
        return ret;
    }
    struct change x = {actor, id, name, view, query, false, a, out};
    return run_change(svc, &x, err);
}

int gd_svc_savedfilter_delete(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                              struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_saved_filter row;
    struct change x = {actor, id, NULL, NULL, NULL, true, &a, &row};
    int ret = run_change(svc, &x, err);
    gd_arena_release(&a);
    return ret;
}
