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

/* Saved filters as one kind of owned item (owned.c). */
static int count_owned(struct gd_svc *svc, int64_t shop_id, int64_t owner_user_id, int *out,
                       struct gd_err *err)
{
    return GD_STORE(svc->store, savedfilters_count, shop_id, owner_user_id, out, err);
}

static int insert_row(struct gd_svc *svc, const void *row, struct gd_err *err)
{
    return GD_STORE(svc->store, savedfilter_insert, row, err);
}

static int get_row(struct gd_svc *svc, int64_t shop_id, int64_t id, struct gd_arena *a, void *row,
                   int64_t *owner_user_id, struct gd_err *err)
{
    struct gd_saved_filter *f = row;
    int ret = GD_STORE(svc->store, savedfilter_get, shop_id, id, a, f, err);
    *owner_user_id = ret ? 0 : f->owner_user_id;
    return ret;
}

struct texts {
    const char *name, *view, *query; /* NULL: kept */
};

static int update_row(struct gd_svc *svc, void *row, const void *change, struct gd_err *err)
{
    struct gd_saved_filter *f = row;
    const struct texts *c = change;
    f->name = c->name ? c->name : f->name;
    f->view = c->view ? c->view : f->view;
    f->query = c->query ? c->query : f->query;
    f->updated_at = gd_clock_now_ms();
    return GD_STORE(svc->store, savedfilter_update, f, err);
}

static int remove_row(struct gd_svc *svc, int64_t shop_id, int64_t id, struct gd_err *err)
{
    return GD_STORE(svc->store, savedfilter_delete, shop_id, id, err);
}

static const struct gd_svc__owned kind = {
    .noun = "saved filter",
    .use_refusal = "saved filters belong to a shop's users",
    .manage_refusal = "filters shared with the shop are managed by its owner or leads",
    .row_size = sizeof(struct gd_saved_filter),
    .can_use = gd_perm_can_use_savedfilters,
    .can_manage = gd_perm_can_manage_savedfilter,
    .shop_max = GD_SAVEDFILTERS_SHOP_MAX,
    .person_max = GD_SAVEDFILTERS_PERSON_MAX,
    .shop_items = "shared filters",
    .person_items = "saved filters",
    .shop_refusals = &limit_refusals[LIMIT_SHOP],
    .person_refusals = &limit_refusals[LIMIT_PERSON],
    .count = count_owned,
    .insert = insert_row,
    .get = get_row,
    .update = update_row,
    .remove = remove_row,
};

int gd_svc_savedfilters_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                             struct gd_saved_filter **out, int *count, struct gd_err *err)
{
    int ret = gd_svc__owned_user(&kind, actor, err);
    return ret ? ret
               : GD_STORE(svc->store, savedfilters_list, actor->shop_id, actor->user_id, a, out,
                          count, err);
}

int gd_svc_savedfilter_create(struct gd_svc *svc, const struct gd_actor *actor, bool shared,
                              const char *name, const char *view, const char *query,
                              struct gd_arena *a, struct gd_saved_filter *out, struct gd_err *err)
{
    int ret;

    if ((ret = gd_svc__owned_may_create(&kind, actor, shared, err))) {
        return ret;
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
    return gd_svc__owned_insert(svc, &kind, out->shop_id, out->owner_user_id, out, err);
}

int gd_svc_savedfilter_update(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                              const char *name, const char *view, const char *query,
                              struct gd_arena *a, struct gd_saved_filter *out, struct gd_err *err)
{
    struct texts change = {name, view, query};
    int ret = check_texts(name, query, false, err);
    return ret ? ret : gd_svc__owned_change(svc, &kind, actor, id, &change, a, out, err);
}

int gd_svc_savedfilter_delete(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                              struct gd_err *err)
{
    return gd_svc__owned_delete(svc, &kind, actor, id, err);
}
