/* Working time: the clock of a shop's time targets (docs/targets.md). A minute counts when it
 * lies on a working day of the calendar (weekdays, holidays, make-up workdays 调休, in the
 * calendar's zone) and inside the shop's daily hours [start, end). "30 working minutes from T"
 * is the moment at which 30 such minutes have passed since T; from outside the hours the count
 * starts at the next opening. A pause is simply time that is not counted: the service keeps the
 * working time left when a pause starts and counts it again from the resume.
 *
 * Ownership: borrows the calendar. Thread safety: pure functions. Errors: none; callers
 * validate hours (gd_worktime_hours_valid) before use. */
#ifndef GD_CORE_WORKTIME_H
#define GD_CORE_WORKTIME_H
#include <stdbool.h>
#include <stdint.h>
#include "core/calendar.h"

/* The shop's daily working hours, in minutes after local midnight: start < end <= 1440. */
struct gd_work_hours {
    int start_min;
    int end_min;
};

#define GD_WORK_HOURS_DEFAULT ((struct gd_work_hours){9 * 60, 18 * 60})

bool gd_worktime_hours_valid(const struct gd_work_hours *h);
/* The moment `ms` working milliseconds after `t_ms` (UTC ms). ms <= 0 gives t_ms itself.
 * A calendar without a working day for 4,000 days gives INT64_MAX (never due). */
int64_t gd_worktime_add(const struct gd_calendar *cal, const struct gd_work_hours *h, int64_t t_ms,
                        int64_t ms);
/* Working milliseconds in [from_ms, to_ms); 0 when to_ms <= from_ms. */
int64_t gd_worktime_between(const struct gd_calendar *cal, const struct gd_work_hours *h,
                            int64_t from_ms, int64_t to_ms);

#endif
