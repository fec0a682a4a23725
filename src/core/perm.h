/* Roles and what each may do (DOMAIN.md "Parties and roles", docs/permissions.md). Pure
 * decisions. A caller who may not open a work order is never told it exists: callers turn a
 * failed gd_perm_can_view into "not found" (404) on every path. */
#ifndef GD_CORE_PERM_H
#define GD_CORE_PERM_H
#include <stdbool.h>
#include <stdint.h>
#include "core/workorder.h"

enum gd_role {
    GD_ROLE_SHOP_OWNER,
    GD_ROLE_SHOP_LEAD,
    GD_ROLE_SHOP_AGENT,
    GD_ROLE_PLATFORM_AGENT,
    GD_ROLE_PLATFORM_SUPERVISOR,
    GD_ROLE_PLATFORM_ADMIN,
    GD_ROLE_COUNT
};

enum gd_view {
    GD_VIEW_TODO,
    GD_VIEW_CREATED,
    GD_VIEW_ASSIGNED,
    GD_VIEW_SHOP,
    GD_VIEW_OVERDUE,
    GD_VIEW_REASSIGN, /* 待重新分配: open work orders whose handler was deactivated, or that
                       * their type's assignment rule could give nobody (leads) */
    /* platform queues of collaborative work orders */
    GD_VIEW_PLATFORM_VERIFY,
    GD_VIEW_INTERVENTION,
    GD_VIEW_APPEAL_REVIEW,
    GD_VIEW_COUNT
};

/* Who is acting: the signed-in user or the API token's user. */
struct gd_actor {
    int64_t user_id;
    int64_t shop_id; /* 0 for platform users */
    int role;
    const char *username;
    const char *display_name;
    bool must_change_password; /* may only change their password (and read /me, sign out) */
};

const char *gd_role_name(int role);
int gd_role_parse(const char *s);
bool gd_role_is_platform(int role);
bool gd_role_is_shop_lead(int role); /* owner or lead */
/* How far a role reaches within its kind (shop or platform): owner 3 > lead 2 > agent 1,
 * admin 3 > supervisor 2 > agent 1. */
int gd_role_rank(int role);

/* May `actor` manage (edit, reset, deactivate) a user of role `target_role` in shop
 * `target_shop` (0 = platform staff), and give them `new_role` (-1 = leave it)? Owners manage
 * their shop; leads manage agents and leads of their shop and give no role above their own;
 * platform admins manage every shop's users and platform staff. Never oneself (checked by the
 * caller, which knows who the target is). */
bool gd_perm_can_manage_user(const struct gd_actor *actor, int64_t target_shop, int target_role,
                             int new_role);
/* May `actor` create, rename and deactivate shops? (platform admins) */
bool gd_perm_can_manage_shops(const struct gd_actor *actor);
/* Whose audit log may `actor` read: their shop's (owners), every one (platform admins)? */
bool gd_perm_can_read_audit(const struct gd_actor *actor);

const char *gd_view_name(int view);
int gd_view_parse(const char *s);
bool gd_perm_can_use_view(const struct gd_actor *actor, int view);

/* Who may open a work order: THE rule, applied to the single read, the timeline, actions,
 * attachments, the stream and (as the SQL of the views) lists, search and export.
 *   platform staff    collaborative work orders of every shop, never a shop's ordinary ones;
 *   owner and lead    every work order of their shop;
 *   shop agent        work orders of their shop they created, handle, or handled before.
 * gd_perm_open answers from the work order alone where it can; GD_OPEN_IF_HANDLED_BEFORE asks
 * the caller to look at the timeline (was the actor ever handed it and handed it on?). */
enum gd_perm_open { GD_OPEN_NO, GD_OPEN_YES, GD_OPEN_IF_HANDLED_BEFORE };
int gd_perm_open(const struct gd_actor *actor, const struct gd_workorder *wo);
bool gd_perm_can_view(const struct gd_actor *actor, const struct gd_workorder *wo,
                      bool handled_before);
/* Does the actor see every work order of their shop (the 全店 view, export, statistics)? */
bool gd_perm_sees_whole_shop(const struct gd_actor *actor);

/* A shop's own work order types and their fields are its owners' and leads' to define
 * (docs/types.md); every user of the shop reads them (gd_perm_can_read_orders). */
bool gd_perm_can_manage_types(const struct gd_actor *actor);

/* Orders come from the shop's order system: the owner and leads (and their API tokens, the
 * integrations) write them; every user of the shop reads them; platform staff reach an order
 * only through a collaborative work order about it. */
bool gd_perm_can_write_orders(const struct gd_actor *actor);
bool gd_perm_can_read_orders(const struct gd_actor *actor);
/* Quick replies (快捷短语) are a shop's: its users read the shop-wide ones and their own;
 * owners and leads manage the shop-wide ones, each user their own. Platform staff have none. */
bool gd_perm_can_use_quickreplies(const struct gd_actor *actor);
/* May `actor` change or delete a reply of their shop owned by `owner_user_id` (0 = shop-wide)? */
bool gd_perm_can_manage_quickreply(const struct gd_actor *actor, int64_t owner_user_id);
/* Saved filters follow the quick replies' rule: a user's own are theirs to manage, the ones
 * shared with the shop its owner's and leads'. */
bool gd_perm_can_use_savedfilters(const struct gd_actor *actor);
bool gd_perm_can_manage_savedfilter(const struct gd_actor *actor, int64_t owner_user_id);
/* May `actor` take `action` on `wo` (its state aside: see gd_transition)? */
bool gd_perm_can_act(const struct gd_actor *actor, const struct gd_workorder *wo, int action);
bool gd_perm_can_create(const struct gd_actor *actor, int type);
/* A timeline event only platform staff may see (its data says "internal":true). */
bool gd_event_is_internal(const char *data);

#endif
