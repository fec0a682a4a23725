/* Unit tests of the statistics arithmetic (core/stats): months of days in a shop's zone, leap
 * years, and a range of days split into whole months and the days at its two ends. */
#include "base/timefmt.h"
#include "check.h"
#include "core/stats.h"

#define D(y, m, d) gd_days_from_civil(y, m, d)

static void test_months(void)
{
    CHECK_EQ_INT(gd_stats_month_start(D(2032, 2, 29)), D(2032, 2, 1));
    CHECK_EQ_INT(gd_stats_month_next(D(2032, 2, 1)), D(2032, 3, 1)); /* a leap February: 29 */
    CHECK_EQ_INT(gd_stats_month_next(D(2032, 2, 1)) - D(2032, 2, 1), 29);
    CHECK_EQ_INT(gd_stats_month_next(D(2031, 2, 10)) - D(2031, 2, 1), 28);
    CHECK_EQ_INT(gd_stats_month_next(D(2100, 2, 1)) - D(2100, 2, 1), 28); /* not a leap year */
    CHECK_EQ_INT(gd_stats_month_next(D(2000, 2, 1)) - D(2000, 2, 1), 29); /* a leap year */
    CHECK_EQ_INT(gd_stats_month_next(D(2031, 12, 31)), D(2032, 1, 1));
    CHECK_EQ_INT(gd_stats_month_start(D(2032, 1, 1)), D(2032, 1, 1));
    CHECK_EQ_INT(gd_stats_month_start(D(1969, 12, 31)), D(1969, 12, 1)); /* before the epoch */

    /* 2032-01-31 16:30 UTC is already 1 February in a shop at +08:00, still January at UTC and
     * at -05:00: the month is the shop's */
    int64_t ms = (D(2032, 1, 31) * 86400 + 16 * 3600 + 30 * 60) * 1000LL;
    CHECK_EQ_INT(gd_stats_month_start(gd_stats_day(ms, 480)), D(2032, 2, 1));
    CHECK_EQ_INT(gd_stats_month_start(gd_stats_day(ms, 0)), D(2032, 1, 1));
    CHECK_EQ_INT(gd_stats_month_start(gd_stats_day(ms, -300)), D(2032, 1, 1));
    /* and the last instant of February 2032 (29th, 23:59:59 at +08:00) stays in February */
    int64_t end = (D(2032, 3, 1) * 86400 - 8 * 3600 - 1) * 1000LL;
    CHECK_EQ_INT(gd_stats_day(end, 480), D(2032, 2, 29));
    CHECK_EQ_INT(gd_stats_month_start(gd_stats_day(end + 1000, 480)), D(2032, 3, 1));
}

/* Every day of [from, to] is covered exactly once by the split's three parts. */
static void check_cover(int64_t from, int64_t to)
{
    struct gd_stats_span s;
    gd_stats_span_split(from, to, &s);
    for (int64_t day = from - 40; day <= to + 40; day++) {
        int n = (day >= s.head_from && day <= s.head_to) + (day >= s.tail_from && day <= s.tail_to);
        if (s.month_from <= s.month_to && day >= s.month_from &&
            day < gd_stats_month_next(s.month_to)) {
            n++;
        }
        CHECK_EQ_INT(n, day >= from && day <= to);
    }
    for (int64_t m = s.month_from; m <= s.month_to; m = gd_stats_month_next(m)) {
        CHECK_EQ_INT(gd_stats_month_start(m), m);
    }
}

static void test_split(void)
{
    struct gd_stats_span s;

    /* 365 days to 2032-03-10: 11 to 31 March 2031 and 1 to 10 March 2032 by day, April 2031 to
     * February 2032 (leap) by month */
    gd_stats_span_split(D(2031, 3, 11), D(2032, 3, 10), &s);
    CHECK_EQ_INT(s.head_from, D(2031, 3, 11));
    CHECK_EQ_INT(s.head_to, D(2031, 3, 31));
    CHECK_EQ_INT(s.month_from, D(2031, 4, 1));
    CHECK_EQ_INT(s.month_to, D(2032, 2, 1));
    CHECK_EQ_INT(s.tail_from, D(2032, 3, 1));
    CHECK_EQ_INT(s.tail_to, D(2032, 3, 10));

    /* exactly one month: no days at the ends */
    gd_stats_span_split(D(2032, 2, 1), D(2032, 2, 29), &s);
    CHECK_EQ_INT(s.month_from, D(2032, 2, 1));
    CHECK_EQ_INT(s.month_to, D(2032, 2, 1));
    CHECK(s.head_from > s.head_to);
    CHECK(s.tail_from > s.tail_to);

    /* February 2032 less its last day: no whole month, all days */
    gd_stats_span_split(D(2032, 2, 1), D(2032, 2, 28), &s);
    CHECK(s.month_from > s.month_to);
    CHECK_EQ_INT(s.head_from, D(2032, 2, 1));
    CHECK_EQ_INT(s.head_to, D(2032, 2, 28));
    CHECK(s.tail_from > s.tail_to);

    /* across a year's end, whole December and January */
    gd_stats_span_split(D(2031, 11, 30), D(2032, 2, 1), &s);
    CHECK_EQ_INT(s.head_to, D(2031, 11, 30));
    CHECK_EQ_INT(s.month_from, D(2031, 12, 1));
    CHECK_EQ_INT(s.month_to, D(2032, 1, 1));
    CHECK_EQ_INT(s.tail_from, D(2032, 2, 1));
    CHECK_EQ_INT(s.tail_to, D(2032, 2, 1));

    /* one day; two days across a month's end */
    gd_stats_span_split(D(2032, 2, 29), D(2032, 2, 29), &s);
    CHECK(s.month_from > s.month_to);
    CHECK_EQ_INT(s.head_to - s.head_from, 0);

    int64_t cases[][2] = {{D(2032, 2, 29), D(2032, 3, 1)},  {D(2031, 3, 11), D(2032, 3, 10)},
                          {D(2031, 1, 1), D(2031, 12, 31)}, {D(2031, 1, 2), D(2031, 12, 30)},
                          {D(2030, 12, 31), D(2041, 1, 1)}, {D(2032, 2, 15), D(2032, 4, 14)}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        check_cover(cases[i][0], cases[i][1]);
    }
}

int main(void)
{
    test_months();
    test_split();
    return check_report("test_stats");
}
