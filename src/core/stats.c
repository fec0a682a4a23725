/* Contributions, duration buckets and percentiles of the statistics rollups (see stats.h). */
#include "core/stats.h"
#include <math.h>
#include "base/timefmt.h"

#define GROWTH 1.01 /* each log bucket is 1% wider than the one before */

static double bucket_lo(int b)
{
    return b < GD_STATS_EXACT_S ? (double)b
                                : GD_STATS_EXACT_S * pow(GROWTH, (double)(b - GD_STATS_EXACT_S));
}

int gd_stats_bucket(int64_t ms)
{
    int64_t s = ms < 0 ? 0 : ms / 1000;
    int b;

    if (s < GD_STATS_EXACT_S) {
        return (int)s;
    }
    b = GD_STATS_EXACT_S + (int)floor(log((double)s / GD_STATS_EXACT_S) / log(GROWTH));
    /* the float estimate can be one off at a boundary: settle it against the bounds */
    while (b + 1 < GD_STATS_BUCKETS && bucket_lo(b + 1) <= (double)s) {
        b++;
    }
    while (b > GD_STATS_EXACT_S && bucket_lo(b) > (double)s) {
        b--;
    }
    return b < GD_STATS_BUCKETS ? b : GD_STATS_BUCKETS - 1;
}

int64_t gd_stats_bucket_value_s(int b)
{
    if (b < GD_STATS_EXACT_S) {
        return b;
    }
    /* the integers in [lo, hi): report the middle one */
    double lo = ceil(bucket_lo(b)), hi = ceil(bucket_lo(b + 1)) - 1;
    return (int64_t)floor((lo + hi) / 2);
}

int64_t gd_stats_day(int64_t ms, int offset_min)
{
    int64_t local = ms + (int64_t)offset_min * 60000;
    int64_t q = local / 86400000;
    return (local % 86400000 != 0 && local < 0) ? q - 1 : q;
}

int64_t gd_stats_month_start(int64_t day)
{
    int y, m, d;
    gd_civil_from_days(day, &y, &m, &d);
    return day - (d - 1);
}

int64_t gd_stats_month_next(int64_t day)
{
    int y, m, d;
    gd_civil_from_days(day, &y, &m, &d);
    return m == 12 ? gd_days_from_civil(y + 1, 1, 1) : gd_days_from_civil(y, m + 1, 1);
}

void gd_stats_span_split(int64_t from, int64_t to, struct gd_stats_span *out)
{
    /* the first month starting on or after `from`, the last one ending on or before `to` */
    int64_t first = gd_stats_month_start(from) == from ? from : gd_stats_month_next(from);
    int64_t last = gd_stats_month_next(to) == to + 1
                       ? gd_stats_month_start(to)
                       : gd_stats_month_start(gd_stats_month_start(to) - 1);

    if (first > last) {
        *out = (struct gd_stats_span){from, to, 1, 0, 1, 0};
        return;
    }
    *out = (struct gd_stats_span){from, first - 1, first, last, gd_stats_month_next(last), to};
}

static bool is_done(int state)
{
    return state == GD_STATE_DONE || state == GD_STATE_RESOLVED || state == GD_STATE_FINAL;
}

void gd_stats_contrib_of(const struct gd_workorder *wo, int tz_offset_min,
                         const struct gd_collab_facts *facts, struct gd_stats_contrib *out)
{
    bool done = is_done(wo->state);

    memset(out, 0, sizeof(*out));
    out->key.day = gd_stats_day(wo->created_at, tz_offset_min);
    out->key.type = wo->type;
    out->key.handler_id = wo->handler_id;
    out->n.created = 1;
    out->n.done = done;
    out->n.open = !gd_state_is_finished(wo->state);
    out->n.overdue = wo->overdue && !gd_state_is_finished(wo->state);
    out->n.transferred = wo->transfers;
    out->fa_bucket =
        wo->first_action_at ? gd_stats_bucket(wo->first_action_at - wo->created_at) : -1;
    out->done_bucket = -1;
    if (done && wo->done_at) {
        out->done_bucket = gd_stats_bucket(wo->done_at - wo->created_at);
        out->n.within = !wo->deadline_at || wo->done_at <= wo->deadline_at;
    }
    if (wo->type == GD_TYPE_COLLAB) {
        struct gd_collab_facts none = {0};
        const struct gd_collab_facts *f = facts ? facts : &none;
        out->n.collab = 1;
        out->n.replied = f->replied;
        out->n.settled = f->replied || wo->state != GD_STATE_AWAITING_SELLER;
        out->n.intervened = f->intervened;
        out->n.judged = f->judged;
        out->n.against = f->judged && f->against_seller;
        out->n.appeals = f->appeal_decided;
        out->n.overturned = f->appeal_decided && f->overturned;
        out->n.disputes = out->n.against && !out->n.overturned;
    }
}

bool gd_stats_contrib_equal(const struct gd_stats_contrib *a, const struct gd_stats_contrib *b)
{
    return a->key.day == b->key.day && a->key.type == b->key.type &&
           a->key.handler_id == b->key.handler_id && a->fa_bucket == b->fa_bucket &&
           a->done_bucket == b->done_bucket && memcmp(&a->n, &b->n, sizeof(a->n)) == 0;
}

void gd_stats_counts_add(struct gd_stats_counts *a, const struct gd_stats_counts *b, int sign)
{
    int64_t *x = (int64_t *)a;
    const int64_t *y = (const int64_t *)b;
    for (size_t i = 0; i < sizeof(*a) / sizeof(int64_t); i++) {
        x[i] += sign * y[i];
    }
}

bool gd_stats_counts_is_zero(const struct gd_stats_counts *c)
{
    const int64_t *x = (const int64_t *)c;
    for (size_t i = 0; i < sizeof(*c) / sizeof(int64_t); i++) {
        if (x[i]) {
            return false;
        }
    }
    return true;
}

static void put_pair(struct gd_strbuf *out, int bucket, uint32_t count)
{
    unsigned char p[6] = {(unsigned char)(bucket & 0xff),      (unsigned char)(bucket >> 8),
                          (unsigned char)(count & 0xff),       (unsigned char)(count >> 8 & 0xff),
                          (unsigned char)(count >> 16 & 0xff), (unsigned char)(count >> 24)};
    gd_strbuf_add(out, p, sizeof(p));
}

static void get_pair(const unsigned char *p, int *bucket, uint32_t *count)
{
    *bucket = p[0] | p[1] << 8;
    *count = (uint32_t)p[2] | (uint32_t)p[3] << 8 | (uint32_t)p[4] << 16 | (uint32_t)p[5] << 24;
}

void gd_stats_hist_bump(const unsigned char *blob, size_t len, int bucket, int delta,
                        struct gd_strbuf *out)
{
    bool placed = false;
    int b;
    uint32_t c;

    gd_strbuf_reset(out);
    for (size_t i = 0; i + 6 <= len; i += 6) {
        get_pair(blob + i, &b, &c);
        if (!placed && b >= bucket) {
            placed = true;
            if (b == bucket) {
                int64_t n = (int64_t)c + delta;
                if (n > 0) {
                    put_pair(out, b, (uint32_t)n);
                }
                continue;
            }
            if (delta > 0) {
                put_pair(out, bucket, (uint32_t)delta);
            }
        }
        put_pair(out, b, c);
    }
    if (!placed && delta > 0) {
        put_pair(out, bucket, (uint32_t)delta);
    }
}

void gd_stats_hist_merge(uint32_t *dense, const unsigned char *blob, size_t len)
{
    int b;
    uint32_t c;
    for (size_t i = 0; i + 6 <= len; i += 6) {
        get_pair(blob + i, &b, &c);
        if (b >= 0 && b < GD_STATS_BUCKETS) {
            dense[b] += c;
        }
    }
}

void gd_stats_hist_encode(const uint32_t *dense, struct gd_strbuf *out)
{
    gd_strbuf_reset(out);
    for (int b = 0; b < GD_STATS_BUCKETS; b++) {
        if (dense[b]) {
            put_pair(out, b, dense[b]);
        }
    }
}

/* The nearest rank of `pct` among n durations: the smallest count with at least p * n of them at
 * or below it. */
static uint64_t rank_of(int pct, uint64_t n)
{
    uint64_t rank = ((uint64_t)pct * n + 99) / 100;
    return rank < 1 ? 1 : rank;
}

int64_t gd_stats_percentile_s(const uint32_t *dense, int pct)
{
    uint64_t total = 0, seen = 0, rank;

    for (int b = 0; b < GD_STATS_BUCKETS; b++) {
        total += dense[b];
    }
    if (!total) {
        return -1;
    }
    /* nearest rank: the smallest value with at least p * n values at or below it */
    rank = rank_of(pct, total);
    for (int b = 0; b < GD_STATS_BUCKETS; b++) {
        seen += dense[b];
        if (seen >= rank) {
            return gd_stats_bucket_value_s(b);
        }
    }
    return -1;
}

void gd_stats_hist_init(struct gd_stats_hist *h, uint32_t *dense)
{
    *h = (struct gd_stats_hist){dense, GD_STATS_BUCKETS, -1, 0};
}

void gd_stats_hist_add_blob(struct gd_stats_hist *h, const unsigned char *blob, size_t len)
{
    int b;
    uint32_t c;
    for (size_t i = 0; i + 6 <= len; i += 6) {
        get_pair(blob + i, &b, &c);
        if (b < 0 || b >= GD_STATS_BUCKETS || !c) {
            continue;
        }
        h->dense[b] += c;
        h->n += c;
        h->lo = b < h->lo ? b : h->lo;
        h->hi = b > h->hi ? b : h->hi;
    }
}

void gd_stats_hist_add(struct gd_stats_hist *h, const struct gd_stats_hist *other)
{
    for (int b = other->lo; b <= other->hi; b++) {
        h->dense[b] += other->dense[b];
    }
    if (other->n) {
        h->n += other->n;
        h->lo = other->lo < h->lo ? other->lo : h->lo;
        h->hi = other->hi > h->hi ? other->hi : h->hi;
    }
}

void gd_stats_hist_clear(struct gd_stats_hist *h)
{
    if (h->lo <= h->hi) {
        memset(h->dense + h->lo, 0, sizeof(*h->dense) * (size_t)(h->hi - h->lo + 1));
    }
    gd_stats_hist_init(h, h->dense);
}

void gd_stats_hist_p50_p90(const struct gd_stats_hist *h, int64_t *p50, int64_t *p90)
{
    uint64_t r50 = rank_of(50, h->n), r90 = rank_of(90, h->n), seen = 0;

    *p50 = *p90 = -1;
    if (!h->n) {
        return;
    }
    for (int b = h->lo; b <= h->hi; b++) {
        seen += h->dense[b];
        if (*p50 < 0 && seen >= r50) {
            *p50 = gd_stats_bucket_value_s(b);
        }
        if (seen >= r90) {
            *p90 = gd_stats_bucket_value_s(b);
            return;
        }
    }
}
