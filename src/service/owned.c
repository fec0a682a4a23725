/* Items a shop shares (owner 0) or a person keeps (owner: their user id): quick replies and saved
 * filters. Who may use and manage them, the count limit checked in the insert's unit of work (two
 * creates cannot both pass it), and the change or removal of one the actor manages, once for
 * every such kind; each kind gives its rules, its limits and its store calls. */
#include <stdatomic.h>
#include "service/svc_int.h"

int gd_svc__owned_user(const struct gd_svc__owned *kind, const struct gd_actor *actor,
                       struct gd_err *err)
{
    return kind->can_use(actor) ? GD_OK : gd_err_set(err, GD_EPERM, "%s", kind->use_refusal);
}

int gd_svc__owned_may_create(const struct gd_svc__owned *kind, const struct gd_actor *actor,
                             bool shared, struct gd_err *err)
{
    int ret = gd_svc__owned_user(kind, actor, err);
    if (!ret && shared && !kind->can_manage(actor, 0)) {
        return gd_err_field(err, GD_EPERM, "shared", "%s", kind->manage_refusal);
    }
    return ret;
}

struct insert {
    const struct gd_svc__owned *kind;
    int64_t shop_id, owner_user_id;
    const void *row;
};

static int insert_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    const struct insert *x = ctx;
    const struct gd_svc__owned *kind = x->kind;
    bool shared = x->owner_user_id == 0;
    int max = shared ? kind->shop_max : kind->person_max, n = 0;
    int ret = kind->count(svc, x->shop_id, x->owner_user_id, &n, err);

    if (ret) {
        return ret;
    }
    if (n >= max) {
        atomic_fetch_add(shared ? kind->shop_refusals : kind->person_refusals, 1);
        return shared ? gd_err_field(err, GD_EINVAL, "shared",
                                     "a shop has at most %d %s; delete one first", max,
                                     kind->shop_items)
                      : gd_err_field(err, GD_EINVAL, "shared",
                                     "a person has at most %d %s of their own; delete one first",
                                     max, kind->person_items);
    }
    return kind->insert(svc, x->row, err);
}

int gd_svc__owned_insert(struct gd_svc *svc, const struct gd_svc__owned *kind, int64_t shop_id,
                         int64_t owner_user_id, const void *row, struct gd_err *err)
{
    struct insert x = {kind, shop_id, owner_user_id, row};
    return gd_svc__uow_run(svc, shop_id, insert_unit, &x, err);
}

struct change {
    const struct gd_svc__owned *kind;
    const struct gd_actor *actor;
    int64_t id;
    const void *change; /* NULL: remove */
    struct gd_arena *a;
    void *row;
};

/* The item as the actor may manage it: 404 for one they do not use (someone else's own), 403 for
 * a shared one they use but do not manage. */
static int change_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    const struct change *x = ctx;
    const struct gd_svc__owned *kind = x->kind;
    int64_t shop_id = x->actor->shop_id, owner = 0;
    int ret = kind->get(svc, shop_id, x->id, x->a, x->row, &owner, err);

    if (ret) {
        return ret;
    }
    if (owner && owner != x->actor->user_id) {
        return gd_err_set(err, GD_ENOTFOUND, "no %s %lld", kind->noun, (long long)x->id);
    }
    if (!kind->can_manage(x->actor, owner)) {
        return gd_err_set(err, GD_EPERM, "%s", kind->manage_refusal);
    }
    return x->change ? kind->update(svc, x->row, x->change, err)
                     : kind->remove(svc, shop_id, x->id, err);
}

int gd_svc__owned_change(struct gd_svc *svc, const struct gd_svc__owned *kind,
                         const struct gd_actor *actor, int64_t id, const void *change,
                         struct gd_arena *a, void *row, struct gd_err *err)
{
    struct change x = {kind, actor, id, change, a, row};
    /* platform staff have none: every id is 404 to them (a shop's data, never shown) */
    if (!kind->can_use(actor)) {
        return gd_err_set(err, GD_ENOTFOUND, "no %s %lld", kind->noun, (long long)id);
    }
    return gd_svc__uow_run(svc, actor->shop_id, change_unit, &x, err);
}

int gd_svc__owned_delete(struct gd_svc *svc, const struct gd_svc__owned *kind,
                         const struct gd_actor *actor, int64_t id, struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    void *row = gd_arena_zalloc(&a, kind->row_size);
    int ret = gd_svc__owned_change(svc, kind, actor, id, NULL, &a, row, err);
    gd_arena_release(&a);
    return ret;
}
