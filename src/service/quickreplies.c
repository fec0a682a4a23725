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

/* Quick replies as one kind of owned item (owned.c). */
static int count_owned(struct gd_svc *svc, int64_t shop_id, int64_t owner_user_id, int *out,
                       struct gd_err *err)
{
    return GD_STORE(svc->store, quickreplies_count, shop_id, owner_user_id, out, err);
}

static int insert_row(struct gd_svc *svc, const void *row, struct gd_err *err)
{
    return GD_STORE(svc->store, quickreply_insert, row, err);
}

static int get_row(struct gd_svc *svc, int64_t shop_id, int64_t id, struct gd_arena *a, void *row,
                   int64_t *owner_user_id, struct gd_err *err)
{
    struct gd_quickreply *q = row;
    int ret = GD_STORE(svc->store, quickreply_get, shop_id, id, a, q, err);
    *owner_user_id = ret ? 0 : q->owner_user_id;
    return ret;
}

struct texts {
    const char *title, *body; /* NULL: kept */
};

static int update_row(struct gd_svc *svc, void *row, const void *change, struct gd_err *err)
{
    struct gd_quickreply *q = row;
    const struct texts *c = change;
    q->title = c->title ? c->title : q->title;
    q->body = c->body ? c->body : q->body;
    q->updated_at = gd_clock_now_ms();
    return GD_STORE(svc->store, quickreply_update, q, err);
}

static int remove_row(struct gd_svc *svc, int64_t shop_id, int64_t id, struct gd_err *err)
{
    return GD_STORE(svc->store, quickreply_delete, shop_id, id, err);
}

static const struct gd_svc__owned kind = {
    .noun = "quick reply",
    .use_refusal = "quick replies belong to a shop's users",
    .manage_refusal = "shop-wide quick replies are managed by the shop's owner or lead",
    .row_size = sizeof(struct gd_quickreply),
    .can_use = gd_perm_can_use_quickreplies,
    .can_manage = gd_perm_can_manage_quickreply,
    .shop_max = GD_QUICKREPLIES_SHOP_MAX,
    .person_max = GD_QUICKREPLIES_PERSON_MAX,
    .shop_items = "shop-wide quick replies",
    .person_items = "quick replies",
    .shop_refusals = &limit_refusals[LIMIT_SHOP],
    .person_refusals = &limit_refusals[LIMIT_PERSON],
    .count = count_owned,
    .insert = insert_row,
    .get = get_row,
    .update = update_row,
    .remove = remove_row,
};

int gd_svc_quickreplies_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                             struct gd_quickreply **out, int *count, struct gd_err *err)
{
    int ret = gd_svc__owned_user(&kind, actor, err);
    return ret ? ret
               : GD_STORE(svc->store, quickreplies_list, actor->shop_id, actor->user_id, a, out,
                          count, err);
}

int gd_svc_quickreply_create(struct gd_svc *svc, const struct gd_actor *actor, bool shared,
                             const char *title, const char *body, struct gd_arena *a,
                             struct gd_quickreply *out, struct gd_err *err)
{
    int ret;

    if ((ret = gd_svc__owned_may_create(&kind, actor, shared, err))) {
        return ret;
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
    return gd_svc__owned_insert(svc, &kind, out->shop_id, out->owner_user_id, out, err);
}

int gd_svc_quickreply_update(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                             const char *title, const char *body, struct gd_arena *a,
                             struct gd_quickreply *out, struct gd_err *err)
{
    struct texts change = {title, body};
    int ret = check_texts(title, body, false, err);
    return ret ? ret : gd_svc__owned_change(svc, &kind, actor, id, &change, a, out, err);
}

int gd_svc_quickreply_delete(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                             struct gd_err *err)
{
    return gd_svc__owned_delete(svc, &kind, actor, id, err);
}
