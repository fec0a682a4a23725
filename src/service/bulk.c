/* Bulk work (docs/bulk.md): a lead assigns, transfers, chases, notes, completes or cancels many
 * work orders at once. Each item is gd_svc_workorder_act on its own, so each is one unit of work
 * (its event, counters, timers and search text commit together or not at all), is checked by the
 * same rules as a single action, and fails alone: the answer says, per item, done or why not. */
#include "service/svc_int.h"

static const int bulk_actions[] = {GD_ACT_ASSIGN, GD_ACT_TRANSFER, GD_ACT_CHASE,
                                   GD_ACT_NOTE,   GD_ACT_COMPLETE, GD_ACT_CANCEL};

static bool bulk_action_known(int action)
{
    for (size_t i = 0; i < sizeof(bulk_actions) / sizeof(*bulk_actions); i++) {
        if (bulk_actions[i] == action) {
            return true;
        }
    }
    return false;
}

int gd_svc_workorders_bulk(struct gd_svc *svc, const struct gd_actor *actor,
                           const struct gd_act_input *in, struct gd_bulk_item *items, int n,
                           struct gd_arena *a, struct gd_err *err)
{
    struct gd_act_input one = *in;

    if (!gd_perm_sees_whole_shop(actor) || gd_role_is_platform(actor->role)) {
        return gd_err_set(err, GD_EPERM, "bulk work is for the shop's owner and leads");
    }
    if (!bulk_action_known(in->action)) {
        return gd_err_field(err, GD_EINVAL, "action",
                            "action must be one of: assign, transfer, "
                            "chase, note, complete, cancel");
    }
    one.if_match = 0;     /* the lead acts on each work order as it is now */
    one.nattachments = 0; /* files go with one note, not with many */
    for (int i = 0; i < n; i++) {
        struct gd_bulk_item *it = &items[i];
        struct gd_workorder wo;

        gd_err_clear(&it->err);
        it->version = 0;
        if (i >= GD_BULK_MAX) {
            gd_err_set(&it->err, GD_ETOOBIG,
                       "a bulk request acts on at most %d work orders; "
                       "send this one again in another",
                       GD_BULK_MAX);
        } else if (gd_svc_workorder_act(svc, actor, it->id, &one, a, &wo, &it->err) == GD_OK) {
            it->version = wo.version;
        }
    }
    return GD_OK;
}
