/* What stats_rollup_add does to a row once a backend has read it (locked): shared by the
 * backends so both add a contribution the same way. */
#ifndef GD_STORE_ROLLUP_H
#define GD_STORE_ROLLUP_H
#include "core/stats.h"
#include "store/store.h"

/* Adds `sign` times the counts `n` and one duration in each histogram (bucket -1 = none) to
 * `row`; a histogram that changes is written to fa/done, which the row then borrows. */
static inline void gd_stats_row_add(struct gd_stats_row *row, const struct gd_stats_counts *n,
                                    int fa_bucket, int done_bucket, int sign, struct gd_strbuf *fa,
                                    struct gd_strbuf *done)
{
    gd_stats_counts_add(&row->n, n, sign);
    if (fa_bucket >= 0) {
        gd_stats_hist_bump(row->fa_hist, row->fa_len, fa_bucket, sign, fa);
        row->fa_hist = (const unsigned char *)fa->buf;
        row->fa_len = fa->len;
    }
    if (done_bucket >= 0) {
        gd_stats_hist_bump(row->done_hist, row->done_len, done_bucket, sign, done);
        row->done_hist = (const unsigned char *)done->buf;
        row->done_len = done->len;
    }
}

/* Whether a contribution only adds to counts: no histogram moves and no count falls, so the row
 * can be written as one upsert of the delta (GD_ROLLUP_ADD) without reading it, and no row it
 * touches reaches zero (a row of zeros is removed, never kept). A create's first contribution. */
static inline bool gd_stats_is_plain_addition(const struct gd_stats_counts *n, int fa_bucket,
                                              int done_bucket, int sign)
{
    const int64_t *x = (const int64_t *)n;
    bool some = false;
    if (fa_bucket >= 0 || done_bucket >= 0 || sign <= 0) {
        return false;
    }
    for (size_t i = 0; i < sizeof(*n) / sizeof(*x); i++) {
        if (x[i] < 0) {
            return false;
        }
        some |= x[i] > 0;
    }
    return some;
}

#endif
