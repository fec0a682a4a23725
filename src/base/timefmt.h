/* RFC 3339 times for the API and calendar dates for the shop's time zone. Times are UTC
 * milliseconds everywhere inside. Pure functions, thread safe. */
#ifndef GD_TIMEFMT_H
#define GD_TIMEFMT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* UTC+8 (Asia/Shanghai), in minutes: the offset of a shop that was given none, and of times no
 * shop owns (platform-wide output, the demo). Where a shop is known, its own offset wins. */
#define GD_TZ_DEFAULT_MIN 480

/* Writes `ms` as RFC 3339 in the zone `offset_min` east of UTC (e.g. +08:00); 30 bytes suffice.
 * Returns the length written (cut to n - 1). */
size_t gd_time_format(int64_t ms, int offset_min, char *out, size_t n);
/* Parses RFC 3339 (date-time with Z or ±hh:mm offset) or a bare date YYYY-MM-DD (midnight in
 * `date_offset_min`), years 1970 to 9999 both as written and as seen in `date_offset_min` (the
 * zone it is rendered in). Returns false on anything else. */
bool gd_time_parse(const char *s, int date_offset_min, int64_t *ms);
/* Days since 1970-01-01 for a civil date, and back (Howard Hinnant's algorithms). */
int64_t gd_days_from_civil(int y, int m, int d);
void gd_civil_from_days(int64_t z, int *y, int *m, int *d);

#endif
