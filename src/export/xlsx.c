/* The XLSX writer (see xlsx.h). */
#include "export/xlsx.h"
#include <xlsxwriter.h>
#include "base/strbuf.h"

#define SHEET_ROWS 1048576 /* Excel's limit, header included */
#define PROGRESS_EVERY 5000

struct sheet_ctx {
    lxw_workbook *wb;
    lxw_format *bold, *date, *money;
};

static lxw_worksheet *new_sheet(struct sheet_ctx *x, int n, const struct gd_row_source *src)
{
    char name[32];
    snprintf(name, sizeof(name), src->lang == GD_LANG_EN ? "Work orders %d" : "工单 %d", n);
    lxw_worksheet *ws = workbook_add_worksheet(
        x->wb, n == 1 ? (src->lang == GD_LANG_EN ? "Work orders" : "工单") : name);
    if (!ws) {
        return NULL;
    }
    for (int c = 0; c < gd_export_ncols(src); c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, gd_export_column(src, c)->width, NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)c, gd_export_header(src, c), x->bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    return ws;
}

/* Text with CR LF or CR line ends turned into LF, Excel's line break inside a cell (a CR would
 * be stored as _x000D_, which not every reader turns back). */
static const char *line_ends(const char *s, struct gd_strbuf *sb)
{
    if (!strchr(s, '\r')) {
        return s;
    }
    gd_strbuf_reset(sb);
    for (; *s; s++) {
        if (*s == '\r') {
            gd_strbuf_addch(sb, '\n');
            if (s[1] == '\n') {
                s++;
            }
        } else {
            gd_strbuf_addch(sb, *s);
        }
    }
    return sb->buf;
}

/* Excel's serial date: days since 1899-12-30, local time, whole seconds (as the CSV shows). */
static double excel_date(int64_t ms, int offset_min)
{
    int64_t s = (ms - (ms % 1000 + 1000) % 1000) / 1000 + (int64_t)offset_min * 60;
    return (double)s / 86400.0 + 25569.0;
}

int gd_export_xlsx(const char *path, struct gd_row_source *src, int64_t *rows, struct gd_err *err)
{
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    struct sheet_ctx x = {0};
    struct gd_cell cells[GD_EXPORT_MAXCOLS];
    lxw_worksheet *ws;
    lxw_row_t r = 1;
    int ret = GD_OK, more, sheets = 1;
    lxw_error lerr;
    struct gd_strbuf text = GD_STRBUF_INIT;

    *rows = 0;
    x.wb = workbook_new_opt(path, &opts);
    if (!x.wb) {
        return gd_err_set(err, GD_EIO, "cannot create the workbook");
    }
    x.bold = workbook_add_format(x.wb);
    format_set_bold(x.bold);
    x.date = workbook_add_format(x.wb);
    format_set_num_format(x.date, "yyyy-mm-dd hh:mm:ss");
    x.money = workbook_add_format(x.wb);
    format_set_num_format(x.money, "0.00");
    ws = new_sheet(&x, sheets, src);
    if (!ws) {
        ret = gd_err_set(err, GD_EIO, "cannot add a worksheet");
        goto out;
    }
    while ((more = src->next(src->ctx, cells, err)) == 1) {
        if (r == SHEET_ROWS) {
            ws = new_sheet(&x, ++sheets, src);
            if (!ws) {
                ret = gd_err_set(err, GD_EIO, "cannot add a worksheet");
                goto out;
            }
            r = 1;
        }
        for (int c = 0; c < gd_export_ncols(src); c++) {
            const struct gd_cell *cell = &cells[c];
            lxw_col_t col = (lxw_col_t)c;
            if (cell->null) {
                continue;
            }
            switch (gd_export_column(src, c)->kind) {
            case GD_CELL_MONEY:
                worksheet_write_number(ws, r, col, (double)cell->num / 100.0, x.money);
                break;
            case GD_CELL_TIME:
                worksheet_write_number(ws, r, col, excel_date(cell->num, src->tz_offset_min),
                                       x.date);
                break;
            case GD_CELL_BOOL:
                worksheet_write_string(ws, r, col, gd_export_flag_word(cell->flag, src->lang),
                                       NULL);
                break;
            default:
                if (cell->text && *cell->text) {
                    worksheet_write_string(ws, r, col, line_ends(cell->text, &text), NULL);
                }
            }
        }
        r++;
        (*rows)++;
        if (src->progress && *rows % PROGRESS_EVERY == 0) {
            src->progress(src->ctx, *rows);
        }
    }
    if (more < 0) {
        ret = more;
    }
out:
    lerr = workbook_close(x.wb);
    if (!ret && lerr != LXW_NO_ERROR) {
        ret = gd_err_set(err, GD_EIO, "cannot write the workbook: %s", lxw_strerror(lerr));
    }
    if (!ret && src->progress) {
        src->progress(src->ctx, *rows);
    }
    gd_strbuf_release(&text);
    return ret;
}
