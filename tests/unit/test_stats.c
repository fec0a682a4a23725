/* Unit tests of the statistics arithmetic (core/stats): months of days in a shop's zone, leap
 * years, a range of days split into whole months and the days at its two ends, and histograms
 * summed over their filled range giving the percentiles of a full scan. */
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

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* A blob of `n` durations in buckets [lo, lo + width), also added into `dense`. */
static void random_blob(int n, int lo, int width, uint32_t *dense, struct gd_strbuf *blob)
{
    static uint32_t one[GD_STATS_BUCKETS];
    memset(one, 0, sizeof(one));
    for (int i = 0; i < n; i++) {
        int b = lo + (int)(rnd() % (uint64_t)width);
        one[b]++;
        dense[b]++;
    }
    gd_stats_hist_encode(one, blob);
}

/* Groups of rows summed in one reused histogram, each group then added into a total: each
 * group's and the total's p50 and p90 are those of a full scan of dense arrays of their own. */
static void test_hist_ranges(void)
{
    static uint32_t scratch[GD_STATS_BUCKETS], total[GD_STATS_BUCKETS];
    static uint32_t want[GD_STATS_BUCKETS], want_total[GD_STATS_BUCKETS];
    struct gd_strbuf blob = GD_STRBUF_INIT;
    struct gd_stats_hist h, t;
    int64_t p50, p90;

    gd_stats_hist_init(&h, scratch);
    gd_stats_hist_init(&t, total);
    gd_stats_hist_p50_p90(&h, &p50, &p90);
    CHECK_EQ_INT(p50, -1); /* empty */
    CHECK_EQ_INT(p90, -1);
    for (int g = 0; g < 40; g++) {
        memset(want, 0, sizeof(want));
        /* groups of no rows, one duration, a narrow range at either end, the whole range */
        int rows = g % 5 == 0 ? 0 : 1 + (int)(rnd() % 7);
        for (int r = 0; r < rows; r++) {
            int lo = g % 7 == 1 ? GD_STATS_BUCKETS - 3 : (int)(rnd() % 900);
            int width = g % 7 == 1   ? 3
                        : g % 7 == 2 ? GD_STATS_BUCKETS - lo
                                     : 1 + (int)(rnd() % 600);
            random_blob(g % 7 == 3 ? 1 : 1 + (int)(rnd() % 400), lo, width, want, &blob);
            gd_stats_hist_add_blob(&h, (const unsigned char *)blob.buf, blob.len);
        }
        for (int b = 0; b < GD_STATS_BUCKETS; b++) {
            want_total[b] += want[b];
        }
        gd_stats_hist_p50_p90(&h, &p50, &p90);
        CHECK_EQ_INT(p50, gd_stats_percentile_s(want, 50));
        CHECK_EQ_INT(p90, gd_stats_percentile_s(want, 90));
        CHECK(rows || (p50 == -1 && p90 == -1));
        gd_stats_hist_add(&t, &h);
        gd_stats_hist_clear(&h);
        for (int b = 0; b < GD_STATS_BUCKETS; b++) {
            CHECK(!scratch[b]); /* emptied for the next group */
        }
        CHECK_EQ_INT(h.n, 0);
    }
    gd_stats_hist_p50_p90(&t, &p50, &p90);
    CHECK_EQ_INT(p50, gd_stats_percentile_s(want_total, 50));
    CHECK_EQ_INT(p90, gd_stats_percentile_s(want_total, 90));
    CHECK(memcmp(total, want_total, sizeof(total)) == 0);
    gd_strbuf_release(&blob);
}

int main(void)
{
    test_months();
    test_split();
    test_hist_ranges();
    return check_report("test_stats");
}
