/* Working-time arithmetic over a calendar and daily hours (see worktime.h). Pure. */
#include "core/worktime.h"

#define DAY_MS 86400000LL
#define MIN_MS 60000LL
#define MAX_SCAN 4000 /* days, as in calendar.c: a calendar with no working day is broken */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool gd_worktime_hours_valid(const struct gd_work_hours *h)
{
    return h->start_min >= 0 && h->start_min < h->end_min && h->end_min <= 24 * 60;
}

/* The working window of local day `day` as UTC ms [open, close); false on a day off. */
static bool window(const struct gd_calendar *cal, const struct gd_work_hours *h, int64_t day,
                   int64_t *open, int64_t *close)
{
    int64_t base = day * DAY_MS - (int64_t)cal->tz_offset_min * MIN_MS;
    if (!gd_calendar_is_workday(cal, day)) {
        return false;
    }
    *open = base + h->start_min * MIN_MS;
    *close = base + h->end_min * MIN_MS;
    return true;
}

static int64_t local_day(const struct gd_calendar *cal, int64_t t_ms)
{
    return floor_div(t_ms + (int64_t)cal->tz_offset_min * MIN_MS, DAY_MS);
}

int64_t gd_worktime_add(const struct gd_calendar *cal, const struct gd_work_hours *h, int64_t t_ms,
                        int64_t ms)
{
    int64_t day = local_day(cal, t_ms), open, close;

    if (ms <= 0) {
        return t_ms;
    }
    for (int scanned = 0; scanned < MAX_SCAN; scanned++, day++) {
        if (!window(cal, h, day, &open, &close)) {
            continue;
        }
        int64_t from = t_ms > open ? t_ms : open;
        if (from >= close) {
            continue;
        }
        if (close - from >= ms) {
            return from + ms;
        }
        ms -= close - from;
    }
    return INT64_MAX;
}

int64_t gd_worktime_between(const struct gd_calendar *cal, const struct gd_work_hours *h,
                            int64_t from_ms, int64_t to_ms)
{
    int64_t total = 0, open, close;
    int64_t last = local_day(cal, to_ms);

    if (to_ms <= from_ms) {
        return 0;
    }
    for (int64_t day = local_day(cal, from_ms); day <= last; day++) {
        if (!window(cal, h, day, &open, &close)) {
            continue;
        }
        int64_t a = from_ms > open ? from_ms : open;
        int64_t b = to_ms < close ? to_ms : close;
        total += b > a ? b - a : 0;
    }
    return total;
}
