/* The export's row model: typed cells, the column list of a work order export with Chinese and
 * English headers, and the row iterator the writers pull from. The export module knows rows, not
 * SQL or HTTP: the service hands it a struct gd_row_source.
 *
 * Ownership: cell text is borrowed from the source until its next call. Thread safety: the
 * column table is constant; a source belongs to one thread. */
#ifndef GD_EXPORT_COLUMNS_H
#define GD_EXPORT_COLUMNS_H
#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"

enum gd_cell_kind {
    GD_CELL_TEXT,
    GD_CELL_MONEY, /* minor units, written as a decimal amount (2 places) */
    GD_CELL_TIME,  /* UTC milliseconds, written in the source's time zone */
    GD_CELL_BOOL,
};

struct gd_cell {
    bool null;
    const char *text; /* GD_CELL_TEXT */
    int64_t num;      /* money, time */
    bool flag;        /* bool */
};

struct gd_export_column {
    const char *key, *zh, *en;
    int kind;
    double width; /* spreadsheet column width in characters */
};

enum gd_export_lang { GD_LANG_ZH, GD_LANG_EN };

#define GD_EXPORT_NCOLS 18
extern const struct gd_export_column gd_export_columns[GD_EXPORT_NCOLS];
/* Columns a source may add after the fixed ones (a shop's custom fields, docs/types.md). */
#define GD_EXPORT_EXTRA_MAX 64
#define GD_EXPORT_MAXCOLS (GD_EXPORT_NCOLS + GD_EXPORT_EXTRA_MAX)

/* Pulls rows. next fills cells[0 .. GD_EXPORT_NCOLS + nextra) and returns 1, 0 at the end, or a
 * negative status (with err) on failure. progress (may be NULL) is told every few thousand
 * rows. */
struct gd_row_source {
    int (*next)(void *ctx, struct gd_cell *cells, struct gd_err *err);
    void (*progress)(void *ctx, int64_t rows);
    void *ctx;
    int tz_offset_min;                    /* the zone times are written in */
    int lang;                             /* enum gd_export_lang: headers and yes/no */
    const struct gd_export_column *extra; /* the added columns (nextra <= GD_EXPORT_EXTRA_MAX) */
    int nextra;
};

/* The columns a source writes: the fixed ones, then its own. */
int gd_export_ncols(const struct gd_row_source *src);
const struct gd_export_column *gd_export_column(const struct gd_row_source *src, int col);
const char *gd_export_header(const struct gd_row_source *src, int col);
/* A yes/no cell's words (是/否, yes/no): the same in CSV and XLSX, since a spreadsheet's own
 * boolean shows TRUE/FALSE in English whatever the headers' language. */
const char *gd_export_flag_word(bool flag, int lang);

#endif
