/* Quick replies (快捷短语, docs/quickreplies.md): a shop's shop-wide texts, managed by its owner
 * and leads, and each user's own, read by the notes, transfer reasons and collaborative replies
 * of the workbench. Writes run as units of the shop, so a count and the insert it allows are one
 * transaction: two creates cannot both pass a limit. */
#include <stdatomic.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "service/svc_int.h"

/* Requests refused at each limit, for /metrics. */
enum limit { LIMIT_TITLE, LIMIT_BODY, LIMIT_SHOP, LIMIT_PERSON, NLIMITS };
static const char *const limit_names[NLIMITS] = {"title_length", "body_length", "per_shop",
                                                 "per_person"};
static _Atomic long limit_refusals[NLIMITS];

static int refuse_at(enum limit which, int ret)
{
    atomic_fetch_add(&limit_refusals[which], 1);
    return ret;
}

void gd_svc_quickreply_metrics(struct gd_strbuf *sb)
{
    gd_svc__limit_refusals_metric(sb, "gongdan_quickreply_limit_refusals_total",
                                  "Quick reply requests refused at a limit (title_length, "
                                  "body_length, per_shop, per_person).",
                                  limit_names, limit_refusals, NLIMITS);
}

static int need_shop_user(const struct gd_actor *actor, struct gd_err *err)
{
    if (!gd_perm_can_use_quickreplies(actor)) {
        return gd_err_set(err, GD_EPERM, "quick replies belong to a shop's users");
    }
    return GD_OK;
}

/* Title and body as given (NULL: not sent, kept by an update): each required when sent, within
 * its length. */
static int check_texts(const char *title, const char *body, bool required, struct gd_err *err)
{
    int ret;
    if ((title || required) &&
        (ret = gd_svc__text("title", title, true, GD_QUICKREPLY_TITLE_MAX, err))) {
        return ret == GD_EINVAL && title && gd_utf8_len(title) > GD_QUICKREPLY_TITLE_MAX
                   ? refuse_at(LIMIT_TITLE, ret)
                   : ret;
    }
    if ((body || required) &&
        (ret = gd_svc__text("body", body, true, GD_QUICKREPLY_BODY_MAX, err))) {
        return ret == GD_EINVAL && body && gd_utf8_len(body) > GD_QUICKREPLY_BODY_MAX
                   ? refuse_at(LIMIT_BODY, ret)
                   : ret;
    }
    return GD_OK;
}

int gd_svc_quickreplies_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                             struct gd_quickreply **out, int *count, struct gd_err *err)
{
    int ret = need_shop_user(actor, err);
    return ret ? ret
               : GD_STORE(svc->store, quickreplies_list, actor->shop_id, actor->user_id, a, out,
                          count, err);
}

static int create_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    const struct gd_quickreply *q = ctx;
    bool shared = q->owner_user_id == 0;
    int max = shared ? GD_QUICKREPLIES_SHOP_MAX : GD_QUICKREPLIES_PERSON_MAX, n = 0;
    int ret = GD_STORE(svc->store, quickreplies_count, q->shop_id, q->owner_user_id, &n, err);

    if (ret) {
        return ret;
    }
    if (n >= max) {
        return refuse_at(shared ? LIMIT_SHOP : LIMIT_PERSON,
                         gd_err_field(err, GD_EINVAL, "shared",
                                      shared ? "a shop has at most %d shop-wide quick replies; "
                                               "delete one first"
                                             : "a person has at most %d quick replies of their "
                                               "own; delete one first",
                                      max));
    }
    return GD_STORE(svc->store, quickreply_insert, q, err);
}

int gd_svc_quickreply_create(struct gd_svc *svc, const struct gd_actor *actor, bool shared,
                             const char *title, const char *body, struct gd_arena *a,
                             struct gd_quickreply *out, struct gd_err *err)
{
    int ret;

    if ((ret = need_shop_user(actor, err))) {
        return ret;
    }
    if (shared && !gd_perm_can_manage_quickreply(actor, 0)) {
        return gd_err_field(err, GD_EPERM, "shared",
                            "shop-wide quick replies are managed by the shop's owner or lead");
    }
    if ((ret = check_texts(title, body, true, err))) {
        return ret;
    }
    memset(out, 0, sizeof(*out));
    out->id = gd_id_new();
    out->shop_id = actor->shop_id;
    out->owner_user_id = shared ? 0 : actor->user_id;
    out->title = gd_arena_strdup(a, title);
    out->body = gd_arena_strdup(a, body);
    out->created_at = out->updated_at = gd_clock_now_ms();
    return gd_svc__uow_run(svc, actor->shop_id, create_unit, out, err);
}

/* The reply `id` of the actor's shop as they may manage it: 404 for one they do not use
 * (someone else's own), 403 for a shop-wide one they use but do not manage. */
static int load_managed(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                        struct gd_arena *a, struct gd_quickreply *out, struct gd_err *err)
{
    int ret = GD_STORE(svc->store, quickreply_get, actor->shop_id, id, a, out, err);
    if (ret) {
        return ret;
    }
    if (out->owner_user_id && out->owner_user_id != actor->user_id) {
        return gd_err_set(err, GD_ENOTFOUND, "no quick reply %lld", (long long)id);
    }
    if (!gd_perm_can_manage_quickreply(actor, out->owner_user_id)) {
        return gd_err_set(err, GD_EPERM,
                          "shop-wide quick replies are managed by the shop's "
                          "owner or lead");
    }
    return GD_OK;
}

struct change {
    const struct gd_actor *actor;
    int64_t id;
    const char *title, *body; /* NULL: kept */
    bool remove;
    struct gd_arena *a;
    struct gd_quickreply *row;
};

static int change_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct change *x = ctx;
    int ret = load_managed(svc, x->actor, x->id, x->a, x->row, err);

    if (ret) {
        return ret;
    }
    if (x->remove) {
        return GD_STORE(svc->store, quickreply_delete, x->actor->shop_id, x->id, err);
    }
    if (x->title) {
        x->row->title = x->title;
    }
    if (x->body) {
        x->row->body = x->body;
    }
    x->row->updated_at = gd_clock_now_ms();
    return GD_STORE(svc->store, quickreply_update, x->row, err);
}

/* Platform staff have no replies: every id is 404 to them (a shop's data, never shown). */
static int run_change(struct gd_svc *svc, struct change *x, struct gd_err *err)
{
    if (!gd_perm_can_use_quickreplies(x->actor)) {
        return gd_err_set(err, GD_ENOTFOUND, "no quick reply %lld", (long long)x->id);
    }
    return gd_svc__uow_run(svc, x->actor->shop_id, change_unit, x, err);
}

int gd_svc_quickreply_update(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                             const char *title, const char *body, struct gd_arena *a,
                             struct gd_quickreply *out, struct gd_err *err)
{
    int ret = check_texts(title, body, false, err);
    if (ret) {
        return ret;
    }
    struct change x = {actor, id, title, body, false, a, out};
    return run_change(svc, &x, err);
}

int gd_svc_quickreply_delete(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                             struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_quickreply row;
    struct change x = {actor, id, NULL, NULL, true, &a, &row};
    int ret = run_change(svc, &x, err);
    gd_arena_release(&a);
    return ret;
}
