/* Line-oriented logging to stderr. Every byte a caller formats in is escaped so that one call is
 * always one line: a request path or a user name carrying a line feed cannot forge a log line. */
#include "base/log.h"
#include <stdarg.h>
#include <sys/time.h>

int gd_log_level = GD_LOG_INFO;

/* Control characters and DEL become \xNN; a backslash is doubled so the escape is unambiguous. */
static size_t escape(const char *in, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && n + 4 < cap; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            out[n++] = '\\';
            out[n++] = 'x';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        } else if (*p == '\\') {
            out[n++] = '\\';
            out[n++] = '\\';
        } else {
            out[n++] = (char)*p;
        }
    }
    out[n] = 0;
    return n;
}

void gd_log_write(int level, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    char msg[2048], line[2600];
    struct timeval tv;
    struct tm tm;
    va_list ap;
    int n;

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ %s ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 (int)(tv.tv_usec / 1000), names[level & 3]);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + escape(msg, line + n, sizeof(line) - (size_t)n - 1);
    line[len] = '\n';
    line[len + 1] = 0;
    fputs(line, stderr);
}

void gd_log_value(const char *in, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && n + 4 < cap; p++) {
        if (*p <= 0x20 || *p == 0x7f || *p == '%' || *p == '"') {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        } else {
            out[n++] = (char)*p;
        }
    }
    out[n] = 0;
}
