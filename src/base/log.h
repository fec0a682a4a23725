/* One log line per event on stderr: `ts level msg key=value...`. The level is checked before the
 * arguments are formatted. Never log secrets or message bodies.
 * Thread safety: safe; each line is written with one fputs. */
#ifndef GD_LOG_H
#define GD_LOG_H
#include <stddef.h>

enum gd_log_level { GD_LOG_DEBUG, GD_LOG_INFO, GD_LOG_WARN, GD_LOG_ERROR };

extern int gd_log_level;

#define gd_log(level, ...)                      \
    do {                                        \
        if ((level) >= gd_log_level) {          \
            gd_log_write((level), __VA_ARGS__); \
        }                                       \
    } while (0)

void gd_log_write(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A user-supplied value for a key=value field: space, control characters, '%' and '"' are
 * percent-encoded so the value stays one token (a path like "/x forged=1" cannot add a key). */
void gd_log_value(const char *in, char *out, size_t cap);

#endif
