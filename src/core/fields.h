/* The kinds of custom field a shop gives its own work order types (docs/types.md): their names
 * (the one list of them), what each holds, and whether a list may filter on it. Pure data; the
 * values are checked in service/fields.c.
 *
 * Thread safety: the table is constant. */
#ifndef GD_CORE_FIELDS_H
#define GD_CORE_FIELDS_H
#include <stdbool.h>
#include <stddef.h>

enum gd_field_kind {
    GD_FIELD_TEXT,      /* one line, at most GD_FIELD_TEXT_MAX characters */
    GD_FIELD_LONG_TEXT, /* at most GD_FIELD_LONG_TEXT_MAX characters; not a filter */
    GD_FIELD_NUMBER,    /* a JSON number */
    GD_FIELD_MONEY,     /* whole fen, 0 .. GD_FIELD_MONEY_MAX */
    GD_FIELD_DATE,      /* "YYYY-MM-DD" */
    GD_FIELD_CHOICE,    /* one of the field's options */
    GD_FIELD_MULTI,     /* distinct options of the field, in any number */
    GD_FIELD_BOOL,      /* true or false */
    GD_FIELD_USER,      /* the id of a user of the shop */
    GD_FIELD_KIND_COUNT
};

#define GD_FIELD_TEXT_MAX 200
#define GD_FIELD_LONG_TEXT_MAX 4000
#define GD_FIELD_MONEY_MAX 100000000000LL /* one billion yuan in fen */
#define GD_FIELD_OPTIONS_MAX 50           /* options of a choice field */
#define GD_FIELD_OPTION_MAX 40            /* characters of one option */
#define GD_FIELDS_PER_TYPE_MAX 30
#define GD_FIELD_FILTERS_MAX 3 /* field.<key> filters of one list */

const char *gd_field_kind_name(int kind); /* "?" when unknown */
int gd_field_kind_parse(const char *s);   /* -1 when unknown */
/* Every kind's name joined by ", " (what the field `kind` allows); returns buf. */
const char *gd_field_kind_list(char *buf, size_t size);
/* Choice and multiple choice fields carry a list of options. */
bool gd_field_kind_has_options(int kind);
/* Whether values of the kind are indexed, so a list may filter on them (long text is not). */
bool gd_field_kind_is_filterable(int kind);
/* Whether `s` is a real calendar day written YYYY-MM-DD. */
bool gd_field_date_valid(const char *s);

#endif
