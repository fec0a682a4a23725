/* The view counters: which counter keys a work order counts toward, so a change can move each
 * badge by +1/-1 in the same transaction instead of a COUNT over the table.
 *
 * Keys (per shop): "todo:<uid>" (handler, active), "assigned:<uid>" (handler, any state),
 * "created:<uid>", "shop" (every work order), "overdue" and "overdue:<uid>" (active and past
 * the deadline; per shop and per handler), "collab_awaiting" (collaborative, awaiting the seller),
 * and platform queues under shop 0: "pq:<state>" for platform_verify, intervention,
 * appeal_review, and "pa:<uid>" (a platform user's cases in those queues). Pure; thread safe. */
#ifndef GD_CORE_COUNTERS_H
#define GD_CORE_COUNTERS_H
#include "core/workorder.h"

#define GD_COUNTER_KEY 40
#define GD_COUNTER_MAX 10

struct gd_counter_delta {
    int64_t shop_id; /* 0 = the platform's own counters */
    char key[GD_COUNTER_KEY];
    int delta;
};

/* The keys `wo` counts toward; returns how many were written (<= GD_COUNTER_MAX). */
int gd_counter_keys(const struct gd_workorder *wo, struct gd_counter_delta *out);
/* The moves from `before` (NULL for a new work order) to `after`; returns the count written
 * (<= 2 * GD_COUNTER_MAX). */
int gd_counter_diff(const struct gd_workorder *before, const struct gd_workorder *after,
                    struct gd_counter_delta *out);

#endif
