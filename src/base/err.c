/* The error carrier: one message and an optional field name per failed call. */
#include "base/err.h"
#include <stdarg.h>

static int vset(struct gd_err *err, int code, const char *field, const char *fmt, va_list ap)
{
    if (!err) {
        return code;
    }
    err->code = code;
    snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    return code;
}

int gd_err_set(struct gd_err *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, NULL, fmt, ap);
    va_end(ap);
    return code;
}

int gd_err_field(struct gd_err *err, int code, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, field, fmt, ap);
    va_end(ap);
    return code;
}

void gd_err_clear(struct gd_err *err)
{
    if (err) {
        err->code = 0;
        err->field[0] = 0;
        err->msg[0] = 0;
    }
}
