/* Time targets (docs/targets.md): the outcomes a target can have, the limits of a policy, and
 * which actions are a first response. Pure data and decisions; the clock is core/worktime.
 * Thread safety: constant tables. */
#ifndef GD_CORE_TARGETS_H
#define GD_CORE_TARGETS_H
#include <stdbool.h>
#include <stdint.h>

enum gd_target_outcome {
    GD_TARGET_PENDING,
    GD_TARGET_MET,
    GD_TARGET_MISSED,
    GD_TARGET_CANCELLED, /* the work order was cancelled before the target was met or missed */
    GD_TARGET_OUTCOME_COUNT
};

/* A target is at most 60 working days of 24 hours (in minutes); a reminder comes before it. */
#define GD_TARGET_MAX_MIN (60 * 24 * 60)

const char *gd_target_outcome_name(int outcome);
int gd_target_outcome_parse(const char *s); /* -1 when unknown */
/* Is `action` by someone other than the creator a first response? Notes, files, start, complete,
 * wait_buyer, transfer and cancel are; assigning, chasing and editing are not (they speak to
 * the shop's people, not to the matter). */
bool gd_target_is_response(int action);

#endif
