/* CSV writing (RFC 4180): quoting, CRLF, and neutralising cells that a spreadsheet would run as
 * a formula. No SQL, no HTTP: callers hand it cell text. */
#ifndef GD_EXPORT_CSV_H
#define GD_EXPORT_CSV_H
#include "base/strbuf.h"

/* Appends one cell (with a leading comma unless first). */
void gd_csv_cell(struct gd_strbuf *sb, const char *s, bool first);

#endif
