/* The ceilings bench/reports.c measures gongdan against in the same run (issue 12):
 *   - statistics: the bare aggregate SQL over the rollups, what the service would ideally run:
 *     one statement summing the counts and histograms (gd_hist_sum, the aggregate the SQLite
 *     store registers) of the rows the service reads (by type: the whole months and the end
 *     days by type; by day: the days by type), grouped, on its own connection, no arena, no
 *     service; and the same rows read alone (no sums): what reading them costs SQLite, the
 *     part of a query no code of ours can cut;
 *   - XLSX: libxlsxwriter writing the export's cells from memory (loaded beforehand from the
 *     CSV export of the same rows), the same workbook options, formats and cell types as
 *     src/export/xlsx.c, no database and no formatting work of ours.
 * The SQLite client is used here directly, as a ceiling must: this file alone is compiled with
 * GD_STORE_BACKEND_SQLITE (bench/CMakeLists.txt). */
#include "ceilings.h"
#include <sys/stat.h>
#include <time.h>
#include <xlsxwriter.h>
#include "base/timefmt.h"
#include "core/stats.h"
#include "export/columns.h"
#include "store/sqlite/sqlite_int.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* ---- statistics ---- */

#define SUMS                                                                                \
    "sum(created), sum(done), sum(open), sum(overdue), sum(transferred), sum(within), "     \
    "sum(collab), sum(settled), sum(replied), sum(intervened), sum(judged), sum(against), " \
    "sum(appeals), sum(overturned), sum(disputes), gd_hist_sum(fa_hist), gd_hist_sum(done_hist)"
#define PART_COLS                                                                         \
    "type, created, done, open, overdue, transferred, within, collab, settled, replied, " \
    "intervened, judged, against, appeals, overturned, disputes, fa_hist, done_hist"
#define PARTS                                                                                  \
    "SELECT " PART_COLS " FROM stats_type_daily WHERE shop_id = ?1 AND day BETWEEN ?2 AND ?3 " \
    "UNION ALL SELECT " PART_COLS " FROM stats_monthly WHERE shop_id = ?1 AND month BETWEEN "  \
    "?4 AND ?5 UNION ALL SELECT " PART_COLS " FROM stats_type_daily WHERE shop_id = ?1 AND "   \
    "day BETWEEN ?6 AND ?7"

/* p50/p99 of BENCH_STATS_RUNS runs of a prepared statement, stepped to its end; every row's
 * column 1 (a count) and the bytes of columns hist and hist + 1 (the histograms) are read. */
static int time_statement(sqlite3 *db, sqlite3_stmt *st, int hist, double *p50, double *p99)
{
    double t[BENCH_STATS_RUNS];

    for (int i = 0; i < BENCH_STATS_RUNS; i++) {
        double t0 = now_s();
        int64_t created = 0;
        size_t bytes = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            created += sqlite3_column_int64(st, 1);
            bytes +=
                (size_t)sqlite3_column_bytes(st, hist) + (size_t)sqlite3_column_bytes(st, hist + 1);
        }
        if (sqlite3_reset(st) != SQLITE_OK || !created || !bytes) {
            fprintf(stderr, "stats ceiling: no rows (%s)\n", sqlite3_errmsg(db));
            return -1;
        }
        t[i] = (now_s() - t0) * 1000;
    }
    qsort(t, BENCH_STATS_RUNS, sizeof(double), cmp_double);
    *p50 = t[BENCH_STATS_RUNS / 2 - 1];
    *p99 = t[BENCH_STATS_RUNS * 99 / 100 - 1];
    return 0;
}

int bench_stats_ceiling(const char *db_path, int64_t shop_id, int64_t day_from, int64_t day_to,
                        bool by_day, struct bench_stats_ceiling *out)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st[2] = {NULL, NULL};
    struct gd_stats_span sp;
    int ret = -1;

    /* by day: every day's rows; by type: the whole months and the days at the ends; first
     * summed in SQL, then the same rows alone */
    const char *sql[2] = {
        by_day ? "SELECT day, " SUMS " FROM stats_type_daily WHERE shop_id = ?1 AND day BETWEEN "
                 "?2 AND ?3 GROUP BY day"
               : "SELECT type, " SUMS " FROM (" PARTS ") GROUP BY type",
        by_day ? "SELECT " PART_COLS " FROM stats_type_daily WHERE shop_id = ?1 AND day BETWEEN "
                 "?2 AND ?3"
               : PARTS};
    if (by_day) {
        sp = (struct gd_stats_span){day_from, day_to, 1, 0, 1, 0};
    } else {
        gd_stats_span_split(day_from, day_to, &sp);
    }
    /* the store's page cache size (src/store/sqlite/db.c), not SQLite's default of 2 MB, which
     * is less than a year's rows: each run would read them from the OS again */
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA cache_size=-32000", NULL, NULL, NULL) != SQLITE_OK ||
        gd_sq__register_hist_sum(db)) {
        fprintf(stderr, "stats ceiling: %s\n", sqlite3_errmsg(db));
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        if (sqlite3_prepare_v2(db, sql[i], -1, &st[i], NULL) != SQLITE_OK) {
            fprintf(stderr, "stats ceiling: %s\n", sqlite3_errmsg(db));
            goto out;
        }
        sqlite3_bind_int64(st[i], 1, shop_id);
        sqlite3_bind_int64(st[i], 2, sp.head_from);
        sqlite3_bind_int64(st[i], 3, sp.head_to);
        if (!by_day) {
            sqlite3_bind_int64(st[i], 4, sp.month_from);
            sqlite3_bind_int64(st[i], 5, sp.month_to);
            sqlite3_bind_int64(st[i], 6, sp.tail_from);
            sqlite3_bind_int64(st[i], 7, sp.tail_to);
        }
    }
    if (time_statement(db, st[0], 16, &out->sum_p50, &out->sum_p99) ||
        time_statement(db, st[1], 16, &out->rows_p50, &out->rows_p99)) {
        goto out;
    }
    ret = 0;
out:
    sqlite3_finalize(st[0]);
    sqlite3_finalize(st[1]);
    sqlite3_close(db);
    return ret;
}

/* ---- XLSX ---- */

/* One cell as the export writes it: a string, or a number with the date or money format;
 * `skip` for a cell the export leaves empty. */
struct mem_cell {
    const char *text;
    double num;
    bool skip;
};

/* Splits one CSV record (RFC 4180, as src/export/csv.c writes it) in place into at most n
 * fields; returns the number of fields and moves *p past the record's CRLF. */
static int csv_record(char **p, char *end, char **fields, int n)
{
    int nf = 0;
    char *s = *p;
    while (s < end && nf < n) {
        char *out = s, *start = s;
        if (*s == '"') {
            start = out = ++s;
            while (s < end) {
                if (*s == '"' && s + 1 < end && s[1] == '"') {
                    *out++ = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    *out++ = *s++;
                }
            }
        } else {
            while (s < end && *s != ',' && *s != '\r' && *s != '\n') {
                s++;
            }
            out = s;
        }
        char sep = s < end ? *s : '\n';
        *out = 0;
        fields[nf++] = start;
        s++;
        if (sep == '\r' && s < end && *s == '\n') {
            s++;
        }
        if (sep != ',') {
            break;
        }
    }
    *p = s;
    return nf;
}

/* "YYYY-MM-DD HH:MM:SS" (shop time) as Excel's serial date, as src/export/xlsx.c computes it. */
static double excel_date(const char *s)
{
    int y, mo, d, h, mi, sec;
    if (sscanf(s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6) {
        return 0;
    }
    return (double)(gd_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) / 86400.0 +
           25569.0;
}

/* Loads the first `max` rows of the CSV export into cells (owning the file's bytes in *buf). */
static long load_cells(const char *csv, long max, struct mem_cell **out, char **buf)
{
    FILE *f = fopen(csv, "rb");
    struct stat stt;
    long n = 0;
    char *fields[GD_EXPORT_NCOLS];

    if (!f || fstat(fileno(f), &stt) != 0) {
        if (f) {
            fclose(f);
        }
        return -1;
    }
    *buf = malloc((size_t)stt.st_size + 1);
    if (!*buf || fread(*buf, 1, (size_t)stt.st_size, f) != (size_t)stt.st_size) {
        fclose(f);
        return -1;
    }
    fclose(f);
    char *p = *buf, *end = *buf + stt.st_size;
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
    }
    csv_record(&p, end, fields, GD_EXPORT_NCOLS); /* the header row */
    *out = calloc((size_t)max * GD_EXPORT_NCOLS, sizeof(**out));
    while (p < end && n < max) {
        if (csv_record(&p, end, fields, GD_EXPORT_NCOLS) != GD_EXPORT_NCOLS) {
            break;
        }
        for (int c = 0; c < GD_EXPORT_NCOLS; c++) {
            struct mem_cell *cell = &(*out)[n * GD_EXPORT_NCOLS + c];
            cell->skip = !*fields[c];
            cell->text = fields[c];
            if (gd_export_columns[c].kind == GD_CELL_TIME) {
                cell->num = excel_date(fields[c]);
            } else if (gd_export_columns[c].kind == GD_CELL_MONEY) {
                cell->num = strtod(fields[c], NULL);
            }
        }
        n++;
    }
    return n;
}

int bench_xlsx_ceiling(const char *csv, const char *out, long rows, double *secs)
{
    struct mem_cell *cells = NULL;
    char *buf = NULL;
    long loaded = load_cells(csv, rows < 200000 ? rows : 200000, &cells, &buf);
    int ret = -1;

    if (loaded <= 0) {
        fprintf(stderr, "xlsx ceiling: cannot load %s\n", csv);
        goto out;
    }
    /* the export's own calls: src/export/xlsx.c */
    double t0 = now_s();
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(out, &opts);
    lxw_format *bold = workbook_add_format(wb), *date = workbook_add_format(wb),
               *money = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_num_format(date, "yyyy-mm-dd hh:mm:ss");
    format_set_num_format(money, "0.00");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "工单");
    for (int c = 0; c < GD_EXPORT_NCOLS; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, gd_export_columns[c].width, NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)c, gd_export_columns[c].zh, bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    /* the rows in memory are cycled when fewer were loaded than are written (a bounded load) */
    for (long r = 0; r < rows && r < 1048575; r++) {
        const struct mem_cell *row = &cells[(r % loaded) * GD_EXPORT_NCOLS];
        for (int c = 0; c < GD_EXPORT_NCOLS; c++) {
            if (row[c].skip) {
                continue;
            }
            int kind = gd_export_columns[c].kind;
            lxw_row_t xr = (lxw_row_t)(r + 1);
            if (kind == GD_CELL_TIME || kind == GD_CELL_MONEY) {
                worksheet_write_number(ws, xr, (lxw_col_t)c, row[c].num,
                                       kind == GD_CELL_TIME ? date : money);
            } else {
                worksheet_write_string(ws, xr, (lxw_col_t)c, row[c].text, NULL);
            }
        }
    }
    if (workbook_close(wb) != LXW_NO_ERROR) {
        fprintf(stderr, "xlsx ceiling: cannot write %s\n", out);
        goto out;
    }
    *secs = now_s() - t0;
    ret = 0;
out:
    free(cells);
    free(buf);
    return ret;
}
