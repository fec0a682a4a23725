/* What every action on one work order shares, whatever its kind (workorders.c: the shop's
 * actions; collab.c: the collaborative steps): the unit of work it runs in, and its first checks
 * in their order (the work order as the actor sees it, its kind, the actor's role, its state). */
#include "base/clock.h"
#include "service/svc_int.h"

int gd_svc__act_run(struct gd_svc *svc, const struct gd_actor *actor, int64_t id, const void *in,
                    gd_uow_fn unit, struct gd_arena *a, struct gd_workorder *out,
                    struct gd_err *err)
{
    struct gd_svc__act x = {actor, id, in, a, gd_clock_now_ms(), {0}};
    /* the seller acts within its shop; platform staff on any shop's collaborative case, so
     * theirs is a platform-wide unit (shop_id 0) */
    int ret = gd_svc__uow_run(svc, actor->shop_id, unit, &x, err);
    if (!ret) {
        *out = x.wo;
    }
    return ret;
}

int gd_svc__act_begin(struct gd_svc *svc, const struct gd_svc__act *x, int64_t if_match, int action,
                      bool collab_step, struct gd_workorder *before, int *next, struct gd_err *err)
{
    int ret = gd_svc__load_visible(svc, x->actor, x->id, if_match, x->a, before, err);

    if (ret) {
        return ret;
    }
    if (collab_step && before->type != GD_TYPE_COLLAB) {
        return gd_err_set(err, GD_ESTATE, "only collaborative work orders have the %s step",
                          gd_action_name(action));
    }
    if (!gd_perm_can_act(x->actor, before, action)) {
        return gd_err_set(err, GD_EPERM, "you may not %s this work order", gd_action_name(action));
    }
    *next = gd_transition(before->type, before->state, action);
    return *next < 0 ? gd_svc__refuse_action(x->actor, before, action, err) : GD_OK;
}
