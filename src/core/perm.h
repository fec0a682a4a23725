/* Roles and what each may do (DOMAIN.md "Parties and roles"). Pure decisions.
 * A user of another shop is never told a work order exists: callers turn a failed
 * gd_perm_can_view into "not found". */
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
};

const char *gd_role_name(int role);
int gd_role_parse(const char *s);
bool gd_role_is_platform(int role);
bool gd_role_is_shop_lead(int role); /* owner or lead */

const char *gd_view_name(int view);
int gd_view_parse(const char *s);
bool gd_perm_can_use_view(const struct gd_actor *actor, int view);

bool gd_perm_can_view(const struct gd_actor *actor, const struct gd_workorder *wo);
/* May `actor` take `action` on `wo` (its state aside: see gd_transition)? */
bool gd_perm_can_act(const struct gd_actor *actor, const struct gd_workorder *wo, int action);
bool gd_perm_can_create(const struct gd_actor *actor, int type);
/* A timeline event only platform staff may see (its data says "internal":true). */
bool gd_event_is_internal(const char *data);

#endif
