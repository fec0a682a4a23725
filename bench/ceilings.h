/* Ceilings of the statistics and XLSX export measurements (bench/ceilings.c), for
 * bench/reports.c. Each returns 0, or -1 after printing why to stderr. */
#ifndef GD_BENCH_CEILINGS_H
#define GD_BENCH_CEILINGS_H
#include <stdbool.h>
#include <stdint.h>

/* Runs of each statistics measurement (the service's and its ceilings'): p99 is the 99th. */
#define BENCH_STATS_RUNS 100

/* p50/p99 in ms of BENCH_STATS_RUNS runs of the bare aggregate statement over the rollups of
 * days [day_from, day_to] of a shop, grouped by type (months and end days) or by day (sum_*),
 * and of the statement reading the same rows alone (rows_*). */
struct bench_stats_ceiling {
    double sum_p50, sum_p99, rows_p50, rows_p99;
};
int bench_stats_ceiling(const char *db_path, int64_t shop_id, int64_t day_from, int64_t day_to,
                        bool by_day, struct bench_stats_ceiling *out);
/* Seconds libxlsxwriter takes to write `rows` rows of the cells of the CSV export `csv` (loaded
 * into memory first, untimed) to the workbook `out`. */
int bench_xlsx_ceiling(const char *csv, const char *out, long rows, double *secs);

#endif
