/* Working-day calendars: which days are working days (weekdays, public holidays, make-up
 * workdays 调休) and "N working days from T", the clock of the platform's steps in a
 * collaborative work order (verification, judgement, appeal review).
 *
 * Semantics (docs/collab.md): the count starts the day AFTER the local day of T, whatever T's
 * day is; the deadline is the end (23:59:59 local) of the Nth working day. So a case received on
 * Friday afternoon with 3 working days is due Wednesday 23:59:59, as a person in China reads
 * "3个工作日内". Days outside the calendar's years follow the weekday rule alone.
 *
 * Ownership: struct gd_calendar borrows its day arrays (from an arena or static data).
 * Thread safety: pure functions over read-only data. Errors: none; callers validate input. */
#ifndef GD_CORE_CALENDAR_H
#define GD_CORE_CALENDAR_H
#include <stdbool.h>
#include <stdint.h>

struct gd_calendar {
    unsigned weekdays;       /* bit d set: ISO weekday d (1 Monday .. 7 Sunday) is a working day */
    int tz_offset_min;       /* the calendar's zone: 480 for Asia/Shanghai */
    const int32_t *holidays; /* days since 1970-01-01, sorted ascending */
    int nholidays;
    const int32_t *workdays; /* make-up workdays, sorted ascending */
    int nworkdays;
};

#define GD_CALENDAR_MON_FRI 0x3e /* bits 1..5 */

/* The compacted JSON of the built-in calendar of mainland China (core/cn_holidays.c). */
extern const char gd_cn_holidays_json[];

/* ISO weekday (1 Monday .. 7 Sunday) of a day number. */
int gd_calendar_weekday(int64_t day);
/* Parses "YYYY-MM-DD" into a day number; false when it is not a real date. */
bool gd_calendar_parse_date(const char *s, int64_t *day);
bool gd_calendar_is_workday(const struct gd_calendar *cal, int64_t day);
/* Has the calendar any working day at all? (validation of edited rules) */
bool gd_calendar_has_workday(const struct gd_calendar *cal);
/* The end of the Nth working day after the local day of `t_ms` (UTC ms), as UTC ms. n >= 1;
 * n <= 0 gives the end of T's own day. */
int64_t gd_calendar_add_working_days(const struct gd_calendar *cal, int64_t t_ms, int n);

#endif
