/* Ceilings of the statistics and XLSX export measurements (bench/ceilings.c), for
 * bench/reports.c. Each returns 0, or -1 after printing why to stderr. */
#ifndef GD_BENCH_CEILINGS_H
#define GD_BENCH_CEILINGS_H
#include <stdbool.h>
#include <stdint.h>

/* p50/p99 in ms of 50 runs of the bare aggregate statement over the rollups of days
 * [day_from, day_to] of a shop, grouped by type (months and end days) or by day. */
int bench_stats_ceiling(const char *db_path, int64_t shop_id, int64_t day_from, int64_t day_to,
                        bool by_day, double *p50, double *p99);
/* Seconds libxlsxwriter takes to write `rows` rows of the cells of the CSV export `csv` (loaded
 * into memory first, untimed) to the workbook `out`. */
int bench_xlsx_ceiling(const char *csv, const char *out, long rows, double *secs);

#endif
