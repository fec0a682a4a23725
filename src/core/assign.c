/* Assignment rules: the pick among a rule's group (assign.h). */
#include "core/assign.h"
#include <string.h>

static const char *const kind_names[GD_ASSIGN_KIND_COUNT] = {"fixed", "round_robin", "least_open"};
static const char *const state_names[GD_AGENT_STATE_COUNT] = {"online", "busy", "offline"};
static const char *const miss_names[] = {"placed", "group_empty", "none_available"};

static int parse(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

const char *gd_assign_kind_name(int kind)
{
    return kind >= 0 && kind < GD_ASSIGN_KIND_COUNT ? kind_names[kind] : "?";
}

int gd_assign_kind_parse(const char *s) { return parse(kind_names, GD_ASSIGN_KIND_COUNT, s); }

const char *gd_agent_state_name(int state)
{
    return state >= 0 && state < GD_AGENT_STATE_COUNT ? state_names[state] : "?";
}

int gd_agent_state_parse(const char *s) { return parse(state_names, GD_AGENT_STATE_COUNT, s); }

const char *gd_assign_miss_name(int miss)
{
    return miss >= 0 && miss <= GD_ASSIGN_NONE_AVAILABLE ? miss_names[miss] : "?";
}

bool gd_agent_available(int state, bool workbench_only, bool present)
{
    return state == GD_AGENT_ONLINE && (!workbench_only || present);
}

static bool eligible(const struct gd_assign_member *m, int64_t exclude_user_id)
{
    return m->active && m->available && m->user_id != exclude_user_id;
}

int gd_assign_pick(int kind, const struct gd_assign_member *m, int n, int64_t cursor_user_id,
                   int64_t exclude_user_id, int *miss)
{
    int pick = -1, members = 0;

    for (int i = 0; i < n; i++) {
        members += m[i].active && m[i].user_id != exclude_user_id;
    }
    switch (kind) {
    case GD_ASSIGN_FIXED:
        pick = n > 0 && eligible(&m[0], exclude_user_id) ? 0 : -1;
        break;
    case GD_ASSIGN_ROUND_ROBIN: {
        int last = -1; /* the round goes on after the last member given work */
        for (int i = 0; cursor_user_id && i < n; i++) {
            if (m[i].user_id == cursor_user_id) {
                last = i;
            }
        }
        for (int step = 1; step <= n && pick < 0; step++) {
            int i = (last + step) % n;
            if (eligible(&m[i], exclude_user_id)) {
                pick = i;
            }
        }
        break;
    }
    case GD_ASSIGN_LEAST_OPEN:
        for (int i = 0; i < n; i++) {
            if (eligible(&m[i], exclude_user_id) && (pick < 0 || m[i].open < m[pick].open)) {
                pick = i;
            }
        }
        break;
    }
    *miss = pick >= 0 ? GD_ASSIGN_PLACED
            : members ? GD_ASSIGN_NONE_AVAILABLE
                      : GD_ASSIGN_GROUP_EMPTY;
    return pick;
}
