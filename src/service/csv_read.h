/* Reading CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) one record at a time, for
 * the order import (import.c). Apart from the import so the fuzzer (tests/fuzz) can call it. */
#ifndef GD_SERVICE_CSV_READ_H
#define GD_SERVICE_CSV_READ_H
#include "base/arena.h"

#define GD_CSV_MAX_FIELDS 16  /* fields past this are dropped */
#define GD_CSV_MAX_FIELD 8192 /* bytes kept of one field */

struct gd_csv_reader {
    const char *p, *end;
    int line;      /* line where the current record starts */
    int next_line; /* physical line counter */
};

/* Reads one record into fields (arena copies); returns the field count, 0 at the end,
 * -1 on a malformed record (its text is skipped to the next line). */
int gd_csv_record(struct gd_csv_reader *c, struct gd_arena *a, char **fields, const char **why);

#endif
