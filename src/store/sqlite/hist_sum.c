/* gd_hist_sum(blob): an SQL aggregate summing duration histograms (core/stats.h: sorted
 * (u16 bucket, u32 count) pairs) into one, registered on every connection. The monthly
 * rollups are the daily rows summed by it: in migration 0020's backfill and in
 * stats_months_refresh (PostgreSQL defines the same aggregate in its migration 0020). */
#include "base/strbuf.h"
#include "core/stats.h"
#include "store/sqlite/sqlite_int.h"

static void hist_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    /* the dense counts, zeroed by SQLite on the group's first row */
    uint32_t *dense = sqlite3_aggregate_context(ctx, GD_STATS_BUCKETS * sizeof(uint32_t));
    (void)argc;
    if (!dense) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    gd_stats_hist_merge(dense, sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]));
}

static void hist_final(sqlite3_context *ctx)
{
    uint32_t *dense = sqlite3_aggregate_context(ctx, 0);
    struct gd_strbuf out = GD_STRBUF_INIT;
    if (dense) {
        gd_stats_hist_encode(dense, &out);
    }
    sqlite3_result_blob(ctx, out.buf, (int)out.len, SQLITE_TRANSIENT);
    gd_strbuf_release(&out);
}

int gd_sq__register_hist_sum(sqlite3 *db)
{
    return sqlite3_create_function(db, "gd_hist_sum", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                   NULL, hist_step, hist_final) == SQLITE_OK
               ? 0
               : -1;
}
