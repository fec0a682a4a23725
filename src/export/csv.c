/* CSV cells. A cell starting with = + - @ or a tab or CR is prefixed with a single quote, so a
 * spreadsheet shows it as text instead of evaluating it (formula injection). */
#include "export/csv.h"

void gd_csv_cell(struct gd_strbuf *sb, const char *s, bool first)
{
    if (!first) {
        gd_strbuf_addch(sb, ',');
    }
    if (!s) {
        return;
    }
    bool risky = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                 s[0] == '\r';
    bool quote = risky || strpbrk(s, ",\"\r\n") != NULL;
    if (quote) {
        gd_strbuf_addch(sb, '"');
    }
    if (risky) {
        gd_strbuf_addch(sb, '\'');
    }
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            gd_strbuf_addch(sb, '"');
        }
        gd_strbuf_addch(sb, *p);
    }
    if (quote) {
        gd_strbuf_addch(sb, '"');
    }
}
