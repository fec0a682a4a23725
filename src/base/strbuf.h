/* A growable byte buffer whose `buf` is never NULL and always NUL-terminated, with a size cap
 * and a sticky overflow flag (git strbuf, curl dynbuf, SQLite StrAccum).
 *
 * Ownership: the strbuf owns `buf`; gd_strbuf_release frees it, gd_strbuf_detach hands it to the
 * caller (free with free()). Thread safety: none; one owner at a time.
 * Errors: appends past `cap` set `overflow` and are dropped; check it once at the end. */
#ifndef GD_STRBUF_H
#define GD_STRBUF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gd_strbuf {
    char *buf;
    size_t len;
    size_t alloc;
    size_t cap; /* 0 = unlimited */
    bool overflow;
};

extern char gd_strbuf_empty[];
#define GD_STRBUF_INIT                  \
    {                                   \
        gd_strbuf_empty, 0, 0, 0, false \
    }

void gd_strbuf_init(struct gd_strbuf *sb, size_t cap);
void gd_strbuf_release(struct gd_strbuf *sb);
char *gd_strbuf_detach(struct gd_strbuf *sb, size_t *len);
void gd_strbuf_reset(struct gd_strbuf *sb);
void gd_strbuf_grow(struct gd_strbuf *sb, size_t extra);
void gd_strbuf_add(struct gd_strbuf *sb, const void *data, size_t n);
void gd_strbuf_adds(struct gd_strbuf *sb, const char *s);
void gd_strbuf_addch(struct gd_strbuf *sb, char c);
void gd_strbuf_addf(struct gd_strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends a decimal integer (no printf: this is on the list rendering hot path). */
void gd_strbuf_add_i64(struct gd_strbuf *sb, int64_t v);
/* Appends `s` as a JSON string literal, quotes included. */
void gd_strbuf_add_json_str(struct gd_strbuf *sb, const char *s);

#endif
