/* CSV writing (RFC 4180): quoting, CRLF line ends, a UTF-8 byte order mark so Excel shows
 * Chinese, and neutralising cells a spreadsheet would run as a formula. No SQL, no HTTP: callers
 * hand it cell text or a row source.
 *
 * Ownership: the FILE stays the caller's. Thread safety: none needed (no shared state).
 * Errors: GD_EIO when the file cannot be written; a source's own error is passed through. */
#ifndef GD_EXPORT_CSV_H
#define GD_EXPORT_CSV_H
#include <stdio.h>
#include "base/strbuf.h"
#include "export/columns.h"

/* Whether a spreadsheet could run the text as a formula: it starts with a tab or CR, or its
 * first character after leading white space (ASCII, U+00A0, U+3000) is = + - @ or a full-width
 * or small form of them. Such a cell is written with a leading single quote. */
bool gd_csv_is_formula(const char *s);

/* Appends one cell (with a leading comma unless first); formulas are neutralised. */
void gd_csv_cell(struct gd_strbuf *sb, const char *s, bool first);

/* Writes the BOM, the header row in the source's language and every row of `src` to `out`;
 * *rows gets the number of data rows written. */
int gd_export_csv(FILE *out, struct gd_row_source *src, int64_t *rows, struct gd_err *err);

#endif
