/* The order import's CSV reader (service/csv_read.c) and the checks each row then goes through
 * (paid_amount aside: created_at, items, the order's fields). Whatever the file, reading ends,
 * every call moves forward, line numbers only grow, and fields keep within their limits. */
#include "base/timefmt.h"
#include "fuzz.h"
#include "service/csv_read.h"
#include "service/svc_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1); /* exact size: a read past the end is caught */
    memcpy(copy, data, size);
    struct gd_csv_reader c = {copy, copy + size, 1, 1};
    char *fields[GD_CSV_MAX_FIELDS];
    const char *why = NULL;
    int last_line = 0;

    for (;;) {
        struct gd_arena a = GD_ARENA_INIT;
        const char *before = c.p;
        int n = gd_csv_record(&c, &a, fields, &why);
        if (n == 0) {
            FUZZ_CHECK(c.p >= c.end, "0 fields before the end");
            gd_arena_release(&a);
            break;
        }
        FUZZ_CHECK(c.p > before && c.p <= c.end, "no progress at offset %td", before - copy);
        FUZZ_CHECK(c.line > last_line && c.next_line > c.line - 1, "line %d after %d", c.line,
                   last_line);
        last_line = c.line;
        if (n < 0) {
            FUZZ_CHECK(why && *why, "a malformed record without a reason");
        } else {
            FUZZ_CHECK(n <= GD_CSV_MAX_FIELDS, "%d fields", n);
            for (int i = 0; i < n; i++) {
                FUZZ_CHECK(strlen(fields[i]) <= GD_CSV_MAX_FIELD, "field %d too long", i);
            }
            /* a row as the import reads it: order_no,buyer_nick,status,paid_amount,created_at,items */
            struct gd_order o = {.order_no = fields[0],
                                 .buyer_nick = n > 1 ? fields[1] : NULL,
                                 .status = n > 2 ? fields[2] : NULL,
                                 .items = "[]"};
            struct gd_err err = {0};
            int64_t at;
            if (n > 4 && *fields[4]) {
                gd_time_parse(fields[4], 480, &at);
            }
            if (n > 5 && *fields[5] && gd_svc__items_valid(fields[5])) {
                o.items = fields[5];
            }
            if (gd_svc_order_validate(&o, &err)) {
                FUZZ_CHECK(err.msg[0], "a rejected order without a reason");
            }
        }
        gd_arena_release(&a);
    }
    free(copy);
    return 0;
}
