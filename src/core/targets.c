/* Names of target outcomes and what counts as a first response (see targets.h). */
#include "core/targets.h"
#include <string.h>
#include "core/workorder.h"

static const char *const outcome_names[GD_TARGET_OUTCOME_COUNT] = {"pending", "met", "missed",
                                                                   "cancelled"};

const char *gd_target_outcome_name(int o)
{
    return o >= 0 && o < GD_TARGET_OUTCOME_COUNT ? outcome_names[o] : "?";
}

int gd_target_outcome_parse(const char *s)
{
    for (int i = 0; s && i < GD_TARGET_OUTCOME_COUNT; i++) {
        if (strcmp(s, outcome_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

bool gd_target_is_response(int action)
{
    return action != GD_ACT_ASSIGN && action != GD_ACT_CHASE && action != GD_ACT_EDIT;
}
