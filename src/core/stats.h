/* Team statistics (分类型任务统计) as pure arithmetic: what one work order contributes to the
 * daily rollups, the duration histograms the percentiles come from, and the rates.
 *
 * The rollups are a cohort view: every work order counts on the day it was created (in the
 * shop's time zone), under its type and its current handler, with its current facts (done,
 * open, overdue, durations, collaborative outcomes). A change to the work order removes its old
 * contribution and adds the new one, so the rollups always equal a recount of the work orders.
 *
 * Durations go into log-spaced buckets: exact seconds below GD_STATS_EXACT_S, then buckets 1%
 * wide. A percentile is reported as the middle of the bucket holding the nearest-rank value, so
 * it is within 0.5% (+1 s) of the exact value.
 *
 * Ownership: histogram blobs are caller-owned byte arrays. Thread safety: pure, thread safe. */
#ifndef GD_CORE_STATS_H
#define GD_CORE_STATS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/strbuf.h"
#include "core/workorder.h"

#define GD_STATS_BUCKETS 2048
#define GD_STATS_EXACT_S 128

/* The counts one rollup row (or one work order's contribution) holds. */
struct gd_stats_counts {
    int64_t created, done, open, overdue, transferred, within;
    /* collaborative work orders (协同工单) */
    int64_t collab;     /* collaborative work orders */
    int64_t settled;    /* the seller's reply window is over: replied, or escalated without */
    int64_t replied;    /* replied within the window */
    int64_t intervened; /* reached platform intervention (平台介入) */
    int64_t judged;     /* a judgement was made */
    int64_t against;    /* judged against the seller */
    int64_t appeals;    /* appeals decided */
    int64_t overturned; /* appeals that overturned the judgement */
    int64_t disputes;   /* judged against the seller and not overturned (纠纷) */
};

/* Where a work order counts: its creation day (days since 1970-01-01 in the shop's zone), type
 * and current handler (0 = none). */
struct gd_stats_key {
    int64_t day;
    int type;
    int64_t handler_id;
};

struct gd_stats_contrib {
    struct gd_stats_key key;
    struct gd_stats_counts n;
    int fa_bucket;   /* time to first action; -1 = none yet */
    int done_bucket; /* time to done; -1 = not done */
};

/* The collaborative facts of a work order, read from its timeline. */
struct gd_collab_facts {
    bool replied;
    bool intervened;
    bool judged;
    bool against_seller;
    bool appeal_decided;
    bool overturned;
};

/* The bucket of a duration in ms (negative counts as 0). */
int gd_stats_bucket(int64_t ms);
/* The value in seconds a bucket reports: exact below GD_STATS_EXACT_S, else the middle. */
int64_t gd_stats_bucket_value_s(int bucket);
/* The day (days since the epoch) of `ms` in the zone `offset_min` east of UTC. */
int64_t gd_stats_day(int64_t ms, int offset_min);

/* Months of days: the monthly rollups hold whole months of the daily ones (days in the shop's
 * zone, so a month is the shop's month too); a month is named by its first day. */
int64_t gd_stats_month_start(int64_t day);
/* The first day of the month after the month holding `day`. */
int64_t gd_stats_month_next(int64_t day);

/* A range of days [from, to] as its whole months and the days at its two ends: the months
 * [month_from, month_to] (first days; none when month_from > month_to) are read from the
 * monthly rollups, the days [head_from, head_to] and [tail_from, tail_to] (each empty when
 * its from > to) from the daily ones. Together they cover the range once. */
struct gd_stats_span {
    int64_t head_from, head_to;
    int64_t month_from, month_to;
    int64_t tail_from, tail_to;
};
void gd_stats_span_split(int64_t from, int64_t to, struct gd_stats_span *out);

/* What `wo` contributes; `facts` may be NULL for ordinary work orders. */
void gd_stats_contrib_of(const struct gd_workorder *wo, int tz_offset_min,
                         const struct gd_collab_facts *facts, struct gd_stats_contrib *out);
bool gd_stats_contrib_equal(const struct gd_stats_contrib *a, const struct gd_stats_contrib *b);
/* a += sign * b */
void gd_stats_counts_add(struct gd_stats_counts *a, const struct gd_stats_counts *b, int sign);
bool gd_stats_counts_is_zero(const struct gd_stats_counts *c);

/* Histogram blobs: sorted (u16 bucket, u32 count) pairs, little endian, 6 bytes each. */
/* Writes `blob` with `delta` added to `bucket` into `out` (replacing its content). */
void gd_stats_hist_bump(const unsigned char *blob, size_t len, int bucket, int delta,
                        struct gd_strbuf *out);
/* Adds the blob's counts into a dense array of GD_STATS_BUCKETS. */
void gd_stats_hist_merge(uint32_t *dense, const unsigned char *blob, size_t len);
/* Encodes a dense array as a blob into `out`. */
void gd_stats_hist_encode(const uint32_t *dense, struct gd_strbuf *out);
/* The nearest-rank percentile `pct` (1..100) in seconds: the bucket value of the smallest
 * duration with at least ceil(pct * n / 100) durations at or below it; -1 when empty. */
int64_t gd_stats_percentile_s(const uint32_t *dense, int pct);

/* A histogram being summed from blobs: the dense counts with the range of buckets filled and the
 * number of durations, so that its percentiles, adding it to another and emptying it read only
 * that range (a day's durations fill a few hundred of the 2,048 buckets), and one dense array
 * serves group after group. */
struct gd_stats_hist {
    uint32_t *dense; /* GD_STATS_BUCKETS counts, zero outside [lo, hi] */
    int lo, hi;      /* lo > hi: empty */
    uint64_t n;      /* the counts' sum */
};
/* `h` empty, over `dense` (GD_STATS_BUCKETS counts, all zero). */
void gd_stats_hist_init(struct gd_stats_hist *h, uint32_t *dense);
/* Adds a blob's counts (gd_stats_hist_merge's). */
void gd_stats_hist_add_blob(struct gd_stats_hist *h, const unsigned char *blob, size_t len);
/* Adds the counts of `other`. */
void gd_stats_hist_add(struct gd_stats_hist *h, const struct gd_stats_hist *other);
/* Empties `h`, zeroing only the range it filled. */
void gd_stats_hist_clear(struct gd_stats_hist *h);
/* gd_stats_percentile_s's p50 and p90 of `h`, in one pass over its range; -1 each when empty. */
void gd_stats_hist_p50_p90(const struct gd_stats_hist *h, int64_t *p50, int64_t *p90);

#endif
