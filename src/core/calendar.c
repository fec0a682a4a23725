/* Working days and "N working days from T" (see calendar.h for the exact meaning). Pure. */
#include "core/calendar.h"
#include "base/timefmt.h"

#define DAY_MS 86400000LL
#define MAX_SCAN 4000 /* days: a calendar with no working day for 11 years is treated as broken */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int gd_calendar_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (ISO 4) */
    int64_t w = (day + 3) % 7;
    if (w < 0) {
        w += 7;
    }
    return (int)w + 1;
}

bool gd_calendar_parse_date(const char *s, int64_t *day)
{
    int y = 0, m = 0, d = 0;
    int y2, m2, d2;

    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            continue;
        }
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        int v = s[i] - '0';
        if (i < 4) {
            y = y * 10 + v;
        } else if (i < 7) {
            m = m * 10 + v;
        } else {
            d = d * 10 + v;
        }
    }
    if (m < 1 || m > 12 || d < 1 || d > 31) {
        return false;
    }
    *day = gd_days_from_civil(y, m, d);
    gd_civil_from_days(*day, &y2, &m2, &d2);
    return y2 == y && m2 == m && d2 == d; /* rejects 2025-02-30 */
}

static bool contains(const int32_t *days, int n, int64_t day)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (days[mid] == day) {
            return true;
        }
        if (days[mid] < day) {
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return false;
}

bool gd_calendar_is_workday(const struct gd_calendar *cal, int64_t day)
{
    if (contains(cal->workdays, cal->nworkdays, day)) {
        return true;
    }
    if (contains(cal->holidays, cal->nholidays, day)) {
        return false;
    }
    return (cal->weekdays >> gd_calendar_weekday(day)) & 1u;
}

bool gd_calendar_has_workday(const struct gd_calendar *cal)
{
    return (cal->weekdays & 0xfeu) != 0 || cal->nworkdays > 0;
}

int64_t gd_calendar_add_working_days(const struct gd_calendar *cal, int64_t t_ms, int n)
{
    int64_t off = (int64_t)cal->tz_offset_min * 60000;
    int64_t day = floor_div(t_ms + off, DAY_MS);
    int found = 0;

    for (int scanned = 0; found < n && scanned < MAX_SCAN; scanned++) {
        day++;
        if (gd_calendar_is_workday(cal, day)) {
            found++;
        }
    }
    /* the end of that local day: 23:59:59 */
    return (day + 1) * DAY_MS - off - 1000;
}
