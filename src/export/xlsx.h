/* XLSX export with libxlsxwriter in constant-memory mode: rows stream to disk as they come, so
 * memory stays flat however many rows there are. Cells are typed: times are real Excel dates
 * (local time of the source's zone, with a date format), amounts are numbers, flags booleans,
 * text is text (never a formula, so nothing needs neutralising). The header row is bold and
 * frozen. A sheet holds at most 1,048,576 rows; beyond that the rows continue on a new sheet
 * with the header again: nothing is dropped.
 *
 * Ownership: the file at `path` is the caller's. Thread safety: no shared state.
 * Errors: GD_EIO when libxlsxwriter cannot write; a source's own error is passed through. */
#ifndef GD_EXPORT_XLSX_H
#define GD_EXPORT_XLSX_H
#include "export/columns.h"

int gd_export_xlsx(const char *path, struct gd_row_source *src, int64_t *rows, struct gd_err *err);

#endif
