/* CSV cells and whole exports. A cell a spreadsheet could run as a formula is prefixed with a
 * single quote, so it shows as text (formula injection, OWASP's rule): one that starts with a tab
 * or CR, or whose first character after any leading white space is = + - @ or their full-width
 * (＝＋－＠) or small (﹦﹢﹣﹫) forms, which spreadsheets in CJK locales take as the same.
 * Times are written as "YYYY-MM-DD HH:MM:SS" in the source's zone, amounts as 123.45. */
#include "export/csv.h"
#include <errno.h>
#include "base/timefmt.h"

#define PROGRESS_EVERY 5000

/* The length of the white space character at s (ASCII, no-break or ideographic space), or 0. */
static size_t space_len(const unsigned char *s)
{
    if (*s == ' ' || (*s >= '\t' && *s <= '\r')) {
        return 1;
    }
    if (s[0] == 0xC2 && s[1] == 0xA0) {
        return 2; /* U+00A0 */
    }
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) {
        return 3; /* U+3000 */
    }
    return 0;
}

bool gd_csv_is_formula(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    if (*s == '\t' || *s == '\r') {
        return true;
    }
    for (size_t n; (n = space_len(s)) > 0;) {
        s += n;
    }
    if (*s == '=' || *s == '+' || *s == '-' || *s == '@') {
        return true;
    }
    /* U+FF1D ＝, U+FF0B ＋, U+FF0D －, U+FF20 ＠ */
    if (s[0] == 0xEF && s[1] == 0xBC &&
        (s[2] == 0x9D || s[2] == 0x8B || s[2] == 0x8D || s[2] == 0xA0)) {
        return true;
    }
    /* U+FE66 ﹦, U+FE62 ﹢, U+FE63 ﹣, U+FE6B ﹫ */
    return s[0] == 0xEF && s[1] == 0xB9 &&
           (s[2] == 0xA6 || s[2] == 0xA2 || s[2] == 0xA3 || s[2] == 0xAB);
}

void gd_csv_cell(struct gd_strbuf *sb, const char *s, bool first)
{
    if (!first) {
        gd_strbuf_addch(sb, ',');
    }
    if (!s) {
        return;
    }
    bool risky = gd_csv_is_formula(s);
    bool quote = risky || strpbrk(s, ",\"\r\n") != NULL;
    if (quote) {
        gd_strbuf_addch(sb, '"');
    }
    if (risky) {
        gd_strbuf_addch(sb, '\'');
    }
    const char *run = s;
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            gd_strbuf_add(sb, run, (size_t)(p - run + 1));
            gd_strbuf_addch(sb, '"');
            run = p + 1;
        }
    }
    gd_strbuf_adds(sb, run);
    if (quote) {
        gd_strbuf_addch(sb, '"');
    }
}

static void local_time(int64_t ms, int offset_min, char *out, size_t n)
{
    int64_t local = ms + (int64_t)offset_min * 60000;
    int64_t days = local / 86400000 - (local % 86400000 < 0);
    int64_t rem = local - days * 86400000;
    int y, m, d;
    gd_civil_from_days(days, &y, &m, &d);
    snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, (int)(rem / 3600000),
             (int)(rem / 60000 % 60), (int)(rem / 1000 % 60));
}

static void add_cell(struct gd_strbuf *sb, const struct gd_cell *c, int kind,
                     const struct gd_row_source *src, bool first)
{
    char buf[40];

    if (c->null) {
        gd_csv_cell(sb, NULL, first);
        return;
    }
    switch (kind) {
    case GD_CELL_MONEY: {
        int64_t v = c->num < 0 ? -c->num : c->num;
        snprintf(buf, sizeof(buf), "%s%lld.%02lld", c->num < 0 ? "-" : "", (long long)(v / 100),
                 (long long)(v % 100));
        /* a negative amount is a number, not a formula: written as is */
        if (!first) {
            gd_strbuf_addch(sb, ',');
        }
        gd_strbuf_adds(sb, buf);
        return;
    }
    case GD_CELL_TIME:
        local_time(c->num, src->tz_offset_min, buf, sizeof(buf));
        gd_csv_cell(sb, buf, first);
        return;
    case GD_CELL_BOOL:
        gd_csv_cell(sb, gd_export_flag_word(c->flag, src->lang), first);
        return;
    default:
        gd_csv_cell(sb, c->text, first);
    }
}

int gd_export_csv(FILE *out, struct gd_row_source *src, int64_t *rows, struct gd_err *err)
{
    struct gd_strbuf sb = GD_STRBUF_INIT;
    struct gd_cell cells[GD_EXPORT_MAXCOLS];
    int ret = GD_OK, more, ncols = gd_export_ncols(src);

    *rows = 0;
    gd_strbuf_adds(&sb, "\xEF\xBB\xBF");
    for (int i = 0; i < ncols; i++) {
        gd_csv_cell(&sb, gd_export_header(src, i), i == 0);
    }
    gd_strbuf_adds(&sb, "\r\n");
    while ((more = src->next(src->ctx, cells, err)) == 1) {
        for (int i = 0; i < ncols; i++) {
            add_cell(&sb, &cells[i], gd_export_column(src, i)->kind, src, i == 0);
        }
        gd_strbuf_adds(&sb, "\r\n");
        (*rows)++;
        if (sb.len >= 1 << 16) {
            if (fwrite(sb.buf, 1, sb.len, out) != sb.len) {
                ret = gd_err_set(err, GD_EIO, "cannot write the export: %s", strerror(errno));
                goto out;
            }
            gd_strbuf_reset(&sb);
        }
        if (src->progress && *rows % PROGRESS_EVERY == 0) {
            src->progress(src->ctx, *rows);
        }
    }
    if (more < 0) {
        ret = more;
        goto out;
    }
    if (fwrite(sb.buf, 1, sb.len, out) != sb.len || fflush(out) != 0) {
        ret = gd_err_set(err, GD_EIO, "cannot write the export: %s", strerror(errno));
        goto out;
    }
    if (src->progress) {
        src->progress(src->ctx, *rows);
    }
out:
    gd_strbuf_release(&sb);
    return ret;
}
