/* The kinds of custom field and their rules (see fields.h). */
#include "core/fields.h"
#include <stdio.h>
#include <string.h>

static const char *const kind_names[GD_FIELD_KIND_COUNT] = {
    [GD_FIELD_TEXT] = "text",          [GD_FIELD_LONG_TEXT] = "long_text",
    [GD_FIELD_NUMBER] = "number",      [GD_FIELD_MONEY] = "money",
    [GD_FIELD_DATE] = "date",          [GD_FIELD_CHOICE] = "choice",
    [GD_FIELD_MULTI] = "multi_choice", [GD_FIELD_BOOL] = "bool",
    [GD_FIELD_USER] = "user",
};

const char *gd_field_kind_name(int kind)
{
    return kind >= 0 && kind < GD_FIELD_KIND_COUNT ? kind_names[kind] : "?";
}

int gd_field_kind_parse(const char *s)
{
    for (int i = 0; s && i < GD_FIELD_KIND_COUNT; i++) {
        if (strcmp(s, kind_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

const char *gd_field_kind_list(char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < GD_FIELD_KIND_COUNT && len < size; i++) {
        int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", kind_names[i]);
        len += w > 0 ? (size_t)w : 0;
    }
    return buf;
}

bool gd_field_kind_has_options(int kind)
{
    return kind == GD_FIELD_CHOICE || kind == GD_FIELD_MULTI;
}

bool gd_field_kind_is_filterable(int kind)
{
    return kind >= 0 && kind < GD_FIELD_KIND_COUNT && kind != GD_FIELD_LONG_TEXT;
}

bool gd_field_date_valid(const char *s)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return false;
        }
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || m < 1 || m > 12 || d < 1) {
        return false;
    }
    return d <= days[m - 1] && !(m == 2 && d == 29 && !leap);
}
