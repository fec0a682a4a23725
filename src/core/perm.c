/* Permission rules per role. */
#include "core/perm.h"

static const char *const role_names[GD_ROLE_COUNT] = {
    "shop_owner",     "shop_lead",           "shop_agent",
    "platform_agent", "platform_supervisor", "platform_admin",
};

static const char *const view_names[GD_VIEW_COUNT] = {
    "todo",     "created",         "assigned",     "shop",          "overdue",
    "reassign", "platform_verify", "intervention", "appeal_review",
};

const char *gd_role_name(int r) { return r >= 0 && r < GD_ROLE_COUNT ? role_names[r] : "?"; }
const char *gd_view_name(int v) { return v >= 0 && v < GD_VIEW_COUNT ? view_names[v] : "?"; }

int gd_role_parse(const char *s)
{
    for (int i = 0; s && i < GD_ROLE_COUNT; i++) {
        if (strcmp(s, role_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

int gd_view_parse(const char *s)
{
    for (int i = 0; s && i < GD_VIEW_COUNT; i++) {
        if (strcmp(s, view_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

bool gd_role_is_platform(int role)
{
    return role == GD_ROLE_PLATFORM_AGENT || role == GD_ROLE_PLATFORM_SUPERVISOR ||
           role == GD_ROLE_PLATFORM_ADMIN;
}

bool gd_role_is_shop_lead(int role)
{
    return role == GD_ROLE_SHOP_OWNER || role == GD_ROLE_SHOP_LEAD;
}

bool gd_perm_can_use_view(const struct gd_actor *actor, int view)
{
    if (view >= GD_VIEW_PLATFORM_VERIFY) {
        return gd_role_is_platform(actor->role);
    }
    if (gd_role_is_platform(actor->role)) {
        /* platform staff have their own queues and "created"/"assigned" across shops */
        return view == GD_VIEW_CREATED || view == GD_VIEW_ASSIGNED || view == GD_VIEW_TODO ||
               view == GD_VIEW_OVERDUE;
    }
    /* every view is a subset of what gd_perm_open lets the actor open */
    return (view != GD_VIEW_SHOP && view != GD_VIEW_REASSIGN) || gd_perm_sees_whole_shop(actor);
}

int gd_role_rank(int role)
{
    switch (role) {
    case GD_ROLE_SHOP_OWNER:
    case GD_ROLE_PLATFORM_ADMIN:
        return 3;
    case GD_ROLE_SHOP_LEAD:
    case GD_ROLE_PLATFORM_SUPERVISOR:
        return 2;
    case GD_ROLE_SHOP_AGENT:
    case GD_ROLE_PLATFORM_AGENT:
        return 1;
    default:
        return 0;
    }
}

bool gd_perm_can_manage_user(const struct gd_actor *actor, int64_t target_shop, int target_role,
                             int new_role)
{
    if (new_role >= 0 && gd_role_is_platform(new_role) != (target_shop == 0)) {
        return false; /* a shop user stays a shop user, platform staff stay platform staff */
    }
    if (actor->role == GD_ROLE_PLATFORM_ADMIN) {
        return true;
    }
    if (actor->shop_id == 0 || actor->shop_id != target_shop) {
        return false;
    }
    if (actor->role == GD_ROLE_SHOP_OWNER) {
        return true;
    }
    /* a lead: no owner is theirs to manage, and nobody is raised above a lead */
    return actor->role == GD_ROLE_SHOP_LEAD && target_role != GD_ROLE_SHOP_OWNER &&
           (new_role < 0 || gd_role_rank(new_role) <= gd_role_rank(GD_ROLE_SHOP_LEAD));
}

bool gd_perm_can_manage_shops(const struct gd_actor *actor)
{
    return actor->role == GD_ROLE_PLATFORM_ADMIN;
}

bool gd_perm_can_read_audit(const struct gd_actor *actor)
{
    return actor->role == GD_ROLE_PLATFORM_ADMIN || actor->role == GD_ROLE_SHOP_OWNER;
}

int gd_perm_open(const struct gd_actor *actor, const struct gd_workorder *wo)
{
    if (gd_role_is_platform(actor->role)) {
        return wo->type == GD_TYPE_COLLAB ? GD_OPEN_YES : GD_OPEN_NO;
    }
    if (actor->shop_id == 0 || actor->shop_id != wo->shop_id) {
        return GD_OPEN_NO;
    }
    if (gd_perm_sees_whole_shop(actor) || wo->creator_id == actor->user_id ||
        wo->handler_id == actor->user_id) {
        return GD_OPEN_YES;
    }
    return GD_OPEN_IF_HANDLED_BEFORE;
}

bool gd_perm_can_view(const struct gd_actor *actor, const struct gd_workorder *wo,
                      bool handled_before)
{
    int open = gd_perm_open(actor, wo);
    return open == GD_OPEN_YES || (open == GD_OPEN_IF_HANDLED_BEFORE && handled_before);
}

bool gd_perm_sees_whole_shop(const struct gd_actor *actor)
{
    return actor->shop_id != 0 && gd_role_is_shop_lead(actor->role);
}

bool gd_perm_can_manage_types(const struct gd_actor *actor)
{
    return gd_perm_sees_whole_shop(actor);
}

bool gd_perm_can_write_orders(const struct gd_actor *actor)
{
    return gd_perm_sees_whole_shop(actor);
}

bool gd_perm_can_read_orders(const struct gd_actor *actor)
{
    return actor->shop_id != 0 && !gd_role_is_platform(actor->role);
}

bool gd_perm_can_use_quickreplies(const struct gd_actor *actor)
{
    return actor->shop_id != 0 && !gd_role_is_platform(actor->role);
}

bool gd_perm_can_manage_quickreply(const struct gd_actor *actor, int64_t owner_user_id)
{
    if (!gd_perm_can_use_quickreplies(actor)) {
        return false;
    }
    return owner_user_id ? owner_user_id == actor->user_id : gd_role_is_shop_lead(actor->role);
}

bool gd_perm_can_use_savedfilters(const struct gd_actor *actor)
{
    return gd_perm_can_use_quickreplies(actor);
}

bool gd_perm_can_manage_savedfilter(const struct gd_actor *actor, int64_t owner_user_id)
{
    return gd_perm_can_manage_quickreply(actor, owner_user_id);
}

static bool is_party(const struct gd_actor *actor, const struct gd_workorder *wo)
{
    return wo->creator_id == actor->user_id || wo->handler_id == actor->user_id;
}

bool gd_perm_can_act(const struct gd_actor *actor, const struct gd_workorder *wo, int action)
{
    /* acting needs more than opening: a former handler reads the work order but acts on it
     * only as every agent does, as its creator or handler (below) */
    if (gd_perm_open(actor, wo) == GD_OPEN_NO) {
        return false;
    }
    bool platform = gd_role_is_platform(actor->role);
    if (wo->type == GD_TYPE_COLLAB) {
        if (!platform && !gd_role_is_shop_lead(actor->role) && !is_party(actor, wo)) {
            return false; /* the shop's side is its lead's or its handler's */
        }
        switch (action) {
        case GD_ACT_NOTE:
            return true;
        case GD_ACT_REPLY:
        case GD_ACT_APPEAL:
            return !platform;
        case GD_ACT_EVIDENCE:
            return true;
        case GD_ACT_ASSIGN:
        case GD_ACT_TRANSFER:
            return platform ? wo->state != GD_STATE_AWAITING_SELLER
                            : wo->state == GD_STATE_AWAITING_SELLER &&
                                  (gd_role_is_shop_lead(actor->role) ||
                                   wo->handler_id == actor->user_id);
        case GD_ACT_VERIFY:
        case GD_ACT_JUDGE:
            return platform;
        case GD_ACT_DECIDE_APPEAL:
            return actor->role == GD_ROLE_PLATFORM_SUPERVISOR ||
                   actor->role == GD_ROLE_PLATFORM_ADMIN;
        }
        return false;
    }
    if (platform || action > GD_ACT_WAIT_BUYER) {
        return false;
    }
    if (gd_role_is_shop_lead(actor->role)) {
        return true;
    }
    if (action == GD_ACT_CANCEL) {
        return wo->creator_id == actor->user_id;
    }
    return is_party(actor, wo);
}

bool gd_perm_can_create(const struct gd_actor *actor, int type)
{
    if (type == GD_TYPE_COLLAB) {
        return gd_role_is_platform(actor->role);
    }
    return !gd_role_is_platform(actor->role);
}

bool gd_event_is_internal(const char *data)
{
    return data && strstr(data, "\"internal\":true") != NULL;
}
