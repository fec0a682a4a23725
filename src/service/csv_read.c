/* One CSV record at a time (see csv_read.h). */
#include "service/csv_read.h"
#include "base/strbuf.h"

int gd_csv_record(struct gd_csv_reader *c, struct gd_arena *a, char **fields, const char **why)
{
    int n = 0;
    struct gd_strbuf f = GD_STRBUF_INIT;

    if (c->p >= c->end) {
        return 0;
    }
    c->line = c->next_line;
    for (;;) {
        gd_strbuf_reset(&f);
        if (c->p < c->end && *c->p == '"') {
            c->p++;
            for (;;) {
                if (c->p >= c->end) {
                    *why = "unterminated quoted field";
                    gd_strbuf_release(&f);
                    return -1;
                }
                if (*c->p == '"') {
                    if (c->p + 1 < c->end && c->p[1] == '"') {
                        gd_strbuf_addch(&f, '"');
                        c->p += 2;
                        continue;
                    }
                    c->p++;
                    break;
                }
                if (*c->p == '\n') {
                    c->next_line++;
                }
                gd_strbuf_addch(&f, *c->p++);
            }
        } else {
            while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
                gd_strbuf_addch(&f, *c->p++);
            }
        }
        if (n < GD_CSV_MAX_FIELDS) {
            size_t keep = f.len > GD_CSV_MAX_FIELD ? GD_CSV_MAX_FIELD : f.len;
            fields[n++] = gd_arena_strndup(a, f.buf, keep);
        }
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        if (c->p < c->end && *c->p == '\r') {
            c->p++;
        }
        if (c->p < c->end && *c->p == '\n') {
            c->p++;
        } else if (c->p < c->end) {
            *why = "unexpected character after a quoted field";
            while (c->p < c->end && *c->p != '\n') {
                c->p++;
            }
            c->p += c->p < c->end;
            c->next_line++;
            gd_strbuf_release(&f);
            return -1;
        }
        c->next_line++;
        break;
    }
    gd_strbuf_release(&f);
    return n;
}
